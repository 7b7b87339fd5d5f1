"""Item 1: demo sign-in (anyone as anyone, e.g. as sector leadership) only when someone asks for
it. Neither `rutinportal serve` nor the ASGI application starts without an auth mode."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from rutinportal.testing.server import PortalProcess, free_port

pytestmark = pytest.mark.build

NO_AUTH = ("Ingen inloggningsmetod är vald, så portalen startar inte. Ange --auth dev "
           "(demoläge: vem som helst kan logga in som vem som helst, bara för test), --auth "
           "header (intranätets SSO-proxy) eller --auth oidc (t.ex. Entra ID), eller sätt "
           "RUTINPORTAL_AUTH till en av dem.")


def test_serve_refuses_to_start_without_an_auth_mode(example_repo) -> None:
    # Its own process: a server that did start would serve until the timeout ends it.
    environment = {k: v for k, v in os.environ.items() if k != "RUTINPORTAL_AUTH"}
    result = subprocess.run([sys.executable, "-c", "from rutinportal.cli import main; main()",
                             "serve", "--port", str(free_port())], env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr == f"Fel: {NO_AUTH}\n"
    assert not (example_repo / "site").exists()  # refused before building anything


def test_the_asgi_application_refuses_to_start_without_an_auth_mode(example, tmp_path) -> None:
    root, site = example
    url = f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    server = PortalProcess(root, site, url, tmp_path / "portal.log", auth=None)
    with pytest.raises(RuntimeError, match="the portal exited at start") as refused:
        server.start(timeout=60)
    assert NO_AUTH in str(refused.value)
    assert server.process.returncode == 1

