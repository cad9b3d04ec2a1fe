import pytest
from django.http import Http404

from core.lookups import get_object_for_user_or_404
from groups.models import Group
from tests.factories import GroupFactory


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["x", None, 10**30, -1, "1; drop"])
def test_bad_or_foreign_keys_are_404(bad):
    with pytest.raises(Http404):
        get_object_for_user_or_404(Group.objects.all(), bad, "No such group")


@pytest.mark.django_db
def test_only_within_the_narrowed_queryset():
    mine, theirs = GroupFactory(), GroupFactory()
    visible = Group.objects.filter(pk=mine.pk)
    assert get_object_for_user_or_404(visible, mine.pk) == mine
    with pytest.raises(Http404, match="No such group"):
        get_object_for_user_or_404(visible, theirs.pk, "No such group")
