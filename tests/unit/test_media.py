"""The photo and document pipeline (portal.media) on real files made with Pillow: sizes, formats,
rotation, EXIF stripped, cache keys, and every bad input refused with a reason."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from portal import media


def photo(path: Path, size: tuple[int, int] = (2000, 1333), orientation: int = 1, gps: bool = True,
          fmt: str = "JPEG") -> Path:
    """A photo-like file with a phone's EXIF: an orientation and a GPS position."""
    im = Image.new("RGB", size, (30, 90, 160))
    draw = ImageDraw.Draw(im)
    draw.rectangle([0, 0, size[0] // 3, size[1]], fill=(200, 30, 30))  # a red band on the left of the scene
    draw.ellipse([size[0] // 2, size[1] // 4, size[0] // 2 + size[1] // 3, size[1] // 2], fill=(250, 220, 40))
    exif = Image.Exif()
    exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (10.0, 45.0, 30.0), 3: "E", 4: (106.0, 40.0, 10.0)}
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, fmt, exif=exif)
    return path


def _media(tmp_path: Path) -> media.Media:
    return media.Media(tmp_path / "content", tmp_path / "store")


WHERE = ("articles/2024/a.md", 5, "image")


def test_probe_reads_size_upright_colour_and_placeholder(tmp_path):
    found = media.probe(photo(tmp_path / "a.jpg", orientation=6))
    status, digest, width, height, colour, placeholder = found
    assert status == "ok" and len(digest) == 32
    assert (width, height) == (1333, 2000)  # turned as the phone held it
    assert colour.startswith("#") and len(colour) == 7
    assert placeholder.startswith("data:image/webp;base64,") and len(placeholder) < 400


def test_widths_per_slot_never_above_the_source_and_crops_keep_the_aspect(tmp_path):
    m = _media(tmp_path)
    photo(m.content / "images/a.jpg", size=(1000, 800))
    lead = m.photo("images/a.jpg", "Lễ trao cờ", "", "Thu Hằng", None, "lead", WHERE)
    r = lead.at("lead")
    assert [w for _, w in r.srcsets[0][1]] == [480, 680, 960]  # 1200 and 1600 would be upscaled
    assert (r.width, r.height) == (960, 640)  # 3:2 of 1000×800: 1000×667
    assert [t for t, _ in r.srcsets] == ["image/avif", "image/webp", "image/jpeg"]
    assert r.src.endswith(".jpg") and "680x454" in r.src
    card = lead.at("card")
    assert [w for _, w in card.srcsets[-1][1]] == [160, 240, 320, 480]
    assert lead.share[0][1:] == (1000, 525)  # the 1.91:1 card for og:image, at the source's width


def test_the_focal_point_moves_the_crop(tmp_path):
    assert media._box(3000, 1000, (1, 1), (0.5, 0.5)) == (1000, 0, 2000, 1000)
    assert media._box(3000, 1000, (1, 1), (0.1, 0.5)) == (0, 0, 1000, 1000)  # kept inside the photo
    assert media._box(3000, 1000, (1, 1), (0.8, 0.5)) == (1900, 0, 2900, 1000)
    assert media._box(1000, 3000, (3, 2), (0.5, 0.2)) == (0, 266, 1000, 933)


def test_derivatives_are_encoded_once_upright_and_without_exif(tmp_path):
    m = _media(tmp_path)
    photo(m.content / "images/2024/le-trao-co.jpg", orientation=6)
    lead = m.photo("images/2024/le-trao-co.jpg", "Lễ trao cờ", "Chú thích", "Thu Hằng", None, "lead", WHERE)
    out = tmp_path / "out"
    assert media.write(m, out, workers=2) == len(m.jobs)
    assert media.write(m, tmp_path / "out2") == 0  # the store has them all: nothing is encoded again
    files = sorted((out / "anh").iterdir())
    assert {p.suffix for p in files} == {".avif", ".webp", ".jpg"} and len(files) == len(m.jobs)
    for path in files:
        with Image.open(path) as im:
            assert dict(im.getexif()) == {}, path  # no orientation, no GPS, nothing
            assert "exif" not in im.info and "icc_profile" not in im.info
            w, h = (int(x) for x in path.stem.split("-")[-2].split("x"))
            assert im.size == (w, h)
    with Image.open(out / lead.at("lead").src) as im:
        assert im.height > im.width * 0.6  # 3:2 of an upright (portrait) photo
        assert im.getpixel((2, im.height // 2))[0] < 100  # the red band was on the top: it is not on the left


def test_a_name_changes_with_the_source_and_the_spec_and_only_then(tmp_path):
    m = _media(tmp_path)
    source = photo(m.content / "images/a.jpg")

    def square(focus=None, alt="a"):  # the 1:1 crop for search engines: where the focal point matters
        return _media(tmp_path).photo("images/a.jpg", alt, "", "b", focus, "lead", WHERE).share[-1][0]

    first = square()
    assert square(alt="khác") == first
    assert square(focus="10,10") != first
    photo(source, size=(2000, 1334))
    assert square() != first


def test_heic_from_a_phone_and_png_with_transparency_are_accepted(tmp_path):
    m = _media(tmp_path)
    (m.content / "images").mkdir(parents=True)
    Image.new("RGB", (640, 480), (20, 120, 60)).save(m.content / "images/dien-thoai.heic", "HEIF")
    Image.new("RGBA", (400, 400), (0, 0, 0, 0)).save(m.content / "images/bieu-trung.png")
    assert m.photo("images/dien-thoai.heic", "a", "", "b", None, "lead", WHERE) is not None
    emblem = m.photo("images/bieu-trung.png", "a", "", "b", None, "portrait", WHERE)
    media.write(m, tmp_path / "out")
    with Image.open(tmp_path / "out" / emblem.at("portrait").src) as im:
        assert im.getpixel((10, 10)) == (255, 255, 255)  # transparent is white, not black
    assert m.problems == []


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    idat = b"IDAT" + zlib.compress(b"\0" * 16)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + struct.pack(">I", len(idat) - 4) + idat + struct.pack(">I", zlib.crc32(idat))
            + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND")))


def _truncated(path: Path) -> None:
    data = io.BytesIO()
    Image.effect_noise((800, 600), 60).convert("RGB").save(data, "JPEG")
    path.write_bytes(data.getvalue()[: len(data.getvalue()) // 2])


@pytest.mark.parametrize("name, make, message", [
    ("svg.jpg", lambda p: p.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
     "SVG"),
    ("trang.jpg", lambda p: p.write_text("<!DOCTYPE html><html><body>x</body></html>"), "trang HTML"),
    ("bom.png", lambda p: p.write_bytes(_png_header(60000, 60000)), "quá lớn"),
    ("cat.jpg", _truncated, "hỏng hoặc không đầy đủ"),
    ("rong.jpg", lambda p: p.write_bytes(b""), "không phải ảnh"),
])
def test_bad_photos_are_refused_with_the_reason(tmp_path, name, make, message):
    m = _media(tmp_path)
    path = m.content / "images" / name
    path.parent.mkdir(parents=True)
    make(path)
    assert m.photo(f"images/{name}", "a", "", "b", None, "lead", WHERE) is None
    [problem] = m.problems
    assert (problem.path, problem.line, problem.field) == WHERE
    assert message in problem.message and problem.fix


def test_a_missing_photo_names_the_file_and_the_folder(tmp_path):
    m = _media(tmp_path)
    assert m.photo("images/2024/khong-co.jpg", "a", "", "b", None, "lead", WHERE) is None
    [problem] = m.problems
    assert "images/2024/khong-co.jpg" in problem.message and "content/images/2024" in problem.fix


def test_documents_get_a_stable_address_a_size_pages_and_a_first_page(tmp_path):
    m = _media(tmp_path)
    pdf = m.content / "documents/quyet-dinh-163.pdf"
    pdf.parent.mkdir(parents=True)
    pages = [Image.new("RGB", (827, 1169), "white"), Image.new("RGB", (827, 1169), "white")]
    pages[0].save(pdf, "PDF", resolution=100, save_all=True, append_images=pages[1:])
    doc = m.document("documents/quyet-dinh-163.pdf", "Quyết định số 163", WHERE)
    assert doc.url == "tai-lieu/quyet-dinh-163.pdf" and doc.pages == 2 and doc.size == pdf.stat().st_size
    assert doc.size_label.endswith("KB") and doc.thumbnail is not None
    media.write(m, tmp_path / "out")
    assert (tmp_path / "out" / doc.url).read_bytes() == pdf.read_bytes()
    assert (tmp_path / "out" / doc.thumbnail.at("document").src).is_file()
    fake = m.content / "documents/gia.pdf"
    fake.write_text("<html>không phải PDF</html>")
    assert m.document("documents/gia.pdf", "x", WHERE) is None
    assert "không phải PDF" in m.problems[-1].message


def test_a_credit_is_read_from_a_caption():
    assert media.split_caption("Lễ trao Cờ thi đua. Ảnh: Thu Hằng") == ("Lễ trao Cờ thi đua.", "Thu Hằng")
    assert media.split_caption("Toàn cảnh hội nghị (Ảnh minh họa)") == ("Toàn cảnh hội nghị", "Ảnh minh họa")
    assert media.split_caption("Không có tác giả") == ("Không có tác giả", "")


def test_a_failed_encoding_leaves_no_part_of_a_photo_in_the_store(tmp_path, monkeypatch):
    m = _media(tmp_path)
    photo(m.content / "images/2024/le-trao-co.jpg")
    m.photo("images/2024/le-trao-co.jpg", "Lễ trao cờ", "", "", None, "lead", WHERE)
    save = Image.Image.save

    def half_then_full_disk(self, fp, *args, **kwargs):
        if str(fp).endswith(f".{os.getpid()}") and str(fp).rpartition(".")[0].endswith(".webp"):
            Path(fp).write_bytes(b"RIFF")  # a few bytes written, then the disk is full
            raise OSError(28, "No space left on device")
        return save(self, fp, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", half_then_full_disk)
    with pytest.raises(media.MediaError):
        media.write(m, tmp_path / "out", workers=1)
    stored = [p for p in (tmp_path / "store").rglob("*") if p.is_file()]
    assert stored and not [p for p in stored if p.name.rpartition(".")[2].isdigit()]  # no partial file
    assert not [p for p in stored if ".webp" in p.name]  # nor a WebP: its encoding failed
