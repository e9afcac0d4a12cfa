"""Hostile text in every editor-written field stays text in a real browser: nothing runs, no tag appears.

A copy of the mini tree gets script tags, attribute breakouts and `</script>` (which would close a JSON-LD
block early) in titles, summaries, authors, sources, captions, names, aliases, positions and organisations.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from portal.tools.browser import SEARCH_DONE, serve
from support import run_build

P1 = "<script>window.__xss=1</script>"
P2 = '"><img src=x onerror="window.__xss=2">'
P3 = "</script><script>window.__xss=3</script>"
P4 = "</SCRIPT ><img src=x onerror=window.__xss=4>"
EVIL = f"{P1} {P2} {P3} {P4}"

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _set(path: Path, **fields: str | list[str]) -> None:
    """Replace (or add) front-matter fields of ``path``."""
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    lines = head.splitlines()
    for key, value in fields.items():
        rendered = f"{key}: [{', '.join(map(_q, value))}]" if isinstance(value, list) else f"{key}: {_q(value)}"
        lines = [line for line in lines if not line.startswith(f"{key}:")]
        lines.append(rendered)
    path.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def _poison(content: Path, source_url: str) -> None:
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "anh.png").write_bytes(PNG)
    _set(content / "articles/2024/dak-lak-nhan-co-thi-dua.md",
         title=f"Đắk Lắk nhận Cờ thi đua {EVIL}", summary=f"Sapo {EVIL}", author=[f"Tác giả {EVIL}"],
         source=f"Báo {EVIL}", source_url=source_url, image="images/anh.png", image_caption=f"Ảnh {EVIL}",
         image_alt=f"Mô tả {EVIL}", image_credit=f"Người chụp {EVIL}")
    _set(content / "campaigns/nong-thon-moi.md", name=f"Nông thôn mới {EVIL}", aliases=[f"Bí danh {EVIL}"])
    _set(content / "exemplars/nguyen-thi-an.md", name=f"Nguyễn Thị An {EVIL}", position=f"Giáo viên {EVIL}",
         organisation=f"Trường {EVIL}")
    _set(content / "awards/chien-si-thi-dua-co-so.md", name=f"Chiến sĩ thi đua cơ sở {EVIL}")


@pytest.mark.parametrize("bad", ["javascript:alert(3)", 'https://example.org/tin?a="x"'])
def test_a_source_url_that_is_not_plain_http_is_rejected(mini, tmp_path, bad):
    _poison(mini, bad)
    result = run_build(mini, tmp_path / "output", strict=False)
    assert result.returncode != 0
    report = result.stdout + result.stderr
    assert "[source_url]" in report and "http(s)" in report, report[-2000:]


@pytest.fixture
def evil_url(mini, tmp_path):
    # The schema refuses raw '"', "'", '<' and '>' in URLs (see above), so the hostile part is '&' and %22.
    _poison(mini, "https://example.org/tin?a=1&b=2&c=%22x%22#x")
    result = run_build(mini, tmp_path / "output", strict=False)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(tmp_path / "output") as base:
        yield base


PAGES = [
    ("/tin-tuc/2024/dak-lak-nhan-co-thi-dua/", ["Đắk Lắk nhận Cờ thi đua " + EVIL, "Sapo " + EVIL, "Tác giả " + EVIL,
                                                "Báo " + EVIL, "Ảnh " + EVIL, "Ảnh: Người chụp " + EVIL]),
    ("/dien-hinh/nguyen-thi-an/", ["Nguyễn Thị An " + EVIL, "Giáo viên " + EVIL, "Trường " + EVIL,
                                    "Chiến sĩ thi đua cơ sở " + EVIL]),
    ("/phong-trao/nong-thon-moi/", ["Nông thôn mới " + EVIL, "Bí danh " + EVIL]),
    ("/dien-hinh/", ["Nguyễn Thị An " + EVIL]),
    ("/", ["Đắk Lắk nhận Cờ thi đua " + EVIL]),
    ("/tim-kiem/?q=" + quote("Cờ thi đua"), ["Đắk Lắk nhận Cờ thi đua " + EVIL]),
]


def test_hostile_text_is_shown_as_text_and_never_runs(page, evil_url):
    for url, texts in PAGES:
        response = page.goto(evil_url + url)
        assert response is not None and response.ok, url
        if url.startswith("/tim-kiem/"):
            page.wait_for_function(SEARCH_DONE, polling=100)
            assert page.locator(".search-hit").count() > 0, url
        page.wait_for_timeout(100)  # let any injected onerror fire
        assert page.evaluate("() => typeof window.__xss") == "undefined", url
        assert page.locator("img[src=x], img[src='x']").count() == 0, url
        # Only JSON data blocks may carry the text, and they must still parse as JSON.
        scripts = page.evaluate("() => [...document.scripts].map(s => [s.type, s.text])")
        assert [t for kind, t in scripts if "__xss" in t and not kind.endswith("json")] == [], url
        for kind, text in scripts:
            if kind.endswith("json"):
                json.loads(text)
        body = re.sub(r"\s+", " ", page.locator("body").inner_text())
        for text in texts:
            assert re.sub(r"\s+", " ", text) in body, f"{url}: {text!r} is not visible as text"
        hrefs = page.locator("a[href]").evaluate_all("l => l.map(a => a.getAttribute('href'))")
        bad = [h for h in hrefs if not re.match(r"^(https?://|/|\.{0,2}/|#|mailto:|[\w.-]+(/|$)|\?)", h.strip())
               or re.match(r"^\s*javascript:", h, re.IGNORECASE)]
        assert bad == [], f"{url}: {bad}"
    # The source link keeps its query intact and escaped.
    page.goto(evil_url + PAGES[0][0])
    href = page.locator(".article__source a").get_attribute("href")
    assert href == "https://example.org/tin?a=1&b=2&c=%22x%22#x"
    data = [json.loads(t) for t in page.locator("script[type='application/ld+json']").all_text_contents()]
    assert any("Đắk Lắk nhận Cờ thi đua " + EVIL in json.dumps(d, ensure_ascii=False).replace('\\"', '"')
               for d in data)


def test_hostile_names_in_direct_hits_and_suggestions_stay_text(page, evil_url):
    """Names, aliases and context lines from the name shards (search_names.py) are inserted as text."""
    page.goto(evil_url + "/tim-kiem/?q=" + quote("Bí danh"))
    page.wait_for_function(SEARCH_DONE, polling=100)
    hit = page.locator("#name-hits .name-hit").first
    hit.wait_for()
    text = re.sub(r"\s+", " ", hit.inner_text())
    assert "Nông thôn mới " + EVIL in text and "Tên khác: Bí danh " + EVIL in text, text
    page.goto(evil_url + "/tim-kiem/")
    page.locator("#search-q").press_sequentially("nguyen thi an", delay=10)
    option = page.locator("#search-suggest [role=option]").first
    option.wait_for()
    assert "Nguyễn Thị An " + EVIL in re.sub(r"\s+", " ", option.inner_text())
    page.wait_for_timeout(100)  # let any injected onerror fire
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.locator("img[src=x], img[src='x']").count() == 0
