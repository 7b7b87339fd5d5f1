"""The one module that knows MkDocs: it adapts the build events to the package.

`hooks/rutinportal_hooks.py` forwards MkDocs' events here. State lives on the MkDocs config object
of the running build, never in module globals: `mkdocs serve` loads hooks once per process
but makes a new config for every rebuild. Keep MkDocs-specific code here so that a move to a
successor (ProperDocs, Zensical) touches little.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from . import catalog_json, pages
from .catalogue import Catalogue
from .documents import KINDS

PREVIEW_ENV = "RUTINPORTAL_PREVIEW"
STATE_KEY = "_rutinportal"
# `build.build_site` hands over the catalogue it has just loaded and validated, so that a build
# does not read every document twice; plain `mkdocs build`/`serve` load it here.
LOADED_KEY = "_rutinportal_catalogue"
ASSETS = ("rutinportal.css", "rutinportal.js")
ASSET_DIR = "assets/rutinportal"
CONTROLLED_IN_DOCS = tuple(k.folder[len("docs/"):] + "/" for k in KINDS
                           if k.folder.startswith("docs/"))


def preview_requested() -> bool:
    return os.environ.get(PREVIEW_ENV, "").lower() in ("1", "true", "ja", "yes")


@dataclass
class BuildState:
    context: pages.SiteContext
    pages: dict[str, str]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    preview = preview_requested()
    catalogue = config.extra.pop(LOADED_KEY, None)
    if not isinstance(catalogue, Catalogue) or Path(catalogue.root).resolve() != root.resolve():
        catalogue = Catalogue.load(root)
    publications = catalogue.publications(preview=preview)
    problems = catalogue.problems + catalogue.publication_problems(publications)
    if problems:
        lines = [str(p) for p in sorted(problems)]
        raise PluginError("Rutinportalen kan inte byggas:\n" + "\n".join(lines))
    if preview and Path(config.site_dir).resolve() == (root / "site").resolve():
        # A preview must never land where the production site is served from.
        config.site_dir = str(root / "site-preview")
    context = pages.SiteContext(catalogue, publications, preview, dt.date.today())
    config.extra[STATE_KEY] = BuildState(context, pages.generate(context))
    config.extra["rutinportal_preview"] = preview
    for name, target in (("rutinportal.css", config.extra_css),
                         ("rutinportal.js", config.extra_javascript)):
        path = f"{ASSET_DIR}/{name}"
        if path not in [str(t) for t in target]:
            target.append(path)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state: BuildState = config.extra[STATE_KEY]
    for file in list(files):
        # Working copies in docs/ are never published as they are: only snapshots are.
        controlled = file.src_uri.endswith(".md") and file.src_uri.startswith(CONTROLLED_IN_DOCS)
        if controlled or file.src_uri in state.pages:
            files.remove(file)
    for src_uri, content in state.pages.items():
        files.append(File.generated(config, src_uri, content=content))
    assets = package_files("rutinportal") / "assets"
    for name in ASSETS:
        files.append(File.generated(config, f"{ASSET_DIR}/{name}",
                                    content=(assets / name).read_bytes()))
    return files


def on_post_build(config: MkDocsConfig) -> None:
    state: BuildState = config.extra[STATE_KEY]
    target = Path(config.site_dir) / "catalog.json"
    target.write_text(catalog_json.dumps(state.context), encoding="utf-8")
