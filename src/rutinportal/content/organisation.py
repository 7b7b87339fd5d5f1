"""The sector's units, roles and courses, read from `organisation.yml` and `courses.yml`.

Units and roles together are the audiences a document can be written for. They are defined
only here; every audience id anywhere else is validated against this list. The audience rule
(`reaches`) lives here too: everybody is in `alla`, then in their units and roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, display_path
from .schema import Pattern, Schema, Text
from .yamlsource import YamlSyntaxError, load_yaml

ID_PATTERN = r"[a-z][a-z0-9-]*"
EVERYBODY = "alla"


def person_audiences(units: Iterable[str], roles: Iterable[str]) -> frozenset[str]:
    """The audiences a person belongs to: `alla`, their units and their roles."""
    return frozenset({EVERYBODY, *units, *roles})


def reaches(document_audience: Iterable[str], audiences: Iterable[str]) -> bool:
    """Whether a document written for `document_audience` applies to a person with
    `audiences` (see `person_audiences`): `alla` reaches everybody."""
    wanted = set(document_audience)
    return EVERYBODY in wanted or not wanted.isdisjoint(audiences)


class AudienceSchema(Schema):
    id = Pattern("Id som dokument och personallista använder, t.ex. hemtjanst.",
                 ID_PATTERN, "ett id med små bokstäver a–z, siffror och bindestreck",
                 required=True)
    name = Text("Namnet som visas för användarna, på svenska.", required=True)


class CourseSchema(Schema):
    id = Pattern("Kursens mapp under docs/utbildning/.", ID_PATTERN,
                 "ett id med små bokstäver a–z, siffror och bindestreck", required=True)
    title = Text("Kursens titel.", required=True)
    description = Text("En mening om kursen, visas på översiktssidan.")


@dataclass(frozen=True)
class Audience:
    id: str
    name: str
    kind: str  # "unit" or "role"


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    description: str | None


@dataclass
class Organisation:
    units: list[Audience]
    roles: list[Audience]

    @property
    def audiences(self) -> dict[str, Audience]:
        return {a.id: a for a in [*self.units, *self.roles]}

    def name(self, audience_id: str) -> str:
        audience = self.audiences.get(audience_id)
        return audience.name if audience else audience_id


def _load_list(path: Path, root: Path, key: str, schema: type[Schema]
               ) -> tuple[list[dict], list[Problem]]:
    shown = display_path(path, root)
    if not path.exists():
        return [], [Problem(shown, None, None, "filen saknas")]
    try:
        source = load_yaml(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        return [], [Problem(shown, exc.line, None, exc.detail)]
    except UnicodeDecodeError:
        return [], [Problem(shown, None, None, "filen är inte UTF-8-kodad")]
    data = source.data if isinstance(source.data, dict) else {}
    items = data.get(key)
    if not isinstance(items, list):
        return [], [Problem(shown, source.line(key), key,
                            "förväntade en lista, fick " + ("inget värde" if items is None
                                                            else type(items).__name__))]
    cleaned, problems, seen = [], [], set()
    for index, item in enumerate(items):
        values, item_problems = schema.validate(source, shown, (key, index), data=item)
        problems += item_problems
        if item_problems:
            continue
        if values["id"] in seen:
            problems.append(Problem(shown, source.line(key, index, "id"), f"{key}.{index}.id",
                                    f"id '{values['id']}' finns redan, förväntade ett unikt id"))
            continue
        seen.add(values["id"])
        cleaned.append(values)
    return cleaned, problems


def load_organisation(root: Path) -> tuple[Organisation, list[Problem]]:
    path = root / "organisation.yml"
    units, problems = _load_list(path, root, "units", AudienceSchema)
    if not path.exists():
        return Organisation([], []), problems
    roles, role_problems = _load_list(path, root, "roles", AudienceSchema)
    problems += [p for p in role_problems if p not in problems]
    unit_ids = {u["id"] for u in units}
    for role in roles:
        if role["id"] in unit_ids:
            problems.append(Problem(display_path(path, root), None, "roles",
                                    f"id '{role['id']}' används redan av en enhet"))
    organisation = Organisation(
        units=[Audience(u["id"], u["name"], "unit") for u in units],
        roles=[Audience(r["id"], r["name"], "role") for r in roles],
    )
    return organisation, problems


def load_courses(root: Path) -> tuple[list[Course], list[Problem]]:
    path = root / "courses.yml"
    if not path.exists():
        return [], []
    items, problems = _load_list(path, root, "courses", CourseSchema)
    return [Course(i["id"], i["title"], i.get("description")) for i in items], problems
