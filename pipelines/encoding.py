"""Bytes of old Vietnamese web pages → NFC Unicode text, legacy encodings included.

Provincial portals still serve pages in windows-1258 and, worse, in the font encodings TCVN3 (ABC,
TCVN 5712:1993 VN3) and VNI-Windows. Those pages usually declare latin-1/windows-1252 or nothing,
so a decoder that trusts the label yields mojibake like "V¨n ho¸" (TCVN3) or "chaøo" (VNI). Python
has no codec for either, so the tables below are our own, written from the published layouts and
checked by round trip in tests/test_encoding.py.

Detection is statistical and conservative: a text is converted only when the conversion turns
tokens that are not Vietnamese into valid Vietnamese syllables, most changed tokens come out valid
and the converted text as a whole reads as Vietnamese. Correct Unicode (Vietnamese, French,
German...) has no such tokens, so it passes through unchanged.

Public API: decode_html, fix_legacy, normalize_text, to_unicode, plus encode_legacy and
decode_legacy (the raw codecs) and is_vietnamese_syllable (the scorer's syllable check).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "decode_html",
    "decode_legacy",
    "encode_legacy",
    "fix_legacy",
    "is_vietnamese_syllable",
    "normalize_text",
    "to_unicode",
]

# ---------------------------------------------------------------------------------------------
# Vietnamese letters
# ---------------------------------------------------------------------------------------------

# Tone marks in a fixed order used by every table: none, huyền, sắc, hỏi, ngã, nặng.
_TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
GRAVE, ACUTE, HOOK, TILDE, DOT = 1, 2, 3, 4, 5
_VOWELS = "aăâeêioôơuưy"  # vowel qualities (breve, circumflex, horn are part of the letter)


def _with_tone(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONE_MARKS[tone])


# Every lowercase vowel letter → (quality, tone); 72 entries, 66 of them precomposed non-ASCII.
_LOWER_SPLIT: dict[str, tuple[str, int]] = {
    _with_tone(v, t): (v, t) for v in _VOWELS for t in range(len(_TONE_MARKS))
}
# The 134 precomposed letters: 67 lowercase (66 vowels + đ) and their capitals.
VIETNAMESE_LETTERS: tuple[str, ...] = tuple(
    sorted(
        {ch for ch in _LOWER_SPLIT if not ch.isascii()}
        | {"đ"}
        | {ch.upper() for ch in _LOWER_SPLIT if not ch.isascii()}
        | {"Đ"}
    )
)
_NATIVE_LETTERS = frozenset(ch for ch in VIETNAMESE_LETTERS if ord(ch) > 0xFF)

# ---------------------------------------------------------------------------------------------
# TCVN3 (ABC, TCVN 5712:1993 VN3)
# ---------------------------------------------------------------------------------------------

# Codes of the toned lowercase vowels, listed in TCVN3's own order: huyền, hỏi, ngã, sắc, nặng.
_TCVN3_TONED = {
    "a": "\xb5\xb6\xb7\xb8\xb9",
    "ă": "\xbb\xbc\xbd\xbe\xc6",
    "â": "\xc7\xc8\xc9\xca\xcb",
    "e": "\xcc\xce\xcf\xd0\xd1",
    "ê": "\xd2\xd3\xd4\xd5\xd6",
    "i": "\xd7\xd8\xdc\xdd\xde",
    "o": "\xdf\xe1\xe2\xe3\xe4",
    "ô": "\xe5\xe6\xe7\xe8\xe9",
    "ơ": "\xea\xeb\xec\xed\xee",
    "u": "\xef\xf1\xf2\xf3\xf4",
    "ư": "\xf5\xf6\xf7\xf8\xf9",
    "y": "\xfa\xfb\xfc\xfd\xfe",
}
_TCVN3_ORDER = (GRAVE, HOOK, TILDE, ACUTE, DOT)
# Untoned letters with diacritics; only these seven have capitals in VN3.
_TCVN3_PLAIN = {
    "Ă": "\xa1",
    "Â": "\xa2",
    "Ê": "\xa3",
    "Ô": "\xa4",
    "Ơ": "\xa5",
    "Ư": "\xa6",
    "Đ": "\xa7",
    "ă": "\xa8",
    "â": "\xa9",
    "ê": "\xaa",
    "ô": "\xab",
    "ơ": "\xac",
    "ư": "\xad",  # the soft-hyphen position: fix_legacy must run before normalize_text
    "đ": "\xae",
}
_TCVN3_DECODE: dict[str, str] = {code: letter for letter, code in _TCVN3_PLAIN.items()}
for _base, _codes in _TCVN3_TONED.items():
    for _tone, _code in zip(_TCVN3_ORDER, _codes, strict=True):
        _TCVN3_DECODE[_code] = _with_tone(_base, _tone)
# Capital toned letters have no VN3 code: "ABC" uppercase fonts (.VnTimeH) draw the lowercase codes
# as capitals, so encoding a capital uses its lowercase code.
_TCVN3_ENCODE: dict[str, str] = {letter: code for code, letter in _TCVN3_DECODE.items()}
for _code, _letter in list(_TCVN3_DECODE.items()):
    _TCVN3_ENCODE.setdefault(_letter.upper(), _code)
_TCVN3_LOWER_CODES = frozenset(c for c, letter in _TCVN3_DECODE.items() if letter.islower())
_TCVN3_TABLE = str.maketrans(_TCVN3_DECODE)

# ---------------------------------------------------------------------------------------------
# VNI-Windows: ASCII base letter followed by a mark byte, a few letters as single bytes
# ---------------------------------------------------------------------------------------------

_VNI_TONE = ("", "ø", "ù", "û", "õ", "ï")  # tone only
_VNI_CIRC = ("â", "à", "á", "å", "ã", "ä")  # circumflex + tone: â ê ô
_VNI_BREVE = ("ê", "è", "é", "ú", "ü", "ë")  # breve + tone: ă
_VNI_I = ("i", "ì", "í", "æ", "ó", "ò")  # i takes single bytes


def _vni_lower(quality: str, tone: int) -> str:
    if quality == "i":
        return _VNI_I[tone]
    if quality == "y" and tone == DOT:
        return "î"
    if quality in "âêô":
        return {"â": "a", "ê": "e", "ô": "o"}[quality] + _VNI_CIRC[tone]
    if quality == "ă":
        return "a" + _VNI_BREVE[tone]
    base = {"ơ": "ô", "ư": "ö"}.get(quality, quality)
    return base + _VNI_TONE[tone]


_VNI_ENCODE: dict[str, str] = {"đ": "ñ", "Đ": "Ñ"}
_VNI_DECODE: dict[str, str] = {"ñ": "đ", "Ñ": "Đ"}
for _letter, (_quality, _tone) in _LOWER_SPLIT.items():
    _enc = _vni_lower(_quality, _tone)
    if _enc == _letter and _letter.isascii():  # plain ASCII vowel
        continue
    _VNI_ENCODE[_letter] = _enc
    _VNI_ENCODE[_letter.upper()] = _enc.upper()
    _VNI_DECODE[_enc] = _letter
    _VNI_DECODE[_enc.upper()] = _letter.upper()
    if len(_enc) == 2:
        # Accept a mark in the other case too (typed with Shift or Caps Lock); the base decides.
        _VNI_DECODE.setdefault(_enc[0] + _enc[1].upper(), _letter)
        _VNI_DECODE.setdefault(_enc[0].upper() + _enc[1], _letter.upper())
_VNI_RE = re.compile(
    "|".join(re.escape(k) for k in sorted(_VNI_DECODE, key=lambda k: (-len(k), k)))
)

# ---------------------------------------------------------------------------------------------
# Single-byte views: windows-1252 (what browsers use for latin-1) and windows-1258
# ---------------------------------------------------------------------------------------------


def _byte_table(codec: str) -> str:
    # Bytes a codec leaves undefined map to the latin-1 code point: never fail, lose nothing.
    chars = []
    for b in range(256):
        try:
            chars.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            chars.append(chr(b))
    return "".join(chars)


_CP1252 = _byte_table("cp1252")
_CP1258 = _byte_table("cp1258")
_VIEW_1252 = {i: c for i, c in enumerate(_CP1252) if c != chr(i)}
_VIEW_1258 = {i: c for i, c in enumerate(_CP1258) if c != chr(i)}
# A cp1252/latin-1 character → the windows-1258 character of the same byte.
_TO_1258: dict[int, str] = {}
for _b in range(0x80, 0x100):
    if _CP1258[_b] != _CP1252[_b] and _CP1258[_b] != chr(_b):  # only bytes cp1258 defines
        _TO_1258[ord(_CP1252[_b])] = _CP1258[_b]
        _TO_1258[_b] = _CP1258[_b]


def _view_1252(body: bytes) -> str:
    return body.decode("latin-1").translate(_VIEW_1252)


def _decode_1258(body: bytes) -> str:
    return unicodedata.normalize("NFC", body.decode("latin-1").translate(_VIEW_1258))


# ---------------------------------------------------------------------------------------------
# Codecs
# ---------------------------------------------------------------------------------------------

SCHEMES = ("tcvn3", "vni")


def _vni_sub(m: re.Match[str]) -> str:
    return _VNI_DECODE[m.group()]


def decode_legacy(text: str, scheme: str) -> str:
    """Convert text read as cp1252/latin-1 from `scheme` ("tcvn3", "vni", "cp1258") to NFC Unicode,
    unconditionally (fix_legacy decides whether to)."""
    try:
        if scheme == "tcvn3":
            out = "".join(_convert_line(line, "tcvn3") for line in text.splitlines(keepends=True))
        elif scheme == "vni":
            out = _VNI_RE.sub(_vni_sub, text)
        elif scheme == "cp1258":
            out = text.translate(_TO_1258)
        else:
            out = text
        return unicodedata.normalize("NFC", out)
    except Exception:  # never raise: best effort is the input
        return text


def encode_legacy(text: str, scheme: str) -> bytes:
    """Encode Unicode text the way a legacy page would store it: "tcvn3", "vni" or "cp1258".

    Characters the scheme cannot hold, or whose cp1252 byte the scheme uses for a letter, become
    HTML character references so decoding never confuses them with letters. TCVN3 has no toned
    capitals: they are written with the lowercase codes, as ABC uppercase fonts expect. Any other
    scheme name gives UTF-8.
    """
    try:
        return _encode_legacy(unicodedata.normalize("NFC", str(text)), scheme)
    except Exception:  # never raise
        return str(text).encode("utf-8", "replace")


def _encode_legacy(text: str, scheme: str) -> bytes:
    if scheme not in ("tcvn3", "vni", "cp1258"):
        return text.encode("utf-8", "replace")
    table = {"tcvn3": _TCVN3_ENCODE, "vni": _VNI_ENCODE}.get(scheme)
    used = frozenset("".join(table.values())) if table is not None else frozenset()
    out = bytearray()
    for ch in text:
        if table is not None:
            enc = table.get(ch)
            if enc is not None:
                out += enc.encode("latin-1")
                continue
            if ch.isascii():
                out += ch.encode("ascii")
                continue
            try:
                byte = ch.encode("cp1252")
            except UnicodeEncodeError:
                byte = b""
            if byte and byte.decode("latin-1") not in used:
                out += byte
            else:
                out += f"&#{ord(ch)};".encode("ascii")
            continue
        # windows-1258: letters it lacks precomposed are written as letter + combining tone mark.
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        split = _LOWER_SPLIT.get(ch.lower())
        if split is not None:
            base = split[0].upper() if ch.isupper() else split[0]
            try:
                out += (base + _TONE_MARKS[split[1]]).encode("cp1258")
                continue
            except UnicodeEncodeError:
                pass
        out += f"&#{ord(ch)};".encode("ascii")
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# Vietnamese syllable check: onset + rhyme, at most one tone, stop codas only with sắc/nặng
# ---------------------------------------------------------------------------------------------

# Written as one line each so the inventory reads like a textbook table.
_ONSETS_TEXT = "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x"
_OPEN_RHYMES_TEXT = (
    "a ai ao au ay âu ây e eo ê êu i ia iu iêu yêu o oa oai oao oay oe oeo oi ô ôi ơ ơi u ua uây uê "
    "ui uôi uơ uy uya uyu ư ưa ưi ưu ươi ươu y"
)
_ONSETS = sorted([*_ONSETS_TEXT.split(), ""], key=len, reverse=True)
_CODA_RHYMES = {  # nucleus → codas it takes ("k" for highland names such as Đắk Lắk)
    "a": "c ch k m n ng nh p t",
    "ă": "c k m n ng p t",
    "â": "c k m n ng p t",
    "e": "c k m n ng p t",
    "ê": "ch k m n nh p t",
    "i": "ch m n nh p t",
    "o": "c k m n ng p t",
    "ô": "c k m n ng p t",
    "ơ": "k m n p t",
    "u": "c k m n ng p t",
    "ư": "c k m n ng t",
    "iê": "c m n ng p t",
    "yê": "c m n ng p t",
    "uô": "c m n ng t",
    "ươ": "c m n ng p t",
    "oa": "c ch m n ng nh p t",
    "oă": "c m n ng t",
    "oe": "m n t",
    "uâ": "n ng t",
    "uê": "ch n nh",
    "uy": "ch n nh p t",
    "uyê": "n t",
    "oo": "c ng",
}
_RHYMES = frozenset(_OPEN_RHYMES_TEXT.split()) | frozenset(
    nucleus + coda for nucleus, codas in _CODA_RHYMES.items() for coda in codas.split()
)
_STOPS = ("c", "ch", "p", "t")
_LETTER_SPLIT: dict[str, tuple[str, int]] = dict(_LOWER_SPLIT)
_LETTER_SPLIT.update({c: (c, 0) for c in "bcdđghklmnpqrstvx"})


# Open rhymes ending in a glide (i y o u): the tone never sits on that glide ("ại", not "aị").
# Entries per word cache: a page's working set (Vietnamese has ~7k syllables). 65536 held ~70 MiB
# after varied text; 8192 holds ~7 MiB at the same speed on legacy pages.
_CACHE = 8192

_GLIDE_FINAL_TEXT = (
    "ai ao au ay âu ây eo êu iu oi ôi ơi ui ưi ưu uôi ươi ươu iêu yêu oai oao oay uây uyu oeo"
)
_GLIDE_FINAL = frozenset(_GLIDE_FINAL_TEXT.split())


def is_vietnamese_syllable(word: str) -> bool:
    """True for one well-formed Vietnamese syllable in any case ("Hòa", "hoà", "NGƯỜI", "Đắk").

    Old and new tone placement are both accepted ("hòa"/"hoà", "thủy"/"thuỷ")."""
    return isinstance(word, str) and _syllable(word)


@lru_cache(maxsize=_CACHE)
def _syllable(word: str) -> bool:
    word = unicodedata.normalize("NFC", word).lower()
    plain = []
    tone = tone_at = 0
    for i, ch in enumerate(word):
        split = _LETTER_SPLIT.get(ch)
        if split is None:
            return False
        plain.append(split[0])
        if split[1]:
            if tone:
                return False  # two tone marks
            tone, tone_at = split[1], i
    s = "".join(plain)
    for onset in _ONSETS:
        if s.startswith(onset):
            rhyme = s[len(onset) :]
            if rhyme in _RHYMES:
                if tone and rhyme in _GLIDE_FINAL and tone_at == len(s) - 1:
                    return False
                # Checked syllables (-c -ch -p -t) take only sắc or nặng.
                return not (rhyme.endswith(_STOPS) and tone not in (ACUTE, DOT))
    return False


# ---------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------

# Word characters for scoring: letters and digits, combining marks, and the TCVN3 codes that are
# symbols in cp1252 ("¸", "«", "\xad"...), since they sit inside mojibake words.
_EXTRA_WORD = "".join(sorted(c for c in _TCVN3_DECODE if not c.isalnum()))
_TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f" + re.escape(_EXTRA_WORD) + r"])+")
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>|&#?\w{1,8};")
_SAMPLE = 500_000  # characters scored for detection: plenty, and bounds the cost of huge input


_BLOCK = re.compile(r"<(script|style)\b|<!--", re.IGNORECASE)
_BLOCK_END = {
    "script": re.compile(r"</script", re.IGNORECASE),
    "style": re.compile(r"</style", re.IGNORECASE),
    "": re.compile(r"-->"),
}


def _visible(text: str) -> str:
    """Roughly the visible text of HTML: scripts, styles, comments, tags and entities removed."""
    out, i = [], 0
    while (m := _BLOCK.search(text, i)) is not None:
        end = _BLOCK_END[(m.group(1) or "").lower()].search(text, m.end())
        if end is None:
            break  # unclosed: keep the rest as it is
        out += [text[i : m.start()], " "]
        i = end.end()
    out.append(text[i:])
    return _TAG.sub(" ", "".join(out))


_SOURCE_CHARS = {
    "tcvn3": frozenset(_TCVN3_DECODE),
    "vni": frozenset("".join(_VNI_DECODE)) - frozenset("aeouyAEOUY"),
    "cp1258": frozenset(chr(c) for c in _TO_1258),
}


@lru_cache(maxsize=_CACHE)
def _tcvn3_token(token: str, caps_line: bool = False) -> str:
    conv = token.translate(_TCVN3_TABLE)
    if conv == token:
        return conv
    # Capitals typed in an uppercase font (.VnTimeH) still use the lowercase codes: "HO¸" is
    # "HOÁ". Restore them when the rest of the word, or of a line in capitals, is in capitals.
    others = [
        c for c, o in zip(conv, token, strict=True) if o not in _TCVN3_LOWER_CODES and c.isalpha()
    ]
    if all(c.isupper() for c in others) and (len(others) >= 2 or caps_line):
        conv = "".join(
            c.upper() if o in _TCVN3_LOWER_CODES else c for c, o in zip(conv, token, strict=True)
        )
    return unicodedata.normalize("NFC", conv)


def _caps_line(line: str) -> bool:
    # A title typed in capitals: at least four letters outside the lowercase codes, all capitals.
    letters = [c for c in line if c.isalpha() and c not in _TCVN3_LOWER_CODES]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


@lru_cache(maxsize=_CACHE)
def _convert_token(token: str, scheme: str) -> str:
    if scheme == "tcvn3":
        return _tcvn3_token(token)
    return decode_legacy(token, scheme)


@lru_cache(maxsize=_CACHE)
def _tcvn3_weak(token: str) -> bool:
    # A word whose only capital evidence is too thin to tell ("Vµ" may be "VÀ" or "Và").
    others = [c for c in token if c not in _TCVN3_LOWER_CODES and c.isalpha()]
    return (
        len(others) < 2
        and all(c.isupper() for c in others)
        and any(c in _TCVN3_LOWER_CODES for c in token)
    )


def _caps_syllable(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and _syllable(word)


def _tcvn3_text(text: str, caps: bool) -> str:
    matches = list(_TOKEN.finditer(text))
    convs = [_tcvn3_token(m.group(), caps) for m in matches]
    words = [k for k, c in enumerate(convs) if any(ch.isalpha() for ch in c)]
    for i, k in enumerate(words):
        if convs[k].isupper() or not _tcvn3_weak(matches[k].group()):
            continue
        # Between words in capitals ("TIN Vµ TRUYÒN") a short word is in capitals too. Acronyms
        # do not count: "UBND vµ H§ND" keeps "và".
        near = [convs[words[j]] for j in (i - 1, i + 1) if 0 <= j < len(words)]
        if near and all(_caps_syllable(w) for w in near):
            convs[k] = convs[k].upper()
    out, pos = [], 0
    for m, conv in zip(matches, convs, strict=True):
        out += [text[pos : m.start()], conv]
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


_TAG_SPLIT = re.compile(f"({_TAG.pattern})")


def _convert_line(line: str, scheme: str) -> str:
    if scheme == "tcvn3":
        caps = _caps_line(_TAG.sub(" ", line))
        # Tags (attribute values hold text too) and the text between them separately: a tag name
        # is no neighbouring word.
        return "".join(_tcvn3_text(part, caps) for part in _TAG_SPLIT.split(line))
    return _TOKEN.sub(lambda m: _convert_token(m.group(), scheme), line)


@lru_cache(maxsize=_CACHE)
def _neutral(token: str) -> bool:
    # Numbers, acronyms (UBND), single ASCII letters and lone symbols say nothing about language.
    if not any(c.isalpha() for c in token) or any(c.isdigit() for c in token):
        return True
    return token.isascii() and (len(token) == 1 or token.isupper())


def _plausible_as_is(token: str) -> bool:
    # A normally cased word of letters ("café", "Müller") is worth keeping even if not Vietnamese.
    return token.isalpha() and (token.islower() or token.isupper() or token.istitle())


class _Score(NamedTuple):
    gain: int  # changed tokens: not Vietnamese before, Vietnamese after
    distinct: int  # different words among the gains
    strong: int  # gains with a symbol inside the word ("ho¸"): no language spells like that
    both: int  # changed tokens Vietnamese before and after ("cã" → "có")
    loss: int  # changed tokens that were plausible words and no longer are ("café" → "cafộ")
    changed: int
    counted: int  # tokens that say something about the language
    valid_before: int
    valid_after: int


# Per-token verdicts for _score.
_SKIP, _SAME_BAD, _SAME_OK, _GAIN, _STRONG_GAIN, _BOTH, _LOSS_VI, _LOSS, _NEITHER = range(9)


@lru_cache(maxsize=2 * _CACHE)
def _verdict(token: str, scheme: str) -> int:
    if _neutral(token):
        return _SKIP
    conv = _convert_token(token, scheme)
    ok_before = _syllable(token)
    if conv == token:
        return _SAME_OK if ok_before else _SAME_BAD
    ok_after = _syllable(conv)
    if ok_after:
        if ok_before:
            return _BOTH
        return _GAIN if token.isalnum() else _STRONG_GAIN
    if len(conv) > 1 and conv.isupper():
        return _SKIP  # an acronym once converted ("H§ND" → "HĐND"), like "UBND"
    if ok_before:
        return _LOSS_VI
    return _LOSS if _plausible_as_is(token) else _NEITHER


def _score(tokens: list[str], scheme: str) -> _Score:
    n = [0] * 9
    gained: set[str] = set()
    for token in tokens:
        v = _verdict(token, scheme)
        n[v] += 1
        if v in (_GAIN, _STRONG_GAIN):
            gained.add(token.lower())
    gain = n[_GAIN] + n[_STRONG_GAIN]
    loss = n[_LOSS_VI] + n[_LOSS]
    changed = gain + n[_BOTH] + loss + n[_NEITHER]
    before = n[_SAME_OK] + n[_BOTH] + n[_LOSS_VI]
    after = n[_SAME_OK] + n[_BOTH] + gain
    counted = changed + n[_SAME_OK] + n[_SAME_BAD]
    return _Score(
        gain, len(gained), n[_STRONG_GAIN], n[_BOTH], loss, changed, counted, before, after
    )


def _convincing(s: _Score) -> bool:
    if s.gain == 0 or s.counted == 0 or s.gain <= s.loss:
        return False
    r_before, r_after = s.valid_before / s.counted, s.valid_after / s.counted
    return (
        (s.gain + s.both) / s.changed >= 0.7  # changed words come out Vietnamese
        and r_after >= 0.5  # and the text as a whole reads as Vietnamese
        and r_after > r_before
        # One word is no evidence ("Où" reads as VNI "Ó") unless it holds a symbol ("ho¸").
        and (s.distinct >= 2 or (s.strong >= 1 and r_after >= 0.8))
    )


def _native(text: str) -> bool:
    # Vietnamese letters outside latin-1 or combining marks: this text is Unicode already.
    return any(c in _NATIVE_LETTERS or "\u0300" <= c <= "\u036f" for c in text)


def _detect(text: str, schemes: tuple[str, ...], min_gain: int = 1) -> str | None:
    present = frozenset(text)
    candidates = [s for s in schemes if present & _SOURCE_CHARS[s]]
    if not candidates:
        return None
    tokens = _TOKEN.findall(_visible(text[:_SAMPLE]))
    ranked = []
    for i, scheme in enumerate(candidates):
        s = _score(tokens, scheme)
        if s.gain >= min_gain and _convincing(s):
            ranked.append((s.gain, (s.gain + s.both) / s.changed, -i, scheme))
    if not ranked:
        return None
    ranked.sort(reverse=True)
    # Two readings that both make sense ("BÓU": VNI "BĨU" or TCVN3 "BỂU") mean we cannot tell.
    if len(ranked) > 1 and ranked[1][0] * 2 > ranked[0][0]:
        return None
    return ranked[0][3]


def _apply(text: str, scheme: str) -> str:
    # Line by line, so the Unicode menus of a UTF-8 page whose articles were typed in a TCVN3/VNI
    # font keep their text while the article lines are converted.
    pure = not _native(text)
    out = []
    for line in text.splitlines(keepends=True):
        if not pure and _native(line):
            out.append(line)
            continue
        s = _score(_TOKEN.findall(_TAG.sub(" ", line)), scheme)
        if s.loss > s.gain or (not pure and s.gain == 0):
            out.append(line)
            continue
        out.append(_convert_line(line, scheme))
    return unicodedata.normalize("NFC", "".join(out))


def _fix(text: str, schemes: tuple[str, ...], min_gain: int = 1) -> tuple[str, str | None]:
    if text.isascii():
        return text, None
    scheme = _detect(text, schemes, min_gain)
    if scheme is None:
        return text, None
    return _apply(text, scheme), scheme


def fix_legacy(text: str) -> tuple[str, str | None]:
    """Detect TCVN3 or VNI mojibake in text read as latin-1/cp1252 and convert it to NFC Unicode.

    Returns (text, "tcvn3" | "vni") after a conversion, else (the input unchanged, None).
    """
    try:
        if not isinstance(text, str):
            return ("" if text is None else str(text)), None
        return _fix(text, SCHEMES)
    except Exception:  # never raise: best effort is the input
        return text, None


# ---------------------------------------------------------------------------------------------
# Normalization
# ---------------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060\u00ad"))
_INVISIBLE.update(dict.fromkeys(map(ord, "\u00a0\u202f\u2007"), " "))


def normalize_text(text: str) -> str:
    """NFC; drop zero-width characters and soft hyphens; non-breaking spaces become spaces.

    Other whitespace is left alone (callers collapse it)."""
    try:
        # Invisible characters first: one between a letter and its combining mark blocks NFC.
        return unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    except Exception:
        return text if isinstance(text, str) else ""


def to_unicode(text: str) -> str:
    """fix_legacy then normalize_text (in that order: TCVN3 stores ư as a soft hyphen)."""
    return normalize_text(fix_legacy(text)[0])


# ---------------------------------------------------------------------------------------------
# HTML bytes
# ---------------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([-\w.:+]+)|<\?xml[^>]*?encoding\s*=\s*["']([-\w.:+]+)""",
    re.IGNORECASE,
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([-\w.:+]+)""", re.IGNORECASE)
_LEGACY_LABELS = {
    "tcvn": "tcvn3",
    "tcvn3": "tcvn3",
    "tcvn-3": "tcvn3",
    "tcvn5712": "tcvn3",
    "x-viet-tcvn5712": "tcvn3",
    "x-viet-tcvn": "tcvn3",
    "vn3": "tcvn3",
    "abc": "tcvn3",
    "vni": "vni",
    "x-viet-vni": "vni",
    "vni-windows": "vni",
}
# Browsers read these labels as windows-1252 (WHATWG), and so do we.
_AS_1252 = {"iso8859-1", "latin-1", "ascii", "cp1252"}


def _label(raw: str | bytes | None) -> str | None:
    """A declared charset (bare or a whole Content-Type value) → a codec name we can use."""
    if not raw:
        return None
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1")
    m = _HEADER_CHARSET.search(raw)
    name = (m.group(1) if m else raw).strip().strip("\"'").lower()
    if name in _LEGACY_LABELS:
        return _LEGACY_LABELS[name]
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):
        return None
    if codec in _AS_1252:
        return "cp1252"
    if codec.startswith(("utf-16", "utf-32")):
        return None  # without a BOM these labels are wrong far more often than right
    return codec


def _mostly_utf8(body: bytes) -> str | None:
    # A page with a few broken sequences (truncation, one bad paste) is still UTF-8; legacy bytes
    # almost never form valid multi-byte sequences, so several good ones per bad one decide it.
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f") - bad
    return text if good >= max(2, 4 * bad) else None


# Characters TCVN3/VNI mojibake is made of that Vietnamese Unicode text never holds (it holds
# only these latin-1 letters). A clean UTF-8 page without any needs no detection (~13% of a
# crawl's CPU). Searched in the UTF-8 bytes: 20x faster than in the decoded text.
_VIET_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_MARKS = frozenset().union(*(_SOURCE_CHARS[s] for s in SCHEMES)) - _VIET_LATIN1
_LEGACY_MARK = re.compile(
    b"|".join(
        re.escape(lead) + b"[" + b"".join(re.escape(bytes([c.encode()[1]])) for c in chars) + b"]"
        for lead in (b"\xc2", b"\xc3")
        if (chars := sorted(c for c in _MARKS if c.encode()[:1] == lead))
    )
)
_FOOTER_SIGNS = {"©".encode(), "®".encode()}


def _clean_utf8(body: bytes) -> bool:
    """True when bytes that decode strictly as UTF-8 cannot hold TCVN3/VNI content: no marker
    character, except a footer's "©"/"®" standing apart from words (mojibake puts it inside)."""
    for m in _LEGACY_MARK.finditer(body):
        if m.group() not in _FOOTER_SIGNS:
            return False
        i, j = m.start(), m.end()
        near = body[i - 1 : i] + body[j : j + 1]
        if any(b >= 0x80 or chr(b).isalnum() for b in near):
            return False
    return True


