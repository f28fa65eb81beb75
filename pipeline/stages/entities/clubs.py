"""Clubs named by their town: ``Spakenburg wil zijn fans confronteren, PSV is woest``.

Sports news names a club by its town as often as by its full name. A town of
which the knowledge base knows exactly one club (``SV Spakenburg``, ``KVC
Westerlo``, ``ADO Den Haag``) is read as that club where the words around it
are a match's (a score, a sports word, another club) and no word places it:
``in Spakenburg`` and ``de burgemeester van Westerlo`` stay the town.

The component runs after ``nlnews_places`` and turns its city mentions into
club mentions, so the merge sees one candidate per span.
"""

from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.stages.entities.gazetteer import Gazetteer, Glossary, Organisation, load_gazetteer, load_glossary
from pipeline.stages.entities.tokens import BatchComponent, Mention, Tokens, mentions

#: The words of a club's name besides its town: ``SV`` Spakenburg, ``sc`` Heerenveen, ``Sporting`` Charleroi,
#: Sint-Truiden ``VV``. Any other word (``Heracles`` Almelo, Manchester ``City``) makes a name of its own.
_CLUB_WORDS = frozenset({"Sporting", "Racing", "Royal", "Union"})
_VOWELS = frozenset("aeiouy")
#: Words of a match report: what is played, by whom, with what result.
_SPORTS_WORDS = frozenset(
    {"wedstrijd", "duel", "derby", "topper", "competitie", "seizoen", "eredivisie", "divisie", "beker", "bekerduel"}
    | {"trainer", "coach", "doelman", "keeper", "spits", "aanvaller", "verdediger", "middenvelder", "aanvoerder"}
    | {"speler", "spelers", "selectie", "elftal", "ploeg", "supporters", "fans", "aanhang", "spreekkoren"}
    | {"won", "wint", "verloor", "verliest", "speelde", "speelt", "scoorde", "scoort", "versloeg", "verslaat"}
    | {"gelijk", "gelijkspel", "zege", "nederlaag", "overwinning", "doelpunt", "goal", "punten", "punt"}
    | {"thuiswedstrijd", "uitwedstrijd", "promotie", "degradatie", "play-offs", "kampioen", "klassement"}
)
#: How many words either side of a town the match's words are looked for, on the same line.
_WINDOW = 10
#: A score: "2-1", "0 - 0", also before a full stop; not a part of a decimal number or a date.
_SCORE = re.compile(r"(?<![\d.,])\d{1,2} ?[-–] ?\d{1,2}(?!\d|[.,]\d)")


@Language.factory("nlnews_clubs", default_config={"resources_dir": None, "world_min_population": 15000})
def make_clubs(nlp: Language, name: str, resources_dir: str | None, world_min_population: int) -> ClubFinder:
    directory = Path(resources_dir) if resources_dir else None
    return ClubFinder(load_glossary(directory), load_gazetteer(world_min_population, directory))


class ClubFinder(BatchComponent):
    """Reads a town as its club in a match's words; see the module's docstring."""

    def __init__(self, glossary: Glossary, gazetteer: Gazetteer) -> None:
        self.clubs = clubs_by_town(glossary, gazetteer)
        self.cues = gazetteer.cues

    def __call__(self, doc: Doc) -> Doc:
        found = mentions(doc)
        if not any(mention.label == "CITY" for mention in found):
            return doc
        tokens = Tokens.of(doc)
        text = tokens.text
        for index, town in enumerate(found):
            club = self.clubs.get(text[town.start : town.end]) if town.label == "CITY" else None
            start = tokens.index_at.get(town.start) if club is not None else None
            if start is None or self._placed(tokens, start) or not self._in_a_match(tokens, found, town, start):
                continue
            found[index] = Mention(town.start, town.end, "ORG", club.canonical, club.english, "glossary", club.facts())
        return doc

    def _placed(self, tokens: Tokens, start: int) -> bool:
        """A place cue before the town: ``in Spakenburg``, ``de burgemeester van Westerlo``."""
        previous = tokens.word(start - 1, start)
        if previous is None:
            return False
        if previous.lower() in self.cues.before:
            return True
        return previous == "van" and (tokens.word(start - 2, start) or "").lower() in self.cues.before_van

    def _in_a_match(self, tokens: Tokens, found: list[Mention], town: Mention, start: int) -> bool:
        """A sports word, another club or a score within a few words of the town, on its line."""
        first = start
        while first > 0 and start - first < _WINDOW and tokens.word(first - 1, start) is not None:
            first -= 1
        last = start
        while last + 1 < len(tokens) and last - start < _WINDOW and tokens.word(last + 1, start) is not None:
            last += 1
        if any(word.lower() in _SPORTS_WORDS for word in tokens.words[first : last + 1]):
            return True
        begin, end = tokens.starts[first], tokens.ends[last]
        if any(m.extra.get("type") == "club" and begin <= m.start < end and m is not town for m in found):
            return True
        # A score alone may be a date (12-3): it counts in a text with a match's words elsewhere
        return _SCORE.search(tokens.text, begin, end) is not None and not _SPORTS_WORDS.isdisjoint(
            map(str.lower, tokens.words)
        )


def clubs_by_town(glossary: Glossary, gazetteer: Gazetteer) -> dict[str, Organisation]:
    """The club of each town that the knowledge base knows exactly one club of, by the town's name in the club's.

    A club's name is its town and a club word or acronym: ``SV Spakenburg``,
    ``sc Heerenveen``, ``Sint-Truiden VV``. The town goes by the name the club
    has it in: ``Antwerp`` is the club, ``Antwerpen`` the city.
    """
    found: dict[str, set[Organisation]] = {}
    for body in glossary.entries:
        if body.type != "club":
            continue
        for name in (body.canonical, *body.aliases):
            words = name.split()
            for cut in range(1, len(words)):
                for town_words, other in ((words[cut:], words[:cut]), (words[:cut], words[cut:])):
                    town = " ".join(town_words)
                    if town in gazetteer.places and all(map(_is_club_word, other)):
                        found.setdefault(town, set()).add(body)
    return {town: next(iter(bodies)) for town, bodies in found.items() if len(bodies) == 1}


def _is_club_word(word: str) -> bool:
    """``FC``, ``KVC``, ``sc``, ``Sporting``: a word that says a name is a club's.

    An acronym in capitals, or in lower case without a vowel (``sc``, ``vv``), which no Dutch word is.
    """
    if word in _CLUB_WORDS:
        return True
    return word.isalpha() and len(word) <= 4 and (word.isupper() or (word.islower() and not _VOWELS & set(word)))
