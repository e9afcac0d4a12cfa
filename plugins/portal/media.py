"""Photos and documents: one pipeline from an editor's file to what a reader's phone downloads.

Phase 1 (:func:`collect`, part of the graph's join, so ``invoke check`` sees the
same problems) reads every photo and PDF the content names: a photo's header,
a small decoded copy (its dominant colour and a tiny placeholder) and its
digest, kept per file in the parse cache; a missing file, an SVG or HTML file
named like a photo, a truncated or corrupt image, a decompression bomb or a
PDF that is not one is a :class:`Problem` with the file, line and field that
named it. Each use of a photo (an article's lead, a card, a gallery, a
portrait …) is a *slot*: widths never above the source's, a crop around the
focal point, AVIF, WebP and JPEG. What a template needs (:class:`Photo`, its
:class:`Rendition` per slot, :class:`Document`) is plain, frozen data, so page
keys can digest it.

Phase 2 (:func:`write`) encodes the derivatives the shared store lacks, on all
cores, and links them into the output. A derivative's name carries a digest of
its source and its spec (``anh/le-trao-co-800x533-1a2b3c4d.avif``), so it is
immutable: the store (``~/.cache/thidua-portal/media`` by default) serves every
build and every output folder, an unchanged photo is never encoded again, and
a replaced photo changes the names, so only the pages showing it change.
Derivatives carry no EXIF (no GPS leaves the build); rotation from EXIF is applied.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import os
import re
import shutil
import warnings
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import replaced
from .problems import Problem
from .progress import Progress
from .vietnamese import slugify

if TYPE_CHECKING:
    from PIL import Image


@functools.cache
def _pil() -> tuple[Any, Any]:
    """PIL's Image and ImageOps, HEIC (what phones send) opened too: imported when a photo is first read, as an
    edit build whose photos the parse cache knows reads none (20 ms of its start)."""
    from PIL import Image, ImageOps

    try:
        from pillow_heif import register_heif_opener

        register_heif_opener()
    except ImportError:  # pragma: no cover - a dependency; the build then refuses HEIC files with a clear message
        pass
    return Image, ImageOps

__all__ = ["NO_MEDIA", "SLOTS", "Document", "Media", "Photo", "Rendition", "collect", "default_store", "write"]

PIPELINE = 1  # part of every derivative's name: bump it when encoding changes
MAX_PIXELS = 50_000_000  # a phone takes 12–50 megapixels; more is a mistake or an attack
PHOTO_FOLDER = "anh/"  # derivatives, under the site root
DOCUMENT_FOLDER = "tai-lieu/"  # PDFs, under stable addresses
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
EXT = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}
QUALITY = {"avif": {"quality": 45, "speed": 9}, "webp": {"quality": 76, "method": 3},
           "jpeg": {"quality": 80, "optimize": True, "progressive": True}}
SHARE = ((1200, 630), (1200, 675), (1200, 900), (1200, 1200))  # og:image 1.91:1, then 16:9, 4:3, 1:1 for search


@dataclass(frozen=True)
class Slot:
    """One way a photo is shown: its candidate widths, its ``sizes`` in the theme, its crop."""

    name: str
    widths: tuple[int, ...]
    sizes: str
    ratio: tuple[int, int] | None = None  # crop to this aspect around the focal point; None keeps the photo's
    formats: tuple[str, ...] = ("avif", "webp", "jpeg")


# The sizes follow theme/static/css/site.css: .wrap is 75rem with 1rem (1.5rem from 48rem) padding; from 60rem
# the article column stands beside a 20rem side column and a 2.5rem gap.
_COLUMN = ("(min-width: 75rem) 49.5rem, (min-width: 60rem) calc(100vw - 25.5rem), (min-width: 48rem) calc(100vw - 3rem), "
           "calc(100vw - 2rem)")
SLOTS = {s.name: s for s in (
    # Candidates about 1.3-1.4x apart: a phone at 1.75 or 2.6 device pixels finds one close above what it needs.
    Slot("lead", (480, 680, 960, 1200, 1600), _COLUMN, (3, 2)),
    Slot("body", (480, 680, 960, 1200, 1600), _COLUMN),
    Slot("card", (160, 240, 320, 480), "(min-width: 48rem) 12rem, 8rem", (3, 2)),
    # The home's lead story: 3/5 of the row from 48rem, its full width below, edge to edge in its card
    # (its width is the card's, whether the photo has arrived or not: no layout shift).
    Slot("feature", (480, 680, 960, 1200), "(min-width: 75rem) 42.6rem, (min-width: 48rem) calc(60vw - 2.4rem), "
         "calc(100vw - 2rem)", (3, 2)),
    # One height in the row; 800 px is twice its widest (24rem): a third device pixel is not worth its bytes.
    Slot("gallery", (400, 560, 800), "(min-width: 48rem) 24rem, calc(80vw - 1.6rem)", (4, 3)),  # 80% of the column
    Slot("large", (1600,), "100vw", None, ("jpeg",)),  # what a gallery photo opens: the whole photo
    Slot("portrait", (128, 256, 384), "8rem", (4, 5)),
    Slot("avatar", (64, 128), "3rem", (4, 5)),
    Slot("document", (96, 192), "6rem", (3, 4), ("webp", "jpeg")),
)}
ROLES = {  # what each use of a photo is shown as
    "lead": ("lead", "card", "feature"),
    "gallery": ("gallery", "large"),
    "body": ("body",),
    "portrait": ("portrait", "avatar"),
    "document": ("document",),
}


# Plain data the templates read ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendition:
    """A photo in one slot: the candidates of each format, and the size the ``<img>`` declares."""

    slot: str
    width: int
    height: int
    sizes: str
    # (MIME type, ((file, width), …)) per format, the best first, JPEG last; files below the site root
    srcsets: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    src: str  # the JPEG fallback

    @property
    def largest(self) -> str:
        """The biggest JPEG: what "see the photo large" opens."""
        return self.srcsets[-1][1][-1][0]


@dataclass(frozen=True)
class Photo:
    """A photo as an article, a gallery or a profile shows it."""

    path: str  # inside content/
    digest: str
    alt: str
    caption: str
    credit: str
    colour: str  # dominant colour, "#rrggbb"
    placeholder: str  # a tiny WebP as a data URI, shown blurred until the photo arrives
    width: int  # of the source, upright
    height: int
    renditions: tuple[Rendition, ...]
    share: tuple[tuple[str, int, int], ...] = ()  # (url, width, height) JPEGs: og:image first, then 16:9, 4:3, 1:1

    def at(self, slot: str) -> Rendition:
        return next(r for r in self.renditions if r.slot == slot)

    @property
    def credit_line(self) -> str:
        """ "Ảnh: Thu Hằng", or the credit as written when it already says so ("Ảnh minh họa")."""
        return self.credit if self.credit.lower().startswith("ảnh") else f"Ảnh: {self.credit}"


@dataclass(frozen=True)
class Document:
    """A PDF offered for download under a stable address."""

    path: str
    url: str
    title: str
    size: int  # bytes
    pages: int
    digest: str
    thumbnail: Photo | None = None

    @property
    def size_label(self) -> str:
        kb = self.size / 1024
        return f"{kb / 1024:.1f} MB".replace(".", ",") if kb >= 1024 else f"{max(1, round(kb))} KB"


@dataclass(frozen=True)
class ArticleMedia:
    """What an article shows besides text: ``article.media``."""

    lead: Photo | None = None
    gallery: tuple[Photo, ...] = ()
    body: tuple[Photo | None, ...] = ()  # the body's <img> tags in order (None: one that cannot be shown)
    documents: tuple[Document, ...] = ()


NO_MEDIA = ArticleMedia()  # most articles': one object (frozen), compared at once by identity


# Reading sources -------------------------------------------------------------------------------------------

_MAGIC = ((b"\xff\xd8\xff", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF8", "gif"))


def _sniff(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"heim", b"heis"):
        return "heif"
    return None


def _what_it_is(head: bytes) -> str:
    text = head.lstrip()[:200].lower()
    if b"<svg" in text or (text.startswith(b"<?xml") and b"svg" in text):
        return "một tệp SVG (mã vẽ, không phải ảnh chụp)"
    if text.startswith((b"<!doctype", b"<html", b"<head", b"<body")) or b"<html" in text:
        return "một trang HTML"
    if head.startswith(b"%PDF"):
        return "một tệp PDF"
    return "một tệp không phải ảnh"


def probe(path: Path) -> tuple:
    """What the build needs of one photo, as plain data (cached per file): or why it cannot be used.

    ``("ok", digest, width, height, colour, placeholder)`` or ``("bad", message, fix)``.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ("bad", f"không đọc được tệp ảnh ({exc.strerror or exc})", "kiểm tra quyền đọc của tệp")
    kind = _sniff(data[:16])
    if kind is None:
        return ("bad", f"tệp này là {_what_it_is(data[:512])} dù tên là ảnh",
                "chỉ dùng ảnh JPEG, PNG, WebP hoặc HEIC; xuất lại ảnh từ máy ảnh hoặc điện thoại")
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    Image, ImageOps = _pil()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                width, height = im.size
                if width * height > MAX_PIXELS:
                    return ("bad", f"ảnh quá lớn: {width}×{height} điểm ảnh ({width * height / 1e6:.0f} triệu)",
                            f"thu nhỏ ảnh xuống dưới {MAX_PIXELS // 1_000_000} triệu điểm ảnh, ví dụ 4000×3000")
                im.draft("RGB", (160, 160))  # JPEG: decode at a fraction of the size, which is all we need here
                small = ImageOps.exif_transpose(_flat(im))
                orientation = im.getexif().get(0x0112, 1)
        if orientation in (5, 6, 7, 8):
            width, height = height, width
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ("bad", "ảnh quá lớn (có thể là ảnh độc hại)", "dùng ảnh dưới 50 triệu điểm ảnh")
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return ("bad", f"ảnh hỏng hoặc không đầy đủ ({exc})", "tải hoặc chép lại ảnh gốc rồi lưu đè tệp này")
    return ("ok", digest, width, height, _dominant(small), _placeholder(small))


