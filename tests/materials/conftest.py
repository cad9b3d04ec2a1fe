import pytest

from materials.models import Material


@pytest.fixture
def notified(monkeypatch):
    """Every material the notifications contract was called with, in order."""
    calls = []
    monkeypatch.setattr(
        "notifications.api.material_published",
        lambda material_id: calls.append(Material.objects.get(pk=material_id)),
    )
    return calls
