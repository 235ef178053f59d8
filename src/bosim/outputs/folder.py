"""Writing a results folder: whole files or none, never over what a user made.

Everything is written into a hidden temporary folder beside the target, which is
renamed into place only when every file is complete; an error leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from bosim.errors import InputError


def default_output_dir(scenario_name: str, root: Path = Path("results")) -> Path:
    """``results/<scenario-name>-<timestamp>``, with a suffix if that folder exists."""
    slug = re.sub(r"[^a-z0-9]+", "-", scenario_name.lower()).strip("-") or "scenario"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = root / f"{slug}-{stamp}"
    number = 2
    while candidate.exists():
        candidate = root / f"{slug}-{stamp}-{number}"
        number += 1
    return candidate


def check_output_dir(path: Path, force: bool) -> None:
    """Refuse an existing folder unless ``force`` (before any simulation time is spent)."""
    if path.exists() and not force:
        raise InputError(
            "the output folder exists already",
            file=str(path),
            fix="choose another folder with -o, or add --force to replace it",
        )
    if path.exists() and not path.is_dir():
        raise InputError(
            "is a file, not a folder", file=str(path), fix="choose a folder name with -o"
        )


@contextlib.contextmanager
def output_folder(path: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder to write into; on success it becomes ``path``.

    With ``force`` an existing ``path`` is replaced, but only after the new folder is
    complete.
    """
    check_output_dir(path, force)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}.partial-", dir=path.parent))
    try:
        yield temporary
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    if path.exists():
        retired = path.with_name(f".{path.name}.replaced-{os.getpid()}")
        path.rename(retired)
        temporary.rename(path)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        temporary.rename(path)


def write_whole(path: Path, data: bytes) -> None:
    """Write a file through a temporary name and rename, so it is never half written."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def parquet(frame: pd.DataFrame) -> bytes:
    """A frame as Parquet bytes (no index), to be written with :func:`write_whole`."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
