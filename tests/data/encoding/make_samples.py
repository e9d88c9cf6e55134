"""Regenerate the legacy-encoded sample pages from page.utf8.html (run from the repository root).

    python tests/data/encoding/make_samples.py

tcvn3_page.html: TCVN3 bytes under a latin-1 <meta> (how ABC-font pages were published);
vni_page.html: VNI bytes with no charset at all; cp1258_page.html: windows-1258 bytes with every
tone as a combining mark (as Word and FrontPage saved them), declared in <meta http-equiv>.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pipelines.encoding import encode_legacy

HERE = Path(__file__).parent
UTF8_META = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'


def meta(charset: str | None) -> str:
    if charset is None:
        return "<!-- no charset -->"
    return f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'


def cp1258_decomposed(text: str) -> bytes:
    """windows-1258 as Word saved it: vowel qualities precomposed (â ê ô ă ơ ư), tones combining."""
    nfd = unicodedata.normalize("NFD", text)
    nfd = re.sub("\u0323([\u0302\u0306])", "\\1\u0323", nfd)  # NFD puts a dot below first
    shaped = re.sub(
        "[aeoAEO]\u0302|[aA]\u0306|[ouOU]\u031b", lambda m: unicodedata.normalize("NFC", m[0]), nfd
    )
    return shaped.encode("cp1258")


def main() -> None:
    page = (HERE / "page.utf8.html").read_text(encoding="utf-8")
    assert UTF8_META in page
    (HERE / "tcvn3_page.html").write_bytes(
        encode_legacy(page.replace(UTF8_META, meta("iso-8859-1")), "tcvn3")
    )
    (HERE / "vni_page.html").write_bytes(encode_legacy(page.replace(UTF8_META, meta(None)), "vni"))
    (HERE / "cp1258_page.html").write_bytes(
        cp1258_decomposed(page.replace(UTF8_META, meta("windows-1258")))
    )


if __name__ == "__main__":
    main()
