"""A saved HTML page read as an article: headline, date, sapo, byline, body and what was left out.

``_extract_html`` finds the container, reads the metadata (meta tags, JSON-LD,
the visible headline and date line), converts the body with ``_HtmlBody`` and
lists every text outside the container in the report. A photo between the
headline and the container opens the body (it is the lead photo). A page
exported from Word is first made ordinary HTML (``html_word``). Category and
home pages are refused with ``ImportFailed``.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

from bs4 import BeautifulSoup, NavigableString, Tag

from ...vietnamese import fold
from .bylines import _is_outlet, parse_byline
from .common import _CAPTION_RE, _Block, _chrome_text, _clean, _format_date, _words
from .dates import _date_line, find_date
from .html_body import _CAPTION_TOKENS, _HtmlBody
from .html_chrome import _SILENT_TAGS, _TOOLS, _chrome_reason, _find_container, _in_chrome, _joined, _text, _tokens
from .html_word import _clean_word, _has_word_markup, _is_word, _word_headline
from .report import DateHit, ImportFailed, ImportReport
from .vocabulary import Vocabulary

_AUTHOR_TOKENS = {"author", "tacgia", "byline", "writer", "signature", "butdanh", "nguoiviet"}
_DATE_TOKENS = ("date", "time", "ngay", "publish", "thoigian")
_SAPO_TOKENS = {"sapo", "lead", "summary", "chapeau", "tomtat", "intro", "excerpt", "lede"}


def _meta(soup: BeautifulSoup, *keys: str) -> tuple[str, str]:
    """(value, key) of the first meta tag present among ``keys`` (property, name or itemprop)."""
    for key in keys:
        pattern = re.compile(f"^{re.escape(key)}$", re.IGNORECASE)
        for attr in ("property", "name", "itemprop"):
            el = soup.find("meta", attrs={attr: pattern})
            if el and _clean(str(el.get("content") or "")):
                return _clean(str(el["content"])), key
    return "", ""


def _json_ld(soup: BeautifulSoup) -> dict:
    """The first schema.org article object in the page's JSON-LD, or {}."""
    for script in soup.find_all("script", attrs={"type": re.compile("ld\\+json", re.IGNORECASE)}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack += item
            elif isinstance(item, dict):
                if "headline" in item or "datePublished" in item:
                    return item
                stack += [v for v in item.values() if isinstance(v, (list, dict))]
    return {}


def _strip_site(title: str, site: str) -> tuple[str, str]:
    """("Tiêu đề", "Tên trang") from "Tiêu đề | Tên trang" or "Tiêu đề - Báo X"."""
    removed = ""
    if site and title.lower().endswith(site.lower()) and len(title) > len(site) + 3:
        title, removed = title[:-len(site)].rstrip(" |-–—:»"), site
    parts = [p.strip() for p in re.split(r"\s+[|»]\s+", title) if p.strip()]
    if len(parts) > 1:
        best = max(parts, key=len)
        removed = removed or " | ".join(p for p in parts if p is not best)
        title = best
    tail = re.match(r"(.+?)\s+[-–—]\s+([^-–—]+)$", title)
    if tail and _is_outlet(tail.group(2)):
        title, removed = tail.group(1), removed or tail.group(2)
    return title, removed


def _extract_html(text: str, report: ImportReport, vocab: Vocabulary) -> tuple[list[_Block], tuple[str, str]]:
    """Blocks of the article, and the site's name as the outlet of last resort (with its origin)."""
    soup = BeautifulSoup(text, "html.parser")
    word = _is_word(soup, text)
    if word or _has_word_markup(soup):
        _clean_word(soup, report)
    container = _find_container(soup)
    name = report.source_file.name
    if container is None:
        raise ImportFailed(f"{name}: không tìm thấy đoạn văn nào của bài viết (trang trống, trang chủ hay trang "
                           "chuyên mục?)")
    _refuse_listing(container, name)
    used: dict[int, Tag] = {}  # elements read as title, date, sapo, byline: not body, not dropped
    used_texts: set[str] = set()
    ld = _json_ld(soup)
    canonical = soup.find("link", attrs={"rel": re.compile("canonical", re.IGNORECASE)})
    url = _meta(soup, "og:url")[0] or (str(canonical.get("href") or "") if canonical else "")
    if re.fullmatch(r"https?://[^\s<>\"']+", url):
        report.source_url = url
    base_tag = soup.find("base", href=True)
    base = str(base_tag["href"]) if base_tag else report.source_url
    publisher = ld.get("publisher")
    site = _meta(soup, "og:site_name", "application-name")[0] or _clean(
        str(publisher.get("name") or "") if isinstance(publisher, dict) else "") or (
        _strip_site(_text(soup.title), "")[1] if soup.title and not word else "")
    title_el = _html_title(soup, container, report, used, used_texts, site, ld, word)
    site_from = "tên trang (og:site_name hoặc <title>)"
    if word and title_el is not None:
        office = _word_letterhead(container, title_el, report, used, used_texts)
        if office and not site:
            site, site_from = office, f"dòng tên cơ quan đầu tệp Word ‘{office}’"
    _html_date(soup, report, used, used_texts, ld, title_el)
    _html_sapo(soup, container, report, used, used_texts)
    byline_source = _html_byline(soup, report, used, used_texts, vocab, ld)
    converter = _HtmlBody(base, used, report)
    lead = _lead_photo(soup, container, title_el, used, used_texts, converter)
    converter.block(container)
    converter.flush()
    _report_outside(container, used, used_texts, report)
    blocks = ([lead] if lead else []) + converter.blocks
    if sum(len(b.text) for b in blocks if b.kind in ("p", "h", "list", "quote")) < 200:
        raise ImportFailed(f"{name}: khung bài viết chỉ có "
                           f"{sum(len(b.text) for b in blocks)} ký tự, không phải một bài viết")
    if byline_source:
        report.source, report.source_from = byline_source, "dòng tác giả"
    if site:
        return blocks, (site, site_from)
    if report.source_url:
        return blocks, (urlparse(report.source_url).netloc, "tên miền của địa chỉ gốc")
    return blocks, ("", "")


def _lead_photo(soup: BeautifulSoup, container: Tag, title_el: Tag | None, used: dict[int, Tag],
                used_texts: set[str], converter: _HtmlBody) -> _Block | None:
    """The first photo between the headline and the article's container (a lead photo above the body).

    Its caption is the figure's ``<figcaption>`` or a caption-like element right after it.
    """
    if title_el is None or container in title_el.parents:
        return None
    order = {id(el): n for n, el in enumerate(soup.find_all(True))}
    start, end = order.get(id(title_el), 0), order.get(id(container), 0)
    for img in soup.find_all("img"):
        if not start < order[id(img)] < end or container in img.parents or _in_chrome(img) \
                or any(id(p) in used for p in img.parents):
            continue
        block = converter._image_block(img)
        if block is None:
            continue
        figure = img.find_parent("figure")
        caption_el = figure.find("figcaption") if figure else None
        if caption_el is None:
            holder = img
            while isinstance(holder.parent, Tag) and holder.parent.name not in ("body", "html") \
                    and not _text(holder.parent) and holder.parent is not container:
                holder = holder.parent
            nxt = holder.find_next_sibling(True)
            text = _text(nxt) if nxt is not None else ""
            if text and _words(text) <= 60 and (_tokens(nxt) & _CAPTION_TOKENS or _CAPTION_RE.search(text)) \
                    and container not in nxt.descendants:
                caption_el = nxt
        if caption_el is not None and _text(caption_el):
            block.text, block.hint = _text(caption_el), True
            used[id(caption_el)] = caption_el
            used_texts.add(block.text)
        return block
    return None


def _word_letterhead(container: Tag, title_el: Tag, report: ImportReport, used: dict[int, Tag],
                     used_texts: set[str]) -> str:
    """Lines above a Word document's headline (the office's name, a section) are not the body.

    Returns the office named there, as the outlet of last resort.
    """
    office = ""
    if container not in title_el.parents:
        return office
    for el in container.find_all(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6"]):
        if el is title_el or title_el in el.descendants:
            break
        text = _text(el)
        if not text or el.find(["p", "div"]) or id(el) in used:
            continue
        report.drop(text, "dòng trên tiêu đề trong tệp Word (tên cơ quan, chuyên mục)")
        used[id(el)] = el
        used_texts.add(text)
        office = office or (text if _is_outlet(text) else "")
    return office


def _refuse_listing(container: Tag, name: str) -> None:
    """A list of headlines (category or home page) is not an article."""
    linked = [h for h in container.find_all(["h2", "h3", "h4"]) if h.find("a") and len(_text(h.find("a"))) * 2 >
              len(_text(h))]
    total = len(_text(container)) or 1
    links = sum(len(_text(a)) for a in container.find_all("a"))
    if len(linked) >= 3 or links / total > 0.5:
        raise ImportFailed(f"{name}: đây là trang danh sách tin ({len(linked)} tiêu đề có liên kết), không phải "
                           "một bài viết; hãy mở bài và lưu trang của bài")


def _html_title(soup: BeautifulSoup, container: Tag, report: ImportReport, used: dict[int, Tag], used_texts: set[str],
                site: str, ld: dict, word: bool = False) -> Tag | None:
    """Headline from h1, og:title, JSON-LD or <title>; returns the headline's element when it has one.

    In a page exported from Word the styled headline paragraph comes first: its <title> is a file's name.
    """
    page_title = _text(soup.title) if soup.title else ""
    if word:
        el, how = _word_headline(soup, container)
        if el is not None:
            report.title = _text(el)
            skipped = page_title and fold(page_title) != fold(report.title)
            report.title_from = how + (f" (bỏ <title> ‘{page_title}’: tên tệp hoặc tên trang)" if skipped else "")
            used[id(el)] = el
            used_texts.add(report.title)
            return el
        if not soup.find("h1"):
            report.warnings.append("tệp xuất từ Word không có đoạn nào giống tiêu đề (kiểu Title, in đậm, chữ lớn): "
                                   "tiêu đề lấy từ <title>, có thể chỉ là tên tệp; hãy kiểm tra")
    og, og_key = _meta(soup, "og:title", "twitter:title")
    h1s = [h for h in soup.find_all("h1") if _text(h) and not _in_chrome(h)]
    for h1 in h1s:
        if og and (fold(_text(h1)) in fold(og) or fold(og) in fold(_text(h1))):
            report.title, report.title_from = _text(h1), "thẻ h1 (trùng og:title)"
            used[id(h1)] = h1
            used_texts.add(report.title)
            return h1
    inside = [h for h in h1s if container in h.parents or h in container.descendants]
    pick = inside[0] if inside else next((h for h in h1s if _words(_text(h)) >= 4), None)
    if pick is not None:
        report.title, report.title_from = _text(pick), "thẻ h1"
        used[id(pick)] = pick
        used_texts.add(report.title)
        return pick
    if og:
        report.title, report.title_from = _strip_site(og, site)[0], og_key
    elif ld.get("headline"):
        report.title, report.title_from = _clean(str(ld["headline"])), "JSON-LD headline"
    elif soup.title and _text(soup.title):
        title, removed = _strip_site(_text(soup.title), site)
        report.title = title
        report.title_from = "thẻ <title>" + (f" (bỏ tên trang ‘{removed}’)" if removed else "")
    if report.title:
        used_texts.add(report.title)
    return None


def _html_date(soup: BeautifulSoup, report: ImportReport, used: dict[int, Tag], used_texts: set[str], ld: dict,
               title_el: Tag | None) -> None:
    value, key = _meta(soup, "article:published_time", "datePublished", "pubdate", "publishdate", "publish-date",
                       "dc.date.issued", "dc.date", "date")
    if not value and ld.get("datePublished"):
        value, key = str(ld["datePublished"]), "JSON-LD datePublished"
    hit = find_date(value) if value else None
    if hit:
        report.date, report.date_from = hit.value, f"siêu dữ liệu {key} ‘{value}’"
    visible = _visible_date(soup, report.title, title_el)
    if visible is None:
        return
    el, line, seen = visible
    if report.date is None:
        report.date, report.date_from = seen.value, ("thẻ <time datetime>" if el is not None and el.name == "time"
                                                     and el.get("datetime") else f"dòng ‘{line}’")
        if seen.note:
            report.date_from += f", {seen.note}"
    elif _format_date(report.date)[:10] == _format_date(seen.value)[:10]:
        report.date_from += f", trùng dòng ‘{line}’ trên trang"
    else:
        return
    if el is not None:
        used[id(el)] = el
    used_texts.add(line)


def _visible_date(soup: BeautifulSoup, title: str, title_el: Tag | None) -> tuple[Tag | None, str, DateHit] | None:
    """The date shown with the article: <time>, itemprop, a date-like class, or a date line after the title.

    A date before the headline is the site's clock, so elements after the headline come first.
    """
    found: list[tuple[bool, int, Tag, str, DateHit]] = []
    after = title_el is None
    for n, el in enumerate(soup.find_all(True)):
        if el is title_el:
            after = True
        hit = None
        if el.name == "time":
            hit = find_date(str(el.get("datetime") or "")) or find_date(_text(el))
        elif el.get("itemprop") == "datePublished" or any(t in _joined(el) for t in _DATE_TOKENS):
            dated = _date_line(_text(el))
            hit = dated[0] if dated else None
        if hit and not _in_chrome(el, allow=_TOOLS):
            found.append((not after, n, el, _text(el), hit))
    if found:
        _, _, el, line, hit = min(found, key=lambda f: f[:2])
        return el, line, hit
    lines = [_clean(s) for s in soup.get_text("\n").split("\n")]
    lines = [s for s in lines if s]
    start = next((i for i, s in enumerate(lines) if title and s == title), 0)
    for line in lines[start:start + 15]:
        dated = _date_line(line)
        if dated:
            return None, line, dated[0]
    return None


def _html_sapo(soup: BeautifulSoup, container: Tag, report: ImportReport, used: dict[int, Tag],
               used_texts: set[str]) -> None:
    for el in soup.find_all(["p", "h2", "div", "span", "strong", "section"]):
        if _tokens(el) & _SAPO_TOKENS and len(_text(el)) >= 30 and not _in_chrome(el) and \
                not (container in el.descendants and len(_text(el)) > len(_text(container)) / 2):
            report.summary = _text(el)
            used[id(el)] = el
            used_texts.add(report.summary)
            return


def _html_byline(soup: BeautifulSoup, report: ImportReport, used: dict[int, Tag], used_texts: set[str],
                 vocab: Vocabulary, ld: dict) -> str:
    """Authors from a byline element (or meta author, JSON-LD); returns the outlet it names, if any."""
    for el in soup.find_all(True):
        if el.name in _SILENT_TAGS or not (_tokens(el) & _AUTHOR_TOKENS or el.get("itemprop") == "author"
                                           or el.get("rel") == ["author"]):
            continue
        line = _text(el)
        parsed = parse_byline(line, vocab) if line and not _in_chrome(el) else None
        if parsed:
            report.author, report.author_from = parsed[0], f"dòng tác giả ‘{line}’"
            used[id(el)] = el
            used_texts.add(line)
            return parsed[1]
    candidates = [(_meta(soup, "author", "article:author", "dc.creator")[0], "siêu dữ liệu author")]
    author = ld.get("author")
    names = author if isinstance(author, list) else [author]
    candidates += [(_clean(str(a.get("name") if isinstance(a, dict) else a or "")), "JSON-LD author") for a in names]
    for value, origin in candidates:
        parsed = parse_byline(value, vocab) if value else None
        if parsed and parsed[0]:
            report.author, report.author_from = parsed[0], origin
            return parsed[1]
    return ""


def _report_outside(container: Tag, used: dict[int, Tag], used_texts: set[str], report: ImportReport) -> None:
    """Every text outside the article container goes to the report, with a reason."""
    holders = {id(p) for el in used.values() for p in el.parents}
    node: Tag = container
    while isinstance(node.parent, Tag):
        for sibling in node.parent.children:
            if sibling is not node:
                _report_block(sibling, used, holders, used_texts, report)
        node = node.parent


def _report_block(el: object, used: dict[int, Tag], holders: set[int], used_texts: set[str],
                  report: ImportReport) -> None:
    if type(el) is NavigableString:
        text = _clean(str(el))
        if text and text not in used_texts:
            report.drop(text, "ngoài khung bài viết")
        return
    if not isinstance(el, Tag) or el.name in _SILENT_TAGS or id(el) in used:
        return
    if id(el) in holders:
        for child in el.children:
            _report_block(child, used, holders, used_texts, report)
        return
    text = _text(el)
    if not text or text in used_texts:
        return
    chrome = _chrome_text(text)
    wrapper = el  # a bare <tr> or <div> around one classed element: the element says what it is
    while not _chrome_reason(wrapper) and len(wrapper.find_all(True, recursive=False)) == 1:
        wrapper = wrapper.find(True, recursive=False)
    reason = _chrome_reason(wrapper) or (chrome[0] if chrome else "") or (
        "ngày giờ trên trang" if _date_line(text) else "ngoài khung bài viết")
    report.drop(text, reason)
