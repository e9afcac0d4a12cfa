"""Markdown in bounded time: every hostile body up to 1 MB is rendered or refused within seconds, the guards
change no normal output, and the build's reader, the records, `invoke check` and the importer report a
refused body the same way."""

from __future__ import annotations

import re
import signal
import threading
import time

import markdown
import pytest
from hostile import MARKDOWN
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown.htmlparser import HTMLExtractor
from pelican.settings import read_settings
from portal import frontmatter, markdown_guard, records
from portal.limits import BODY_MAX_CHARS
from portal.records import MarkdownRenderer, load_records
from portal.tools.authoring import check
from support import ROOT

ARTICLE = "articles/2024/dak-lak-nhan-co-thi-dua.md"
CPU_SECONDS = 5.0  # per body, whatever its shape: the renderer's budget (3 s) and its clean-up


@pytest.fixture(scope="module")
def render() -> MarkdownRenderer:
    return MarkdownRenderer(read_settings(str(ROOT / "pelicanconf.py")))


def _stock() -> markdown.Markdown:
    config = read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"]
    return markdown.Markdown(extensions=list(config["extension_configs"]), output_format="html")


@pytest.mark.parametrize("size", [10_000, 100_000, 1_000_000])
@pytest.mark.parametrize("name", list(MARKDOWN))
def test_a_hostile_body_is_rendered_or_refused_within_seconds(render, name, size):
    body = MARKDOWN[name](size)
    started = time.process_time()  # CPU time: the bound holds on a loaded machine too
    html, problem = render.render(body, "articles/2024/x.md", 5)
    seconds = time.process_time() - started
    assert seconds < CPU_SECONDS, f"{name} ({len(body)} chars): {seconds:.1f} s"
    if problem:
        assert (problem.path, problem.line, problem.field) == ("articles/2024/x.md", 5, "nội dung")
        assert not html and problem.fix


tokens = st.sampled_from(["[", "]", "(", ")", "![", "[^1]", "[^", "](", "<", ">", "<a>", "`", "``", "*", "**", "_",
                          "\\", "&amp;", "{: .x}", "'", '"', " ", "\n", "\n\n", "a", "Đắk", "http://x.vn",
                          "\n[1]: /u\n", "\n[^1]: chú thích\n", "\n*[UBND]: Uỷ ban\n", "UBND", "\n```\n", "\n~~~a\n",
                          "\n# ", "\n> ", "\n- ", "\n1. ", "\n: ", " | ", "\n|---|\n", "    ", "#", "\n---\n",
                          "\n***", "\n=", "-", "|", "\n| a |", ": ", "\n2024. ", "\n1) ", "\nb |", "\t"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tokens, max_size=60).map("".join))
@example("[\n>  | \n>  | \n[1]: /u\n")  # a one-column table with borders: the table test must read every row
def test_the_guards_change_no_output(render, text):
    stock = _stock()
    assert render.render(text, "x.md")[0] == stock.convert(text)


@pytest.mark.parametrize("name", list(MARKDOWN))
def test_the_guards_change_no_output_of_a_hostile_shape(render, name):
    """Short enough for stock Python-Markdown to finish at once, long enough for every guard to be used.

    Nested quotes stop nesting where the stack nears Python's recursion limit (markdown.util.nearing_recursion_limit,
    about 300 levels): at 2,000 levels where they stop depends on the caller's depth, and the renderer calls
    through a few more frames than stock Markdown. They are compared below that depth.
    """
    body = MARKDOWN[name](100 if name == "blockquote >>>" else 2_000)
    html, problem = render.render(body, "x.md")
    if problem is None:
        assert html == _stock().convert(body)


# Start tags that never end, in every shape the parser's scan tells apart: the guard scans each stretch of text once.
tag_tokens = st.sampled_from(["<a", "<b", "<", " ", "\t", "\n", "\n\n", "=", '"', "'", "/", ">", "`", "\x00", "\x0b",
                              "\xa0", "x", "<div>", "</div>", ",", '<a b="', "<a b='", "/>", "\u2003"])


@pytest.mark.parametrize("name", ["tag openers <a", 'attribute values <a b="'])
def test_start_tags_that_never_end_are_rendered_not_refused(render, name):
    """Unguarded, each scan from a ``<`` reads to the end of the text: at 100,000 characters ``<a b="`` took 30 s
    and the renderer's budget (3 s) refused it. The guard scans each stretch once: it renders, as text."""
    html, problem = render.render(MARKDOWN[name](100_000), "x.md")
    assert problem is None and html.startswith("<p>&lt;a")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tag_tokens, max_size=80).map("".join))
def test_the_start_tag_guard_changes_no_output(render, text):
    assert render.render(text, "x.md")[0] == _stock().convert(text)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tag_tokens, max_size=40).map("".join))
