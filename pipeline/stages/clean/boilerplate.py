"""Boilerplate inside the article, wherever it stands: decided by a line's shape and place, never a word alone.

Scraped news text and what an extractor leaves of a page carry lines that are
not the article: "Lees ook" links and lists, share bars, photo credits and
captions, bylines, lone section words, newsletter, cookie and subscription
prompts, comment counters and live-blog timestamps. Feeds glue more of it into
the paragraphs: a related-article teaser with its channel and timestamp, a
video-player cue, a byline and copyright after the last full stop, an
``EXCLUSIEF.`` kicker, an API's ``… [+1329 chars]`` truncation mark.

Each rule needs a *shape* besides a word: "Lees ook" opens a short line or one
with a colon after it; "Foto:" opens a line of a few words; a platform name
is a share bar only in a line of nothing but platform names. A body paragraph
that says "lees" or "foto" anywhere else stays. Every removal is returned with
its class, so the stage can count and (``clean.keep_removed``) keep them.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from dataclasses import dataclass, field

#: Words of a lone line that is a site's section or navigation, not the article.
SECTION_WORDS = frozenset(
    {
        "home",
        "homepage",
        "actueel",
        "nieuws",
        "binnenland",
        "buitenland",
        "politiek",
        "economie",
        "sport",
        "voetbal",
        "cultuur",
        "cultuur & media",
        "media",
        "regio",
        "opinie",
        "tech",
        "wetenschap",
        "koningshuis",
        "opmerkelijk",
        "lifestyle",
        "showbizz",
        "menu",
        "zoeken",
        "inloggen",
        "uitloggen",
        "video",
        "podcasts",
        "net binnen",
        "liveblog",
        "live",
        "advertentie",
        "gesponsord",
        "sponsored",
    }
)
#: Names that make up a share bar, lower-cased.
PLATFORMS = frozenset(
    {
        "facebook",
        "twitter",
        "x",
        "whatsapp",
        "linkedin",
        "e-mail",
        "email",
        "mail",
        "pinterest",
        "messenger",
        "telegram",
        "reddit",
        "bluesky",
        "threads",
        "instagram",
        "kopieer link",
        "link kopiëren",
        "kopieer",
        "print",
    }
)
#: Kicker words that feeds put before a teaser as ``EXCLUSIEF.`` or ``LIVE |``.
KICKERS = (
    "EXCLUSIEF",
    "BIO",
    "LIVE",
    "VIDEO",
    "UPDATE",
    "BREAKING",
    "INTERVIEW",
    "ANALYSE",
    "RECENSIE",
    "REPORTAGE",
    "COLUMN",
    "OPINIE",
    "PODCAST",
    "FOTO'S",
    "IN BEELD",
    "LIVEBLOG",
    "BEKIJK",
    "PREMIUM",
    "PLUS",
)
#: Dutch and Flemish outlets whose name a feed or news API appends to a title: ``… - NU.nl``.
OUTLETS = (
    "NOS",
    "NU.nl",
    "AD",
    "RTL Nieuws",
    "Omroep",
    "Tweakers",
    "Leeuwarder Courant",
    "VPRO",
    "Parool",
    "Trouw",
    "de Volkskrant",
    "NRC",
    "De Telegraaf",
    "HLN",
    "Het Laatste Nieuws",
    "VRT NWS",
    "De Standaard",
    "De Morgen",
    "Het Nieuwsblad",
    "Gazet van Antwerpen",
    "GvA",
    "Het Belang van Limburg",
    "HBvL",
    "De Tijd",
    "BRUZZ",
    "1Limburg",
    "L1",
    "NH Nieuws",
    "RTV",
    "Dagblad van het Noorden",
    "BN DeStem",
    "Tubantia",
    "Brabants Dagblad",
    "Eindhovens Dagblad",
    "De Gelderlander",
    "PZC",
    "De Stentor",
    "Knack",
    "Sporza",
    "GeenStijl",
    "Business Insider",
)
#: News agencies named in a dateline ``AMSTERDAM (ANP) -`` or a credit ``Bron: ANP``.
AGENCIES = ("ANP", "AP", "AFP", "Reuters", "Belga", "DPA", "EPA", "BNR", "Novum", "NOS", "Bloomberg")

_MAX_LABEL_WORDS = 12
#: A run of this many short label lines at the head or tail of a text is a menu or a footer.
_MENU_MIN_LINES = 5
#: A verb of speech in the sentence before a colon: what follows is a quote, even without quote marks.
_SPEECH_BEFORE_COLON = re.compile(
    r"\b(?:zei|zegt|zeggen|zeiden|schreef|schrijft|schreven|verklaarde|verklaart|vertelde|vertelt|reageerde"
    r"|reageert|stelde|stelt|antwoordde|antwoordt|aldus|twitterde|tweette|citeert|citeerde)\b",
    re.IGNORECASE,
)
#: A row of a results table or a winners list, never a menu item: a leading rank or year (``1999: Piet Jansen``),
#: a country or team in brackets (``Jansen (Dui)``), a score, time, distance or decimal (``6 - 2``, ``3u15:58``,
#: ``19,3 km``). A menu's ``Radio 2`` or ``Top 2000`` has none of these shapes.
_DATA_ROW = re.compile(r"^\d+\s*[.:)]|\([A-Z][\w-]{1,3}\s*[)/]|\d\s*[-:,.u]\s*\d|\d\s*(?:km|m|%)(?!\w)")
#: The least that counts as a repeated lead: a line this long or longer.
_REPEAT_MIN_CHARS = 40
_MAX_CREDIT_WORDS = 30
_MAX_BYLINE_WORDS = 10
_MAX_LINK_WORDS = 20
#: A header line over a list of links to other articles.
_LIST_HEADERS = frozenset(
    {"lees ook", "lees meer", "bekijk ook", "kijk ook", "ook interessant", "meer over dit onderwerp", "gerelateerd"}
    | {"gerelateerde artikelen", "meer nieuws", "ander nieuws", "laatste nieuws", "meest gelezen"}
)
#: Three or more line breaks; a pattern that opens with a repeat is tried at every character, so it is searched
#: only in a text that holds one.
_BLANK_RUNS = re.compile(r"\n{3,}")
_FINAL = (".", "!", "?", "…", ":", ";", '"', "'", "”", "’", "»")

_OPENER = r"^[\s\W]*?"
#: Openers of a line that points to other articles; any short line that opens so is a link.
_RELATED = re.compile(
    _OPENER + r"(?:lees|bekijk|kijk|luister|beluister) (?:ook|meer|hier|verder|terug|het hele)\b", re.IGNORECASE
)
#: Openers that body sentences share ("Meer over de zaak werd niet bekend."): a link only as a label or with a colon.
_RELATED_HEADER = re.compile(
    _OPENER + r"(?:ook interessant|meer over|gerelateerd|gerelateerde artikelen|meer lezen|eerder verschenen|"
    r"meer nieuws|ander nieuws|laatste nieuws|meest gelezen)\b",
    re.IGNORECASE,
)
_CALL_TO_ACTION = re.compile(
    r"^(?:volg|ontdek|lees|bekijk|kijk|luister|beluister|check) (?:hier|al|alle|het|de|ons|onze)\b[^.!?]*\bhier\b"
    r"|^(?:volg|ontdek|lees|bekijk|kijk|luister|beluister) hier\b",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"^(?:deel|delen|share)(?: dit| deze| het)?(?: artikel| bericht| pagina| video)?(?:\s+via)?\s*:?", re.IGNORECASE
)
_CREDIT = re.compile(
    r"^[(\[]?\s*(?:foto|foto's|beeld|video|fotografie|illustratie|afbeelding|tekst|tekst en foto|bron|"
    r"copyright(?: photo)?|credits?|camera|montage)\s*(?::|\b(?=\s+(?:" + "|".join(AGENCIES) + r")\b))",
    re.IGNORECASE,
)
#: A caption with its credit after a dash: ``Verlinden tijdens de coronacrisis. — © BELGA``.
_CAPTION = re.compile(r"\s[-–—]\s*(?:©|\(c\)|foto:?|beeld:?)\s*[^.!?]{1,60}$", re.IGNORECASE)
#: A line ending in an arrow is a link: ``Ontdek je voordeel ›``, ``Lees nu voordelig →``.
_LINK_ARROW = re.compile(r"\s[›»→>]$")
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)\s)|\balle (?:auteurs)?rechten\b.{0,40}\bvoorbehouden\b", re.IGNORECASE)
#: What every match of ``_COPYRIGHT`` holds, in ``str.lower()`` form (see ``_holds_any``).
_COPYRIGHT_HOLDS = ("©", "(c)", "rechten")
_BYLINE = re.compile(
    r"^(?i:door|van) (?i:onze|onze eigen|een) "
    r"(?i:verslaggever|verslaggeefster|correspondent|redacteur|redactie|medewerker)s?\b"
    r"|^(?i:door) [A-ZÀ-Ý][\w'’.-]+(?: (?:van|de|der|den|te|ten|ter|[A-ZÀ-Ý][\w'’.-]+)){0,4}$"
    r"|^(?i:redactie|auteur)\s*:"
)
_PROMPT = re.compile(
    r"\b(?:meld je|schrijf je|abonneer je|registreer je)\b.{0,40}\b(?:aan|in)\b"
    r"|\bnieuwsbrief\b.{0,60}\b(?:aanmelden|inschrijven|ontvangen|in je mailbox|in je inbox)\b"
    r"|^(?:abonneer|word abonnee|neem een abonnement|al abonnee|probeer .{0,30}gratis|log in om)\b"
    r"|\blees verder na de advertentie\b|^advertentie\b|\bdit artikel is exclusief voor abonnees\b"
    r"|\b(?:download|installeer) (?:de|onze) (?:gratis )?app\b|^volg (?:ons|nos|\w+\.\w+) op\b"
    r"|\bals abonnee\b|\bplusartikel|^opzeggen wanneer je wilt\b|^tip\b.{0,80}\babonnee",
    re.IGNORECASE,
)
#: What every match of ``_PROMPT`` holds, in ``str.lower()`` form (see ``_holds_any``): one piece of each branch,
#: as long as it is, so that a line of prose (``nieuwe``, ``volgens``, ``oorlog``) is seldom searched.
_PROMPT_HOLDS = (
    "meld je",
    "schrijf je",
    "registreer je",
    "nieuwsbrief",
    "abonne",
    "probeer",
    "log in om",
    "advertentie",
    " app",
    "volg ",
    "plusartikel",
    "opzeggen wanneer je wilt",
)
_COOKIE_WALL = re.compile(
    r"\b(?:maakt|maken) gebruik van cookies\b|\b(?:onze|deze) (?:site|sites|website|websites) (?:gebruikt|gebruiken)"
    r" cookies\b|\bmaken deel uit van dpg media\b|\b(?:accepteer|aanvaard|sta) (?:alle )?cookies\b"
    r"|\bcookie-?(?:instellingen|voorkeuren|beleid|verklaring)\b|\bwe use cookies\b",
    re.IGNORECASE,
)
#: What every match of ``_COOKIE_WALL`` holds, in ``str.lower()`` form (see ``_holds_any``).
_COOKIE_WALL_HOLDS = ("cook", "dpg med")
_COUNTER = re.compile(
    r"^(?:\d+\s+(?:reacties?|comments?|keer gedeeld|shares?)|(?:reacties?|comments?)\s*\(\d+\)|bekijk \d+ reacties?)$",
    re.IGNORECASE,
)
_WEEKDAY = r"(?:ma|di|wo|do|vr|za|zo|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
_MONTH = (
    r"(?:jan|feb|mrt|maa|apr|mei|jun|jul|aug|sep|sept|okt|nov|dec|januari|februari|maart|april|juni|juli|augustus"
    r"|september|oktober|november|december)\.?"
)
_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s*uur)?"
_TIMESTAMP_LINE = re.compile(
    rf"^(?:(?:update|bijgewerkt|gepubliceerd|laatste update|geplaatst)\s*:?\s*)?"
    rf"(?:(?:vandaag|gisteren|{_WEEKDAY})[\s,]+)?(?:\d{{1,2}}[\s/-]+(?:{_MONTH}|\d{{1,2}})[\s/-]+(?:\d{{4}}[\s,]+)?)?"
    rf"(?:om\s+)?{_CLOCK}$",
    re.IGNORECASE,
)
#: A teaser for another article glued into the text: up to 20 words from a sentence end to a timestamp.
_GLUED_TEASER = re.compile(
    r"(?:^|(?<=[.!?\"”'’…] ))[^.!?\n]{3,160}? (?:ma|di|wo|do|vr|za|zo) \d{1,2} " + _MONTH + r" \d{1,2}:\d{2}(?: |$)"
)
#: What every match of ``_GLUED_TEASER`` holds: a clock time's colon and minutes. Opening with the colon, the
#: pattern is searched by skipping to colons, not tried at every character as one opening with ``\d`` is.
_CLOCK_TIME = re.compile(r":\d\d")
_PLAYER_CUE = re.compile(
    r"\s*(?:videospeler|video|audiospeler|speler) (?:inladen|laden|wordt geladen)\s*(?:\.\.\.|…)?", re.IGNORECASE
)
#: What every match of ``_PLAYER_CUE`` holds, in ``str.lower()`` form (see ``_holds_any``).
_PLAYER_CUE_HOLDS = ("laden",)
#: Every match holds a "(" and every ``_TRUNCATION`` a "[+": ``_inline`` searches only lines that do.
_CONTINUES_CUE = re.compile(
    r"\s*\((?:tekst|artikel|het artikel|lees) (?:gaat )?verder (?:onder|na|onder de|na de) [^)]{0,30}\)", re.IGNORECASE
)
#: What every match of ``_CONTINUES_CUE`` holds, in ``str.lower()`` form (see ``_holds_any``).
_CONTINUES_CUE_HOLDS = ("verder",)
_TRUNCATION = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")
#: Sources named alone after an article's last sentence (besides ``Radio 1`` and ``Radio 2``). Every match of
#: ``_GLUED_CREDIT`` holds "©" or "Radio " or ends in one of them: ``_inline`` searches only lines that do.
_GLUED_SOURCES = ("VRT NWS", "Sporza", "Belga", "ANP", "AFP", "Reuters")
_GLUED_CREDIT = re.compile(
    r"(?<=[.!?\"”’')])\s*(?:[A-ZÀ-Ý][\w'’-]*(?: [A-ZÀ-Ý][\w'’-]*){0,3} )?©\s*[^©\n]{0,60}$"
    r"|(?<=[.!?\"”’'])\s+(?:Radio [12](?: [A-Z]\w+)?|" + "|".join(_GLUED_SOURCES) + r")$"
)
_KICKER = re.compile(r"^(?:" + "|".join(re.escape(word) for word in KICKERS) + r")\s*[.:|]\s+(?=\S)")
_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][\w'’.-]*(?:[ -][A-Za-zÀ-ÿ'’.-]+){0,3}) "
    r"(?:\((?:" + "|".join(AGENCIES) + r")(?:/[\w ]+)?\)\s*[-–—]\s+|[-–—]\s+(?=[A-ZÀ-Ý]))"
)
#: A death notice's line: born and died, with dates or places, and nothing else (``Geboren in 1951, overleden op …``).
_OBITUARY = re.compile(
    r"^(?:geboren|°|\*)\s*[^!?,;]{1,60}?(?:,\s*|\s+en\s+|\s+)(?:overleden\b|gestorven\b|†)[^!?]{0,60}$",
    re.IGNORECASE,
)
_MAX_OBITUARY_WORDS = 16
#: A line that describes the page to its reader instead of reporting: ``Met dit overzicht bent u snel mee …``.
_PAGE_ITSELF = re.compile(
    r"\b(?:dit|deze|ons|onze) (?:overzicht|nieuwsoverzicht|dossier|liveblog|live-blog|pagina|rubriek|artikel|"
    r"podcast|nieuwsbrief|video)\b",
    re.IGNORECASE,
)
_READER = re.compile(r"\b(?:u|uw|je|jij|jou|jouw)\b", re.IGNORECASE)
_MAX_EVERGREEN_WORDS = 30
#: The most words any rule of ``line_kind`` asks a line to have (prompts and copyright lines: 30).
_MOST_WORDS_ASKED = max(
    30, _MAX_LINK_WORDS, _MAX_CREDIT_WORDS, _MAX_BYLINE_WORDS, _MAX_OBITUARY_WORDS, _MAX_EVERGREEN_WORDS
)
_LETTER_SPACED = re.compile(r"^(?:\S ){4,}\S")
_WIRE_NOTICE = re.compile(r"\b(?:vervangt|correctie|herhaling|embargo)\s*:", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
#: Two or more spaces after a sentence end: a block (media, a quote box) was cut out there. Only a text with two
#: spaces or a tab is searched.
#: The pattern opens with the sentence end's mark, not a look-behind, so that a search skips to those marks fast.
_REMOVED_BLOCK = re.compile(r"([.!?:\"”’])[ \t]{2,}(?=\S)")
#: The same run of spaces in a text without tabs, the mark looked behind at: the pattern opens with two literal
#: spaces, which the search looks for as a string, where a mark opens far more positions to try.
_REMOVED_BLOCK_SPACES = re.compile(r"  (?<=[.!?:\"”’]  ) *(?=\S)")


@dataclass(frozen=True)
class Removed:
    """A piece of boilerplate taken out of the text: its class and its text."""

    kind: str
    text: str
    #: Whether it was glued into a line (a credit after the last full stop) rather than a line of its own.
    inline: bool = False

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


@dataclass
class Stripped:
    """The text without its boilerplate, what was removed, and the dateline's place name."""

    text: str
    removed: list[Removed] = field(default_factory=list)
    dateline: str | None = None


