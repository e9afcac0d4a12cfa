"""The article container of an HTML page converted to Markdown blocks.

``_HtmlBody`` walks the container: paragraphs, headings, lists, figures,
tables (written as lists: the portal's Markdown has no tables), quotes, links
and images; chrome met on the way is dropped into the report with its reason.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import NavigableString, Tag

from .common import _CONTROL, _SPACE, _Block, _clean, _escape, _url
from .html_chrome import _INLINE_TAGS, _SILENT_TAGS, _chrome_reason, _text, _tokens
from .report import ImportReport

_BLOCK_TAGS = [
    "p", "div", "section", "article", "main", "ul", "ol", "li", "table", "tr", "td", "figure", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dl", "center", "form", "header", "footer", "nav", "aside",
]
_CAPTION_TOKENS = {"caption", "image_desc", "imagedesc", "desc", "chuthich", "chu-thich", "figcaption", "note",
                   "photo-caption", "img-caption"}


class _HtmlBody:
    """Converts the article container to blocks, dropping chrome into the report."""

    def __init__(self, base: str, used: dict[int, Tag], report: ImportReport) -> None:
        self.base, self.used, self.report = base, used, report
        self.blocks: list[_Block] = []
        self._md: list[str] = []
        self._plain: list[str] = []
        self._hint = False
        self._pending: list[_Block] = []

    def flush(self) -> None:
        md = _SPACE.sub(" ", "".join(self._md)).strip()
        plain = _clean("".join(self._plain))
        if plain:
            italic = bool(re.fullmatch(r"\*[^*].*[^*]\*", md))
            self.blocks.append(_Block("p", md, plain, hint=self._hint or italic))
        self.blocks += self._pending
        self._md, self._plain, self._pending, self._hint = [], [], [], False

    def drop(self, el: Tag, reason: str) -> None:
        text = _text(el) or (str(el.get("src") or "") if el.name in ("iframe", "img") else "")
        self.report.drop(text, reason)

    def block(self, el: Tag) -> None:
        for child in el.children:
            if type(child) is NavigableString:
                self._add_text(str(child))
            elif isinstance(child, Tag):
                self._block_child(child)

    def _left_out(self, el: Tag, in_block: bool) -> bool:
        """Silent tags and elements already used are skipped; site chrome is dropped and listed."""
        if el.name in _SILENT_TAGS or id(el) in self.used:
            return True
        reason = _chrome_reason(el)
        if reason:
            if in_block:
                self.flush()  # what came before the chrome is a paragraph of its own
            self.drop(el, reason)
        return bool(reason)

    def _block_child(self, el: Tag) -> None:
        name = el.name
        if self._left_out(el, in_block=True):
            return
        if name in _INLINE_TAGS and name != "br" and (name == "img" or not el.find(_BLOCK_TAGS)):
            if name == "img":
                self.flush()
                self._image(el)
                self.flush()
            else:
                self._inline(el)
            return
        self.flush()
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            md, plain = self._capture(el)
            level = {"h1": 2, "h2": 2, "h3": 3}.get(name, 4)
            if plain:
                self.blocks.append(_Block("h", "#" * level + " " + md, plain))
        elif name in ("ul", "ol"):
            self._list(el)
        elif name == "figure":
            self._figure(el)
        elif name == "table":
            self._table(el)
        elif name == "blockquote":
            md, plain = self._capture(el)
            if plain:
                self.blocks.append(_Block("quote", "> " + md, plain))
        elif name != "br" and name != "hr":
            self._hint = bool(_tokens(el) & _CAPTION_TOKENS) or "center" in str(el.get("style") or "") \
                or el.get("align") == "center"
            self.block(el)
            self.flush()

    def _add_text(self, text: str) -> None:
        text = _CONTROL.sub("", text)
        self._md.append(_escape(text))
        self._plain.append(text)

    def _capture(self, el: Tag, skip: tuple[str, ...] = ()) -> tuple[str, str]:
        """Inline Markdown and plain text of ``el``'s children, without touching the current paragraph."""
        saved = self._md, self._plain
        self._md, self._plain = [], []
        for child in el.children:
            if type(child) is NavigableString:
                self._add_text(str(child))
            elif isinstance(child, Tag) and child.name not in skip:
                self._inline(child)
        md, plain = _SPACE.sub(" ", "".join(self._md)).strip(), _clean("".join(self._plain))
        self._md, self._plain = saved
        return md, plain

    def _inline(self, el: Tag) -> None:
        name = el.name
        if self._left_out(el, in_block=False):
            return
        if name == "img":
            image = self._image_block(el)
            if image:
                self._pending.append(image)
            return
        if name == "br":
            self._add_text(" ")
            return
        md, plain = self._capture(el)
        if not plain:
            if el.get_text()[:1].isspace():
                self._add_text(" ")  # a span of spaces between two words (Word's mso-spacerun)
            return
        lead, trail = (" " if md[:1].isspace() else ""), (" " if md[-1:].isspace() else "")
        inner = md.strip()
        if name in ("b", "strong"):
            inner = f"**{inner}**"
        elif name in ("i", "em"):
            inner = f"*{inner}*"
        elif name == "a":
            href = self._resolve(str(el.get("href") or ""))
            if href.startswith(("http://", "https://")):
                inner = f"[{inner}]({_url(href)})"
        self._md.append(f" {lead}{inner}{trail} " if name in _BLOCK_TAGS else f"{lead}{inner}{trail}")
        self._plain.append(f" {plain} ")

    def _resolve(self, src: str) -> str:
        src = src.strip()
        if not src or src.startswith(("#", "javascript:", "mailto:", "data:")):
            return ""
        return urljoin(self.base, src) if self.base else src

    def _image_block(self, el: Tag) -> _Block | None:
        src = ""
        sources: list[str] = []  # every real address, unresolved: a saved page rewrites src to its own folder
        for attr in ("data-src", "data-original", "data-lazy-src", "src", "srcset", "data-srcset"):
            value = str(el.get(attr) or "").strip()
            if attr.endswith("srcset"):
                value = value.split(",")[0].strip().split(" ")[0] if value else ""
            placeholder = value.startswith("data:") or re.search(r"blank|loading|spacer|lazy", value, re.IGNORECASE)
            if value and not placeholder:
                src = src or (value if not attr.endswith("srcset") else "")
                sources.append(value)
        src = src or (sources[0] if sources else "")
        sources.sort(key=lambda v: v != str(el.get("src") or "").strip())  # src first: where a browser saved it
        alt = _clean(str(el.get("alt") or el.get("title") or ""))
        if not src:
            self.report.drop(alt, "ảnh không có địa chỉ")
            return None
        if re.search(r"captcha|icon|logo", src + " " + alt, re.IGNORECASE):
            self.report.drop(alt or src, "biểu tượng, ảnh mã xác nhận")
            return None
        if re.search(r"\.(jpe?g|png|gif|webp)$", alt, re.IGNORECASE):
            alt = ""
        return _Block("img", "", alt, src=self._resolve(src), alt=alt, sources=tuple(dict.fromkeys(sources)))

    def _image(self, el: Tag, caption: str = "") -> None:
        image = self._image_block(el)
        if image:
            image.text = caption or image.text
            image.hint = bool(caption)
            self.blocks.append(image)

    def _figure(self, el: Tag) -> None:
        caption_el = el.find("figcaption")
        caption = _text(caption_el) if caption_el else ""
        start = len(self.blocks)
        for child in el.children:
            if isinstance(child, Tag) and child is not caption_el:
                self._block_child(child)
        self.flush()
        images = [b for b in self.blocks[start:] if b.kind == "img"]
        if images and caption:
            images[-1].text, images[-1].hint = caption, True
        elif caption:
            self.blocks.append(_Block("caption", "", caption))

    def _table(self, el: Tag) -> None:
        rows = [r for r in el.find_all("tr") if r.find_parent("table") is el]
        cells = [[c for c in r.find_all(["td", "th"]) if c.find_parent("tr") is r] for r in rows]
        images = el.find_all("img")
        if images and len(rows) <= 4:
            texts = [c for row in cells for c in row if not c.find("img") and _text(c)]
            caption = " ".join(_text(c) for c in texts)
            for i, img in enumerate(images):
                self._image(img, caption if i == len(images) - 1 else "")
            return
        layout = (el.find("table") or len(rows) < 2 or max((len(r) for r in cells), default=0) < 2
                  or any(c.find(["p", "div", "ul", "ol", "h2", "h3"]) or len(_text(c)) > 300
                         for row in cells for c in row))
        if layout:
            for row in cells:
                for cell in row:
                    self._block_child(cell)
            return
        # The portal's Markdown has no table extension: one list item per row, "header: cell".
        header = [self._capture(c) for c in cells[0]]
        lines, plain = [], [p for _, p in header]
        for row in cells[1:]:
            parts = [self._capture(c) for c in row]
            lines.append("- " + "; ".join(f"{h}: {md}" if h else md
                                          for (h, _), (md, _) in zip(header, parts, strict=False) if md))
            plain += [p for _, p in parts]
        self.blocks.append(_Block("table", "\n".join(lines), " ".join(plain)))
        self.report.warnings.append(f"một bảng {len(cells)} hàng được viết thành danh sách (mỗi hàng một dòng): "
                                    "kiểm tra lại")

    def _list(self, el: Tag, depth: int = 0) -> None:
        lines, plain = self._list_lines(el, depth)
        if lines:
            self.blocks.append(_Block("list", "\n".join(lines), " ".join(plain)))

    def _list_lines(self, el: Tag, depth: int) -> tuple[list[str], list[str]]:
        lines: list[str] = []
        plain: list[str] = []
        n = 0
        for item in el.children:
            if not isinstance(item, Tag) or item.name in _SILENT_TAGS:
                continue
            reason = _chrome_reason(item)
            if reason:
                self.drop(item, reason)
                continue
            md, text = self._capture(item, skip=("ul", "ol"))
            if text:
                n += 1
                marker = f"{n}." if el.name == "ol" else "-"
                lines.append("    " * depth + f"{marker} {md}")
                plain.append(text)
            for sub in item.find_all(["ul", "ol"], recursive=False):
                sub_lines, sub_plain = self._list_lines(sub, depth + 1)
                lines += sub_lines
                plain += sub_plain
        return lines, plain
