"""Photos in a real Chromium: the candidate it picks, what a phone downloads, the gallery by keyboard."""

from __future__ import annotations

import re
import time

import pytest

from support import ROOT, content_articles

GALLERY_ARTICLE = next("/" + u for u, a in sorted(content_articles(ROOT / "content").items()) if a.get("gallery"))
PROFILE = "/dien-hinh/dinh-thi-thanh-xuan/"

# Each slot's <img>: the smallest candidate at least as wide as the image is drawn (CSS px × device pixels)
# must be the one Chromium chose; a wrong ``sizes`` makes it fetch a bigger or a blurry one.
CHOSEN = """img => {
  const need = img.getBoundingClientRect().width * devicePixelRatio;
  const picture = img.closest('picture');
  const avif = picture.querySelector('source[type="image/avif"]');
  const widths = avif.srcset.split(',').map(c => parseInt(c.trim().split(/\\s+/)[1]));
  const fit = widths.filter(w => w >= need - 1);
  const expected = fit.length ? Math.min(...fit) : Math.max(...widths);
  const m = img.currentSrc.match(/-(\\d+)x\\d+-[0-9a-f]+\\.(\\w+)$/);
  return {need: Math.round(need), expected, chosen: m && parseInt(m[1]), format: m && m[2], src: img.currentSrc};
}"""


def _open(browser, url: str, width: int, height: int, dpr: float):
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=dpr)
    page = context.new_page()
    page.goto(url)
    return context, page


def _check(page, selector: str) -> dict:
    img = page.locator(selector).first
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.currentSrc", arg=img.element_handle(), polling=100)
    found = img.evaluate(CHOSEN)
    assert found["format"] == "avif", found  # the best format Chromium reads
    assert found["chosen"] == found["expected"], found
    return found


@pytest.mark.parametrize(("width", "height", "dpr"), [(360, 780, 2), (390, 844, 3), (820, 1180, 2), (1280, 900, 1),
                                                      (1440, 900, 2)])
def test_the_right_candidate_loads_for_every_slot(browser, sample_url, width, height, dpr):
    context, page = _open(browser, sample_url + GALLERY_ARTICLE, width, height, dpr)
    try:
        lead = _check(page, ".article__figure img")
        _check(page, ".gallery img")
        if page.locator(".related .card__media img").count():
            _check(page, ".related .card__media img")
        page.goto(sample_url + "/tin-tuc/")
        _check(page, ".card__media img")
        page.goto(sample_url + PROFILE)
        _check(page, ".profile-head__photo img")
        page.goto(sample_url + "/")
        _check(page, ".card--lead img")
    finally:
        context.close()
    assert lead["need"] > 0


def test_a_phone_downloads_at_most_120_kb_of_images_before_scrolling(browser, sample_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
    page = context.new_page()
    sizes: dict[str, int] = {}

    def done(request):
        if request.resource_type == "image" and not request.url.startswith("data:"):
            sizes[request.url] = request.sizes()["responseBodySize"]

    page.on("requestfinished", done)
    try:
        page.goto(sample_url + GALLERY_ARTICLE, wait_until="networkidle")
        page.wait_for_timeout(300)
    finally:
        context.close()
    photos = {u: s for u, s in sizes.items() if "/anh/" in u}
    assert any(re.search(r"\.avif$", u) for u in photos), sizes  # the lead photo came, as AVIF
    assert 0 < sum(sizes.values()) <= 120 * 1024, {u.rsplit("/", 1)[-1]: s for u, s in sizes.items()}
    assert len(photos) == 1, photos  # the gallery and the related cards wait below the fold


def test_the_gallery_works_by_keyboard(page, sample_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(sample_url + GALLERY_ARTICLE)
    scroller = page.locator(".gallery__scroller")
    scroller.focus()
    assert page.evaluate("document.activeElement.className") == "gallery__scroller"
    assert scroller.get_attribute("aria-label").startswith("Bộ ảnh")
    before = scroller.evaluate("el => el.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=scroller.element_handle(), polling=50)
    assert scroller.evaluate("el => el.scrollLeft") > before
    links = page.locator(".gallery__link")
    for i in range(3):  # Tab walks the photos in order; each focused photo is scrolled into view
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.href")
        assert focused == links.nth(i).evaluate("a => a.href")
        box, frame = links.nth(i).bounding_box(), scroller.bounding_box()
        assert box["x"] >= frame["x"] - 1 and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
    name = links.nth(2).evaluate("a => a.textContent + ' ' + a.querySelector('img').alt")
    assert "ảnh 3/6" in name
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/anh/.+-1600x\d+-[0-9a-f]+\.jpg$"))


SHIFTS = """window.__shift = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; })
  .observe({type: 'layout-shift', buffered: true});"""


def test_no_layout_shift_while_photos_arrive(browser, sample_url):
    context, page = _open(browser, sample_url + GALLERY_ARTICLE, 390, 844, 2)
    try:
        page.evaluate(f"() => {{ {SHIFTS} }}")
        for _ in range(6):
            page.mouse.wheel(0, 700)
            page.wait_for_timeout(150)
        page.wait_for_load_state("networkidle")
        height = page.locator(".gallery__scroller").evaluate("el => el.offsetHeight")
        for step in range(1, 7):  # along the row: photos drawn late keep the row's height
            page.locator(".gallery__scroller").evaluate(f"el => el.scrollLeft = {step} * el.clientWidth")
            page.wait_for_timeout(150)
        page.wait_for_load_state("networkidle")
        assert page.locator(".gallery__scroller").evaluate("el => el.offsetHeight") == height
        assert page.evaluate("window.__shift") < 0.01
    finally:
        context.close()


@pytest.mark.parametrize("width", [412, 820, 1350])
def test_the_home_page_does_not_move_when_its_photos_arrive_late(browser, sample_url, width):
    """Photos held back: every box keeps the size it had without them (the lead's once took the photo's width)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.add_init_script(SHIFTS)

    def late(route):
        time.sleep(0.5)
        route.continue_()

    page.route(re.compile(r".*\.(avif|webp|jpg)$"), late)
    try:
        page.goto(sample_url + "/")
        page.wait_for_function("[...document.images].filter(i => i.loading !== 'lazy').every(i => i.complete)",
                               polling=100, timeout=30_000)
        page.wait_for_timeout(200)  # the last shift's entry
        assert page.evaluate("window.__shift") == 0
    finally:
        context.close()
