"""Strict decoders: Python's own accept whitespace (bytes.fromhex) or stray characters (b64decode)."""

import base64
import binascii
import re

_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def from_hex(text):
    """The bytes of a hex string, or None when it is not hex."""
    return bytes.fromhex(text) if _HEX.fullmatch(text) else None


def from_base64(text):
    """The bytes of padded standard base64, or None when it is not exactly that."""
    if len(text) % 4 != 0 or not _BASE64.fullmatch(text):
        return None
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        return None
