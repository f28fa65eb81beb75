"""Teams named by their town or country: ``Spakenburg wil zijn fans confronteren``, ``het gelijkspel van Curaçao``.

Sports news names a club by its town and a national team by its country as
often as by their full names. Among a match's words (a score, a sports word,
for a town also another club nearby) and with no word that places it, a name
is the team:

* a town of which the knowledge base knows exactly one club (``SV
  Spakenburg``, ``KVC Westerlo``, ``ADO Den Haag``) is that club;
* a country is its national team, among the words of a match itself (a
  match, a goal, a score: ``won`` alone is no match, countries win wars too).

A town read so once is the club wherever the text writes it without a place
cue, while ``de burgemeester van Westerlo`` stays the town. A country is its
team only among a match's words: news names a country and its team side by
side (``de wedstrijd tegen Nederland``, ``familie in Nederland``). Both need a
text with two or more of a match's words, scores or clubs: one alone is a
metaphor (``hoe de VS in de wedstrijd staat``).

The component runs after ``nlnews_places`` and turns its city and country
mentions into team mentions, so the merge sees one candidate per span.
"""

from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.stages.entities.gazetteer import Gazetteer, Glossary, Organisation, load_gazetteer, load_glossary
from pipeline.stages.entities.places import national_team
from pipeline.stages.entities.tokens import BatchComponent, Mention, Tokens, mentions

#: The words of a club's name besides its town: ``SV`` Spakenburg, ``sc`` Heerenveen, ``Sporting`` Charleroi,
#: Sint-Truiden ``VV``. Any other word (``Heracles`` Almelo, Manchester ``City``) makes a name of its own.
_CLUB_WORDS = frozenset({"Sporting", "Racing", "Royal", "Union"})
#: No lower-case Dutch word lacks all of these, as a club's ``sc`` and ``vv`` do.
_VOWELS = frozenset("aeiouy")
#: Words of a match itself: what is played, by whom, and how it ends. Not a tournament's (``WK``, ``finale``) or a
#: result's alone (``zege``, ``nederlaag``): a country hosts a championship, and wins or loses a war.
_MATCH_WORDS = frozenset(
    {"wedstrijd", "duel", "derby", "topper", "interland", "oefeninterland", "kwalificatieduel", "groepsduel"}
    | {"thuiswedstrijd", "uitwedstrijd", "knockoutfase", "aftrap", "gelijkspel", "doelpunt", "goal", "kleedkamer"}
    | {"bondscoach", "elftal"}
)
#: Words of a club's season besides its matches: who plays, who cheers, what is won.
_CLUB_SEASON_WORDS = _MATCH_WORDS | (
    {"competitie", "seizoen", "eredivisie", "divisie", "beker", "bekerduel", "promotie", "degradatie", "play-offs"}
    | {"trainer", "coach", "doelman", "keeper", "spits", "aanvaller", "verdediger", "middenvelder", "aanvoerder"}
    | {"speler", "spelers", "selectie", "ploeg", "supporters", "fans", "aanhang", "spreekkoren", "kampioen"}
    | {"won", "wint", "verloor", "verliest", "speelde", "speelt", "scoorde", "scoort", "versloeg", "verslaat"}
    | {"gelijk", "punten", "punt", "klassement", "zege", "nederlaag", "overwinning", "finale", "kwartfinale"}
)
#: How far back a country's code in a sports result looks for its bracket: ``(Dui / Den)``.
_CODE_REACH = 12
#: How many words either side of a name the match's words are looked for, on the same line.
_WINDOW = 10
#: A score: "2-1", "0 - 0", also before a full stop; not a part of a decimal number or a date. The pattern opens
#: with a digit (the look-behind after it), so that a search skips to the digits instead of trying every character.
_SCORE = re.compile(r"\d(?<![\d.,]\d)\d? ?[-–] ?\d{1,2}(?!\d|[.,]\d)")


@Language.factory("nlnews_teams", default_config={"resources_dir": None, "world_min_population": 15000})
def make_teams(nlp: Language, name: str, resources_dir: str | None, world_min_population: int) -> TeamFinder:
    directory = Path(resources_dir) if resources_dir else None
    return TeamFinder(load_glossary(directory), load_gazetteer(world_min_population, directory))


