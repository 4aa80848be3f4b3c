"""Text as it arrives: bytes -> str, which delimiter a CSV uses, and names -> matching keys.

Hand-made CSVs from the field come in UTF-8 (with or without a BOM, as Excel writes it),
UTF-16 (Excel's "Unicode text") and Windows-1256 (Arabic Windows). Their place names mix
transliterations ("Ma'arrat An Nu'man", "Maarat al-Numan") and Arabic with or without
diacritics. These functions make such input comparable; they never guess silently: what cannot
be decoded is an error with a reason.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from app.normalise.arabic import fold_arabic, strip_arabic_marks, strip_article

# --- Bytes -> text ------------------------------------------------------------------------


class EmptyFileError(ValueError):
    """The file has no bytes, or only whitespace: there is nothing to load."""


class BinaryFileError(ValueError):
    """The bytes are not text (an image, an archive, or a UTF-16 file without its BOM)."""


@dataclass(frozen=True)
class Decoded:
    """Decoded text (BOM removed), the Python codec name used, and whether a BOM was present."""

    text: str
    encoding: str
    had_bom: bool


#: BOMs, longest first (the UTF-32-LE BOM starts with the UTF-16-LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: File signatures worth naming in the error message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"PK\x03\x04", "a zip archive (an XLSX workbook goes to the Excel loader, not the text one)"),
    (b"%PDF-", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office (OLE2) file such as .xls"),
)

_SAMPLE = 64 * 1024
#: C0 control bytes that never occur in text (tab, LF, VT, FF, CR are allowed).
_CONTROL = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}
_ARABIC_CODECS = frozenset({"cp1256", "windows-1256", "iso8859_6", "cp864", "cp720", "mac_arabic"})


def decode_bytes(data: bytes) -> Decoded:
    """Decode a text file's bytes: BOM first, then strict UTF-8, then Windows-1256 or a guess.

    Strict UTF-8 comes first because it almost never decodes non-UTF-8 bytes by accident.
    Windows-1256 is tried before charset-normalizer's guess because, on the short Arabic files
    this project sees, charset-normalizer often answers Big5, CP949 or Mac-Latin2 (and so
    produces mojibake); the Arabic reading is accepted only when its non-ASCII characters are
    almost all Arabic letters standing next to each other, as in real words.

    >>> decode_bytes("إدلب".encode("cp1256"))
    Decoded(text='إدلب', encoding='cp1256', had_bom=False)
    >>> decode_bytes(b"\\xef\\xbb\\xbfname\\n")
    Decoded(text='name\\n', encoding='utf-8', had_bom=True)
    """
    if not data:
        raise EmptyFileError("the file is empty (0 bytes); expected a header row and data rows")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise BinaryFileError(
                    f"the file starts with a {encoding} byte-order mark but byte {exc.start + len(bom)} "
                    f"is not valid {encoding}; expected text saved as {encoding} or UTF-8"
                ) from exc
            return _non_empty(Decoded(text, encoding, True))
    _reject_binary(data)
    try:
        return _non_empty(Decoded(data.decode("utf-8"), "utf-8", False))
    except UnicodeDecodeError:
        pass
    arabic = data.decode("cp1256")  # every byte is defined in cp1256
    guess = _guess(data)
    if _looks_arabic(arabic) or (guess is not None and guess.encoding in _ARABIC_CODECS):
        return _non_empty(Decoded(arabic, "cp1256", False))
    if guess is None:
        raise BinaryFileError(
            "the bytes decode neither as UTF-8 nor as any known single-byte encoding; "
            "expected a text file (save it as CSV UTF-8)"
        )
    return _non_empty(Decoded(str(guess), guess.encoding, False))


def _guess(data: bytes) -> charset_normalizer.CharsetMatch | None:
    """charset-normalizer's best guess; Windows-1252 wins a tie (it often ties with 1250,
    which turns "è" into "č"), being the likeliest non-Arabic legacy encoding here."""
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        if match.encoding == "cp1252" and (match.chaos, match.coherence) == (
            best.chaos,
            best.coherence,
        ):
            return match
    return best


def _reject_binary(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BinaryFileError(f"the file is {what}; expected a text file such as CSV")
    sample = data[:_SAMPLE]
    nul = sample.find(b"\x00")
    if nul >= 0:
        raise BinaryFileError(
            f"NUL byte at offset {nul}: binary data, or UTF-16 without a "
            "byte-order mark; expected text (save it as CSV UTF-8)"
        )
    controls = sum(b in _CONTROL for b in sample)
    if controls > 0.01 * len(sample):
        raise BinaryFileError(
            f"{controls} control bytes in the first {len(sample)} bytes: binary data; "
            "expected text (save it as CSV UTF-8)"
        )


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" and ch.isalpha()


def _looks_arabic(text: str) -> bool:
    """Most non-ASCII characters are Arabic letters, and they stand next to other Arabic letters.

    The second condition rejects Latin text with accents (German "ä" is Arabic "ن" in cp1256
    but sits between Latin letters).
    """
    non_ascii = [i for i, ch in enumerate(text) if ord(ch) > 0x7F]
    arabic = [i for i in non_ascii if _is_arabic(text[i])]
    if not arabic or len(arabic) < 0.8 * len(non_ascii):
        return False

    def paired(i: int) -> bool:
        return any(0 <= j < len(text) and _is_arabic(text[j]) for j in (i - 1, i + 1))

    return sum(map(paired, arabic)) >= 0.8 * len(arabic)


def _non_empty(decoded: Decoded) -> Decoded:
    if not decoded.text or decoded.text.isspace():  # strip() would copy a 300 MB file
        raise EmptyFileError(
            f"the file holds only whitespace ({decoded.encoding}); expected a header row and data rows"
        )
    return decoded


# --- Delimiters ---------------------------------------------------------------------------

#: Candidates in order of preference when two are equally consistent.
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")


def _records(text: str, limit: int) -> list[str]:
    """The first ``limit`` non-blank records, with quoted fields blanked (so their commas don't count)."""
    records: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            line = "".join(current).strip("\r")
            if line.strip():
                records.append(line)
                if len(records) == limit:
                    return records
            current = []
        elif not quoted:
            current.append(ch)
    line = "".join(current).strip("\r")
    if line.strip():
        records.append(line)
    return records[:limit]


def sniff_delimiter(text: str, sample_rows: int = 20) -> str:
    """The delimiter whose count per row is the same in the header and the first rows.

    ``csv.Sniffer`` guesses from character frequencies and picks ":" or " " on short files;
    this rule is simpler and predictable: among ``, ; TAB |``, keep those present in the header
    and found the same number of times on every sampled row (outside double quotes); choose
    the one with the most columns, preferring the order above on a tie. If none is consistent,
    the one that agrees with the header on most rows wins (at least half of them); else ",".

    >>> sniff_delimiter("name;value\\nDana;1,5\\nSalqin;2\\n")
    ';'
    >>> sniff_delimiter('area,value\\n"Idlib, city",12\\n')
    ','
    >>> sniff_delimiter("just one column\\n")
    ','
    """
    records = _records(text, sample_rows + 1)
    if not records:
        return ","
    header, rows = records[0], records[1:]
    scored: list[tuple[float, int, int, str]] = []
    for rank, delim in enumerate(DELIMITERS):
        width = header.count(delim)
        if width == 0:
            continue
        agree = sum(row.count(delim) == width for row in rows) / len(rows) if rows else 1.0
        scored.append((agree, width, -rank, delim))
    if not scored:
        return ","
    consistent = [s for s in scored if s[0] == 1.0]
    if consistent:
        return max(consistent)[3]
    best = max(scored)
    return best[3] if best[0] >= 0.5 else ","


# --- Names -> matching keys -----------------------------------------------------------------

#: Apostrophes, quotes and transliteration marks for ʿayn / hamza: removed, not spaced
#: ("Ma'arrat" and "Maarrat" must give the same key).
_DROP = re.compile("['\"`´‘’‚‛“”„«»ʹʻʼʽʾʿˈ′″]")
_NON_WORD = re.compile(r"[\W_]+")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
#: Article words at a word start: "al-Numan", "An Nu'man", "ash-Shughur", "Ed-daman", "Ez-Zor".
_ARTICLES = frozenset(
    {"al", "el", "an", "as", "ad", "ar", "ash", "at", "az", "ath", "adh"}
    | {"ed", "en", "er", "es", "esh", "et", "ez"}
)
#: Administrative words: dropped at the end (English) or at the start (Arabic and its
#: transliterations: "محافظة إدلب", "ناحية الدانا", "Nahiyat Bulbul").
_TRAILING = frozenset(
    {"governorate", "province", "district", "subdistrict"}
    | {"nahya", "nahiya", "nahiyah", "mantika", "mantiqa", "mantiqah"}
)
_LEADING = frozenset({"محافظه", "منطقه", "ناحيه", "nahiyat", "nahyt", "mintaqat", "muhafazat"})


def clean_name(s: str) -> str:
    """A key for comparing place names: spelling noise removed, the name itself kept.

    NFKC, lower case, accents removed, Arabic folded by :func:`app.normalise.arabic.fold_arabic`
    (diacritics and tatweel dropped, أ إ آ ٱ -> ا, ؤ -> و, ئ -> ي, ء dropped, ة -> ه, ى -> ي,
    Arabic-Indic digits -> 0-9), apostrophes dropped, other punctuation -> space, articles
    ("al-", "an ", "ash-", Arabic "ال" but not "إل") dropped, and the
    administrative word dropped ("... governorate/district/sub-district", "محافظة/منطقة/ناحية
    ..."). Different transliterations stay different ("idleb" vs "idlib"): deciding that they
    are the same place is the fuzzy matcher's job, where it is reported.

    >>> clean_name("Ma'arrat An Nu'man"), clean_name("Maarat al-Numan")
    ('maarrat numan', 'maarat numan')
    >>> clean_name("Idleb"), clean_name("  IDLIB Governorate ")
    ('idleb', 'idlib')
    >>> clean_name("محافظة إِدْلِب"), clean_name("ناحية الدانا")
    ('ادلب', 'دانا')
    >>> clean_name("Jisr-Ash-Shugur sub-district"), clean_name("Nāḩiyat Markaz ‘Afrīn")
    ('jisr shugur', 'markaz afrin')
    """
    text = _DROP.sub("", unicodedata.normalize("NFKC", s))
    # The Arabic article is cut before hamza is folded: "إلياس" starts with no article.
    text = _ARABIC_WORD.sub(lambda m: strip_article(m.group()), strip_arabic_marks(text))
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = fold_arabic(unicodedata.normalize("NFC", text))
    words = _NON_WORD.sub(" ", _DROP.sub("", text)).split()
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
        if len(words) > 1 and words[-1] == "sub":  # "sub-district" became "sub district"
            words.pop()
    while len(words) > 1 and words[0] in _LEADING:
        words.pop(0)
    return " ".join(_strip_articles(words))


def _strip_articles(words: list[str]) -> list[str]:
    out: list[str] = []
    for i, word in enumerate(words):
        if word in _ARTICLES and i + 1 < len(words):
            continue  # a standalone article before another word
        out.append(word)
    return out
