"""Production settings with the bench's reference pages (bench/urls.py); gunicorn only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
