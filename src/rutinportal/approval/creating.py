"""A new draft from the template: `rutinportal new routine|training|lesson "Titel"`."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..content.catalogue import Catalogue
from ..content.documents import Kind
from ..content.organisation import EVERYBODY
from ..content.readiness import PLACEHOLDER_OWNER
from ..errors import UserError
from .frontmatter_edit import format_value
from .writing import atomic_write


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "dokument"


NEW_BODY = {
    Kind.ROUTINE: "## Syfte\n\n## Gäller för\n\n## Så här gör du\n\n1. \n\n"
               "## Om något går fel\n\n## Bakgrund\n",
    Kind.TRAINING: "## Det här lär du dig\n\n## Innehåll\n\n## Sammanfattning\n",
    Kind.LESSON: "## Vad hände\n\n## Varför det spelar roll\n\n## Vad vi har ändrat\n\n"
              "## Vad du kan göra\n",
}


def new(catalogue: Catalogue, kind_name: str, title: str, course: str | None = None) -> Path:
    """Create a draft with the next free id; refuse to overwrite anything."""
    kind = Kind(kind_name)
    if not title.strip():
        raise UserError("Titeln får inte vara tom.")
    used = [int(i.split("-")[1]) for i in [*catalogue.documents, *catalogue.snapshots]
            if i.startswith(kind.prefix + "-")]
    next_id = f"{kind.prefix}-{max(used, default=0) + 1:03d}"
    folder = catalogue.root / kind.folder
    extra = ""
    audience: tuple[str, ...] = (EVERYBODY,)
    if kind is Kind.TRAINING:
        courses = {c.id: c for c in catalogue.courses}
        if course not in courses:
            raise UserError("Ange kursen med --course, en av: " + ", ".join(courses))
        audience = courses[course].audience
        folder = folder / course
        order = 1 + sum(1 for d in catalogue.documents.values()
                        if d.kind is Kind.TRAINING and d.path.parent == folder)
        extra = f"order: {order}\nminutes: 5\n"
    elif course is not None:
        raise UserError("--course gäller bara utbildningsmoduler (new training).")
    path = folder / f"{slugify(title)}.md"
    if path.exists():
        raise UserError(f"{path.relative_to(catalogue.root)} finns redan; välj en annan titel")
    text = (f"---\nid: {next_id}\ntitle: {format_value(title)}\n"
            f"owner: \"{PLACEHOLDER_OWNER}\"\nstatus: draft\n"
            f"audience: {format_value(list(audience))}\n"
            f"version: 1\nmandatory: false\n{extra}---\n\n{NEW_BODY[kind]}")
    atomic_write(path, text)
    return path
