"""Pure rules for personal identifiers: the resident ID-card number (GB 11643) and masking."""

import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def normalize_id_number(value: str) -> str:
    """Strip spaces, turn full-width digits and a lower-case x into their plain forms."""
    value = (value or "").strip().replace(" ", "")
    value = value.translate(
        {0xFF10 + i: ord("0") + i for i in range(10)} | {ord("x"): "X", 0xFF58: "X", 0xFF38: "X"}
    )
    return value


def id_number_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def is_valid_id_number(value: str) -> bool:
    """18 characters: 17 digits and a check character (ISO 7064 MOD 11-2), as GB 11643 prescribes."""
    if not _ID_RE.match(value):
        return False
    return id_number_check_char(value[:17]) == value[17]


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def normalize_digits(value: str) -> str:
    """Full-width digits to ASCII, spaces removed: what people paste from other systems."""
    value = (value or "").strip().replace(" ", "").replace("\u3000", "")
    return value.translate({0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF0D: ord("-")})


def mask_for_audit(value: str) -> str:
    """What the audit trail keeps of a phone or ID number: the same masking as the pages show."""
    value = str(value or "")
    if len(value) == 18 and value[:17].isdigit():
        return mask_id_number(value)
    return mask_phone(value)
