"""Turn raw input (plain text, scraped pages, HTML) into the text every later stage reads.

Entity offsets refer to the cleaned text, so this stage fixes the characters
once: Unicode form, invisible and non-breaking spaces, typographic quotes,
line structure. Scraped news pages add navigation around the article
(breadcrumbs, section words, teaser lists of other articles, "Meer nieuws");
that is removed by looking at the *structure* of the page's head and tail, so
a body paragraph that starts with "- " or contains "..." is never touched.
Nothing is cut silently: truncation and skips are reported in ``status``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import ClassVar, Literal

from pydantic import Field

from pipeline.document import Result
from pipeline.stages.base import StageContext, StageSettings, ok, register_stage, skip
from pipeline.stages.clean.boilerplate import (
    Removed,
    clean_title,
    collapse_blank_runs,
    is_printable,
    phrase_key,
    repair_characters,
    short_phrase_key,
    split_fused_headings,
    split_removed_blocks,
    strip_lines,
)
from pipeline.stages.clean.repeats import cap_repeats

#: Characters replaced before anything else: odd spaces, invisible marks, typographic quotes.
#: En and em dashes are left alone; Dutch uses them for asides ("– na overleg met de OR –").
_CHARACTER_MAP = {
    **dict.fromkeys("\u00a0\u202f\u2007\u1680\u205f\u3000", " "),
    **dict.fromkeys(map(chr, range(0x2000, 0x200B)), " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f", ""),
    **dict.fromkeys("\u2018\u2019\u201a\u201b", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f", '"'),
    "\r": "\n",
    "\v": "\n",
    "\f": "\n",
    "\u2028": "\n",
    "\u2029": "\n\n",
}
_SPECIAL_CHARACTERS = re.compile("[" + "".join(_CHARACTER_MAP) + "]")
#: Control characters that carry no text; \t, \n, \r, \v and \f are layout, not junk.
_CONTROL_CHARACTERS = "".join(map(chr, [*range(0x00, 0x09), 0x0E, *range(0x0F, 0x20), *range(0x7F, 0xA0)]))
_JUNK_CHARACTERS = _CONTROL_CHARACTERS + "\ufffd"
_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARACTERS)}]")
_JUNK = re.compile(f"[{re.escape(_JUNK_CHARACTERS)}]")
#: The characters of ``_CHARACTER_MAP`` that are printable: the typographic quotes. No other one is, nor any
#: control character, so a text whose lines are printable holds none of them but these.
_PRINTABLE_SPECIAL_CHARACTERS = "".join(char for char in _CHARACTER_MAP if char.isprintable())
#: A run of spaces and tabs that is not one space already.
_SPACE_RUNS = re.compile(r"[ \t]{2,}|\t")
#: The same in a text without tabs: two spaces, then any more. Written so, it opens with two literal spaces, which
#: the search looks for as a string; a pattern that opens with a class or an alternation is tried at every character.
_DOUBLE_SPACES = re.compile(r"   *")
_WHITESPACE_RUNS = re.compile(r"\s+")
_LINE_EDGES = re.compile(r" ?\n ?")

#: Tags whose presence marks a text as HTML; a bare "<" in "a < b" does not.
_HTML_TAG = re.compile(
    r"<!--|<!doctype\s|</?(?:html|head|body|p|div|span|a|br|hr|h[1-6]|ul|ol|li|table|tr|td|th|"
    r"script|style|meta|link|img|b|i|em|strong|section|article|header|footer|nav|main|aside|"
    r"figure|figcaption|blockquote|pre|form|input|button|noscript|iframe|svg|title)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)

_BULLET = re.compile(r"^(?:[•·›»▪▸◦‣]\s*|[-–—*>]\s+)")
_CRUMB_MARKS = "›»>/|"
_CRUMB_SEPARATOR = re.compile(rf"\s+[{_CRUMB_MARKS}]\s+")
_TRAILING_MARKS = " .:»›>→+"
_SENTENCE_END = re.compile(r"[.!?…][\"')\]]*\s")

#: Lines that are section navigation when they stand alone at the top of a page.
NAVIGATION_WORDS = frozenset(
    {
        "home",
        "homepage",
        "start",
        "startpagina",
        "voorpagina",
        "hoofdpagina",
        "nieuws",
        "nieuwsberichten",
        "nieuwsoverzicht",
        "actueel",
        "actualiteiten",
        "news",
        "menu",
        "hoofdmenu",
        "navigatie",
        "zoeken",
        "zoek",
        "search",
        "sitemap",
        "onderwerpen",
        "inloggen",
        "log in",
        "login",
        "uitloggen",
        "registreren",
        "mijn account",
        "abonneren",
        "ga naar de inhoud",
        "ga direct naar de inhoud",
        "naar de inhoud",
        "direct naar de inhoud",
        "skip to content",
        "skip to main content",
        "binnenland",
        "buitenland",
        "politiek",
        "economie",
        "sport",
        "cultuur",
        "regio",
        "opinie",
        "wetenschap",
        "tech",
        "media",
        "archief",
        "video",
        "podcasts",
        "contact",
        "over ons",
        "english",
        "nederlands",
    }
)
#: Lines that close a page rather than belong to its article, wherever they stand.
FOOTER_PHRASES = frozenset(
    {
        "meer nieuws",
        "meer nieuwsberichten",
        "alle nieuws",
        "alle nieuwsberichten",
        "bekijk alle nieuwsberichten",
        "bekijk al het nieuws",
        "naar het nieuwsoverzicht",
        "lees meer",
        "lees verder",
        "verder lezen",
        "lees het hele artikel",
        "deel dit artikel",
        "deel dit bericht",
        "deel deze pagina",
        "delen",
        "deel via",
        "delen via",
        "print",
        "print deze pagina",
        "terug naar boven",
        "naar boven",
        "terug naar overzicht",
        "terug naar het overzicht",
        "bekijk reacties",
        "read more",
        "more news",
        "share this article",
    }
)
#: Headers above a trailing list of teasers for other articles.
TEASER_HEADERS = frozenset(
    {
        "nieuws",
        "meer nieuws",
        "laatste nieuws",
        "ander nieuws",
        "gerelateerd nieuws",
        "lees ook",
        "bekijk ook",
        "gerelateerd",
        "gerelateerde artikelen",
        "gerelateerde berichten",
        "meer over dit onderwerp",
        "ook interessant",
        "misschien ook interessant",
        "meest gelezen",
        "andere berichten",
        "related",
        "related articles",
        "read also",
    }
)

#: The most words of a phrase in the lists above: a longer line is none of them, whatever ``_key`` makes of it.
_PHRASE_MAX_WORDS = max(len(phrase.split()) for phrase in NAVIGATION_WORDS | FOOTER_PHRASES | TEASER_HEADERS)

_HEADLINE_MAX_WORDS = 20
_HEADLINE_MAX_CHARS = 200
_TEASER_MAX_CHARS = 300


class CleanSettings(StageSettings):
    """How raw input is normalised and trimmed."""

    max_chars: int = Field(
        default=1_000_000,
        gt=0,
        description=(
            "Longer cleaned texts are cut at the last paragraph or sentence boundary before this "
            "many characters, and the status says so; later stages scale with text length."
        ),
    )
    max_junk_ratio: float = Field(
        default=0.1,
        ge=0.0,
        le=1.0,
        description=(
            "Inputs whose share of replacement characters (U+FFFD) and control characters is above "
            "this are binary or wrongly decoded, and are skipped instead of fed to the models."
        ),
    )
    remove_boilerplate: bool = Field(
        default=True,
        description=(
            "Remove what is not the article, wherever it stands: page navigation, 'Lees ook' links and lists, "
            "share bars, photo credits and captions, bylines, agency datelines (kept in 'dateline'), newsletter, "
            "cookie and subscription prompts, comment counters, live-blog timestamps, death notices, evergreen "
            "page descriptions, glued teasers and credits, truncation marks; sub-headings glued to the next "
            "sentence get their own line. HTML: a whole page goes through trafilatura when installed, a fragment "
            "loses <aside>, <figure>, <footer> and link lists. The status counts what went."
        ),
    )
    keep_removed: bool = Field(
        default=False,
        description="Keep the removed boilerplate in the record's 'removed' field ({kind, text}), for debugging.",
    )
    title_from_text: bool = Field(
        default=True,
        description=(
            "When an article has no title, take a headline-like first line as its title and "
            "remove it from the text, so that the text starts with the lead."
        ),
    )


@dataclass(frozen=True)
class _Raw:
    """The input of one document: its text and its given title."""

    text: str
    title: str | None


@dataclass(frozen=True)
class _Cleaned:
    """The cleaned text and title, with the note or skip reason for the status."""

    text: str
    title: str | None
    note: str | None = None
    skip_reason: str | None = None
    removed: tuple[Removed, ...] = ()
    dateline: str | None = None


#: The marks of a whole page rather than a fragment of one.
_WHOLE_PAGE = re.compile(r"<(?:!doctype|html|body)[\s>]", re.IGNORECASE)
#: Elements that hold what stands beside an article, not in it: related links, photos with captions.
_BESIDE_ARTICLE = frozenset({"nav", "aside", "figure", "footer"})
#: A list whose text is mostly link text, over at least this many items, lists other articles.
_LINK_LIST_MIN_ITEMS = 2
_LINK_LIST_MIN_DENSITY = 0.6


@dataclass
class _ListBlock:
    """An outermost ``<ul>``/``<ol>`` being read: where its text starts, its items, its text and link text."""

    start: int
    items: int = 0
    chars: int = 0
    linked: int = 0

    def lists_links(self) -> bool:
        """Whether the list is a teaser list: several items and nearly all of its text inside links."""
        return self.items >= _LINK_LIST_MIN_ITEMS and self.linked >= _LINK_LIST_MIN_DENSITY * self.chars > 0


class _TextExtractor(HTMLParser):
    """Collect the visible text of an HTML page, one line per block element.

    ``convert_charrefs`` unescapes entities; the content of scripts, styles and
    the like is dropped together with the tags. With ``drop_link_lists`` a list
    whose items are mostly links (related articles, a menu outside ``<nav>``)
    is dropped by its shape: link density, as readability-style extractors do.
    """

    _HIDDEN = frozenset({"script", "style", "noscript", "template", "title", "svg", "iframe", "object"})
    #: HTML's blocks, and the blocks of trafilatura's XML (``head``, ``list``, ``item``, ``quote``, ``lb``, ``row``).
    _PARAGRAPHS = frozenset(
        {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "head", "list", "quote"}
    )
    _LINES = frozenset(
        {
            "div",
            "li",
            "tr",
            "dl",
            "dt",
            "dd",
            "section",
            "article",
            "header",
            "footer",
            "main",
            "aside",
            "nav",
            "figure",
            "figcaption",
            "form",
            "address",
            "details",
            "summary",
            "body",
            "caption",
            "item",
            "row",
        }
    )
    _BREAKS = frozenset({"br", "hr", "lb"})

    def __init__(self, hidden: frozenset[str], drop_link_lists: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self._hidden = self._HIDDEN | hidden
        self._hidden_depth = 0
        self._pre_depth = 0
        self._link_depth = 0
        self._list_depth = 0
        self._drop_link_lists = drop_link_lists
        self._list: _ListBlock | None = None
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._hidden:
            self._hidden_depth += 1
        elif tag == "pre":
            self._pre_depth += 1
        elif tag == "a":
            self._link_depth += 1
        elif tag in ("ul", "ol"):
            self._list_depth += 1
            if self._list_depth == 1 and self._drop_link_lists:
                self._list = _ListBlock(len(self._parts))
        elif tag == "li" and self._list is not None:
            self._list.items += 1
        self._break(tag, opening=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._hidden:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        elif tag == "a":
            self._link_depth = max(0, self._link_depth - 1)
        elif tag in ("ul", "ol") and self._list_depth:
            self._list_depth -= 1
            if not self._list_depth and self._list is not None:
                if self._list.lists_links():
                    del self._parts[self._list.start :]
                self._list = None
        self._break(tag, opening=False)

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            return
        if self._list is not None:
            visible = len(data.strip())
            self._list.chars += visible
            self._list.linked += visible if self._link_depth else 0
        self._parts.append(data if self._pre_depth else _WHITESPACE_RUNS.sub(" ", data))

    def _break(self, tag: str, opening: bool) -> None:
        if tag in self._PARAGRAPHS:
            self._parts.append("\n\n")
        elif tag in self._LINES or (opening and tag in self._BREAKS):
            self._parts.append("\n")
        elif tag in ("td", "th", "cell"):
            self._parts.append(" ")

    def text(self) -> str:
        return "".join(self._parts)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` contains HTML tags (a comparison like "a < b" does not count)."""
    return _HTML_TAG.search(text) is not None


