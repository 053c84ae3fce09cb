"""The pieces of QDA-XML every part of the ``.qdpx`` export writes: escaped text and attributes, times, GUIDs."""

from __future__ import annotations

import hashlib
import re
import uuid
from xml.sax.saxutils import escape, quoteattr

from archive.coding.codebook import Code

_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}
_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """Text safe inside XML 1.0, which cannot hold most control characters at all."""
    return escape(_NOT_XML.sub("\ufffd", value))


def xml_attr(value: str) -> str:
    """A quoted attribute value, safe as ``xml_text``."""
    return quoteattr(_NOT_XML.sub("\ufffd", value))


def when(stamp: str | None, attribute: str) -> str:
    """An xsd:dateTime attribute, or nothing when the stored time is not one."""
    return f' {attribute}="{stamp}"' if stamp and _DATETIME.fullmatch(stamp) else ""


class Guids:
    """Stable GUIDs for everything the file names: name-based (SHA-256 of the codebook's guid, a kind and a key).

    Formatted as version-5-style UUIDs by hand, which is several times faster than ``uuid.uuid5`` on the
    two GUIDs each of a million codings needs.
    """

    def __init__(self, base: str) -> None:
        self.base = base

    def of(self, kind: str, key: object) -> str:
        return self.pair(kind, key)[0]

    def pair(self, kind: str, key: object) -> tuple[str, str]:
        """Two distinct GUIDs from one digest (a selection and its coding)."""
        digest = hashlib.sha256(f"{self.base}:{kind}:{key}".encode()).hexdigest()
        return _format(digest[:32]), _format(digest[32:])

    def code(self, code: Code) -> str:
        try:
            return str(uuid.UUID(code.guid.strip("{} ")))  # the codebook's own guid, as in the .qdc export
        except ValueError:
            return self.of("code", code.id)

    def coder(self, name: str) -> str:
        return self.of("coder", name.lower())


def _format(h: str) -> str:
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"
