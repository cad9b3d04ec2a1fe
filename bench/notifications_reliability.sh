#!/bin/sh
# Reliability figures for notifications: 1,000 due reminders through real Celery workers,
# a private Redis and a loopback SMTP server, with the worker SIGKILLed mid-batch and Redis
# restarted. Prints "reliability: 1000 due, N delivered, M duplicates, ...".
# Needs PostgreSQL (DATABASE_URL) and a Redis URL for the service gate; the run itself
# starts its own redis-server on a free port and never touches the shared one.
set -eu
cd "$(dirname "$0")/.."
: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/test}"
: "${TEST_DATABASE_NAME:=test_bench_notifications}"
: "${REDIS_URL:=redis://127.0.0.1:6379/15}"
export DATABASE_URL TEST_DATABASE_NAME REDIS_URL
exec .venv/bin/python -m pytest tests/notifications/test_reliability.py -q -s -p no:randomly "$@"
