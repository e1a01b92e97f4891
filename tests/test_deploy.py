"""Deploying: netlify.toml's build and headers against a real built site, `site-builder
preview` serving that site as the host would, and the build command run as Netlify runs
it, in a fresh environment over a clean clone of the repository."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from site_builder import urls
from site_builder.cli import _parser
from site_builder.deploy.netlify import (
    DEFAULT_CACHE_CONTROL,
    HostHeaders,
    for_pattern,
    load_headers,
)
from site_builder.deploy.redirects import read_rules
from site_builder.render.assets import collect_assets
from site_builder.site import TOOL_ROOT
from tests.serve_fixtures import (
    SEED_FILE,
    SEED_PAGE,
    Served,
    assert_nothing_leaks,
    climbing_paths,
    previewing,
    start_preview,
)
from tests.site_fixtures import NETLIFY_TOML, ROOT, BuiltSite
from tests.test_cli import run

YEAR = "public, max-age=31536000, immutable"
PAGEFIND_HASHED = re.compile(r"_[0-9a-f]{7,}\.pf_(fragment|index|filter|meta)$")
BUILD_SECONDS = 270  # the clean-clone build, installing the package included


def settings() -> dict[str, dict[str, object]]:
    parsed: dict[str, dict[str, object]] = tomllib.loads(NETLIFY_TOML.read_text())
    return parsed


def host_headers() -> HostHeaders:
    headers, problems = load_headers(NETLIFY_TOML)
    assert not problems, [str(problem) for problem in problems]
    return headers


def site_paths(out: Path) -> list[str]:
    """The URL path of every file of a built site, as its pages link it (`/tag/PGOV/`)."""
    return sorted(
        urls.path_of(file.relative_to(out).as_posix()) for file in out.rglob("*") if file.is_file()
    )


# ---------------------------------------------------------------- netlify.toml


def test_netlify_publishes_the_folder_build_writes() -> None:
    build = settings()["build"]
    assert build["publish"] == str(_parser().parse_args(["build"]).out)
    assert isinstance(build["command"], str) and build["command"].strip()


def test_netlifys_python_meets_the_projects_requirement() -> None:
    environment = settings()["build"]["environment"]
    assert isinstance(environment, dict)
    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert required.startswith(">="), required
    wanted = tuple(int(part) for part in required[2:].split("."))
    given = tuple(int(part) for part in str(environment["PYTHON_VERSION"]).split("."))
    assert given[: len(wanted)] >= wanted, (given, required)


def test_every_header_rule_matches_files_of_a_built_site(corpus_site: BuiltSite) -> None:
    paths = site_paths(corpus_site.out)
    for rule in host_headers().rules:
        assert any(rule.matches(path) for path in paths), f"{rule.path} matches no file"


def test_no_path_gets_one_header_from_two_rules(corpus_site: BuiltSite) -> None:
    """Netlify joins the values of every matching rule: two Cache-Control rules on a path
    would send one contradicting header."""
    rules = host_headers().rules
    for path in site_paths(corpus_site.out):
        names = [name.lower() for rule in rules if rule.matches(path) for name, _ in rule.values]
        assert len(names) == len(set(names)), (path, names)


def test_only_files_named_by_their_content_are_kept_a_year(corpus_site: BuiltSite) -> None:
    headers = host_headers()
    fingerprinted = {
        "/" + asset.published
        for asset in collect_assets([TOOL_ROOT / "static"]).files.values()
        if asset.published != "static/" + asset.source.name
    }
    kept = {
        path for path in site_paths(corpus_site.out) if headers.value(path, "Cache-Control") == YEAR
    }
    assert fingerprinted and fingerprinted <= kept
    for path in kept - fingerprinted:
        assert path.startswith("/pagefind/") and PAGEFIND_HASHED.search(path), path
    for path in set(site_paths(corpus_site.out)) - kept:
        assert headers.value(path, "Cache-Control") == DEFAULT_CACHE_CONTROL, path


# ---------------------------------------------------------------- the preview server


def test_preview_sends_each_rules_headers_with_its_files(
    corpus_site: BuiltSite, previewed: Served
) -> None:
    paths = site_paths(corpus_site.out)
    for rule in host_headers().rules:
        path = next(path for path in paths if rule.matches(path))
        status, sent, _ = previewed.get(path)
        assert status == 200, path
        for name, value in rule.values:
            assert value in sent[name.lower()], (rule.path, path, name)


@pytest.mark.parametrize(
    ("path", "cache"),
    [
        ("/", DEFAULT_CACHE_CONTROL),
        ("/tag/PGOV/", DEFAULT_CACHE_CONTROL),
        (SEED_PAGE, DEFAULT_CACHE_CONTROL),
        ("/pagefind/pagefind-entry.json", DEFAULT_CACHE_CONTROL),
        ("/search/shards.json", DEFAULT_CACHE_CONTROL),
    ],
)
def test_pages_and_index_entries_are_revalidated(previewed: Served, path: str, cache: str) -> None:
    status, sent, _ = previewed.get(path)
    assert status == 200, path
    assert sent["cache-control"] == cache
    assert sent["content-security-policy"] == host_headers().value("/", "Content-Security-Policy")


def test_fingerprinted_css_and_pagefind_fragments_are_immutable(
    corpus_site: BuiltSite, previewed: Served
) -> None:
    stylesheet = next((corpus_site.out / "static").glob("site.*.css"))
    fragment = next((corpus_site.out / "pagefind" / "fragment").glob("*.pf_fragment"))
    for file in (stylesheet, fragment):
        path = "/" + file.relative_to(corpus_site.out).as_posix()
        status, sent, body = previewed.get(path)
        assert status == 200 and body == file.read_bytes(), path
        assert sent["cache-control"] == YEAR, path


def test_preview_answers_missing_paths_with_the_404_page(
    corpus_site: BuiltSite, previewed: Served
) -> None:
    status, sent, body = previewed.get("/no/such/page/")
    assert status == 404
    assert body == (corpus_site.out / "404.html").read_bytes(), "the file as built, nothing added"
    assert sent["content-type"].startswith("text/html")


def test_preview_serves_folders_by_their_index_and_adds_the_slash(
    corpus_site: BuiltSite, previewed: Served
) -> None:
    status, _, body = previewed.get("/tag/PGOV/")
    assert status == 200 and body == (corpus_site.out / "tag/PGOV/index.html").read_bytes()
    status, sent, _ = previewed.get("/tag/PGOV")
    assert status == 301 and sent["location"] == "/tag/PGOV/"


@pytest.mark.parametrize("path", climbing_paths(f"seed-{SEED_FILE}"))
def test_preview_serves_nothing_above_the_output_folder(previewed: Served, path: str) -> None:
    assert_nothing_leaks(previewed, path)


def test_preview_follows_the_built_sites_redirects(
    corpus_site: BuiltSite, previewed: Served
) -> None:
    """Each rule for one old address (a sample) answers with its status and target, and
    the target is a page of the site."""
    rules = read_rules((corpus_site.out / "_redirects").read_text())
    literal = [rule for rule in rules if ":" not in rule.path and "*" not in rule.path]
    assert literal, "the build wrote no rule for a single old address"
    for rule in literal[:: max(1, len(literal) // 20)]:
        status, sent, _ = previewed.get(rule.path)
        assert (status, sent.get("location")) == (rule.status, rule.target), rule
        assert previewed.get(rule.target)[0] == 200, rule


def test_redirects_give_way_to_files_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "public"
    pages = {"index.html": "home", "404.html": "missing", "a/index.html": "a", "old.html": "old"}
    for name, text in {**pages, "kept.html": "kept"}.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    (out / "_redirects").write_text(
        "# old addresses\n"
        "/old.html /a/ 301\n"
        "/kept.html /a/ 301!\n"
        "/cable/:file /search/?q=:file\n"
        "/moved/* /a/:splat 302\n"
        "/gone/* /a/ 404\n"
        "/only-a-path\n"
    )
    with previewing(out) as served:
        assert re.fullmatch(
            rf"{re.escape(str(out / '_redirects'))}:7: warning: .+", served.lines[0]
        )
        assert served.get("/old.html")[::2] == (200, b"old"), "a file is served before a rule"
        status, sent, _ = served.get("/kept.html")
        assert (status, sent["location"]) == (301, "/a/"), "a forced rule goes before the file"
        status, sent, _ = served.get("/cable/07GUATEMALA1906.html")
        assert (status, sent["location"]) == (301, "/search/?q=07GUATEMALA1906.html")
        status, sent, _ = served.get("/moved/b/c")
        assert (status, sent["location"]) == (302, "/a/b/c")
        assert served.get("/gone/x")[::2] == (404, b"a"), "a 404 rule serves its own page"
        assert served.get("/nowhere")[::2] == (404, b"missing")


def test_preview_stops_cleanly_on_ctrl_c(corpus_site: BuiltSite) -> None:
    served = start_preview(corpus_site.out)
    assert served.page("/") == (corpus_site.out / "index.html").read_text()
    assert served.stop() == 0
    assert served.process.stdout is not None
    rest = served.process.stdout.read()
    assert rest.strip().endswith("stopped") and "Traceback" not in rest


def test_preview_needs_a_built_site(tmp_path: Path) -> None:
    result = run("preview", "--out", str(tmp_path / "public"), "--config", str(NETLIFY_TOML))
    assert result.returncode == 2
    assert "no built site here" in result.stderr and "site-builder build" in result.stderr


def test_a_netlify_toml_that_does_not_parse_is_one_line_and_nothing_served(
    corpus_site: BuiltSite, tmp_path: Path
) -> None:
    config = tmp_path / "netlify.toml"
    config.write_text('[build]\npublish = "public"\n\n[[headers]]\nfor = /*\n')
    result = run("preview", "--out", str(corpus_site.out), "--config", str(config))
    assert result.returncode == 1
    assert re.fullmatch(rf"{re.escape(str(config))}:5: error: [^\n]+\n", result.stderr)
    assert "previewing" not in result.stdout


def test_a_rule_that_cannot_apply_is_a_warning_and_the_others_apply(tmp_path: Path) -> None:
    config = tmp_path / "netlify.toml"
    config.write_text(
        '[[headers]]\n  for = "/*"\n  [headers.values]\n    X-One = "1"\n\n'
        '[[headers]]\n  [headers.values]\n    X-Two = "2"\n\n'
        '[[headers]]\n  for = "/a/*"\n  [headers.values]\n    X-Three = 3\n    X-Four = "4"\n'
        '    "X: Five" = "5"\n'
    )
    headers, problems = load_headers(config)
    assert [(problem.line, problem.severity.value) for problem in problems] == [
        (6, "warning"),
        (10, "warning"),
        (10, "warning"),
    ]
    assert "X-Three" in problems[1].message and "X: Five" in problems[2].message
    assert headers.value("/a/b", "X-One") == "1" and headers.value("/a/b", "X-Four") == "4"
    assert headers.value("/a/b", "X-Two") is None and headers.value("/a/b", "X-Three") is None


# ---------------------------------------------------------------- Netlify's matching


@pytest.mark.parametrize(
    ("rule", "path", "matches"),
    [
        ("/*", "/", True),
        ("/*", "/cable/2007/09/07GUATEMALA1906.html", True),
        ("/static/*", "/static", True),
        ("/static/*", "/static/site.1a2b3c4d.css", True),
        ("/static/*", "/staticky/x.css", True),  # so Netlify's parser has it: `/static/?(.*)`
        ("/static/*.css", "/static/site.1a2b3c4d.css", True),
        ("/static/*.css", "/static/deep/site.1a2b3c4d.css", True),
        ("/static/*.css", "/pagefind/pagefind-ui.css", False),
        ("/static/*.css", "/static/site.css.map", False),
        ("/static/*.css", "/static/sitexcss", False),
        ("/pagefind/*.pf_fragment", "/pagefind/shard-03/fragment/en_03a79d3.pf_fragment", True),
        ("/tag/:code/", "/tag/PGOV/", True),
        ("/tag/:code/", "/tag/PGOV", True),
        ("/tag/:code/", "/tag/PGOV/page/2/", False),
        ("/search/", "/SEARCH/", True),
        ("/", "/", True),
        ("/", "/index.html", False),
    ],
)
def test_for_paths_match_as_netlify_matches_them(rule: str, path: str, matches: bool) -> None:
    assert (for_pattern(rule).match(path) is not None) is matches


def test_a_header_several_rules_set_is_sent_once_with_their_values_joined(
    tmp_path: Path,
) -> None:
    config = tmp_path / "netlify.toml"
    config.write_text(
        '[[headers]]\n  for = "/*"\n  [headers.values]\n    Cache-Control = "public"\n\n'
        '[[headers]]\n  for = "/a/*"\n  [headers.values]\n'
        '    cache-control = """\n      max-age=60,\n      immutable"""\n'
        '    Link = ["</a.css>; rel=preload", "</b.css>; rel=preload"]\n'
    )
    headers, problems = load_headers(config)
    assert not problems
    assert headers.for_path("/a/b") == [
        ("Cache-Control", "public, max-age=60, immutable"),
        ("Link", "</a.css>; rel=preload, </b.css>; rel=preload"),
    ]
    assert headers.for_path("/b") == [("Cache-Control", "public")]
    assert HostHeaders(()).for_path("/b") == [("Cache-Control", DEFAULT_CACHE_CONTROL)]


# ---------------------------------------------------------------- Netlify's build


def test_the_build_command_builds_a_clean_clone(tmp_path: Path) -> None:
    """What Netlify does: a fresh clone of the committed repository, a Python with nothing
    installed, the build command of the clone's netlify.toml, its environment set."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    build = tomllib.loads((clone / "netlify.toml").read_text())["build"]
    venv = tmp_path / "python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    environment |= build.get("environment", {})
    environment["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"
    done = subprocess.run(
        build["command"],
        shell=True,
        executable="/bin/bash",
        cwd=clone,
        env=environment,
        capture_output=True,
        text=True,
        timeout=BUILD_SECONDS,
        check=False,
        start_new_session=True,
    )
    said = f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    assert done.returncode == 0, said
    assert (clone / build["publish"] / "index.html").is_file(), said
    # --strict passed, and the summary line says so: the repository's content has no problem.
    assert re.search(r" 0 warnings, 0 errors in ", done.stdout), said
