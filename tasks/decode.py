"""Bytes -> normalised text, or a clear reason why a file is not an article we can read.

Order matters: cheap certain signals first (empty, magic numbers, byte-order marks, strict
UTF-8), the statistical detector last and only among encodings this genre uses, because
charset-normalizer misreads short GB18030 text as Korean when given free choice.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from charset_normalizer import from_bytes


class Refused(Exception):
    """The file cannot become a document; ``str(exc)`` is the reason shown in `rejects`."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...] = ()


_MAGIC = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"SQLite format 3", "SQLite database"),
    (b"RIFF", "RIFF media file"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf_8_sig"),
    (b"\xff\xfe\x00\x00", "utf_32_le"),
    (b"\x00\x00\xfe\xff", "utf_32_be"),
    (b"\xff\xfe", "utf_16_le"),
    (b"\xfe\xff", "utf_16_be"),
)
_CANDIDATES = ["utf_8", "gb18030", "big5"]  # UTF-16 without a BOM is recognised by its NUL bytes first
_HTML_HINT = re.compile(
    r"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])|<(p|div|br|article)[\s>/]", re.I
)
# Removed by a regex rather than str.translate: a charset scan is ~10x faster than a table lookup
# per character on non-ASCII text.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# "(" first, the hanzi before it checked behind: the regex engine then jumps from "(" to "(" rather
# than testing the look-behind at every character.
_RUBY_PINYIN = re.compile(r"\((?<=[\u4e00-\u9fff]\()([a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,7})\)")


@functools.cache
def _pinyin_syllables() -> frozenset[str]:
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {reading for value in pinyin_dict.values() for reading in value.split(",")}
    syllables = set()
    for reading in readings:  # ~1,500 distinct readings among ~40,000 characters: strip each once
        plain = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
        syllables.add(plain.replace("ü", "v"))
    return frozenset(syllables)


def _is_pinyin(token: str) -> bool:
    """ "(xiàng)", "(wang)": a pinyin syllable (tone marks optional) annotating the character before it."""
    plain = "".join(c for c in unicodedata.normalize("NFD", token) if not unicodedata.combining(c))
    return plain.replace("ü", "v") in _pinyin_syllables()


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Whitespace other than newline and the plain space: the only characters that can be a tab or a
# Zs space (every Zs character is \s), so only these few go through the category lookup.
_ODD_SPACE = re.compile(r"[^\S\n ]")
_FULLWIDTH_ALNUM = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code - 0xFEE0).isalnum()}
_FULLWIDTH_ALNUM.update({ord("％"): ord("%"), ord("＄"): ord("$"), ord("＆"): ord("&"), ord("＋"): ord("+")})
_ANY_FULLWIDTH = re.compile("[" + "".join(map(chr, _FULLWIDTH_ALNUM)) + "]")  # translate only when needed
_FULLWIDTH_POINT = re.compile(r"(?<=\d)．(?=\d)")
# Every character the zero-width, line-break, odd-space and control substitutions replace: the tab
# and the other 26 characters str.isspace() accepts besides newline and space, C0 controls, DEL, and
# the zero-width and soft-hyphen marks. Text without any (most text) skips those four scans.
_ANY_ODD_CHARACTER = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f\x85\xa0\u00ad\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]"
)


def decode_bytes(raw: bytes, name: str = "") -> Decoded:
    """Decode a file's bytes to normalised text or raise :class:`Refused`."""
    if not raw.strip(b" \t\r\n\x00"):
        raise Refused("empty file (no text)" if not raw else "file contains only whitespace")
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            raise Refused(f"binary file ({kind}), not a text article")
    text, encoding, notes = _to_str(raw)
    nul = text.count("\x00")
    if nul:
        if nul > max(8, len(text) // 100):
            raise Refused(f"binary content: {nul} NUL bytes in {len(text)} characters")
        text = text.replace("\x00", "")
        notes.append(f"removed {nul} NUL character(s)")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 50):
        raise Refused(f"binary content: {controls} control characters in {len(text)} characters")
    head = text[:4000]  # every tag the hint looks for starts with "<": a plain-text article has none
    if name.lower().endswith((".html", ".htm", ".xhtml")) or ("<" in head and _HTML_HINT.search(head)):
        text = html_to_text(text)
        encoding = f"{encoding}+html"
    text = normalize_text(text)
    if not text.strip():
        raise Refused(
            "file contains no readable text" if "html" in encoding else "file contains only whitespace"
        )
    return Decoded(text=text, encoding=encoding, notes=tuple(notes))


