"""The shipped nginx files pass `nginx -t` in the variants the README describes, and the CSP
file nginx reads is written from the build (`rutinportal deploy nginx-csp`)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.portal.web.headers import policy
from rutinportal.testing import nginx

from .conftest import write_csp

pytestmark = pytest.mark.build


def configured(tmp_path, built_example, brotli: bool) -> nginx.NginxProcess:
    layout = nginx.layout(tmp_path / "nginx", built_example.site, [8001, 8002], brotli=brotli)
    nginx.render_snippets(layout, ["anna.lind"])
    write_csp(built_example.site, layout.csp)
    proxy = nginx.NginxProcess(layout)
    proxy.write()
    return proxy


def test_the_site_file_needs_no_brotli_module(nginx_binary, tmp_path, built_example) -> None:
    proxy = configured(tmp_path, built_example, brotli=False)
    result = proxy.test_config()
    assert result.returncode == 0, result.stderr
    assert "brotli" not in (proxy.folder / "nginx.conf").read_text()


def test_sign_in_through_an_sso_agent_is_valid_too(nginx_binary, tmp_path,
                                                   built_example) -> None:
    proxy = configured(tmp_path, built_example, brotli=False)
    shipped = nginx.SHIPPED / "nginx"
    shutil.copyfile(shipped / "sso-auth-request.conf",
                    proxy.layout.snippets / "rutinportal-sso.conf")
    shutil.copyfile(shipped / "sso-auth-request-locations.conf",
                    proxy.layout.snippets / "rutinportal-sso-locations.conf")
    result = proxy.test_config()
    assert result.returncode == 0, result.stderr


def test_without_the_sso_snippet_nginx_refuses_to_start(nginx_binary, tmp_path,
                                                        built_example) -> None:
    """Forgetting the SSO snippet is loud, never a portal without sign-in."""
    proxy = configured(tmp_path, built_example, brotli=False)
    (proxy.layout.snippets / "rutinportal-sso.conf").unlink()
    result = proxy.test_config()
    assert result.returncode != 0 and "rutinportal-sso.conf" in result.stderr


def test_the_csp_file_says_what_the_portal_sends(built_example, tmp_path) -> None:
    import json

    out = tmp_path / "nginx-csp.conf"
    runner = CliRunner()
    args = ["deploy", "nginx-csp", "--site-dir", str(built_example.site), "--out", str(out)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    hashes = json.loads((built_example.site / "csp.json").read_text())["script_hashes"]
    build = built_example.site.resolve().name
    assert first.output == (f"{out}: Content-Security-Policy för bygget {build} "
                            f"({len(hashes)} skript tillåtna genom sin hash). Ladda om nginx: "
                            "systemctl reload nginx\n")
    text = out.read_text()
    assert f'default "{policy(hashes)}";' in text
    assert text.startswith("# Written by `rutinportal deploy nginx-csp`")
    assert oct(out.stat().st_mode & 0o777) == "0o644"
    second = runner.invoke(main, args)
    assert second.output == (f"{out} är redan aktuell för bygget {build} ({len(hashes)} "
                             "skript tillåtna genom sin hash).\n")


def test_the_csp_file_needs_a_build(empty_repo, built_example, tmp_path) -> None:
    site = tmp_path / "inget-bygge"
    site.mkdir()
    result = CliRunner().invoke(main, ["deploy", "nginx-csp", "--site-dir", str(site),
                                       "--out", str(tmp_path / "csp.conf")])
    assert result.exit_code == 1
    assert result.output == (f"Fel: {site}/csp.json: filen finns inte. Bygg webbplatsen "
                             "först (rutinportal build).\n")
    assert not (tmp_path / "csp.conf").exists()
    out = tmp_path / "saknas" / "csp.conf"
    missing = CliRunner().invoke(main, ["deploy", "nginx-csp", "--site-dir",
                                        str(built_example.site), "--out", str(out)])
    assert missing.exit_code == 1
    assert missing.output == f"Fel: {out}: mappen {out.parent} finns inte\n"
