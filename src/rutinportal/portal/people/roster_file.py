"""The roster file: who works where, as exported from the HR system (CSV), read and checked.

The roster gives the portal its denominators: everybody who should read a routine, per unit
and role. `rutinportal roster import personal.csv` runs `roster.import_roster`, which reads
the file with `parse_roster`.

The file
--------
A CSV file as exported from an HR system and opened and saved in Swedish Excel:

- UTF-8, with or without byte order mark ("CSV UTF-8" in Excel writes one).
- Delimiter `;` (Swedish Excel) or `,`, detected from the header line.
- A header row (line 1) is required. Column names are case-insensitive, surrounding spaces
  are ignored, the order is free. Unknown columns are an error (a misspelt `chef_for` would
  otherwise be ignored silently).
- Empty lines, and lines with only delimiters, are skipped.

Columns:

=========  ==========  =================================================================
Column     Required    Content
=========  ==========  =================================================================
personid   yes         Unique per person: the HR number or the intranet user name, the
                       same value the SSO sends as the user's identity (`anna.lind`).
namn       yes         Full name as shown in the portal (`Anna Lind`).
epost      no          E-mail address, one `@`.
enheter    no          Unit ids from organisation.yml, several separated by `|`
                       (`hemtjanst|larm`).
roller     no          Role ids from organisation.yml, `|`-separated (`chefer|disk`).
                       `alla` is implicit for everybody and may be omitted.
chef_for   no          Unit ids this person manages, `|`-separated (`hemtjanst`).
befattning no          Job title as HR writes it (`Verksamhetschef hemtjänst`): a
                       document whose `owner` is this title reaches this person
                       (review reminders). The column itself may be left out.
=========  ==========  =================================================================

Example (Swedish Excel)::

    personid;namn;epost;enheter;roller;chef_for;befattning
    anna.lind;Anna Lind;anna.lind@example.org;hemtjanst;;;Undersköterska
    per.holm;Per Holm;per.holm@example.org;hemtjanst;chefer;hemtjanst;Verksamhetschef hemtjänst

Validation collects every problem in the file (line and column, Swedish message) before
anything is written; one problem and nothing is imported.

"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from pathlib import Path

from ...content.organisation import EVERYBODY, Organisation
from ...content.problems import Problem, display_path

COLUMNS = ("personid", "namn", "epost", "enheter", "roller", "chef_for", "befattning")
REQUIRED = ("personid", "namn")
SEPARATOR = "|"

# The column sizes in storage/models.py: longer values are reported, not truncated.
MAX_PERSON_ID = 64
MAX_NAME = 200
MAX_EMAIL = 320
MAX_TITLE = 200


@dataclass(frozen=True)
class RosterRow:
    """One valid line of the roster."""

    line: int
    person_id: str
    name: str
    email: str | None
    units: tuple[str, ...]
    roles: tuple[str, ...]  # always includes `alla`
    manages: tuple[str, ...]
    title: str | None = None  # befattning, spaces normalised

    def memberships(self) -> set[tuple[str, str]]:
        """(kind, audience id) pairs, as stored in `memberships`."""
        return ({("unit", u) for u in self.units} | {("role", r) for r in self.roles}
                | {("manages", u) for u in self.manages})


def _quoted(value: str) -> str:
    return f"'{value}'" if value else "en tom cell"


def _hint(value: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(value.lower(), candidates, n=1)
    return f" (menade du {close[0]}?)" if close else ""


def _split_ids(cell: str) -> list[str]:
    seen: list[str] = []
    for item in (part.strip() for part in cell.split(SEPARATOR)):
        if item and item not in seen:  # "a|" and "a|a" are harmless
            seen.append(item)
    return seen


class _Checker:
    """Validates the cells of one file, collecting problems."""

    def __init__(self, shown: str, organisation: Organisation):
        self.shown = shown
        self.units = [u.id for u in organisation.units]
        self.roles = [r.id for r in organisation.roles]
        self.problems: list[Problem] = []

    def problem(self, line: int | None, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.shown, line, key, message))

    def person_id(self, line: int, value: str) -> str | None:
        if not value:
            self.problem(line, "personid", "förväntade ett personid, fick en tom cell")
        elif any(c.isspace() for c in value) or len(value) > MAX_PERSON_ID:
            self.problem(line, "personid",
                         f"förväntade ett personid utan mellanslag, högst {MAX_PERSON_ID} "
                         f"tecken, fick {_quoted(value)}")
        else:
            return value
        return None

    def name(self, line: int, value: str) -> str | None:
        value = " ".join(value.split())
        if not value:
            self.problem(line, "namn", "förväntade personens namn, fick en tom cell")
        elif len(value) > MAX_NAME:
            self.problem(line, "namn", f"förväntade ett namn på högst {MAX_NAME} tecken, "
                                       f"fick {len(value)} tecken")
        else:
            return value
        return None

    def title(self, line: int, value: str) -> str | None:
        """The job title, inner spaces normalised (compared with documents' `owner`)."""
        value = " ".join(value.split())
        if len(value) <= MAX_TITLE:
            return value or None
        self.problem(line, "befattning", f"förväntade en befattning på högst {MAX_TITLE} "
                                         f"tecken, fick {len(value)} tecken")
        return None

    def email(self, line: int, value: str) -> str | None:
        if not value:
            return None
        local, _, domain = value.partition("@")
        if (value.count("@") != 1 or not local or not domain
                or any(c.isspace() for c in value) or len(value) > MAX_EMAIL):
            self.problem(line, "epost", f"förväntade en e-postadress med ett @, fick "
                                        f"{_quoted(value)}")
            return None
        return value

    def ids(self, line: int, key: str, cell: str, kind: str) -> tuple[str, ...] | None:
        """Unit ids (kind "unit") or role ids (kind "role") separated by `|`."""
        wanted, other = (self.units, self.roles) if kind == "unit" else (self.roles, self.units)
        expected = "enhets-id" if kind == "unit" else "roll-id"
        ok = True
        for item in _split_ids(cell):
            if item in wanted:
                continue
            ok = False
            if item in other:
                where = ("en roll (ange den i kolumnen roller)" if kind == "unit"
                         else "en enhet (ange den i kolumnen enheter)")
                detail = f", som är {where}"
            else:
                detail = _hint(item, wanted)
            self.problem(line, key, f"förväntade {expected} ur organisation.yml, "
                                    f"fick '{item}'{detail}")
        return tuple(sorted(_split_ids(cell))) if ok else None


def _read_text(path: Path, checker: _Checker) -> str | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        checker.problem(None, None, "filen finns inte")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        checker.problem(line, None, "förväntade text i UTF-8, fick andra tecken (spara filen "
                                    "som \"CSV UTF-8\" i Excel)")
        return None


def _delimiter(header_line: str) -> str:
    return "," if header_line.count(",") > header_line.count(";") else ";"


def _header(cells: list[str], checker: _Checker) -> dict[int, str]:
    """Column index → column name, for the known columns; problems for the rest."""
    columns: dict[int, str] = {}
    first: dict[str, int] = {}
    for index, raw in enumerate(cells):
        name = raw.strip().lower()
        if not name:
            continue  # an empty heading; checked per line: its cells must be empty too
        if name not in COLUMNS:
            checker.problem(1, raw.strip(), f"förväntade en av kolumnerna {', '.join(COLUMNS)}, "
                                            f"fick '{raw.strip()}'{_hint(name, list(COLUMNS))}")
        elif name in first:
            checker.problem(1, name, f"förväntade kolumnen en gång, fick den också i kolumn "
                                     f"{index + 1} (först i kolumn {first[name] + 1})")
        else:
            first[name] = index
            columns[index] = name
    found = [c.strip() for c in cells if c.strip()]
    for name in REQUIRED:
        if name not in first:
            checker.problem(1, name, f"förväntade kolumnen {name} i rubrikraden, fick "
                                     f"{', '.join(found) if found else 'en tom rad'}")
    return columns


def parse_roster(path: Path, organisation: Organisation
                 ) -> tuple[list[RosterRow], list[Problem]]:
    """Read and validate a roster file: the valid rows and every problem found.

    The rows are meaningful only when there are no problems.
    """
    path = Path(path)
    checker = _Checker(display_path(path), organisation)
    text = _read_text(path, checker)
    if text is None:
        return [], checker.problems
    header_line = text.splitlines()[0] if text.strip() else ""
    if not header_line.strip():
        checker.problem(1, None, f"förväntade en rubrikrad med kolumnerna {', '.join(COLUMNS)}, "
                                 "fick " + ("en tom fil" if not text.strip() else "en tom rad"))
        return [], checker.problems

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        header = next(reader)
    except csv.Error as exc:
        checker.problem(1, None, f"förväntade en rubrikrad i CSV-format, fick ett fel: {exc}")
        return [], checker.problems
    columns = _header(header, checker)

    rows: list[RosterRow] = []
    first_line: dict[str, tuple[int, str]] = {}  # casefolded personid → (line, as written)
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            checker.problem(line, None, f"förväntade en rad i CSV-format, fick ett fel: {exc}")
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            checker.problem(start, None, f"förväntade {len(header)} fält som rubrikraden, fick "
                                         f"{len(cells)} (saknas citattecken runt ett fält "
                                         f"med {reader.dialect.delimiter}?)")
            continue
        for index, cell in enumerate(cells):
            if index not in columns and cell.strip() and not header[index].strip():
                checker.problem(start, None, f"förväntade en tom cell i kolumn {index + 1} som "
                                             f"saknar rubrik, fick {_quoted(cell.strip())}")
        values = {name: cells[index].strip() for index, name in columns.items()}
        row = _row(start, values, checker, first_line)
        if row is not None:
            rows.append(row)
    return rows, checker.problems


def _row(line: int, values: dict[str, str], checker: _Checker,
         first_line: dict[str, tuple[int, str]]) -> RosterRow | None:
    person_id = checker.person_id(line, values["personid"]) if "personid" in values else None
    if person_id is not None:
        folded = person_id.casefold()
        if folded in first_line:
            earlier, _ = first_line[folded]
            checker.problem(line, "personid", f"förväntade ett unikt personid, fick "
                                              f"'{person_id}' som också finns på rad {earlier}")
            person_id = None
        else:
            first_line[folded] = (line, person_id)
    name = checker.name(line, values["namn"]) if "namn" in values else None
    email = checker.email(line, values.get("epost", ""))
    units = checker.ids(line, "enheter", values.get("enheter", ""), "unit")
    roles = checker.ids(line, "roller", values.get("roller", ""), "role")
    manages = checker.ids(line, "chef_for", values.get("chef_for", ""), "unit")
    title = checker.title(line, values.get("befattning", ""))
    if (person_id is None or name is None or units is None or roles is None
            or manages is None or (values.get("epost") and email is None)
            or (values.get("befattning") and title is None)):
        return None
    return RosterRow(line, person_id, name, email, units,
                     tuple(sorted({*roles, EVERYBODY})), manages, title)
