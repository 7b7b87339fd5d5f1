"""Build the site with MkDocs, atomically: a failed build leaves the previous site untouched."""

from __future__ import annotations

import logging
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from .catalogue import Catalogue
from .errors import BuildError, ValidationFailed

CONFIG_FILE = "mkdocs.yml"


def default_site_dir(root: Path, preview: bool) -> Path:
    return root / ("site-preview" if preview else "site")


@contextmanager
def _preview_env(preview: bool):
    from .mkdocs_adapter import PREVIEW_ENV  # here: `check` and `status` need no MkDocs

    old = os.environ.get(PREVIEW_ENV)
    os.environ[PREVIEW_ENV] = "1" if preview else "0"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(PREVIEW_ENV, None)
        else:
            os.environ[PREVIEW_ENV] = old


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def validate(root: Path, preview: bool = False) -> Catalogue:
    """Load the catalogue and raise `ValidationFailed` listing every problem."""
    catalogue = Catalogue.load(root)
    problems = list(catalogue.problems)
    if not problems:
        problems += catalogue.publication_problems(catalogue.publications(preview=preview))
    if problems:
        raise ValidationFailed(problems)
    return catalogue


def build_site(root: Path, site_dir: Path | None = None, preview: bool = False) -> Path:
    """Validate, build into a temporary folder next to the target, then swap it in."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .mkdocs_adapter import LOADED_KEY

    root = Path(root).resolve()
    catalogue = validate(root, preview)
    target = Path(site_dir).resolve() if site_dir else default_site_dir(root, preview)
    if preview and target == default_site_dir(root, False):
        raise BuildError("En förhandsvisning får inte byggas till den publicerade webbplatsens "
                         f"mapp ({target}); välj en annan --site-dir")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        with _preview_env(preview):
            config = load_config(str(root / CONFIG_FILE), site_dir=str(staging))
            config.extra[LOADED_KEY] = catalogue  # the hooks use it instead of loading again
            build(config)
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        details = "\n".join(dict.fromkeys(collector.messages)) or str(exc)
        raise BuildError(f"Bygget misslyckades; den tidigare webbplatsen är orörd.\n{details}") \
            from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(collector)
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    return target
