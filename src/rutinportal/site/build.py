"""Build the site with the engine, atomically: a failed build leaves the previous site untouched."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from ..content.catalogue import validate
from ..errors import BuildError

CONFIG_FILE = "mkdocs.yml"


def default_site_dir(root: Path, preview: bool) -> Path:
    return root / ("site-preview" if preview else "site")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(root: Path, site_dir: Path | None = None, preview: bool = False) -> Path:
    """Validate once, build into a temporary folder next to the target, then swap it in."""
    import properdocs.replacement  # noqa: F401  (mkdocs-material imports `mkdocs.*`)
    from properdocs.commands.build import build
    from properdocs.config import load_config
    from properdocs.exceptions import ProperDocsException

    from . import engine

    root = Path(root).resolve()
    validated = validate(root, preview)
    target = Path(site_dir).resolve() if site_dir else default_site_dir(root, preview)
    if preview and target == default_site_dir(root, False):
        raise BuildError("En förhandsvisning får inte byggas till den publicerade webbplatsens "
                         f"mapp ({target}); välj en annan --site-dir")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    collector = _Collect()
    logger = logging.getLogger("properdocs")
    # As the engine's own command line does: the theme logs as `mkdocs.*`, and its warnings
    # must count (strict mode) and reach our message.
    logging.getLogger("mkdocs").parent = logger
    logger.addHandler(collector)
    try:
        config = load_config(str(root / CONFIG_FILE), site_dir=str(staging))
        engine.attach(config, validated)
        build(config)
    except (ProperDocsException, SystemExit) as exc:
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
