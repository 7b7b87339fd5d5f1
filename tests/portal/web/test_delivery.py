"""How the portal sends the site: the build's compressed copies by `Accept-Encoding`, a year's
cache for files named by their hash, revalidation (304) for pages and `catalog.json`, and
pages made per request compressed by the middleware."""

from __future__ import annotations

from pathlib import Path

import pytest

from rutinportal.portal.web.delivery import accepted
from rutinportal.site import own_assets

from ..support import import_demo_roster, make_client, sign_in

pytestmark = pytest.mark.build

IMMUTABLE = "public, max-age=31536000, immutable"
ROUTINE = "/rutiner/siths-kort/"


@pytest.fixture(scope="module")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


@pytest.fixture
def sso(example, tmp_path):
    """The portal as production runs it: the SSO header, pages straight from the build."""
    root, site = example
    with make_client(root, site, f"sqlite:///{tmp_path / 'p.sqlite3'}", auth="header",
                     trusted_proxies=("127.0.0.1/32",)) as client:
        yield client


@pytest.fixture
def demo(example, tmp_path):
    root, site = example
    database = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    import_demo_roster(root, database)
    with make_client(root, site, database) as client:
        yield client


def test_accept_encoding_is_read_with_its_weights() -> None:
    assert accepted("gzip, deflate, br, zstd") == {"gzip", "deflate", "br", "zstd"}
    assert accepted("br;q=0, gzip;q=0.5") == {"gzip"}
    assert accepted("identity") == {"identity"}
    assert accepted("*") == {"*", "br", "gzip"}
    assert accepted("") == set()


@pytest.mark.parametrize("accept, encoding", [("gzip, deflate, br", "br"), ("gzip", "gzip"),
                                              ("br;q=0, gzip", "gzip"), ("identity", None)])
def test_a_page_goes_out_as_the_build_compressed_it(sso, example, accept, encoding) -> None:
    _, site = example
    page = (site / "rutiner/siths-kort/index.html").read_bytes()
    answer = sso.get(ROUTINE, headers={"Accept-Encoding": accept})
    assert answer.status_code == 200
    assert answer.headers.get("content-encoding") == encoding
    assert answer.headers["vary"] == "Accept-Encoding"
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["cache-control"] == "no-cache"
    assert answer.content == page  # as the browser reads it
    suffix = {"br": ".br", "gzip": ".gz"}.get(encoding, "")
    travelled = (site / f"rutiner/siths-kort/index.html{suffix}").read_bytes()
    assert _raw(sso, ROUTINE, accept) == travelled  # the build's copy, not compressed again


def _raw(client, path: str, accept: str) -> bytes:
    """The body as it travelled (the client would decode it)."""
    with client.stream("GET", path, headers={"Accept-Encoding": accept}) as answer:
        return b"".join(answer.iter_raw())


def test_a_page_unchanged_is_answered_304_without_a_body(sso) -> None:
    first = sso.get(ROUTINE, headers={"Accept-Encoding": "gzip"})
    etag = first.headers["etag"]
    again = sso.get(ROUTINE, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag and again.headers["cache-control"] == "no-cache"
    # Each encoded copy is its own representation, with its own tag.
    other = sso.get(ROUTINE, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag
    since = sso.get(ROUTINE, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304


def test_catalog_json_is_revalidated(sso) -> None:
    first = sso.get("/catalog.json")
    assert first.headers["cache-control"] == "no-cache"
    assert sso.get("/catalog.json", headers={"If-None-Match": first.headers["etag"]}) \
        .status_code == 304


def test_files_named_by_their_hash_are_kept_a_year(sso, example) -> None:
    _, site = example
    theme_css = next((site / "assets/stylesheets").glob("main.*.min.css")).name
    for path in (f"/assets/stylesheets/{theme_css}",
                 f"/assets/rutinportal/{own_assets.file_name(own_assets.JS)}",
                 f"/assets/rutinportal/{own_assets.file_name(own_assets.CSS)}"):
        answer = sso.get(path, headers={"Accept-Encoding": "br"})
        assert answer.status_code == 200, path
        assert answer.headers["cache-control"] == IMMUTABLE, path
        assert answer.headers["content-encoding"] == "br", path
    icon = sso.get("/assets/images/favicon.png", headers={"Accept-Encoding": "gzip, br"})
    assert icon.headers["cache-control"] == "public, max-age=86400"
    assert "content-encoding" not in icon.headers and "vary" not in icon.headers


def test_head_sends_the_headers_only(sso) -> None:
    answer = sso.head(ROUTINE, headers={"Accept-Encoding": "br"})
    assert answer.status_code == 200 and answer.content == b""
    assert answer.headers["content-encoding"] == "br"


def test_demo_pages_are_made_per_request_and_compressed_by_the_middleware(demo) -> None:
    anonymous = demo.get(ROUTINE, headers={"Accept-Encoding": "gzip"})
    assert anonymous.headers["content-encoding"] == "gzip"
    assert "rp-demo-banner" in anonymous.text
    assert anonymous.headers["cache-control"] == "no-cache"
    assert anonymous.headers["etag"].startswith('W/"')
    assert demo.get(ROUTINE, headers={"If-None-Match": anonymous.headers["etag"]}) \
        .status_code == 304
    # A page that names the person is never kept, nor revalidated.
    sign_in(demo, "anna.lind")
    personal = demo.get(ROUTINE, headers={"Accept-Encoding": "gzip"})
    assert personal.headers["cache-control"] == "no-store"
    assert "etag" not in personal.headers
    # The API is personal: never kept, whatever its encoding.
    me = demo.get("/api/me", headers={"Accept-Encoding": "gzip"})
    assert me.headers["cache-control"] == "no-store"
