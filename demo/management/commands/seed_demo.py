"""A demo clinic: staff, two facilitators, one group of each kind, members and a couple.

Safe to run again: every object is found or created by a natural key (the two requests from
the public form are made once), and passwords are reset to DEMO_PASSWORD. Staff and
facilitators get TOTP; the secret is printed for an authenticator app.
"""

import base64
import datetime
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo.history import history_start, seed_demo_history
from demo.materials import seed_demo_materials
from demo.notes import seed_demo_notes
from demo.referrals import seed_demo_requests
from demo.sessions import DEMO_MINUTES, seed_demo_sessions
from groups.models import VISIBLE_STATUSES, Group, GroupFormat, GroupKind
from groups.selectors import belongs
from groups.services import enrollment_add
from members.models import Role, User
from members.services.couples import couple_ensure

PEOPLE = [
    # email, display name, role
    ("staff@example.com", "Sam (staff)", Role.STAFF),
    ("fran@example.com", "Fran", Role.FACILITATOR),
    ("olly@example.com", "Olly", Role.FACILITATOR),
    ("alex@example.com", "Alex", Role.MEMBER),
    ("casey@example.com", "Casey", Role.MEMBER),
    ("jordan@example.com", "Jordan", Role.MEMBER),
    ("morgan@example.com", "Morgan", Role.MEMBER),
]

GROUPS = [
    # name, kind, facilitator, members, format, weekday (Monday 0), start. Each meets on its
    # own evening: Alex is in two groups and Olly runs two, as in a real clinic.
    ("Harbour group", GroupKind.ADDICT, "fran@example.com",
     ["alex@example.com", "casey@example.com"], GroupFormat.IN_PERSON, 1, datetime.time(19)),
    ("Willow group", GroupKind.PARTNER, "olly@example.com",
     ["jordan@example.com", "morgan@example.com"], GroupFormat.ONLINE, 2, datetime.time(19)),
    ("Oak group", GroupKind.COUPLES, "olly@example.com",
     ["alex@example.com"], GroupFormat.HYBRID, 3, datetime.time(18, 30)),
]  # fmt: skip

COUPLE = ("alex@example.com", "jordan@example.com")

# What the README documents and config/settings.py falls back to when DEMO_PASSWORD is unset.
DEFAULT_DEMO_PASSWORD = "circle-demo-2026"  # noqa: S105  # nosec B105  # documented demo password


class Command(BaseCommand):
    help = "Create or refresh the demo clinic (idempotent). Password from DEMO_PASSWORD."

    @transaction.atomic
    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD
        people = {email: self._person(email, name, role, password) for email, name, role in PEOPLE}
        staff = people["staff@example.com"]

        alex, jordan = (people[email] for email in COUPLE)
        couple_ensure(first=alex, second=jordan, linked_by=people["fran@example.com"])

        groups = []
        joined = history_start(timezone.localdate())
        for name, kind, facilitator, members, group_format, weekday, start in GROUPS:
            group, _ = Group.objects.get_or_create(
                name=name, kind=kind, defaults=self._group_defaults(group_format)
            )
            group.facilitators.add(people[facilitator])
            for email in members:
                enrollment_add(group=group, member=people[email], actor=staff, joined_on=joined)
            # Half a year of held sessions with roll taken, then the weekly series ahead.
            seed_demo_history(
                group,
                actor=people[facilitator],
                weekday=weekday,
                start=start,
                minutes=DEMO_MINUTES,
            )
            # Signed notes for the last held sessions, and last week's still to finish.
            seed_demo_notes(group, people[facilitator], secret=password)
            seed_demo_sessions(group, weekday=weekday, start=start, actor=people[facilitator])
            seed_demo_materials(group, people[facilitator])  # a text, a link, a library item
            groups.append(group)
        seed_demo_requests(staff)  # two people waiting for a first call

        self.stdout.write(
            f"Demo accounts; password from DEMO_PASSWORD (default {DEFAULT_DEMO_PASSWORD!r}):"
        )
        for email, _name, role in PEOPLE:
            person = people[email]
            names = [
                f"{group.name} ({group.get_kind_display().lower()})"
                for group in groups
                if group.facilitators.filter(pk=person.pk).exists()
                or belongs(person, group, VISIBLE_STATUSES)  # a current stint
            ]
            line = f"  {role:<12} {', '.join(names) or 'all groups':<58} {email}"
            secret = self._totp_secret(person)
            if secret:
                line += f"  TOTP secret: {secret}"
            self.stdout.write(line)

    @staticmethod
    def _group_defaults(group_format: str) -> dict:
        return {
            "format": group_format,
            "capacity": 10,  # seats, as a clinic caps a group (the waiting list counts them)
            "time_zone": "Europe/London",
            "address": "" if group_format == GroupFormat.ONLINE else "12 Quiet Lane, Room 3",
            "video_url": ""
            if group_format == GroupFormat.IN_PERSON
            else "https://video.example.com/room",
        }

    def _person(self, email: str, name: str, role: str, password: str) -> User:
        user, _ = User.objects.get_or_create(
            email=email, defaults={"display_name": name, "role": role}
        )
        user.display_name, user.role = name, role
        user.is_staff = user.is_superuser = role == Role.STAFF
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if user.requires_mfa and not self._totp_secret(user):
            secret = base64.b32encode(secrets.token_bytes(20)).decode()
            Authenticator.objects.create(
                user=user,
                type=Authenticator.Type.TOTP,
                data={"secret": get_mfa_adapter().encrypt(secret)},
            )
        return user

    @staticmethod
    def _totp_secret(user: User) -> str:
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            return ""
        return get_mfa_adapter().decrypt(authenticator.data["secret"])
