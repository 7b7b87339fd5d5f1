"""Change keys in a file's front-matter while keeping the rest of the text as written.

The CLI records status and approval in the working copy. Re-dumping the YAML would reorder
keys and drop the author's comments, so we edit the lines of the changed keys only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# YAML 1.1 reads these words as booleans or null: they must stay quoted.
_YAML11_SPECIAL = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}"'  # quoted: YAML 1.1 would make it a date object
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {format_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, dict) for v in value):
            # A block list, one mapping per line: readable and diff-friendly history.
            return "".join(f"\n  - {format_value(v)}" for v in value)
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    text = str(value)
    if _WORD.fullmatch(text) and text.lower() not in _YAML11_SPECIAL:
        return text  # e.g. `status: approved`, as an author would write it
    return json.dumps(text, ensure_ascii=False)


def _line(key: str, value: Any) -> str:
    text = format_value(value)
    return f"{key}:{text}" if text.startswith("\n") else f"{key}: {text}"


def update_front_matter(text: str, updates: Mapping[str, Any]) -> str:
    """Set (or, with None, remove) top-level keys; all other lines stay untouched."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if not lines or lines[0].strip() != "---":
        raise ValueError("front-matter saknas")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise ValueError("front-matter saknar avslutande rad '---'") from None
    head = lines[1:end]
    pending = dict(updates)
    out: list[str] = []
    index = 0
    while index < len(head):
        line = head[index]
        match = _KEY.match(line)
        # A key's value may continue on indented lines (a block list or a folded text).
        stop = index + 1
        while stop < len(head) and (head[stop].startswith((" ", "\t")) or not head[stop].strip()):
            if not head[stop].strip() and stop + 1 < len(head) and _KEY.match(head[stop + 1]):
                break
            stop += 1
        if match and match.group(1) in pending:
            value = pending.pop(match.group(1))
            if value is not None:
                out.append(_line(match.group(1), value))
            index = stop
            continue
        out.extend(head[index:stop])
        index = stop
    for key, value in pending.items():
        if value is not None:
            out.append(_line(key, value))
    return newline.join([lines[0], *out, *lines[end:]])
