"""A site: where its content, templates, static files and output live, and its settings.

A site folder holds `content/` and may hold its own `templates/`, `static/` and a
`site.toml` (title, description, base URL). Templates and static files a site does not
provide come from the tool's own (the repository's `templates/` and `static/`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from site_builder.errors import UsageError
from site_builder.search.shards import SHARD_PAGES

TOOL_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TITLE = "Cable archive"
DEFAULT_DESCRIPTION = "US diplomatic cables, annotated and searchable."


@dataclass(frozen=True)
class Site:
    """Everything a build needs to know before it reads the content."""

    content: Path
    out: Path
    base_url: str = "/"
    title: str = DEFAULT_TITLE
    description: str = DEFAULT_DESCRIPTION
    jobs: int | None = None
    strict: bool = False
    search: bool = True
    search_shard_size: int = SHARD_PAGES  # cable pages per search index
    keep_asset_names: bool = False  # True in the dev server (see render/assets.py)

    @property
    def folder(self) -> Path:
        """The site's own folder: the one that holds `content/`."""
        return self.content.resolve().parent

    @property
    def template_dirs(self) -> list[Path]:
        """The site's templates first, then the tool's: a site overrides any template."""
        return _existing([self.folder / "templates", TOOL_ROOT / "templates"])

    @property
    def static_dirs(self) -> list[Path]:
        """The site's static files first, then the tool's."""
        return _existing([self.folder / "static", TOOL_ROOT / "static"])

    @property
    def state_file(self) -> Path:
        """Where the build records what each page was made from (beside the output)."""
        out = self.out.resolve()
        return out.parent / ".site-builder" / f"{out.name}-state.json"

    @property
    def parse_cache_file(self) -> Path:
        """Where a build keeps the parsed files for the next one (beside the state)."""
        return self.state_file.with_name(f"{self.out.resolve().name}-parsed.pickle")

    @property
    def prepared_folder(self) -> Path:
        """Where the parse stage leaves each cable page's own part (beside the state)."""
        return self.state_file.with_name(f"{self.out.resolve().name}-prepared")

    def url(self, path: str) -> str:
        """A site path (`/tag/PGOV/`) under the base URL (`/archive/tag/PGOV/`)."""
        return self.base_url.rstrip("/") + path


def _existing(paths: list[Path]) -> list[Path]:
    seen: list[Path] = []
    for path in paths:
        if path.is_dir() and path.resolve() not in [p.resolve() for p in seen]:
            seen.append(path)
    return seen


def load_site(
    content: Path,
    out: Path,
    base_url: str | None = None,
    jobs: int | None = None,
    strict: bool = False,
    search: bool = True,
    search_shard_size: int | None = None,
) -> Site:
    """Read `site.toml` (if any) beside `content/`; command-line values win over it."""
    if not content.is_dir():
        raise UsageError(f"{content}: no such folder (is --content right?)")
    settings = _settings(content.resolve().parent / "site.toml")
    base = base_url if base_url is not None else str(settings.get("base_url", "/"))
    if not base.startswith("/") and "://" not in base:
        raise UsageError(f"--base-url {base!r}: give a path such as /archive/ or a full URL")
    return Site(
        content=content,
        out=out,
        base_url=base if base.endswith("/") else base + "/",
        title=str(settings.get("title", DEFAULT_TITLE)),
        description=str(settings.get("description", DEFAULT_DESCRIPTION)),
        jobs=jobs,
        strict=strict,
        search=search,
        search_shard_size=_shard_size(search_shard_size, settings),
    )


def _shard_size(given: int | None, settings: dict[str, object]) -> int:
    value = given if given is not None else settings.get("search_shard_size", SHARD_PAGES)
    if not isinstance(value, int) or value < 1:
        raise UsageError(f"search shard size {value!r}: give a whole number of pages, 1 or more")
    return value


def _settings(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: not valid TOML: {error}") from error
