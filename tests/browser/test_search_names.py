"""Direct hits and suggestions: records found by their names, in Debian's Chromium against built sites."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlparse

from portal.schema import KINDS
from portal.tools.browser import SEARCH_DONE
from support import search_results


def _label(kind: str) -> str:
    return KINDS[kind].label.lower()  # the kind a hit shows, as schema.py declares it


def _hits(page, base: str, query: str) -> list[dict]:
    """Open the search page for ``query``; the direct hits once both they and the results are shown."""
    page.goto(f"{base}/tim-kiem/?q={quote(query)}")
    page.wait_for_function(SEARCH_DONE, polling=100)
    page.locator("#name-hits .name-hit").first.wait_for()
    return page.locator("#name-hits .name-hit").evaluate_all("""l => l.map(li => ({
        kind: li.querySelector('.name-hit__kind').textContent,
        title: li.querySelector('.name-hit__title').textContent,
        href: li.querySelector('.name-hit__title a').getAttribute('href'),
        context: (li.querySelector('.name-hit__context') || {}).textContent || '',
        alias: (li.querySelector('.name-hit__alias') || {}).textContent || '',
        within: (li.querySelector('.name-hit__within') || {href: ''}).href}))""")


def test_an_exemplar_by_its_full_name_with_or_without_diacritics_is_the_first_hit(page, search_url):
    for query in ("Nguyễn Thị An", "nguyen thi an", "NGUYEN THI AN"):
        first = _hits(page, search_url, query)[0]
        assert first["href"] == "/dien-hinh/nguyen-thi-an/", query
        assert first["title"] == "Nguyễn Thị An" and first["kind"].lower() == _label("exemplars")
        # Province, honour years and the highest honour.
        assert re.fullmatch(r"Kon Tum · 2019, \d{4} · .+", first["context"]), first["context"]
        assert first["within"] == ""  # exemplars have no search filter
        assert page.locator("#name-hits").is_visible()
        # Above the full-text results.
        assert page.evaluate("""() => document.getElementById('name-hits')
            .compareDocumentPosition(document.getElementById('search-list')) & Node.DOCUMENT_POSITION_FOLLOWING""")
    page.locator("#name-hits .name-hit__title a").first.click()
    page.wait_for_url(re.compile(r"/dien-hinh/nguyen-thi-an/$"))


def test_d_stroke_folds_in_names(page, search_url):
    assert _hits(page, search_url, "dao van binh")[0]["href"] == "/dien-hinh/dao-van-binh/"


def test_a_campaign_and_an_award_are_found_by_name(page, search_url):
    first = _hits(page, search_url, "ca nuoc chung suc")[0]
    assert first["href"] == "/phong-trao/nong-thon-moi/" and first["kind"].lower() == _label("campaigns")
    assert first["context"] == "từ 2011 · Toàn quốc"
    first = _hits(page, search_url, "Huân chương Lao động")[0]
    assert first["href"] == "/khen-thuong/huan-chuong-lao-dong-hang-ba/" and first["kind"].lower() == _label("awards")
    assert first["context"] == "Huân chương"


def test_an_alias_and_a_merged_province_are_found(page, search_url):
    first = _hits(page, search_url, "Phong trào xây dựng nông thôn mới")[0]
    assert first["href"] == "/phong-trao/nong-thon-moi/"
    assert first["title"] == "Cả nước chung sức xây dựng nông thôn mới"
    assert first["alias"] == "Tên khác: Phong trào xây dựng nông thôn mới"
    first = _hits(page, search_url, "kon tum")[0]
    assert first["href"] == "/tinh-thanh/kon-tum/" and first["kind"].lower() == _label("provinces")
    assert first["context"] == "Tỉnh · sáp nhập vào Quảng Ngãi"


def test_search_within_sets_the_filter_keeps_the_other_words_and_restricts(page, sample_url):
    page.goto(f"{sample_url}/tim-kiem/?q={quote('thi đua')}")
    page.wait_for_function(SEARCH_DONE, polling=100)
    everything = len(search_results(page))
    hits = _hits(page, sample_url, "Kon Tum thi đua")
    province = next(h for h in hits if h["href"] == "/tinh-thanh/kon-tum/")
    assert parse_qs(urlparse(province["within"]).query) == {"q": ["thi đua"], "tinh-thanh": ["kon-tum"]}
    link = page.locator("#name-hits .name-hit__within").first
    assert link.text_content().startswith("Tìm “thi đua” trong tỉnh, thành này")
    link.click()
    page.wait_for_url(re.compile(r"tinh-thanh=kon-tum"))
    page.wait_for_function(SEARCH_DONE, polling=100)
    status = page.locator("#search-status").text_content()
    assert page.locator("#loc-tinh-thanh").input_value() == "kon-tum"
    assert page.locator("#search-q").input_value() == "thi đua"
    assert status.startswith("Tìm thấy") and "Kon Tum" in status
    assert 0 < len(search_results(page)) < everything
    # A name alone: the filter is set and the page offers the campaign's own listing.
    hits = _hits(page, sample_url, "nông thôn mới")
    campaign = next(h for h in hits if h["href"] == "/phong-trao/nong-thon-moi/")
    page.goto(campaign["within"])
    assert page.locator("#loc-phong-trao").input_value() == "nong-thon-moi"
    page.locator("#search-browse a[href='/phong-trao/nong-thon-moi/']").wait_for()


def test_suggestions_follow_the_combobox_pattern(page, search_url):
    page.goto(f"{search_url}/tim-kiem/")
    box = page.locator("#search-q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-autocomplete") == "list"
    assert box.get_attribute("aria-controls") == "search-suggest" and box.get_attribute("aria-expanded") == "false"
    listbox = page.locator("#search-suggest")
    assert listbox.get_attribute("role") == "listbox" and listbox.get_attribute("aria-label")
    box.press_sequentially("n", delay=20)
    page.wait_for_timeout(400)
    assert listbox.is_hidden()  # one letter: no suggestions yet
    box.press_sequentially("guyen thi", delay=20)
    listbox.wait_for(state="visible")
    # On a loaded machine the list may first answer a shorter query ("nguyen t"), and be drawn again for the whole
    # one: the keys below are pressed once it answers what the box holds (data-query), every option with "thi".
    answered = """() => {
        const fold = t => t.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/\\p{M}/gu, "");
        const list = document.getElementById('search-suggest');
        const options = [...list.querySelectorAll('[role=option]')];
        return list.dataset.query === document.getElementById('search-q').value && options.length > 0
            && options.every(o => fold(o.textContent).includes("thi"));
    }"""
    page.wait_for_function(answered)
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option")
    assert 1 <= options.count() <= 8
    assert "Nguyễn Thị An" in options.first.text_content()
    assert box.get_attribute("aria-activedescendant") is None
    page.keyboard.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    assert box.get_attribute("aria-activedescendant") == first_id
    assert options.first.get_attribute("aria-selected") == "true"
    chosen = options.first.text_content()
    box.press_sequentially(" ", delay=20)  # the same names again, drawn anew: the option moved to stays chosen
    page.wait_for_function(answered)
    assert listbox.locator("[aria-selected=true]").text_content() == chosen
    assert box.get_attribute("aria-activedescendant") == listbox.locator("[aria-selected=true]").get_attribute("id")
    page.keyboard.press("ArrowUp")  # from the first option, wraps to the last
    assert box.get_attribute("aria-activedescendant") == options.last.get_attribute("id")
    page.keyboard.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "nguyen thi " and page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.press("ArrowDown")  # opens again, on the first option
    assert listbox.is_visible() and box.get_attribute("aria-activedescendant") == first_id
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dien-hinh/nguyen-thi-an/$"))


def test_a_click_on_a_suggestion_opens_the_record(page, search_url):
    page.goto(f"{search_url}/tim-kiem/")
    page.locator("#search-q").press_sequentially("kon t", delay=20)
    page.locator("#search-suggest").get_by_role("option", name=re.compile("Kon Tum")).click()
    page.wait_for_url(re.compile(r"/tinh-thanh/kon-tum/$"))


def test_the_form_keeps_working_by_keyboard_while_suggesting(page, search_url):
    page.goto(f"{search_url}/tim-kiem/")
    box = page.locator("#search-q")
    box.press_sequentially("dak lak", delay=20)
    page.locator("#search-suggest").wait_for(state="visible")
    page.keyboard.press("Tab")  # on to the button; the popup closes
    assert page.evaluate("document.activeElement.textContent") == "Tìm"
    assert page.locator("#search-suggest").is_hidden()
    page.keyboard.press("Shift+Tab")  # back (focus selects the text: go to its end)
    page.keyboard.press("End")
    box.press_sequentially(" ", delay=20)
    page.locator("#search-suggest").wait_for(state="visible")
    page.keyboard.press("Enter")  # nothing highlighted: Enter searches
    page.wait_for_function(SEARCH_DONE, polling=100)
    assert page.locator("#search-status").text_content().startswith("Tìm thấy")
    assert parse_qs(urlparse(page.url).query) == {"q": ["dak lak"]}
    assert page.locator("#search-suggest").is_hidden()


def test_a_query_downloads_one_small_name_shard(page, sample_url):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(urlparse(r.url).path))
    page.goto(f"{sample_url}/tim-kiem/")
    shards = page.locator("#name-hits").get_attribute("data-shards")
    assert len(shards.split()) > 3  # the sample's names are cut into several shards
    assert not [r for r in requests if r.startswith("/tim-kiem/ten/")]  # nothing before a query
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(urlparse(r.url).path, len(r.body())) if r.status == 200 else None)
    first = _hits(page, sample_url, "Âu Thị Mai")[0]
    assert first["href"] == "/dien-hinh/au-thi-mai/"
    loaded = [r for r in requests if r.startswith("/tim-kiem/ten/")]
    assert len(loaded) == 1 and sizes[loaded[0]] < 20_000, (loaded, sizes)
