import base64
import hashlib
import hmac
import struct
import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator

from members.models import Couple, Role, User

TEST_PASSWORD = "correct horse battery staple"
# A fixed base32 secret so tests can compute valid codes.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enable_totp(user: User, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.TOTP,
        data={"secret": get_mfa_adapter().encrypt(secret)},
    )


def totp_code(secret: str = TEST_TOTP_SECRET, at: float | None = None) -> str:
    """The RFC 6238 code an authenticator app shows now (30 s steps, 6 digits, SHA-1)."""
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.MEMBER
    time_zone = "Europe/London"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        # A verified primary address, as after allauth's confirmation (verified=False: not yet).
        if create:
            obj.save()  # also stores the password set just before
            EmailAddress.objects.create(
                user=obj, email=obj.email, verified=extracted is not False, primary=True
            )

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        # Staff and facilitators must have MFA; pass mfa=False to test enrolment.
        if create and obj.requires_mfa and extracted is not False:
            enable_totp(obj)

    class Params:
        staff = factory.Trait(role=Role.STAFF, is_staff=True, is_superuser=True)
        facilitator = factory.Trait(role=Role.FACILITATOR)


class CoupleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Couple

    first = factory.SubFactory(UserFactory)
    second = factory.SubFactory(UserFactory)
    linked_by = factory.SubFactory(UserFactory, facilitator=True)
