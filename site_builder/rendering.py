"""Render the planned pages whose digests changed, over all cores (planning.py plans them).

Workers are forked after the catalog is built, so they share it without pickling;
each receives a chunk of jobs, renders them and writes the files into the new tree
itself. A page that fails to render is reported and keeps its previous version.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from site_builder.model import Problem, Severity
from site_builder.output import OutputTree
from site_builder.pages.cable import render_cable
from site_builder.pages.content import render_content
from site_builder.pages.context import RenderContext
from site_builder.pages.feeds import (
    render_feed,
    render_robots,
    render_sitemap,
    render_sitemap_index,
)
from site_builder.pages.indexes import render_index
from site_builder.pages.job import PageJob
from site_builder.pages.lists import render_list
from site_builder.pages.people import render_mentions, render_people, render_person
from site_builder.pages.redirects import render_redirects
from site_builder.pages.search import render_search_manifest, render_search_page
from site_builder.progress import Progress
from site_builder.stages.discover import display_path
from site_builder.workers import default_jobs, start_worker

Renderer = Callable[[RenderContext, tuple[object, ...]], bytes]

# Below this many pages, forking workers costs more than it saves.
_PARALLEL_FROM = 200


def _render_page(context: RenderContext, name: str) -> bytes:
    page = context.memo["content_pages"]
    assert isinstance(page, dict)
    return render_content(context, page[name])


def _render_sitemap(context: RenderContext, key: tuple[object, ...]) -> bytes:
    paths = context.memo["sitemap_paths"]
    assert isinstance(paths, list)
    return render_sitemap(context, key, paths)


RENDERERS: dict[str, Renderer] = {
    "cable": render_cable,
    "list": render_list,
    "index": render_index,
    "person": render_person,
    "people": render_people,
    "mentions": render_mentions,
    "page": lambda context, key: _render_page(context, str(key[0])),
    "feed": render_feed,
    "sitemap": _render_sitemap,
    "sitemap-index": render_sitemap_index,
    "robots": render_robots,
    "redirects": render_redirects,
    "search": render_search_page,
    "search-manifest": render_search_manifest,
    "asset": lambda context, key: context.assets.files[str(key[0])].data,
}

# The context forked workers inherit (set just before the pool starts).
_shared: RenderContext | None = None


@dataclass
class RenderFailures:
    """The pages that could not be rendered, and the template errors among the causes."""

    pages: set[str] = field(default_factory=set)
    templates: list[Problem] = field(default_factory=list)


def render_pages(
    context: RenderContext,
    jobs: Sequence[PageJob],
    tree: OutputTree,
    workers: int | None,
    problems: list[Problem],
    progress: Progress,
) -> RenderFailures:
    """Render `jobs` into `tree`; what failed is reported in `problems` and returned."""
    global _shared
    _shared = context
    workers = workers or default_jobs()
    staging = str(tree.staging)
    failures = RenderFailures()
    with progress.stage("render", len(jobs)) as step:
        if workers <= 1 or len(jobs) < _PARALLEL_FROM:
            results = [_render_chunk((list(jobs), staging))]
        else:
            size = max(20, min(500, len(jobs) // (workers * 8) or 1))
            chunks = [(list(jobs[i : i + size]), staging) for i in range(0, len(jobs), size)]
            compile_templates(context.environment)
            # What exists now (the catalog, the plan) is shared with the workers page by
            # page; a collection in a worker would write to every object of it and so
            # copy it all. Frozen, the collector leaves it alone (it is freed as usual
            # when nothing refers to it; a session unfreezes it with its next plan).
            gc.freeze()
            forked = multiprocessing.get_context("fork")
            with forked.Pool(workers, initializer=start_worker) as pool:
                results = []
                for result in pool.imap(_render_chunk, chunks):
                    results.append(result)
                    step(len(result[0]) + len(result[1]))
        for written, errors in results:
            tree.wrote(written)
            for name, problem, in_template in errors:
                failures.pages.add(name)
                if in_template and problem not in failures.templates:
                    failures.templates.append(problem)
                    problems.append(problem)
                elif not in_template:
                    problems.append(problem)
    return failures


def compile_templates(environment: jinja2.Environment) -> None:
    """Compile every template once, before forking: the workers inherit them compiled,
    and so do later builds in this process (the dev server's, whose first edit would
    otherwise wait for them). A template that does not compile is left for the pages
    it breaks to report."""
    for name in environment.list_templates():
        with contextlib.suppress(jinja2.TemplateError):
            environment.get_template(name)


def _render_chunk(
    work: tuple[list[PageJob], str],
) -> tuple[list[str], list[tuple[str, Problem, bool]]]:
    """Render and write a chunk of pages (in a worker, or in the main process).

    Returns the files written, and (file, problem, caused by a template) for failures.
    """
    jobs, staging = work
    context = _shared
    assert context is not None
    written: list[str] = []
    errors: list[tuple[str, Problem, bool]] = []
    made: set[Path] = set()
    for job in jobs:
        try:
            data = RENDERERS[job.kind](context, job.key)
        except jinja2.TemplateError as error:
            errors.append((job.file, template_problem(error, job), True))
            continue
        except Exception as error:  # one page must not stop the others
            detail = "".join(traceback.format_exception_only(error)).strip()
            errors.append(
                (
                    job.file,
                    Problem(
                        job.inputs[0] if job.inputs else job.file,
                        1,
                        Severity.ERROR,
                        f"cannot render {job.file}: {detail}",
                    ),
                    False,
                )
            )
            continue
        target = Path(staging, job.file)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
        written.append(job.file)
    return written, errors


def template_problem(error: jinja2.TemplateError, job: PageJob | None) -> Problem:
    """A template error as `templates/x.html:12: error: message`."""
    fallback = job.inputs[-1] if job and job.inputs else "templates"
    filename = display_path(getattr(error, "filename", None) or fallback)
    line = getattr(error, "lineno", None) or 1
    during = f" (rendering {job.file})" if job else ""
    return Problem(
        filename, int(line), Severity.ERROR, f"{type(error).__name__}: {error.message}{during}"
    )