def html_to_text(markup: str, keep_navigation: bool = False) -> str:
    """The visible text of ``markup``: block elements become line breaks, entities are unescaped.

    Uses the standard library's tolerant HTML parser, so broken pages still give
    their text. Unless ``keep_navigation`` is set, what stands beside the article
    goes: ``<nav>``, ``<aside>``, ``<figure>`` (a photo and its caption),
    ``<footer>``, and lists whose items are mostly links.
    """
    hidden = frozenset() if keep_navigation else _BESIDE_ARTICLE
    extractor = _TextExtractor(hidden, drop_link_lists=not keep_navigation)
    extractor.feed(markup)
    extractor.close()
    return extractor.text()


@dataclass(frozen=True)
class _Article:
    """What an extractor found in an HTML page: its text, the page's headline if it names one, the extractor."""

    text: str
    title: str | None
    extractor: Literal["trafilatura", "html"]


def extract_article(markup: str) -> _Article:
    """The article of an HTML page: its text (one line per block) and its headline.

    A whole page carries menus, teaser blocks and "Meest gelezen" lists that no
    line rule sees as one block, so trafilatura (the ``html`` extra), which
    weighs text and link density per block, reads it when installed; its XML
    keeps paragraphs, headings and list items apart. A fragment (a feed's HTML
    description) is the article already, and trafilatura would judge its short
    lists as a page's; fragments, pages where trafilatura finds nothing and
    every page without it go through ``html_to_text``.
    """
    if _WHOLE_PAGE.search(markup) is None:
        return _Article(html_to_text(markup), None, "html")
    try:
        import trafilatura
        from lxml import etree
    except ImportError:
        return _Article(html_to_text(markup), None, "html")
    document = trafilatura.extract(
        markup,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_images=False,
        deduplicate=False,
    )
    if not document:
        return _Article(html_to_text(markup), None, "html")
    text = html_to_text(document, keep_navigation=True)
    if not text.strip():
        return _Article(html_to_text(markup), None, "html")
    title = etree.fromstring(document.encode("utf-8")).get("title")
    return _Article(text, title or None, "trafilatura")


