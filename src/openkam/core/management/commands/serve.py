"""`kam serve`: the web server and the job worker together, on an existing database."""

from __future__ import annotations

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from openkam.core.static_files import collect_if_changed

# How long a job the worker is running may take to finish after we ask it to stop.
WORKER_GRACE_SECONDS = 30


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Start the web server and the job worker (Ctrl+C stops both)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="web server only")

    def handle(self, *args, host: str, port: int, threads: int, no_worker: bool, **options):
        from waitress import serve

        call_command("migrate", interactive=False, verbosity=0)
        if settings.STATIC_COLLECTED:  # hashed, compressed copies (see settings.py)
            collect_if_changed()
        # Only now: WhiteNoise lists the collected files once, when the application is built.
        from openkam.wsgi import application

        # A service manager stops us with SIGTERM: unwind like Ctrl+C so the worker stops too.
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        worker = None if no_worker else self._start_worker()
        self.stdout.write(
            _("OpenKAM is running on http://%(host)s:%(port)s/ (Ctrl+C to stop)")
            % {"host": host, "port": port}
        )
        try:
            serve(application, host=host, port=port, threads=threads, _quiet=True)
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=WORKER_GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _start_worker(self) -> subprocess.Popen:
        # Its own session: Ctrl+C in the terminal reaches only us, and we stop the worker
        # with one SIGTERM (a second signal would make it abandon a running job).
        return subprocess.Popen(
            [sys.executable, "-m", "openkam.cli", "worker"], start_new_session=True
        )
