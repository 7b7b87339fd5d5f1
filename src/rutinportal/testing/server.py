"""One launcher for a real portal process, shared by the tests and the benchmarks.

`PortalProcess` runs `python -m uvicorn rutinportal.portal.wsgi:app` on a free port of
127.0.0.1, configured only through `RUTINPORTAL_*` (as operations would run it), and waits
until `/api/health` answers. Loopback only; the caller stops what it starts.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    """A TCP port that was free a moment ago (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class PortalProcess:
    """A portal in its own process. `auth="header"` trusts the SSO header from 127.0.0.1;
    `auth=None` sets no auth mode at all (the portal must refuse to start)."""

    def __init__(self, root: Path, site: Path, database: str, log: Path, *,
                 auth: str | None = "header", secret_key: str = "test-secret",
                 env: Mapping[str, str] | None = None, workers: int = 1):
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.database = database
        self.log = log
        inherited = {k: v for k, v in os.environ.items() if k != "RUTINPORTAL_AUTH"}
        self.env = {**inherited, "RUTINPORTAL_ROOT": str(root),
                    "RUTINPORTAL_SITE_DIR": str(site), "RUTINPORTAL_DATABASE": database,
                    "RUTINPORTAL_SECRET_KEY": secret_key}
        if auth is not None:
            self.env["RUTINPORTAL_AUTH"] = auth
        if auth == "header":
            self.env["RUTINPORTAL_TRUSTED_PROXIES"] = f"{HOST}/32"
        self.env.update(env or {})
        self.command = [sys.executable, "-m", "uvicorn", "rutinportal.portal.wsgi:app",
                        "--host", HOST, "--port", str(self.port), "--log-level", "warning"]
        if workers > 1:
            self.command += ["--workers", str(workers)]
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> PortalProcess:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            # Standard output too: the access log, one line per request, is written there.
            self.process = subprocess.Popen(self.command, env=self.env, stdout=log,
                                            stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the portal exited at start:\n"
                                   + self.log.read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(self.base + "/api/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)  # polling for readiness, not waiting for timing
        self.stop()
        raise RuntimeError(f"the portal did not answer within {timeout:.0f} s")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush (the durability tests)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> PortalProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