_TITLE_SUFFIX = re.compile(
    r"\s+[-–—|]\s+(?:(?:" + "|".join(re.escape(name) for name in OUTLETS) + r")\b[^-–—|]*(?:\|.*)?"
    r"|[^-–—|]*\w\.(?:nl|be|com|net|eu)\b[^-–—|]*(?:\|.*)?)$",
    re.IGNORECASE,
)


#: What every match of ``_TITLE_SUFFIX`` holds: the dash or bar before the outlet.
_TITLE_SUFFIX_MARKS = "-–—|"


def clean_title(title: str) -> str:
    """A headline without a feed's kicker (``EXCLUSIEF.``) and without the outlet a news API appends (``- NU.nl``)."""
    kicker = _KICKER.match(title)
    if kicker and title[kicker.end() :].strip():
        title = title[kicker.end() :]
    # The suffix opens with a dash or a bar; the pattern, which opens with spaces, is tried at every character.
    suffix = _TITLE_SUFFIX.search(title) if any(mark in title for mark in _TITLE_SUFFIX_MARKS) else None
    return title[: suffix.start()] if suffix and suffix.start() else title


def repair_characters(text: str) -> str:
    """HTML entities left undecoded in plain text (``Blood, Sweat &amp; Tears``) decoded."""
    return html.unescape(text) if _ENTITY.search(text) else text


