"""Photos of a saved page: copied into content/images with their alt text, caption and credit.

A page saved by a browser ("Lưu trang, đầy đủ") or exported from Word keeps its
pictures in a folder beside it (``trang_files/``, ``trang.files/``) or at
relative paths next to it. ``place_photos`` finds each image of the body on
disk, checks it by its bytes (JPEG, PNG, WebP or GIF by magic number; its size
from Pillow's header read, never a full decode; at most 50 million pixels),
names its copy ``images/<year>/<slug>-<n>.<ext>`` (ASCII, never an existing
name) and writes the Markdown the build reads::

    ![alt](images/2024/slug-2.jpg "Caption. Ảnh: Credit")

The first photo above the body, or opening it, becomes the article's lead
photo (``image``, ``image_alt``, ``image_caption``, ``image_credit``). An image
that cannot be copied (missing, only on the web, not an image, too large, or
outside the saved page's folder) stays in the body as a ``CẦN SỬA`` HTML
comment with its address and caption, and the report says why.
``copy_photos`` writes the planned files, only inside the content tree, only
after the draft validated, and not at all in a dry run.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

from .common import _Block, _clean, _escape, _excerpt, _url
from .report import ImportFailed, ImportReport, Photo

MAX_PIXELS = 50_000_000  # as the build (media.py): more is a mistake or an attack
MAX_BYTES = 64 * 1024 * 1024
MIN_SIDE = 100  # both sides smaller: an icon, a spacer or a tracking pixel, not a news photo
_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp", "gif": "png"}  # the portal takes no GIF: its first frame as PNG
_PIL = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
_TEXT_KINDS = ("p", "h", "list", "quote", "table", "caption")
_GENERIC_ALT = re.compile(r"^((hình\s*)?ảnh|hình|image|img|photo|picture|untitled|anh|hinh)(\s*\d+)?$"
                          r"|^(img|dsc|dscn|image|photo|p)[\s_-]?\d+$", re.IGNORECASE)
# Credits as Vietnamese news prints them: "… (Ảnh: BTĐKT)", "… Ảnh: Thu Hằng", "Ảnh minh họa".
_PAREN_CREDIT = re.compile(r"\s*\(\s*(?:ảnh|nguồn ảnh|nguồn)\s*:\s*([^()]+?)\s*\)\s*\.?\s*$", re.IGNORECASE)
_TAIL_CREDIT = re.compile(r"(?:^|(?<=[\s.;,(–—-]))(?<![Hh]ình )(?:ảnh|nguồn ảnh|nguồn)\s*:\s*(.+?)\s*[.)]?\s*$", re.IGNORECASE)
_ILLUSTRATION = re.compile(r"\(?\s*ảnh minh h(?:ọa|oạ)\s*\)?\s*\.?", re.IGNORECASE)


@dataclass
class _Plan:
    photo: Photo
    data: bytes  # exactly what is written (a GIF's first frame as PNG)


def _split_credit(text: str) -> tuple[str, str]:
    """ "Lễ trao cờ (Ảnh: BTĐKT)" → ("Lễ trao cờ", "BTĐKT"); "Ảnh minh họa. (Báo X)" → ("Ảnh minh họa.", "Báo X")."""
    text = _clean(text)
    match = _PAREN_CREDIT.search(text) or _TAIL_CREDIT.search(text)
    if match:
        return text[:match.start()].strip(" ,;–—-"), match.group(1).strip(" .\"”'")
    illustration = _ILLUSTRATION.search(text)
    if illustration:
        rest = (text[:illustration.start()] + text[illustration.end():]).strip(" .")
        paper = re.fullmatch(r"\(([^()]{2,60})\)", rest)
        if paper:  # "Ảnh minh họa. (Báo Quảng Ninh)": an illustration the paper supplied
            return "Ảnh minh họa.", paper.group(1).strip()
        return rest, "Ảnh minh họa"
    return text, ""


def _title(caption: str, credit: str) -> str:
    """The Markdown title the build splits again (media.split_caption): "Caption. Ảnh: Credit"."""
    caption = caption.strip()
    if credit.lower().startswith("ảnh minh h"):
        text = f"{caption} ({credit})" if caption else credit
    elif credit:
        if caption and not re.search(r"[.!?…”\")]$", caption):
            caption += "."
        text = f"{caption} Ảnh: {credit}".strip()
    else:
        text = caption
    return re.sub(r'"([^"]*)"', r"“\1”", text).replace('"', "”")


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _what_it_is(head: bytes) -> str:
    text = head.lstrip().lower()
    if b"<svg" in text or (text.startswith(b"<?xml") and b"svg" in text):
        return "một tệp SVG (mã vẽ, có thể chứa mã chạy)"
    if b"<html" in text or text.startswith((b"<!doctype", b"<head", b"<body")):
        return "một trang HTML"
    if head.startswith(b"%PDF"):
        return "một tệp PDF"
    return "không phải ảnh JPEG, PNG, WebP hay GIF"


def _inspect(data: bytes, name: str) -> tuple[str, int, int] | str:
    """(format, width, height) from the magic number and Pillow's header read; else why not."""
    kind = _sniff(data[:16])
    if kind is None:
        return f"tệp ‘{name}’ là {_what_it_is(data[:512])}, không phải ảnh, dù tên là ảnh"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_PIL[kind]]) as im:  # reads the header only
                width, height = im.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "ảnh quá lớn (hơn 89 triệu điểm ảnh): có thể là ảnh độc hại (bom giải nén)"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return f"ảnh hỏng hoặc không đầy đủ ({exc})"
    if width * height > MAX_PIXELS:
        return (f"ảnh quá lớn: {width}×{height} điểm ảnh ({width * height / 1e6:.0f} triệu, giới hạn "
                f"{MAX_PIXELS // 1_000_000} triệu): có thể là ảnh độc hại (bom giải nén)")
    if width < MIN_SIDE and height < MIN_SIDE:
        return f"ảnh quá nhỏ ({width}×{height} điểm ảnh): biểu tượng hay điểm ảnh theo dõi, không phải ảnh của bài"
    return kind, width, height


