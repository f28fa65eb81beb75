"""The ``nlnews_years`` component: four-digit years in a date context, ranges, numeric dates and dated names.

Years are found in the text's characters, not its tokens: the cues
(``sinds 1998``, ``september 2021``), the ranges (``2021-2022``, ``2021/22``)
and what rules a number out (``2023 euro``, ``0900-2023``, a postcode's letters)
are patterns of characters. Amounts, phone numbers and postcodes are not years.
A name right before four digits dates it (``WK 2026``, ``Euro 2024 werd``, ``de
Voorjaarsnota 2025``) unless a noun follows that the number counts (``Ajax 2000
supporters``) or the name numbers things (``Kamer 1201``), and a number opening
a sentence is a year when a verb in the singular follows (``2024 was een warm
jaar``): a count takes the plural. Every four-digit year is one, from ``het jaar
1000`` on; before 1900 a number counts things more often than it dates them, so
there a plural of any noun after it rules it out (``voor 1500 deelnemers``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.lexicon import lemmatize
from pipeline.stages.entities.tokens import BatchComponent, Mention, Tokens, mentions

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
#: Words right before a year that make it one: "uiterlijk 2023", "sinds 1998", "september 2021", "de ramp van
#: 1953" ("begin van", "de helft van" end in "van" too), "de jaren 1980", "© 2024 ANP".
_YEAR_CUE = re.compile(
    r"(?:\b(?:in|over|uit|uiterlijk|sinds|sedert|vanaf|tot|voor|vóór|na|per|anno|rond|omstreeks|circa|ca|tussen|t/m"
    r"|tot en met|tegen|van|eind|einde|begin|medio|halverwege|jaar|jaren|zomer|winter|voorjaar|najaar|lente|herfst"
    r"|seizoen|schooljaar|begroting|jaarverslag|jaarrekening|copyright|" + _MONTHS + r")\.?|©)\s*$",
    re.IGNORECASE,
)
#: A verb of growth or decline before "tot" or "naar": the number after it is an amount, not a year ("het dodental
#: is opgelopen tot 1700", "steeg naar 2000").
_CHANGED_TO = re.compile(
    r"\b(?:opgelopen|loopt op|liep op|gestegen|stijgt|steeg|gedaald|daalt|daalde|toegenomen|neemt toe|nam toe"
    r"|gegroeid|groeit|groeide|teruggelopen|verhoogd|verlaagd)\s+(?:tot|naar)\s*$",
    re.IGNORECASE,
)
#: A name right before a year that it dates: "WK 2026", "de Voorjaarsnota 2025", "Agenda 2030". An acronym
#: anywhere, a capitalised word only inside a sentence (after a word or comma): a sentence's first word is no name.
_NAME_BEFORE = re.compile(r"(?:(?<![\w-])[A-Z]{2,5}|[\w,;)]\s+[A-Z][a-z][\w-]*)\s$")
#: The first word of a sentence right before a year: a name it dates (``Euro 2024 werd``) unless a function
#: word or a word of amounts or of numbering (below).
_OPENING_WORD = re.compile(r"(?:^|[.!?:]\s+)([A-Z][a-z][\w-]*)\s$")
#: Words that open a sentence before an amount, not a name: "Ruim 2000 zaten zonder stroom".
_AMOUNT_WORDS = frozenset(
    {"ruim", "bijna", "ongeveer", "circa", "slechts", "minstens", "maximaal", "minimaal", "liefst", "amper"}
    | {"nauwelijks", "precies", "exact", "totaal", "gemiddeld", "hooguit", "tenminste", "zowat", "pakweg"}
)
#: Words that number what they name (or the code after them), never a year: "Kamer 1201 is vrij", "Vlucht KL
#: 1234 is vertraagd".
_NUMBERING_WORDS = frozenset(
    {"Artikel", "Kamer", "Lijn", "Bus", "Tram", "Vlucht", "Nummer", "Huisnummer", "Pagina", "Zaal", "Hal", "Postbus"}
    | {"Code", "Stand", "Route", "Kanaal", "Model", "Type", "Serie", "Boeing", "Airbus", "Fokker", "Peugeot"}
)
#: How a street's name ends, before its house number: "Kerkstraat 1234".
_STREET_ENDINGS = ("straat", "laan", "weg", "plein", "gracht", "kade", "dijk", "singel", "dreef", "steeg", "markt")
#: Verbs in the singular after a number opening a sentence: a year, which a count (in the plural) is not.
_SINGULAR_VERBS = frozenset(
    {"was", "is", "wordt", "werd", "zal", "moet", "kan", "lijkt", "leek", "bleek", "blijkt", "belooft", "beloofde"}
    | {"begon", "begint", "eindigde", "eindigt", "bracht", "brengt", "gaat", "ging", "blijft", "bleef", "markeert"}
    | {"markeerde", "telde", "kende", "zag", "ziet", "staat", "stond", "had", "heeft"}
)
#: A sentence's opening, right before a number: the text's start, a line's or a sentence's end.
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?]\s+)$")
#: Before this year a four-digit number counts things more often than it dates them ("1500 deelnemers"):
#: a plural of any noun after it rules it out, not only those of ``_NOT_A_YEAR_AFTER``.
_EARLY_YEARS_END = 1900
#: The word after a number, if a word comes next on its line (else the group is empty).
_NEXT_WORD = re.compile(r"[ \t]*(?:(\w+)|\S|$)")
#: The longest cue with its space ("september van ") and room for a few more: a year's cue is searched
#: for in this many characters before it, not more (the search tries every one of them).
_CUE_CHARS = 20
#: What after a number shows it counts something (or is a postcode), whatever came before.
_NOT_A_YEAR_AFTER = re.compile(
    r"\s*(?:(?i:(?:nieuwe|extra|andere|oude|kleine|grote|ruim|bijna)\s+)?"
    r"(?i:euro|eur|dollar|pond|gulden|procent|kilo|kilogram|gram|kilometer|km|meter|m2|hectare|ton|liter"
    r"|uur|minuten|seconden|mensen|personen|klanten|inwoners|woningen|huizen|banen|stuks|keer|jaar|jaren"
    r"|dagen|weken|maanden|punten|deelnemers|leden|medewerkers|werknemers|ambtenaren|studenten|leerlingen"
    r"|kinderen|patiënten|bezoekers|asielzoekers|vluchtelingen|gevallen|zaken|aanvragen|meldingen"
    r"|klachten|auto's|dieren|plaatsen|bedden)(?!\w)|%|[A-Z]{2}(?!\w))"
)
# The patterns below open with what they match, a digit, and only then look behind: a pattern that
# opens with a lookbehind (or a lookahead) is tried at every character of the text, these only where
# a digit is. On news text that halves the time of each.
#: A four-digit number not glued to other digits (phone numbers, 2.023, 0900-2023).
_YEAR = re.compile(r"(\d(?<![\w€$£]\d)(?<!\d[-–./:,]\d)\d{3})(?!\w)(?![-–./:,]\d)")
#: "2021-2022", "2021 – 2022", "2021/22", "2021 tot 2023".
_YEAR_RANGE = re.compile(
    r"(\d(?<![\w.,/–-]\d)\d{3})(?:\s*[-–/]\s*|\s+(?:tot en met|tot|t/m)\s+)(\d{4}|\d{2})(?!\w)(?![-–./:,]\d)"
)
#: Between two years of a list: "2020 en 2023", "2019, 2021".
_LISTED = re.compile(r"\s*(?:,|en|of)\s*")
#: Four digits inside a date a model found: each may be a year.
_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
#: Years inside numeric dates: "1-10-2021", "01/10/2021", "2021-10-01" (whose year starts where the match does).
_NUMERIC_DATE = re.compile(
    r"\d(?<![\w.,/-]\d)(?:\d?([-/.])\d{1,2}\1(?P<last>\d{4})|\d{3}-\d{2}-\d{2})(?!\w)(?![-./]\d)"
)
#: Four digits in a row, which every match of the three patterns above holds: most texts have none, and this
#: simplest scan tells it soonest.
_ANY_FOUR_DIGITS = re.compile(r"\d\d\d\d")
#: Four digits and no more in a row, as every match of the three patterns holds them (a numeric date its year):
#: each of those matches starts where its four digits do, a numeric date also ``_DAY_AND_MONTH`` before.
_FOUR_DIGITS = re.compile(r"\d(?<!\d\d)\d{3}(?!\d)")
#: How far before its year a numeric date that opens with its day and month starts: "1-1-2021" to "12-10-2021".
_DAY_AND_MONTH = (6, 5, 4)
#: What stands between a numeric date's day, month and year: "1-10-2021", "01/10/2021", "1.10.2021".
_DATE_SEPARATORS = frozenset("-/.")


@Language.factory("nlnews_years", default_config={"year_min": 1000, "year_max": 2099})
def make_years(nlp: Language, name: str, year_min: int, year_max: int) -> YearFinder:
    return YearFinder(year_min, year_max)


class YearFinder(BatchComponent):
    """Adds YEAR candidates to ``doc._.mentions``."""

    def __init__(self, year_min: int, year_max: int) -> None:
        self.year_min = year_min
        self.year_max = year_max

    def __call__(self, doc: Doc) -> Doc:
        mentions(doc).extend(self.years(Tokens.of(doc).text))
        return doc

    def years(self, text: str) -> list[Mention]:
        """Years in a date context, ranges and numeric dates; not amounts, phone numbers or postcodes."""
        mentions: list[Mention] = []
        first_digits = _ANY_FOUR_DIGITS.search(text)
        if first_digits is None:
            return mentions
        # The patterns are tried only where a match can start (``_FOUR_DIGITS``): one scan of the text from its first
        # four digits, not three. The lookbehinds still see what comes before.
        four_digits = [match.start() for match in _FOUR_DIGITS.finditer(text, first_digits.start())]

        def add(start: int, end: int, year: int) -> None:
            mentions.append(Mention(start, end, "YEAR", str(year), str(year), "year"))

        for match in _matches(_YEAR_RANGE, text, four_digits):
            first, second = int(match.group(1)), match.group(2)
            last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
            if len(second) == 2 and last <= first:
                last += 100
            plausible = first < last <= first + (1 if len(second) == 2 else 100)
            if not plausible or not self.year_min <= first <= last <= self.year_max:
                continue
            if _NOT_A_YEAR_AFTER.match(text, match.end()):
                continue
            add(match.start(1), match.end(1), first)
            add(match.start(2), match.end(2), last)
        for match in _matches(_NUMERIC_DATE, text, _date_starts(text, four_digits)):
            start, end = match.span("last") if match.group("last") else (match.start(), match.start() + 4)
            year = int(text[start:end])
            if self.year_min <= year <= self.year_max:
                add(start, end, year)
        previous_end = -1
        for match in _matches(_YEAR, text, four_digits):
            year = int(match.group(1))
            if not self.year_min <= year <= self.year_max:
                continue
            if _NOT_A_YEAR_AFTER.match(text, match.end()):
                continue
            next_word = _NEXT_WORD.match(text, match.end())
            following = next_word.group(1) if next_word is not None else None
            if year < _EARLY_YEARS_END and following is not None and _is_plural_noun(following):
                continue
            line_start = text.rfind("\n", 0, match.start()) + 1
            before = text[max(line_start, match.start() - _CUE_CHARS) : match.start()]
            in_brackets = before.endswith("(") and text.startswith(")", match.end())
            listed = previous_end >= line_start and _LISTED.fullmatch(text, previous_end, match.start())
            opens_a_clause = (following in _SINGULAR_VERBS and _SENTENCE_OPENING.search(before)) or (
                not before and text.startswith(": ", match.end())  # a heading's year: "2024: het jaar van de boer"
            )
            cued = _YEAR_CUE.search(before) and not _CHANGED_TO.search(before)
            if (
                cued
                or in_brackets
                or listed
                or opens_a_clause
                or (_dates_a_name(before) and (following is None or following.lower() in STOP_WORDS))
            ):
                add(match.start(), match.end(), year)
                previous_end = match.end()
        return mentions

    def years_in(self, text: str, start: int, end: int) -> list[Mention]:
        """The years inside a date a model found (``september 2021`` gives 2021), within the bounds."""
        return [
            Mention(m.start(), m.end(), "YEAR", m.group(), m.group(), "model")
            for m in _DIGITS.finditer(text, start, end)
            if self.year_min <= int(m.group()) <= self.year_max
        ]


def _matches(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches can start only at ``starts`` (in order).

    A match is tried at each start that no match before it covers: a few tries in C, not a scan of the text.
    """
    end = 0
    for start in starts:
        if start >= end:
            match = pattern.match(text, start)
            if match is not None:
                end = match.end()
                yield match