def split_removed_blocks(text: str) -> str:
    """A line break where a run of spaces after a sentence end marks a removed block (feeds glue paragraphs)."""
    if "\t" in text:
        return _REMOVED_BLOCK.sub(r"\1\n", text)
    return _REMOVED_BLOCK_SPACES.sub("\n", text) if "  " in text else text


#: A sentence end and the space after it, up to where the next sentence may start.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]?\s+(?=\S)")
_MAX_FUSED_HEADING_WORDS = 10
#: A heading that ends in a quote without final punctuation, after a colon or alone (``Ook in Brugge
#: opfriscursus: "Het was nodig"``), before a capital: prose goes on after a closing quote with a comma, a full
#: stop or a small letter, and a quoted word inside a sentence (``schließt "ihre" Schalter``) has no colon before it.
#: It opens with the quote or with the words before a colon, at most ``_MAX_WORDS_BEFORE_QUOTE_CHARS`` characters.
_MAX_WORDS_BEFORE_QUOTE_CHARS = 80
_HEADING_WITH_QUOTE = re.compile(
    rf"(?:[^.!?:\"“”„\n]{{1,{_MAX_WORDS_BEFORE_QUOTE_CHARS}}}:\s*)?[\"“„][^\"“”„.!?,\n]{{1,60}}[\"”](?= [A-ZÀ-Ý])"
)
#: The length of a heading before a quote or an opener: a capital or digit, then characters of no sentence mark.
_MIN_HEADING_CHARS = 3
_MAX_HEADING_CHARS = 81
#: The characters a heading does not hold, but for a full stop or comma between two digits (``3.30 uur``).
_HEADING_MARKS = '.!?:;,"“”„\n'
_HEADING = (
    rf"[A-ZÀ-Ý0-9](?:[^{_HEADING_MARKS}]|(?<=\d)[.,](?=\d)){{{_MIN_HEADING_CHARS - 1},{_MAX_HEADING_CHARS - 1}}}?"
)
#: An opening quote with a capital after a heading (``1740 plaatsen nodig in Mechelen "Ze zullen …``):
#: prose puts a colon or comma before a quoted sentence.
_QUOTE_AFTER_HEADING = r" [\"“„][A-ZÀ-Ý]"
#: A sentence opener with a capital that no name takes, followed by a small letter, after a heading:
#: ``Brandversnellers op zak Zaterdagochtend rond 3.30 uur …``. Every opener starts with an ASCII capital; the look-ahead
#: for one spares the words of small letters the whole alternation.
_OPENER_AFTER_HEADING = (
    r" (?=[A-Z])(?:De|Het|Een|Er|Toen|Sinds|Volgens|Tijdens|Intussen|Inmiddels|"
    r"Gisteren|Vandaag|Vanochtend|Vanmorgen|Vanmiddag|Vanavond|Vannacht|Eerder|Later|"
    r"(?:Maan|Dins|Woens|Donder|Vrij|Zater|Zon)dag(?:ochtend|morgen|middag|avond|nacht)?) [a-zà-ÿ]"
)
_HEADING_BEFORE_QUOTE = re.compile(rf"{_HEADING}(?={_QUOTE_AFTER_HEADING})")
_HEADING_BEFORE_OPENER = re.compile(rf"{_HEADING}(?={_OPENER_AFTER_HEADING})")
#: The shapes of a heading glued to the next sentence, tried in this order, each with what must follow a heading
#: of its shape, where that gives a cheap test: where it stands in a line bounds where such a heading can open.
#: One follower's matches cannot overlap: each opens with a space before a capital, and the space inside an opener's
#: comes before a small letter; so ``finditer`` finds them all. The last item says whether the shape needs an opening
#: quote (one of ``_OPENING_QUOTES``): a line without one has no heading of that shape.
_FUSED_HEADINGS = (
    (_HEADING_WITH_QUOTE, None, True),
    (_HEADING_BEFORE_QUOTE, re.compile(_QUOTE_AFTER_HEADING), True),
    (_HEADING_BEFORE_OPENER, re.compile(_OPENER_AFTER_HEADING), False),
)
_OPENING_QUOTES = '"“„'
#: Words of a clause, not a heading: a heading names a topic and has no finite verb like these.
_CLAUSE_WORDS = frozenset(
    [
        "is",
        "was",
        "zijn",
        "waren",
        "wordt",
        "werd",
        "werden",
        "worden",
        "heeft",
        "hebben",
        "had",
        "hadden",
        "kan",
        "kon",
        "konden",
        "kunnen",
        "zal",
        "zou",
        "zullen",
        "zouden",
        "moet",
        "moest",
        "moeten",
        "wil",
        "wilde",
        "willen",
        "gaat",
        "ging",
        "gaan",
        "komt",
        "kwam",
        "komen",
        "zegt",
        "zei",
        "zeggen",
        "noemt",
        "noemde",
        "vindt",
        "vond",
        "staat",
        "stond",
        "ligt",
        "lag",
        "blijft",
        "bleef",
        "krijgt",
        "kreeg",
        "maakt",
        "maakte",
        "laat",
        "liet",
        "doet",
        "deed",
        "ben",
        "bent",
        "heb",
        "hebt",
    ]
)