def _finish(text: str, label: str) -> tuple[str, str]:
    # A UTF-8 page may still carry text typed in a TCVN3/VNI font: check it too.
    fixed, scheme = _fix(text, SCHEMES)
    return unicodedata.normalize("NFC", fixed), scheme or label


def _single_byte(body: bytes, kind: str, guessed: bool = False) -> tuple[str, str]:
    view = _view_1252(body)
    # windows-1258 competes with TCVN3/VNI whatever the label: a latin-1 label often hides it, and
    # under a cp1258 label it wins ties.
    schemes = (*SCHEMES, "cp1258") if kind == "cp1252" else ("cp1258", *SCHEMES)
    # A windows-1258 label is overruled only by a page's worth of evidence, not a word or two.
    fixed, scheme = _fix(view, schemes, 3 if kind == "cp1258" and not guessed else 1)
    if scheme in SCHEMES:
        return unicodedata.normalize("NFC", fixed), scheme
    if scheme == "cp1258":
        return _decode_1258(body), scheme
    if kind == "cp1252":
        return unicodedata.normalize("NFC", view), kind
    if guessed and not view.isascii():
        # Unlabelled: windows-1258 unless it would damage more words than it mends ("não").
        s = _score(_TOKEN.findall(_visible(view[:_SAMPLE])), "cp1258")
        if s.valid_after < s.valid_before or (s.loss > s.gain and s.valid_after <= s.valid_before):
            return unicodedata.normalize("NFC", view), "cp1252"
    return _decode_1258(body), kind