def _classify(raw: str) -> tuple[str, str]:
    """("local", path in the saved folder) | ("remote", URL) | ("absolute", path) | ("outside", why) | ("skip", "")."""
    value = raw.strip().replace("\\", "/")
    if value.startswith("//"):
        return "remote", "https:" + value
    if re.match(r"^[a-z]:/", value, re.IGNORECASE):
        return "outside", f"‘{_excerpt(raw, 60)}’ là đường dẫn tuyệt đối trên ổ đĩa, ra ngoài thư mục trang đã lưu"
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return "remote", value
    if scheme == "data":
        return "skip", ""
    if scheme == "file":
        return "outside", f"địa chỉ ‘{_excerpt(raw, 60)}’ (file:) trỏ thẳng vào ổ đĩa, ra ngoài thư mục trang đã lưu"
    if scheme:
        return "outside", f"địa chỉ ‘{_excerpt(raw, 60)}’ không phải một tệp lưu cùng trang"
    path = unquote(parts.path)
    if "\x00" in path or not path:
        return "outside", f"đường dẫn ‘{_excerpt(raw, 60)}’ không hợp lệ"
    if path.startswith("/"):
        return "absolute", path
    norm = posixpath.normpath(path)
    if norm == ".." or norm.startswith("../"):
        return "outside", f"đường dẫn ‘{_excerpt(raw, 60)}’ ra ngoài thư mục trang đã lưu (‘../’)"
    return "local", norm


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, ValueError, RuntimeError):
        return False