def _flat(im: Image.Image) -> Image.Image:
    """RGB on white: news photos are opaque, and a transparent PNG must not turn black in a JPEG."""
    if im.mode in ("RGBA", "LA", "P", "PA"):
        rgba = im.convert("RGBA")
        background = _pil()[0].new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return im.convert("RGB")


def _dominant(im: Image.Image) -> str:
    small = im.copy()
    small.thumbnail((64, 64))
    palette = small.quantize(colors=6, method=_pil()[0].Quantize.MEDIANCUT)
    counts = sorted(palette.getcolors() or [(1, 0)], reverse=True)
    r, g, b = palette.getpalette()[counts[0][1] * 3: counts[0][1] * 3 + 3]
    return f"#{r:02x}{g:02x}{b:02x}"


def _placeholder(im: Image.Image) -> str:
    tiny = im.copy()
    tiny.thumbnail((16, 16))
    out = io.BytesIO()
    tiny.save(out, "WEBP", quality=40)
    return "data:image/webp;base64," + base64.b64encode(out.getvalue()).decode()


def probe_document(path: Path) -> tuple:
    """``("ok", digest, size, pages)`` or ``("bad", message, fix)`` for a PDF."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ("bad", f"không đọc được tệp ({exc.strerror or exc})", "kiểm tra quyền đọc của tệp")
    if not data.startswith(b"%PDF-"):
        return ("bad", f"tệp này là {_what_it_is(data[:512])}, không phải PDF",
                "xuất văn bản ra PDF (Tệp → Lưu thành PDF) rồi dùng tệp đó")
    pages = 0
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        pages = len(document)
        document.close()
    except ImportError:  # pragma: no cover - pypdfium2 is a dependency; without it there are no page counts
        pass
    except Exception as exc:  # noqa: BLE001 - pdfium raises its own PdfiumError for a broken file
        return ("bad", f"tệp PDF hỏng ({exc})", "xuất lại văn bản ra PDF hoặc tải lại bản gốc")
    return ("ok", hashlib.blake2b(data, digest_size=16).hexdigest(), len(data), pages)


def _first_page(pdf: Path, target: Path) -> bool:
    """The first page of a PDF as a PNG in the store: a thumbnail where it is cheap (pdfium renders it)."""
    if target.is_file():
        return True
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(pdf))
        page = document[0]
        image = page.render(scale=400 / max(page.get_width(), 1)).to_pil()
        document.close()
    except Exception:  # noqa: BLE001 - no thumbnail is not an error: the link stays
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with replaced(target) as partial:
        image.save(partial, "PNG")
    return True


# Planning derivatives --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """One derivative file: which part of the source, at which size, in which format."""

    name: str  # below the site root
    box: tuple[int, int, int, int]
    width: int
    height: int
    fmt: str


def _box(width: int, height: int, ratio: tuple[int, int] | None, focus: tuple[float, float]) -> tuple[int, ...]:
    if ratio is None:
        return (0, 0, width, height)
    aspect = ratio[0] / ratio[1]
    if width / height > aspect:
        cw, ch = round(height * aspect), height
    else:
        cw, ch = width, round(width / aspect)
    x = min(max(round(focus[0] * width - cw / 2), 0), width - cw)
    y = min(max(round(focus[1] * height - ch / 2), 0), height - ch)
    return (x, y, x + cw, y + ch)


def _focus(value: str | None) -> tuple[float, float]:
    if not value:
        return (0.5, 0.5)
    x, y = value.split(",")
    return (int(x) / 100, int(y) / 100)


def _stem(path: str) -> str:
    return (slugify(Path(path).stem) or "anh")[:40].rstrip("-")


def _name(stem: str, digest: str, box: tuple[int, ...], width: int, height: int, fmt: str) -> str:
    spec = hashlib.blake2b(f"{digest}|{box}|{width}x{height}|{fmt}|{QUALITY[fmt]}|{PIPELINE}".encode(),
                           digest_size=4).hexdigest()
    return f"{PHOTO_FOLDER}{stem}-{width}x{height}-{spec}.{EXT[fmt]}"


def default_store() -> Path:
    """The derivative store shared by every build on this machine (content-addressed: never stale).

    ``PORTAL_MEDIA_STORE`` moves it (the benchmark starts its cold builds from an empty one).
    """
    if os.environ.get("PORTAL_MEDIA_STORE"):
        return Path(os.environ["PORTAL_MEDIA_STORE"])
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "thidua-portal" / "media"


@dataclass
class Media:
    """Every photo and PDF a build shows, and the files they need: made by :func:`collect`."""

    content: Path
    store: Path
    cache: Any = None  # cache.ParseCache: probes are kept per file between builds
    problems: list[Problem] = field(default_factory=list)
    jobs: dict[str, tuple[str, _Job]] = field(default_factory=dict)  # name -> (source, job)
    documents: dict[str, tuple[str, str]] = field(default_factory=dict)  # url path -> (source, digest)
    _probes: dict[str, tuple] = field(default_factory=dict)

    def _source(self, rel: str) -> Path:
        return self.content / rel

    def _probe(self, rel: str, reader) -> tuple | None:
        if rel not in self._probes:
            path = self._source(rel)
            if not path.is_file():
                self._probes[rel] = None
            else:
                self._probes[rel] = self.cache.fetch(path, reader) if self.cache is not None else reader(path)
        return self._probes[rel]

    def _missing(self, rel: str, where: tuple[str, int | None, str], what: str) -> None:
        folder = str(Path(rel).parent)
        self.problems.append(Problem(*where, f"không có tệp {what} '{rel}' trong content/",
                                     f"chép tệp vào content/{folder}/ hoặc sửa lại đường dẫn"))

    def photo(self, rel: str, alt: str, caption: str, credit: str, focus: str | None, role: str,
              where: tuple[str, int | None, str], source: Path | None = None) -> Photo | None:
        """The photo at ``rel`` (inside content/) for ``role``; None, with a problem, when it cannot be used."""
        if source is None:
            found = self._probe(rel, probe)
            if found is None:
                self._missing(rel, where, "ảnh")
                return None
        else:  # a rendering made by the build itself (a PDF's first page)
            found = self.cache.fetch(source, probe) if self.cache is not None else probe(source)
        if found[0] == "bad":
            self.problems.append(Problem(*where, f"'{rel}': {found[1]}", found[2]))
            return None
        _, digest, width, height, colour, placeholder = found
        stem, at = _stem(rel), _focus(focus)
        origin = str(source) if source is not None else rel
        renditions = []
        for slot_name in ROLES[role]:
            slot = SLOTS[slot_name]
            box = _box(width, height, slot.ratio, at)
            bw, bh = box[2] - box[0], box[3] - box[1]
            widths = [w for w in slot.widths if w <= bw] or [bw]
            srcsets, src = [], ""
            for fmt in slot.formats:
                names = []
                for w in widths:
                    h = max(1, round(w * bh / bw))
                    name = _name(stem, digest, box, w, h, fmt)
                    self.jobs.setdefault(name, (origin, _Job(name, box, w, h, fmt)))
                    names.append((name, w))
                    if fmt == "jpeg" and (not src or w <= 800):
                        src = name
                srcsets.append((MIME[fmt], tuple(names)))
            top = widths[-1]
            renditions.append(Rendition(slot.name, top, max(1, round(top * bh / bw)), slot.sizes, tuple(srcsets), src))
        share = ()
        if role in ("lead", "portrait"):
            share = tuple(self._share(stem, digest, width, height, at, origin, ratio) for ratio in SHARE)
        return Photo(rel, digest, alt, caption, credit, colour, placeholder, width, height, tuple(renditions), share)

    def _share(self, stem: str, digest: str, width: int, height: int, at: tuple[float, float], origin: str,
               size: tuple[int, int]) -> tuple[str, int, int]:
        box = _box(width, height, size, at)
        w = min(size[0], box[2] - box[0])  # never above the source
        h = max(1, round(w * size[1] / size[0]))
        name = _name(stem, digest, box, w, h, "jpeg")
        self.jobs.setdefault(name, (origin, _Job(name, box, w, h, "jpeg")))
        return (name, w, h)

    def document(self, rel: str, title: str, where: tuple[str, int | None, str]) -> Document | None:
        found = self._probe(rel, probe_document)
        if found is None:
            self._missing(rel, where, "PDF")
            return None
        if found[0] == "bad":
            self.problems.append(Problem(*where, f"'{rel}': {found[1]}", found[2]))
            return None
        _, digest, size, pages = found
        inside = rel[len("documents/"):] if rel.startswith("documents/") else rel
        url = DOCUMENT_FOLDER + "/".join(slugify(p) or "tep" for p in Path(inside).with_suffix("").parts) + ".pdf"
        known = self.documents.get(url)
        if known is not None and known[0] != rel:
            self.problems.append(Problem(*where, f"'{rel}' và '{known[0]}' sẽ cùng địa chỉ /{url}",
                                         "đổi tên một trong hai tệp"))
            return None
        self.documents[url] = (rel, digest)
        png = self.store / "pdf" / f"{digest}.png"
        thumbnail = None
        if _first_page(self._source(rel), png):
            thumbnail = self.photo(rel, "", "", "", None, "document", where, source=png)
        return Document(rel, url, title, size, pages, digest, thumbnail)


# Encoding ---------------------------------------------------------------------------------------------------


def _encode(task: tuple[str, list[tuple[_Job, str]]]) -> str:
    """Encode one source's missing derivatives into the store; "" or what went wrong."""
    source, jobs = task
    Image, ImageOps = _pil()
    try:
        with Image.open(source) as im:
            full = max(im.size)
            # A JPEG decodes at 1/2, 1/4 or 1/8 when no derivative needs more: a 12-megapixel photo for a
            # 1600-wide lead need not be decoded whole.
            need = max(job.width / (job.box[2] - job.box[0]) for job, _ in jobs)
            im.draft("RGB", (int(im.size[0] * need) + 1, int(im.size[1] * need) + 1))
            upright = ImageOps.exif_transpose(_flat(im))
            scale = max(im.size) / full
        sized: dict[tuple, Image.Image] = {}  # the three formats of one size share one resize
        for job, target in sorted(jobs, key=lambda j: (j[0].box, j[0].width, j[0].height)):
            key = (job.box, job.width, job.height)
            if key not in sized:
                box = tuple(v * scale for v in job.box)
                sized = {key: upright.resize((job.width, job.height), Image.Resampling.LANCZOS, box=box)}
            out = sized[key]
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            with replaced(target) as partial:  # a failed encoding leaves no part of a photo in the store
                out.save(partial, {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}[job.fmt], **QUALITY[job.fmt])
    except Exception as exc:  # noqa: BLE001 - reported with the file that names the photo
        return f"{exc.__class__.__name__}: {exc}"
    return ""


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: copy
        shutil.copyfile(source, target)


