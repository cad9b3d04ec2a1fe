"""Who may read the audit trail: clinic staff only. Everyone else gets 404, like every wall."""

from django.http import Http404


def require_audit_reader(user) -> None:
    if not (user.is_authenticated and getattr(user, "is_clinic_staff", False)):
        raise Http404("Not found")
