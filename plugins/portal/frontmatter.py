"""Read a content file: YAML front matter between two ``---`` lines, then Markdown.

Every string is normalised to NFC (and Ð → Đ) on the way in, and the line of
every key is remembered, so that validation can point an editor at the exact
line. Dates are kept as text here; the schema parses them, so an impossible
date is reported as a field problem instead of a YAML crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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
    loader = _Loader(source)
    try:  # one parse: the composed nodes give line numbers, and the values are built from them
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
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
    return FrontMatter(path, _normalise(data), body, line_map), None


def read(path: Path, root: Path) -> tuple[FrontMatter | None, Problem | None]:
    """Read ``path`` as UTF-8 and parse it; ``root`` makes the reported path relative."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, Problem(
            rel, None, "encoding", f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start})",
            "lưu lại tệp với bảng mã UTF-8 (Unicode dựng sẵn)",
        )
    return parse(text, rel)
