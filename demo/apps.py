from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`manage.py seed_demo`: the demo clinic. The top layer: it may use every app."""

    name = "demo"
