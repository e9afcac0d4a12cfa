"""Chart layout (plugins/portal/charts.py): bars proportional to their numbers, labels that fit a phone."""

from __future__ import annotations

import pytest

from portal.charts import LABEL_CHARS, MAX_PCT, Item, bar_chart, grid_chart, shorten, wrap


def test_side_by_side_bars_scale_to_the_largest_value():
    chart = bar_chart("c", "Tiêu đề", "Tỉnh", ("Khen thưởng", "Tin bài"),
                      [Item("Quảng Ninh", (10, 5)), Item("Lào Cai", (0, 20))])
    widths = [[b.width for b in row.bars] for row in chart.rows]
    assert widths == [[MAX_PCT / 2, MAX_PCT / 4], [0.0, MAX_PCT]]
    assert [[v.text for v in row.values] for row in chart.rows] == [["10", "5"], ["0", "20"]]
    assert all(v.x == b.width for row in chart.rows for v, b in zip(row.values, row.bars, strict=True))
    ys = [row.y for row in chart.rows]
    assert ys == sorted(ys) and chart.height > ys[-1]  # rows go down the page and fit the SVG


def test_stacked_bars_sit_end_to_end_and_carry_the_total():
    chart = bar_chart("c", "Theo năm", "Năm", ("Được tặng", "Được đề nghị"),
                      [Item("2023", (3, 1)), Item("2024", (2, 0))], stacked=True)
    first = chart.rows[0].bars
    assert first[1].x == pytest.approx(first[0].x + first[0].width)
    assert first[0].width + first[1].width == pytest.approx(MAX_PCT)
    assert [v.text for row in chart.rows for v in row.values] == ["4", "2"]
    assert chart.sums == (5, 1) and chart.total == 6


def test_the_text_alternative_names_the_largest_row():
    chart = bar_chart("c", "Khen thưởng theo loại", "Loại", ("Số",), [Item("Bằng khen", (2,)), Item("Huân chương", (7,))])
    assert "Huân chương với 7" in chart.description and "2 mục" in chart.description
    assert chart.legend == ()  # one series needs no legend


def test_an_empty_chart_is_drawn_without_dividing_by_zero():
    chart = bar_chart("c", "Trống", "Năm", ("A", "B"), [Item("2020", (0, 0))], stacked=True)
    assert [b.width for b in chart.rows[0].bars] == [0.0, 0.0]
    assert bar_chart("c", "Trống", "Năm", ("A",), []).description == "Trống: chưa có số liệu."


def test_long_labels_are_cut_on_a_word_and_marked():
    label = "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh, đoàn thể trung ương"
    short = shorten(label)
    assert len(short) <= LABEL_CHARS and short.endswith("…") and label.startswith(short[:-1])
    assert shorten("Gia Lai") == "Gia Lai"
    assert wrap("Cụm thi đua các tỉnh miền núi biên giới phía Bắc", 32) == (
        "Cụm thi đua các tỉnh miền núi", "biên giới phía Bắc")


def test_grid_chart_places_each_cell_under_its_year():
    chart = grid_chart("g", "Cụm trưởng", "Cụm", ["2023", "2024"],
                       [("Cụm A", "cum/a/", [["Trưởng: Đắk Lắk"], []]), ("Cụm B", "", [[], ["Trưởng: Huế", "Phó: Đà Nẵng"]])])
    assert [(c.x, c.y, c.lines) for c in chart.cells] == [
        (chart.columns[0][0] - chart.cells[0].width // 2, chart.cells[0].y, ("Trưởng: Đắk Lắk",)),
        (chart.columns[1][0] - chart.cells[1].width // 2, chart.cells[1].y, ("Trưởng: Huế", "Phó: Đà Nẵng")),
    ]
    assert chart.cells[1].y > chart.cells[0].y
    assert chart.table[1] == ("Cụm B", "", ("", "Trưởng: Huế; Phó: Đà Nẵng"))
    assert chart.width >= chart.columns[-1][0] + chart.cells[0].width // 2
