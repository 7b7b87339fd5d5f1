"""The sector's units, roles and courses, read from `organisation.yml` and `courses.yml`.

Units and roles together are the audiences a document can be written for. They are defined
only here; every audience id anywhere else is validated against this list. The audience rule
(`reaches`) lives here too: everybody is in `alla`, then in their units and roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem, display_path
from .schema import Integer, Pattern, Schema, Text, TextList
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
    audience = TextList("Målgrupp för kursens moduler (id ur organisation.yml); en ny modul "
                        "får den (standard alla).", item="målgrupps-id", allow_empty=False)


class DecisionBodySchema(Schema):
    id = Pattern("Id som decided_by och approve --by använder, t.ex. lg-us.", ID_PATTERN,
                 "ett id med små bokstäver a–z, siffror och bindestreck", required=True)
    name = Text("Organets namn, som det står i protokollen.", required=True)
    chair = Text("Vem som är ordförande, som roll (t.ex. \"Sektorchef\").")
    members = TextList("Roller (id ur roles) som ingår i organet.", item="roll-id",
                       default=list)


class DefaultsSchema(Schema):
    decided_by = Pattern("Organet som beslutar om ett dokument som inte anger decided_by.",
                         ID_PATTERN, "ett id ur decision_bodies")
    due_days = Integer("Dagar efter beslutet inom vilka målgruppen ska ha kvitterat eller "
                       "genomfört.", minimum=1, default=30)


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
    audience: tuple[str, ...] = (EVERYBODY,)


@dataclass(frozen=True)
class DecisionBody:
    """A body that decides documents (a leadership group, a steering group …)."""

    id: str
    name: str
    chair: str | None = None
    members: tuple[str, ...] = ()


@dataclass
class Organisation:
    units: list[Audience]
    roles: list[Audience]
    bodies: list[DecisionBody] = field(default_factory=list)
    default_body: str | None = None
    due_days: int = 30

    def body(self, text: str | None) -> DecisionBody | None:
        """The body named by id or by name (case and surrounding spaces ignored)."""
        wanted = (text or "").strip().casefold()
        return next((b for b in self.bodies
                     if wanted in (b.id.casefold(), b.name.casefold())), None)

    def body_of(self, decided_by: str | None) -> DecisionBody | None:
        """The body that decides a document: its `decided_by`, else the default."""
        return self.body(decided_by or self.default_body)

    @property
    def body_ids(self) -> str:
        return ", ".join(b.id for b in self.bodies) or "inga (lägg till decision_bodies)"

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
    bodies: list[dict] = []
    if "decision_bodies:" in path.read_text(encoding="utf-8"):
        bodies, body_problems = _load_list(path, root, "decision_bodies", DecisionBodySchema)
        problems += body_problems
    role_ids = {r["id"] for r in roles}
    shown = display_path(path, root)
    source = load_yaml(path.read_text(encoding="utf-8")) if not problems else None
    for index, body in enumerate(bodies):
        for member in body["members"]:
            if member not in role_ids:
                problems.append(Problem(shown, source.line("decision_bodies", index, "members")
                                        if source else None,
                                        f"decision_bodies.{index}.members",
                                        f"förväntade roll-id ur roles, fick '{member}'"))
    defaults: dict = {"decided_by": None, "due_days": 30}
    if source is not None and isinstance(source.data, dict) and "defaults" in source.data:
        defaults, default_problems = DefaultsSchema.validate(
            source, shown, ("defaults",), data=source.data["defaults"] or {})
        problems += default_problems
        if defaults.get("decided_by") and defaults["decided_by"] not in {b["id"] for b in bodies}:
            problems.append(Problem(shown, source.line("defaults", "decided_by"),
                                    "defaults.decided_by",
                                    "förväntade id för ett organ i decision_bodies "
                                    f"({', '.join(b['id'] for b in bodies)}), fick "
                                    f"'{defaults['decided_by']}'"))
    organisation = Organisation(
        units=[Audience(u["id"], u["name"], "unit") for u in units],
        roles=[Audience(r["id"], r["name"], "role") for r in roles],
        bodies=[DecisionBody(b["id"], b["name"], b.get("chair"), tuple(b["members"]))
                for b in bodies],
        default_body=defaults.get("decided_by"), due_days=defaults.get("due_days") or 30,
    )
    return organisation, problems


def load_courses(root: Path) -> tuple[list[Course], list[Problem]]:
    path = root / "courses.yml"
    if not path.exists():
        return [], []
    items, problems = _load_list(path, root, "courses", CourseSchema)
    return [Course(i["id"], i["title"], i.get("description"),
                   tuple(i.get("audience") or (EVERYBODY,))) for i in items], problems
