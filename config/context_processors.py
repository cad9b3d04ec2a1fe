from django.conf import settings

from members.views_exit import quick_exit_url


def clinic(request):
    return {
        "clinic_name": settings.CLINIC_NAME,
        "quick_exit_url": quick_exit_url(),  # where a member's "Quick exit" goes (base.html)
    }
