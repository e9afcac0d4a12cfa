"""Illustrative photos and decision PDFs for the shipped sample portal, drawn from a fixed seed.

The sample portal must show what a real one looks like (lead photos, galleries,
portraits, downloadable decisions) without shipping a photo of a real person or
a real document. So every picture here is drawn: a stage with a banner and
faceless figures, a certificate, an avatar silhouette, an emblem with a unit's
initials, a decision typed on a "scanned" A4 page marked as an illustration.

Everything is reproducible: each file draws from its own ``random.Random``
seeded with the global seed and the file's path (adding a file never changes
another), the drawing is done at twice the size and reduced (smooth edges
without antialiasing support in ImageDraw), JPEGs carry no EXIF, and the PDFs
carry the decision's date instead of the time of the run, so regenerating gives
byte-identical files on the same Pillow and libjpeg. :func:`generate` is what
``invoke sample-media`` runs; :data:`MEDIA` is the list of what it draws.
"""

from __future__ import annotations

import io
import math
import os
import random
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

__all__ = ["MEDIA", "SEED", "Certificate", "Decision", "Emblem", "Portrait", "SampleReport", "Scene", "generate"]

SEED = 20250611
FONTS = Path("/usr/share/fonts/truetype/dejavu")
SS = 2  # drawn at twice the size, then reduced: ImageDraw has no antialiasing
# A lens is never pixel-sharp: a slight blur after the reduction; it also saves about a fifth of the bytes
# of a scene (sharp edges and text are what JPEG encodes worst). Radius in pixels of the final image.
SOFTEN = {"landscape": 1.0, "square": 0.6}
# Quality ~80 (78 keeps the whole set under 5 MB); optimized, progressive: smaller, and still deterministic.
JPEG = {"quality": 78, "optimize": True, "progressive": True}
LANDSCAPE = (1600, 1067)
PORTRAIT = (800, 1000)
SQUARE = (800, 800)
A4 = (1240, 1754)  # 150 dpi
NOTICE = "Văn bản minh họa cho cổng tin mẫu – không có giá trị pháp lý"

Colour = tuple[int, int, int]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# What is drawn ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """A ceremony, conference or outdoor event, landscape.

    ``layout``: ``stage`` (honourees in a row with certificates and flowers), ``podium`` (a speaker),
    ``signing`` (a presidium table, the pledge being signed), ``hall`` (the room seen from the back),
    ``performance`` (dancers on the stage), ``outdoor`` (a banner between poles, people in front).
    ``extras``: ``house``, ``marker`` (a border marker), ``plaque`` (a project plaque), ``pennants``
    (honourees hold small flags), ``flag`` (a flag on the backdrop).
    """

    path: str
    layout: str
    banner: tuple[str, ...]
    kicker: str = ""
    footer: str = ""
    palette: str = "red"
    attire: str = "civil"
    extras: tuple[str, ...] = ()
    plaque: tuple[str, ...] = ()


@dataclass(frozen=True)
class Certificate:
    """A Bằng khen, Giấy khen, certificate of a title, or a Cờ thi đua (``form="flag"``), landscape."""

    path: str
    issuer: str
    title: str
    recipient: str
    detail: str = ""
    reason: str = ""
    place_date: str = ""
    decision: str = ""
    subtitle: str = ""
    form: str = "paper"  # paper | flag
    palette: str = "red"  # red | blue | green (the ornamental border)
    verb: str = "Tặng"  # the word before the recipient: Tặng, Công nhận, Phong tặng
    seal: str = ""  # the text round the seal; default: the issuer without "CHỦ TỊCH" / "CỦA"


@dataclass(frozen=True)
class Portrait:
    """An avatar silhouette on a gradient, portrait: no face, no likeness."""

    path: str
    hair: str = "short"  # short | long | bun
    attire: str = "suit"  # suit | shirt | coat | uniform | ao-dai | blouse
    hue: int = 210  # background hue in degrees


@dataclass(frozen=True)
class Emblem:
    """A shield (a collective) or a star badge (a locality) with the unit's initials, square."""

    path: str
    initials: str
    label: str
    shape: str = "shield"  # shield | star
    hue: int = 0


@dataclass(frozen=True)
class Decision:
    """A one-page decision (quyết định) on a scanned-looking A4 page, saved as PDF."""

    path: str
    authority: str  # "TỈNH LÀO CAI"
    number: str  # "826/QĐ-UBND"
    place: str  # "Lào Cai"
    day: date
    subject: str  # "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    grounds: tuple[str, ...]
    article1: str
    article2: str
    signer_title: tuple[str, ...]  # ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    signer: str


Media = Scene | Certificate | Portrait | Emblem | Decision


@dataclass(frozen=True)
class SampleReport:
    """What :func:`generate` wrote: paths relative to the content folder, their total size, what changed."""

    files: tuple[str, ...]
    bytes: int
    changed: tuple[str, ...]


# Colours ------------------------------------------------------------------------------------------------

PALETTES: dict[str, dict[str, Colour]] = {
    "red": {"top": (200, 24, 32), "bottom": (128, 8, 16), "text": (255, 214, 64), "accent": (240, 190, 70),
            "wall": (58, 22, 26), "floor": (150, 40, 40)},
    "crimson": {"top": (170, 18, 48), "bottom": (96, 6, 28), "text": (255, 226, 120), "accent": (232, 180, 90),
                "wall": (44, 20, 30), "floor": (120, 30, 48)},
    "scarlet": {"top": (222, 52, 30), "bottom": (150, 20, 14), "text": (255, 240, 170), "accent": (250, 205, 80),
                "wall": (66, 30, 22), "floor": (130, 60, 40)},
    "blue": {"top": (26, 84, 168), "bottom": (12, 40, 96), "text": (255, 255, 255), "accent": (250, 200, 70),
             "wall": (18, 26, 48), "floor": (36, 60, 110)},
    "teal": {"top": (16, 120, 128), "bottom": (8, 64, 76), "text": (255, 236, 150), "accent": (240, 210, 110),
             "wall": (16, 36, 40), "floor": (40, 90, 90)},
    "green": {"top": (46, 110, 58), "bottom": (24, 62, 32), "text": (255, 226, 90), "accent": (230, 200, 80),
              "wall": (26, 40, 28), "floor": (70, 90, 60)},
}
SKIN: tuple[Colour, ...] = ((226, 190, 158), (212, 172, 138), (198, 156, 122), (232, 200, 170))
HAIR: tuple[Colour, ...] = ((30, 26, 26), (44, 34, 30), (58, 46, 40), (24, 22, 24), (96, 96, 100))
# (top, bottom, long tunic): a suit, a shirt, an áo dài over white trousers, a uniform, a white coat ...
ATTIRE: dict[str, tuple[tuple[Colour, Colour, bool], ...]] = {
    "civil": (((32, 42, 72), (30, 34, 50), False), ((52, 52, 58), (40, 40, 46), False),
              ((236, 236, 240), (44, 48, 60), False), ((200, 32, 44), (245, 245, 240), True),
              ((40, 96, 176), (245, 245, 240), True), ((236, 186, 48), (245, 245, 240), True),
              ((168, 200, 232), (50, 54, 70), False), ((220, 110, 150), (245, 245, 240), True)),
    "teachers": (((200, 32, 44), (245, 245, 240), True), ((40, 96, 176), (245, 245, 240), True),
                 ((236, 186, 48), (245, 245, 240), True), ((140, 60, 150), (245, 245, 240), True),
                 ((32, 42, 72), (30, 34, 50), False)),
    "medical": (((244, 246, 248), (90, 130, 170), False), ((236, 242, 246), (240, 244, 246), True),
                ((120, 170, 200), (120, 170, 200), False)),
    "military": (((84, 104, 60), (70, 88, 52), False), ((72, 96, 64), (64, 84, 56), False)),
    "dancers": (((220, 40, 56), (220, 40, 56), True), ((250, 200, 60), (250, 200, 60), True),
                ((240, 120, 160), (240, 120, 160), True), ((60, 150, 210), (60, 150, 210), True)),
}
FLOWERS: tuple[Colour, ...] = ((230, 40, 60), (250, 210, 60), (250, 140, 170), (255, 250, 240), (240, 110, 40),
                               (200, 60, 160))
LEAF = (46, 120, 60)


def _hsv(h: float, s: float, v: float) -> Colour:
    """An RGB colour from a hue in degrees and saturation, value in 0..1."""
    h = (h % 360) / 60
    c = v * s
    x = c * (1 - abs(h % 2 - 1))
    r, g, b = [(c, x, 0), (x, c, 0), (0, c, x), (0, x, c), (x, 0, c), (c, 0, x)][int(h) % 6]
    m = v - c
    return (round((r + m) * 255), round((g + m) * 255), round((b + m) * 255))


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def _shade(c: Colour, t: float) -> Colour:
    """Darker (t < 0) or lighter (t > 0)."""
    return _mix(c, (0, 0, 0) if t < 0 else (255, 255, 255), abs(t))


# Drawing primitives -------------------------------------------------------------------------------------


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / f"{name}.ttf"), max(6, int(size)))


def _gradient(size: tuple[int, int], a: Colour, b: Colour) -> Image.Image:
    """A linear gradient from ``a`` (top) to ``b`` (bottom)."""
    ramp = Image.linear_gradient("L").resize(size, Image.Resampling.BICUBIC)
    return Image.composite(Image.new("RGB", size, b), Image.new("RGB", size, a), ramp)


def _radial(size: tuple[int, int], inner: Colour, outer: Colour,
            centre: tuple[float, float] = (0.5, 0.45)) -> Image.Image:
    """A radial gradient: soft light in the middle of a backdrop or behind a portrait."""
    ramp = Image.radial_gradient("L").resize((size[0] * 2, size[1] * 2), Image.Resampling.BICUBIC)
    left = int(size[0] * (1 - centre[0]))
    top = int(size[1] * (1 - centre[1]))
    ramp = ramp.crop((left, top, left + size[0], top + size[1]))
    return Image.composite(Image.new("RGB", size, outer), Image.new("RGB", size, inner), ramp)


def _fit(draw: ImageDraw.ImageDraw, lines: tuple[str, ...] | list[str], font: str, max_width: float,
         size: float, min_size: float = 8) -> ImageFont.FreeTypeFont:
    """The largest font (from ``size`` down) in which every line fits ``max_width``."""
    size = int(size)
    while size > min_size:
        face = _font(font, size)
        if all(draw.textlength(line, font=face) <= max_width for line in lines):
            return face
        size = int(size * 0.95)
    return _font(font, int(min_size))


