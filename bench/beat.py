"""Plays Celery beat for the recovery bench: the dispatcher task's body every
NOTIFICATIONS_DISPATCH_SECONDS, as the beat schedule runs it in production (recovery of
interrupted sends included), so the measured lateness is the production timers'."""

import logging
import signal
import sys
import time

import django

django.setup()

from django.conf import settings  # noqa: E402 - needs django.setup() first

from notifications import tasks  # noqa: E402

if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    every = max(1, settings.NOTIFICATIONS_DISPATCH_SECONDS)
    while True:
        try:
            tasks.dispatch_due()
        except Exception:  # noqa: BLE001 - keep beating, as beat would
            logging.exception("dispatch failed")
        time.sleep(every)
