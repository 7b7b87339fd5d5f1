"""How many people must acknowledge a document: the active people of the roster whom its
audience reaches (`organisation.reaches`, the rule every other count uses).

`audience_counts` counts in an open session (the portal); `roster_counts` opens the database
only to read, for the CLI's decision pack, and says why when there is nothing to count from:
a pack must not fail because the portal has no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from ...content.documents import WorkingCopy
from ..campaigns.current import current_people
from ..storage.db import masked, normalise_url
from ..storage.models import Membership, Person

CONNECT_SECONDS = 5  # a database that does not answer must not hold up a decision pack


def audience_counts(session: Session, docs: Iterable[WorkingCopy]) -> dict[str, int] | None:
    """Document id → active people its audience reaches (`People.reached_by`, which is
    `organisation.reaches` for everybody at once); None when the roster is empty."""
    people = current_people(session)
    if not people.by_pk:
        return None
    return {doc.id: len(people.reached_by(doc.content.audience)) for doc in docs}


@dataclass(frozen=True)
class RosterCounts:
    counts: dict[str, int] | None
    missing: str | None = None     # why there are no counts: a Swedish sentence


def _shown_file(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def roster_counts(url: str, docs: list[WorkingCopy]) -> RosterCounts:
    """The counts from the roster in the database at `url`, read only (nothing is created
    or migrated); when there is none, why not."""
    parsed = make_url(normalise_url(url))
    shown = masked(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:" \
                or not Path(parsed.database).is_file():
            return RosterCounts(None, f"Databasen {_shown_file(Path(parsed.database or ''))} "
                                      "finns inte: importera personallistan med rutinportal roster "
                                      "import.")
        engine = create_engine(parsed, poolclass=NullPool)
    else:
        engine = create_engine(parsed, poolclass=NullPool,
                               connect_args={"connect_timeout": CONNECT_SECONDS})
    try:
        tables = set(inspect(engine).get_table_names())
        if not {Person.__tablename__, Membership.__tablename__} <= tables:
            return RosterCounts(None, f"Databasen {shown} har ingen personallista: "
                                      "importera den med rutinportal roster import.")
        with Session(engine) as session:
            counts = audience_counts(session, docs)
        if counts is None:
            return RosterCounts(None, f"Personallistan i {shown} har inga aktiva "
                                      "medarbetare.")
        return RosterCounts(counts)
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
        return RosterCounts(None, f"Databasen {shown} kunde inte läsas ({reason}).")
    finally:
        engine.dispose()
