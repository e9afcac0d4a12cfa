"""Random front matter and Markdown: never a traceback, always a clear problem or a good page.

A short run is part of the suite; `invoke fuzz --examples 5000` is the long one
(it sets PORTAL_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
import shutil

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from portal.frontmatter import parse
from portal.problems import ContentError, Problem
from portal.schema import KINDS, coerce
from support import DATA, pelican_context

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


@fuzz
@given(st.text(max_size=400))
def test_any_text_parses_or_gives_a_problem(raw):
    fm, problem = parse(raw, "articles/2024/x.md")
    assert (fm is None) != (problem is None)
    if problem:
        assert isinstance(problem, Problem) and problem.path == "articles/2024/x.md" and problem.message


@fuzz
@given(front_matter, st.sampled_from(sorted(KINDS)))
def test_any_front_matter_is_typed_or_reported(data, kind):
    raw = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nNội dung.\n"
    fm, problem = parse(raw, f"{kind}/x.md")
    if problem:
        return
    values, problems = coerce(KINDS[kind], fm)
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
