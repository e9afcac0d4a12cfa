"""Layout in Debian's Chromium: the main menu and the print stylesheet.

The main menu is one row at every width: on a phone it scrolls sideways (swipe, or Tab, which brings each item
wholly into view) and the document itself never scrolls sideways. With print media an article or a profile
keeps its headline and body and drops the site's menu, search form, breadcrumbs and footer; a link in the
body prints its address after it (theme/static/css/print.css).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator

import pytest

from portal.tools.browser import QuietHandler, serve
from support import DATA, edit, run_build

MENU = ".site-nav__list a"
ARTICLE = "/tin-tuc/2016/hop-tac-xa-phong-nien-chung-suc-xay-dung-nong-thon-moi/"  # section 'Tin tức', the first item
PROFILE = "/dien-hinh/au-thi-mai/"  # section 'Điển hình', off screen at 360 px unless scrolled to
STATS = "/thong-ke/"  # section 'Thống kê', the last item

_ITEMS = """sel => [...document.querySelectorAll(sel)].map(a => { const r = a.getBoundingClientRect();
  return {text: a.textContent.trim(), top: r.top, height: r.height, left: r.left, right: r.right,
          current: a.getAttribute('aria-current') === 'page'}; })"""
_VIEW = """() => { const box = document.querySelector('.site-nav__list').getBoundingClientRect();
  return {left: box.left, right: box.right}; }"""
# Measured two frames after the key press, once the row has re-snapped to the focused item.
_FOCUSED = """async sel => { await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const a = document.activeElement, box = document.querySelector('.site-nav__list').getBoundingClientRect();
  const r = a.getBoundingClientRect();
  return {menu: a.matches(sel), href: a.getAttribute('href'), text: a.textContent.trim(), left: r.left, right: r.right,
          boxLeft: box.left, boxRight: box.right, pageX: window.scrollX}; }"""


def _open(page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(url)
    assert response is not None and response.ok, url


@pytest.mark.parametrize("width", [360, 414, 768, 1024, 1280])
@pytest.mark.parametrize("url", ["/", ARTICLE, PROFILE, STATS])
def test_main_menu_is_one_row_and_the_page_does_not_scroll_sideways(page, sample_url, url, width):
    _open(page, sample_url + url, width)
    items = page.evaluate(_ITEMS, MENU)
    assert len(items) == 7, items
    tops = {round(i["top"], 1) for i in items}
    assert len(tops) == 1, f"the menu wraps at {width}px: {[(i['text'], i['top']) for i in items]}"
    short = [(i["text"], i["height"]) for i in items if i["height"] < 44]
    assert short == [], f"touch targets under 44px at {width}px: {short}"

    size = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert size[0] <= size[1], f"the document is {size[0]}px wide in a {size[1]}px viewport"
    page.evaluate("() => window.scrollTo(200, 0)")
    assert page.evaluate("() => window.scrollX") == 0

    # The current section starts in view, even when it lies beyond the phone's width.
    view = page.evaluate(_VIEW)
    for item in items:
        if item["current"]:
            assert view["left"] - 1 <= item["left"] and item["right"] <= view["right"] + 1, (item, view)


class _Halting(QuietHandler):
    """Sends each HTML page in two parts, pausing inside the menu: Chromium lays out what it has meanwhile."""

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        menu = data.find(b"site-nav__list") if self.path.endswith("/") else -1
        if menu < 0:
            outputfile.write(data)
            return
        cut = data.index(b"</li>", menu) + len(b"</li>")  # after the menu's first item
        outputfile.write(data[:cut])
        outputfile.flush()
        time.sleep(0.4)
        outputfile.write(data[cut:])


@pytest.mark.parametrize("url", [PROFILE, STATS])
def test_the_current_section_is_in_view_when_the_page_arrives_in_parts(page, sample_site, url):
    with serve(sample_site, _Halting) as base:
        _open(page, base + url, 360)
        current = [i for i in page.evaluate(_ITEMS, MENU) if i["current"]]
        view = page.evaluate(_VIEW)
    assert len(current) == 1 and view["left"] - 1 <= current[0]["left"] and current[0]["right"] <= view["right"] + 1, (
        current, view)


@pytest.mark.parametrize("url", ["/", PROFILE])
def test_tab_reaches_every_menu_item_in_order_wholly_in_view(page, sample_url, url):
    _open(page, sample_url + url, 360)
    expected = page.eval_on_selector_all(MENU, "els => els.map(a => a.getAttribute('href'))")
    focused = []
    for _ in range(30):
        page.keyboard.press("Tab")
        state = page.evaluate(_FOCUSED, MENU)
        if state["menu"]:
            focused.append(state)
        elif focused:
            break
    assert [f["href"] for f in focused] == expected
    hidden = [f["text"] for f in focused if f["left"] < f["boxLeft"] - 1 or f["right"] > f["boxRight"] + 1]
    assert hidden == [], f"focused but cut off by the edge of the menu: {hidden}"
    assert all(f["pageX"] == 0 for f in focused), "tabbing through the menu scrolled the page sideways"


_DISPLAY = "sel => [...document.querySelectorAll(sel)].map(el => getComputedStyle(el).display)"
SCREEN_ONLY = [".site-nav", ".site-search", ".site-footer", ".breadcrumbs"]


@pytest.mark.parametrize(("url", "extra"), [(ARTICLE, [".related", ".prev-next", ".chip-search"]),
                                            (PROFILE, [".chip-search", ".feed"])])
def test_print_drops_the_menu_search_and_footer_and_keeps_the_story(page, sample_url, url, extra):
    _open(page, sample_url + url, 1280)
    for sel in SCREEN_ONLY + extra:
        shown = page.evaluate(_DISPLAY, sel)
        assert shown and "none" not in shown, f"{sel} should be on the screen page: {shown}"

    page.emulate_media(media="print")
    for sel in SCREEN_ONLY + extra:
        assert set(page.evaluate(_DISPLAY, sel)) == {"none"}, f"{sel} is printed"
    for sel in ["h1", ".prose"]:
        element = page.locator(f"main {sel}").first
        assert element.is_visible(), f"{sel} is not printed"
        colour = element.evaluate("el => getComputedStyle(el).color")
        assert colour == "rgb(0, 0, 0)", f"{sel} prints in {colour}"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") in ("rgb(255, 255, 255)",
                                                                                   "rgba(0, 0, 0, 0)")


LINKS = ("\n\nXem [Cổng Thông tin điện tử Chính phủ](https://chinhphu.vn/), [danh bạ điển hình](/dien-hinh/)"
         " và [đầu trang](#noi-dung).\n")


@pytest.fixture(scope="module")
def linked_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The mini tree with links in an article's body and in a profile's: one to the web, one to the portal, one in-page."""
    root = tmp_path_factory.mktemp("linked")
    content = root / "content"
    shutil.copytree(DATA / "mini", content)
    edit(content / "articles" / "2023" / "cum-tay-nguyen-ky-giao-uoc.md", "Các tỉnh trong cụm ký giao ước.",
         "Các tỉnh trong cụm ký giao ước." + LINKS)
    edit(content / "exemplars" / "nguyen-thi-an.md", "Giáo viên.\n", "Giáo viên." + LINKS)
    result = run_build(content, root / "output", strict=True)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(root / "output") as base:
        yield base


@pytest.mark.parametrize("url", ["/tin-tuc/2023/cum-tay-nguyen-ky-giao-uoc/", "/dien-hinh/nguyen-thi-an/"])
def test_print_shows_the_address_after_a_body_link(page, linked_url, url):
    _open(page, linked_url + url, 1280)
    after = "() => Object.fromEntries([...document.querySelectorAll('.prose a')].map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content]))"
    assert set(page.evaluate(after).values()) == {"none"}, "addresses are for paper only"
    page.emulate_media(media="print")
    assert page.evaluate(after) == {
        "https://chinhphu.vn/": '" (https://chinhphu.vn/)"',
        "/dien-hinh/": '" (/dien-hinh/)"',
        "#noi-dung": "none",
    }
