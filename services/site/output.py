"""Putting a finished build in place in one step, so a web server never serves half a
site.

The new site is written into a fresh folder beside the target, then the two folders
change places with `renameat2(RENAME_EXCHANGE)` (Linux): a reader sees the whole old
site or the whole new one, never a mix. Where the exchange is not available, the old
folder is renamed aside and the new one renamed in: two renames, a moment without a
site, never a half one. Hidden entries of the old folder (`.git`, `.well-known`) are
moved into the new one first, so an NGO can publish the folder through git.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def write_tree(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write every file (relative path → bytes) under `folder`."""
    for name, data in sorted(files.items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


class NotASite(RuntimeError):
    """The target folder holds something other than a site; it is left alone."""


def staging_for(target: Path) -> Path:
    """A new empty folder beside `target` to build into. A target that is neither empty
    nor a site (no `index.html`) is refused, not replaced; folders left by a build that
    was killed are removed."""
    target = target.absolute()
    if target.exists() and not _replaceable(target):
        raise NotASite(f"{target} is not empty and holds no index.html")
    target.parent.mkdir(parents=True, exist_ok=True)
    for pattern in (f".{target.name}.new-*", f".{target.name}.old-*"):
        for stale in target.parent.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))


def swap_in(staging: Path, target: Path) -> Path | None:
    """Put the finished build in `target`'s place, atomically where possible; returns
    where the old site now is, for the caller to remove (`discard`) once it has said the
    build is done: hundreds of MB of open data take a moment to delete."""
    target = target.absolute()
    _make_public(staging)
    if not target.exists():
        staging.rename(target)
        return None
    _carry_hidden(target, staging)
    if _exchange(staging, target):
        return staging  # now the old site
    aside = target.with_name(f".{target.name}.old-{os.getpid()}")
    target.rename(aside)
    staging.rename(target)
    return aside


def discard(folder: Path | None) -> None:
    """Remove a build that was not swapped in (an error midway), or an old site."""
    if folder is not None and folder.exists():
        shutil.rmtree(folder, ignore_errors=True)


def _make_public(folder: Path) -> None:
    """Readable by all (a site is public by definition; mkdtemp made it private)."""
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    folder.chmod(0o755)


def _replaceable(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    visible = [entry for entry in folder.iterdir() if not entry.name.startswith(".")]
    return not visible or (folder / "index.html").is_file()


def _carry_hidden(old: Path, new: Path) -> None:
    for entry in sorted(old.iterdir()):
        if entry.name.startswith(".") and not (new / entry.name).exists():
            entry.rename(new / entry.name)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step; False where the system cannot."""
    with contextlib.suppress(AttributeError, OSError):
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
        renameat2.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_uint,
        ]
        renameat2.restype = ctypes.c_int
        done = renameat2(
            _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
        )
        return bool(done == 0)
    return False
