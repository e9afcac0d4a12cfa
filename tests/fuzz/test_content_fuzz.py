"""Random front matter and Markdown: never a traceback, always a clear problem or a good page, and
every file read and rendered within a time and memory bound.

Besides random values, the strategies build the shapes that once cost minutes
or gigabytes (runs of brackets and backticks, YAML anchors and aliases, deep
nesting; see tests/hostile.py), so that the next such shape is found here.
A short run is part of the suite; `invoke fuzz --examples 5000` is the long one
(it sets PORTAL_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
import resource
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pelican.settings import read_settings

from portal.frontmatter import parse
from portal.problems import ContentError, Problem
from portal.records import MarkdownRenderer
from portal.schema import KINDS, coerce
from support import DATA, ROOT, pelican_context

FILE_SECONDS = 2.0  # CPU to parse and render one generated file (at most ~10 KB)
FILE_BYTES = 200 * 1024 * 1024  # resident memory to parse and render it, past what the process held before
_STATUS, _CLEAR_REFS = Path("/proc/self/status"), Path("/proc/self/clear_refs")


def _memory() -> tuple[int, int]:
    """Resident and peak resident bytes of this process (Linux: /proc; elsewhere the peak twice)."""
    if not _STATUS.exists():
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return peak, peak
    fields = dict(line.split(":", 1) for line in _STATUS.read_text().splitlines() if line.startswith("Vm"))
    return int(fields["VmRSS"].split()[0]) * 1024, int(fields["VmHWM"].split()[0]) * 1024


@contextmanager
def bounded(what: str) -> Iterator[None]:
    """Fail when the block takes more than FILE_SECONDS of CPU or grows the peak resident memory by FILE_BYTES.

    The peak is reset first (Linux's clear_refs), so each example is measured on its own; tracemalloc would
    slow Python-Markdown's deep recursion fifty-fold and distort the clock.
    """
    if _CLEAR_REFS.exists():
        _CLEAR_REFS.write_text("5")  # the peak resident size starts again from the current one
    before = _memory()[0]
    started = time.process_time()
    yield
    seconds = time.process_time() - started
    grown = _memory()[1] - before
    assert seconds < FILE_SECONDS, f"{what}: {seconds:.2f} s of CPU"
    assert grown < FILE_BYTES, f"{what}: {grown / 2**20:.0f} MB"


@cache
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(read_settings(str(ROOT / "pelicanconf.py")))

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "60"))
FIELDS = sorted({f.name for kind in KINDS.values() for f in kind.fields} | {"recipient", "award", "year", "stage"})

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["Đắk Lắk", "Ð", "\u0110o\u0302\u0300ng", "</script><script>alert(1)</script>", '"quoted"', "javascript:x",
     "../../etc/passwd", "2024-02-30", "2024-01-01 25:00", "nong-thon-moi", "tinh-dak-lak", "  ", "\u202e", "x" * 5000])
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(FIELDS) | text, inner, max_size=4), max_leaves=12)
front_matter = st.dictionaries(st.sampled_from(FIELDS) | text, values, max_size=8)
# Half the articles start valid (title, date), so the page-building path is fuzzed, not only the reports.
valid_base = st.fixed_dictionaries({"title": text.filter(str.strip), "date": st.sampled_from(
    ["2024-01-15", "2023-12-31 23:59", "2019-02-28 08:00"])})
articles = front_matter | st.builds(lambda base, extra: {**extra, **base}, valid_base, front_matter)
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Hostile Markdown: runs of one piece of syntax, hundreds to thousands long, mixed with text.
SYNTAX = ["[", "]", "(", ")", "[a](", "![", "[^", "[^a]", "](", "*", "**", "_", "`", "``", "```", "<", "<a ", "<!--",
          "<?", "<http://", "&amp;", "\\*", "\n> ", ">", "\n    - ", "\n: ", "\n*[a", "{: ", "\n```a\n", "|", "\n",
          "a", " "]
runs = st.builds(lambda piece, n: piece * n, st.sampled_from(SYNTAX), st.integers(1, 3000))
bodies = st.lists(runs | st.text(max_size=40), min_size=1, max_size=6).map(lambda parts: "".join(parts)[:10_000])

# Hostile YAML: anchors and aliases (a billion laughs of random shape), explicit tags, merge keys, deep nesting,
# long lists, written as text (safe_dump never writes them).
laughs = st.builds(lambda width, depth: "a0: &a0 x\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]\n" for i in range(1, depth + 1)),
    st.integers(2, 12), st.integers(1, 12))
tagged = st.builds(lambda tag, value: f"title: {tag} {value}\n", st.sampled_from(
    ["!!python/object/apply:os.system", "!!str", "!!binary", "!!int", "!foo", "!", "!!map", "!!set"]),
    st.sampled_from(["x", "[a]", "{a: 1}", "aGk=", "'1'"]))
merges = st.builds(lambda inner: f"title: x\nhonours:\n  - <<: {inner}\n", st.sampled_from(["{award: a}", "[]", "*a"]))
nesting = st.builds(lambda opener, n: "tags: " + opener * n + ("]" if opener == "[" else "}") * n + "\n"
                    if opener in "[{" else "".join("  " * i + f"k{i}:\n" for i in range(n)) + "  " * n + "x: 1\n",
                    st.sampled_from(["[", "{", "block"]), st.integers(1, 1200))
long_lists = st.builds(lambda n: "tags:\n" + "  - a\n" * n, st.integers(900, 1100))
hostile_yaml = laughs | tagged | merges | nesting | long_lists


@fuzz
@given(st.text(max_size=400))
def test_any_text_parses_or_gives_a_problem(raw):
    with bounded("front matter"):
        fm, problem = parse(raw, "articles/2024/x.md")
    assert (fm is None) != (problem is None)
    if problem:
        assert isinstance(problem, Problem) and problem.path == "articles/2024/x.md" and problem.message


@fuzz
@given(front_matter, st.sampled_from(sorted(KINDS)))
def test_any_front_matter_is_typed_or_reported(data, kind):
    raw = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nNội dung.\n"
    with bounded("front matter"):
        fm, problem = parse(raw, f"{kind}/x.md")
        values, problems = coerce(KINDS[kind], fm) if fm else ({}, [])
    if problem:
        return
    assert all(isinstance(p, Problem) and p.field and p.message for p in problems)
    assert set(values) <= set(KINDS[kind].by_name)


@fuzz
@given(articles, st.text(max_size=300))
def test_an_article_with_random_metadata_and_body_is_built_or_reported(tmp_path_factory, data, body):
    root = tmp_path_factory.mktemp("fuzz")
    content = root / "content"
    shutil.copytree(DATA / "mini", content)
    raw = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body
    (content / "articles/2024/fuzz.md").write_text(raw, encoding="utf-8")
    try:
        context = pelican_context(content, root / "out")
    except ContentError as error:  # a clear report: every problem names a file and a field
        assert error.problems and all(p.path and p.field and p.message for p in error.problems)
        event("reported")
        return
    fuzzed = [a for a in context["articles"] + context.get("drafts", []) + context.get("hidden_articles", [])
              if a.source_path.endswith("fuzz.md")]
    assert len(fuzzed) == 1  # no error reported: the article is there, joined into the graph
    assert isinstance(fuzzed[0].title, str) and fuzzed[0].refs is not None
    event("built")


@fuzz
@given(hostile_yaml, bodies)
def test_a_hostile_file_is_read_and_rendered_or_refused_within_bounds(block, body):
    raw = "---\n" + block + "---\n" + body
    render = renderer()
    with bounded(f"{len(block)} + {len(body)} chars"):
        fm, problem = parse(raw, "articles/2024/x.md")
        html, refused = render.render(body, "articles/2024/x.md", 3)
    assert problem is None or (problem.path == "articles/2024/x.md" and problem.line and problem.message)
    assert refused is None or html == ""
    event("front matter refused" if problem else "front matter read")
    event("body refused" if refused else "body rendered")


@fuzz
@given(bodies)
def test_a_hostile_body_renders_or_is_refused_within_bounds(body):
    render = renderer()
    with bounded(f"{len(body)} chars"):
        html, refused = render.render(body, "articles/2024/x.md", 3)
    assert refused is None or (refused.field == "nội dung" and refused.fix)
