"""The signing key: made on first use, readable only by its owner, the same afterwards; the
public key printed in PEM (which OpenSSL reads) with its fingerprint, the private key never."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from rutinportal.errors import UserError
from rutinportal.portal.evidence import keys

from .conftest import cli


def test_the_key_is_made_once_in_var_and_only_its_owner_reads_it(
        empty_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keys.ENV, raising=False)
    path = empty_repo / "var" / "evidence-signing-key.pem"
    assert not path.exists()
    first = keys.signing_key(empty_repo)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = keys.signing_key(empty_repo)
    assert keys.fingerprint(first.public_key()) == keys.fingerprint(again.public_key())
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left
    assert keys.fingerprint(keys.local_public_key(empty_repo)) == \
        keys.fingerprint(first.public_key())


def test_public_key_prints_pem_and_how_to_publish_never_the_private_key(
        empty_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keys.ENV, raising=False)
    result = cli(empty_repo, "evidence", "public-key")
    assert result.exit_code == 0, result.output
    public = serialization.load_pem_public_key(result.stdout.encode("ascii"))
    private = (empty_repo / "var/evidence-signing-key.pem").read_text(encoding="ascii")
    body = "".join(private.splitlines()[1:-1])
    assert body not in result.output and "PRIVATE" not in result.output
    fingerprint = keys.fingerprint(public)
    assert result.stderr == (
        f"Fingeravtryck (SHA-256 av den publika nyckeln): {fingerprint}\n"
        f"Kort: {keys.short(fingerprint)}\n"
        "Publicera den publika nyckeln där en granskare hittar den utan att fråga dig, t.ex. "
        "registrerad i diariet hos registratorn och på intranätet:\n"
        "  rutinportal evidence public-key > rutinportal-publik-nyckel.pem\n"
        f"Den privata nyckeln ({empty_repo / 'var/evidence-signing-key.pem'}) ska "
        "säkerhetskopieras och aldrig lämnas ut.\n")
    again = cli(empty_repo, "evidence", "public-key")
    assert again.stdout == result.stdout


def test_a_public_key_is_read_as_pem_or_raw_base64(tmp_path: Path) -> None:
    key = keys.Ed25519PrivateKey.generate().public_key()
    pem = tmp_path / "nyckel.pem"
    pem.write_text(keys.public_pem(key), encoding="ascii")
    raw = tmp_path / "nyckel.txt"
    raw.write_text(base64.b64encode(key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode() + "\n")
    assert keys.fingerprint(keys.read_public_key(pem)) == keys.fingerprint(key)
    assert keys.fingerprint(keys.read_public_key(raw)) == keys.fingerprint(key)
    with pytest.raises(UserError, match="filen .* finns inte eller kan inte läsas"):
        keys.read_public_key(tmp_path / "saknas.pem")


def test_a_damaged_key_file_is_a_message_not_a_new_key(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "nyckel.pem"
    path.write_text("inte en nyckel", encoding="ascii")
    monkeypatch.setenv(keys.ENV, str(path))
    with pytest.raises(UserError) as caught:
        keys.signing_key(tmp_path)
    assert str(caught.value) == (f"{path}: förväntade en privat Ed25519-nyckel i PEM-format, "
                                 "fick något annat. Återställ filen från säkerhetskopian.")
    assert path.read_text(encoding="ascii") == "inte en nyckel"
    monkeypatch.setenv(keys.ENV, str(tmp_path / "saknas" / "nyckel.pem"))
    with pytest.raises(UserError, match="RUTINPORTAL_EVIDENCE_KEY: mappen .* finns inte"):
        keys.signing_key(tmp_path)


def test_verify_without_a_key_here_asks_for_the_published_one(
        empty_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(keys.ENV, raising=False)
    result = cli(empty_repo, "evidence", "verify", str(tmp_path / "bevis.zip"))
    assert result.exit_code == 1
    assert result.output == (f"Fel: Det finns ingen signeringsnyckel här "
                             f"({empty_repo / 'var/evidence-signing-key.pem'}). Ange den "
                             "publicerade publika nyckeln med --public-key FIL.\n")
    assert not (empty_repo / "var").exists()  # no key made by asking for one
