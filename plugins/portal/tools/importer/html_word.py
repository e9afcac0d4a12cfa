"""Pages exported from Microsoft Word ("Save as Web Page", "Lưu dưới dạng trang Web").

Word writes a page no browser would: the headline is a styled paragraph
(``class=MsoTitle``, or bold and large, often in capitals) while ``<title>``
holds the file's name or the site's; conditional comments carry VML copies of
the pictures; ``<o:p>`` fills empty paragraphs; lists are paragraphs with the
bullet drawn in text; ``mso-`` declarations fill every style. ``_is_word``
recognises such a page, ``_clean_word`` turns it into ordinary HTML before the
container is looked for, and ``_word_headline`` finds the headline paragraph.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Declaration, NavigableString, Tag

from .common import _chrome_text, _clean, _words
from .dates import _date_line
from .html_chrome import _text
from .report import ImportReport

_WORD_META = re.compile(r"word\.document|microsoft word", re.IGNORECASE)
# Lines a Word document opens with that are not a headline: the national motto, an office's letterhead.
_LETTERHEAD = re.compile(r"cộng hòa xã hội|cộng hoà xã hội|độc lập\s*[-–—]\s*tự do|^(ubnd|ủy ban|uỷ ban|sở|ban|phòng)\b",
                         re.IGNORECASE)
_FONT_SIZE = re.compile(r"font-size\s*:\s*([\d.]+)\s*pt", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^\s*(\d+|[a-zđ]|[ivx]+)[.)]\s*$", re.IGNORECASE)


def _is_word(soup: BeautifulSoup, text: str) -> bool:
    """A whole page Word saved: its generator meta or its Office namespace.

    Paragraphs pasted from Word into a portal's editor (``class="MsoNormal"``) do not make one: such a
    page has its own headline, and only gets ``_clean_word``.
    """
    for meta in soup.find_all("meta", attrs={"name": re.compile(r"^(progid|generator|originator)$", re.IGNORECASE)}):
        if _WORD_META.search(str(meta.get("content") or "")):
            return True
    return "urn:schemas-microsoft-com:office:word" in text[:3000]


def _has_word_markup(soup: BeautifulSoup) -> bool:
    return bool(soup.find(class_=re.compile(r"^Mso")) or soup.find(re.compile(r"^o:p$", re.IGNORECASE)))


def _clean_word(soup: BeautifulSoup, report: ImportReport) -> None:
    """Word's markup made ordinary: no conditional sections, ``<o:p>``, ``mso-`` styles or empty paragraphs."""
    _lists(soup)  # first: the list markers sit between two declarations
    for node in list(soup.find_all(string=lambda s: isinstance(s, (Comment, Declaration)))):
        conditional = str(node).strip().lower()
        if (conditional.startswith("[if") if isinstance(node, Comment)
                else re.match(r"(if|endif|else)\b", conditional)):
            node.extract()  # VML copies of the pictures, Office XML, <![if !vml]> … <![endif]>
    for el in soup.find_all(re.compile(r"^(o|v|w|m|st1):", re.IGNORECASE)):
        if el.decomposed:
            continue
        if el.name.lower() == "o:p":
            el.unwrap()
        else:
            el.decompose()
    for el in soup.find_all("xml"):
        el.decompose()
    for el in soup.find_all(style=True):
        if el.decomposed:
            continue
        declarations = [d.strip() for d in str(el["style"]).split(";") if d.strip()]
        squashed = [d.replace(" ", "").lower() for d in declarations]
        if "mso-hide:all" in squashed or any(d.startswith("mso-element:comment") for d in squashed):
            report.drop(_text(el), "chữ ẩn hoặc ghi chú (comment) của tệp Word")
            el.decompose()
            continue
        kept = [d for d in declarations if not d.lower().startswith("mso-")]
        if kept:
            el["style"] = "; ".join(kept)
        else:
            del el["style"]
    for el in soup.find_all(class_=True):
        classes = [str(c) for c in el.get("class") or []]
        if any(c.lower() == "msocaption" for c in classes):
            el["class"] = [*classes, "caption"]
        elif any(c.lower() == "msosubtitle" for c in classes) and len(_text(el)) >= 30:
            el["class"] = [*classes, "sapo"]
    for el in soup.find_all(["p", "div"]):  # empty paragraphs (not empty spans: Word spaces words with them)
        if not el.decomposed and not _text(el) and not el.find(["img", "table"]):
            el.decompose()