def _decode_html(body: bytes, declared: str | None) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return _finish(body[len(bom) :].decode(codec, "replace"), codec)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _clean_utf8(body):
            return unicodedata.normalize("NFC", text), "utf-8"
        return _finish(text, "utf-8")
    text = _mostly_utf8(body)
    if text is not None:
        return _finish(text, "utf-8")
    labels = [_label(declared)]
    labels += [_label(m.group(1) or m.group(2)) for m in _META_CHARSET.finditer(body[:2048])]
    for label in labels:
        if label is None or label == "utf-8":
            continue  # UTF-8 already failed above
        if label in SCHEMES:
            return decode_legacy(_view_1252(body), label), label
        if label in ("cp1252", "cp1258"):
            return _single_byte(body, label)
        try:
            return unicodedata.normalize("NFC", body.decode(label)), label
        except (UnicodeDecodeError, LookupError, ValueError):
            continue
    return _single_byte(body, "cp1258", guessed=True)


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a page's bytes to NFC text; return (text, encoding label).

    Order: BOM; strict UTF-8 (or UTF-8 with a few broken sequences); the declared charset (HTTP
    header, then <meta>/<?xml?> in the first 2 KB) if it decodes; else windows-1258. Single-byte
    results are checked for TCVN3/VNI (and, under a latin-1/cp1252 label, windows-1258) content.
    Labels: "utf-8", "cp1252", "cp1258", "tcvn3", "vni", or another Python codec name.
    """
    try:
        if isinstance(body, str):
            return _finish(body, "utf-8")
        return _decode_html(bytes(body), declared)
    except Exception:  # never raise: fall back to a lossless single-byte view
        try:
            return unicodedata.normalize("NFC", _view_1252(bytes(body))), "cp1252"
        except Exception:
            return "", "cp1252"
