"""Content folders for the hostile-input tests, and quick builds of them.

The benign site is the repository's own content plus `benign/` (cables, a note and
people that use every mark a page can carry, a page with every Markdown construct): what
its build holds is what the templates can make, the allow-list hostile builds are held to.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from site_builder.build import build
from site_builder.report import BuildReport
from site_builder.site import load_site
from tests.adversarial.markup import Vocabulary, site_markup

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ADVERSARIAL = HERE / "content"
BENIGN = HERE / "benign"


def copy_content(folder: Path, *sources: Path) -> Path:
    """`folder/content`, holding the files of each source folder in turn."""
    content = folder / "content"
    for source in sources:
        shutil.copytree(source, content, dirs_exist_ok=True)
    (content / "cables").mkdir(parents=True, exist_ok=True)
    return content


def quick_build(content: Path, out: Path, jobs: int | None = 1) -> BuildReport:
    """The real build without the search index (Pagefind reads pages; it writes none)."""
    return build(load_site(content, out, search=False, jobs=jobs))


def allowed_markup(folder: Path) -> Vocabulary:
    """The markup of the benign site: everything the templates and Markdown can make."""
    content = copy_content(folder, ROOT / "content", BENIGN)
    out = folder / "public"
    report = quick_build(content, out)
    assert report.problems == [], [str(p) for p in report.problems]
    return site_markup(out)
