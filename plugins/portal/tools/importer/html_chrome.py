"""Elements of a saved HTML page: site chrome by tag, class or id, and the article's container.

``CHROME_CLASSES`` and the tag tables say what a menu, share bar, comment box
or related list looks like; ``_find_container`` scores paragraphs to find the
element that holds the article (a light Readability). Both the body converter
and the headline, date and byline readers use these helpers.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from .common import _clean

# Site chrome recognised by an element's tag, class or id (split into tokens
# on "-", "_" and spaces; the long tokens also match inside joined names).
CHROME_CLASSES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("breadcrumb", "breadcrumbs", "duongdan"), "đường dẫn chuyên mục (breadcrumb)"),
    (("share", "social", "sharing", "addthis", "chiase", "print", "inbai", "fontsize", "toolbar", "tools", "zalo",
      "facebook"), "thanh chia sẻ, in bài, cỡ chữ"),
    (("related", "relate", "lienquan", "tinlienquan", "othernews", "tinkhac", "cungchuyenmuc", "readmore"),
     "tin liên quan"),
    (("comment", "comments", "binhluan", "ykien", "captcha", "feedback"), "ô bình luận, mã xác nhận"),
    (("menu", "nav", "navbar", "navigation", "mainmenu", "topmenu"), "menu điều hướng"),
    (("footer", "copyright", "chantrang"), "chân trang"),
    (("header", "banner", "logo", "masthead"), "đầu trang"),
    (("sidebar", "widget", "cotphai", "cottrai"), "cột bên"),
    (("chuyenmuc", "category", "cate"), "nhãn chuyên mục"),
    (("ads", "adv", "advert", "advertisement", "quangcao"), "quảng cáo"),
    (("tags", "tag", "keyword", "keywords", "tukhoa"), "từ khoá"),
    (("rating", "vote", "luotxem"), "đánh giá, lượt xem"),
)
_CHROME_TOKENS = {token: reason for tokens, reason in CHROME_CLASSES for token in tokens}
_CHROME_JOINED = [t for t in _CHROME_TOKENS if len(t) >= 6]
_CHROME_TAGS = {
    "nav": "menu điều hướng", "aside": "cột bên", "footer": "chân trang", "form": "ô bình luận, biểu mẫu",
    "button": "nút", "input": "ô nhập", "select": "ô chọn", "textarea": "ô nhập",
    "noscript": "chữ cho trình duyệt tắt JavaScript", "iframe": "khung nhúng (video, bản đồ)", "header": "đầu trang",
}
_SILENT_TAGS = {"script", "style", "template", "svg", "head", "meta", "link", "title", "object", "embed"}
_INLINE_TAGS = {
    "a", "b", "strong", "i", "em", "u", "span", "font", "small", "big", "sup", "sub", "abbr", "mark", "label",
    "time", "code", "cite", "q", "s", "strike", "ins", "del", "var", "kbd", "tt", "img", "br",
}
_BODY_TOKENS = {"content", "detail", "article", "body", "entry", "post", "news", "noidung", "chitiet",
                "articlebody", "maincontent", "fck", "fck_detail"}


def _tokens(el: Tag) -> set[str]:
    values = [*(el.get("class") or []), str(el.get("id") or ""), str(el.get("itemprop") or "")]
    return {t for v in values for t in re.split(r"[\s_\-]+", str(v).lower()) if t}


def _joined(el: Tag) -> str:
    return re.sub(r"[\s_\-]+", "", " ".join([*(el.get("class") or []), str(el.get("id") or "")]).lower())


def _is_hidden(el: Tag) -> bool:
    style = str(el.get("style") or "").replace(" ", "").lower()
    return el.has_attr("hidden") or el.get("aria-hidden") == "true" or "display:none" in style \
        or "visibility:hidden" in style


def _chrome_reason(el: Tag) -> str:
    """Why an element is site chrome, by tag, class or id; "" when it is not."""
    if el.name == "form" and len(el.find_all("p", limit=3)) == 3:
        return ""  # ASP.NET wraps the whole page in one <form>
    if el.name == "header" and el.find_parent("article"):
        return ""  # an article's own header: headline, date, byline
    if el.name in _CHROME_TAGS:
        return _CHROME_TAGS[el.name]
    if _is_hidden(el):
        return "phần tử ẩn trên trang"
    tokens = _tokens(el)
    for token in tokens:
        if token in _CHROME_TOKENS:
            return _CHROME_TOKENS[token]
    joined = _joined(el)
    for token in _CHROME_JOINED:
        if token in joined:
            return _CHROME_TOKENS[token]
    return ""


_TOOLS = _CHROME_TOKENS["share"]


def _in_chrome(el: Tag, allow: str = "") -> bool:
    """Inside a menu, comment box, related list…; ``allow`` names a kind of chrome that does not count."""
    return any(isinstance(p, Tag) and p.name not in ("html", "body", "[document]") and _chrome_reason(p) not in
               ("", allow) for p in [el, *el.parents])


def _text(el: Tag) -> str:
    return _clean(el.get_text(" "))


def _paragraph_score(el: Tag) -> int:
    if el.name == "p":
        text = _text(el)
    else:
        text = _clean(" ".join(s for s in el.find_all(string=True, recursive=False) if type(s) is NavigableString))
        if len(text) < 40:
            return 0
    links = sum(len(_text(a)) for a in el.find_all("a"))
    return max(0, len(text) - links)


def _find_container(soup: BeautifulSoup) -> Tag | None:
    """The element holding the article's paragraphs (a light Readability)."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for el in soup.find_all(["p", "div", "td", "span", "font", "section", "article"]):
        score = _paragraph_score(el)
        if score < 25 or _in_chrome(el):
            continue
        parent = el.parent if el.name == "p" or el.name in _INLINE_TAGS else el
        for node, share in ((parent, 1.0), (parent.parent if parent else None, 0.5)):
            if isinstance(node, Tag) and node.name not in ("[document]", "html"):
                scores[id(node)] = scores.get(id(node), 0) + score * share
                nodes[id(node)] = node
    if not scores:
        return None

    def weight(node_id: int) -> float:
        node = nodes[node_id]
        bonus = 1.5 if _tokens(node) & _BODY_TOKENS or node.name == "article" else 1.0
        return scores[node_id] * (2.0 if node.get("itemprop") == "articleBody" else bonus)

    return nodes[max(scores, key=weight)]
