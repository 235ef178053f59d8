"""Writing a results folder: whole files or none, never over what a user made.

A results folder is built in a hidden *staging* folder beside the target
(``.NAME.partial-PID-RANDOM``, with an owner file naming the process) and published with
one exclusive rename: onto a name that must not exist, so two runs given the same folder
never replace each other (the later one is published as ``NAME-2`` and says so).
``--force`` swaps the new folder with the old one in one step and then deletes the old
one, and only if the old one is a folder bosim wrote; never the current folder, a folder
above it, or a folder that holds an input file. A run that is killed leaves its staging
folder behind; the next run into the same parent removes it once its process is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import io
import json
import os
import re
import secrets
import shutil
import socket
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from bosim.errors import InputError

NAME_LIMIT = 100
"""Characters in a folder name bosim derives (``results/<slug>-<timestamp>``)."""
SLUG_LIMIT = 60
"""Characters of a scenario or plan name kept in a derived folder name."""
FOLDER_NAME_LIMIT = 200
"""Bytes of a folder name given with ``-o``: room for the staging name's suffix within the
255 bytes most file systems allow."""
PATH_LIMIT = 3900
"""Bytes of a results folder's path: room for ``runs/<plan>/<file>`` within 4096."""
PARTIAL = ".partial-"
OWNER = ".bosim-owner.json"
"""The file in a staging folder that names the host and process building it."""
RESULT_SUFFIXES = (".json", ".csv", ".parquet", ".xlsx", ".html")
"""The kinds of file bosim writes into a results folder."""
MANIFEST_FORMAT_PREFIX = "bosim-"
_STAGING = re.compile(r"^\.(?P<name>.+)\.partial-(?P<pid>\d+)-[0-9a-f]{6}$")
_EARLIER_STAGING = re.compile(r"^\.(?P<name>.+)\.(partial-[a-z0-9_]{8}|replaced-\d+)$")
"""Temporary folders of bosim 0.2 (``tempfile.mkdtemp`` names), which carry no owner."""

_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def slug(name: str, limit: int = SLUG_LIMIT) -> str:
    """A name as a safe folder name: lower-case letters, digits and ``-``, at most ``limit``."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return text[:limit].rstrip("-") or "scenario"


def default_output_dir(scenario_name: str, root: Path = Path("results")) -> Path:
    """``results/<scenario-name>-<timestamp>``, with a suffix if that folder exists.

    The name is a slug of at most :data:`NAME_LIMIT` characters, whatever the scenario is
    called, so it never holds a path separator and is never too long for the file system.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{slug(scenario_name)}-{stamp}"
    candidate = root / base
    number = 2
    while os.path.lexists(candidate):
        candidate = root / f"{base}-{number}"
        number += 1
    return candidate


def is_bosim_folder(path: Path) -> bool:
    """Whether ``path`` holds a ``manifest.json`` that bosim wrote (a run, comparison ...)."""
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict):
        return False
    kind = manifest.get("format")
    return (isinstance(kind, str) and kind.startswith(MANIFEST_FORMAT_PREFIX)) or (
        "bosim_version" in manifest)


def _foreign_entries(path: Path) -> list[str]:
    """What in a folder bosim would not have written there (by kind of file), sorted."""
    foreign = []
    for entry in sorted(path.rglob("*")):
        name = str(entry.relative_to(path))
        ours = entry.name.endswith(RESULT_SUFFIXES) or entry.name.endswith(".tmp")
        if entry.is_symlink() or (entry.is_file() and not ours):
            foreign.append(name)
    return foreign


def _listing(path: Path, limit: int = 5) -> str:
    """The first few entries of a folder, for a message (``a.txt, notes/ and 3 more``)."""
    entries = sorted(path.iterdir())
    names = [entry.name + ("/" if entry.is_dir() else "") for entry in entries[:limit]]
    more = f" and {len(entries) - limit} more" if len(entries) > limit else ""
    return ", ".join(names) + more