def normalize_text(text: str) -> str:
    """Canonical characters and layout: NFC, plain spaces and quotes, paragraphs split by one blank line.

    Single line breaks are kept: a heading directly above its paragraph stays its own line.
    """
    if not _printable_lines(text) or any(char in text for char in _PRINTABLE_SPECIAL_CHARACTERS):
        # A "\r\n" is one line break, so it goes first; then a class of single characters finds the rest fast.
        text = _SPECIAL_CHARACTERS.sub(lambda match: _CHARACTER_MAP[match.group()], text.replace("\r\n", "\n"))
        text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    # Each rule runs only where it changes something: in most texts every space is single already.
    if "\t" in text:
        text = _SPACE_RUNS.sub(" ", text)
    elif "  " in text:
        text = _DOUBLE_SPACES.sub(" ", text)
    # A single character is looked for at memory speed, a pair at a few characters a step: a text of one line
    # (most) is cleared of the line rules by one look for its line break.
    if "\n" in text and (" \n" in text or "\n " in text):
        text = _LINE_EDGES.sub("\n", text)
    return collapse_blank_runs(text).strip()


def _printable_lines(text: str) -> bool:
    """Whether every line of ``text`` is printable: no control character, tab, odd space or invisible mark in it.

    ``is_printable`` reads a text faster than a pattern scans it for a class of characters, so this clears
    most texts at once; one it does not clear goes through the patterns. The line breaks, the one character
    between lines that is not printable, are read as printable: no list of lines.
    """
    return is_printable(text, line_breaks=True)


