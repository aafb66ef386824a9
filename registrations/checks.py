"""Deployment checks of this app (run by `manage.py check --deploy`)."""

from django.core import checks


@checks.register(checks.Tags.compatibility, deploy=True)
def check_letter_font(app_configs=None, **kwargs):
    """Introduction letters are printed and posted: their Chinese font must travel inside the PDF."""
    from pathlib import Path

    from django.conf import settings

    from .letters import EMBEDDED_FONT, FONT, letter_font_path

    path = letter_font_path()
    if settings.FLOWPARTY_LETTER_FONT not in ("auto", "builtin") and not Path(path).is_file():
        return [
            checks.Error(
                f"FLOWPARTY_LETTER_FONT names {path}, which is not a file.",
                hint="Point it at a TrueType font with Chinese glyphs, or set it to auto.",
                id="flowparty.E010",
            )
        ]
    if FONT != EMBEDDED_FONT:
        return [
            checks.Warning(
                "Introduction letters use reportlab's built-in CID font, which is not embedded in the PDF: "
                "a viewer or printer without a Chinese font shows blanks.",
                hint="Install Debian's fonts-wqy-zenhei (the Docker image does) or set FLOWPARTY_LETTER_FONT to "
                "a TrueType font with Chinese glyphs.",
                id="flowparty.W010",
            )
        ]
    return []