def test_every_start_tag_is_scanned_as_the_stock_parser_scans_it(text):
    """Asked at every ``<`` and letter, in order (the parser skips those inside a tag), the guard answers as stock."""
    guarded, stock = markdown_guard._Extractor(markdown.Markdown()), HTMLExtractor(markdown.Markdown())
    guarded.rawdata = stock.rawdata = text
    for i in (m.start() for m in re.finditer("<[a-zA-Z]", text)):
        assert guarded.check_for_whole_start_tag(i) == stock.check_for_whole_start_tag(i), (text, i)


def test_a_text_that_no_inline_pattern_needs_is_passed_over(render, monkeypatch):
    """With the site's extensions, a plain paragraph meets no inline pattern; one with a ``*`` meets them all."""
    render.render("Mở đầu.", "x.md")  # the converter is made at the first render
    patterns = render._md.inlinePatterns
    assert markdown_guard._needs(patterns) is not None  # a Markdown whose patterns changed would turn it off
    tried = []
    for entry in patterns._priority:
        pattern = patterns[entry.name]
        compiled = pattern.getCompiledRegExp()
        monkeypatch.setattr(pattern, "getCompiledRegExp",
                            lambda compiled=compiled, name=entry.name: tried.append(name) or compiled)
    assert render.render("Đoạn văn về phong trào thi đua.\n\n- Một ý; hai ý.", "x.md")[0] == \
        "<p>Đoạn văn về phong trào thi đua.</p>\n<ul>\n<li>Một ý; hai ý.</li>\n</ul>"
    assert tried == []
    assert render.render("Đoạn *nhấn*.", "x.md")[0] == "<p>Đoạn <em>nhấn</em>.</p>"
    assert len(set(tried)) == len(patterns)


def test_a_block_of_plain_lines_goes_straight_to_the_paragraph(render, monkeypatch):
    """With the site's extensions, a block whose every line begins with a letter meets no other block processor;
    one that begins with "#" meets them in order."""
    processors = render._md.parser.blockprocessors
    assert markdown_guard._paragraphs(processors) is processors["paragraph"]
    tested = []
    for entry in processors._priority:
        processor = processors[entry.name]
        test = processor.test
        monkeypatch.setattr(processor, "test", lambda parent, block, test=test, name=entry.name:
                            tested.append(name) or test(parent, block))
    text = "Dòng một của đoạn văn\nĐắk Lắk, dòng hai | không phải bảng\n\nĐoạn hai."
    assert render.render(text, "x.md")[0] == \
        "<p>Dòng một của đoạn văn\nĐắk Lắk, dòng hai | không phải bảng</p>\n<p>Đoạn hai.</p>"
    assert tested == ["markdown_block", "empty"]  # the empty block Python-Markdown ends every document with
    tested.clear()
    assert render.render("# Tiêu đề", "x.md")[0] == "<h1>Tiêu đề</h1>"
    assert tested[:7] == ["markdown_block", "empty", "indent", "defindent", "code", "table", "hashheader"]


def test_a_block_processor_it_does_not_know_turns_the_block_pass_off():
    """An admonition begins with "!!!", which no stock processor looks for: with it, every block is tested."""
    text = "!!! note \"Lưu ý\"\n    Nội dung.\n\nĐoạn thường."
    guarded = markdown.Markdown(extensions=["markdown.extensions.admonition", markdown_guard.GuardExtension()])
    assert markdown_guard._paragraphs(guarded.parser.blockprocessors) is None
    assert guarded.convert(text) == markdown.Markdown(extensions=["markdown.extensions.admonition"]).convert(text)
    assert 'class="admonition note"' in guarded.convert(text)


class _Strike(markdown.extensions.Extension):
    """``~~text~~`` as <del>: a pattern whose character (``~``) no stock pattern needs."""

    def extendMarkdown(self, md):
        md.inlinePatterns.register(markdown.inlinepatterns.SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "del", 75)


def test_an_inline_pattern_it_does_not_know_turns_the_pass_over_off():
    text = "Phong trào ~~cũ~~ mới"
    guarded = markdown.Markdown(extensions=[_Strike(), markdown_guard.GuardExtension()])
    assert markdown_guard._needs(guarded.inlinePatterns) is None
    assert guarded.convert(text) == markdown.Markdown(extensions=[_Strike()]).convert(text) == \
        "<p>Phong trào <del>cũ</del> mới</p>"


def test_the_sample_site_renders_as_stock_markdown_renders_it(render):
    stock = _stock()
    for path in sorted((ROOT / "content").rglob("*.md")):
        fm, problem = frontmatter.read(path, ROOT / "content")
        assert problem is None, problem
        stock.reset()
        assert render.render(fm.body, fm.path)[0] == stock.convert(fm.body), fm.path