def page_lines(text: str) -> list[str]:
    """The non-blank lines that boilerplate removal judges, before any is removed: HTML stripped, layout fixed.

    ``bench/clean.py`` labels lines by their index in this list.
    """
    if looks_like_html(text):
        text = html_to_text(text)
    return [line for line in normalize_text(split_removed_blocks(repair_characters(text))).split("\n") if line]


def junk_ratio(text: str) -> float:
    """The share of replacement and control characters, the sign of binary or mis-decoded input."""
    if not text or ("\ufffd" not in text and _printable_lines(text)):
        return 0.0
    return len(_JUNK.findall(text)) / len(text)


def _key(line: str) -> str:
    """A line reduced for comparison with the phrase lists."""
    return phrase_key(line, _TRAILING_MARKS)


def _short_key(line: str, most_words: int = _PHRASE_MAX_WORDS) -> str | None:
    """``_key(line)`` if it has at most ``most_words`` words, else None (see ``short_phrase_key``)."""
    return short_phrase_key(line, most_words, _TRAILING_MARKS)


def _unbulleted(line: str) -> str:
    return _BULLET.sub("", line, count=1)


def _is_label(line: str) -> bool:
    """Short and not a sentence: a menu item, a crumb, a headline in a teaser list."""
    return (
        0 < len(line) <= _HEADLINE_MAX_CHARS
        and len(line.split()) <= _HEADLINE_MAX_WORDS
        and not line.endswith((".", "!", ":", ";", ",", "…"))
        and any(char.isalnum() for char in line)
    )