def _wrap(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: float,
          indent: float = 0) -> list[str]:
    """Greedy word wrap; the first line is ``indent`` shorter."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        limit = width - (indent if not lines else 0)
        if current and draw.textlength(trial, font=face) > limit:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: Colour, rotation: float = 0) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = math.radians(-90 + i * 36 + rotation)
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


def _figure(draw: ImageDraw.ImageDraw, x: float, base: float, h: float, rng: random.Random,
            attire: tuple[Colour, Colour, bool], *, hold: str = "", seated: bool = False, hair_long: bool = False,
            skin: Colour | None = None) -> None:
    """A standing (or seated) stylised figure seen from the front: no face, a hair cap, a flat body."""
    top, bottom, tunic = attire
    skin = skin or rng.choice(SKIN)
    hair = rng.choice(HAIR)
    r = h * 0.085
    cy = base - h + r
    shoulder = cy + r * 1.45
    half = h * 0.14
    waist = base - h * 0.40
    if hair_long:
        draw.rounded_rectangle((x - r * 1.08, cy - r, x + r * 1.08, cy + r * 2.1), radius=r, fill=hair)
    draw.rectangle((x - r * 0.34, cy + r * 0.5, x + r * 0.34, shoulder + r * 0.3), fill=_shade(skin, -0.08))
    if not seated:  # legs or trousers
        leg = half * 0.78
        draw.rounded_rectangle((x - leg, waist - r, x - r * 0.08, base), radius=r * 0.25, fill=bottom)
        draw.rounded_rectangle((x + r * 0.08, waist - r, x + leg, base), radius=r * 0.25, fill=bottom)
        draw.ellipse((x - leg - r * 0.1, base - r * 0.35, x - r * 0.05, base + r * 0.15), fill=(30, 28, 30))
        draw.ellipse((x + r * 0.05, base - r * 0.35, x + leg + r * 0.1, base + r * 0.15), fill=(30, 28, 30))
    end = base - h * (0.13 if tunic else 0.36) if not seated else base
    draw.rounded_rectangle((x - half, shoulder, x + half, end), radius=r * 0.9, fill=top)
    if not tunic and top != bottom and not seated:  # a jacket: lapels and a shirt
        draw.polygon([(x - r * 0.55, shoulder), (x + r * 0.55, shoulder), (x, shoulder + r * 1.7)],
                     fill=(240, 240, 240))
        draw.polygon([(x - r * 0.14, shoulder + r * 0.2), (x + r * 0.14, shoulder + r * 0.2),
                      (x, shoulder + r * 1.5)], fill=_shade(top, 0.25) if sum(top) < 300 else (160, 30, 40))
    # arms along the body
    arm = half * 0.3
    arm_end = shoulder + h * (0.26 if hold else 0.34)
    draw.rounded_rectangle((x - half - arm * 0.6, shoulder + r * 0.3, x - half + arm * 0.6, arm_end),
                           radius=arm * 0.6, fill=_shade(top, -0.12))
    draw.rounded_rectangle((x + half - arm * 0.6, shoulder + r * 0.3, x + half + arm * 0.6, arm_end),
                           radius=arm * 0.6, fill=_shade(top, -0.12))
    draw.ellipse((x - r, cy - r, x + r, cy + r), fill=skin)
    draw.pieslice((x - r * 1.06, cy - r * 1.1, x + r * 1.06, cy + r * 0.95), 180, 360, fill=hair)
    if hold in ("certificate", "both"):
        cw, ch = half * 0.9, h * 0.095
        top_y = shoulder + h * 0.12
        draw.rectangle((x - cw, top_y, x + cw, top_y + ch), fill=(214, 170, 60))
        draw.rectangle((x - cw * 0.86, top_y + ch * 0.12, x + cw * 0.86, top_y + ch * 0.88), fill=(252, 244, 222))
        draw.rectangle((x - cw * 0.6, top_y + ch * 0.3, x + cw * 0.6, top_y + ch * 0.4), fill=(196, 40, 40))
        for row in (0.55, 0.7):
            draw.line((x - cw * 0.5, top_y + ch * row, x + cw * 0.5, top_y + ch * row), fill=(150, 130, 110),
                      width=max(1, int(h * 0.004)))
    if hold in ("flowers", "both"):
        fx = x + half * (0.9 if hold == "both" else 0.2)
        fy = shoulder + h * 0.12
        draw.polygon([(fx - r * 0.7, fy), (fx + r * 0.7, fy), (fx, fy + r * 1.8)], fill=(240, 236, 220))
        for _ in range(9):
            px, py = fx + rng.uniform(-r * 0.8, r * 0.8), fy + rng.uniform(-r * 0.9, r * 0.2)
            pr = r * rng.uniform(0.22, 0.34)
            draw.ellipse((px - pr, py - pr, px + pr, py + pr), fill=rng.choice(FLOWERS))
    if hold == "pennant":
        px = x + half * 0.2
        py = shoulder + h * 0.04
        draw.line((px, py, px, py + h * 0.3), fill=(200, 170, 80), width=max(2, int(h * 0.012)))
        draw.polygon([(px, py), (px + h * 0.2, py + h * 0.02), (px + h * 0.17, py + h * 0.14), (px, py + h * 0.13)],
                     fill=(210, 30, 36))
        _star(draw, px + h * 0.085, py + h * 0.07, h * 0.03, (250, 210, 60))
    if hold == "fan":
        fx, fy = x + half * 1.2, shoulder + h * 0.05
        draw.pieslice((fx - h * 0.12, fy - h * 0.12, fx + h * 0.12, fy + h * 0.12), 200, 340,
                      fill=rng.choice(FLOWERS))


def _back(draw: ImageDraw.ImageDraw, x: float, y: float, s: float, shirt: Colour, hair: Colour) -> None:
    """A member of the audience seen from behind: a head of hair and shoulders."""
    draw.ellipse((x - s * 1.05, y + s * 0.45, x + s * 1.05, y + s * 2.4), fill=shirt)
    draw.rectangle((x - s * 0.22, y + s * 0.2, x + s * 0.22, y + s * 0.7), fill=_shade(shirt, -0.25))
    draw.ellipse((x - s * 0.44, y - s * 0.55, x + s * 0.44, y + s * 0.42), fill=hair)


def _audience(image: Image.Image, rng: random.Random, rows: list[tuple[float, float]], blur: float,
              chairs: Colour | None = None) -> None:
    """Rows of people from behind, back row first; ``rows`` are (y, size).

    Drawn on a layer and blurred: the foreground of a stage photo is out of focus, which is also what keeps
    the JPEG small (sharp edges cost bytes).
    """
    w = image.width
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    shirts = [c[0] for group in ("civil", "civil", "teachers") for c in ATTIRE[group]]
    for y, s in rows:
        step = s * 2.3
        x = -step + rng.uniform(0, step)
        while x < w + step:
            if rng.random() < 0.92:
                _back(draw, x + rng.uniform(-s * 0.15, s * 0.15), y + rng.uniform(-s * 0.1, s * 0.1), s,
                      rng.choice(shirts), rng.choice(HAIR))
            if chairs:
                draw.rounded_rectangle((x - s * 1.1, y + s * 1.3, x + s * 1.1, y + s * 3.4), radius=s * 0.3,
                                       fill=chairs)
                draw.rounded_rectangle((x - s * 1.1, y + s * 1.3, x + s * 1.1, y + s * 1.45), radius=s * 0.07,
                                       fill=_shade(chairs, 0.2))
            x += step * rng.uniform(0.92, 1.08)
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
    image.paste(Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB"))


def _flower_pot(draw: ImageDraw.ImageDraw, rng: random.Random, x: float, y: float, w: float) -> None:
    """A pot of flowers standing on ``y`` (its bottom), ``w`` wide."""
    draw.polygon([(x - w * 0.32, y - w * 0.42), (x + w * 0.32, y - w * 0.42), (x + w * 0.24, y), (x - w * 0.24, y)],
                 fill=(196, 150, 60))
    draw.rectangle((x - w * 0.34, y - w * 0.46, x + w * 0.34, y - w * 0.4), fill=(220, 176, 80))
    draw.ellipse((x - w * 0.5, y - w * 0.95, x + w * 0.5, y - w * 0.3), fill=LEAF)
    for _ in range(9):
        px, py = x + rng.uniform(-w * 0.42, w * 0.42), y - w * rng.uniform(0.5, 0.95)
        pr = w * rng.uniform(0.06, 0.1)
        draw.ellipse((px - pr, py - pr, px + pr, py + pr), fill=rng.choice(FLOWERS))


def _lights(image: Image.Image, rng: random.Random, count: int) -> None:
    """Soft spotlight beams from the ceiling."""
    w, h = image.size
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(count):
        x = rng.uniform(0.1, 0.9) * w
        spread = rng.uniform(0.06, 0.12) * w
        foot = x + rng.uniform(-0.15, 0.15) * w
        draw.polygon([(x - w * 0.01, 0), (x + w * 0.01, 0), (foot + spread, h * 0.75), (foot - spread, h * 0.75)],
                     fill=(255, 245, 210, 22))
    overlay = overlay.filter(ImageFilter.GaussianBlur(w * 0.01))
    image.paste(Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"))


def _banner_text(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], scene: Scene,
                 colours: dict[str, Colour]) -> None:
    """Kicker (small, white), banner lines (large, bold), footer (small, italic) centred in ``box``."""
    x0, y0, x1, y1 = box
    width = (x1 - x0) * 0.8
    height = y1 - y0
    cx = (x0 + x1) / 2
    banner = [_nfc(line) for line in scene.banner]
    big = _fit(draw, banner, "DejaVuSansCondensed-Bold", width, height / (len(banner) + 1.6))
    small = _fit(draw, [_nfc(scene.kicker or " "), _nfc(scene.footer or " ")], "DejaVuSansCondensed-Bold", width,
                 big.size * 0.56)
    italic = _font("DejaVuSansCondensed-Oblique", small.size)
    parts: list[tuple[str, ImageFont.FreeTypeFont, Colour, float]] = []
    if scene.kicker:
        parts.append((_nfc(scene.kicker), small, (255, 255, 255), small.size * 1.6))
    for line in banner:
        parts.append((line, big, colours["text"], big.size * 1.22))
    if scene.footer:
        parts.append((_nfc(scene.footer), italic, (255, 255, 255), small.size * 1.8))
    total = sum(p[3] for p in parts)
    y = y0 + (height - total) / 2
    for text, face, fill, advance in parts:
        draw.text((cx, y + advance / 2), text, font=face, fill=fill, anchor="mm")
        y += advance


def _backdrop(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[int, int, int, int],
              scene: Scene, colours: dict[str, Colour]) -> None:
    """The stage backdrop: a gradient panel with a gold frame, sweeping ribbons, a star and the banner."""
    x0, y0, x1, y1 = box
    panel = _radial((x1 - x0, y1 - y0), colours["top"], colours["bottom"], (rng.uniform(0.4, 0.6), 0.4))
    image.paste(panel, (x0, y0))
    bw, bh = x1 - x0, y1 - y0
    overlay = Image.new("RGBA", (bw, bh), (0, 0, 0, 0))
    od = ImageDraw.Draw(overlay)
    for _ in range(rng.randint(2, 4)):  # sweeping ribbons
        cx, cy = rng.uniform(-0.2, 1.2) * bw, rng.uniform(0.9, 1.8) * bh
        radius = rng.uniform(0.7, 1.2) * bh
        od.arc((cx - radius * 1.8, cy - radius, cx + radius * 1.8, cy + radius), 180, 360,
               fill=(*colours["accent"], 70), width=max(4, int(bh * rng.uniform(0.01, 0.03))))
    overlay = overlay.filter(ImageFilter.GaussianBlur(bh * 0.008))  # soft streaks of light, not lines
    image.paste(Image.alpha_composite(image.crop(box).convert("RGBA"), overlay).convert("RGB"), (x0, y0))
    frame = max(3, int(bh * 0.012))
    draw.rectangle(box, outline=colours["accent"], width=frame)
    draw.rectangle((x0 + frame * 3, y0 + frame * 3, x1 - frame * 3, y1 - frame * 3), outline=colours["accent"],
                   width=max(1, frame // 3))
    star_y = y0 + bh * 0.14
    if "flag" in scene.extras:
        fw = bw * 0.12
        fx = x0 + bw * 0.06
        draw.rectangle((fx, y0 + bh * 0.08, fx + fw, y0 + bh * 0.08 + fw * 0.66), fill=(218, 37, 29))
        _star(draw, fx + fw / 2, y0 + bh * 0.08 + fw * 0.33, fw * 0.2, (255, 221, 0))
    draw.ellipse((x0 + bw / 2 - bh * 0.08, star_y - bh * 0.08, x0 + bw / 2 + bh * 0.08, star_y + bh * 0.08),
                 outline=colours["accent"], width=frame)
    _star(draw, x0 + bw / 2, star_y, bh * 0.06, colours["accent"])
    low = 0.94 if scene.layout == "hall" else 0.62  # above the heads of the people on the stage
    _banner_text(draw, (x0 + bw * 0.05, y0 + bh * 0.24, x1 - bw * 0.05, y0 + bh * low), scene, colours)


def _house(draw: ImageDraw.ImageDraw, rng: random.Random, x: float, base: float, w: float) -> None:
    """A small new house: walls, a roof, a door and windows, a red ribbon across the door."""
    wall = rng.choice([(244, 226, 170), (236, 236, 220), (250, 214, 160)])
    roof = rng.choice([(180, 50, 40), (40, 90, 150), (150, 70, 40)])
    h = w * 0.55
    draw.rectangle((x - w / 2, base - h, x + w / 2, base), fill=wall)
    draw.polygon([(x - w * 0.6, base - h), (x + w * 0.6, base - h), (x + w * 0.42, base - h * 1.7),
                  (x - w * 0.42, base - h * 1.7)], fill=roof)
    draw.rectangle((x - w * 0.09, base - h * 0.7, x + w * 0.09, base), fill=(120, 80, 50))
    for wx in (-0.32, 0.22):
        draw.rectangle((x + w * wx, base - h * 0.72, x + w * (wx + 0.12), base - h * 0.38), fill=(90, 140, 180))
    draw.rectangle((x - w * 0.2, base - h * 0.42, x + w * 0.2, base - h * 0.37), fill=(220, 30, 40))


def _wrapped_centre(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, cx: float, y: float,
                    width: float, fill: Colour, leading: float = 1.3) -> float:
    for line in _wrap(draw, text, face, width):
        draw.text((cx, y), line, font=face, fill=fill, anchor="mt")
        y += face.size * leading
    return y


# Scenes -------------------------------------------------------------------------------------------------


def draw_scene(scene: Scene, rng: random.Random) -> Image.Image:
    """A ceremony, conference or outdoor event (see :class:`Scene`)."""
    w, h = LANDSCAPE[0] * SS, LANDSCAPE[1] * SS
    colours = PALETTES[scene.palette]
    people = ATTIRE[scene.attire]
    if scene.layout == "outdoor":
        return _outdoor(scene, rng, w, h, colours, people)
    image = _gradient((w, h), _shade(colours["wall"], 0.1), _shade(colours["wall"], -0.4))
    draw = ImageDraw.Draw(image)
    if scene.layout == "hall":
        box = (int(w * 0.2), int(h * 0.06), int(w * 0.8), int(h * 0.40))
        for side in (0, 1):  # curtains beside the backdrop
            for i in range(7):
                cx = (w * 0.02 + i * w * 0.025) if side == 0 else (w * 0.98 - i * w * 0.025)
                draw.rectangle((cx - w * 0.012, 0, cx + w * 0.012, h * 0.5), fill=_shade(colours["bottom"],
                                                                                         -0.1 * (i % 2)))
    else:
        box = (int(w * 0.06), int(h * 0.05), int(w * 0.94), int(h * 0.56))
    _backdrop(image, draw, rng, box, scene, colours)
    stage_top = box[3]
    stage_bottom = stage_top + int(h * (0.10 if scene.layout == "hall" else 0.17))
    floor = colours["floor"]
    draw.rectangle((0 if scene.layout != "hall" else w * 0.12, stage_top, w if scene.layout != "hall" else w * 0.88,
                    stage_bottom), fill=floor)
    draw.rectangle((0 if scene.layout != "hall" else w * 0.12, stage_bottom - h * 0.015,
                    w if scene.layout != "hall" else w * 0.88, stage_bottom), fill=_shade(floor, 0.25))
    if scene.layout in ("stage", "performance"):
        n = rng.randint(5, 7)
        fh = h * (0.30 if scene.layout == "stage" else 0.28)
        xs = [w * (0.16 + 0.68 * i / (n - 1)) for i in range(n)]
        holds = ("both", "certificate", "flowers", "both") if "pennants" not in scene.extras else ("pennant",)
        for i, x in enumerate(xs):
            if scene.layout == "performance":
                base = stage_bottom - h * 0.03 - math.sin(math.pi * i / (n - 1)) * h * 0.05
                _figure(draw, x, base, fh, rng, rng.choice(ATTIRE["dancers"]), hold="fan",
                        hair_long=rng.random() < 0.7)
            else:
                attire = people[(i + rng.randint(0, len(people))) % len(people)]
                _figure(draw, x + rng.uniform(-w * 0.01, w * 0.01), stage_bottom - h * 0.03, fh, rng, attire,
                        hold=holds[i % len(holds)], hair_long=attire[2] and rng.random() < 0.6)
    elif scene.layout == "podium":
        px = w * rng.choice([0.2, 0.8])
        base = stage_bottom - h * 0.02
        _figure(draw, px, base - h * 0.02, h * 0.31, rng, people[0], seated=True)
        pw = w * 0.075
        draw.polygon([(px - pw, base - h * 0.2), (px + pw, base - h * 0.2), (px + pw * 0.8, base),
                      (px - pw * 0.8, base)], fill=(120, 60, 36))
        draw.rectangle((px - pw * 1.05, base - h * 0.215, px + pw * 1.05, base - h * 0.195), fill=(150, 80, 50))
        draw.ellipse((px - h * 0.035, base - h * 0.15, px + h * 0.035, base - h * 0.08), fill=colours["accent"])
        _star(draw, px, base - h * 0.115, h * 0.025, colours["bottom"])
        draw.line((px + pw * 0.3, base - h * 0.215, px + pw * 0.1, base - h * 0.27), fill=(30, 30, 30),
                  width=int(h * 0.004))
        _flower_pot(draw, rng, px, base + h * 0.01, pw * 1.3)
        # the presidium on the other side
        side = w * (0.66 if px < w / 2 else 0.34)
        tx0, tx1 = side - w * 0.2, side + w * 0.2
        ty = stage_top + h * 0.06
        for i in range(5):
            _figure(draw, tx0 + (tx1 - tx0) * (i + 0.5) / 5, ty + h * 0.09, h * 0.25, rng, people[i % len(people)],
                    seated=True)
        draw.rectangle((tx0, ty, tx1, stage_bottom - h * 0.03), fill=(250, 250, 248))
        draw.rectangle((tx0, ty + h * 0.06, tx1, stage_bottom - h * 0.03), fill=(40, 80, 150))
        for i in range(5):
            nx = tx0 + (tx1 - tx0) * (i + 0.5) / 5
            draw.rectangle((nx - w * 0.02, ty - h * 0.02, nx + w * 0.02, ty), fill=(255, 255, 255),
                           outline=(120, 120, 120))
    elif scene.layout in ("signing", "hall"):
        seats = rng.randint(6, 9) if scene.layout == "signing" else rng.randint(7, 11)
        tx0 = w * (0.12 if scene.layout == "signing" else 0.22)
        tx1 = w - tx0
        ty = stage_top + h * (0.05 if scene.layout == "signing" else 0.03)
        fh = h * (0.27 if scene.layout == "signing" else 0.15)
        for i in range(seats):
            _figure(draw, tx0 + (tx1 - tx0) * (i + 0.5) / seats, ty + fh * 0.45, fh, rng, people[i % len(people)],
                    seated=True)
        cloth = rng.choice([(250, 250, 248), (40, 80, 150), (180, 30, 40)])
        draw.rectangle((tx0, ty, tx1, stage_bottom - h * 0.02), fill=cloth)
        draw.rectangle((tx0, ty, tx1, ty + h * 0.012), fill=_shade(cloth, -0.15))
        for i in range(seats):
            nx = tx0 + (tx1 - tx0) * (i + 0.5) / seats
            draw.rectangle((nx - fh * 0.12, ty - fh * 0.07, nx + fh * 0.12, ty), fill=(255, 255, 255),
                           outline=(140, 140, 140))
        if scene.layout == "signing":
            for side in (-1, 1):  # the pledge on the table, a flag stand between the signers
                sx = w / 2 + side * (tx1 - tx0) / seats / 2
                draw.polygon([(sx - fh * 0.12, ty + h * 0.01), (sx + fh * 0.12, ty + h * 0.01),
                              (sx + fh * 0.16, ty + h * 0.05), (sx - fh * 0.08, ty + h * 0.05)], fill=(255, 255, 255))
            draw.line((w / 2, ty - h * 0.12, w / 2, ty), fill=(200, 200, 200), width=int(h * 0.003))
            draw.rectangle((w / 2, ty - h * 0.12, w / 2 + h * 0.05, ty - h * 0.087), fill=(218, 37, 29))
            _star(draw, w / 2 + h * 0.025, ty - h * 0.1035, h * 0.01, (255, 221, 0))
        for i in range(5 if scene.layout == "signing" else 4):
            _flower_pot(draw, rng, tx0 + (tx1 - tx0) * (i + 0.5) / (5 if scene.layout == "signing" else 4),
                        stage_bottom + h * 0.005, w * 0.05)
    if scene.layout == "hall":
        rows = [(h * (0.56 + 0.085 * i + 0.006 * i * i), h * (0.026 + 0.011 * i)) for i in range(5)]
        _audience(image, rng, rows, h * 0.006, chairs=rng.choice([(150, 30, 40), (40, 60, 120), (120, 40, 60)]))
    else:
        if scene.layout != "signing":
            for i in range(rng.randint(4, 6)):  # flowers along the stage front
                _flower_pot(draw, rng, w * (0.08 + 0.84 * i / 5), stage_bottom + h * 0.04, w * 0.07)
        _audience(image, rng, [(h * 0.81, h * 0.05), (h * 0.93, h * 0.065)], h * 0.01)
    _lights(image, rng, rng.randint(3, 5))
    return image


def _outdoor(scene: Scene, rng: random.Random, w: int, h: int, colours: dict[str, Colour],
             people: tuple[tuple[Colour, Colour, bool], ...]) -> Image.Image:
    sky = rng.choice([((120, 180, 230), (220, 236, 246)), ((150, 190, 225), (240, 240, 236))])
    image = _gradient((w, h), *sky)
    draw = ImageDraw.Draw(image)
    for layer, colour in enumerate([(120, 160, 130), (90, 140, 96), (70, 120, 70)]):  # hills
        points = [(0, h)]
        y = h * (0.42 + 0.06 * layer)
        for i in range(9):
            points.append((w * i / 8, y + rng.uniform(-h * 0.07, h * 0.04)))
        points.append((w, h))
        draw.polygon(points, fill=colour)
    ground = (0, int(h * 0.62), w, h)
    draw.rectangle(ground, fill=rng.choice([(176, 160, 120), (150, 150, 140), (168, 150, 116)]))
    draw.rectangle((0, h * 0.62, w, h * 0.64), fill=(120, 150, 90))
    if "house" in scene.extras:
        _house(draw, rng, w * 0.78, h * 0.66, w * 0.3)
    if "marker" in scene.extras:
        mx = w * 0.82
        draw.rounded_rectangle((mx - w * 0.05, h * 0.36, mx + w * 0.05, h * 0.66), radius=w * 0.02,
                               fill=(238, 238, 232), outline=(160, 160, 150), width=int(h * 0.003))
        face = _fit(draw, ["VIỆT NAM"], "DejaVuSansCondensed-Bold", w * 0.085, h * 0.028)
        draw.text((mx, h * 0.43), "VIỆT NAM", font=face, fill=(200, 30, 30), anchor="mm")
        draw.text((mx, h * 0.5), f"{rng.randint(1, 1400)}", font=face, fill=(200, 30, 30), anchor="mm")
    if "plaque" in scene.extras:
        px = w * 0.76
        draw.rectangle((px - w * 0.16, h * 0.30, px + w * 0.16, h * 0.62), fill=(120, 118, 110))
        draw.rectangle((px - w * 0.15, h * 0.315, px + w * 0.15, h * 0.605), fill=(196, 160, 80))
        face = _fit(draw, [_nfc(t) for t in scene.plaque], "DejaVuSerifCondensed-Bold", w * 0.27, h * 0.03)
        y = h * 0.35
        for line in scene.plaque:
            draw.text((px, y), _nfc(line), font=face, fill=(90, 30, 20), anchor="mt")
            y += face.size * 1.5
    # the banner between two poles
    bx0, bx1 = w * 0.12, w * (0.62 if {"house", "marker", "plaque"} & set(scene.extras) else 0.88)
    for px in (bx0, bx1):
        draw.rectangle((px - w * 0.005, h * 0.06, px + w * 0.005, h * 0.66), fill=(90, 90, 96))
    draw.rectangle((bx0, h * 0.08, bx1, h * 0.33), fill=colours["top"])
    draw.rectangle((bx0, h * 0.08, bx1, h * 0.33), outline=colours["accent"], width=int(h * 0.006))
    _banner_text(draw, (bx0, h * 0.09, bx1, h * 0.32), scene, colours)
    n = rng.randint(6, 9)
    xs = [w * (0.08 + 0.6 * i / (n - 1)) for i in range(n)]
    for i, x in enumerate(xs):
        attire = people[(i + rng.randint(0, 3)) % len(people)]
        _figure(draw, x, h * (0.86 + rng.uniform(-0.01, 0.01)), h * 0.38, rng, attire,
                hold=rng.choice(["", "", "flowers", "certificate"] if scene.attire != "military" else [""]),
                hair_long=attire[2] and rng.random() < 0.6)
    for i in range(4):
        _flower_pot(draw, rng, w * (0.1 + 0.27 * i), h * 0.98, w * 0.06)
    return image


# Certificates -------------------------------------------------------------------------------------------

BORDERS: dict[str, tuple[Colour, Colour]] = {"red": ((176, 28, 34), (222, 178, 72)),
                                            "blue": ((28, 66, 140), (222, 178, 72)),
                                            "green": ((30, 110, 70), (222, 178, 72))}


def _seal(size: int, text: str, colour: Colour = (206, 28, 36)) -> Image.Image:
    """A round seal with text around its rim and a star: RGBA, to lay over a signature."""
    s = size * 2
    seal = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(seal)
    ink = (*colour, 200)
    d.ellipse((4, 4, s - 4, s - 4), outline=ink, width=max(3, s // 40))
    d.ellipse((s * 0.2, s * 0.2, s * 0.8, s * 0.8), outline=ink, width=max(2, s // 70))
    _star(d, s / 2, s / 2, s * 0.16, ink)  # type: ignore[arg-type]
    face = _font("DejaVuSansCondensed-Bold", s * 0.085)
    text = _nfc(text)
    span = 250
    for i, ch in enumerate(text):
        angle = -90 - span / 2 + span * (i + 0.5) / len(text)
        glyph = Image.new("RGBA", (int(face.size * 1.6), int(face.size * 1.6)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=face, fill=ink, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
        radius = s * 0.39
        gx = s / 2 + radius * math.cos(math.radians(angle)) - glyph.width / 2
        gy = s / 2 + radius * math.sin(math.radians(angle)) - glyph.height / 2
        seal.alpha_composite(glyph, (int(gx), int(gy)))
    return seal.resize((size, size), Image.Resampling.LANCZOS)


def _signature(draw: ImageDraw.ImageDraw, rng: random.Random, x: float, y: float, w: float,
               ink: Colour = (24, 44, 140)) -> None:
    """A scribbled signature: a few loops, never a real one."""
    points = []
    for i in range(60):
        t = i / 59
        points.append((x + w * t + math.sin(t * rng.uniform(14, 22)) * w * 0.04,
                       y + math.sin(t * rng.uniform(6, 10) + 1) * w * 0.09 * (1 - t * 0.5)))
    draw.line(points, fill=ink, width=max(2, int(w * 0.018)), joint="curve")
    draw.line((x + w * 0.1, y + w * 0.12, x + w * 0.95, y + w * 0.06), fill=ink, width=max(2, int(w * 0.014)))


def _ornament_border(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], band: float,
                     main: Colour, gold: Colour) -> None:
    """A band of ``main`` with a repeating gold diamond-and-dot pattern, corner rosettes, inner rules."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=main)
    step = band * 3
    for horizontal in (True, False):
        length = (x1 - x0) if horizontal else (y1 - y0)
        count = int(length / step)
        for i in range(count):
            t = (i + 0.5) * length / count
            for edge in (0, 1):
                if horizontal:
                    cx, cy = x0 + t, (y0 + band / 2) if edge == 0 else (y1 - band / 2)
                else:
                    cx, cy = (x0 + band / 2) if edge == 0 else (x1 - band / 2), y0 + t
                r = band * 0.32
                draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=gold)
                draw.ellipse((cx - r * 0.3, cy - r * 0.3, cx + r * 0.3, cy + r * 0.3), fill=main)
    for cx, cy in ((x0 + band / 2, y0 + band / 2), (x1 - band / 2, y0 + band / 2), (x0 + band / 2, y1 - band / 2),
                   (x1 - band / 2, y1 - band / 2)):
        for k, colour in enumerate((gold, main, gold)):
            r = band * (0.95 - k * 0.25)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    inner = (x0 + band, y0 + band, x1 - band, y1 - band)
    draw.rectangle(inner, fill=(252, 246, 226))
    draw.rectangle((inner[0] + band * 0.2, inner[1] + band * 0.2, inner[2] - band * 0.2, inner[3] - band * 0.2),
                   outline=gold, width=max(2, int(band * 0.08)))
    draw.rectangle((inner[0] + band * 0.34, inner[1] + band * 0.34, inner[2] - band * 0.34, inner[3] - band * 0.34),
                   outline=main, width=max(1, int(band * 0.03)))


