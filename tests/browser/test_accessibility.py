"""Accessibility of every page template of the sample portal, in Debian's Chromium.

axe-core (npm devDependency, node_modules/axe-core/axe.min.js) checks WCAG 2.0/2.1 A and AA at a desktop
and a phone width; keyboard checks cover what axe cannot: the skip link and a visible focus style.
"""

from __future__ import annotations

import pytest

from portal.tools.browser import SEARCH_DONE
from support import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
if not AXE.is_file():
    pytest.skip("node_modules/axe-core is missing (npm ci)", allow_module_level=True)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# One URL per page template of the sample site.
PAGES = [
    "/",
    "/tin-tuc/2016/hop-tac-xa-phong-nien-chung-suc-xay-dung-nong-thon-moi/",
    "/tin-tuc/",
    "/phong-trao/",
    "/phong-trao/chao-mung-dai-hoi-xiv/",
    "/phong-trao/mong-cai-chao-mung-60-nam-quang-ninh/",  # timeline
    "/cum-khoi-thi-dua/",
    "/cum-khoi-thi-dua/cum-bac-trung-bo/",
    "/cum-khoi-thi-dua/cum-tay-nguyen-duyen-hai-mien-trung/",  # timeline and members' honours
    "/khen-thuong/",
    "/khen-thuong/anh-hung-lao-dong/",
    "/tinh-thanh/",
    "/tinh-thanh/kon-tum/",
    "/nam/",
    "/nam/2024/",
    "/dien-hinh/",
    "/dien-hinh/loai/ca-nhan/",
    "/dien-hinh/au-thi-mai/",
    "/tim-kiem/?q=thi+dua",
    "/404.html",
    "/gioi-thieu/",
    "/du-lieu/",
    "/thong-ke/",
]
WIDTHS = [1280, 360]


def _open(page, base: str, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(base + url)
    assert response is not None and response.ok or url == "/404.html", url
    assert page.locator("meta[http-equiv=refresh]").count() == 0, f"{url} is a redirect, not a template"
    if url.startswith("/tim-kiem/"):
        page.wait_for_function(SEARCH_DONE, polling=100)
        assert page.locator(".search-hit").count() > 0


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("url", PAGES)
def test_axe_finds_no_wcag_a_or_aa_violation(page, sample_url, url, width):
    _open(page, sample_url, url, width)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    assert len(result["passes"]) > 10, "axe did not run"
    violations = result["violations"]
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
        f"    {n['target']} {n.get('failureSummary', '').splitlines()[-1] if n.get('failureSummary') else ''}"
        for n in v["nodes"][:8]) for v in violations)
    assert violations == [], f"{url} at {width}px:\n{report}"


@pytest.mark.parametrize("url", ["/", "/tin-tuc/2016/hop-tac-xa-phong-nien-chung-suc-xay-dung-nong-thon-moi/",
                                 "/dien-hinh/"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, sample_url, url):
    _open(page, sample_url, url, 1280)
    page.keyboard.press("Tab")
    first = page.evaluate("() => ({tag: document.activeElement.tagName, href: document.activeElement.getAttribute('href'),"
                          " visible: document.activeElement.getBoundingClientRect().height > 0})")
    assert first["tag"] == "A" and first["href"].startswith("#"), first
    assert first["visible"], "the skip link must become visible when focused"
    page.keyboard.press("Enter")
    in_main = page.evaluate("() => !!document.activeElement.closest('main') || document.activeElement.tagName === 'MAIN'")
    assert in_main, page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    assert page.evaluate("() => document.querySelector(location.hash)?.tagName") == "MAIN"


_FOCUS_STYLE = """el => { const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.textDecorationLine, s.backgroundColor,
          s.borderColor].join('|'); }"""


@pytest.mark.parametrize("url", ["/", "/dien-hinh/", "/tim-kiem/?q=thi+dua"])
@pytest.mark.parametrize("width", WIDTHS)
def test_every_tab_stop_has_a_visible_focus_style(page, sample_url, url, width):
    _open(page, sample_url, url, width)
    seen, missing = 0, []
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(40):
        page.keyboard.press("Tab")
        handle = page.evaluate_handle("() => document.activeElement")
        if page.evaluate("el => el === document.body || el === null", handle):
            break
        focused = page.evaluate(_FOCUS_STYLE, handle)
        outline = focused.split("|")
        visible_outline = outline[0] != "none" and outline[1] not in ("0px", "")
        visible_shadow = outline[3] != "none"
        label = page.evaluate("el => el.outerHTML.slice(0, 120)", handle)
        # Compare with the same element unfocused.
        page.evaluate("el => el.blur()", handle)
        unfocused = page.evaluate(_FOCUS_STYLE, handle)
        page.evaluate("el => el.focus({focusVisible: true})", handle)
        if not (visible_outline or visible_shadow) or focused == unfocused:
            missing.append(label)
        seen += 1
    assert seen >= 5, f"only {seen} tab stops on {url}"
    assert missing == [], f"no visible focus style on {url} at {width}px:\n" + "\n".join(missing)