def _looks_like_headline(line: str) -> bool:
    """A first line that can be taken as the title: a label, not a question, not a list item."""
    return (
        _is_label(line)
        and not line.endswith("?")
        and _BULLET.match(line) is None
        and any(char.isalpha() for char in line)
    )


def _inline_crumbs(line: str) -> list[str] | None:
    """The parts of a one-line breadcrumb such as "Home › Nieuws › Titel", or None.

    The separator pattern opens with spaces, so it is tried at every character: it is only split by in a line that
    holds one of its marks.
    """
    if not any(mark in line for mark in _CRUMB_MARKS):
        return None
    parts = _CRUMB_SEPARATOR.split(line)
    if len(parts) >= 2 and _short_key(parts[0]) in NAVIGATION_WORDS and all(map(_is_label, parts)):
        return parts
    return None


def _is_teaser(line: str) -> bool:
    """A cut-off preview of another article: short and ending in an ellipsis."""
    return len(line) <= _TEASER_MAX_CHARS and line.endswith(("...", "…"))


def _leading_navigation(lines: list[str]) -> tuple[int, str | None]:
    """How many leading lines are navigation, and the last breadcrumb (often the headline).

    Navigation is section words ("Home", "Nieuws") and, in the same block of
    lines, the short bulleted crumbs after them. A bulleted list that does not
    hang from a navigation word is body text and stays.
    """
    last_crumb = None
    in_navigation = False
    for index, line in enumerate(lines):
        if not line:
            in_navigation = False
            continue
        label = _unbulleted(line)
        crumbs = _inline_crumbs(line)
        if crumbs is not None:
            if _short_key(crumbs[-1]) not in NAVIGATION_WORDS:
                last_crumb = crumbs[-1]
            in_navigation = True
        elif _short_key(label) in NAVIGATION_WORDS:
            in_navigation = True
        elif in_navigation and _is_label(label):
            last_crumb = label
        else:
            return index, last_crumb
    return len(lines), last_crumb


