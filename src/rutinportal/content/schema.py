"""Schemas as classes: one typed, documented line per key, Swedish messages.

Modelled on MkDocs' config options: each field type normalises then checks a value and says
what it expected. `Schema.validate` never raises on bad input; it returns the cleaned values
and every `Problem` it found, each naming the file, the line, the key, what was expected and
what was received.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from .problems import Problem
from .yamlsource import KeyPath, Located


class Invalid(Exception):
    """Raised by a field when a value does not fit; carries the Swedish 'expected' phrase."""

    def __init__(self, expected: str, got: Any = None, *, message: str | None = None):
        self.expected = expected
        self.got = got
        self.message = message
        super().__init__(expected)


def describe(value: Any) -> str:
    """How a received value is named in a message (Swedish), with YAML 1.1 hints."""
    if value is None:
        return "inget värde"
    if isinstance(value, bool):
        word = "true" if value else "false"
        return (f"{word} (YAML läser no/yes/on/off som sant/falskt; "
                "sätt värdet inom citattecken)")
    if isinstance(value, (dt.date, dt.datetime)):
        return (f"datumet {value.isoformat()} (YAML läser datum utan citattecken som datum; "
                "sätt värdet inom citattecken)")
    if isinstance(value, (int, float)):
        return f"talet {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "…"
        return f"'{shown}'" if value else "en tom text"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "en tabell med nycklar"
    return type(value).__name__


class Field:
    """A key in a schema. `doc` says what the key means; `required` whether it must be there."""

    expected = "ett värde"
    _counter = itertools.count()

    def __init__(self, doc: str, *, required: bool = False, default: Any = None):
        self.order = next(Field._counter)  # declaration order, across mixed-in schemas
        self.doc = doc
        self.required = required
        self.default = default
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def clean(self, value: Any) -> Any:
        return value


class Text(Field):
    expected = "text"

    def clean(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise Invalid(self.expected, value)
        return value.strip()


class Pattern(Text):
    def __init__(self, doc: str, pattern: str, expected: str, **kw: Any):
        super().__init__(doc, **kw)
        self.regex = re.compile(pattern)
        self.expected = expected

    def clean(self, value: Any) -> str:
        if not isinstance(value, str) or not self.regex.fullmatch(value.strip()):
            raise Invalid(self.expected, value)
        return value.strip()


class Integer(Field):
    def __init__(self, doc: str, *, minimum: int | None = None, **kw: Any):
        super().__init__(doc, **kw)
        self.minimum = minimum
        self.expected = "ett heltal" if minimum is None else f"ett heltal från och med {minimum}"

    def clean(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(self.expected, value)
        if self.minimum is not None and value < self.minimum:
            raise Invalid(self.expected, value)
        return value


class Number(Field):
    def __init__(self, doc: str, *, minimum: float, maximum: float, **kw: Any):
        super().__init__(doc, **kw)
        self.minimum, self.maximum = minimum, maximum
        self.expected = f"ett tal mellan {minimum:g} och {maximum:g}"

    def clean(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid(self.expected, value)
        if not self.minimum <= value <= self.maximum:
            raise Invalid(self.expected, value)
        return float(value)


class Boolean(Field):
    expected = "true eller false"

    def clean(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise Invalid(self.expected, value)
        return value


class Choice(Field):
    def __init__(self, doc: str, choices: Iterable[str], **kw: Any):
        super().__init__(doc, **kw)
        self.choices = tuple(choices)
        self.expected = "en av " + ", ".join(self.choices)

    def clean(self, value: Any) -> str:
        if not isinstance(value, str) or value not in self.choices:
            raise Invalid(self.expected, value)
        return value


class Date(Field):
    expected = "ett datum ÅÅÅÅ-MM-DD"

    def clean(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise Invalid(self.expected, value)


class TextList(Field):
    """A list of texts; a single text is accepted as a list of one (like the tags plugin)."""

    def __init__(self, doc: str, *, pattern: str | None = None, item: str = "text",
                 allow_empty: bool = True, **kw: Any):
        super().__init__(doc, **kw)
        self.regex = re.compile(pattern) if pattern else None
        self.item = item
        self.allow_empty = allow_empty
        self.expected = f"en lista med {item}"

    def clean(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or (not value and not self.allow_empty):
            raise Invalid(self.expected, value)
        cleaned: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise Invalid(self.expected, item, message=(
                    f"förväntade {self.expected}, fick {describe(item)} i listan"))
            item = item.strip()
            if self.regex and not self.regex.fullmatch(item):
                raise Invalid(self.expected, item, message=(
                    f"förväntade {self.expected}, fick {describe(item)} i listan"))
            cleaned.append(item)
        return cleaned


class Schema:
    """Base class: subclasses declare fields as class attributes."""

    fields: ClassVar[dict[str, Field]] = {}

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        found = {
            name: value
            for klass in reversed(cls.__mro__)
            for name, value in vars(klass).items()
            if isinstance(value, Field)
        }
        cls.fields = dict(sorted(found.items(), key=lambda item: item[1].order))

    @classmethod
    def validate(cls, source: Located, path: str, base: KeyPath = (),
                 data: Any = None) -> tuple[dict[str, Any], list[Problem]]:
        """Clean the mapping at `base` in `source`; return (values, problems)."""
        if data is None:
            data = source.data
        problems: list[Problem] = []
        where = source.line(*base)
        prefix = ".".join(str(part) for part in base)

        def key_name(key: str) -> str:
            return f"{prefix}.{key}" if prefix else key

        if not isinstance(data, dict):
            problems.append(Problem(path, where, prefix or None,
                                    f"förväntade en tabell med nycklar, fick {describe(data)}"))
            return {}, problems
        values: dict[str, Any] = {}
        allowed = ", ".join(cls.fields)
        for key in data:
            if key not in cls.fields:
                close = difflib.get_close_matches(str(key), cls.fields, n=1)
                hint = f" (menade du {close[0]}?)" if close else ""
                problems.append(Problem(path, source.line(*base, str(key)), key_name(str(key)),
                                        f"okänd nyckel{hint}, förväntade en av {allowed}"))
        for name, field in cls.fields.items():
            if name not in data or data[name] is None:
                if field.required:
                    problems.append(Problem(path, where, key_name(name),
                                            f"saknas, förväntade {field.expected}"))
                values[name] = field.default() if callable(field.default) else field.default
                continue
            try:
                values[name] = field.clean(data[name])
            except Invalid as exc:
                message = exc.message or f"förväntade {exc.expected}, fick {describe(exc.got)}"
                problems.append(Problem(path, source.line(*base, name), key_name(name), message))
                values[name] = None
        return values, problems

    @classmethod
    def documentation(cls) -> list[tuple[str, str, bool]]:
        """(key, doc, required) for every field, for the README and the coordinator's guide."""
        return [(name, field.doc, field.required) for name, field in cls.fields.items()]