def _date_starts(text: str, four_digits: list[int]) -> list[int]:
    """Where a numeric date can start, in order: at its day and month, before a separator and its year
    (``12-10-2021``), or at its year before a hyphen (``2021-10-01``). Most years have neither."""
    starts = set()
    for year in four_digits:
        if year and text[year - 1] in _DATE_SEPARATORS:
            starts.update(year - back for back in _DAY_AND_MONTH if back <= year)
        if text.startswith("-", year + 4):
            starts.add(year)
    return sorted(starts)


def _dates_a_name(before: str) -> bool:
    """``WK 2026``, ``de Voorjaarsnota 2025``, ``Euro 2024`` opening a sentence: a name right before the number.

    The caller sees to the rest: ``Ajax 2000 supporters`` counts supporters, so
    after the number comes punctuation, the line's end or a function word
    (``van``, ``is``), or it is no year.
    """
    name = _NAME_BEFORE.search(before)
    if name is None:
        name = _OPENING_WORD.search(before)
        if name is None or name.group(1).lower() in STOP_WORDS:
            return False  # "Nog 2000 te gaan": a sentence's first word may be a function word
    word = name.group().strip(" ,;)").split()[-1]
    numbered = _NUMBERING_WORDS.intersection(before.split()[-2:]) or word.lower().endswith(_STREET_ENDINGS)
    return not numbered and word.lower() not in _AMOUNT_WORDS


def _is_plural_noun(word: str) -> bool:
    """``deelnemers``, ``auto's``, ``woningen``: a lower-case word whose lemma is its singular, not a verb's form."""
    if not word.islower() or word in STOP_WORDS or not word.endswith(("s", "en")):
        return False
    lemma = lemmatize(word)
    return lemma != word and not lemma.endswith("en")
