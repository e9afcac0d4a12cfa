from datetime import date, datetime

import pytest

from portal.vietnamese import (
    fold, format_date, format_datetime, format_long_date, initial, is_slug, nfc, slugify, sort_key,
)

NFD_DONG = "\u0110o\u0302\u0300ng"  # "Đồng" typed with combining marks


@pytest.mark.parametrize(("text", "slug"), [
    ("Phong trào thi đua Quyết thắng", "phong-trao-thi-dua-quyet-thang"),
    ("Đồng Tháp", "dong-thap"),
    ("ĐẮK LẮK", "dak-lak"),
    ("\u00d0à Nẵng", "da-nang"),  # eth typed for Đ
    ("Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"),
    (NFD_DONG + " đội", "dong-doi"),
    ("  Cờ thi đua (2024)!  ", "co-thi-dua-2024"),
    ("Nguyễn Thị Thu Hà", "nguyen-thi-thu-ha"),
])
def test_slugify_folds_every_vietnamese_letter(text, slug):
    assert slugify(text) == slug
    assert is_slug(slug)


def test_hung_and_hung_collide_as_slugs():
    assert slugify("Hùng") == slugify("Hưng") == "hung"


@pytest.mark.parametrize("bad", ["Dong-Thap", "dong thap", "-dong", "dong--thap", "đồng", "../etc", ""])
def test_is_slug_rejects(bad):
    assert not is_slug(bad)


def test_nfc_normalises_decomposed_text_and_eth():
    assert nfc(NFD_DONG) == "Đồng"
    assert len(nfc(NFD_DONG)) == 4
    assert nfc("\u00d0ào") == "Đào"


def test_fold_strips_tones_marks_and_d_stroke():
    assert fold("Thi đua") == "thi dua"
    assert fold("ĐỒNG BẰNG") == "dong bang"
    assert fold(NFD_DONG) == "dong"
    assert fold("Đắk Lắk") == "dak lak"


def test_collation_follows_the_vietnamese_alphabet():
    words = ["Ê-đê", "Đào", "Dương", "An Giang", "Âu Cơ", "Ăn", "Anh", "Bắc", "Đà Nẵng", "Ơn", "Ô", "Ư", "Uyên", "Oanh"]
    expected = ["An Giang", "Anh", "Ăn", "Âu Cơ", "Bắc", "Dương", "Đà Nẵng", "Đào", "Ê-đê", "Oanh", "Ô", "Ơn",
                "Uyên", "Ư"]
    assert sorted(words, key=sort_key) == expected


def test_collation_orders_tones_as_a_secondary_difference():
    tones = ["ạ", "á", "ã", "ả", "à", "a"]
    assert sorted(tones, key=sort_key) == ["a", "à", "ả", "ã", "á", "ạ"]
    # A letter difference later in the word outweighs a tone earlier in it.
    assert sorted(["Hà Nam", "Ha Noi"], key=sort_key) == ["Hà Nam", "Ha Noi"]


def test_collation_is_the_same_for_nfc_and_nfd():
    assert sort_key(NFD_DONG) == sort_key("Đồng")


def test_python_default_sort_is_wrong_which_is_why_we_need_a_key():
    assert sorted(["Đào", "Ê"]) == ["Ê", "Đào"]  # code-point order puts Đ after Ê
    assert sorted(["Đào", "Ê"], key=sort_key) == ["Đào", "Ê"]


@pytest.mark.parametrize(("name", "letter"), [("Ánh Dương", "A"), ("Ứng", "Ư"), ("Đào", "Đ"), ("ấp", "Â"),
                                              ("1 Tháng 5", "1"), ("", "#")])
def test_initial_is_the_letter_without_tone(name, letter):
    assert initial(name) == letter


def test_dates_print_dd_mm_yyyy_without_a_locale():
    assert format_date(date(2025, 7, 1)) == "01/07/2025"
    assert format_datetime(datetime(2023, 3, 30, 16, 5)) == "30/03/2023 16:05"
    assert format_long_date(date(2025, 12, 27)) == "Thứ Bảy, 27/12/2025"
    assert format_long_date(date(2025, 12, 28)) == "Chủ nhật, 28/12/2025"
    assert format_date(None) == ""