def _locate(page: Path, block: _Block) -> tuple[Path | None, str]:
    """The image's file beside the saved page (symbolic links resolved), or why there is none."""
    root = page.parent.resolve()
    found: dict[str, str] = {}  # kind of failure -> reason, first of each kind
    addresses = []
    for raw in block.sources or (block.src,):
        kind, value = _classify(raw)
        if kind == "local":
            candidate = root / value
            if not _inside(candidate, root):
                found.setdefault("outside", f"‘{_excerpt(raw, 60)}’ là liên kết ra ngoài thư mục trang đã lưu")
            elif candidate.is_file():
                return candidate.resolve(), ""
            else:
                found.setdefault("missing", f"không có tệp ‘{value}’ cạnh trang đã lưu")
                addresses.append(value)
        elif kind == "outside":
            found.setdefault(kind, value)
        elif kind == "absolute" and block.src.startswith(("http://", "https://")):
            found.setdefault("remote", block.src)  # the page names its site: the address is a web address
            addresses.append(value)
        elif kind in ("remote", "absolute"):
            found.setdefault(kind, value)
            addresses.append(value)
    # A browser may keep the original address but still save the picture in the page's folder.
    for folder in (f"{page.stem}_files", f"{page.stem}.files", f"{page.stem}-files"):
        for address in addresses:
            name = posixpath.basename(unquote(urlsplit(address).path))
            candidate = root / folder / name
            if name and name not in (".", "..") and _inside(candidate, root) and candidate.is_file():
                return candidate.resolve(), ""
    if "outside" in found:
        return None, found["outside"]
    if "missing" in found:
        return None, found["missing"] + " (lưu lại trang bằng “Lưu trang, đầy đủ”, hoặc chép ảnh vào đó)"
    if "absolute" in found:
        return None, (f"đường dẫn tuyệt đối ‘{_excerpt(found['absolute'], 80)}’ ra ngoài thư mục trang đã lưu (trên "
                      "trang gốc là đường dẫn tương đối theo tên miền, mà trang không ghi tên miền): tải ảnh về "
                      "content/images rồi sửa")
    if "remote" in found:
        return None, (f"ảnh chỉ có trên mạng (‘{_excerpt(found['remote'], 80)}’), không được lưu cùng trang: tải ảnh "
                      "về content/images rồi sửa, hoặc lưu lại trang bằng “Lưu trang, đầy đủ”")
    return None, "ảnh không có địa chỉ dùng được"


def _read(path: Path) -> bytes | str:
    try:
        if path.stat().st_size > MAX_BYTES:
            return f"tệp ảnh quá lớn ({path.stat().st_size // (1024 * 1024)} MB)"
        return path.read_bytes()
    except OSError as exc:
        return f"không đọc được tệp ảnh ({exc.strerror or exc})"


def _first_frame_png(data: bytes) -> bytes | str:
    try:
        with Image.open(io.BytesIO(data), formats=["GIF"]) as im:
            im.seek(0)
            out = io.BytesIO()
            im.convert("RGBA" if "transparency" in im.info else "RGB").save(out, "PNG", optimize=True)
            return out.getvalue()
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return f"ảnh GIF hỏng ({exc})"


def _alt(block: _Block, caption: str) -> tuple[str, str, str]:
    """(alt, where it came from, a credit found in it): the page's alt, else the caption, else nothing."""
    alt, credit = _split_credit(block.alt) if block.alt else ("", "")
    if alt and not _GENERIC_ALT.fullmatch(alt.strip(" .")) and len(alt) >= 3:
        return alt, "alt", credit
    if caption:
        return caption, "chú thích", credit
    return "", "", credit


def _markdown(photo: Photo) -> str:
    """The photo as the build reads it, under a CẦN SỬA comment when its alt text or credit is missing."""
    title = _title(photo.caption, photo.credit)
    image = f"![{_escape(photo.alt)}]({photo.path}" + (f' "{title}"' if title else "") + ")"
    todo = []
    if not photo.alt:
        todo.append("trang không có mô tả ảnh: viết mô tả (cho người không xem được ảnh) trong ngoặc vuông")
    if not photo.credit:
        todo.append("không tìm thấy tác giả ảnh: thêm “Ảnh: Tên tác giả” (hoặc “Ảnh minh họa”) vào cuối chú thích "
                    "trong ngoặc kép")
    return f"<!-- CẦN SỬA: {'; '.join(todo)} ở ảnh dưới đây -->\n\n{image}" if todo else image


def _refused_markdown(block: _Block, reason: str) -> str:
    """A photo not copied stays in the draft as a comment: its address and caption, for the editor."""
    text = f"CẦN SỬA: ảnh chưa chép vào content/images ({reason}): ![{_escape(block.text)}]({_url(block.src)})"
    return "<!-- " + text.replace("-->", "- ->") + " -->"