def _within(inner: Path, outer: Path) -> bool:
    """Whether ``inner`` is ``outer`` or below it (both resolved)."""
    return inner == outer or outer in inner.parents


def _why_not_replaceable(path: Path, inputs: Sequence[Path]) -> str | None:
    """Why ``--force`` must not replace the existing folder ``path``; None if it may."""
    if path.is_symlink():
        return "is a link to another folder, and bosim replaces only folders it wrote"
    real = path.resolve()
    here = Path.cwd().resolve()
    if real == here:
        return "is the current folder"
    if real in here.parents:
        return "holds the current folder"
    for source in inputs:
        if _within(Path(source).resolve(), real):
            return f"holds the input file {source}"
    try:
        entries = list(path.iterdir())
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if not entries:
        return None
    if not is_bosim_folder(path):
        return (f"is not a results folder bosim wrote (no bosim manifest.json); it holds "
                f"{_listing(path)}")
    foreign = _foreign_entries(path)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more"
                                          if len(foreign) > 5 else "")
        return f"holds files bosim did not write ({shown})"
    return None


def _nearest_existing(path: Path) -> Path:
    """The deepest ancestor of ``path`` (or ``path``) that exists."""
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(path.anchor or "/")


def _megabytes(count: float) -> str:
    return f"{count / 1e6:,.0f} MB" if count >= 1e6 else f"{count / 1e6:.1f} MB"


def check_output_dir(path: Path, force: bool = False, inputs: Sequence[Path] = (),
                     needed_bytes: int = 0) -> None:
    """Refuse a results folder that cannot or must not be written, before any simulating.

    Checks the folder's name and path length, that its parent can be created and written
    and has room for about ``needed_bytes``, and that an existing folder is only replaced
    with ``force`` and only if bosim wrote it (never the current folder, a folder above
    it, or one holding any of ``inputs``).

    Raises:
        InputError: naming the folder, what is wrong and what to do instead.

    """
    target = Path(os.path.abspath(path))
    name = target.name
    if not name:
        raise InputError("is the root folder, not a results folder", file=str(path),
                         fix="give a new folder with -o, e.g. -o results/my-run")
    if len(name.encode("utf-8", "surrogateescape")) > FOLDER_NAME_LIMIT:
        raise InputError(
            f"the folder name is too long ({len(name)} characters)", file=str(path),
            fix=f"give a folder name of at most {FOLDER_NAME_LIMIT // 2} characters with -o")
    if len(os.fsencode(target)) > PATH_LIMIT:
        raise InputError(f"the folder's path is too long ({len(str(target))} characters)",
                         file=str(path), fix="give a shorter folder path with -o")
    existing = _nearest_existing(target.parent)
    if not existing.is_dir():
        raise InputError(f"{existing} is a file, so no folder can be made inside it",
                         file=str(path), fix="give a folder whose parent is a folder with -o")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"cannot write in {existing} (no permission, or read-only)",
                         file=str(path), fix="give a folder you can write in with -o")
    free = shutil.disk_usage(existing).free
    if needed_bytes > free:
        raise InputError(
            f"not enough room for the results: about {_megabytes(needed_bytes)} needed, "
            f"{_megabytes(free)} free on the disk of {existing}",
            file=str(path), fix="free some room, or give a folder on another disk with -o")
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise InputError("is a file, not a folder", file=str(path),
                         fix="choose a folder name with -o")
    reason = _why_not_replaceable(target, inputs)
    if not force:
        fix = ("choose another folder with -o, or add --force to replace it" if reason is None
               else "choose another folder with -o (--force would not replace it: it "
               f"{reason})")
        raise InputError("the output folder exists already", file=str(path), fix=fix)
    if reason is not None:
        raise InputError(
            f"--force will not replace this folder: it {reason}", file=str(path),
            fix="choose another folder with -o; --force replaces only a results folder "
            "bosim wrote")


