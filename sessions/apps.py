from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    # django.contrib.sessions already owns the "sessions" label.
    name = "sessions"
    label = "scheduling"
    verbose_name = "Scheduling"
