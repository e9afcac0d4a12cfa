"""Bytes to text: the importer's first step, and the first place a file can be refused.

UTF-8 (with or without BOM), UTF-16, the charset the page declares, then
Windows-1258 when the result reads as Vietnamese; PDFs, images, Office files
and binary files are recognised and refused with ``ImportFailed``.
"""

from __future__ import annotations

import codecs
import re

from ...vietnamese import nfc
from .common import _CONTROL
from .report import ImportFailed

_MAGIC = {b"%PDF": "tệp PDF", b"\x89PNG": "ảnh PNG", b"\xff\xd8\xff": "ảnh JPEG", b"GIF8": "ảnh GIF",
          b"PK\x03\x04": "tệp nén (ZIP, DOCX)", b"\xd0\xcf\x11\xe0": "tệp Word/Excel cũ (.doc, .xls)"}


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """Decode ``raw`` to NFC text; return (text, encoding) or raise ImportFailed.

    UTF-8 first (with or without BOM), then a UTF-16 BOM or pattern, then the
    charset the page declares, then Windows-1258 when the result reads as
    Vietnamese. Anything else would produce mojibake, so it is refused.
    """
    if not raw.strip():
        raise ImportFailed(f"{name}: tệp rỗng, không có gì để nhập")
    for magic, label in _MAGIC.items():
        if raw.startswith(magic):
            raise ImportFailed(f"{name}: đây là {label}, không phải trang HTML hay văn bản")
    text, encoding = _decode(raw)
    if text is None:
        if b"\x00" in raw:
            raise ImportFailed(f"{name}: tệp nhị phân (có byte 0), không phải trang HTML hay văn bản")
        raise ImportFailed(f"{name}: không nhận ra bảng mã (không phải UTF-8, UTF-16 hay Windows-1258); "
                           "hãy lưu lại trang với bảng mã UTF-8")
    controls = len(re.findall(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", text))
    if controls > max(2, len(text) // 200):
        raise ImportFailed(f"{name}: tệp nhị phân ({controls} ký tự điều khiển), không phải trang HTML hay văn bản")
    text = _CONTROL.sub("", nfc(text.replace("\r\n", "\n").replace("\r", "\n")))
    return text, encoding


def _decode(raw: bytes) -> tuple[str | None, str]:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec.replace("-sig", "")
            except UnicodeDecodeError:
                return None, ""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    half = len(raw) // 2
    for codec, zeros in (("utf-16-le", raw[1::2]), ("utf-16-be", raw[0::2])):
        if half and zeros.count(0) > half * 0.3:
            try:
                return raw.decode(codec), codec
            except UnicodeDecodeError:
                return None, ""
    declared = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", raw[:4096], re.IGNORECASE)
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    for codec in [*candidates, "cp1258"]:
        try:
            text = raw.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
        if re.search(r"[ăâđêôơưĂÂĐÊÔƠƯ]", nfc(text)):
            return text, codec
    return None, ""