def _free_name(folder: Path, slug: str, ext: str, planned: set[str]) -> str:
    """``<slug>-<n>.<ext>`` with the first n no file in the folder (whatever its extension) already has."""
    taken = {p.stem for p in folder.iterdir()} if folder.is_dir() else set()
    n = 1
    while f"{slug}-{n}" in taken or f"{slug}-{n}" in planned:
        n += 1
    planned.add(f"{slug}-{n}")
    return f"{slug}-{n}.{ext}"


def place_photos(blocks: list[_Block], report: ImportReport, page: Path, content: Path, year: int,
                 slug: str) -> list[_Plan]:
    """Decide what becomes of every image block; fill ``report.photos``; return the files to write.

    Each image block gets its Markdown (``md``); the lead photo's block becomes kind ``lead``,
    which the body leaves out.
    """
    content = content.resolve()
    folder = content / "images" / str(year)
    slug = slug if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) else "anh"
    outside = not _inside(folder, content)
    first_text = next((n for n, b in enumerate(blocks) if b.kind in _TEXT_KINDS), len(blocks))
    lead_at = next((n for n, b in enumerate(blocks[:first_text]) if b.kind == "img"), None)
    plans: list[_Plan] = []
    planned: set[str] = set()
    copies: dict[Path, Photo] = {}
    for n, block in enumerate(blocks):
        if block.kind != "img":
            continue
        caption_text = block.text if block.hint else ""
        caption, credit = _split_credit(caption_text) if caption_text else ("", "")
        alt, alt_from, alt_credit = _alt(block, caption)
        photo = Photo(block.sources[0] if block.sources else block.src, alt=alt, alt_from=alt_from, caption=caption,
                      credit=credit or alt_credit, lead=n == lead_at)
        source, reason = (None, "thư mục content/images trỏ ra ngoài thư mục content") if outside \
            else _locate(page, block)
        data: bytes | str = b""
        if source is not None and source in copies:
            same = copies[source]
            photo.path, photo.found, photo.note = same.path, same.found, "cùng tệp với một ảnh trước, không chép lại"
        elif source is not None:
            data = _read(source)
            found = _inspect(data, source.name) if isinstance(data, bytes) else data
            if isinstance(found, str):
                reason = found
            else:
                kind = found[0]
                if kind == "gif":
                    data = _first_frame_png(data)
                    photo.note = "ảnh GIF: chép khung đầu thành PNG"
                if isinstance(data, str):
                    reason = data
                else:
                    photo.path = f"images/{year}/{_free_name(folder, slug, _EXT[kind], planned)}"
                    photo.found = source.relative_to(page.parent.resolve()).as_posix() \
                        if source.is_relative_to(page.parent.resolve()) else source.name
                    copies[source] = photo
                    plans.append(_Plan(photo, data))
        if not photo.path:
            photo.refused, photo.lead = reason, False
            block.md = _refused_markdown(block, reason)
            report.warnings.append(f"ảnh ‘{_excerpt(photo.original, 80)}’ không chép: {reason}")
        elif photo.lead:
            block.kind = "lead"
        else:
            block.md = _markdown(photo)
        report.photos.append(photo)
        if photo.path and not photo.alt:
            report.warnings.append(f"ảnh {photo.path} không có mô tả (alt) hay chú thích trên trang: biên tập viên "
                                   "cần viết mô tả (dòng CẦN SỬA trong bản nháp)")
        if photo.path and not photo.credit:
            report.warnings.append(f"ảnh {photo.path} không có tác giả (“Ảnh: …”) trên trang: biên tập viên cần ghi "
                                   "(dòng CẦN SỬA trong bản nháp)")
    return plans


def copy_photos(plans: list[_Plan], content: Path, name: str) -> list[Path]:
    """Write the planned copies (never over a file, never outside ``content``); undo them all on a failure."""
    content = content.resolve()
    written: list[Path] = []
    try:
        for plan in plans:
            target = content / plan.photo.path
            if not _inside(target.parent, content):  # a folder linked out of content/: write nothing there
                raise OSError(f"thư mục {target.parent} ra ngoài content")
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as out:  # "x": never overwrite a file
                out.write(plan.data)
            written.append(target)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise ImportFailed(f"{name}: không chép được ảnh vào content/images ({exc.strerror or exc}); "
                           "không ghi tệp nào") from exc
    return written
