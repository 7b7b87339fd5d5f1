"""The decision pack as HTML: a whole document for the CLI, the PDF and the download, and one
document's section for the portal's Beslut page.

Jinja2 with autoescape over `approval/templates/`; the redline is drawn by the macros the
site's "Vad har ändrats?" pages use. Print CSS (A4, page numbers) is part of the document.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ...content.documents import Kind
from ..redline_layout import layout
from .pack import DecisionPack, PackDocument
from .preview import text_html

NO_ROSTER = "okänt (ingen personallista)"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader("rutinportal.approval", "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)


def _render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} personer"


def must_acknowledge(item: PackDocument, roster: bool) -> str:
    """How many people must acknowledge (or, for training, complete) the version."""
    content = item.doc.content
    if not content.mandatory:
        return "ingen (inte obligatorisk)"
    if not item.new and not content.material_change:
        return "ingen ny kvittens (inte ändring i sak)"
    if item.audience_count is None:
        return NO_ROSTER if not roster else "okänt"
    shown = people(item.audience_count)
    return f"{shown} (ska genomföra)" if item.doc.kind is Kind.TRAINING else shown


def change_kind(item: PackDocument) -> str:
    if item.new:
        return "Nytt dokument"
    return "Ja" if item.doc.content.material_change else "Nej"


def audience_names(pack: DecisionPack, item: PackDocument) -> str:
    return ", ".join(pack.organisation.name(a) for a in item.doc.content.audience)


def _context(pack: DecisionPack) -> dict[str, Any]:
    return {"pack": pack, "must_acknowledge": must_acknowledge, "change_kind": change_kind,
            "audience_names": audience_names, "layout": layout, "text_html": text_html,
            "Kind": Kind}


def title(pack: DecisionPack) -> str:
    return f"Beslutsunderlag {pack.today.isoformat()} – {pack.body.name}"


def pack_html(pack: DecisionPack) -> str:
    """The whole pack: a standalone HTML document (lang="sv", print CSS for A4)."""
    return _render("decision_pack.html.j2", title=title(pack), **_context(pack))


def document_html(pack: DecisionPack, item: PackDocument, level: int = 2,
                  preview: bool = False) -> Markup:
    """One document's section: its title is a heading of `level`; `preview` adds the whole
    proposed text as it will read (a revised document; a new one is shown in full anyway)."""
    return Markup(_render("decision_document.html.j2", item=item, level=level,
                          preview=preview, **_context(pack)))
