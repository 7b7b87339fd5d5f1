"""Helpers for the notify tests (the SMTP server is the portal tests' `smtp_server` fixture)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rutinportal.content.organisation import load_organisation
from rutinportal.portal.people.roster import import_roster
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.migrate import upgrade


def import_on(root: Path, url: str, path: Path, day: dt.date) -> None:
    engine = make_engine(url)
    upgrade(engine)
    organisation, _ = load_organisation(root)
    with session_factory(engine)() as session:
        import_roster(session, path, organisation, today=day)
    engine.dispose()