def _to_str(raw: bytes) -> tuple[str, str, list[str]]:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec, []
            except UnicodeDecodeError as exc:
                raise Refused(f"damaged {codec} text after its byte-order mark: {exc.reason}") from None
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return raw.decode(utf16, errors="replace"), utf16, []
    stray = raw.count(0)
    chinese_utf16 = _utf16_chinese(raw) if stray else None
    if chinese_utf16:  # Chinese UTF-16 without a BOM: NULs only in the high bytes of its ASCII characters
        return raw.decode(chinese_utf16), chinese_utf16, []
    if 0 < stray <= max(8, len(raw) // 100):  # a few NUL bytes, even inside a character, are damage
        text, encoding, notes = _to_str(raw.replace(b"\x00", b""))
        return text, encoding, [*notes, f"removed {stray} NUL byte(s)"]
    try:
        return raw.decode("utf_8"), "utf_8", []
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3 and exc.reason == "unexpected end of data":
            return (
                raw[: exc.start].decode("utf_8"),
                "utf_8",
                ["dropped an incomplete UTF-8 character at the end"],
            )
        if _mostly_utf8(raw):
            return raw.decode("utf_8", errors="replace"), "utf_8", ["replaced invalid UTF-8 bytes"]
    utf16 = _utf16_chinese(raw)  # only after UTF-8: ASCII read as UTF-16 can look like hanzi
    if utf16:
        return raw.decode(utf16), utf16, []
    best = from_bytes(raw, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise Refused("not text in any supported encoding (UTF-8, UTF-16, GB18030, Big5)")
    return str(best), best.encoding, []


def _utf16_without_bom(raw: bytes) -> str | None:
    """ASCII-heavy UTF-16 shows NULs in every other byte; GB18030/UTF-8 never contain NUL."""
    sample = raw[:4000]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 3 * max(even, 1):
        return "utf_16_le"
    if even > 3 * max(odd, 1):
        return "utf_16_be"
    return None


def _utf16_chinese(raw: bytes) -> str | None:
    """Chinese UTF-16 without a BOM has no NUL bytes, but read as UTF-16 it is (almost) all common
    hanzi, ASCII and CJK punctuation; GB18030 or Big5 bytes read as UTF-16 land in Hangul, Yi or
    private-use blocks instead."""
    if len(raw) % 2 or len(raw) < 8:
        return None
    for codec in ("utf_16_le", "utf_16_be"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        plausible = sum(
            1
            for ch in text
            if "\u4e00" <= ch <= "\u9fff"
            or "\u3000" <= ch <= "\u303f"
            or "\uff00" <= ch <= "\uffef"
            or (ch.isascii() and (ch.isprintable() or ch in "\r\n\t"))
        )
        if plausible >= 0.95 * len(text):
            return codec
    return None


def _mostly_utf8(raw: bytes) -> bool:
    """A few stray bytes in otherwise valid UTF-8 (a corrupted download) are not another encoding."""
    bad = raw.decode("utf_8", errors="replace").count("\ufffd")
    return bad <= max(2, len(raw) // 1000) and bool(re.search(rb"[\xe4-\xe9][\x80-\xbf]{2}", raw))


# Elements whose text is never article text: dropped with everything inside them.
_HIDDEN_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select", "nav"]
)
# Elements that start a line of their own.
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "dd",
        "dt",
        "figcaption",
    ]
)
_BODY_TAG = re.compile(r"<body[\s>]", re.I)


def html_to_text(html: str) -> str:
    """Visible text of a saved web page, one block element per line.

    The article body (``<article>``/``<main>``) is preferred when the page has one; the headline
    (``<h1>`` or ``<title>``) is put first. Remaining site chrome is left to the cleaner.

    libxml2 (lxml) parses in time linear in the page and the tree is walked without recursion:
    BeautifulSoup's html.parser and tree surgery took quadratic time on deeply nested or unclosed
    tags (benchmarks/slow_inputs.py). libxml2 ignores elements nested deeper than 2,048 levels.
    """
    from lxml import etree

    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True, no_network=True
    )
    root = etree.fromstring(html.encode("utf-8", errors="surrogatepass"), parser)
    if root is None:  # nothing but whitespace
        return ""
    first: dict[str, etree._Element] = {}
    walker = etree.iterwalk(root, events=("start",))
    for _event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _HIDDEN_TAGS:
            walker.skip_subtree()
        elif tag in ("h1", "title", "article", "main", "body"):
            first.setdefault(tag, element)
    headline = first.get("h1", first.get("title"))
    # Without a <body> tag html.parser kept the head's text too (the <title>, as the first line).
    body = first.get("article", first.get("main", first.get("body") if _BODY_TAG.search(html) else root))
    lines = [" ".join(line.split()) for line in _visible_text(body).split("\n")]
    text = "\n".join(line for line in lines if line)
    title = ""
    if headline is not None:
        # html.parser's version marked the blocks of the body only, a headline inside it included
        inside = any(ancestor is body for ancestor in headline.iterancestors())
        title = " ".join(_visible_text(headline, _BLOCK_TAGS if inside else ()).split())
    if title and title not in text[: len(title) + 200]:
        text = f"{title}\n\n{text}"
    return text


