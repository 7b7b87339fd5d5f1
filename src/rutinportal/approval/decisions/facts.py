"""The facts about a document that a new version changes (owner, audience, mandatory …), in
Swedish words, for the decision pack: the redline shows the text, this shows the rest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...content.documents import Content
from ...content.hashing import BODY, QUIZ_FILE
from ...content.organisation import Organisation
from ...content.snapshots import Snapshot, changed_since

# The keys a decision-maker weighs, in the order shown, with their Swedish names. Left out:
# the version (always changes), the change note (shown on its own) and material_change (it
# describes the change itself, shown as "Ändring i sak").
LABELS = {
    "title": "Titel",
    "owner": "Informationsägare",
    "audience": "Målgrupp",
    "mandatory": "Obligatorisk",
    "decided_by": "Beslutande organ",
    "review_months": "Översyn (månader)",
    "due_days": "Kvitteras inom (dagar)",
    "renew_months": "Kvittensen gäller (månader)",
    "quiz": "Kunskapstest",
    QUIZ_FILE: "Kunskapstestets frågor",
    "related": "Relaterade dokument",
    "tags": "Ämnesord",
    "order": "Plats i kursen",
    "minutes": "Lästid (minuter)",
}


@dataclass(frozen=True)
class FactChange:
    label: str
    before: str
    after: str


def _shown(organisation: Organisation, key: str, value: Any) -> str:
    if value in (None, (), [], ""):
        return "–"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if key == "audience":
        return ", ".join(organisation.name(a) for a in value)
    if key == "decided_by":
        body = organisation.body(value)
        return body.name if body else str(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(map(str, value))
    return str(value)


def changed_facts(organisation: Organisation, approved: Snapshot, content: Content, body: str,
                  quiz_text: str | None) -> tuple[FactChange, ...]:
    """What changes against the approved version, besides the text and the version."""
    changed = set(changed_since(approved, content, body, quiz_text)) - {BODY}
    facts = []
    for key, label in LABELS.items():
        if key not in changed:
            continue
        if key == QUIZ_FILE:
            facts.append(FactChange(label, "som godkänt", "ändrade"))
            continue
        facts.append(FactChange(label, _shown(organisation, key, getattr(approved.content, key)),
                                _shown(organisation, key, getattr(content, key))))
    return tuple(facts)
