"""Read a content file: YAML front matter between two ``---`` lines, then Markdown.

Every string is normalised to NFC (and Ð → Đ) on the way in, and the line of
every key is remembered, so that validation can point an editor at the exact
line. Dates are kept as text here; the schema parses them, so an impossible
date is reported as a field problem instead of a YAML crash.

Front matter is data, not a program: anchors, aliases, merge keys and explicit
tags are refused, and so are blocks, values, lists and nesting past the bounds
of :mod:`portal.limits`. :func:`_guard` checks this on the parser's event
stream, stopping at the first offender, before any node is composed or any
value built: nine lists of nine aliases, eight levels deep (a few hundred
bytes that expand to 43 million strings) cost a millisecond instead of minutes
and gigabytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .limits import (
    FILE_MAX_BYTES,
    FRONT_MATTER_MAX_CHARS,
    LIST_MAX_ITEMS,
    NESTING_MAX_DEPTH,
    NUMBER_MAX_DIGITS,
    STRING_MAX_CHARS,
    count,
)
from .problems import Problem
from .vietnamese import nfc

__all__ = ["FrontMatter", "parse", "read"]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when PyYAML has it: ~5x faster
    """Safe loader that leaves timestamps as strings (the schema parses them)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class FrontMatter:
    """The parsed parts of one content file."""

    path: str
    data: dict[str, Any]
    body: str
    lines: dict[str, int] = field(default_factory=dict)
    body_line: int | None = None  # the body's first line in the file

    def line(self, key: str) -> int | None:
        """Line of ``key`` (``honours[1].award``), or of its nearest parent."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rsplit(".", 1)[0] if "." in key else key.rsplit("[", 1)[0] if "[" in key else ""
        return None


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value).strip() if "\n" not in value else nfc(value)
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {(nfc(k).strip() if isinstance(k, str) else k): _normalise(v) for k, v in value.items()}
    return value


def _record_lines(node: yaml.Node, prefix: str, offset: int, out: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            out.setdefault(name, key_node.start_mark.line + offset)
            _record_lines(value_node, name, offset, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            name = f"{prefix}[{i}]"
            out.setdefault(name, item.start_mark.line + offset)
            _record_lines(item, name, offset, out)


_YAML_TAG = "tag:yaml.org,2002:"
_LONG_NUMBER = re.compile(r"[-+]?[0-9_]+")


@dataclass
class _Open:
    """A list or mapping the event stream is inside of."""

    mapping: bool
    name: str  # its field name (honours[1]); "" for the whole front matter
    nodes: int = 0  # nodes met directly inside it: items, or keys and values
    key: str = ""  # the mapping's last key

    def child(self) -> str:
        """Field name of the node just met inside it (a key counts as its mapping)."""
        if not self.mapping:
            return f"{self.name}[{self.nodes - 1}]"
        if self.nodes % 2:
            return self.name
        return f"{self.name}.{self.key}" if self.name else self.key


_TOO_DEEP = (f"danh sách và nhóm trường lồng nhau quá {NESTING_MAX_DEPTH} tầng",
             ("phần thông tin chỉ cần vài tầng (như honours: danh sách các mục): kiểm tra các dấu ngoặc '[' '{' "
              "và thụt lề"))


def _refusal(event: yaml.NodeEvent, parent: _Open | None, depth: int) -> tuple[str, str, str] | None:
    """(field, message, fix) when ``event`` is a feature or a size the front matter may not have."""
    name = parent.child if parent else str  # the field's name, only made when it is needed
    if isinstance(event, yaml.AliasEvent):
        return (name(), f"dùng bí danh YAML '*{event.anchor}' (alias) để chép lại một giá trị ở chỗ khác",
                (f"viết đầy đủ giá trị vào đây thay cho '*{event.anchor}': phần thông tin không nhận neo '&' và "
                 "bí danh '*' (xem docs/content-model.md)"))
    if event.anchor is not None:
        return (name(), f"đặt neo YAML '&{event.anchor}' (anchor)",
                f"bỏ '&{event.anchor}' và viết đầy đủ giá trị ở mỗi chỗ cần dùng")
    if event.tag is not None:
        tag = "!!" + event.tag[len(_YAML_TAG):] if event.tag.startswith(_YAML_TAG) else event.tag
        return (name(), f"dùng thẻ kiểu YAML '{tag}' (tag)",
                f"bỏ '{tag}': mỗi trường tự có kiểu của nó; muốn giữ một giá trị là chữ thì đặt nó trong ngoặc kép")
    if parent and parent.nodes > (2 * LIST_MAX_ITEMS if parent.mapping else LIST_MAX_ITEMS):
        what = "trường" if parent.mapping else "mục"
        return (parent.name, f"có hơn {count(LIST_MAX_ITEMS)} {what}",
                f"giữ dưới {count(LIST_MAX_ITEMS)} {what}: danh sách dài như vậy thường do dán nhầm")
    if isinstance(event, yaml.CollectionStartEvent):
        return (name(), *_TOO_DEEP) if depth >= NESTING_MAX_DEPTH else None
    value, plain = event.value, event.implicit[0]
    if value == "<<" and plain and parent and parent.mapping and parent.nodes % 2:
        return (name(), "dùng khoá gộp YAML '<<' (merge key) để chép các trường từ chỗ khác",
                "viết từng trường ra đầy đủ thay cho '<<'")
    if len(value) > STRING_MAX_CHARS:
        return (name(), f"giá trị dài {count(len(value))} ký tự, quá giới hạn {count(STRING_MAX_CHARS)} ký tự",
                "đặt văn bản dài vào phần nội dung (sau dòng '---' thứ hai), không vào phần thông tin")
    if len(value) > NUMBER_MAX_DIGITS and plain and _LONG_NUMBER.fullmatch(value):
        return (name(), f"số có {count(len(value))} chữ số, quá giới hạn {NUMBER_MAX_DIGITS} chữ số",
                "sửa lại số; nếu đây là một dãy ký tự (mã, số hiệu), đặt nó trong ngoặc kép")
    return None


def _guard(source: str, path: str) -> Problem | None:
    """The first feature or size the front matter may not have, read from the parser's events (no values built).

    Raises ``yaml.YAMLError`` on malformed YAML, as composing would.
    """
    stack: list[_Open] = []
    for event in yaml.parse(source, Loader=_Loader):
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
        if not isinstance(event, yaml.NodeEvent):
            continue
        parent = stack[-1] if stack else None
        if parent:
            parent.nodes += 1
        refused = _refusal(event, parent, len(stack))
        if refused:
            field, message, fix = refused
            return Problem(path, event.start_mark.line + 2, field or "front matter", message, fix)
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append(_Open(isinstance(event, yaml.MappingStartEvent), parent.child() if parent else ""))
        elif isinstance(event, yaml.ScalarEvent) and parent and parent.mapping and parent.nodes % 2:
            parent.key = event.value
    return None


def parse(text: str, path: str) -> tuple[FrontMatter | None, Problem | None]:
    """Split and parse ``text``; on failure return a problem instead of raising."""
    text = nfc(text.lstrip("\ufeff")).replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, Problem(
            path, 1, "front matter",
            "tệp không bắt đầu bằng dòng '---' của phần thông tin (front matter)",
            "thêm dòng '---' ở đầu tệp, các trường YAML, rồi một dòng '---' nữa trước nội dung",
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return None, Problem(
            path, 1, "front matter", "thiếu dòng '---' đóng phần thông tin",
            "thêm một dòng '---' sau trường cuối cùng",
        )
    source = "\n".join(lines[1:end])
    if len(source) > FRONT_MATTER_MAX_CHARS:
        return None, Problem(
            path, 2, "front matter",
            f"phần thông tin dài {count(len(source))} ký tự, quá giới hạn {count(FRONT_MATTER_MAX_CHARS)} ký tự",
            "đặt văn bản dài vào phần nội dung; kiểm tra dòng '---' đóng phần thông tin có đúng chỗ không",
        )
    loader = _Loader(source)
    try:  # guarded, then one parse: the composed nodes give line numbers, and the values are built from them
        refused = _guard(source, path)
        if refused:
            return None, refused
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "nesting depth" in reason:  # libyaml's own bound (1,000 brackets), met while scanning ahead of the guard
            return None, Problem(path, line, "front matter", *_TOO_DEEP)
        return None, Problem(
            path, line, "front matter", f"YAML không hợp lệ: {reason}",
            "kiểm tra dấu ':' và thụt lề; đặt giá trị có dấu ':' hoặc '#' trong ngoặc kép",
        )
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, Problem(
            path, 2, "front matter", "phần thông tin phải là các cặp 'trường: giá trị'",
            "viết mỗi trường trên một dòng, ví dụ 'title: \"Tiêu đề\"'",
        )
    line_map: dict[str, int] = {}
    if node is not None:
        _record_lines(node, "", 2, line_map)
    body = "\n".join(lines[end + 1:])
    return FrontMatter(path, _normalise(data), body, line_map, end + 2), None


def read(path: Path, root: Path) -> tuple[FrontMatter | None, Problem | None]:
    """Read ``path`` as UTF-8 and parse it; ``root`` makes the reported path relative."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    size = path.stat().st_size
    if size > FILE_MAX_BYTES:  # not even read: a content file is a few KB
        return None, Problem(
            rel, None, "tệp", f"tệp nặng {count(size // 1024)} KB, quá giới hạn {count(FILE_MAX_BYTES // 1024)} KB",
            "một bài hay bản ghi chỉ gồm chữ: để ảnh và tài liệu thành tệp riêng trong content/images/ "
            "hoặc content/documents/",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, Problem(
            rel, None, "encoding", f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start})",
            "lưu lại tệp với bảng mã UTF-8 (Unicode dựng sẵn)",
        )
    return parse(text, rel)
