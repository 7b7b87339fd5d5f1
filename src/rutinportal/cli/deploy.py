"""The operator's commands for the deployment kit (deploy/): what nginx needs from a build."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..repository import find_root
from .common import main, user_errors


@main.group()
def deploy() -> None:
    """Driftsättning bakom nginx (se deploy/ och README, avsnittet Deployment)."""


@deploy.command("nginx-csp")
@click.option("--out", "out", required=True, metavar="FIL", type=click.Path(path_type=Path),
              help="Filen som nginx läser in (t.ex. /var/lib/rutinportal/nginx-csp.conf).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), metavar="MAPP",
              help="Den byggda webbplatsen (standard: RUTINPORTAL_SITE_DIR, annars site).")
@user_errors
def nginx_csp(out: Path, site_dir: Path | None) -> None:
    """Skriv byggets Content-Security-Policy för nginx (kör efter varje bygge, ladda sedan
    om nginx)."""
    from ..portal.operations.nginx import write_csp_map

    site = site_dir or Path(os.environ.get("RUTINPORTAL_SITE_DIR") or find_root() / "site")
    written = write_csp_map(site, out)
    scripts = f"{len(written.hashes)} skript"
    if written.changed:
        click.echo(f"{out}: Content-Security-Policy för bygget {written.build.name} "
                   f"({scripts} tillåtna genom sin hash). Ladda om nginx: "
                   "systemctl reload nginx")
    else:
        click.echo(f"{out} är redan aktuell för bygget {written.build.name} ({scripts} "
                   "tillåtna genom sin hash).")
