import pytest


@pytest.fixture
def notified(monkeypatch):
    """Every material the notifications contract was called with, in order."""
    calls = []
    monkeypatch.setattr(
        "materials.services.notify_material_published", lambda material: calls.append(material)
    )
    return calls