def _lists(soup: BeautifulSoup) -> None:
    """Word's list paragraphs (the bullet written as text in a hidden-from-Word span) become ``<ul>``/``<ol>``."""
    items: list[tuple[Tag, bool]] = []
    for p in soup.find_all("p"):
        classes = " ".join(str(c) for c in p.get("class") or []).lower()
        style = str(p.get("style") or "").replace(" ", "").lower()
        if "msolistparagraph" not in classes and "mso-list:l" not in style:
            continue
        marker = ""
        for decl in [d for d in p.find_all(string=lambda s: isinstance(s, Declaration))
                     if str(d).strip().lower() == "if !supportlists"]:
            node = decl.next_sibling
            decl.extract()
            while node is not None and not (isinstance(node, Declaration) and str(node).strip().lower() == "endif"):
                following = node.next_sibling
                marker += node.get_text() if isinstance(node, Tag) else str(node)
                node.extract()
                node = following
            if node is not None:
                node.extract()
        items.append((p, bool(_LIST_MARKER.match(_clean(marker)))))
    for p, ordered in items:
        previous = p.find_previous_sibling(True)
        if previous is not None and previous.name in ("ul", "ol") and previous.get("data-word-list") == "1":
            holder = previous
        else:
            holder = soup.new_tag("ol" if ordered else "ul")
            holder["data-word-list"] = "1"
            p.insert_before(holder)
        item = soup.new_tag("li")
        for child in list(p.children):
            item.append(child.extract())
        holder.append(item)
        p.decompose()
    for el in soup.find_all(attrs={"data-word-list": True}):
        del el["data-word-list"]


def _font_size(el: Tag) -> float:
    sizes = [float(m) for node in [el, *el.find_all(True)] for m in _FONT_SIZE.findall(str(node.get("style") or ""))]
    return max(sizes, default=0.0)


def _bold_share(el: Tag) -> float:
    """How much of the text is bold (``<b>``, ``<strong>``, a bold style or a heading)."""
    total = bold = 0
    for node in el.find_all(string=True):
        if type(node) is not NavigableString:
            continue
        size = len(node.strip())
        total += size
        chain = [node.parent, *node.parent.parents] if node.parent else []
        chain = chain[:chain.index(el) + 1] if el in chain else chain
        if any(isinstance(a, Tag) and (a.name in ("b", "strong", "h1", "h2")
                                       or re.search(r"font-weight\s*:\s*(bold|[6-9]00)", str(a.get("style") or "")))
               for a in chain):
            bold += size
    return bold / total if total else 0.0


def _word_headline(soup: BeautifulSoup, container: Tag | None) -> tuple[Tag | None, str]:
    """The headline paragraph of a Word page and how it was recognised; (None, "") when there is none.

    Word's Title style wins, then a Heading 1, then the largest bold or large paragraph among the
    first eight (Word documents put the headline first; a letterhead or a date line is skipped).
    """
    scope = container if container is not None else soup.body or soup
    blocks = [el for el in scope.find_all(["p", "h1", "h2", "div"])
              if _text(el) and not el.find(["p", "div", "table"])][:8]
    titled = [el for el in blocks if any(str(c).lower() == "msotitle" for c in el.get("class") or [])]
    if titled:
        return titled[0], "đoạn kiểu Tiêu đề (MsoTitle) của tệp Word"
    headings = [el for el in blocks if el.name == "h1"]
    if headings:
        return headings[0], "đoạn kiểu Heading 1 của tệp Word"
    sizes = sorted(_font_size(el) for el in scope.find_all("p") if _text(el))
    body_size = sizes[len(sizes) // 2] if sizes else 0.0
    candidates = []
    for n, el in enumerate(blocks):
        text = _text(el)
        if not 4 <= _words(text) <= 40 or text.endswith(":") or _date_line(text) or _chrome_text(text) \
                or _LETTERHEAD.search(text):
            continue
        size = _font_size(el)
        if _bold_share(el) >= 0.9 or (body_size and size > body_size):
            candidates.append((-size, text.endswith("."), n, el))
    if not candidates:
        return None, ""
    el = min(candidates, key=lambda c: c[:3])[3]
    return el, "đoạn in đậm, chữ lớn đầu tệp Word"
