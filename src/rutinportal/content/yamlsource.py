"""Read YAML and front-matter ourselves, with line numbers, before MkDocs sees anything.

MkDocs silently ignores malformed front-matter; we must not. Everything is read with PyYAML's
safe loader (YAML 1.1: `no` becomes False and unquoted dates become dates — the schema reports
those with a hint), and `lines` maps a key path such as ("questions", 0, "choices") to the
1-based line where it stands in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import frontmatter
import yaml

KeyPath = tuple[str | int, ...]


class YamlSyntaxError(Exception):
    """Malformed YAML; `line` is 1-based in the file, `detail` Swedish."""

    def __init__(self, line: int | None, detail: str):
        self.line = line
        self.detail = detail
        super().__init__(detail)


@dataclass
class Located:
    """Parsed YAML data and where each key path stands in the file."""

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, *path: str | int) -> int | None:
        """The line of the deepest known prefix of `path`."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def _record_lines(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], offset: int) -> None:
    lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = path + (key_node.value,)
                lines[child] = key_node.start_mark.line + 1 + offset
                _record_lines(value_node, child, lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), lines, offset)


def _quoted(line: str) -> str | None:
    """`key: value: more` → `key: "value: more"` (the hint for a colon inside a value)."""
    key, sep, value = line.partition(":")
    value = value.strip()
    if not sep or not value or value[0] in "\"'[{":
        return None
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{key.strip()}: "{escaped}"'


def _explain(problem: str, line_text: str) -> str:
    """PyYAML's problem in Swedish, with what to do."""
    quoted = _quoted(line_text)
    quote_hint = f"; sätt citattecken runt värdet: {quoted}" if quoted else \
        "; sätt citattecken runt värdet"
    if problem.startswith("mapping values are not allowed"):
        return "ett kolon följt av mellanslag inne i ett värde" + quote_hint
    if "'\\t'" in problem or "\\t" in problem and "cannot start any token" in problem:
        return "tabbtecken får inte användas i YAML; använd mellanslag för indrag"
    if "cannot start any token" in problem:
        char = problem.split("'")[1] if "'" in problem else "tecknet"
        return f"tecknet {char} kan inte inleda ett värde" + quote_hint
    if "undefined alias" in problem or "expected alphabetic or numeric character" in problem:
        return "& och * har en särskild betydelse i början av ett värde" + quote_hint
    if "expected ',' or ']'" in problem or "did not find expected ',' or ']'" in problem:
        return "listan inom [ ] är inte avslutad; avsluta den med ] på samma rad"
    if "expected ',' or '}'" in problem:
        return "tabellen inom { } är inte avslutad; avsluta den med } på samma rad"
    if "unexpected end of stream" in problem or "found unexpected end" in problem:
        return "ett citattecken är inte avslutat; avsluta värdet med samma citattecken"
    if "could not find expected ':'" in problem:
        return ("förväntade 'nyckel: värde' på raden (ett kolon och ett mellanslag efter "
                "nyckeln), eller en fortsättning med samma indrag som raden ovanför")
    if "block end" in problem or "expected key" in problem or "block mapping" in problem:
        return ("indraget stämmer inte med raderna ovanför; rätta indraget (bara mellanslag, "
                "lika många som på raderna i samma lista eller tabell)")
    return "syntaxen är fel här; kontrollera kolon, citattecken och indrag på raden"


# Problems PyYAML notices only after the line that causes them: report where it began.
_FROM_CONTEXT = ("expected ',' or", "unexpected end", "could not find expected ':'")


def _syntax_error(exc: yaml.YAMLError, offset: int, text: str) -> YamlSyntaxError:
    problem = getattr(exc, "problem", None) or str(exc)
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    if context_mark is not None and any(p in problem for p in _FROM_CONTEXT):
        mark = context_mark
    line = mark.line + 1 + offset if mark is not None else None
    lines = text.splitlines()
    line_text = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    return YamlSyntaxError(line, f"ogiltig YAML: {_explain(problem, line_text)}")


def salvage(text: str) -> dict[str, Any]:
    """The top-level `key: value` lines of malformed YAML that parse on their own.

    Only to name a broken file's id, quiz and related documents, so that one syntax error does
    not cascade into errors about other files; never to publish anything."""
    found: dict[str, Any] = {}
    for line in text.splitlines():
        if not line[:1].isalpha() or ":" not in line:
            continue
        try:
            data = yaml.safe_load(line)
        except yaml.YAMLError:
            continue
        if isinstance(data, dict) and len(data) == 1:
            found.update(data)
    return found


# libyaml's parser when PyYAML has it (about ten times faster than the pure-Python one; the
# constructor and resolver are the same, so the values are the same).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _parse(text: str, loader_class: type) -> tuple[yaml.Node | None, Any]:
    """Compose the node tree once and construct the values from it (as safe_load does)."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def load_yaml(text: str, offset: int = 0) -> Located:
    """Parse one YAML document with the safe loader, recording key lines.

    `offset` is added to every line number (front-matter starts below the `---` line).
    """
    try:
        try:
            node, data = _parse(text, _FAST_LOADER or yaml.SafeLoader)
        except yaml.YAMLError:
            if _FAST_LOADER is None:
                raise
            # Report errors exactly as the pure-Python parser words them.
            node, data = _parse(text, yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, offset, text) from None
    lines: dict[KeyPath, int] = {}
    if node is not None:
        _record_lines(node, (), lines, offset)
    return Located(data, lines)


@dataclass
class FrontMatterSource:
    """A Markdown file split into its front-matter and body."""

    meta: Located
    front_matter_text: str
    body: str
    body_line: int  # 1-based line where the body starts


_HANDLER = frontmatter.YAMLHandler()


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (front-matter text, body, body start line), or None without front-matter."""
    text = text.lstrip("\ufeff")
    if not _HANDLER.detect(text):
        return None
    try:
        fm_text, body = _HANDLER.split(text)
    except ValueError:
        return None
    # The body starts after the closing delimiter line.
    head_len = len(text) - len(body)
    body_line = text[:head_len].count("\n") + 1
    if body.startswith("\n"):
        body = body[1:]
        body_line += 1
    return fm_text, body, body_line


def read_front_matter(text: str) -> FrontMatterSource:
    """Split and parse a Markdown file's front-matter.

    Raises `YamlSyntaxError` when the front-matter is missing, unterminated or not YAML.
    """
    parts = split_front_matter(text)
    if parts is None:
        stripped = text.lstrip("\ufeff")
        if stripped.startswith("---"):
            raise YamlSyntaxError(1, "front-matter saknar avslutande rad '---'")
        raise YamlSyntaxError(1, "front-matter saknas: filen ska börja med en rad '---'")
    fm_text, body, body_line = parts
    # fm_text begins with the newline that ends the opening '---' line, so its line k is
    # line k + 1 of the file.
    offset = 0 if fm_text.startswith(("\n", "\r")) else 1
    located = load_yaml(fm_text, offset=offset)
    if located.data is None:
        located.data = {}
    return FrontMatterSource(located, fm_text, body, body_line)