def _process_start(pid: int) -> str:
    """When a process started (ticks since boot, from /proc), or "" where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]


def _alive(pid: int, started: str) -> bool:
    """Whether the process that wrote an owner file still runs (not a reused number)."""
    if os.name == "nt":  # pragma: no cover - os.kill would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not started or _process_start(pid) in ("", started)


def clear_stale_staging(parent: Path) -> list[str]:
    """Remove staging folders in ``parent`` left by bosim runs that were killed.

    A staging folder is removed only if its owner file names this host and a process
    that no longer runs. Those of other hosts, and unowned ones of earlier versions, are
    reported, not removed. Returns one plain-words note per folder found.
    """
    notes: list[str] = []
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return notes
    for entry in entries:
        match = _STAGING.match(entry.name)
        if match is None:
            if _EARLIER_STAGING.match(entry.name) and entry.is_dir():
                notes.append(f"found {entry}, a partial results folder of an earlier run; "
                             "remove it if no bosim run is writing there")
            continue
        try:
            owner = json.loads((entry / OWNER).read_text(encoding="utf-8"))
            pid, host, started = int(owner["pid"]), str(owner["host"]), str(owner["started"])
        except (OSError, ValueError, KeyError, TypeError):
            pid, host, started = int(match["pid"]), "", ""
        if host and host != socket.gethostname():
            notes.append(f"found {entry}, a partial results folder of a run on {host}; "
                         "remove it if no bosim run is writing there")
        elif not _alive(pid, started):
            shutil.rmtree(entry, ignore_errors=True)
            if not os.path.lexists(entry):
                notes.append(f"removed {entry}, a partial results folder left by a bosim "
                             f"run that was stopped (process {pid})")
    return notes


class _Renamer:
    """Exclusive and exchanging renames of folders (``renameat2`` on Linux).

    Elsewhere, or on a file system without it, an exclusive rename claims the name with
    ``os.mkdir`` (which fails if it exists) and moves the files in; an exchange becomes
    two renames.
    """

    def __init__(self) -> None:
        self._call = None
        if sys.platform.startswith("linux"):
            with contextlib.suppress(OSError, AttributeError):
                function = ctypes.CDLL(None, use_errno=True).renameat2
                function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                                     ctypes.c_char_p, ctypes.c_uint]
                function.restype = ctypes.c_int
                self._call = function

    def _renameat2(self, source: Path, target: Path, flags: int) -> bool:
        """Rename with ``flags``; False if this system or file system cannot."""
        if self._call is None:
            return False
        if self._call(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags):
            code = ctypes.get_errno()
            if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
                return False
            raise OSError(code, os.strerror(code), str(target))
        return True

    def exclusive(self, source: Path, target: Path) -> None:
        """Move folder ``source`` to ``target``; FileExistsError if ``target`` exists."""
        if self._renameat2(source, target, _RENAME_NOREPLACE):
            return
        if os.name == "nt":  # pragma: no cover - Windows renames never replace
            os.rename(source, target)
            return
        os.mkdir(target)  # the claim: exactly one process can make it
        for entry in source.iterdir():
            os.rename(entry, target / entry.name)
        os.rmdir(source)

    def exchange(self, source: Path, target: Path, spare: Path) -> None:
        """Put folder ``source`` at ``target`` and what was there at ``source``.

        Atomic where the system can; otherwise ``target`` is moved to ``spare`` first, and
        the old folder is then at ``spare``.
        """
        if self._renameat2(source, target, _RENAME_EXCHANGE):
            return
        os.rename(target, spare)
        self.exclusive(source, target)


_renamer = _Renamer()


class Staging:
    """Where a results folder is built before it is published at (or beside) its target.

    Made by :func:`staging`: write the folder at :attr:`building`, then :meth:`publish`.
    """

    def __init__(self, target: Path, force: bool, inputs: Sequence[Path], folder: Path,
                 notes: list[str]) -> None:
        self.target = target
        """The folder asked for."""
        self.force = force
        self.inputs = list(inputs)
        self.folder = folder
        """The hidden staging folder beside the target."""
        self.notes = notes
        """What the checks found and did (stale staging folders removed), in plain words."""
        self.published: Path | None = None
        """Where the folder was published, once it is."""

    @property
    def building(self) -> Path:
        """The path to write the results folder at (inside the staging folder)."""
        return self.folder / self.target.name

    def ensure(self) -> None:
        """Make the staging folder again if it was removed while simulating."""
        if not self.folder.is_dir():
            self.folder.mkdir(parents=True)
            _write_owner(self.folder)

    def publish(self) -> Path:
        """Move the finished folder into place and return where it is.

        The target if it is free (or, with ``force``, a bosim folder that may be
        replaced); otherwise the first free ``NAME-2``, ``NAME-3`` ... : another run's
        folder is never replaced without ``force``.
        """
        built = self.building
        if (self.force and os.path.lexists(self.target)
                and self.target.is_dir() and not self.target.is_symlink()
                and _why_not_replaceable(self.target, self.inputs) is None):
            # Gone meanwhile, or (without an atomic exchange) taken again: publish below.
            with contextlib.suppress(FileNotFoundError, FileExistsError):
                _renamer.exchange(built, self.target, self.folder / "replaced")
                self.published = self.target
        if self.published is None:
            candidate, number = self.target, 2
            while True:
                try:
                    _renamer.exclusive(built, candidate)
                    break
                except FileExistsError:
                    candidate = self.target.with_name(f"{self.target.name}-{number}")
                    number += 1
            self.published = candidate
        self.discard()
        return self.published

    def discard(self) -> None:
        """Remove the staging folder and whatever is in it (an old or unfinished folder)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _write_owner(folder: Path) -> None:
    owner = {"pid": os.getpid(), "host": socket.gethostname(),
             "started": _process_start(os.getpid())}
    (folder / OWNER).write_text(json.dumps(owner), encoding="utf-8")


