from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    # One name, "scheduling", for the label, URL namespace, templates and tag library: the
    # label "sessions" is django.contrib.sessions'. Only the folder (fixed layout) says sessions.
    name = "sessions"
    label = "scheduling"
    verbose_name = "Scheduling"
