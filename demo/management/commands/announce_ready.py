"""Under `make run`: say where Circle is only once its web server answers, then wait.

Honcho stops every process when one exits, so this one stays until Ctrl+C.
"""

import signal
import time
import urllib.request

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Wait until the web server answers, print its address, then wait for Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--timeout", type=float, default=120.0)

    def handle(self, *args, port: int, timeout: float, **options):
        address = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + timeout
        while not self._answers(address + "accounts/login/"):
            if time.monotonic() > deadline:
                self.stderr.write(f"The web server did not answer at {address} in {timeout:.0f} s.")
                break
            time.sleep(0.5)
        else:
            self.stdout.write(
                f"\n  Circle is ready at {address}  (demo accounts above; "
                "Ctrl+C stops web, worker and beat)\n"
            )
        self.stdout.flush()  # honcho reads a pipe: without this the line waits in a buffer
        signal.pause()

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  # nosec B310  # our http://127.0.0.1 URL
                return response.status == 200
        except OSError:
            return False