def draw_certificate(cert: Certificate, rng: random.Random) -> Image.Image:
    """A certificate on a desk, or a Cờ thi đua hanging from its rod (see :class:`Certificate`)."""
    w, h = LANDSCAPE[0] * SS, LANDSCAPE[1] * SS
    if cert.form == "flag":
        return _flag(cert, rng, w, h)
    desk = rng.choice([((150, 104, 70), (96, 62, 40)), ((120, 44, 40), (70, 22, 24)), ((70, 80, 96), (36, 42, 52))])
    image = _radial((w, h), *desk)
    pw, ph = w * 0.8, h * 0.8
    paper = Image.new("RGBA", (int(pw), int(ph)), (0, 0, 0, 0))
    pd = ImageDraw.Draw(paper)
    main, gold = BORDERS[cert.palette]
    band = ph * 0.06
    _ornament_border(pd, (0, 0, pw - 1, ph - 1), band, main, gold)
    cx = pw / 2
    width = pw - band * 3.5
    y = band * 1.5
    draw_r = ph * 0.045
    pd.ellipse((cx - draw_r, y, cx + draw_r, y + draw_r * 2), outline=gold, width=max(2, int(ph * 0.005)))
    _star(pd, cx, y + draw_r, draw_r * 0.7, main)
    y += draw_r * 2 + ph * 0.025
    issuer = _fit(pd, [_nfc(cert.issuer)], "DejaVuSerifCondensed-Bold", width * 0.9, ph * 0.034)
    pd.text((cx, y), _nfc(cert.issuer), font=issuer, fill=main, anchor="mt")
    y += issuer.size * 1.6
    title = _fit(pd, [_nfc(cert.title)], "DejaVuSerif-Bold", width * 0.8, ph * 0.11)
    pd.text((cx + ph * 0.003, y + ph * 0.003), _nfc(cert.title), font=title, fill=gold, anchor="mt")
    pd.text((cx, y), _nfc(cert.title), font=title, fill=main, anchor="mt")
    y += title.size * 1.25
    if cert.subtitle:
        sub = _fit(pd, [_nfc(cert.subtitle)], "DejaVuSerif-Bold", width * 0.85, ph * 0.045)
        pd.text((cx, y), _nfc(cert.subtitle), font=sub, fill=main, anchor="mt")
        y += sub.size * 1.5
    label = _font("DejaVuSerif-Italic", ph * 0.03)
    pd.text((cx, y), _nfc(cert.verb), font=label, fill=(60, 50, 40), anchor="mt")
    y += label.size * 1.5
    name = _fit(pd, [_nfc(cert.recipient)], "DejaVuSerif-Bold", width * 0.9, ph * 0.055)
    pd.text((cx, y), _nfc(cert.recipient), font=name, fill=(20, 40, 110), anchor="mt")
    y += name.size * 1.45
    body = _font("DejaVuSerif", ph * 0.03)
    if cert.detail:
        y = _wrapped_centre(pd, _nfc(cert.detail), body, cx, y, width * 0.95, (50, 40, 34))
    if cert.reason:
        y = _wrapped_centre(pd, _nfc(cert.reason), _font("DejaVuSerif-Italic", ph * 0.03), cx, y + ph * 0.01,
                            width * 0.95, (50, 40, 34))
    small = _font("DejaVuSerif-Italic", ph * 0.026)
    foot_y = ph - band * 1.5 - ph * 0.2
    if cert.place_date:
        pd.text((pw * 0.7, foot_y), _nfc(cert.place_date), font=small, fill=(50, 40, 34), anchor="mt")
    _signature(pd, rng, pw * 0.63, foot_y + ph * 0.1, pw * 0.13)
    seal = _seal(int(ph * 0.2), cert.seal or cert.issuer.removeprefix("CHỦ TỊCH ").removeprefix("CỦA "))
    paper.alpha_composite(seal, (int(pw * 0.56), int(foot_y + ph * 0.03)))
    if cert.decision:
        pd.text((band * 1.8, ph - band * 1.6), _nfc(cert.decision), font=_font("DejaVuSerif", ph * 0.024),
                fill=(60, 50, 40), anchor="ls")
    angle = rng.uniform(-2.2, 2.2)
    paper = paper.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    shadow = Image.new("RGBA", paper.size, (0, 0, 0, 0))
    shadow.paste((0, 0, 0, 120), mask=paper.getchannel("A"))
    shadow = shadow.filter(ImageFilter.GaussianBlur(h * 0.012))
    ox, oy = int((w - paper.width) / 2), int((h - paper.height) / 2)
    base = image.convert("RGBA")
    base.alpha_composite(shadow, (ox + int(h * 0.012), oy + int(h * 0.018)))
    base.alpha_composite(paper, (ox, oy))
    return base.convert("RGB")