def _is_fused_heading(words: list[str], least: int) -> bool:
    """Whether a run of words before a fused sentence reads as a heading: a few words, no verb, no pointer back."""
    plain = [word.strip("\"“”„'’:").casefold() for word in words]
    return (
        least <= len(words) <= _MAX_FUSED_HEADING_WORDS
        and not _CLAUSE_WORDS.intersection(plain)
        and plain[-1] not in {"de", "het", "een", "van", "in", "op", "en", "met", "voor", "als", "dan"}
        and not plain[-1].endswith(("-", "–", "—"))
    )


def _fused_heading_end(line: str, start: int, shapes: list[tuple[re.Pattern[str], list[int] | None]]) -> int | None:
    """Where a heading glued to the sentence after it (a page's sub-heading with its tags stripped) ends, or None.

    ``shapes`` are the line's ``_heading_shapes``: a shape whose heading can end nowhere within a heading's
    length of ``start`` is not tried, which spares most sentences the patterns.
    """
    # Every shape's heading opens at ``start``: with a capital, a digit or a quote.
    opening = line[start : start + 1]
    if not opening.isupper() and not opening.isdigit() and opening not in '"“„':
        return None
    for pattern, heading_ends in shapes:
        if heading_ends is not None and not _within_heading_reach(heading_ends, start):
            continue
        if pattern is _HEADING_WITH_QUOTE and not _may_open_quoted_heading(line, start):
            continue
        match = pattern.match(line, start)
        if match is None:
            continue
        heading = match.group()
        if pattern is _HEADING_BEFORE_QUOTE and not _quotes_a_sentence(line[match.end() :]):
            continue
        # A quote ends the heading in the first shape: the words before it must read as one; a bare opener needs two.
        words = re.split(r"[\"“„]", heading)[0].split() or heading.split()
        if _is_fused_heading(words, least=2 if pattern is _HEADING_BEFORE_OPENER else 1):
            return match.end()
    return None


