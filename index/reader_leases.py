"""Reader leases: which index build each running reader (a chat server, a CLI run) answers from.

A rebuild switches the manifest to a new build while servers may still be answering from the old
one, so it must not drop the old build's folder or Chroma collection yet. Each reader keeps a
small file under `readers/` naming the build and collection it holds; cleanup keeps whatever a
live reader holds. A lease whose process is gone (killed, crashed) does not count: the process is
checked by pid and start time, so a pid reused by another program is not mistaken for the reader.

Taking a lease races with a writer switching builds, so a reader writes its lease first and then
reads the manifest again: if the build it leased is still the current one, any later cleanup will
see the lease; if not, it leases the new build and checks again.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path

from index.manifest import IndexManifest, read_manifest
from index.processes import pid_alive, start_time
from index.typed_json import record_from_json

log = logging.getLogger(__name__)

LEASES_DIR = "readers"
_MAX_ATTEMPTS = 20  # each retry means a build was switched in meanwhile; twenty in a row do not happen


@dataclass(frozen=True)
class Lease:
    pid: int
    started: int | None  # the process's start time (clock ticks after boot); None where /proc is missing
    build_id: str
    collection: str


class ReaderLease:
    """This reader's claim on one build; `release()` (or garbage collection of the owner) ends it."""

    def __init__(self, data_dir: Path):
        self._path = data_dir / LEASES_DIR / f"{os.getpid()}-{secrets.token_hex(4)}.json"
        self.data_dir = data_dir

    def hold_current(self) -> IndexManifest:
        """Lease the current build and return its manifest, once it is certain no cleanup can miss it."""
        manifest = read_manifest(self.data_dir)
        for _ in range(_MAX_ATTEMPTS):
            self._write(manifest)
            again = read_manifest(self.data_dir)
            if again.build_id == manifest.build_id:
                return manifest
            manifest = again
        return manifest  # builds keep switching: serve the newest, unprotected, rather than not at all

    def release(self) -> None:
        with suppress(OSError):  # a read-only data dir: there was no lease to remove
            self._path.unlink(missing_ok=True)

    def _write(self, manifest: IndexManifest) -> None:
        lease = Lease(os.getpid(), start_time(os.getpid()), manifest.build_id, manifest.collection)
        temp = self._path.with_suffix(".tmp")
        try:
            self._path.parent.mkdir(exist_ok=True)
            temp.write_text(json.dumps(asdict(lease)), encoding="utf-8")
            os.replace(temp, self._path)
        except OSError as error:
            # A full or read-only disk: serving without a lease beats not serving; the cost is that
            # a rebuild run once space is freed may drop this build while it is still being read.
            with suppress(OSError):
                temp.unlink(missing_ok=True)
            log.warning("cannot record which index build this process reads (%s)", error)


def live_leases(data_dir: Path) -> list[Lease]:
    """The leases of readers still running; the files of dead readers are removed on the way."""
    folder = data_dir / LEASES_DIR
    if not folder.is_dir():
        return []
    leases = []
    for path in folder.glob("*.json"):
        lease = _read(path)
        if lease is not None and _alive(lease):
            leases.append(lease)
        else:
            _remove(path)
    for temp in folder.glob("*.tmp"):  # a reader killed while writing its lease
        if not pid_alive(_pid_of(temp)):
            _remove(temp)
    return leases


def _remove(path: Path) -> None:
    with suppress(OSError):  # removing a dead reader's file is tidying, never a reason to fail
        path.unlink(missing_ok=True)


def _read(path: Path) -> Lease | None:
    try:
        return record_from_json(Lease, json.loads(path.read_text(encoding="utf-8")), where=str(path))
    except (OSError, ValueError):
        return None  # unreadable: not a lease anyone can be relying on


def _alive(lease: Lease) -> bool:
    if not pid_alive(lease.pid):
        return False
    started = start_time(lease.pid)
    return lease.started is None or started is None or started == lease.started


def _pid_of(path: Path) -> int | None:
    head = path.name.split("-", 1)[0]
    return int(head) if head.isdigit() else None
