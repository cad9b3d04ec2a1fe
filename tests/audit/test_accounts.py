"""Staff changing what an account may do (in the admin) is recorded."""

from types import SimpleNamespace

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from audit.models import AuditEvent
from members.models import Role, User

pytestmark = pytest.mark.django_db


def test_a_role_change_in_the_admin_is_recorded(world):
    # GIVEN staff in the admin WHEN they make a member a facilitator
    request = RequestFactory().post("/")
    request.user = world.staff
    world.co_member.role = Role.FACILITATOR
    site._registry[User].save_model(
        request, world.co_member, SimpleNamespace(changed_data=["role"]), change=True
    )
    # THEN the change is recorded with who, whose and the new role
    event = AuditEvent.objects.get(action="account.role_change")
    assert (event.actor_id, event.subject_id) == (world.staff.pk, world.co_member.pk)
    assert event.detail == {"role": "facilitator", "changed": ["role"]}


def test_saving_without_an_access_change_records_nothing(world):
    request = RequestFactory().post("/")
    request.user = world.staff
    site._registry[User].save_model(
        request, world.co_member, SimpleNamespace(changed_data=["display_name"]), change=True
    )
    assert not AuditEvent.objects.filter(action="account.role_change").exists()