def _trailing_boilerplate(lines: list[str]) -> int:
    """How many of ``lines`` (non-blank) to keep once the page's tail is cut off.

    The tail is footer lines and teaser lists: at least two (headline, teaser
    ending in an ellipsis) pairs, or one under a header such as "Lees ook".
    """
    keep = len(lines)
    while True:
        end = keep
        while end and _short_key(lines[end - 1]) in FOOTER_PHRASES:
            end -= 1
        start, pairs = end, 0
        while start >= 2 and _is_teaser(lines[start - 1]) and _is_label(lines[start - 2]):
            start -= 2
            pairs += 1
            while start and _short_key(lines[start - 1]) in FOOTER_PHRASES:
                start -= 1
        has_header = start > 0 and _short_key(lines[start - 1]) in TEASER_HEADERS
        if pairs >= 2 or (pairs and has_header):
            end = start - has_header
        if end == keep:
            return keep
        keep = end


def strip_boilerplate(text: str) -> tuple[str, str | None]:
    """``text`` without the navigation of a scraped page, and the last breadcrumb if any.

    Only the head (navigation block) and the tail (teasers, footer) are cut,
    plus footer lines such as "Deel dit artikel" wherever they stand.
    """
    lines = text.split("\n")
    start, last_crumb = _leading_navigation(lines)
    body = lines[start:]
    filled = [index for index, line in enumerate(body) if line]
    keep = _trailing_boilerplate([body[index] for index in filled])
    body = body[: filled[keep - 1] + 1] if keep else []
    body = [line for line in body if _short_key(line) not in FOOTER_PHRASES]
    return collapse_blank_runs("\n".join(body)).strip(), last_crumb


def _lines_removed(page: str, body: str) -> list[Removed]:
    """The lines of ``page`` that the cut of its head and tail left out of ``body``."""
    if page == body:
        return []
    lines = [line for line in page.split("\n") if line]
    left = Counter(lines) - Counter(line for line in body.split("\n") if line)
    removed = []
    for line in lines:
        if left[line] > 0:
            left[line] -= 1
            removed.append(Removed("navigation", line))
    return removed


def _lines_left_out(page: str, article: str) -> list[Removed]:
    """The lines of a page's full text that its extracted article does not hold, as page boilerplate."""
    kept = {" ".join(line.split()) for line in normalize_text(article).split("\n")}
    lines = (" ".join(line.split()) for line in normalize_text(page).split("\n"))
    return [Removed("page", line) for line in lines if line and line not in kept and line not in article]


def _removal_note(removed: list[Removed]) -> str:
    """``removed 4 boilerplate lines`` for the status; pieces glued into a line are counted apart."""
    lines = sum(not piece.inline for piece in removed)
    pieces = len(removed) - lines
    parts = [f"{lines} boilerplate line{'s' * (lines != 1)}"] if lines else []
    parts += [f"{pieces} inline piece{'s' * (pieces != 1)}"] if pieces else []
    return "removed " + " and ".join(parts)


def _first_line(text: str) -> tuple[str, str]:
    head, _, rest = text.partition("\n")
    return head, rest.lstrip("\n")


def _without_title(text: str, title: str) -> str:
    """``text`` without leading lines that repeat the title."""
    key = _key(title)
    while text:
        head, rest = _first_line(text)
        if _short_key(head, most_words=len(key.split())) != key:
            break
        text = rest
    return text


def truncate(text: str, max_chars: int) -> str:
    """At most ``max_chars`` characters of ``text``, ending at a paragraph, line or sentence boundary.

    A boundary is used only if it keeps at least half of ``max_chars``;
    otherwise the text is cut at the last space.
    """
    window = text[: max_chars + 1]
    half = max_chars // 2
    for separator in ("\n\n", "\n"):
        cut = window.rfind(separator)
        if cut >= half:
            return text[:cut].rstrip()
    sentence_ends = [match.end() for match in _SENTENCE_END.finditer(window, half)]
    if sentence_ends:
        return text[: sentence_ends[-1]].rstrip()
    cut = window.rfind(" ")
    return text[: cut if cut >= half else max_chars].rstrip()


