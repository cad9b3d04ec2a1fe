"""The one way every app writes to the audit trail:

    from audit import api as audit
    audit.record("intake.read", subject=intake.member, target="members.intake", target_id=intake.pk)

`actor` defaults to the signed-in person of the current request (audit.middleware keeps the
request in a context variable, with its IP and user agent); Celery tasks and commands have no
request, so their rows have no actor unless one is passed.

Transactions: the row is written on the caller's connection, so a change's row commits or rolls
back with the change (call it inside the service's transaction). Views are not atomic
(ATOMIC_REQUESTS is off), so a read's row is committed the moment it is recorded, even if the
view fails afterwards. Inside a transaction the insert runs in a savepoint, so a failed insert
never poisons the caller's transaction.

Errors: recording never raises into the caller in production: a problem is logged and the
request goes on (an audit hiccup must not stop a facilitator taking roll). With AUDIT_STRICT
(on in the test suite via pyproject's pytest env, and by default with DEBUG) every problem
raises instead: an unknown action code, a `detail` that is not ids and codes, a failed insert.
Those are programming errors, and strict mode makes the first test that reaches them fail.
"""

import ipaddress
import logging
import re
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from audit.actions import ACTIONS, skips_own
from audit.models import AuditEvent, Outcome

logger = logging.getLogger(__name__)

USER_AGENT_MAX = 255
# `detail` holds ids and codes: keys are identifiers; strings are codes, dates or timestamps
# (no spaces, no "@"), so free text and email addresses cannot slip in.
_DETAIL_KEY = re.compile(r"^[a-z_][a-z0-9_]{0,31}$")
_DETAIL_CODE = re.compile(r"^[A-Za-z0-9_.:+-]{0,64}$")
_TARGET = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")
_TARGET_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
DETAIL_LIST_MAX = 100

_request: ContextVar[Any] = ContextVar("audit_request", default=None)


class AuditError(ValueError):
    """A call that would write a wrong row (raised only in strict mode)."""


def strict() -> bool:
    return bool(getattr(settings, "AUDIT_STRICT", False))


# --- the request context (set by audit.middleware) -----------------------------------------


def bind_request(request):
    """Remember the current request; returns a token for `unbind_request`."""
    return _request.set(request)


def unbind_request(token) -> None:
    _request.reset(token)


def current_request():
    return _request.get()


def client_ip(request) -> str | None:
    """The client's address as the trusted proxy reports it.

    With TRUSTED_PROXY_COUNT = n > 0, each of our n proxies appended the address it saw to
    X-Forwarded-For, so the client is the n-th entry from the right; anything further left
    was sent by the client and could be made up. With 0 (no proxy), REMOTE_ADDR.
    """
    meta = request.META
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    candidate = meta.get("REMOTE_ADDR", "")
    if count > 0:
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            candidate = hops[-count]
    return _valid_ip(candidate)


def _valid_ip(value: str) -> str | None:
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:443"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


# --- recording -----------------------------------------------------------------------------


def _user_id(value) -> int | None:
    """A user or a user id (or None) as an int id."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise AuditError("A person is a user or a user id, not a boolean.")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    pk = getattr(value, "pk", None)
    if getattr(value, "is_authenticated", True) is False:
        return None  # AnonymousUser
    if isinstance(pk, int):
        return pk
    raise AuditError(f"A person is a user or a user id, not {type(value).__name__}.")


def _clean_detail(detail: dict | None, problems: list[str]) -> dict:
    clean: dict = {}
    for key, value in (detail or {}).items():
        if not (isinstance(key, str) and _DETAIL_KEY.match(key)):
            problems.append("a detail key is not an identifier")
            continue
        if _is_id_or_code(value):
            clean[key] = value
        elif (
            isinstance(value, list | tuple | set | frozenset)
            and len(value) <= DETAIL_LIST_MAX
            and all(_is_id_or_code(item) for item in value)
        ):
            clean[key] = sorted(value) if isinstance(value, set | frozenset) else list(value)
        else:
            problems.append(f"detail[{key!r}] is not an id or a code")
    return clean


def _is_id_or_code(value) -> bool:
    if value is None or isinstance(value, bool | int):
        return True
    return isinstance(value, str) and bool(_DETAIL_CODE.match(value))


def safe_id(value) -> str | None:
    """`value` as an id to store, or None when it is not one (a typed pk can be anything)."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value)
    return text if _TARGET_ID.match(text) else None


def safe_code(value) -> str | None:
    """`value` if it is a code `detail` may hold, else None."""
    text = str(value or "")
    return text if _DETAIL_CODE.match(text) else None


def _clean_target_id(value, problems: list[str]) -> str:
    if value is None or value == "":
        return ""
    text = str(value)
    if isinstance(value, bool) or not _TARGET_ID.match(text):
        problems.append("target_id is not an id")
        return ""
    return text


def _build(action, *, subject, target, target_id, outcome, actor, detail) -> AuditEvent | None:
    problems: list[str] = []
    if action not in ACTIONS:
        problems.append(f"unknown action {action!r} (add it to audit/actions.py)")
    if outcome not in Outcome.values:
        problems.append(f"unknown outcome {outcome!r}")
        outcome = Outcome.FAILED
    if target and not _TARGET.match(target):
        problems.append(f"target {target!r} is not a model label")
        target = ""
    request = current_request()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    actor_id = _user_id(actor)
    subject_id = _user_id(subject)
    clean = _clean_detail(detail, problems)
    clean_target_id = _clean_target_id(target_id, problems)
    if problems:
        if strict():
            raise AuditError(f"audit.record({action!r}): " + "; ".join(problems))
        logger.warning("Audit row for %s recorded with problems: %s", action, "; ".join(problems))
    if skips_own(action) and actor_id is not None and actor_id == subject_id:
        return None  # a person reading their own record is not a disclosure
    if actor_id is None:
        role = ""
    elif hasattr(actor, "role"):
        role = actor.role
    else:  # an id was passed: snapshot the role it has now
        role = _role_of(actor_id)
    return AuditEvent(
        actor_id=actor_id,
        actor_role=str(role or "")[:16],
        subject_id=subject_id,
        action=str(action)[:64],
        target=target[:64],
        target_id=clean_target_id,
        outcome=outcome,
        ip=client_ip(request) if request is not None else None,
        user_agent=(
            request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX] if request is not None else ""
        ),
        detail=clean,
    )


def _role_of(user_id: int) -> str:
    return get_user_model().objects.filter(pk=user_id).values_list("role", flat=True).first() or ""


def record(
    action: str,
    *,
    subject=None,
    target: str = "",
    target_id=None,
    outcome: str = "ok",
    actor=None,
    detail: dict | None = None,
) -> None:
    """Write one audit row. Never raises in production (see the module docstring)."""
    try:
        event = _build(
            action,
            subject=subject,
            target=target,
            target_id=target_id,
            outcome=outcome,
            actor=actor,
            detail=detail,
        )
        if event is None:
            return
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint: a failure leaves the caller's work intact
                event.save(force_insert=True)
        else:
            event.save(force_insert=True)
    except Exception:
        if strict():
            raise
        logger.exception("Could not record the audit event %s", action)


def record_many(action: str, subjects: Iterable, **kwargs) -> None:
    """One row per person (a couple linked, partners enrolled together)."""
    for subject in subjects:
        record(action, subject=subject, **kwargs)
