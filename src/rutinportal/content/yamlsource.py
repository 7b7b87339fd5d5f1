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


def _syntax_error(exc: yaml.YAMLError, offset: int) -> YamlSyntaxError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + offset if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    return YamlSyntaxError(line, f"ogiltig YAML ({problem})")


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
        raise _syntax_error(exc, offset) from None
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
