"""A page to make: its output file, how to make it, and a digest of everything it shows.

The digest is computed from the catalog alone (never by rendering), so a build knows
which pages are unchanged before it renders any; `inputs` names what went into it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class PageJob:
    """One output file of the site."""

    file: str  # relative to the output folder: "cable/2007/09/07GUATEMALA1906.html"
    kind: str  # which renderer makes it
    key: tuple[Any, ...]  # what the renderer needs to find its data in the catalog
    digest: str
    inputs: tuple[str, ...]

    def with_digest(self, digest: str) -> PageJob:
        """The same job with another digest (`dataclasses.replace`, which looks up the
        fields each time, costs about a second over the 284,000 pages of a plan)."""
        return PageJob(self.file, self.kind, self.key, digest, self.inputs)


def fingerprint(*parts: object) -> str:
    """A short, stable digest of values (their `repr`: only plain data goes in)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


@cache
def code_digest() -> str:
    """A digest of the tool's own code: pages made by an older version are made again."""
    hasher = hashlib.blake2b(digest_size=12)
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()