def test_a_body_past_its_limit_is_not_rendered(render):
    started = time.process_time()
    html, problem = render.render("Đoạn văn.\n\n" * (BODY_MAX_CHARS // 10), "articles/2024/x.md", 7)
    assert time.process_time() - started < 0.5
    assert html == "" and problem.line == 7 and "1.000.000 ký tự" in problem.message


def test_a_render_past_its_budget_is_refused_and_the_renderer_recovers(render, monkeypatch):
    monkeypatch.setattr(records, "RENDER_MAX_SECONDS", 0.05)
    html, problem = render.render(MARKDOWN["escapes \\*"](200_000), "articles/2024/x.md", 5)
    assert html == "" and "0.05 giây" in problem.message
    assert signal.getsignal(signal.SIGPROF) == signal.SIG_DFL and signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert render.render("*Thi đua* [yêu nước](/x)", "x.md") == (
        '<p><em>Thi đua</em> <a href="/x">yêu nước</a></p>', None)


def test_outside_the_main_thread_no_timer_is_used(render, monkeypatch):
    monkeypatch.setattr(records, "RENDER_MAX_SECONDS", 0.0001)
    out = []
    thread = threading.Thread(target=lambda: out.append(render.render("*a* " * 2000, "x.md")))
    thread.start()
    thread.join()
    assert out[0][1] is None and out[0][0].startswith("<p><em>a</em>")


def test_nesting_past_pythons_recursion_is_rendered_or_refused(render):
    """Text nested 1,700 levels deep: Python-Markdown 3.11.4 stops nesting short of the recursion limit and keeps
    the deeper markers as text; an earlier 3.11 ran into the limit, and the page was refused with a message.
    Either way the build goes on."""
    html, problem = render.render(MARKDOWN["nested definitions"](10_000), "pages/x.md", 4)
    assert (problem is None and html.startswith("<dl>")) or \
        (html == "" and "lồng nhau quá sâu" in problem.message)


def test_a_body_that_runs_into_the_recursion_limit_is_refused(render, monkeypatch):
    """Whatever nests past the interpreter's limit in Python-Markdown is refused with a message, not a crash."""
    def too_deep(text: str) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    render.render("Đoạn văn.", "pages/x.md", 4)  # the renderer makes its Markdown instance on first use
    monkeypatch.setattr(render._md, "convert", too_deep)
    html, problem = render.render("Đoạn văn.", "pages/x.md", 4)
    assert html == "" and "lồng nhau quá sâu" in problem.message and problem.line == 4
    assert render.render("Đoạn văn.", "pages/x.md", 4) == ("<p>Đoạn văn.</p>", None)  # a new instance after it


def test_check_and_records_report_a_refused_body(mini, monkeypatch):
    article = mini / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\n" + "Đoạn văn.\n\n" * (BODY_MAX_CHARS // 10),
                       encoding="utf-8")
    campaign = mini / "campaigns" / "nong-thon-moi.md"
    campaign.write_text(campaign.read_text(encoding="utf-8") + "\n" + MARKDOWN["escapes \\*"](200_000),
                        encoding="utf-8")
    monkeypatch.setattr(records, "RENDER_MAX_SECONDS", 0.05)
    started = time.perf_counter()
    result = check(str(ROOT / "pelicanconf.py"), str(mini))
    assert time.perf_counter() - started < 60
    body_line = article.read_text(encoding="utf-8").split("\n").index("---", 1) + 2
    refused = {(p.path, p.line): p.message for p in result.errors if p.field == "nội dung"}
    assert refused.keys() == {(ARTICLE, body_line), ("campaigns/nong-thon-moi.md", 10)}
    assert "quá giới hạn 1.000.000 ký tự" in refused[ARTICLE, body_line]
    assert "0.05 giây" in refused["campaigns/nong-thon-moi.md", 10]  # and articles naming it: unknown campaign
    assert load_records(mini, MarkdownRenderer()).problems[0].field == "nội dung"


def test_the_importer_refuses_a_body_the_build_would_refuse(tmp_path):
    from portal.tools.importer import ImportFailed, Vocabulary, import_file

    text = tmp_path / "tin.txt"
    text.write_text("Biểu dương điển hình tiên tiến\n\nNgày 05/09/2024\n\n" + "Phong trào thi đua yêu nước của "
                    "tỉnh được nhân rộng trong năm nay, với nhiều điển hình tiên tiến được biểu dương và khen thưởng.\n\n" + "[" * 600_000 + "\n", "utf-8")  # escaped: 1.2 M chars
    with pytest.raises(ImportFailed, match="quá giới hạn 1.000.000 ký tự"):
        import_file(text, Vocabulary([]), tmp_path / "out", dry_run=True)