def _flag(cert: Certificate, rng: random.Random, w: int, h: int) -> Image.Image:
    """A Cờ thi đua: a red banner with gold text and fringe, hanging from a gilded rod on a stand."""
    image = _radial((w, h), (236, 226, 206), (170, 150, 126), (0.5, 0.35))
    draw = ImageDraw.Draw(image)
    fx0, fx1, fy0, fy1 = w * 0.3, w * 0.7, h * 0.12, h * 0.8
    draw.rectangle((w * 0.26, h * 0.085, w * 0.74, h * 0.11), fill=(200, 160, 60))
    for x in (w * 0.255, w * 0.745):
        draw.ellipse((x - h * 0.022, h * 0.075, x + h * 0.022, h * 0.12), fill=(220, 180, 70))
    draw.rectangle((fx0, fy0, fx1, fy1), fill=(200, 22, 30))
    for i in range(7):  # folds
        x = fx0 + (fx1 - fx0) * (i + 0.5) / 7
        draw.rectangle((x - w * 0.006, fy0, x + w * 0.006, fy1), fill=(184, 16, 26))
    fringe = h * 0.05
    for i in range(int((fx1 - fx0) / (h * 0.012))):
        x = fx0 + i * h * 0.012
        draw.line((x, fy1, x, fy1 + fringe), fill=(230, 190, 70), width=int(h * 0.005))
    draw.rectangle((fx0, fy1 - h * 0.012, fx1, fy1 + h * 0.004), fill=(230, 190, 70))
    draw.rectangle((fx0 + w * 0.012, fy0 + h * 0.02, fx1 - w * 0.012, fy1 - h * 0.03), outline=(240, 200, 80),
                   width=int(h * 0.004))
    gold = (252, 214, 80)
    cx, width = w / 2, (fx1 - fx0) * 0.86
    y = fy0 + h * 0.05
    _star(draw, cx, y + h * 0.04, h * 0.04, gold)
    y += h * 0.1
    title = _fit(draw, [_nfc(cert.title)], "DejaVuSerif-Bold", width, h * 0.075)
    draw.text((cx, y), _nfc(cert.title), font=title, fill=gold, anchor="mt")
    y += title.size * 1.35
    issuer = _fit(draw, [_nfc(cert.issuer)], "DejaVuSerifCondensed-Bold", width, h * 0.026, h * 0.02)
    y = _wrapped_centre(draw, _nfc(cert.issuer), issuer, cx, y, width, gold)
    y += h * 0.02
    draw.text((cx, y), "TẶNG", font=_font("DejaVuSerif-Bold", h * 0.024), fill=gold, anchor="mt")
    y += h * 0.045
    for text, size, fill in ((cert.recipient.upper(), 0.036, (255, 240, 200)), (cert.reason, 0.026, gold)):
        lines = _nfc(text).split("\n") if text else []  # a flag's lines are set by hand: "…\n…"
        face = _fit(draw, lines, "DejaVuSerifCondensed-Bold", width, h * size)
        for line in lines:
            draw.text((cx, y), line, font=face, fill=fill, anchor="mt")
            y += face.size * 1.25
        y += h * 0.015
    if cert.place_date:
        draw.text((cx, fy1 - h * 0.06), _nfc(cert.place_date), font=_font("DejaVuSerifCondensed-Italic", h * 0.022),
                  fill=gold, anchor="mt")
    draw.line((w / 2, h * 0.085, w / 2, h * 0.03), fill=(120, 90, 40), width=int(h * 0.006))
    for side in (-1, 1):  # tassels
        tx = w / 2 + side * w * 0.23
        draw.line((tx, h * 0.11, tx, h * 0.3), fill=(230, 190, 70), width=int(h * 0.004))
        draw.polygon([(tx - h * 0.012, h * 0.3), (tx + h * 0.012, h * 0.3), (tx + h * 0.02, h * 0.36),
                      (tx - h * 0.02, h * 0.36)], fill=(230, 190, 70))
    for i in range(5):
        _flower_pot(draw, rng, w * (0.12 + 0.19 * i), h * 0.99, w * 0.11)
    return image


