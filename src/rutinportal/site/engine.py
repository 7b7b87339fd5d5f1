"""The one module that knows the site engine: it adapts the build events to the package.

The engine is ProperDocs, the maintained continuation of MkDocs 1.x (`properdocs build`,
`properdocs serve`); mkdocs-material is its theme. `hooks/rutinportal_hooks.py` forwards the
engine's events here. The build's settings travel in its config: `extra.rutinportal.preview`
(set by `rutinportal build --preview` or by `mkdocs-preview.yml`), and the validated content
that `build.build_site` has already loaded (so a build validates once); a plain engine build
validates here. State lives on the config object of the running build, never in module
globals: `serve` loads hooks once per process but makes a new config for every rebuild.

The generated pages (`page.GeneratedPage`) reach the engine as Markdown files holding only
what it must convert; `on_page_context` hands the theme our HTML around the converted text
(`overrides/main.html` draws it) and lists our headings in the page's table of contents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import escape
from properdocs.config.defaults import ProperDocsConfig
from properdocs.exceptions import PluginError
from properdocs.structure.files import File, Files
from properdocs.structure.pages import Page
from properdocs.structure.toc import AnchorLink, TableOfContents

from ..content.catalogue import Validated, validate
from ..content.documents import Kind
from ..content.problems import ValidationFailed
from . import catalog_json, csp, own_assets, pages
from .context import SiteContext
from .page import GeneratedPage, Heading

SETTINGS_KEY = "rutinportal"      # extra.rutinportal: {preview: true|false}
VALIDATED_KEY = "_rutinportal_validated"
STATE_KEY = "_rutinportal_state"
ASSET_DIR = "assets/rutinportal"
PAGE_CONTEXT_KEY = "rutinportal_page"   # what overrides/main.html draws around the body
CONTROLLED_IN_DOCS = tuple(k.folder[len("docs/"):] + "/" for k in Kind
                           if k.folder.startswith("docs/"))


@dataclass
class BuildState:
    context: SiteContext
    pages: dict[str, GeneratedPage]
    converted: dict[str, str] = field(default_factory=dict)  # HTML a waiting page reads

    def __post_init__(self) -> None:
        self.wanted = {uri for page in self.pages.values() if page.later
                       for uri in page.later.needs}


def preview_of(config: ProperDocsConfig) -> bool:
    settings = config.extra.get(SETTINGS_KEY) or {}
    preview = settings.get("preview", False) if isinstance(settings, dict) else None
    if not isinstance(preview, bool):
        raise PluginError(f"extra.{SETTINGS_KEY}.preview: förväntade true eller false, fick "
                          f"{preview!r}")
    return preview


def attach(config: ProperDocsConfig, validated: Validated) -> None:
    """Hand a build the content that was just validated, and its mode."""
    config.extra[SETTINGS_KEY] = {"preview": validated.preview}
    config.extra[VALIDATED_KEY] = validated


def on_config(config: ProperDocsConfig) -> ProperDocsConfig:
    if not type(config).__module__.startswith("properdocs"):
        raise PluginError("Rutinportalen byggs med ProperDocs: kör properdocs build "
                          "eller rutinportal build")
    root = Path(config.config_file_path).parent.resolve()
    preview = preview_of(config)
    validated = config.extra.pop(VALIDATED_KEY, None)
    if not (isinstance(validated, Validated) and validated.preview == preview
            and Path(validated.root).resolve() == root):
        try:
            validated = validate(root, preview)
        except ValidationFailed as exc:
            raise PluginError("Rutinportalen kan inte byggas:\n" + exc.message) from None
    if preview and Path(config.site_dir).resolve() == root / "site":
        # A preview must never land where the production site is served from.
        config.site_dir = str(root / "site-preview")
    context = SiteContext(validated, dt.date.today())
    # Our script goes before the theme's (overrides/main.html): it must be in place before
    # the theme asks for the search index.
    config.extra[SETTINGS_KEY] = {"preview": preview,
                                  "script": f"{ASSET_DIR}/{own_assets.file_name(own_assets.JS)}"}
    config.extra[STATE_KEY] = BuildState(context, pages.generate(context))
    stylesheet = f"{ASSET_DIR}/{own_assets.file_name(own_assets.CSS)}"
    if stylesheet not in [str(t) for t in config.extra_css]:
        config.extra_css.append(stylesheet)
    return config


def on_files(files: Files, config: ProperDocsConfig) -> Files:
    state: BuildState = config.extra[STATE_KEY]
    for file in list(files):
        # Working copies in docs/ are never published as they are: only snapshots are.
        controlled = file.src_uri.endswith(".md") and file.src_uri.startswith(CONTROLLED_IN_DOCS)
        if controlled or file.src_uri in state.pages:
            files.remove(file)
    for src_uri, page in state.pages.items():
        files.append(File.generated(config, src_uri, content=page.source()))
    for name in own_assets.NAMES:
        files.append(File.generated(config, f"{ASSET_DIR}/{own_assets.file_name(name)}",
                                    content=own_assets.served(name)))
    return files


def _anchors(headings: tuple[Heading, ...]) -> list[AnchorLink]:
    # The theme writes a table-of-contents title as HTML.
    return [AnchorLink(str(escape(h.text)), h.id, 2) for h in headings]


def on_page_content(html: str, page: Page, config: ProperDocsConfig) -> str:
    """Keep the converted text of a page that a waiting page reads (`page.Later`). The engine
    converts every page before it renders any, so all are there when they are needed."""
    state: BuildState = config.extra[STATE_KEY]
    if page.file.src_uri in state.wanted:
        state.converted[page.file.src_uri] = html
    return html


def on_page_context(context: dict, page: Page, config: ProperDocsConfig) -> dict:
    """Hand the theme our HTML for a generated page, and list its headings in the page's
    table of contents around the body's own."""
    state: BuildState = config.extra[STATE_KEY]
    generated = state.pages.get(page.file.src_uri)
    if generated is not None:
        generated = generated.finished(state.converted)
        context[PAGE_CONTEXT_KEY] = generated
        if generated.headings_before or generated.headings_after:
            page.toc = TableOfContents([*_anchors(generated.headings_before), *page.toc,
                                        *_anchors(generated.headings_after)])
    return context


def on_post_build(config: ProperDocsConfig) -> None:
    state: BuildState = config.extra[STATE_KEY]
    target = Path(config.site_dir) / "catalog.json"
    target.write_text(catalog_json.dumps(state.context), encoding="utf-8")
    csp.write(Path(config.site_dir), config.theme.dirs)