def _may_open_quoted_heading(line: str, start: int) -> bool:
    """Whether a ``_HEADING_WITH_QUOTE`` can open at ``start``: there is its quote, or a colon within its reach."""
    return (
        line[start : start + 1] in _OPENING_QUOTES
        or line.find(":", start + 1, start + _MAX_WORDS_BEFORE_QUOTE_CHARS + 1) >= 0
    )


def _heading_shapes(line: str) -> list[tuple[re.Pattern[str], list[int] | None]]:
    """Each pattern of ``_FUSED_HEADINGS`` with where in ``line`` its heading can end (None: anywhere), in order,
    leaving out those that can end nowhere in it.

    A shape that needs a quote can end nowhere in a line without one, which most lines are.
    """
    quoted = any(quote in line for quote in _OPENING_QUOTES)
    shapes = [
        (pattern, _heading_ends(follower, line))
        for pattern, follower, needs_quote in _FUSED_HEADINGS
        if quoted or not needs_quote
    ]
    return [(pattern, ends) for pattern, ends in shapes if ends != []]


def _heading_ends(follower: re.Pattern[str] | None, line: str) -> list[int] | None:
    """Where in ``line`` a heading can end that ``follower`` must follow; None where no follower bounds it.

    A heading's last character is none of ``_HEADING_MARKS``: a digit's full stop or comma has a digit after it, not
    the space a follower opens with. So a follower right after a sentence end, where most stand, ends no heading.
    """
    if follower is None:
        return None
    return [end for match in follower.finditer(line) if (end := match.start()) and line[end - 1] not in _HEADING_MARKS]


def _within_heading_reach(positions: list[int], start: int) -> bool:
    """Whether one of ``positions`` (in order) is where a heading that opens at ``start`` can end."""
    first = bisect_left(positions, start + _MIN_HEADING_CHARS)
    return first < len(positions) and positions[first] <= start + _MAX_HEADING_CHARS


def _quotes_a_sentence(rest: str) -> bool:
    """Whether the quote that opens ``rest`` holds a sentence (a full stop before it closes), not a title."""
    closing = re.search(r"[\"”]", rest.lstrip()[1:])
    quoted = rest.lstrip()[1:][: closing.start()] if closing else rest
    return re.search(r"[.!?…]", quoted) is not None


def split_fused_headings(text: str) -> str:
    """A line break after each sub-heading that a scraper glued to the next sentence without punctuation.

    Stripping a page's tags joins ``<h2>Brandversnellers op zak</h2><p>Zaterdagochtend …`` into one run of
    words, so the heading would open the next sentence, of a summary or a translation. The heading is known by
    its shape: a few words without a verb, right after a sentence end, before a quote, a quoted sentence or a
    sentence opener with a capital that is not a name.
    """
    lines = []
    for line in text.split("\n"):
        shapes = _heading_shapes(line)
        starts = _sentence_starts(line) if shapes else []
        cuts = [end for start in starts if (end := _fused_heading_end(line, start, shapes)) is not None]
        for cut in reversed(cuts):
            line = line[:cut].rstrip() + "\n" + line[cut:].lstrip()
        lines.append(line)
    return "\n".join(lines)


