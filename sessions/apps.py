from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    # One name, "scheduling", for the label, URL namespace, templates and tag library: the
    # label "sessions" is django.contrib.sessions'. Only the folder (fixed layout) says sessions.
    name = "sessions"
    label = "scheduling"
    verbose_name = _("Scheduling")
