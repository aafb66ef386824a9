"""The introduction letter (中国共产党党员组织关系介绍信) as a PDF, in the official layout: the letter, a
dashed line to cut along, and the tear-off receipt (回执) that the receiving organisation sends back.

The wording is the official form's, fixed by the Party's organisation departments, so it is printed in
Chinese whatever the interface language. The font is embedded: a TrueType font with Chinese glyphs
(`FLOWPARTY_LETTER_FONT`, by default WenQuanYi Zen Hei from Debian's fonts-wqy-zenhei, which the Docker image and
CI install), subset into the PDF so that any viewer or printer shows the letter as written. Without such a font
the letter falls back to reportlab's built-in CID font STSong-Light, which is named but not embedded (a viewer
without a Chinese font shows blanks); `check --deploy` warns about that (registrations.checks). Either way the
text extracts back (the tests read the PDF).
"""

import io
from datetime import date

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.tables import Table, TableStyle

BUILTIN_FONT = "STSong-Light"
EMBEDDED_FONT = "FlowpartyLetter"
# Where Debian's packages put TrueType fonts with Chinese glyphs (a .ttc holds several: the first is used).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def letter_font_path(setting: str | None = None) -> str | None:
    """The TrueType font to embed: FLOWPARTY_LETTER_FONT ("auto": the first candidate installed; "builtin":
    none), or None for the built-in CID font."""
    from pathlib import Path

    setting = settings.FLOWPARTY_LETTER_FONT if setting is None else setting
    if setting == "builtin":
        return None
    if setting != "auto":
        return setting
    return next((path for path in FONT_CANDIDATES if Path(path).is_file()), None)


def register_font(path: str | None) -> str:
    """Register the letter's font with reportlab and return its name."""
    if path is None:
        pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN_FONT))
        return BUILTIN_FONT
    pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, path, subfontIndex=0))
    return EMBEDDED_FONT


try:
    FONT = register_font(letter_font_path())
except (OSError, TTFError):  # a configured font that is missing or not TrueType: the deploy check says so
    FONT = register_font(None)

TITLE = "中国共产党党员组织关系介绍信"
RECEIPT_TITLE = "中国共产党党员组织关系介绍信回执"
GENDER = {"male": "男", "female": "女"}
STANDING = {"full": "正式", "probationary": "预备"}

_base = ParagraphStyle("body", fontName=FONT, fontSize=12.5, leading=22, wordWrap="CJK")
STYLES = {
    "title": ParagraphStyle("title", parent=_base, fontSize=20, leading=28, alignment=TA_CENTER),
    "number": ParagraphStyle("number", parent=_base, fontSize=11, alignment=TA_RIGHT),
    "body": _base,
    "indent": ParagraphStyle("indent", parent=_base, firstLineIndent=25),
    "sign": ParagraphStyle("sign", parent=_base, alignment=TA_RIGHT),
    "small": ParagraphStyle("small", parent=_base, fontSize=10.5, leading=16),
    "cut": ParagraphStyle(
        "cut", parent=_base, fontSize=9, leading=12, alignment=TA_CENTER, textColor=colors.grey
    ),
}


def cn_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "    年    月    日"


def cn_month(value: date | None) -> str:
    return f"{value.year}年{value.month}月" if value else "    年    月"


class CutLine(Flowable):
    """The dashed line along which the receipt is torn off."""

    def __init__(self, width):
        super().__init__()
        self.width = width
        self.height = 4 * mm

    def draw(self):
        self.canv.setDash(4, 3)
        self.canv.setStrokeColor(colors.grey)
        self.canv.line(0, self.height / 2, self.width, self.height / 2)


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text.replace("\n", "<br/>"), STYLES[style])


def _esc(value) -> str:
    from xml.sax.saxutils import escape

    return escape(str(value or ""))


def letter_fields(transfer) -> dict[str, str]:
    """What the letter says, as text: also what the detail page previews."""
    committee = settings.FLOWPARTY_COMMITTEE_NAME
    member = transfer.member
    origin = f"{committee}{transfer.from_branch.name}" if transfer.from_branch_id else transfer.from_org_name
    if transfer.to_branch_id:
        destination = f"{committee}{transfer.to_branch.name}"
        addressee = transfer.to_secondary.name if transfer.to_secondary_id else destination
    else:
        destination = transfer.to_org_name
        addressee = transfer.to_org_name
    return {
        "number": transfer.letter_number,
        "addressee": addressee,
        "name": member.name,
        "gender": GENDER.get(member.gender, ""),
        "standing": STANDING.get(member.standing, ""),
        "id_number": member.id_number or "",
        "origin": origin,
        "destination": destination,
        "dues": cn_month(transfer.dues_paid_until),
        "valid_days": str(transfer.letter_valid_days or ""),
        "issuer": f"{committee}组织部",
        "issued_on": cn_date(transfer.letter_issued_on),
        "phone": member.phone or "",
    }


def render_introduction_letter(transfer) -> bytes:
    f = {k: _esc(v) for k, v in letter_fields(transfer).items()}
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=18 * mm,
        bottomMargin=15 * mm,
        initialFontName=FONT,  # not Helvetica: every font the PDF names is the letter's own
        title=f"{TITLE}（{letter_fields(transfer)['name']}）",
        author=letter_fields(transfer)["issuer"],
    )
    identity = f"，身份证号码{f['id_number']}" if f["id_number"] else ""
    story = [
        _p(TITLE, "title"),
        _p(f"第 {f['number']} 号", "number"),
        Spacer(1, 3 * mm),
        _p(f"{f['addressee']}："),
        _p(
            f"{f['name']}同志（{f['gender']}）{identity}，系中共{f['standing']}党员，"
            f"组织关系由{f['origin']}转到{f['destination']}，请接转组织关系。"
            f"该同志党费已交到{f['dues']}。",
            "indent",
        ),
        _p(f"（有效期{f['valid_days']}天）", "indent"),
        Spacer(1, 6 * mm),
        _p(f"{f['issuer']}（盖章）", "sign"),
        _p(f["issued_on"], "sign"),
        Spacer(1, 4 * mm),
        _small_table(
            [
                ("党员联系电话", f["phone"]),
                ("党员原所在基层党委", f["origin"]),
            ]
        ),
        Spacer(1, 8 * mm),
        _p("（沿此线剪下，回执由接收党组织填写后寄回）", "cut"),
        CutLine(doc.width),
        Spacer(1, 6 * mm),
        _p(RECEIPT_TITLE, "title"),
        _p(f"第 {f['number']} 号", "number"),
        Spacer(1, 3 * mm),
        _p(f"{f['issuer']}："),
        _p(f"{f['name']}同志的党员组织关系已转达我处，特此回执。", "indent"),
        Spacer(1, 8 * mm),
        _p("接收党组织（盖章）", "sign"),
        _p(cn_date(None), "sign"),
    ]
    doc.build(story)
    return buffer.getvalue()


def _small_table(rows) -> Table:
    table = Table([[_p(k, "small"), _p(v, "small")] for k, v in rows], colWidths=[45 * mm, None])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # the table's own default would add Helvetica
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table