def _sentence_starts(line: str) -> list[int]:
    """Where a sentence may start: the start of the line and after each sentence end."""
    first = [0] if line[:1] and not line[:1].isspace() else []
    return first + [match.end() for match in _SENTENCE_END.finditer(line)]


def _words(line: str) -> list[str]:
    return line.split()


def _is_label(line: str) -> bool:
    """Short and without final punctuation: a menu item, a heading, a teaser headline.

    The words are counted only up to one past the most a label has: a paragraph is not split into all its words.
    """
    return not line.rstrip().endswith(_FINAL) and len(line.split(maxsplit=_MAX_LABEL_WORDS)) <= _MAX_LABEL_WORDS


_KEY_MARKS = " .:»›>→+|-–—•*"
#: The most words of a section word: a longer line is none, whatever ``_key`` makes of it.
_SECTION_MAX_WORDS = max(len(word.split()) for word in SECTION_WORDS)


def phrase_key(line: str, marks: str = _KEY_MARKS) -> str:
    """A line reduced for comparison with a phrase list: case-folded, single-spaced, ``marks`` stripped off its ends."""
    return " ".join(line.casefold().strip(marks).split())


def short_phrase_key(line: str, most_words: int, marks: str = _KEY_MARKS) -> str | None:
    """``phrase_key(line, marks)`` if it has at most ``most_words`` words, else None: a paragraph is not split into
    all its words to be compared with a phrase of a few, nor case-folded.

    Case folding neither makes nor takes away a space or a mark of ``_KEY_MARKS`` or the clean stage's trailing
    marks (``tests/test_clean_invariants.py`` checks every character), so the marks are stripped and the words
    counted before it.
    """
    reduced = line.strip(marks)
    if len(reduced.split(maxsplit=most_words)) > most_words:
        return None
    return " ".join(reduced.casefold().split())


_SHARE_SEPARATORS = re.compile(r"[\s,|/·•]+")
_SHARE_NAME = re.compile(r"[^\s,|/·•]+")
#: How a share bar's first name starts: a line that starts with another word is no share bar, whatever follows.
_PLATFORM_FIRST_WORDS = frozenset(_SHARE_SEPARATORS.split(name)[0] for name in PLATFORMS)


#: The only characters that ``re.IGNORECASE`` matches with a lower-case ASCII letter and ``str.lower()`` does not turn
#: into it (found by trying every code point), as they stand in a lowered line: ``İ`` lowers to ``i`` and a combining
#: dot, ``ı`` and ``ſ`` (matched with ``i`` and ``s``) stay as they are.
_LOWERED_CASE_FOLD_TRAPS = ("i\u0307", "ı", "ſ")


def _holds_any(line: str, pieces: tuple[str, ...]) -> bool:
    """Whether ``line`` may hold one of ``pieces`` (lower case) in any case: a quick test before a case-blind pattern.

    ``str.lower()`` turns every character that ``re.IGNORECASE`` matches with a lower-case ASCII letter into that
    letter, one for one, but for the ``_LOWERED_CASE_FOLD_TRAPS``: a line with none of those holds a piece in some
    case only if its lowered form holds it; one with a trap is let through, to be searched.
    """
    return _lowered_holds_any(line.lower(), pieces)


def _lowered_holds_any(lowered: str, pieces: tuple[str, ...]) -> bool:
    """``_holds_any`` for a line lowered already."""
    return any(piece in lowered for piece in pieces) or any(trap in lowered for trap in _LOWERED_CASE_FOLD_TRAPS)


def _is_share_bar(line: str) -> bool:
    """``Deel dit artikel: Facebook Twitter WhatsApp``, or two or more platform names and nothing else."""
    prefix = _SHARE.match(line)
    rest = line[prefix.end() :] if prefix and prefix.end() else line
    # Case folding keeps every separator and makes none, so the first name is the folded first word: most lines
    # end here, without folding the whole line.
    first = _SHARE_NAME.search(rest)
    if first is not None and first.group().casefold() not in _PLATFORM_FIRST_WORDS:
        return False
    folded = rest.casefold()
    names = [part for part in _SHARE_SEPARATORS.split(folded) if part]
    merged = " ".join(names)
    all_platforms = all(name in PLATFORMS for name in names) or merged in PLATFORMS
    if prefix and prefix.end():
        return not names or all_platforms
    return len(names) >= 2 and all_platforms


def line_kind(line: str, at_edge: bool = False) -> str | None:
    """The boilerplate class of a whole line, or None for a line that may be the article.

    Every class needs a line shape besides its words: short, a label, a prefix
    with a colon, or a pattern no article sentence takes. A cookie wall counts
    only ``at_edge`` (first or last line), where a page puts it instead of the
    article; an article about cookies says the same words in its body.
    """
    stripped = line.strip()
    if not stripped:
        return None
    # Words are counted up to one past the most a rule asks for: a paragraph is not split into all its words.
    # The cheap word bound comes before each pattern it gates.
    words = len(stripped.split(maxsplit=_MOST_WORDS_ASKED))
    if at_edge and _holds_any(stripped, _COOKIE_WALL_HOLDS) and _COOKIE_WALL.search(stripped):
        return "cookie"
    if _is_share_bar(stripped):
        return "share"
    if words <= 30 and _holds_any(stripped, _PROMPT_HOLDS) and _PROMPT.search(stripped):
        return "prompt"
    if words <= _MAX_LINK_WORDS and _RELATED.match(stripped):
        return "related"
    if _RELATED_HEADER.match(stripped) and (_is_label(stripped) or ":" in stripped[:30]):
        return "related"
    if words <= _MAX_LINK_WORDS and _CALL_TO_ACTION.match(stripped):
        return "related"
    if words <= _MAX_CREDIT_WORDS and _CREDIT.match(stripped):
        return "credit"
    if words <= _MAX_CREDIT_WORDS and _CAPTION.search(stripped):
        return "caption"
    if words <= _MAX_LINK_WORDS and _LINK_ARROW.search(stripped):
        return "related"
    if words <= 30 and _holds_any(stripped, _COPYRIGHT_HOLDS) and _COPYRIGHT.search(stripped):
        return "credit"
    if words <= _MAX_BYLINE_WORDS and _BYLINE.match(stripped):
        return "byline"
    if short_phrase_key(stripped, _SECTION_MAX_WORDS) in SECTION_WORDS:
        return "navigation"
    if _COUNTER.match(stripped):
        return "counter"
    if _TIMESTAMP_LINE.match(stripped):
        return "timestamp"
    if _LETTER_SPACED.match(stripped) or (_is_label(stripped) and _WIRE_NOTICE.search(stripped)):
        return "notice"
    if _PLAYER_CUE.fullmatch(stripped) or _CONTINUES_CUE.fullmatch(stripped):
        return "embed"
    if words <= _MAX_OBITUARY_WORDS and _OBITUARY.match(stripped):
        return "obituary"
    if words <= _MAX_EVERGREEN_WORDS and _PAGE_ITSELF.search(stripped) and _READER.search(stripped):
        return "evergreen"
    return None


