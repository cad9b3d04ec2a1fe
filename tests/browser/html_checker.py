"""The Nu HTML Checker (vnu.jar, from the npm registry's `vnu-jar`, run on the machine's Java).

One checker process serves the whole test run over loopback HTTP, so each page costs a POST,
not a JVM start. `make vnu` fetches the jar into var/vnu/ (`make test` does it when it can).
"""

import atexit
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

JAR = Path(
    os.environ.get(
        "CIRCLE_VNU_JAR", Path(__file__).resolve().parents[2] / "var" / "vnu" / "vnu.jar"
    )
)


def unavailable_reason() -> str:
    """Why the checker cannot run here, or "" when it can."""
    if not shutil.which("java"):
        return "no java on PATH (apt-get install default-jre-headless)"
    if not JAR.exists():
        return f"no {JAR} (make vnu)"
    return ""


class _Checker:
    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            [
                "java",
                "-Xss1m",
                "-cp",
                str(JAR),
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        atexit.register(self.process.terminate)
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("the Nu HTML Checker did not start")

    def errors(self, html: str) -> list[str]:
        request = urllib.request.Request(  # noqa: S310 - loopback http to our own checker
            f"http://127.0.0.1:{self.port}/?out=json",
            data=html.encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            messages = json.load(response)["messages"]
        return [
            f"line {m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()[:120]}]"
            for m in messages
            if m["type"] == "error" or m.get("subType") == "fatal"
        ]


_checker: _Checker | None = None


def html_errors(html: str) -> list[str]:
    """Errors (not warnings) the Nu HTML Checker finds in one document."""
    global _checker  # noqa: PLW0603 - one checker process per test run
    if _checker is None:
        _checker = _Checker()
    return _checker.errors(html)
