"""Verifying a bundle needs nothing but the ZIP and the public key; every kind of tampering
fails with exit 1 naming what failed: an edited register row, a replaced approved text, a file
removed or added, an edited manifest, a missing signature, another key — and an
acknowledgement whose SHA-256 is not its approved text's, although the bundle is intact."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from rutinportal.portal.evidence.keys import public_pem
from rutinportal.portal.storage.models import Acknowledgement, Person

from .conftest import cli, export, rewrite, seed, session_on

pytestmark = pytest.mark.build
HEADER = "Fel: Bevispaketet {zip} håller inte:\n"
FOOTER = ("fel hittades. Paketet har ändrats efter exporten, eller är signerat med en annan "
          "nyckel.\n")


@pytest.fixture(scope="module")
def bundle(built_example, tmp_path_factory) -> tuple[Path, Path]:
    """One bundle (SQLite) and its public key, for all the tampering below."""
    folder = tmp_path_factory.mktemp("bevis")
    url = f"sqlite:///{(folder / 'portal.sqlite3').as_posix()}"
    env = {"RUTINPORTAL_EVIDENCE_KEY": str(folder / "key.pem")}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RUTINPORTAL_EVIDENCE_KEY", env["RUTINPORTAL_EVIDENCE_KEY"])
        seed(built_example.root, built_example.site, url, folder)
        out = folder / "bevis.zip"
        assert export(built_example, url, out).exit_code == 0
        key = cli(built_example.root, "evidence", "public-key")
    public = folder / "publik.pem"
    public.write_text(key.stdout, encoding="ascii")
    return out, public


def verify(root: Path, path: Path, public: Path):
    return cli(root, "evidence", "verify", str(path), "--public-key", str(public))


def failed(result, path: Path, *problems: str) -> None:
    assert result.exit_code == 1, result.output
    expected = HEADER.format(zip=path) + "".join(f"  {p}\n" for p in problems) + \
        f"{len(problems)} " + FOOTER
    assert result.output == expected


def test_the_untouched_bundle_verifies_with_the_published_key(built_example, bundle) -> None:
    out, public = bundle
    result = verify(built_example.root, out, public)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Bevispaketet är äkta och oförändrat")


def test_an_edited_register_row_is_named(built_example, bundle, tmp_path) -> None:
    out, public = bundle

    def edit(found):
        found["kvittenser.csv"] = found["kvittenser.csv"].replace(b"Anna Lind", b"Anna Lindh")

    changed = rewrite(out, tmp_path / "b.zip", edit)
    failed(verify(built_example.root, changed, public), changed,
           "kvittenser.csv: innehållet har ändrats efter exporten (SHA-256 stämmer inte med "
           "manifestet).")


def test_a_replaced_approved_text_is_named_with_what_changed(built_example, bundle,
                                                             tmp_path) -> None:
    out, public = bundle
    version = built_example.catalog["RUT-002"]["version"]  # the one Anna acknowledged
    name = f"texter/RUT-002/v{version}.md"

    def replace(found):
        assert b"privat" in found[name]
        found[name] = found[name].replace(b"privat", b"egen")

    changed = rewrite(out, tmp_path / "b.zip", replace)
    result = verify(built_example.root, changed, public)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"  {name}: innehållet har ändrats efter exporten (SHA-256 stämmer " \
           "inte med manifestet)." in lines
    assert any(line.startswith(f"  {name}:") and "har ändrats efter "
               "godkännandet" in line for line in lines), result.output
    # Anna's acknowledgement of RUT-002 now points at a text that is not the approved one.
    assert any(line.startswith("  kvittenser.csv:") and f"RUT-002 version {version}: den "
               f"godkända texten {name} saknas eller stämmer inte med sin egen SHA-256."
               in line for line in lines), result.output


def test_a_removed_file_is_named(built_example, bundle, tmp_path) -> None:
    out, public = bundle
    changed = rewrite(out, tmp_path / "b.zip", lambda found: found.pop("personal.csv"))
    failed(verify(built_example.root, changed, public), changed,
           "personal.csv: saknas i paketet (manifestet listar den).")


def test_an_added_file_is_named(built_example, bundle, tmp_path) -> None:
    out, public = bundle

    def add(found):
        found["texter/RUT-099/v1.md"] = b"---\nid: RUT-099\n---\n"

    changed = rewrite(out, tmp_path / "b.zip", add)
    result = verify(built_example.root, changed, public)
    assert result.exit_code == 1
    assert "  texter/RUT-099/v1.md: finns i paketet men inte i manifestet (tillagd efter " \
           "exporten).\n" in result.output


def test_an_edited_manifest_fails_the_signature(built_example, bundle, tmp_path) -> None:
    """Editing a register and writing its new hash into the manifest: the signature says."""
    out, public = bundle

    def forge(found):
        old = hashlib.sha256(found["personal.csv"]).hexdigest().encode()
        found["personal.csv"] = found["personal.csv"].replace(b";nej;", b";ja;")
        new = hashlib.sha256(found["personal.csv"]).hexdigest().encode()
        found["manifest.json"] = found["manifest.json"].replace(old, new)

    changed = rewrite(out, tmp_path / "b.zip", forge)
    result = verify(built_example.root, changed, public)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 3, result.output  # the hashes agree with the forged manifest
    assert lines[1].startswith("  manifest.sig: signaturen stämmer inte med manifest.json och "
                               "den publika nyckeln ")
    assert lines[1].endswith(": manifestet har ändrats, eller paketet är signerat med en annan "
                             "nyckel.")


def test_another_key_fails_the_signature(built_example, bundle, tmp_path) -> None:
    out, _ = bundle
    other = tmp_path / "annan.pem"
    other.write_text(public_pem(Ed25519PrivateKey.generate().public_key()), encoding="ascii")
    result = verify(built_example.root, out, other)
    assert result.exit_code == 1
    assert result.output.splitlines()[1].startswith(
        "  manifest.sig: signaturen stämmer inte med manifest.json och den publika nyckeln ")


def test_without_signature_nothing_can_be_checked(built_example, bundle, tmp_path) -> None:
    out, public = bundle
    changed = rewrite(out, tmp_path / "b.zip", lambda found: found.pop("manifest.sig"))
    failed(verify(built_example.root, changed, public), changed,
           "manifest.sig: saknas i paketet; utan den kan ingenting kontrolleras.")


def test_not_a_bundle_and_not_a_key(built_example, bundle, tmp_path) -> None:
    out, public = bundle
    text = tmp_path / "bevis.zip"
    text.write_text("inte en zip", encoding="utf-8")
    result = verify(built_example.root, text, public)
    assert result.exit_code == 1
    assert result.output.startswith(f"Fel: {text}: förväntade ett bevispaket (ZIP), fick en "
                                    "fil som inte kan läsas som ZIP")
    missing = verify(built_example.root, tmp_path / "saknas.zip", public)
    assert missing.output == f"Fel: {tmp_path / 'saknas.zip'}: filen finns inte.\n"
    wrong_key = verify(built_example.root, out, text)
    assert wrong_key.output == (f"Fel: {text}: förväntade en publik Ed25519-nyckel (PEM, som "
                                "rutinportal evidence public-key skriver ut), fick något "
                                "annat.\n")


def test_an_acknowledgement_of_another_text_fails_although_the_bundle_is_intact(
        built_example, database_url, tmp_path, key_file) -> None:
    """The database says Anna read RUT-001's published version with a SHA-256 that is not the
    approved text's (written past the portal): the signed bundle carries it, and verify names
    it."""
    seed(built_example.root, built_example.site, database_url, tmp_path)
    with session_on(database_url) as session:
        anna = session.scalars(select(Person).where(Person.person_id == "anna.lind")).one()
        ack = session.scalars(select(Acknowledgement).where(
            Acknowledgement.person_pk == anna.id, Acknowledgement.document_id == "RUT-001")).one()
        ack.sha256 = "0" * 64
        session.commit()
    out = tmp_path / "bevis.zip"
    assert export(built_example, database_url, out).exit_code == 0
    result = cli(built_example.root, "evidence", "verify", str(out))
    assert result.exit_code == 1
    version = built_example.catalog["RUT-001"]["version"]
    approved = (built_example.root / f"approved/RUT-001/v{version}.md").read_text(
        encoding="utf-8")
    sha = next(line for line in approved.splitlines() if line.startswith("sha256:"))[8:]
    lines = result.output.splitlines()
    assert len(lines) == 3, result.output
    assert lines[1].startswith("  kvittenser.csv:")
    assert lines[1].endswith(f": RUT-001 version {version}: SHA-256 för kvittensen är "
                             f"000000000000…, men den godkända texten "
                             f"texter/RUT-001/v{version}.md har {sha[:12]}….")