def write(media: Media, output: Path, session: Any = None, workers: int | None = None) -> int:
    """Encode what the store lacks (all cores), then put every derivative and PDF in ``output``.

    Returns how many derivatives were encoded. A file the last build already wrote with the
    same name (the name is its digest) is left alone in an incremental build.
    """
    todo: dict[str, list[tuple[_Job, str]]] = {}
    place: list[tuple[Path, str]] = []
    for name, (source, job) in sorted(media.jobs.items()):
        stored = media.store / name
        if not stored.is_file():
            origin = source if os.path.isabs(source) else str(media.content / source)
            todo.setdefault(origin, []).append((job, str(stored)))
        if session is None or not session.reuse(name, name, (name,)):
            place.append((stored, name))
    encoded = sum(len(jobs) for jobs in todo.values())
    if todo:
        progress = Progress("Mã hoá ảnh", len(todo))
        failures = []
        tasks = sorted(todo.items())
        workers = workers or getattr(session, "jobs", 0) or os.cpu_count() or 1
        if workers > 1 and len(tasks) > 1:
            with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
                for (source, _), error in zip(tasks, pool.map(_encode, tasks), strict=True):
                    progress.step()
                    if error:
                        failures.append((source, error))
        else:
            for task in tasks:
                error = _encode(task)
                progress.step()
                if error:
                    failures.append((task[0], error))
        progress.done()
        if failures:
            raise MediaError(failures, media.content)
    for stored, name in place:
        _link(stored, output / name)
    for url, (rel, digest) in sorted(media.documents.items()):
        if session is None or not session.reuse(url, digest, (url,)):
            _link(media.content / rel, output / url)
    return encoded


