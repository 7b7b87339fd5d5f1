"""Verify an evidence bundle with nothing but the ZIP and the public key.

Every check runs and every failure is named, in Swedish: the signature of `manifest.json`,
each file's SHA-256, files missing or added, each approved text against the SHA-256 it
records, and each acknowledgement's SHA-256 against the approved text of its version.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ...content.snapshots import RESTORE
from ...errors import UserError
from . import keys
from .manifest import MANIFEST, SIGNATURE, parse
from .texts import FOLDER, read_texts, text_path

ACKS, DECISIONS = "kvittenser.csv", "beslut.csv"
SHOWN_ROWS = 20  # a register rewritten wholesale is named by its first rows, then counted


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)
    files: int = 0
    acknowledgements: int = 0
    texts: int = 0
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        period = self.manifest.get("period", {})
        start = period.get("from") or "från början"
        return (f"Bevispaketet är äkta och oförändrat: signaturen stämmer med nyckeln "
                f"{keys.short(self.fingerprint)}, alla {self.files} filer som manifestet listar har "
                f"rätt SHA-256, ingen saknas och ingen har lagts till; {self.acknowledgements} kvittenser "
                f"stämmer med de {self.texts} godkända texterna i {FOLDER}/.\n"
                f"Exporterat {self.manifest.get('created')} av "
                f"{self.manifest.get('exported_by')}, kvittenser {start} – {period.get('to')}, "
                f"export-id {self.manifest.get('export_id')}, commit "
                f"{self.manifest.get('repository_commit')}.")


CHUNK = 1 << 20


def _digests(bundle: zipfile.ZipFile) -> dict[str, str]:
    """Every entry's SHA-256, read in parts (a register can be large)."""
    found = {}
    for info in bundle.infolist():
        if info.is_dir():
            continue
        digest = hashlib.sha256()
        with bundle.open(info) as handle:
            while part := handle.read(CHUNK):
                digest.update(part)
        found[info.filename] = digest.hexdigest()
    return found


def _rows(bundle: zipfile.ZipFile, name: str) -> Iterator[dict[str, str]]:
    with bundle.open(name) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        yield from csv.DictReader(text, delimiter=";")


def _check_files(result: Verification, files: dict[str, str]) -> None:
    listed = {}
    for item in result.manifest["files"]:
        listed[item["path"]] = item["sha256"]
    for path, expected in listed.items():
        if path not in files:
            result.problems.append(f"{path}: saknas i paketet (manifestet listar den).")
        elif files[path] != expected:
            result.problems.append(f"{path}: innehållet har ändrats efter exporten (SHA-256 "
                                   "stämmer inte med manifestet).")
    for path in sorted(set(files) - set(listed) - {MANIFEST, SIGNATURE}):
        result.problems.append(f"{path}: finns i paketet men inte i manifestet (tillagd efter "
                               "exporten).")
    result.files = len(listed)


def _check_hashes(result: Verification, bundle: zipfile.ZipFile) -> None:
    """Each acknowledgement's and decision's SHA-256 is its approved text's."""
    names = set(bundle.namelist())
    texts, problems = read_texts({n: bundle.read(n) for n in sorted(names)
                                  if n.startswith(FOLDER + "/") and not n.endswith("/")})
    result.texts = len(texts)
    for problem in problems:
        result.problems.append(str(problem).replace(f"; {RESTORE}", "") + ".")
    for name, doc_key, version_key, what in ((ACKS, "Dokument", "Version", "kvittensen"),
                                             (DECISIONS, "Id", "Version", "beslutet")):
        if name not in names:
            continue
        wrong = rows = 0
        for line, row in enumerate(_rows(bundle, name), start=2):
            rows += 1
            doc_id, version, sha = row.get(doc_key, ""), row.get(version_key, ""), \
                row.get("SHA-256", "")
            snapshot = texts.get((doc_id, int(version))) if version.isdigit() else None
            if snapshot is not None and snapshot.sha256 == sha:
                continue
            wrong += 1
            if wrong > SHOWN_ROWS:
                continue
            if snapshot is None:
                result.problems.append(
                    f"{name}:{line}: {doc_id} version {version}: den godkända texten "
                    f"{text_path(doc_id, int(version)) if version.isdigit() else FOLDER} saknas "
                    "eller stämmer inte med sin egen SHA-256.")
            else:
                result.problems.append(
                    f"{name}:{line}: {doc_id} version {version}: SHA-256 för {what} är "
                    f"{sha[:12]}…, men den godkända texten {text_path(doc_id, int(version))} "
                    f"har {snapshot.sha256[:12]}….")
        if wrong > SHOWN_ROWS:
            result.problems.append(f"{name}: ytterligare {wrong - SHOWN_ROWS} rader stämmer "
                                   "inte med de godkända texterna.")
        if name == ACKS:
            result.acknowledgements = rows - wrong


def verify(path: Path, public_key: Ed25519PublicKey) -> Verification:
    """Every check of the bundle at `path`; `ok` when nothing failed."""
    try:
        with zipfile.ZipFile(path) as bundle:
            return _verify(bundle, public_key)
    except FileNotFoundError:
        raise UserError(f"{path}: filen finns inte.") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(f"{path}: förväntade ett bevispaket (ZIP), fick en fil som inte kan "
                        f"läsas som ZIP ({exc}).") from None


def _verify(bundle: zipfile.ZipFile, public_key: Ed25519PublicKey) -> Verification:
    result = Verification(fingerprint=keys.fingerprint(public_key))
    names = set(bundle.namelist())
    for name in (MANIFEST, SIGNATURE):
        if name not in names:
            result.problems.append(f"{name}: saknas i paketet; utan den kan ingenting "
                                   "kontrolleras.")
    if result.problems:
        return result
    manifest = bundle.read(MANIFEST)
    if not keys.signature_valid(public_key, bundle.read(SIGNATURE), manifest):
        result.problems.append(
            f"{SIGNATURE}: signaturen stämmer inte med {MANIFEST} och den publika nyckeln "
            f"{keys.short(result.fingerprint)}: manifestet har ändrats, eller paketet är "
            "signerat med en annan nyckel.")
    try:
        result.manifest = parse(manifest)
    except (ValueError, UnicodeDecodeError):
        result.problems.append(f"{MANIFEST}: förväntade ett manifest (JSON med files), fick "
                               "något annat.")
        return result
    _check_files(result, _digests(bundle))
    _check_hashes(result, bundle)
    return result
