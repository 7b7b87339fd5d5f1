"""The history of a working copy that is not in any snapshot: returns for changes
(*återremiss*) and the retirement decision. Written by the CLI, never by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .schema import Date, Field, Integer, Invalid, Schema, Text, describe


class ReturnSchema(Schema):
    """One return for changes: a body sent the document back to its author."""

    date = Date("Dag då organet återremitterade dokumentet.", required=True)
    by = Text("Organet som återremitterade (namn ur decision_bodies).", required=True)
    version = Integer("Versionen som återremitterades.", minimum=1, required=True)
    comment = Text("Vad som ska ändras, med organets ord.", required=True)
    decision = Text("Beslutsreferens, t.ex. \"LG U&S 2026-03-02 § 5\".")
    submitted_on = Date("Dag då den återremitterade omgången skickades för beslut (så att "
                        "tiden till beslut kan räknas från första inlämningen).")


@dataclass(frozen=True)
class ReturnRecord:
    date: dt.date
    by: str
    version: int
    comment: str
    decision: str | None = None
    submitted_on: dt.date | None = None  # the submission this return answered


class Returns(Field):
    """A list of returns, oldest first."""

    expected = "en lista med återremisser (date, by, version, comment)"

    def clean(self, value: Any) -> tuple[ReturnRecord, ...]:
        if not isinstance(value, list):
            raise Invalid(self.expected, value)
        records = []
        for item in value:
            if not isinstance(item, dict):
                raise Invalid(self.expected, item)
            cleaned = {}
            for name, field in ReturnSchema.fields.items():
                if item.get(name) is None:
                    if field.required:
                        raise Invalid(self.expected, value, message=(
                            f"förväntade {self.expected}, men {name} saknas i en av dem"))
                    cleaned[name] = None
                    continue
                try:
                    cleaned[name] = field.clean(item[name])
                except Invalid as exc:
                    raise Invalid(self.expected, value, message=(
                        f"förväntade {exc.expected} i {name}, fick {describe(exc.got)}")) from None
            unknown = set(item) - set(ReturnSchema.fields)
            if unknown:
                raise Invalid(self.expected, value, message=(
                    f"förväntade {self.expected}, fick den okända nyckeln {sorted(unknown)[0]}"))
            records.append(ReturnRecord(**cleaned))
        return tuple(records)

    @staticmethod
    def plain(records: tuple[ReturnRecord, ...]) -> list[dict[str, Any]]:
        """As written to the front-matter."""
        return [{k: v for k, v in (("date", r.date), ("by", r.by), ("version", r.version),
                                   ("comment", r.comment), ("decision", r.decision),
                                   ("submitted_on", r.submitted_on))
                 if v is not None} for r in records]
