"""Which files of a site's folders are sources: the rule the builds, their check for
changes and the dev server's watcher share."""

from __future__ import annotations

import re
from pathlib import Path

# Names no source has: hidden files and folders (VCS folders, editors' swap files),
# and what editors leave beside a file they edit (swap, backup and lock files, and
# vim's `4913` probe). No build reads them, and no build looks whether they changed.
IGNORED_NAME = re.compile(r"\.|4913\Z|#.*#\Z|.*\.(?:swp|swx|swo|tmp|bak|orig|kate-swp)\Z|.*~\Z")


def markdown_files(folder: Path) -> list[Path]:
    """The Markdown files of a content folder (people, annotations, pages), sorted; none whose
    name `IGNORED_NAME` matches."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.md") if not IGNORED_NAME.match(path.name))
