import pytest

# Intake rows store encrypted text; a fixed key (DEBUG is off under test, so none is derived).
TEST_FIELD_ENCRYPTION_KEY = "dGVzdC1rZXktZm9yLWludGFrZS10ZXh0LTAxMjM0NTY="


@pytest.fixture(autouse=True)
def _audit_test_settings(settings):
    settings.FIELD_ENCRYPTION_KEY = TEST_FIELD_ENCRYPTION_KEY
    # Strict, as in the whole suite: a wrong audit call fails the test instead of being logged.
    settings.AUDIT_STRICT = True
