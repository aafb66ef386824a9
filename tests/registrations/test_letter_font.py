"""The introduction letter carries its Chinese font inside the PDF (it is printed and posted), and deployment
checks say when it cannot."""

import io

import pytest
from pypdf import PdfReader

from registrations import checks, letters
from registrations import transfer_services as ts
from tests.conftest import in_ci


def test_the_letter_embeds_a_subset_of_its_chinese_font(make_transfer, users):
    if letters.FONT != letters.EMBEDDED_FONT:
        message = "no Chinese TrueType font installed (apt-get install -y fonts-wqy-zenhei)"
        if in_ci():
            pytest.fail(message)  # .ci/run installs it: under CI the letter must embed its font
        pytest.skip(message)
    pdf = ts.transfer_letter_print(transfer=make_transfer("approved"), actor=users["sec_a"])
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts, "the letter names no font"
    for name, font in fonts.items():
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None and "/FontFile2" in descriptor.get_object(), f"{name} is not embedded"
        assert "+" in name  # a subset: only the glyphs the letter uses


def test_the_font_setting(tmp_path, monkeypatch, settings):
    font = tmp_path / "font.ttc"
    font.write_bytes(b"")
    monkeypatch.setattr(letters, "FONT_CANDIDATES", ("/nonexistent/a.ttc", str(font)))
    assert letters.letter_font_path("auto") == str(font)
    assert letters.letter_font_path("builtin") is None
    assert letters.letter_font_path("/srv/fonts/simsun.ttf") == "/srv/fonts/simsun.ttf"
    monkeypatch.setattr(letters, "FONT_CANDIDATES", ("/nonexistent/a.ttc",))
    assert letters.letter_font_path("auto") is None
    assert letters.register_font(None) == letters.BUILTIN_FONT


def test_the_deploy_check_warns_about_a_font_that_is_not_embedded(monkeypatch, settings):
    monkeypatch.setattr(letters, "FONT", letters.BUILTIN_FONT)
    assert [m.id for m in checks.check_letter_font()] == ["flowparty.W010"]
    monkeypatch.setattr(letters, "FONT", letters.EMBEDDED_FONT)
    assert checks.check_letter_font() == []
    settings.FLOWPARTY_LETTER_FONT = "/nonexistent/simsun.ttf"
    assert [m.id for m in checks.check_letter_font()] == ["flowparty.E010"]