# Portraits and emblems ----------------------------------------------------------------------------------


def draw_portrait(portrait: Portrait, rng: random.Random) -> Image.Image:
    """An avatar silhouette on a soft gradient (see :class:`Portrait`)."""
    w, h = PORTRAIT[0] * SS, PORTRAIT[1] * SS
    hue = portrait.hue + rng.uniform(-8, 8)
    image = _radial((w, h), _hsv(hue, 0.22, 0.96), _hsv(hue + 20, 0.55, 0.62), (0.5, 0.38))
    draw = ImageDraw.Draw(image)
    cx = w / 2
    head_r = w * 0.16
    head_y = h * 0.40
    sh = h * 0.585  # the shoulder line
    tone = _hsv(hue + 180, 0.12, 0.9)  # the silhouette: one light tone, no features
    hair = _hsv(hue + 190, 0.2, 0.32)
    garments = {"suit": (40, 48, 72), "shirt": (236, 240, 246), "coat": (250, 251, 252), "uniform": (84, 104, 60),
                "ao-dai": rng.choice([(196, 40, 52), (40, 96, 176), (150, 60, 140)]), "blouse": (200, 120, 150)}
    garment = garments[portrait.attire]
    if portrait.hair == "long":
        draw.rounded_rectangle((cx - head_r * 1.15, head_y - head_r * 1.05, cx + head_r * 1.15, head_y + head_r * 2.0),
                               radius=head_r, fill=hair)
    draw.rectangle((cx - head_r * 0.42, head_y + head_r * 0.6, cx + head_r * 0.42, sh + h * 0.03),
                   fill=_shade(tone, -0.08))
    draw.ellipse((cx - w * 0.42, sh, cx + w * 0.42, sh + h * 0.62), fill=garment)
    if portrait.attire in ("suit", "coat", "uniform"):
        inner = (236, 240, 246) if portrait.attire != "uniform" else (96, 118, 70)
        draw.polygon([(cx - w * 0.09, sh + h * 0.005), (cx + w * 0.09, sh + h * 0.005), (cx, sh + h * 0.17)],
                     fill=inner)
        if portrait.attire == "suit":
            draw.polygon([(cx - w * 0.02, sh + h * 0.02), (cx + w * 0.02, sh + h * 0.02),
                          (cx + w * 0.03, sh + h * 0.13),
                          (cx, sh + h * 0.16), (cx - w * 0.03, sh + h * 0.13)], fill=(150, 30, 40))
        lapel = _shade(garment, -0.12)
        for side in (-1, 1):
            draw.polygon([(cx + side * w * 0.09, sh + h * 0.005), (cx + side * w * 0.17, sh + h * 0.03),
                          (cx + side * w * 0.03, sh + h * 0.27)], fill=lapel)
        if portrait.attire == "uniform":
            for side in (-1, 1):
                draw.rectangle((cx + side * w * 0.13 - w * 0.025, sh + h * 0.035, cx + side * w * 0.13 + w * 0.025,
                                sh + h * 0.06), fill=(200, 40, 40))
    elif portrait.attire == "ao-dai":  # the high collar
        draw.rounded_rectangle((cx - head_r * 0.5, sh - h * 0.035, cx + head_r * 0.5, sh + h * 0.03),
                               radius=head_r * 0.1, fill=garment)
    else:
        draw.polygon([(cx - w * 0.06, sh + h * 0.005), (cx + w * 0.06, sh + h * 0.005), (cx, sh + h * 0.07)],
                     fill=_shade(tone, -0.1))
    draw.ellipse((cx - head_r, head_y - head_r * 1.12, cx + head_r, head_y + head_r * 1.12), fill=tone)
    if portrait.hair == "bun":
        draw.ellipse((cx - head_r * 0.45, head_y - head_r * 1.55, cx + head_r * 0.45, head_y - head_r * 0.75),
                     fill=hair)
    draw.pieslice((cx - head_r * 1.06, head_y - head_r * 1.2, cx + head_r * 1.06, head_y + head_r * 0.9), 180, 360,
                  fill=hair)
    if portrait.hair == "short":
        for side in (-1, 1):
            draw.rectangle((cx + side * head_r * 0.96 - head_r * 0.1, head_y - head_r * 0.16,
                            cx + side * head_r * 0.96 + head_r * 0.1, head_y + head_r * 0.2), fill=hair)
    return image


