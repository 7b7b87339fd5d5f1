"""Export the evidence bundle: the registers, the approved texts, `LASMIG.txt`,
`SHA256SUMS`, `manifest.json` and its signature, written entry by entry into a ZIP; then the
export is recorded.

The ZIP goes to any binary file object: the CLI writes a hidden file and renames it when it is
complete, the portal a temporary file that it then streams. On PostgreSQL every register is
read in one REPEATABLE READ transaction, so the files show one moment of the database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from jinja2 import Environment, PackageLoader, StrictUndefined
from sqlalchemy.orm import Session

from ... import __version__
from ...approval.decision_times import decisions
from ...content.catalogue import Catalogue
from ...errors import UserError
from ..dashboard.exports import CSV_BOM, csv_lines
from ..published import Published
from ..campaigns.requirements import MANAGER_ROLES, NIS2_COURSE, STAFF_COURSE
from ..dashboard.training import course_training
from ..reporting.as_of import EVERY_UNIT, course_view, ledger_on, moment
from . import keys, log, registers
from .manifest import MANIFEST, README, SIGNATURE, Manifest, repository_commit
from .registers import Period
from .texts import text_files
from .zipwriter import HashingZip

SUMS = "SHA256SUMS"
LINES_PER_PART = 2000


@dataclass(frozen=True)
class ExportResult:
    export_id: str
    manifest_sha256: str
    files: int
    acknowledgements: int
    period: Period
    fingerprint: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Plain text, not HTML: nothing here is interpreted by a browser.
    return Environment(loader=PackageLoader("rutinportal.portal.evidence", "templates"),
                       autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)


def _csv_parts(columns: Sequence[str], rows: Iterable[Sequence[Any]], counter: list[int],
               as_text: bool) -> Iterator[bytes]:
    """The CSV file in parts of a few thousand lines; `counter[0]` counts the rows."""
    yield (CSV_BOM + csv_lines([columns])).encode("utf-8")
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        counter[0] += 1
        if len(batch) == LINES_PER_PART:
            yield csv_lines(batch, as_text).encode("utf-8")
            batch = []
    if batch:
        yield csv_lines(batch, as_text).encode("utf-8")


def _write_csv(bundle: HashingZip, path: str, columns: Sequence[str],
               rows: Iterable[Sequence[Any]], as_text: bool = False) -> int:
    counter = [0]
    bundle.write_parts(path, _csv_parts(columns, rows, counter, as_text))
    return counter[0]


def _consistent(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _moment_text(moment: dt.datetime | None) -> str:
    if moment is None:
        return "aldrig (ingen personallista är importerad)"
    local = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return local.astimezone().strftime("%Y-%m-%d %H:%M")


def export(session: Session, target: BinaryIO, *, root: Path, published: Published,
           catalogue: Catalogue, period: Period, by: str, via: str, today: dt.date,
           file_name: str = "bevispaket.zip") -> ExportResult:
    """Write the bundle to `target` and record the export; the bundle's id and hashes."""
    key = keys.signing_key(root)
    fingerprint = keys.fingerprint(key.public_key())
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    export_id = uuid.uuid4().hex
    _consistent(session)
    then = moment(session, published, catalogue, period.end, today)
    organisation = published.organisation
    bundle = HashingZip(target, now)
    found = decisions(catalogue)
    counts = {"decisions": _write_csv(bundle, "beslut.csv", registers.DECISION_COLUMNS,
                                      registers.decision_rows(found))}
    titles = {d.id: d.title for d in found} | {d.id: d.title for d in published.documents.values()}
    counts["acknowledgements"] = _write_csv(
        bundle, "kvittenser.csv", registers.ACK_COLUMNS,
        registers.acknowledgement_rows(session, period, titles, organisation), as_text=True)
    for path, course, roles, what in (
            ("ledningsutbildning.csv", NIS2_COURSE, MANAGER_ROLES, "managers"),
            ("grundutbildning.csv", STAFF_COURSE, None, "staff")):
        view = course_view(then.published, course)
        ledger = ledger_on(session, view, then.day, today, then.ledger.people)
        training = course_training(ledger, view, EVERY_UNIT, course, roles, include_away=True)
        _write_csv(bundle, path, registers.COURSE_COLUMNS, registers.course_rows(
            session, ledger, then.published, training, then.day))
        counts[what] = len(training.managers)
    counts["people"] = _write_csv(bundle, "personal.csv", registers.ROSTER_COLUMNS,
                                  registers.roster_rows(session, organisation))
    for path, data in text_files(catalogue):
        bundle.write(path, data)
    commit = repository_commit(root)
    roster_imported = registers.last_import(session)
    readme = _environment().get_template("LASMIG.txt.j2").render(
        created=_moment_text(now), exported_by=by, period=period.text(),
        period_end=then.day.isoformat(), export_id=export_id,
        software=f"rutinportal {__version__}", commit=commit,
        fingerprint=keys.short(fingerprint), counts=counts,
        roster_imported=_moment_text(roster_imported), file_name=file_name)
    bundle.write(README, readme.encode("utf-8"))
    sums = "".join(f"{e.sha256}  {e.path}\n" for e in bundle.entries)
    bundle.write(SUMS, sums.encode("utf-8"))
    manifest = Manifest(export_id, now.isoformat(),
                        period.start.isoformat() if period.start else None,
                        period.end.isoformat(), by, commit,
                        None if roster_imported is None
                        else _moment_text(roster_imported), fingerprint,
                        tuple(bundle.entries)).dumps()
    manifest_entry = bundle.write(MANIFEST, manifest)
    bundle.write(SIGNATURE, key.sign(manifest))
    bundle.close()
    log.record(session, export_id=export_id, kind=log.BUNDLE, by=by, via=via,
               period_from=period.start, period_to=period.end,
               sha256=manifest_entry.sha256, acknowledgements=counts["acknowledgements"])
    return ExportResult(export_id, manifest_entry.sha256, len(bundle.entries),
                        counts["acknowledgements"], period, fingerprint)


def check_period(start: dt.date | None, end: dt.date | None, today: dt.date,
                 names: tuple[str, str] = ("--from", "--to")) -> Period:
    """The period asked for, or a Swedish error naming the option (or form field)."""
    end = end or today
    if end > today:
        raise UserError(f"{names[1]}: förväntade ett datum senast i dag ({today.isoformat()}), "
                        f"fick {end.isoformat()}. Ingenting har exporterats.", 422)
    if start is not None and start > end:
        raise UserError(f"{names[0]}: förväntade ett datum till och med {names[1]} "
                        f"({end.isoformat()}), fick {start.isoformat()}. Ingenting har "
                        "exporterats.", 422)
    return Period(start, end)