class MediaError(RuntimeError):
    """A photo that could be read but not encoded (truncated after its first bytes, say)."""

    def __init__(self, failures: list[tuple[str, str]], content: Path) -> None:
        lines = [f"{_rel(source, content)}: không mã hoá được ảnh ({error}); tải lại ảnh gốc và lưu đè tệp"
                 for source, error in failures]
        super().__init__("\n".join(lines))


def _rel(source: str, content: Path) -> str:
    try:
        return Path(source).relative_to(content).as_posix()
    except ValueError:
        return source


# Phase 1: what the content names -------------------------------------------------------------------------

_BODY_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_BODY_PHOTO = re.compile(r"(<p>\s*)?(<img\b[^>]*>)(\s*</p>)?", re.IGNORECASE)  # the same <img> tags, in order
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CREDIT = re.compile(r"\s*[;,–-]?\s*\b(Ảnh|ảnh)\s*:\s*(.+)$")


def split_caption(title: str) -> tuple[str, str]:
    """ "Lễ trao cờ. Ảnh: Thu Hằng" → ("Lễ trao cờ.", "Thu Hằng"); "… (Ảnh minh họa)" keeps its words."""
    text = title.strip()
    match = _CREDIT.search(text)
    if match:
        return text[: match.start()].strip(), match.group(2).strip()
    tail = re.search(r"\(?(Ảnh minh họa|Ảnh minh hoạ)\)?\.?$", text)
    if tail:
        return text[: tail.start()].strip(), tail.group(1)
    return text, ""


