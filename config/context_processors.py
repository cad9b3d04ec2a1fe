from django.conf import settings

from members.language import offered_languages
from members.views_exit import quick_exit_url


def clinic(request):
    return {
        "clinic_name": settings.CLINIC_NAME,
        "quick_exit_url": quick_exit_url(),  # where a member's "Quick exit" goes (base.html)
        "offered_languages": offered_languages(),  # the language picker's choices
    }
