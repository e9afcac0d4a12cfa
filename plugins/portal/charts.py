"""Charts laid out at build time and drawn as inline SVG by theme/templates/partials/charts.html.

No JavaScript and no chart library: the layout is arithmetic done here, the
markup is a Jinja macro (so every label is autoescaped). Bars are sized in
percent of the chart's width, so a chart fills a phone or a desktop column
without shrinking its text; each bar's number is written after it. Every
chart carries a title and a text alternative, and the template prints its
numbers as a table beneath it, for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

LABEL_CHARS = 44  # what fits on one line of a 320 px phone at the chart's 13 px text
BAR = 14  # bar thickness, px
LINE = 18  # a label's line, px
ROW_GAP = 12
LEGEND = 30  # room for the legend above the rows, px
MAX_PCT = 84.0  # the longest bar leaves the rest of the width for its number
CELL_W, CELL_H, HEAD_W, HEAD_H = 150, 44, 250, 28  # the grid chart's columns and rows, px


class Item(NamedTuple):
    """One row of data: a label, its numbers (one per series), a link and an optional note."""

    label: str
    values: tuple[int, ...]
    url: str = ""
    note: str = ""


class Bar(NamedTuple):
    series: int
    x: float  # percent of the width
    width: float  # percent of the width
    y: int  # px
    height: int = BAR  # px


class Value(NamedTuple):
    x: float  # percent: where the bar ends; the text starts a few px after it
    y: int  # baseline, px
    text: str


class Row(NamedTuple):
    item: Item
    short: str  # the label as drawn (the table beneath has it whole)
    y: int  # baseline of the label, px
    bars: tuple[Bar, ...]
    values: tuple[Value, ...]
    total: int


class BarChart(NamedTuple):
    """Horizontal bars, one row per item; several series are stacked or drawn one under another."""

    kind = "bars"  # which macro of partials/charts.html draws it

    id: str
    title: str
    description: str
    label_header: str  # the table's first column
    series: tuple[str, ...]
    stacked: bool
    rows: tuple[Row, ...]
    height: int
    legend: tuple[tuple[int, str], ...]  # (x px, series name)
    note_header: str = ""

    @property
    def sums(self) -> tuple[int, ...]:
        """Column totals for the table's last row (meaningful for stacked charts: each item counted once)."""
        return tuple(sum(col) for col in zip(*(r.item.values for r in self.rows), strict=True))

    @property
    def total(self) -> int:
        return sum(self.sums)


class Cell(NamedTuple):
    x: int
    y: int
    width: int
    height: int
    lines: tuple[str, ...]


class GridChart(NamedTuple):
    """A table-like chart: one row per item, one column per year, a few words in each cell."""

    kind = "grid"

    id: str
    title: str
    description: str
    label_header: str
    columns: tuple[tuple[int, str], ...]  # (x px of the column's middle, heading)
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (y px of the row's middle, the label's lines)
    cells: tuple[Cell, ...]
    width: int
    height: int
    table: tuple[tuple[str, str, tuple[str, ...]], ...]  # (label, url, one text per column)


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """Cut a label on a word boundary and mark the cut, so the SVG never overflows a phone."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def wrap(text: str, width: int, lines: int = 2) -> tuple[str, ...]:
    """Break a label into at most ``lines`` lines of ``width`` characters, the last one shortened if need be."""
    out: list[str] = []
    rest = text
    while rest and len(out) < lines - 1 and len(rest) > width:
        cut = rest[: width + 1].rfind(" ")
        cut = cut if cut > 0 else width
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return (*out, shorten(rest, width)) if rest else tuple(out)


def _describe(title: str, items: Sequence[Item], series: tuple[str, ...], totals: list[int], unit: str) -> str:
    """The text alternative: how many rows, which is largest, and where the exact numbers are."""
    if not items:
        return f"{title}: chưa có số liệu."
    top = max(range(len(items)), key=lambda i: totals[i])
    parts = [f"{title}: {len(items)} {unit}"]
    if totals[top]:
        parts.append(f"cao nhất là {items[top].label} với {totals[top]}")
    if len(series) > 1:
        parts.append("các nhóm: " + ", ".join(series))
    return "; ".join(parts) + ". Số liệu đầy đủ ở bảng bên dưới."


def bar_chart(id: str, title: str, label_header: str, series: Sequence[str], items: Sequence[Item], *,
              stacked: bool = False, unit: str = "mục", note_header: str = "") -> BarChart:
    """Lay out ``items`` as horizontal bars scaled to the largest total (stacked) or value (side by side)."""
    series = tuple(series)
    totals = [sum(i.values) for i in items]
    peak = max(totals if stacked else [v for i in items for v in i.values], default=0) or 1
    scale = MAX_PCT / peak
    legend, x = [], 0
    for name in series if len(series) > 1 else ():
        legend.append((x, name))
        x += 28 + 8 * len(name)
    y = LEGEND if legend else 0
    rows = []
    for item, total in zip(items, totals, strict=True):
        label_y = y + 14
        y += LINE
        bars, values, start = [], [], 0.0
        for s, value in enumerate(item.values):
            width = round(value * scale, 2)
            if stacked:
                bars.append(Bar(s, round(start, 2), width, y))
                start += width
            else:
                bars.append(Bar(s, 0.0, width, y))
                values.append(Value(width, y + BAR - 2, str(value)))
                y += BAR + 4
        if stacked:
            values.append(Value(round(start, 2), y + BAR - 2, str(total)))
            y += BAR + 4
        y += ROW_GAP - 4
        rows.append(Row(item, shorten(item.label), label_y, tuple(bars), tuple(values), total))
    return BarChart(id, title, _describe(title, items, series, totals, unit), label_header, series, stacked,
                    tuple(rows), max(y, LINE), tuple(legend), note_header)


def grid_chart(id: str, title: str, label_header: str, columns: Sequence[str],
               items: Sequence[tuple[str, str, Sequence[Sequence[str]]]], *, unit: str = "mục") -> GridChart:
    """Lay out ``items`` (label, url, one list of lines per column) as a grid of short texts."""
    cols = tuple((HEAD_W + i * CELL_W + CELL_W // 2, c) for i, c in enumerate(columns))
    rows, cells, table = [], [], []
    for r, (label, url, per_column) in enumerate(items):
        top = HEAD_H + r * CELL_H
        rows.append((top + CELL_H // 2, wrap(label, 32)))
        for c, lines in enumerate(per_column):
            if lines:
                cells.append(Cell(HEAD_W + c * CELL_W, top, CELL_W, CELL_H, tuple(shorten(line, 20) for line in lines[:2])))
        table.append((label, url, tuple("; ".join(lines) for lines in per_column)))
    description = (f"{title}: {len(items)} {unit}, {len(columns)} năm"
                   + (f" từ {columns[0]} đến {columns[-1]}" if columns else "")
                   + f", {len(cells)} ô có thông tin. Số liệu đầy đủ ở bảng bên dưới.")
    return GridChart(id, title, description, label_header, cols, tuple(rows), tuple(cells),
                     HEAD_W + len(columns) * CELL_W, HEAD_H + len(items) * CELL_H, tuple(table))


__all__ = ["BarChart", "GridChart", "Item", "bar_chart", "grid_chart", "shorten"]