def draw_body(html: str, photos: tuple[Photo | None, ...], figure: Any, picture: Any) -> str:
    """The body with each ``<img>`` drawn by the theme: a photo alone in its paragraph as a figure."""
    todo = iter(photos)

    def draw(match: re.Match) -> str:
        photo = next(todo, None)
        if photo is None:
            return match.group(0)
        if match.group(1) and match.group(3):
            return str(figure(photo, "body"))
        return f"{match.group(1) or ''}{picture(photo, 'body')}{match.group(3) or ''}"

    return _BODY_PHOTO.sub(draw, html)


def collect(graph: Any, articles: Iterable[Any], content: Path, store: Path, cache: Any = None) -> Media:
    """Every photo and PDF of the site, checked; attaches ``article.media``, ``record.picture``, ``honour.document``."""
    import html as html_lib

    media = Media(content, store, cache)
    for exemplar in graph.records.all("exemplars"):
        data = exemplar.data
        if data.get("photo"):
            exemplar.picture = media.photo(data["photo"], data.get("photo_alt", ""), "", data.get("photo_credit", ""),
                                           data.get("photo_focus"), "portrait",
                                           (exemplar.path, exemplar.lines.get("photo"), "photo"))
    articles = list(articles)
    honours = {id(h): h for h in graph.honours}  # exemplars' own honours and the published articles'
    for article in articles:  # and those of drafts, which the preview shows
        if article.refs.honours:
            honours.update((id(h), h) for h in article.refs.honours)
    for article in articles:
        data = getattr(article, "portal_data", {}) or {}
        # Said by the reader (portal_imaged): looking for "<img" in the 10,000 bodies took an edit build 0.03-0.06 s.
        imaged = getattr(article, "portal_imaged", False)
        if not (imaged or data.get("image") or data.get("gallery") or data.get("documents")):
            article.media = NO_MEDIA  # what the steps below would make of it
            continue
        lines = getattr(article, "portal_lines", {}) or {}
        path = getattr(article, "portal_path", article.source_path)
        lead = None
        if data.get("image"):
            lead = media.photo(data["image"], data.get("image_alt", ""), data.get("image_caption", ""),
                               data.get("image_credit", ""), data.get("image_focus"), "lead",
                               (path, lines.get("image"), "image"))
        gallery = []
        for i, item in enumerate(data.get("gallery") or []):
            where = f"gallery[{i}]"
            found = media.photo(item["image"], item["alt"], item.get("caption", ""), item["credit"], None, "gallery",
                                (path, lines.get(f"{where}.image"), f"{where}.image"))
            if found is not None:
                gallery.append(found)
        documents = []
        for i, item in enumerate(data.get("documents") or []):
            where = f"documents[{i}]"
            found = media.document(item["file"], item["title"], (path, lines.get(f"{where}.file"), f"{where}.file"))
            if found is not None:
                documents.append(found)
        body = []
        if imaged:
            content_html = article._content
            for i, tag in enumerate(_BODY_IMG.findall(content_html)):
                attrs = {k: html_lib.unescape(v) for k, v in _ATTR.findall(tag)}
                src, alt = attrs.get("src", ""), attrs.get("alt", "").strip()
                caption, credit = split_caption(attrs.get("title", ""))
                where = (path, None, f"ảnh trong bài {i + 1}")
                if re.match(r"^([a-z]+:|//)", src, re.IGNORECASE) or src.startswith("/") or ".." in src.split("/"):
                    media.problems.append(Problem(
                        *where, f"ảnh '{src}' ở ngoài trang", "chép ảnh vào content/images/ và ghi đường dẫn "
                        "tương đối, ví dụ images/2024/anh.jpg: cổng không hiện ảnh của trang khác"))
                    continue
                if not alt:
                    media.problems.append(Problem(*where, f"ảnh '{src}' thiếu mô tả cho người không xem được ảnh",
                                                  "viết mô tả trong ngoặc vuông: ![Mô tả ảnh](images/…)"))
                if not credit:
                    media.problems.append(Problem(*where, f"ảnh '{src}' thiếu tác giả, nguồn ảnh",
                                                  'thêm "Ảnh: Tên tác giả" vào chú thích: ![…](images/… "Chú thích. '
                                                  'Ảnh: Tên tác giả")'))
                found = media.photo(src, alt, caption, credit, None, "body", where)
                body.append(found)
        article.media = ArticleMedia(lead, tuple(gallery), tuple(body), tuple(documents))
    for honour in honours.values():
        if honour.decision_file:
            honour.document = media.document(honour.decision_file, honour.decision or "Quyết định khen thưởng",
                                              (honour.path, honour.line, "decision_file"))
    return media
