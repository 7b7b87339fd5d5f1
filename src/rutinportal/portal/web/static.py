"""Serve the built static site from the portal, with the demo banner in dev mode."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from .shell import decorate

router = APIRouter(include_in_schema=False)


def resolve(site_dir: Path, path: str) -> Path | None:
    """The file for a URL path, never outside the site folder."""
    root = site_dir.resolve()
    candidate = (root / path.lstrip("/")).resolve()
    if candidate != root and root not in candidate.parents:
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


@router.api_route("/{path:path}", methods=["GET", "HEAD"])
def site_file(request: Request, path: str) -> Response:
    portal = request.app.state.portal
    site_dir = portal.settings.site_dir
    if path and not path.endswith("/") and (site_dir / path).is_dir() \
            and resolve(site_dir, path) is not None:
        # Pages use relative links: /rutiner/x must become /rutiner/x/ to resolve them.
        return RedirectResponse(f"/{path}/", status_code=308)
    found = resolve(site_dir, path)
    if found is None:
        missing = resolve(site_dir, "404.html")
        html = missing.read_text(encoding="utf-8") if missing else "<h1>Sidan finns inte</h1>"
        return HTMLResponse(decorate(request, html), status_code=404)
    if found.suffix == ".html":
        return HTMLResponse(decorate(request, found.read_text(encoding="utf-8")))
    return FileResponse(found)