def _inline(line: str, removed: list[Removed]) -> str:
    """``line`` without the boilerplate glued into it; each piece taken out is added to ``removed``."""

    def cut(pattern: re.Pattern[str], kind: str, text: str) -> str:
        def record(match: re.Match[str]) -> str:
            if match.group().strip():
                removed.append(Removed(kind, match.group().strip(), inline=True))
            return " " if match.start() and match.end() < len(text) else ""

        return pattern.sub(record, text)

    # A pattern is only searched in a line that holds what each of its matches holds: most lines hold none of it.
    # A cut only takes text out, leaving a space or nothing, so what the line lowered before a cut lacks, the line
    # lacks after it too: one lowered copy serves every quick test.
    lowered = line.lower()
    if _lowered_holds_any(lowered, _PLAYER_CUE_HOLDS):
        line = cut(_PLAYER_CUE, "embed", line)
    if "(" in line and _lowered_holds_any(lowered, _CONTINUES_CUE_HOLDS):
        line = cut(_CONTINUES_CUE, "embed", line)
    if ":" in line and _CLOCK_TIME.search(line):
        line = cut(_GLUED_TEASER, "related", line)
    truncated = _TRUNCATION.search(line) if "[+" in line else None
    if truncated:
        removed.append(Removed("truncation", truncated.group().strip(), inline=True))
        line = _without_cut_word(line[: truncated.start()], removed)
    if "©" in line or "Radio " in line or line.endswith(_GLUED_SOURCES):
        line = cut(_GLUED_CREDIT, "credit", line)
    kicker = _KICKER.match(line)
    if kicker:
        removed.append(Removed("kicker", kicker.group().strip(), inline=True))
        line = line[kicker.end() :]
    line = _without_stray_brackets(_without_trailing_call(line, removed))
    return line if _single_spaced(line) else " ".join(line.split())


#: The bytes of the Latin-1 characters that ``str.isprintable`` passes; and those with the line break.
_PRINTABLE_LATIN_1 = bytes(code for code in range(256) if chr(code).isprintable())
_PRINTABLE_LATIN_1_AND_LINE_BREAK = _PRINTABLE_LATIN_1 + b"\n"


def is_printable(text: str, line_breaks: bool = False) -> bool:
    """``text.isprintable()``, or with ``line_breaks`` whether every line of ``text`` is printable.

    A Latin-1 text, as most are, is printable when deleting its printable bytes in C leaves none: some twice as
    fast as ``str.isprintable``, which looks each character up in Unicode's database.
    """
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:
        return (text.replace("\n", " ") if line_breaks else text).isprintable()
    return not latin.translate(None, _PRINTABLE_LATIN_1_AND_LINE_BREAK if line_breaks else _PRINTABLE_LATIN_1)


def _single_spaced(line: str) -> bool:
    """Whether ``" ".join(line.split())`` is ``line`` already, by a few scans instead of a list of all its words.

    Of all whitespace only the space is printable (``tests/test_clean_invariants.py`` checks every character).
    """
    return is_printable(line) and "  " not in line and not line.startswith(" ") and not line.endswith(" ")


def _without_stray_brackets(line: str) -> str:
    """``Deze [persoonsbeveiligers`` without the ``[`` a removed link left: one no ``]`` closes."""
    while True:
        opening = line.rfind("[")
        if opening < 0 or "]" in line[opening:]:
            return line
        line = line[:opening] + line[opening + 1 :]


def _without_cut_word(line: str, removed: list[Removed]) -> str:
    """The line up to its last whole word, with an ellipsis where the source cut it off mid-sentence.

    The sentence the source cut is still the article's (its facts are the reader's, and the translator
    keeps them); only the half word goes. A line cut at a sentence end stays as it is.
    """
    line = line.rstrip()
    if not line or line.endswith((".", "!", "?", "…", '"', "”", "’", "'")):
        return line
    head, _, cut = line.rpartition(" ")
    if not head or not cut[-1:].isalnum():
        return line.rstrip(" ,;:-–—") + "…"
    removed.append(Removed("truncation", cut, inline=True))
    return head.rstrip(" ,;:-–—") + "…"


#: Up to the end of the last sentence end and the space after it. No sentence end starts inside another (only
#: quotes and spaces follow the mark), so this ends where the last of all ``[.!?]["”’']?\s+`` ends.
_LAST_SENTENCE_END = re.compile(r".*[.!?][\"”’']?\s+", re.DOTALL)


def _without_trailing_call(line: str, removed: list[Removed]) -> str:
    """The line without a closing "Volg hier al het nieuws…" sentence, which points elsewhere."""
    last_end = _LAST_SENTENCE_END.match(line)
    if last_end is None:
        return line
    last = line[last_end.end() :]
    if _CALL_TO_ACTION.match(last) and len(_words(last)) <= 20:
        removed.append(Removed("related", last.strip(), inline=True))
        return line[: last_end.end()].rstrip()
    return line