@contextlib.contextmanager
def staging(path: Path, force: bool = False, inputs: Sequence[Path] = (),
            needed_bytes: int = 0) -> Iterator[Staging]:
    """Check a results folder and make its staging folder; removed again on any error.

    The staging folder is made before simulating, so that writing is really tried
    (a read-only disk, a permission) and a killed run leaves a folder the next run can
    recognise and remove. See :func:`check_output_dir` for the checks.

    Raises:
        InputError: if the folder cannot or must not be written.

    """
    check_output_dir(path, force, inputs, needed_bytes)
    target = Path(os.path.abspath(path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot make the folder {target.parent}: {error.strerror}",
                         file=str(path), fix="give a folder you can write in with -o") from error
    notes = clear_stale_staging(target.parent)
    folder = target.parent / f".{target.name}{PARTIAL}{os.getpid()}-{secrets.token_hex(3)}"
    try:
        folder.mkdir()
        _write_owner(folder)
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"cannot write in {target.parent}: {error.strerror}",
                         file=str(path), fix="give a folder you can write in with -o") from error
    reserved = Staging(target, force, inputs, folder, notes)
    try:
        yield reserved
    finally:  # unpublished results, or a replaced folder: nothing in it is to be kept
        reserved.discard()


@contextlib.contextmanager
def output_folder(path: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder to write into; on success it becomes ``path``.

    With ``force`` an existing bosim folder at ``path`` is replaced, but only after the
    new folder is complete.

    Raises:
        InputError: if ``path`` cannot or must not be written (before anything is
            written), or if another folder appeared at ``path`` meanwhile: then the new
            folder is published under another name, which the message gives.

    """
    with staging(path, force) as reserved:
        reserved.building.mkdir()
        yield reserved.building
        published = reserved.publish()
    if published != reserved.target:
        raise InputError(
            f"the folder appeared while this one was being written; these results are in "
            f"{published}", file=str(path), fix="choose a folder no other run writes to")


def write_whole(path: Path, data: bytes) -> None:
    """Write a file through a temporary name and rename, so it is never half written."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def parquet(frame: pd.DataFrame) -> bytes:
    """A frame as Parquet bytes (no index), to be written with :func:`write_whole`."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