@register_stage("clean")
class CleanStage:
    """Set ``text`` to the normalised article body and ``title`` to its headline; keep the ``dateline`` and,
    with ``keep_removed``, what was ``removed``."""

    Settings: ClassVar[type[CleanSettings]] = CleanSettings
    requires: ClassVar[tuple[str, ...]] = ("text", "title")
    assigns: ClassVar[tuple[str, ...]] = ("text", "title", "dateline", "removed")

    def __init__(self, settings: CleanSettings, context: StageContext) -> None:
        self.settings = settings
        self.model_id: str | None = None

    def __call__(self, docs: list[Result]) -> list[Result]:
        for doc in docs:
            self._apply(doc, self._predict(self._prepare(doc)))
        return docs

    def _prepare(self, doc: Result) -> _Raw:
        title = clean_title(" ".join(normalize_text(repair_characters(doc.title)).split())) if doc.title else None
        return _Raw(doc.text or "", title or None)

    def _predict(self, raw: _Raw) -> _Cleaned:
        """Clean one text; the junk test comes first so binary input costs one counting pass."""
        if not raw.text or raw.text.isspace():
            return _Cleaned("", raw.title, skip_reason="empty text")
        ratio = junk_ratio(raw.text)
        if ratio > self.settings.max_junk_ratio:
            return _Cleaned("", raw.title, skip_reason=f"not text ({ratio:.0%} undecodable characters)")
        notes = []
        text = raw.text
        page_removed: list[Removed] = []
        page_title = None
        if looks_like_html(text):
            if self.settings.remove_boilerplate:
                article = extract_article(text)
                if article.extractor == "trafilatura":
                    shown = article.text + "\n" + (article.title or "")
                    page_removed = _lines_left_out(html_to_text(text, keep_navigation=True), shown)
                text, page_title = article.text, article.title
            else:
                text = html_to_text(text, keep_navigation=True)
            notes.append("html stripped")
        text = normalize_text(split_removed_blocks(repair_characters(text)))
        text, cut = cap_repeats(text)
        if self.settings.remove_boilerplate:
            text = split_fused_headings(text)
        if cut is not None:
            notes.append(cut)
        last_crumb = None
        removed = page_removed
        place = None
        if self.settings.remove_boilerplate:
            page = text
            text, last_crumb = strip_boilerplate(text)
            removed += _lines_removed(page, text)
            stripped = strip_lines(text)
            text, place = stripped.text, stripped.dateline
            removed += stripped.removed
        given = raw.title or (clean_title(page_title) if page_title and self.settings.title_from_text else None)
        text, title = self._split_title(text, given or None, last_crumb)
        if not text:
            reason = f"only boilerplate ({', '.join(dict.fromkeys(r.kind for r in removed))})" if removed else None
            return _Cleaned("", title, skip_reason=reason or "empty text", removed=tuple(removed))
        if removed:
            notes.append(_removal_note(removed))
        if len(text) > self.settings.max_chars:
            full_length = len(text)
            text = truncate(text, self.settings.max_chars)
            notes.append(f"truncated to {len(text)} of {full_length} characters")
        return _Cleaned(text, title, note="; ".join(notes) or None, removed=tuple(removed), dateline=place)

    def _split_title(self, text: str, title: str | None, last_crumb: str | None) -> tuple[str, str | None]:
        """The text without its headline, and the title: given, else the headline, else the last crumb."""
        if title is None and self.settings.title_from_text:
            head, rest = _first_line(text)
            if rest and _looks_like_headline(head):
                title = head
            elif last_crumb is not None and _looks_like_headline(last_crumb):
                title = last_crumb
        if title is None:
            return text, None
        return _without_title(text, title), title

    def _apply(self, doc: Result, cleaned: _Cleaned) -> None:
        doc.text = cleaned.text
        doc.title = cleaned.title
        doc.dateline = cleaned.dateline
        doc.removed = [piece.to_dict() for piece in cleaned.removed] if self.settings.keep_removed else None
        if cleaned.skip_reason is None:
            ok(doc, self.name, cleaned.note)
        else:
            skip(doc, self.name, cleaned.skip_reason)