def _media_cue(line: str, next_line: str | None) -> bool:
    """A paragraph that ends in a colon over nothing that follows from it: a removed video or tweet.

    A colon before a quote, a list, a short label line (an unbulleted list) or a row of data (the
    heading of a results table, ``Mannen, tweede ronde:``) is the text's own, and so is one after a
    verb of speech (``De wethouder zei:``): the paragraph after it is what was said.
    """
    if not line.rstrip().endswith(":"):
        return False
    if _SPEECH_BEFORE_COLON.search(line[_last_sentence_start(line) :]):
        return False
    if next_line is None:
        return True
    following = next_line.lstrip()
    return not (
        following[:1] in "\"'„“‘«-–—•*·"
        or _is_label(following)
        or following[:1].isdigit()
        or _DATA_ROW.search(following)
    )


def _last_sentence_start(line: str) -> int:
    ends = [match.end() for match in re.finditer(r"[.!?][\"”’']?\s+(?=\S)", line)]
    return ends[-1] if ends else 0


def _repeats(line: str, lead: str) -> bool:
    """Whether ``line`` is ``lead`` again, or starts as ``lead`` does where either was cut off with an ellipsis."""
    if line == lead:
        return True
    head = min(lead, line, key=len).rstrip("….").rstrip()
    return len(head) >= _REPEAT_MIN_CHARS and line.startswith(head) and lead.startswith(head)


def dateline(line: str) -> tuple[str, str | None, str]:
    """The first line without an ``AMSTERDAM (ANP) -`` dateline, the place name (title-cased if in capitals), the prefix.

    Without an agency the place must be in capitals (``DEN HAAG -``), so a line
    such as ``Ajax - PSV`` keeps its dash.
    """
    match = _DATELINE.match(line)
    if match is None:
        return line, None, ""
    place = match.group("place")
    if "(" not in match.group() and not place.isupper():
        return line, None, ""
    return line[match.end() :], place.title() if place.isupper() else place, match.group().strip()


def strip_lines(text: str) -> Stripped:
    """``text`` without boilerplate lines and pieces anywhere, with each removal and the dateline.

    The lines under a "Lees ook" header that are labels (headlines of other
    articles) go with it. A first line repeated right under itself goes too: a
    news API puts the description above content that starts with it again.
    """
    lines = text.split("\n")
    filled = [index for index, line in enumerate(lines) if line.strip()]
    edges = {filled[0], filled[-1]} if filled else set()
    removed: list[Removed] = []
    kept: list[str] = []
    lead: str | None = None
    in_list = after_link = False
    place = None
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            in_list = after_link = False
            kept.append("")
            continue
        kind = line_kind(line, at_edge=index in edges)
        if kind is None and (in_list or (after_link and line[:1] in "-–—•*·›")) and _is_label(line):
            kind = "related"
        if kind is not None:
            removed.append(Removed(kind, line))
            after_link = kind == "related"
            in_list = in_list or (after_link and (line.endswith(":") or phrase_key(line) in _LIST_HEADERS))
            continue
        in_list = after_link = False
        line = _inline(line, removed)
        if not line:
            continue
        if place is None and not any(kept):
            line, place, prefix = dateline(line)
            if place is not None:
                removed.append(Removed("dateline", prefix, inline=True))
        # Only a line ending in a colon can be a media cue: the next line is looked up for those alone.
        if line.rstrip().endswith(":") and _media_cue(line, _next_filled(lines, index)):
            start = _last_sentence_start(line)
            removed.append(Removed("embed", line[start:].strip(), inline=start > 0))
            line = line[:start].rstrip()
            if not line:
                continue
        if kept == [lead] and lead is not None and _repeats(line, lead):
            removed.append(Removed("duplicate", line))
            continue
        lead = line if not kept else None
        kept.append(line)
    kept = _without_label_runs(kept, removed)
    return Stripped(collapse_blank_runs("\n".join(kept)).strip(), removed, place)


def collapse_blank_runs(text: str) -> str:
    """``text`` with each run of blank lines made one blank line.

    The pattern opens with a repeat, so it is tried at every character: it runs only in a text that holds such a
    run, and one without a line break (looked for at memory speed, where a run of them is not) is passed over.
    """
    return _BLANK_RUNS.sub("\n\n", text) if "\n" in text and "\n\n\n" in text else text


def _next_filled(lines: list[str], index: int) -> str | None:
    """The first non-blank line after ``lines[index]``, or None."""
    return next((candidate for candidate in lines[index + 1 :] if candidate.strip()), None)


def _without_label_runs(lines: list[str], removed: list[Removed]) -> list[str]:
    """``lines`` without a run of many short labels at the head or tail: a page's menu or footer links.

    An article's own list hangs from a line ending in a colon or has bullets;
    a run of plain labels at the edge of the text has neither. A row of data
    (``1999: Piet Jansen (Ned)``) ends the run: a results table or a winners
    list is made of short lines too, but they are the article.
    """
    filled = [index for index, line in enumerate(lines) if line]

    def run(indices: list[int]) -> list[int]:
        taken = []
        for index in indices:
            line = lines[index]
            if not _is_label(line) or line[:1] in "-–—•*·" or _DATA_ROW.search(line):
                break
            taken.append(index)
        return taken

    tail = run(filled[::-1])
    if tail and tail[-1] != filled[0] and lines[max(0, filled[filled.index(tail[-1]) - 1])].endswith(":"):
        tail = []
    head = run(filled)
    drop = {index for part in (head, tail) if len(part) >= _MENU_MIN_LINES for index in part}
    if not drop:
        return lines
    removed.extend(Removed("navigation", lines[index]) for index in sorted(drop))
    return [line for index, line in enumerate(lines) if index not in drop]
