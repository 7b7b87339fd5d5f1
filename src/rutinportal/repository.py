"""Where the repository is: the folder with `mkdocs.yml` and `organisation.yml`."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UserError


def find_root(start: Path | None = None) -> Path:
    """`RUTINPORTAL_ROOT`, or the nearest folder upwards with mkdocs.yml and organisation.yml."""
    env = os.environ.get("RUTINPORTAL_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").exists() and (folder / "organisation.yml").exists():
            return folder
    raise UserError("Hittar ingen Rutinportal här: kör kommandot i mappen där mkdocs.yml och "
                    "organisation.yml finns (eller sätt RUTINPORTAL_ROOT).")
