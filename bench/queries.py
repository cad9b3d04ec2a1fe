"""Queries per page in one clinic (the database DATABASE_URL names); prints one JSON line.
Run by bench/run.py once for the demo clinic and once for the large one."""

import json
import os
import sys

import django

django.setup()

from bench.parts import _count_queries_here  # noqa: E402 - needs django.setup() first

if __name__ == "__main__":
    if sys.argv[1] == "demo":
        from django.core.management import call_command

        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: PTH123, SIM115
    print(json.dumps(_count_queries_here(sys.argv[1])))  # noqa: T201