class TeamFinder(BatchComponent):
    """Reads a town as its club and a country as its national team in a match's words; see the module's docstring."""

    def __init__(self, glossary: Glossary, gazetteer: Gazetteer) -> None:
        self.clubs = clubs_by_town(glossary, gazetteer)
        self.cues = gazetteer.cues

    def __call__(self, doc: Doc) -> Doc:
        found = mentions(doc)
        if not any(mention.label in ("CITY", "COUNTRY") for mention in found):
            return doc
        tokens = Tokens.of(doc)
        text = tokens.text
        candidates = {
            index: start
            for index, mention in enumerate(found)
            if self._may_be_a_team(text, mention)
            and (start := tokens.index_at.get(mention.start)) is not None
            and not self._placed(tokens, start)
        }
        if not candidates:
            return doc
        clubs = {text[m.start : m.end] for m in found if m.label == "ORG" and m.extra.get("type") == "club"}
        sports = self._sports_labels(tokens, len(clubs))
        # A town read as its club once is the club wherever no cue places it; a country is its team only among a
        # match's words, as news names a country and its team side by side (``de wedstrijd tegen Nederland``,
        # ``familie in Nederland``, ``landen zoals Nederland``).
        teams = {
            index
            for index, start in candidates.items()
            if found[index].label in sports and self._in_a_match(tokens, found, found[index], start)
        }
        clubs |= {text[found[index].start : found[index].end] for index in teams if found[index].label == "CITY"}
        for index in candidates:
            mention = found[index]
            if index in teams or (mention.label == "CITY" and text[mention.start : mention.end] in clubs):
                found[index] = self._as_team(text, mention)
        return doc

    def _sports_labels(self, tokens: Tokens, clubs: int) -> set[str]:
        """The labels whose names may be teams here: the text holds two or more of a match's words, scores and clubs.

        One alone is a metaphor (``hoe de VS in de wedstrijd staat``), and scores without a word of sport may be
        dates (``12-3``). A country needs a match's own words; a town also a club season's (``supporters``,
        ``trainer``) or other clubs.
        """
        season = _CLUB_SEASON_WORDS.intersection(tokens.lower)
        if not season and not clubs:
            return set()
        match, town = len(_MATCH_WORDS.intersection(season)), len(season) + clubs
        scores = len(_SCORE.findall(tokens.text)) if match < 2 or town < 2 else 0
        labels = {"COUNTRY"} if match and match + scores >= 2 else set()
        return labels | {"CITY"} if town + scores >= 2 else labels

    def _may_be_a_team(self, text: str, mention: Mention) -> bool:
        """A town with a club, or a country outside brackets: a result's code (``Simoni (Ita)``) is a nationality."""
        if mention.label == "COUNTRY":
            before = text[max(mention.start - _CODE_REACH, 0) : mention.start]
            return before.rfind("(") <= before.rfind(")")
        return mention.label == "CITY" and text[mention.start : mention.end] in self.clubs

    def _as_team(self, text: str, mention: Mention) -> Mention:
        if mention.label == "COUNTRY":
            return national_team(mention, text)
        club = self.clubs[text[mention.start : mention.end]]
        return Mention(mention.start, mention.end, "ORG", club.canonical, club.english, "glossary", club.facts())

    def _placed(self, tokens: Tokens, start: int) -> bool:
        """A place cue before the name: ``in Spakenburg``, ``de burgemeester van Westerlo``."""
        previous = tokens.word(start - 1, start)
        if previous is None:
            return False
        if previous.lower() in self.cues.before:
            return True
        return previous == "van" and (tokens.word(start - 2, start) or "").lower() in self.cues.before_van

    def _in_a_match(self, tokens: Tokens, found: list[Mention], name: Mention, start: int) -> bool:
        """A match's word, a score or (for a town) another club within a few words of the name, on its line."""
        first = start
        while first > 0 and start - first < _WINDOW and tokens.word(first - 1, start) is not None:
            first -= 1
        last = start
        while last + 1 < len(tokens) and last - start < _WINDOW and tokens.word(last + 1, start) is not None:
            last += 1
        words = _MATCH_WORDS if name.label == "COUNTRY" else _CLUB_SEASON_WORDS
        if any(word.lower() in words for word in tokens.words[first : last + 1]):
            return True
        begin, end = tokens.starts[first], tokens.ends[last]
        if name.label == "CITY" and any(
            m.extra.get("type") == "club" and begin <= m.start < end and m is not name for m in found
        ):
            return True  # a club among clubs; a country among clubs heads a list of them (``Spanje: Banesto, Once``)
        # A score alone may be a date (12-3): it counts in a text with a match's words elsewhere
        return _SCORE.search(tokens.text, begin, end) is not None and not words.isdisjoint(map(str.lower, tokens.words))


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
