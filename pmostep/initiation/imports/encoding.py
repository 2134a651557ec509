"""Which text encoding a CSV upload is in, and its text.

A byte order mark or valid UTF-8 is certain. UTF-8 with a few bad bytes (a file cut and pasted
together, a proxy that damaged it) is still UTF-8: it is decoded with replacement characters and the
cells concerned are reported, rather than the whole file garbled as Windows-1252. Anything else is a
guess by charset-normalizer, reported as a guess so that the user can choose another encoding.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

from pmostep.initiation.imports.errors import ImportFileError

REPLACEMENT = "\ufffd"
BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Windows-1252 and ISO-8859-1 agree with these single-byte encodings on the letters of most
# western European text: when the guess decodes a file exactly as Windows-1252 does, say Windows-1252.
PREFERRED = ("cp1252",)
# Offered on the Import page; any name Python knows is accepted with --encoding.
COMMON = ("utf-8", "cp1252", "iso-8859-1", "iso-8859-15", "cp1250", "cp1251", "mac-roman", "utf-16",
          "utf-16-le", "utf-16-be", "utf-32", "shift_jis", "cp932", "euc-jp", "gb18030", "big5", "euc-kr")
SPARSE = 0.01             # non-ASCII bytes per byte below which a text is read as mostly English
DAMAGED_UTF8_RATIO = 1    # good non-ASCII characters per bad byte in damaged UTF-8 (Windows-1252 has none)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str        # Python's codec name: utf-8, utf-8-sig, utf-16, cp1252, shift_jis ...
    guessed: bool        # a guess from the bytes (not a BOM, valid UTF-8 or the user's choice)
    replaced: int        # undecodable byte sequences, each shown as U+FFFD

    def note(self) -> str | None:
        """What the user should know about the encoding, or None when there is nothing to say."""
        if self.guessed:
            return (f"The file is not UTF-8: its text encoding was guessed as {self.encoding}. If names or "
                    "comments look wrong, choose the file's encoding (Text encoding on the Import page, "
                    "--encoding NAME on the command line).")
        return None


def codec_name(name: str) -> str:
    """The codec's canonical name; a clear refusal for a name Python does not know."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError as exc:
        raise ImportFileError(f"unknown text encoding {name!r}: use a name such as utf-8, cp1252, "
                              "utf-16 or shift_jis") from exc


def _replacing(data: bytes, encoding: str) -> tuple[str, int]:
    text = data.decode(encoding, errors="replace")
    if REPLACEMENT not in text:            # the usual case: no second pass over the file
        return text, 0
    return text, text.count(REPLACEMENT) - data.decode(encoding, errors="ignore").count(REPLACEMENT)


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """The text of a CSV upload: in `encoding` if given, else from a BOM, UTF-8, or a guess."""
    if encoding:
        name = codec_name(encoding)
        if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        text, bad = _replacing(data, name)
        return Decoded(text, name, False, bad)
    for bom, name in BOMS:
        if data.startswith(bom):
            text, bad = _replacing(data, name)
            return Decoded(text, name, False, bad)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False, 0)
    except UnicodeDecodeError:
        pass
    text, bad = _replacing(data, "utf-8")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad     # decoded non-ASCII characters
    if good >= DAMAGED_UTF8_RATIO * bad:
        return Decoded(text, "utf-8", False, bad)
    return _guess(data)


def _guess(data: bytes) -> Decoded:
    non_ascii = len(data) - len(data.translate(None, bytes(range(128, 256))))
    if non_ascii <= SPARSE * len(data) and _same_text(data, "cp1252", None):
        # A few non-ASCII bytes in a short text: Windows punctuation (’ – “) far more often than the
        # Chinese or Japanese that charset-normalizer guesses from so little.
        return Decoded(data.decode("cp1252"), "cp1252", True, 0)
    best = charset_normalizer.from_bytes(_telling(data)).best()
    if best is None:
        raise ImportFileError("this is not text in any encoding PMOStep recognises: export the responses "
                              "as CSV or .xlsx, or choose the file's text encoding")
    name = codec_name(best.encoding)
    text, bad = _replacing(data, name)
    for preferred in PREFERRED:
        if preferred != name and _same_text(data, preferred, text):
            return Decoded(text, preferred, True, 0)
    return Decoded(text, name, True, bad)


def _telling(data: bytes) -> bytes:
    """The lines that tell the encoding: in a survey export mostly ASCII, a guess from samples of the
    whole file misses the few comments that are not (it took Japanese for Baltic). Text with NUL bytes
    (UTF-16 or UTF-32) is kept whole, as its lines cannot be split byte-wise."""
    if b"\0" in data:
        return data
    telling = b"".join(line for line in data.splitlines(keepends=True) if not line.isascii())
    return telling or data


def _same_text(data: bytes, encoding: str, text: str | None) -> bool:
    """Whether `data` decodes in `encoding` without error (to `text`, when given)."""
    try:
        decoded = data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return text is None or decoded == text
