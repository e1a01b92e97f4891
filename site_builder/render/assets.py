"""Static files: the site's own first, then the tool's; CSS and JavaScript fingerprinted.

`static/site.css` is published as `static/site.<hash>.css`, so that hosts may cache it
for a year: a changed file gets a new name, and pages that use it change with it.
The dev server publishes plain names instead (`static/site.css`, never cached), so that
a stylesheet edit rewrites one file rather than every page that links it.
"""

from __future__ import annotations

import hashlib
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


def collect_assets(static_dirs: list[Path], fingerprinted: bool = True) -> Assets:
    """Read the static folders (earlier ones win) and name each file for publishing."""
    assets = Assets()
    for folder in static_dirs:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if not path.is_file() or name in assets.files or _hidden(name):
                continue
            data = path.read_bytes()
            published = _published(name, data) if fingerprinted else name
            assets.files[name] = Asset(path, "static/" + published, data)
    return assets


def _hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/"))


def _published(name: str, data: bytes) -> str:
    if not name.endswith(FINGERPRINTED):
        return name
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{hashlib.blake2b(data, digest_size=4).hexdigest()}{dot}{suffix}"