def _shield(cx: float, top: float, w: float, h: float) -> list[tuple[float, float]]:
    """A heater shield: a straight top, straight sides for 40 %, then curves meeting in a point."""
    right = [(cx + w / 2, top), (cx + w / 2, top + h * 0.4)]
    for i in range(1, 21):  # a quadratic curve from the side to the point
        t = i / 20
        p0, p1, p2 = (cx + w / 2, top + h * 0.4), (cx + w / 2, top + h * 0.8), (cx, top + h)
        right.append(((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
                      (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1]))
    left = [(2 * cx - x, y) for x, y in reversed(right[:-1])]
    return right + left


def draw_emblem(emblem: Emblem, rng: random.Random) -> Image.Image:
    """A shield or a star badge with the initials, and a ribbon with the short name (see :class:`Emblem`)."""
    w = h = SQUARE[0] * SS
    hue = emblem.hue + rng.uniform(-6, 6)
    image = _radial((w, h), _hsv(hue, 0.12, 0.98), _hsv(hue, 0.35, 0.8), (0.5, 0.42))
    draw = ImageDraw.Draw(image)
    main = _hsv(hue, 0.82, 0.72)
    gold = (232, 188, 70)
    cx = w / 2
    initials = _nfc(emblem.initials)
    if emblem.shape == "shield":
        outer = _shield(cx, h * 0.12, w * 0.6, h * 0.66)
        draw.polygon(outer, fill=gold)
        draw.polygon(_shield(cx, h * 0.145, w * 0.54, h * 0.605), fill=main)
        draw.polygon(_shield(cx, h * 0.165, w * 0.5, h * 0.57), outline=gold, width=int(w * 0.006))
        _star(draw, cx, h * 0.25, w * 0.045, gold)
        face = _fit(draw, [initials], "DejaVuSans-Bold", w * 0.38, w * 0.2)
        draw.text((cx, h * 0.44), initials, font=face, fill=(255, 255, 255), anchor="mm")
        ribbon_y = h * 0.78
    else:
        for i in range(7):  # an arc of small stars over the badge
            angle = math.radians(i * 30 - 180)
            _star(draw, cx + w * 0.34 * math.cos(angle), h * 0.42 + w * 0.34 * math.sin(angle), w * 0.022, gold)
        draw.ellipse((cx - w * 0.3, h * 0.12, cx + w * 0.3, h * 0.72), fill=gold)
        draw.ellipse((cx - w * 0.27, h * 0.15, cx + w * 0.27, h * 0.69), fill=main)
        draw.ellipse((cx - w * 0.235, h * 0.185, cx + w * 0.235, h * 0.655), outline=gold, width=int(w * 0.006))
        _star(draw, cx, h * 0.33, w * 0.11, gold)
        face = _fit(draw, [initials], "DejaVuSans-Bold", w * 0.34, w * 0.13)
        draw.text((cx, h * 0.53), initials, font=face, fill=(255, 255, 255), anchor="mm")
        ribbon_y = h * 0.76
    label = _nfc(emblem.label)
    face = _fit(draw, [label], "DejaVuSansCondensed-Bold", w * 0.62, w * 0.05)
    rw = max(draw.textlength(label, font=face) / 2 + w * 0.06, w * 0.25)
    rh = face.size * 1.8
    for side in (-1, 1):  # ribbon tails
        draw.polygon([(cx + side * rw * 0.9, ribbon_y + rh * 0.25), (cx + side * (rw + w * 0.08), ribbon_y + rh * 0.25),
                      (cx + side * (rw + w * 0.05), ribbon_y + rh * 0.75), (cx + side * (rw + w * 0.08),
                                                                            ribbon_y + rh * 1.25),
                      (cx + side * rw * 0.9, ribbon_y + rh * 1.25)], fill=_shade(main, -0.3))
    draw.rectangle((cx - rw, ribbon_y, cx + rw, ribbon_y + rh), fill=_shade(main, -0.1))
    draw.rectangle((cx - rw, ribbon_y, cx + rw, ribbon_y + rh), outline=gold, width=int(w * 0.004))
    draw.text((cx, ribbon_y + rh / 2), label, font=face, fill=(255, 255, 255), anchor="mm")
    return image


# Decisions ----------------------------------------------------------------------------------------------


def draw_decision(decision: Decision, rng: random.Random) -> Image.Image:
    """One A4 page at 150 dpi, typed, signed and sealed, then made to look scanned."""
    w, h = A4
    page = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(page)
    regular = _font("DejaVuSerif", 25)
    bold = _font("DejaVuSerif-Bold", 25)
    italic = _font("DejaVuSerif-Italic", 25)
    small = _font("DejaVuSerif", 20)
    black = (16, 16, 16)
    left, right = 150, w - 110
    lc, rc = 330, 860
    d.text((right, 40), NOTICE, font=_font("DejaVuSans-Oblique", 18), fill=(60, 60, 60), anchor="ra")
    d.text((lc, 110), "ỦY BAN NHÂN DÂN", font=regular, fill=black, anchor="mt")
    d.text((lc, 142), _nfc(decision.authority), font=bold, fill=black, anchor="mt")
    d.line((lc - 60, 180, lc + 60, 180), fill=black, width=2)
    d.text((lc, 200), f"Số: {_nfc(decision.number)}", font=regular, fill=black, anchor="mt")
    heading = _fit(d, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], "DejaVuSerif-Bold", 560, 24)
    d.text((rc, 110), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=heading, fill=black, anchor="mt")
    d.text((rc, 142), "Độc lập - Tự do - Hạnh phúc", font=bold, fill=black, anchor="mt")
    motto = d.textlength("Độc lập - Tự do - Hạnh phúc", font=bold)
    d.line((rc - motto / 2, 178, rc + motto / 2, 178), fill=black, width=2)
    when = f"{_nfc(decision.place)}, ngày {decision.day.day:02d} tháng {decision.day.month:02d} năm {decision.day.year}"
    d.text((rc, 200), when, font=italic, fill=black, anchor="mt")
    y = 300
    d.text((w / 2, y), "QUYẾT ĐỊNH", font=_font("DejaVuSerif-Bold", 32), fill=black, anchor="mt")
    y += 48
    y = _wrapped_centre(d, _nfc(decision.subject), bold, w / 2, y, 960, black, 1.35)
    d.line((w / 2 - 90, y + 6, w / 2 + 90, y + 6), fill=black, width=2)
    y += 36
    d.text((w / 2, y), f"CHỦ TỊCH ỦY BAN NHÂN DÂN {_nfc(decision.authority)}", font=bold, fill=black, anchor="mt")
    y += 64
    width = right - left
    for paragraph, face in [*((g, italic) for g in decision.grounds), ("", bold)]:
        if not paragraph:  # the operative part
            d.text((w / 2, y + 10), "QUYẾT ĐỊNH:", font=bold, fill=black, anchor="mt")
            y += 70
            break
        for i, line in enumerate(_wrap(d, _nfc(paragraph), face, width, 60)):
            d.text((left + (60 if i == 0 else 0), y), line, font=face, fill=black)
            y += 38
        y += 6
    for label, text in (("Điều 1.", decision.article1), ("Điều 2.", decision.article2),
                        ("Điều 3.", ARTICLE3)):
        lines = _wrap(d, f"{label} {_nfc(text)}", regular, width, 60)
        for i, line in enumerate(lines):
            x = left + (60 if i == 0 else 0)
            if i == 0:
                d.text((x, y), label, font=bold, fill=black)
                d.text((x + d.textlength(label + " ", font=bold), y), line[len(label) + 1:], font=regular, fill=black)
            else:
                d.text((x, y), line, font=regular, fill=black)
            y += 38
        y += 6
    y += 40
    d.text((left, y), "Nơi nhận:", font=_font("DejaVuSerif-BoldItalic", 21), fill=black)
    for i, line in enumerate(("- Như Điều 3;", "- Ban Thi đua - Khen thưởng tỉnh;", "- Lưu: VT, TĐKT.")):
        d.text((left, y + 34 + i * 28), line, font=small, fill=black)
    sx = 880
    for i, line in enumerate(decision.signer_title):
        d.text((sx, y + i * 36), _nfc(line), font=bold, fill=black, anchor="mt")
    sig_y = y + 36 * len(decision.signer_title) + 80
    _signature(d, rng, sx - 90, sig_y, 180)
    seal = _seal(210, f"ỦY BAN NHÂN DÂN {decision.authority}")
    page.paste(seal, (sx - 235, int(sig_y - 75)), seal)
    d.text((sx, sig_y + 140), _nfc(decision.signer), font=bold, fill=black, anchor="mt")
    return _scanned(page, rng)


def _scanned(page: Image.Image, rng: random.Random) -> Image.Image:
    """A black-and-white office scan: a slight skew, softened then thresholded edges, specks of dust.

    Bilevel, the page is stored in the PDF as CCITT G4, as office scanners do: about 20 KB a page, where a
    JPEG of the same page takes 150 KB (text is what JPEG encodes worst).
    """
    w, h = page.size
    grey = page.convert("L").rotate(rng.uniform(-0.6, 0.6), resample=Image.Resampling.BICUBIC, fillcolor=255)
    grey = grey.filter(ImageFilter.GaussianBlur(0.7))
    draw = ImageDraw.Draw(grey)
    for _ in range(rng.randint(25, 45)):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.6, 1.8)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    edge = rng.randint(4, 9)  # the shadow of the sheet's edge on the scanner glass
    draw.rectangle((0, 0, w, edge) if rng.random() < 0.5 else (w - edge, 0, w, h), fill=30)
    return grey.point(lambda v: 255 if v > 165 else 0).convert("1", dither=Image.Dither.NONE)


# Writing ------------------------------------------------------------------------------------------------


def render(item: Media, seed: int = SEED) -> bytes:
    """The bytes of one file; its randomness comes from the seed and its own path only."""
    rng = random.Random(f"{seed}:{item.path}")
    out = io.BytesIO()
    if isinstance(item, Decision):
        page = draw_decision(item, rng)
        stamp = time.struct_time((item.day.year, item.day.month, item.day.day, 8, 0, 0, 0, 1, 0))
        page.save(out, "PDF", resolution=150.0, title=f"Quyết định số {item.number}",
                  author=f"Ủy ban nhân dân {_nfc(item.authority).lower().split(' ', 1)[0]} "
                       f"{_nfc(item.authority).split(' ', 1)[1].title()} (văn bản minh họa)",
                  creationDate=stamp, modDate=stamp)
        return out.getvalue()
    drawers = {Scene: draw_scene, Certificate: draw_certificate, Portrait: draw_portrait, Emblem: draw_emblem}
    image = drawers[type(item)](item, rng)
    size = (image.width // SS, image.height // SS)
    image = image.resize(size, Image.Resampling.LANCZOS)
    image = image.filter(ImageFilter.GaussianBlur(SOFTEN["landscape" if isinstance(item, (Scene, Certificate))
                                                         else "square"]))
    image.save(out, "JPEG", **JPEG)
    return out.getvalue()


def generate(content: Path, seed: int = SEED, only: tuple[str, ...] = (), workers: int | None = None) -> SampleReport:
    """Write every file of :data:`MEDIA` under ``content``; a file whose bytes are unchanged is not touched.

    ``only``: paths (or substrings of them) to draw, for a quick look at a few. Files are drawn on all cores
    (``workers``); each depends on the seed and its own path only, so the order of work changes nothing.
    """
    items = [item for item in MEDIA if not only or any(part in item.path for part in only)]
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        rendered = list(pool.map(render, items, [seed] * len(items)))
    changed = []
    for item, data in zip(items, rendered):
        target = content / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
            changed.append(item.path)
    return SampleReport(tuple(item.path for item in items), sum(map(len, rendered)), tuple(changed))


# The sample portal's media ------------------------------------------------------------------------------

ARTICLE3 = ("Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, thủ trưởng các cơ quan, đơn vị có liên quan "
            "và những người có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.")
_GROUNDS_2003 = (
    "Căn cứ Luật Tổ chức chính quyền địa phương;",
    "Căn cứ Luật Thi đua, Khen thưởng và các văn bản quy định chi tiết, hướng dẫn thi hành;",
)
_GROUNDS_2022 = (
    "Căn cứ Luật Tổ chức chính quyền địa phương;",
    ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022 và Nghị định số 98/2023/NĐ-CP quy định chi tiết "
     "thi hành một số điều của Luật;"),
)

