"""Encryption at rest for personal identifiers (PIPL Art. 28: ID-card numbers are sensitive personal data).

Values are encrypted with Fernet (AES-128-CBC + HMAC). The first key in FIELD_ENCRYPTION_KEYS encrypts and every
key decrypts, so a key can be rotated by putting the new one first. A keyed digest (HMAC-SHA256) of the
normalised value allows exact look-ups and a uniqueness constraint without decrypting.

Written by hand rather than with django-fernet-fields / django-cryptography: both are unmaintained and do not
support Django 5.2; the code below only wraps `cryptography`, which does the actual work.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def _keys() -> list[bytes]:
    keys = [k.encode() for k in settings.FIELD_ENCRYPTION_KEYS if k]
    if keys:
        return keys
    if not settings.DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off.")
    # Development only: a key derived from SECRET_KEY, so the embedded run needs no configuration.
    return [base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest())]


@cache
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(value: str) -> str:
    return _fernet(tuple(_keys())).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(tuple(_keys())).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong FIELD_ENCRYPTION_KEYS") from exc


def digest(value: str) -> str:
    """Keyed digest used for equality look-ups; never reveals the value."""
    key = hashlib.sha256(b"digest:" + _keys()[0]).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """Stores a string encrypted; Python code sees plain text. Not searchable: use a digest column."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
