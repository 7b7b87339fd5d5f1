"""The one Jinja2 environment for every generated page and HTML fragment of the package.

Autoescape is always on (no HTML built by string concatenation) and undefined variables fail
loudly, so a template that is handed the wrong context breaks the build instead of silently
rendering an empty value. Block tags (`{% for %}`, `{% if %}`) on a line of their own leave no
line behind (`trim_blocks`, `lstrip_blocks`): the Markdown templates rely on it for table rows,
and HTML blocks that Python-Markdown must keep raw may contain no blank line.
Templates live in `rutinportal/templates/`.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined


def environment() -> Environment:
    """A fresh environment over the package's templates.

    Fresh rather than shared: callers may add filters or globals without affecting each
    other, and no state outlives one build (`mkdocs serve` keeps the process alive).
    """
    return Environment(
        loader=PackageLoader("rutinportal", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