DECISIONS: tuple[Decision, ...] = (
    Decision("documents/qd-826-ubnd-lao-cai-2017.pdf", "TỈNH LÀO CAI", "826/QĐ-UBND", "Lào Cai", date(2017, 3, 24),
             "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
             (*_GROUNDS_2003, ("Xét đề nghị của Trưởng ban Ban Thi đua - Khen thưởng tỉnh tại Tờ trình số 61/TTr-BTĐKT "
                              "ngày 15 tháng 3 năm 2017,")),
             "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho ông Dương Văn Lộc, Giám đốc Hợp tác xã Dịch vụ "
             "Nông nghiệp Phong Niên, huyện Bảo Thắng, đã có thành tích xuất sắc trong phong trào thi đua “Cả nước "
             "chung sức xây dựng nông thôn mới” năm 2016.",
             "Cá nhân có tên tại Điều 1 được tặng Bằng khen và tiền thưởng theo quy định hiện hành.",
             ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Hoàng Minh Khuê"),
    Decision("documents/qd-215-ubnd-kon-tum-2019.pdf", "TỈNH KON TUM", "215/QĐ-UBND", "Kon Tum", date(2019, 2, 26),
             "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
             (*_GROUNDS_2003, ("Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 118/TTr-SNV ngày 20 tháng 02 năm "
                              "2019,")),
             "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho ông A Ngọc, Trưởng thôn, xã Măng Cành, huyện Kon "
             "Plông, đã có thành tích xuất sắc trong phong trào thi đua “Cả nước chung tay vì người nghèo - Không để "
             "ai bị bỏ lại phía sau” năm 2018.",
             "Cá nhân có tên tại Điều 1 được tặng Bằng khen và tiền thưởng theo quy định hiện hành.",
             ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Trần Quang Vĩnh"),
    Decision("documents/qd-3968-ubnd-quang-ninh-2019.pdf", "TỈNH QUẢNG NINH", "3968/QĐ-UBND", "Quảng Ninh",
             date(2019, 11, 12), "Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh",
             (*_GROUNDS_2003, ("Xét đề nghị của Chủ tịch Ủy ban nhân dân thành phố Móng Cái và Trưởng ban Ban Thi đua "
                              "- Khen thưởng tỉnh,")),
             "Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh cho bà Đinh Thị Thanh Xuân, Giáo viên Trường Tiểu học Kim Đồng, "
             "thành phố Móng Cái, đã có thành tích tiêu biểu xuất sắc trong phong trào thi đua “Đổi mới, sáng tạo "
             "trong dạy và học”, ba năm liên tục đạt danh hiệu Chiến sĩ thi đua cơ sở.",
             "Cá nhân có tên tại Điều 1 được tặng Bằng chứng nhận và tiền thưởng theo quy định hiện hành.",
             ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Lương Văn Toản"),
    Decision("documents/qd-3512-ubnd-nghe-an-2021.pdf", "TỈNH NGHỆ AN", "3512/QĐ-UBND", "Nghệ An", date(2021, 10, 15),
             "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
             (*_GROUNDS_2003, "Xét đề nghị của Giám đốc Sở Y tế và Trưởng ban Ban Thi đua - Khen thưởng tỉnh,"),
             "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho bác sĩ Trần Văn Hưng, Khoa Hồi sức cấp cứu, Trung "
             "tâm Y tế huyện Nghi Lộc, đã có thành tích xuất sắc trong thực hiện nhiệm vụ chi viện Thành phố Hồ Chí "
             "Minh phòng, chống dịch COVID-19 năm 2021.",
             "Cá nhân có tên tại Điều 1 được tặng Bằng khen và tiền thưởng theo quy định hiện hành.",
             ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Nguyễn Đình Khải"),
    Decision("documents/qd-98-ubnd-quang-ninh-2024.pdf", "TỈNH QUẢNG NINH", "98/QĐ-UBND", "Quảng Ninh",
             date(2024, 1, 12), "Về việc tặng Cờ thi đua của Ủy ban nhân dân tỉnh",
             (*_GROUNDS_2022, ("Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 05/TTr-SNV ngày 08 tháng 01 năm "
                              "2024,")),
             "Tặng Cờ thi đua của Ủy ban nhân dân tỉnh cho Trường Tiểu học Kim Đồng, thành phố Móng Cái, đơn vị đã "
             "hoàn thành xuất sắc nhiệm vụ, dẫn đầu phong trào thi đua năm 2023.",
             "Tập thể có tên tại Điều 1 được tặng Cờ thi đua và tiền thưởng theo quy định hiện hành.",
             ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Đặng Thu Loan"),
)

_QN = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"
_DN = "Doanh nghiệp giỏi, cơ quan, đơn vị văn hóa"
_TRI_AN = ("GẶP MẶT, TRI ÂN CÁC TẬP THỂ, CÁ NHÂN", "CÓ NHIỀU CỐNG HIẾN CHO QUÊ HƯƠNG")
_TRI_AN_KICKER = "THÀNH PHỐ MÓNG CÁI"
_TRI_AN_FOOTER = "Chào mừng 60 năm thành lập tỉnh Quảng Ninh và 15 năm thành lập thành phố Móng Cái"

SCENES: tuple[Scene, ...] = (
    # 2016
    Scene("images/2016/phat-dong-thi-dua-cum-bien-gioi-phia-bac.jpg", "podium",
          ("HỘI NGHỊ PHÁT ĐỘNG PHONG TRÀO THI ĐUA", "NĂM 2016"),
          "CỤM THI ĐUA CÁC TỈNH MIỀN NÚI BIÊN GIỚI PHÍA BẮC", "Hoàn thành thắng lợi nhiệm vụ năm 2016",
          palette="red", extras=("flag",)),
    # 2017
    Scene("images/2017/ky-giao-uoc-cum-bien-gioi-phia-bac-2017.jpg", "signing",
          ("TỔNG KẾT CÔNG TÁC THI ĐUA, KHEN THƯỞNG NĂM 2016", "KÝ KẾT GIAO ƯỚC THI ĐUA NĂM 2017"),
          "CỤM THI ĐUA CÁC TỈNH MIỀN NÚI BIÊN GIỚI PHÍA BẮC", palette="crimson", extras=("flag",)),
    Scene("images/2017/phat-dong-chung-tay-vi-nguoi-ngheo.jpg", "podium",
          ("CẢ NƯỚC CHUNG TAY VÌ NGƯỜI NGHÈO", "KHÔNG ĐỂ AI BỊ BỎ LẠI PHÍA SAU"), "PHONG TRÀO THI ĐUA",
          "Giai đoạn 2016 - 2020", palette="scarlet"),
    Scene("images/2017/ton-vinh-doanh-nghiep-gioi-quang-ninh-1.jpg", "stage",
          ("LỄ TÔN VINH DOANH NGHIỆP GIỎI,", "CƠ QUAN, ĐƠN VỊ VĂN HÓA NĂM 2016"), _QN, palette="red", extras=("flag",)),
    Scene("images/2017/ton-vinh-doanh-nghiep-gioi-quang-ninh-2.jpg", "podium",
          ("LỄ TÔN VINH DOANH NGHIỆP GIỎI,", "CƠ QUAN, ĐƠN VỊ VĂN HÓA NĂM 2016"), _QN, palette="red"),
    Scene("images/2017/ton-vinh-doanh-nghiep-gioi-quang-ninh-4.jpg", "performance",
          ("LỄ TÔN VINH DOANH NGHIỆP GIỎI,", "CƠ QUAN, ĐƠN VỊ VĂN HÓA NĂM 2016"), _QN, palette="crimson"),
    Scene("images/2017/ton-vinh-doanh-nghiep-gioi-quang-ninh-5.jpg", "stage",
          ("LỄ TÔN VINH DOANH NGHIỆP GIỎI,", "CƠ QUAN, ĐƠN VỊ VĂN HÓA NĂM 2016"), _QN, palette="scarlet",
          extras=("pennants",)),
    Scene("images/2017/ton-vinh-doanh-nghiep-gioi-quang-ninh-6.jpg", "hall",
          ("LỄ TÔN VINH DOANH NGHIỆP GIỎI,", "CƠ QUAN, ĐƠN VỊ VĂN HÓA NĂM 2016"), _QN, palette="red"),
    # 2018
    Scene("images/2018/ky-niem-70-nam-loi-keu-goi-thi-dua-ai-quoc.jpg", "hall",
          ("KỶ NIỆM 70 NĂM NGÀY CHỦ TỊCH HỒ CHÍ MINH", "RA LỜI KÊU GỌI THI ĐUA ÁI QUỐC"), "",
          "11/6/1948 - 11/6/2018", palette="red", attire="teachers"),
    Scene("images/2018/tong-ket-thi-dua-quang-ninh-2017.jpg", "hall",
          ("HỘI NGHỊ TỔNG KẾT CÔNG TÁC", "THI ĐUA, KHEN THƯỞNG NĂM 2017"), _QN, palette="crimson"),
    # 2019
    Scene("images/2019/tong-ket-cum-tay-nguyen-duyen-hai-mien-trung-2018.jpg", "stage",
          ("HỘI NGHỊ TỔNG KẾT PHONG TRÀO THI ĐUA NĂM 2018", "TRIỂN KHAI NHIỆM VỤ NĂM 2019"),
          "CỤM THI ĐUA CÁC TỈNH TÂY NGUYÊN VÀ DUYÊN HẢI MIỀN TRUNG", palette="red", extras=("flag",)),
    # 2020
    Scene("images/2020/lang-son-tong-ket-vi-nguoi-ngheo-2016-2020.jpg", "stage",
          ("TỔNG KẾT 5 NĂM PHONG TRÀO THI ĐUA", "“CẢ NƯỚC CHUNG TAY VÌ NGƯỜI NGHÈO”"), "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
          "Giai đoạn 2016 - 2020", palette="scarlet"),
    Scene("images/2020/lao-cai-tong-ket-10-nam-nong-thon-moi.jpg", "stage",
          ("TỔNG KẾT 10 NĂM THỰC HIỆN CHƯƠNG TRÌNH", "XÂY DỰNG NÔNG THÔN MỚI"), "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
          "Giai đoạn 2010 - 2020", palette="red", extras=("flag",)),
    # 2021
    Scene("images/2021/bien-phong-mong-cai-cot-moc.jpg", "outdoor",
          ("CHUNG TAY GIỮ VỮNG BIÊN GIỚI", "PHÒNG, CHỐNG DỊCH COVID-19"), "ĐỒN BIÊN PHÒNG CỬA KHẨU QUỐC TẾ MÓNG CÁI",
          palette="red", attire="military", extras=("marker",)),
    Scene("images/2021/nghe-an-don-doan-y-bac-si-chi-vien.jpg", "stage",
          ("LỄ ĐÓN VÀ KHEN THƯỞNG ĐOÀN CÁN BỘ Y TẾ", "CHI VIỆN THÀNH PHỐ HỒ CHÍ MINH"), "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
          palette="blue", attire="medical"),
    Scene("images/2021/phat-dong-thi-dua-dac-biet-phong-chong-covid-19.jpg", "podium",
          ("CẢ NƯỚC ĐOÀN KẾT, CHUNG SỨC, ĐỒNG LÒNG", "THI ĐUA PHÒNG, CHỐNG VÀ CHIẾN THẮNG", "ĐẠI DỊCH COVID-19"),
          "PHONG TRÀO THI ĐUA ĐẶC BIỆT", palette="red", attire="medical", extras=("flag",)),
    # 2022
    Scene("images/2022/mong-cai-phat-dong-thi-dua-dac-biet-60-nam.jpg", "signing",
          ("LỄ PHÁT ĐỘNG PHONG TRÀO THI ĐUA ĐẶC BIỆT", "CHÀO MỪNG 60 NĂM THÀNH LẬP TỈNH QUẢNG NINH"),
          "THÀNH PHỐ MÓNG CÁI", "30/10/1963 - 30/10/2023", palette="red", extras=("flag",)),
    # 2023
    Scene("images/2023/ky-niem-75-nam-phat-dong-xa-hoi-hoc-tap.jpg", "hall",
          ("CẢ NƯỚC THI ĐUA XÂY DỰNG XÃ HỘI HỌC TẬP,", "ĐẨY MẠNH HỌC TẬP SUỐT ĐỜI"),
          "KỶ NIỆM 75 NĂM NGÀY CHỦ TỊCH HỒ CHÍ MINH RA LỜI KÊU GỌI THI ĐUA ÁI QUỐC", "Giai đoạn 2023 - 2030",
          palette="red", attire="teachers"),
    Scene("images/2023/ky-giao-uoc-cum-tay-nguyen-duyen-hai-mien-trung-2023.jpg", "signing",
          ("TỔNG KẾT GIAO ƯỚC THI ĐUA NĂM 2022", "KÝ KẾT GIAO ƯỚC THI ĐUA NĂM 2023"),
          "CỤM THI ĐUA CÁC TỈNH TÂY NGUYÊN VÀ DUYÊN HẢI MIỀN TRUNG", "Buôn Ma Thuột, tháng 3 năm 2023",
          palette="crimson", extras=("flag",)),
    Scene("images/2023/mong-cai-tri-an-1.jpg", "stage", _TRI_AN, _TRI_AN_KICKER, _TRI_AN_FOOTER, palette="red",
          extras=("flag",)),
    Scene("images/2023/mong-cai-tri-an-2.jpg", "podium", _TRI_AN, _TRI_AN_KICKER, _TRI_AN_FOOTER, palette="red"),
    Scene("images/2023/mong-cai-tri-an-3.jpg", "hall", _TRI_AN, _TRI_AN_KICKER, _TRI_AN_FOOTER, palette="crimson"),
    Scene("images/2023/mong-cai-tri-an-5.jpg", "stage", _TRI_AN, _TRI_AN_KICKER, _TRI_AN_FOOTER, palette="scarlet",
          extras=("pennants",)),
    Scene("images/2023/mong-cai-tri-an-6.jpg", "performance", _TRI_AN, _TRI_AN_KICKER, _TRI_AN_FOOTER, palette="red"),
    Scene("images/2023/mong-cai-tong-ket-thi-dua-dac-biet-60-nam.jpg", "stage",
          ("TỔNG KẾT PHONG TRÀO THI ĐUA ĐẶC BIỆT", "CHÀO MỪNG 60 NĂM THÀNH LẬP TỈNH QUẢNG NINH"), "THÀNH PHỐ MÓNG CÁI",
          palette="crimson", extras=("pennants",)),
    Scene("images/2023/mong-cai-cong-trinh-gan-bien-chao-mung.jpg", "outdoor",
          ("LỄ GẮN BIỂN CÔNG TRÌNH", "CHÀO MỪNG 60 NĂM THÀNH LẬP TỈNH QUẢNG NINH"), "THÀNH PHỐ MÓNG CÁI",
          palette="red", extras=("plaque",),
          plaque=("CÔNG TRÌNH", "CHÀO MỪNG 60 NĂM", "THÀNH LẬP TỈNH QUẢNG NINH", "1963 - 2023")),
    # 2024
    Scene("images/2024/ra-quan-450-ngay-dem-xoa-nha-tam.jpg", "outdoor",
          ("RA QUÂN ĐỢT THI ĐUA CAO ĐIỂM", "450 NGÀY ĐÊM", "XÓA NHÀ TẠM, NHÀ DỘT NÁT"), "", "Từ ngày 5/10/2024",
          palette="scarlet", extras=("house",)),
    # 2025
    Scene("images/2025/dai-hoi-thi-dua-yeu-nuoc-toan-quoc-xi.jpg", "hall",
          ("ĐẠI HỘI THI ĐUA YÊU NƯỚC TOÀN QUỐC", "LẦN THỨ XI"), "", "Giai đoạn 2021 - 2025", palette="red",
          extras=("flag",)),
    Scene("images/2025/dai-hoi-thi-dua-yeu-nuoc-toan-quoc-xi-ton-vinh.jpg", "stage",
          ("ĐẠI HỘI THI ĐUA YÊU NƯỚC TOÀN QUỐC", "LẦN THỨ XI"), "TÔN VINH ĐIỂN HÌNH TIÊN TIẾN", "Giai đoạn 2021 - 2025",
          palette="scarlet", extras=("flag",)),
    Scene("images/2025/mong-cai-tong-ket-khoi-thi-dua-2024.jpg", "signing",
          ("HỘI NGHỊ TỔNG KẾT CÔNG TÁC THI ĐUA,", "KHEN THƯỞNG NĂM 2024"), "CÁC KHỐI THI ĐUA THÀNH PHỐ MÓNG CÁI",
          palette="crimson"),
    Scene("images/2025/phat-dong-doi-moi-sang-tao-chuyen-doi-so.jpg", "podium",
          ("CẢ NƯỚC THI ĐUA ĐỔI MỚI SÁNG TẠO", "VÀ CHUYỂN ĐỔI SỐ"), "PHÁT ĐỘNG PHONG TRÀO THI ĐUA", palette="blue"),
    Scene("images/2025/ban-giao-nha-dai-doan-ket.jpg", "outdoor",
          ("LỄ BÀN GIAO NHÀ ĐẠI ĐOÀN KẾT",), "CHUNG TAY XÓA NHÀ TẠM, NHÀ DỘT NÁT", palette="red", extras=("house",)),
)

CERTIFICATES: tuple[Certificate, ...] = (
    Certificate("images/2016/giay-khen-hop-tac-xa-phong-nien.jpg", "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN BẢO THẮNG",
                "GIẤY KHEN", "Hợp tác xã Dịch vụ Nông nghiệp Phong Niên",
                reason="Đã có thành tích trong phong trào thi đua xây dựng nông thôn mới năm 2016",
                place_date="Bảo Thắng, tháng 12 năm 2016", palette="blue"),
    Certificate("images/2017/bang-khen-duong-van-loc.jpg", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "BẰNG KHEN",
                "Ông Dương Văn Lộc", "Giám đốc Hợp tác xã Dịch vụ Nông nghiệp Phong Niên, huyện Bảo Thắng",
                "Đã có thành tích xuất sắc trong phong trào thi đua xây dựng nông thôn mới năm 2016",
                "Lào Cai, ngày 24 tháng 3 năm 2017", "Quyết định số 826/QĐ-UBND"),
    Certificate("images/2017/ton-vinh-doanh-nghiep-gioi-quang-ninh-3.jpg", "CỦA ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
                "CỜ THI ĐUA", "Công ty Cổ phần\nLogistics Bắc Luân",
                reason="Đơn vị dẫn đầu phong trào thi đua\n“Doanh nghiệp giỏi” năm 2016",
                place_date="Quảng Ninh, năm 2017", form="flag"),
    Certificate("images/2019/chien-si-thi-dua-cap-tinh-dinh-thi-thanh-xuan.jpg",
                "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "BẰNG CHỨNG NHẬN", "Bà Đinh Thị Thanh Xuân",
                "Giáo viên Trường Tiểu học Kim Đồng, thành phố Móng Cái",
                "Đạt danh hiệu Chiến sĩ thi đua cấp tỉnh năm 2019", "Quảng Ninh, ngày 12 tháng 11 năm 2019",
                "Quyết định số 3968/QĐ-UBND", subtitle="CHIẾN SĨ THI ĐUA CẤP TỈNH", verb="Công nhận"),
    Certificate("images/2020/bang-khen-hop-tac-xa-phong-nien.jpg", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
                "BẰNG KHEN", "Hợp tác xã Dịch vụ Nông nghiệp Phong Niên", "Huyện Bảo Thắng, tỉnh Lào Cai",
                "Đã có thành tích xuất sắc trong phong trào thi đua “Cả nước chung sức xây dựng nông thôn mới” "
                "giai đoạn 2016 - 2020", "Lào Cai, tháng 11 năm 2020", palette="green"),
    Certificate("images/2021/bang-khen-thu-tuong-duong-van-loc.jpg", "THỦ TƯỚNG CHÍNH PHỦ", "BẰNG KHEN",
                "Ông Dương Văn Lộc",
                "Giám đốc Hợp tác xã Dịch vụ Nông nghiệp Phong Niên, huyện Bảo Thắng, tỉnh Lào Cai",
                "Đã có thành tích xuất sắc trong phong trào thi đua “Cả nước chung sức xây dựng nông thôn mới” "
                "giai đoạn 2011 - 2020", "Hà Nội, năm 2021"),
    Certificate("images/2022/bang-khen-thu-tuong-bac-si-tran-van-hung.jpg", "THỦ TƯỚNG CHÍNH PHỦ", "BẰNG KHEN",
                "Bác sĩ Trần Văn Hưng", "Khoa Hồi sức cấp cứu, Trung tâm Y tế huyện Nghi Lộc, tỉnh Nghệ An",
                "Đã có thành tích xuất sắc trong phòng, chống dịch COVID-19 năm 2021", "Hà Nội, năm 2022"),
    Certificate("images/2023/nha-giao-uu-tu-dinh-thi-thanh-xuan.jpg",
                "CHỦ TỊCH NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "NHÀ GIÁO ƯU TÚ", "Bà Đinh Thị Thanh Xuân", "Giáo viên Trường Tiểu học Kim Đồng, thành phố Móng Cái, "
                "tỉnh Quảng Ninh", "Đã có nhiều cống hiến cho sự nghiệp giáo dục", "Hà Nội, năm 2023",
                subtitle="DANH HIỆU VINH DỰ NHÀ NƯỚC", verb="Phong tặng", seal="CHỦ TỊCH NƯỚC"),
    Certificate("images/2023/mong-cai-tri-an-4.jpg", "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ MÓNG CÁI", "GIẤY KHEN",
                "Ông Trần Văn Hùng", "Trưởng thôn 3, xã Vạn Ninh",
                "Đã có thành tích trong phong trào thi đua đặc biệt chào mừng 60 năm thành lập tỉnh Quảng Ninh",
                "Móng Cái, tháng 10 năm 2023", palette="blue"),
    Certificate("images/2023/bang-khen-thu-tuong-a-ngoc.jpg", "THỦ TƯỚNG CHÍNH PHỦ", "BẰNG KHEN", "Ông A Ngọc",
                "Trưởng thôn, xã Măng Cành, huyện Kon Plông, tỉnh Kon Tum",
                "Đã có thành tích xuất sắc trong công tác giảm nghèo, góp phần vào sự nghiệp xây dựng và bảo vệ "
                "Tổ quốc", "Hà Nội, năm 2023"),
    Certificate("images/2024/co-thi-dua-truong-tieu-hoc-kim-dong.jpg", "CỦA ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
                "CỜ THI ĐUA", "Trường Tiểu học Kim Đồng\nthành phố Móng Cái",
                reason="Đơn vị dẫn đầu\nphong trào thi đua năm 2023", place_date="Quyết định số 98/QĐ-UBND",
                form="flag"),
    Certificate("images/2025/giay-khen-trung-tam-hanh-chinh-cong-hai-chau.jpg",
                "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG HẢI CHÂU", "GIẤY KHEN",
                "Trung tâm Phục vụ hành chính công phường Hải Châu",
                reason="Đã có thành tích trong phong trào thi đua đổi mới sáng tạo và chuyển đổi số năm 2025",
                place_date="Đà Nẵng, tháng 10 năm 2025", palette="blue"),
)

PORTRAITS: tuple[Portrait, ...] = (
    Portrait("images/2019/chan-dung-a-ngoc.jpg", "short", "shirt", 28),
    Portrait("images/2017/chan-dung-au-thi-mai.jpg", "long", "blouse", 340),
    Portrait("images/2018/chan-dung-dinh-thi-thanh-xuan.jpg", "bun", "ao-dai", 200),
    Portrait("images/2018/chan-dung-do-thi-hong-van.jpg", "long", "suit", 260),
    Portrait("images/2016/chan-dung-duong-van-loc.jpg", "short", "shirt", 110),
    Portrait("images/2021/chan-dung-hoang-van-sang.jpg", "short", "uniform", 90),
    Portrait("images/2025/chan-dung-pham-quoc-bao.jpg", "short", "suit", 190),
    Portrait("images/2021/chan-dung-tran-van-hung-nghe-an.jpg", "short", "coat", 170),
    Portrait("images/2018/chan-dung-tran-van-hung-quang-ninh.jpg", "short", "shirt", 40),
)

EMBLEMS: tuple[Emblem, ...] = (
    Emblem("images/2023/bieu-trung-ban-quan-ly-cho-mong-cai.jpg", "BQL", "CHỢ MÓNG CÁI", "shield", 20),
    Emblem("images/2016/bieu-trung-cong-ty-logistics-bac-luan.jpg", "BL", "LOGISTICS BẮC LUÂN", "shield", 215),
    Emblem("images/2016/bieu-trung-hop-tac-xa-phong-nien.jpg", "PN", "HTX PHONG NIÊN", "shield", 120),
    Emblem("images/2018/bieu-trung-phong-noi-vu-thanh-pho-mong-cai.jpg", "PNV", "PHÒNG NỘI VỤ MÓNG CÁI",
           "shield", 230),
    Emblem("images/2025/bieu-trung-trung-tam-phuc-vu-hanh-chinh-cong-phuong-hai-chau.jpg", "HCC",
           "PHƯỜNG HẢI CHÂU", "shield", 195),
    Emblem("images/2021/bieu-trung-trung-tam-y-te-huyen-nghi-loc.jpg", "YT", "TTYT NGHI LỘC", "shield", 165),
    Emblem("images/2018/bieu-trung-truong-tieu-hoc-kim-dong-mong-cai.jpg", "KĐ", "TIỂU HỌC KIM ĐỒNG", "shield",
           5),
    Emblem("images/2021/bieu-trung-thanh-pho-mong-cai.jpg", "MC", "THÀNH PHỐ MÓNG CÁI", "star", 355),
    Emblem("images/2023/bieu-trung-tinh-binh-dinh.jpg", "BĐ", "TỈNH BÌNH ĐỊNH", "star", 15),
    Emblem("images/2023/bieu-trung-tinh-dak-nong.jpg", "ĐN", "TỈNH ĐẮK NÔNG", "star", 140),
    Emblem("images/2016/bieu-trung-tinh-lang-son.jpg", "LS", "TỈNH LẠNG SƠN", "star", 350),
    Emblem("images/2023/bieu-trung-xa-hai-tien.jpg", "HT", "XÃ HẢI TIẾN", "star", 195),
)

MEDIA: tuple[Media, ...] = (*SCENES, *CERTIFICATES, *PORTRAITS, *EMBLEMS, *DECISIONS)
