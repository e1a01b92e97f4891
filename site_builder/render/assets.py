"""Static files: the site's own first, then the tool's; CSS and JavaScript fingerprinted.

`static/site.css` is published as `static/site.<hash>.css`, so that hosts may cache it
for a year: a changed file gets a new name, and pages that use it change with it.

The dev server keeps the names the output folder already has (`keep_names_in`): a
stylesheet edit rewrites that one file (its server never lets it be cached) rather than
every page that links it, and a server started after a `build` finds every page as that
build made it, so it renders none again. The next `build` names the file by what it
holds, and its pages change with it.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

FINGERPRINTED = (".css", ".js")


@dataclass(frozen=True)
class Asset:
    """One static file: where it is read from and the name it is published under."""

    source: Path
    published: str  # relative to the output folder: "static/site.1a2b3c4d.css"
    data: bytes


@dataclass
class Assets:
    """Every static file of the site, by its name in `static/`."""

    files: dict[str, Asset] = field(default_factory=dict)

    def url(self, name: str) -> str:
        """The site path of a static file (`site.css` -> `/static/site.1a2b3c4d.css`)."""
        return "/" + self.files[name].published

    @property
    def digest(self) -> str:
        """Changes when any static file changes."""
        hasher = hashlib.blake2b(digest_size=12)
        for name in sorted(self.files):
            hasher.update(f"{name}={self.files[name].published}".encode())
        return hasher.hexdigest()


def collect_assets(static_dirs: list[Path], keep_names_in: Path | None = None) -> Assets:
    """Read the static folders (earlier ones win) and name each file for publishing;
    given an output folder, a file it already publishes under one fingerprinted name
    keeps that name."""
    assets = Assets()
    for folder in static_dirs:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if not path.is_file() or name in assets.files or _hidden(name):
                continue
            data = path.read_bytes()
            kept = _kept_name(name, keep_names_in) if keep_names_in else None
            assets.files[name] = Asset(path, "static/" + (kept or _published(name, data)), data)
    return assets


def _kept_name(name: str, out: Path) -> str | None:
    """The one fingerprinted name `out` publishes `name` under, if there is exactly one."""
    if not name.endswith(FINGERPRINTED):
        return None
    stem, dot, suffix = name.rpartition(".")
    folder, _, base = stem.rpartition("/")
    shape = re.compile(re.escape(base) + r"\.[0-9a-f]{8}" + re.escape(dot + suffix))
    try:
        names = os.listdir(out / "static" / folder)
    except OSError:
        return None
    found = [candidate for candidate in names if shape.fullmatch(candidate)]
    return f"{stem}{found[0][len(base) :]}" if len(found) == 1 else None


def _hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/"))


def _published(name: str, data: bytes) -> str:
    if not name.endswith(FINGERPRINTED):
        return name
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{hashlib.blake2b(data, digest_size=4).hexdigest()}{dot}{suffix}"
