from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    # The folder is "sessions" but the label is "scheduling": django.contrib.sessions already
    # takes the label "sessions", and two apps cannot share one.
    name = "sessions"
    label = "scheduling"
    verbose_name = "Scheduling"
