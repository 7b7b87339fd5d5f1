"""A ZIP written entry by entry, each entry's SHA-256 and size taken as it is written: a
register of hundreds of thousands of rows goes in part by part, never whole in memory."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class Entry:
    path: str
    sha256: str
    size: int


class HashingZip:
    """Entries in the order written; `entries` lists what was written, with its hash."""

    def __init__(self, target: BinaryIO, moment: dt.datetime):
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED,
                                   compresslevel=6)
        local = moment.astimezone()
        self.date_time = (local.year, local.month, local.day, local.hour, local.minute,
                          local.second)
        self.entries: list[Entry] = []

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16  # personal data: for the owner when unpacked
        return info

    def write_parts(self, path: str, parts: Iterable[bytes]) -> Entry:
        digest, size = hashlib.sha256(), 0
        with self.zip.open(self._info(path), "w", force_zip64=True) as handle:
            for part in parts:
                digest.update(part)
                size += len(part)
                handle.write(part)
        entry = Entry(path, digest.hexdigest(), size)
        self.entries.append(entry)
        return entry

    def write(self, path: str, data: bytes) -> Entry:
        return self.write_parts(path, [data])

    def close(self) -> None:
        self.zip.close()