def _visible_text(top: object, blocks: Collection[str] = _BLOCK_TAGS) -> str:
    """The text inside ``top`` (not its tail), hidden elements left out, a line break around ``blocks``."""
    from lxml import etree

    parts: list[str] = []
    walker = etree.iterwalk(top, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _HIDDEN_TAGS:
                walker.skip_subtree()
                continue
            if tag in blocks:
                parts.append("\n")
            parts.append(element.text or "")
        else:
            if tag in blocks and tag not in _HIDDEN_TAGS:
                parts.append("\n")
            if element is not top:
                parts.append(element.tail or "")
    return "".join(parts)


def _space_or_keep(match: re.Match[str]) -> str:
    ch = match.group()
    return " " if ch == "\t" or unicodedata.category(ch) == "Zs" else ch


def normalize_text(text: str) -> str:
    """NFC, one kind of line break and space, ASCII digits and letters; Chinese punctuation kept;
    ruby pinyin flattened into the text by some sites ("項(xiàng)目") removed."""
    text = unicodedata.normalize("NFC", text)
    odd = _ANY_ODD_CHARACTER.search(text) is not None  # nothing below adds one
    if odd:
        text = _ZERO_WIDTH.sub("", text)
    if "(" in text:
        text = _RUBY_PINYIN.sub(lambda m: "" if _is_pinyin(m.group(1)) else m.group(0), text)
    if odd:
        text = _LINE_BREAKS.sub("\n", text)
    if _ANY_FULLWIDTH.search(text):
        text = text.translate(_FULLWIDTH_ALNUM)
    if "．" in text:
        text = _FULLWIDTH_POINT.sub(".", text)
    if odd:
        text = _ODD_SPACE.sub(_space_or_keep, text)
        text = _CONTROL.sub("", text)
    # Newline and space are now the only whitespace: a line has some to strip only at a line break
    # or at either end of the text.
    if " \n" in text or "\n " in text or text.startswith(" ") or text.endswith(" "):
        text = "\n".join([line.strip() for line in text.split("\n")])
    return text.strip("\n")
