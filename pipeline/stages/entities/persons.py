"""The ``nlnews_persons`` component: people's names from rules, with no model.

A name is a person's by its shape or its cue, as a reader knows it:

* a known first name before capitalised words, with Dutch *tussenvoegsels*
  (``Hugo de Jonge``, ``Jan van der Laan``, ``Dilan Yeşilgöz-Zegerius``);
* initials before a surname (``J.P. Balkenende``) or after a first name (``Michael P.``);
* a title or role right before (``premier Jetten``, ``burgemeester Halsema``,
  a compound ending in one: ``milieuminister Watt``) or a verb of speech
  (``zegt De Vries``, ``aldus Jansen``);
* a name ends before ``van`` once it has a surname (``Rob Jansen van Q-Dance``),
  and a town after a first name and ``van`` is the surname (``Henk van Essen``);
* a bracket right after that only a person's name takes: a sports result's
  country code (``Simoni (Ita)``, ``Hingis (Zwi / 1)``), a party (``Aelvoet
  (Agalev)``) or an age (``Jones (30)``, even a single name inside a sentence:
  ``met Brunhilde (10)``);
* a list with a person in it: the names listed with one are people too
  (``met Jan Peeters, Anjelica Huston en Okafor``), where no place or body of
  the resources is one of them;
* later and earlier mentions of a name found in full: ``De Jonge`` and
  ``Rutte`` alone are ``Hugo de Jonge`` and ``Mark Rutte`` when the text names
  them so, and a first name alone (``Kjeld``) the one person who has it.

Every person's ``canonical`` and ``english`` are the full name as written, so
a name survives translation (``De Jonge`` never becomes *The Young*). Names of
the knowledge base, countries and months are never read as persons.
The cue lists are ``persons.yaml`` (the package's own unless ``resources_dir`` has one).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import compress
from operator import attrgetter, or_
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from pipeline import lexicon
from pipeline.stages.entities.gazetteer import (
    Gazetteer,
    Glossary,
    _resource,
    load_gazetteer,
    load_glossary,
    portfolio_of,
    portfolio_parts,
)
from pipeline.stages.entities.tokens import BatchComponent, Mention, Tokens, Verdicts, mentions

#: Lower-case words inside a surname: "de Jonge", "van der Laan", "ten Hag", "van 't Hek".
PARTICLES = frozenset({"van", "de", "der", "den", "ten", "ter", "te", "'t", "la", "le", "da", "di", "du", "von", "el", "al"})  # fmt: skip
#: The capitalised particles a surname opens with when named alone: "De Jonge", "Van der Laan".
_OPENING_PARTICLES = frozenset({"De", "Van", "Ten", "Ter", "Den", "Le", "La", "Di", "Da", "Du", "El", "Al", "Von"})
#: The capitals a surname opens with before an apostrophe: ``D'Haese``, ``O'Neill``.
_APOSTROPHE_OPENINGS = frozenset({"D", "O"})
_APOSTROPHES = frozenset({"'", "’"})
_MONTHS_AND_DAYS = frozenset(
    [
        "Januari",
        "Februari",
        "Maart",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Augustus",
        "September",
        "Oktober",
        "November",
        "December",
        "Maandag",
        "Dinsdag",
        "Woensdag",
        "Donderdag",
        "Vrijdag",
        "Zaterdag",
        "Zondag",
    ]
)
_STOP_WORDS = frozenset(STOP_WORDS)
#: Stop words that open a name of their own after a particle: "Jansen van De Telegraaf".
_ARTICLES = frozenset({"de", "het", "een", "der", "den", "des"})
#: The most capitalised words a name has, particles aside.
_MAX_PARTS = 4
#: The most digits an age has.
_AGE_DIGITS = 3
#: A reporter signs with two to four initials: "(KS)", "KDM".
_MAX_INITIALS = 4
#: The countries whose cities' adjectives news writes in ``-s`` as well as ``-se``: ``Brussels``, ``Haags``.
_ADJECTIVE_S_COUNTRIES = frozenset({"NL", "BE"})
#: The shortest title that ends a compound title (``kinderrechter``): shorter ones end other words (``arts``,
#: ``ochtendspits``).
_MIN_TITLE_ENDING = 6
#: The apostrophes inside a name: ``O'Neill``, ``N’Dour``.
_APOSTROPHES = frozenset({"'", "’"})
#: The English words that end the name of a body, a prize or a site, never part of a person's: "Luis Barragán
#: Foundation", "Perry Ellis Award", "Rose Garden".
_ENGLISH_BODY_WORDS = frozenset(
    {"Foundation", "Award", "Awards", "Orchestra", "Publishers", "Records", "Corporation", "Company", "Airlines"}
    | {"Aviation", "Institute", "University", "College", "Avenue", "Street", "Theatre", "Theater", "Gallery"}
    | {"Studios", "Pictures", "Productions", "Holdings", "Trust", "Fund", "Prize", "Trophy", "League", "Association"}
    | {"Society", "Council", "Committee", "Party", "Airport", "Tower", "Center", "Centre", "Stadium", "Arena"}
    | {"Valley", "Garden", "Gardens", "Square", "Group", "Partners", "Ventures", "Media", "Network", "Festival"}
)
#: The words between the names of a list: "Jan Peeters, Anjelica Huston en Okafor".
_LIST_SEPARATORS = frozenset({",", "en"})
#: A bracket's first part, up to a slash or its end: a result code (``(Ita)``, ``(W-Rus / 4)``).
_BRACKET_OPENING = re.compile(r"\s*([^\s()/]+)\s*[/)]")
#: The oldest age in brackets after a name: ``Jones (30)``; a larger number counts something else.
_OLDEST_AGE = 110
#: What follows a party in brackets after a name: ``(Agalev)``, ``(PVV, sd)``, ``(VLD / Gent)``.
_PARTY_BRACKET_ENDS = frozenset({")", ",", "/"})
#: The most tokens of a name before a bracket: ``Alvaro Gonzales de Galdeano``, ``J . P . Balkenende``.
_MAX_BRACKETED_TOKENS = 8
#: A mention's start, to sort mentions in text order.
_START = attrgetter("start")
#: The smallest city whose adjective (``Brussels``, ``Gentse``) news uses often enough to rule it out of names.
_ADJECTIVE_CITY_POPULATION = 100_000


class _PersonsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    first_names: list[str]
    titles: list[str]
    speech_verbs: list[str]


def person_cues(directory: Path | None) -> _PersonsFile:
    """The first names, titles and speech verbs of ``persons.yaml`` (the package's unless ``directory`` has one)."""
    own = directory is not None and (directory / "persons.yaml").is_file()
    return _cues(directory if own else None)


@lru_cache(maxsize=2)
def _cues(directory: Path | None) -> _PersonsFile:
    return _resource("persons.yaml", _PersonsFile, directory)


@Language.factory("nlnews_persons", default_config={"resources_dir": None, "world_min_population": 15000})
def make_persons(nlp: Language, name: str, resources_dir: str | None, world_min_population: int) -> PersonFinder:
    # The places module reads this one's first names, so its result codes are imported here, once it is loaded.
    from pipeline.stages.entities.places import _RESULT_CODES

    directory = Path(resources_dir) if resources_dir else None
    glossary, gazetteer = load_glossary(directory), load_gazetteer(world_min_population, directory)
    return PersonFinder(person_cues(directory), glossary, gazetteer, frozenset(_RESULT_CODES))


class PersonFinder(BatchComponent):
    """Adds PERSON candidates to ``doc._.mentions``."""

    def __init__(
        self, cues: _PersonsFile, glossary: Glossary, gazetteer: Gazetteer, result_codes: frozenset[str]
    ) -> None:
        self.first_names = frozenset(cues.first_names)
        #: The country codes of sports results (``Ita``, ``VSt``, ``W-Rus``): a name before one is a competitor's.
        self.result_codes = result_codes
        self.titles = frozenset(title.lower() for title in cues.titles)
        #: The titles long enough to end a compound title: ``justitieminister``, ``juryvoorzitter``, ``kinderrechter``.
        self._title_endings = tuple(title for title in self.titles if len(title) >= _MIN_TITLE_ENDING)
        #: Whether a word is a title: the same words come back in every text, so each is judged once.
        self._is_title = Verdicts(self._judge_title).__getitem__
        self.speech_verbs = frozenset(cues.speech_verbs)
        #: What stands right after a name that speaks or has an age: a verb of speech, a bracket.
        self._speech_or_bracket = self.speech_verbs | {"("}
        self.glossary = glossary
        self.gazetteer = gazetteer
        #: Whether a word can be part of a name, wherever it stands (see ``_judge_name_word``): the same few
        #: thousand capitalised words come back in every text, so each is judged once and then looked up in C.
        self._is_name_word = Verdicts(self._judge_name_word).__getitem__
        #: Whether a word after a capitalised one can go on a name (``_judge_second_part``), judged once a word.
        self._goes_on_a_name = Verdicts(self._judge_second_part).__getitem__
        #: The keys of the bodies, countries and areas (see ``_is_known_name``): one set lookup, not three.
        self._known_names = frozenset(
            [
                *glossary.organisations.keys(),
                *gazetteer.countries.keys(),
                *gazetteer.locations.keys(),
                *portfolios(glossary),
            ]
        )

    def __call__(self, doc: Doc) -> Doc:
        tokens = Tokens.of(doc)
        full = self._full_names(tokens)  # in text order, as each find below is: most texts add nothing to sort
        bracketed = self._bracketed_names(tokens, full)
        if bracketed:
            full = sorted(full + bracketed, key=_START)
        listed = self._listed_names(tokens, full)
        if listed:
            full = sorted(full + listed, key=_START)
        by_surname, first_names = self._names_of(tokens, full)
        if by_surname:  # a cued surname may be someone's named in full
            full = [
                _as_person(m, by_surname.get(_key(tokens.text[m.start : m.end].split()), m.canonical)) for m in full
            ]
        mentions(doc).extend(full + self._short_mentions(tokens, full, by_surname, first_names) + _bylines(tokens))
        return doc

    def _names_of(self, tokens: Tokens, full: list[Mention]) -> tuple[dict[tuple[str, ...], str], dict[str, set[str]]]:
        """The surnames and first names of the people named in full, each with the full name."""
        by_surname: dict[tuple[str, ...], str] = {}
        first_names: dict[str, set[str]] = {}
        for person in full:
            parts = tokens.text[person.start : person.end].replace("-", " - ").split()
            surname = _surname(parts)
            if surname and len(surname) < len(parts):
                by_surname.setdefault(_key(surname), person.canonical)
                if parts[0] in self.first_names:
                    first_names.setdefault(parts[0], set()).add(person.canonical)
        return by_surname, first_names

    def _full_names(self, tokens: Tokens) -> list[Mention]:
        """Names found by their shape or a cue before them."""
        found = []
        resume = 0
        capitalised = tokens.capitalised
        # The capitalised words that can be part of a name, tested in C: one verdict lookup each.
        for index in list(compress(capitalised, map(self._is_name_word, map(tokens.words.__getitem__, capitalised)))):
            if index < resume:
                continue
            end = self._name_at(tokens, index)
            if end is None or end <= index:  # an empty name would never move on
                continue
            resume = end
            if tokens.word(end, end - 1) in _ENGLISH_BODY_WORDS:
                continue  # "the Perry Ellis Award": the name names the prize
            name = tokens.surface(index, end)
            found.append(Mention(tokens.starts[index], tokens.ends[end - 1], "PERSON", name, name, "person"))
        return found

    def _name_at(self, tokens: Tokens, index: int) -> int | None:
        """The end of the person's name that starts at ``index`` (a word that can be part of a name), or ``None``."""
        words = tokens.words
        word = words[index]
        if words[index - 1] == "-" and tokens.is_compound_tail(index):
            return None
        previous = words[index - 1] if index and tokens.line_stop[index - 1] > index else None  # on the word's line
        if previous == ":":  # a role heading its name: "Scheidsrechter: Anders Frisk", "Sportdirecteur: Jan Peeters"
            previous = tokens.word(index - 2, index)
            cued = previous is not None and self._is_title(previous)
        else:
            cued = previous is not None and (
                (self._is_title(previous) and not _is_subsidiary(tokens, index - 1, self.titles))
                or previous in self.speech_verbs
            )
        if word in self.first_names or (len(word) == 1 and _is_initial(tokens, index)):
            end = self._name_end(tokens, index)
            if word not in self.first_names and all(len(part) == 1 for part in words[index:end]):
                return None  # "op X.", "de Series X en S.": initials with no name to go with them
            if end == index + 1 and word in self.first_names and self._is_surname_like_word(tokens, end):
                end += 1  # "James Bond": an organisation word after a first name is a surname
            if end > index + 1 or (end == index + 1 and (cued or self._speaks_or_has_age(tokens, end))):
                known = self._is_known_name(tokens, index, end) or self._is_placed_town(tokens, index, end)
                return None if known else end
            return None
        if cued and not self._is_known_name(tokens, index, index + 1):
            end = self._name_end(tokens, index, after_title=previous not in self.speech_verbs)
            if end == index + 1 and (tokens.word(end, index) or "").lower() in self.titles:
                return None  # "zegt Vlaams minister Somers": an adjective before a title, the name comes after it
            return None if end <= index or self._is_known_name(tokens, index, end) else end
        if index in tokens.sentence_initial:
            return None  # a sentence's first word opens a name by a first name, an initial or a cue only
        following = words[index + 1] if tokens.line_stop[index] > index + 1 else None  # on the word's line
        if (
            following == "("
            and _has_age(tokens, index + 1)
            and not self._is_known_name(tokens, index, index + 1)
            and word not in self.gazetteer.places
        ):
            return index + 1  # "met Brunhilde (10)": a given name the list lacks; a headline's "Vrouw (38)" is none
        if (
            following is not None
            and self._goes_on_a_name(following)
            and self._may_be_followed(tokens, index + 2)
            and not self._is_known_name(tokens, index, index + 1)
        ):
            end = self._name_end(tokens, index)
            if (
                end - index >= 2
                and self._speaks_or_has_age(tokens, end)
                and not self._is_known_name(tokens, index, end)
                and not self._is_placed_town(tokens, index, end)
            ):
                return end  # "Rinky Hijikata zei", "Sterre Gielen (23)"
        return None

    def _judge_title(self, word: str) -> bool:
        """A title of ``persons.yaml`` (in any case) or a compound ending in a long one: ``Justitieminister``,
        ``legerwoordvoerder``; ``ochtendspits`` ends in a title too short to end a compound (``spits``)."""
        lower = word.lower()
        if lower in self.titles:
            return True
        return len(lower) > _MIN_TITLE_ENDING + 2 and lower.isalpha() and lower.endswith(self._title_endings)

    def _bracketed_names(self, tokens: Tokens, full: list[Mention]) -> list[Mention]:
        """Names the rules missed before a bracket that only a person's takes (see ``_is_person_bracket``).

        The name is the longest one that ends at the bracket (``José Maria Jimenez (Spa)``); a body, a
        country or an area of the resources is none (``Rabobank (Ned)`` is the team).
        """
        found: list[Mention] = []
        text = tokens.text
        offset = text.find("(")
        if offset < 0:
            return found
        taken = _covered(tokens, full)
        while offset >= 0:
            bracket = tokens.index_at.get(offset)
            offset = text.find("(", offset + 1)
            if bracket is None or bracket - 1 in taken or not self._is_person_bracket(tokens, bracket):
                continue
            start = self._name_start_before(tokens, bracket)
            if start is not None and self._is_ranked_place(tokens, start, bracket):
                continue
            if start is not None and taken.isdisjoint(range(start, bracket)):
                name = tokens.surface(start, bracket)
                found.append(Mention(tokens.starts[start], tokens.ends[bracket - 1], "PERSON", name, name, "person"))
        return found

    def _is_ranked_place(self, tokens: Tokens, start: int, bracket: int) -> bool:
        """``Westerlo (3)``: a town before a number in brackets is a club in a ranking, no one of that age."""
        number = tokens.word(bracket + 1, bracket)
        return (
            number is not None and number.isdigit() and " ".join(tokens.words[start:bracket]) in self.gazetteer.places
        )

    def _is_person_bracket(self, tokens: Tokens, bracket: int) -> bool:
        """A bracket opening with a result code (``(Ita)``, ``(Zwi / 1)``), a party (``(VLD)``) or an age (``(30)``)."""
        code = _BRACKET_OPENING.match(tokens.text, tokens.ends[bracket])
        if code is not None and code.group(1) in self.result_codes:
            return True
        inner, closing = tokens.word(bracket + 1, bracket), tokens.word(bracket + 2, bracket)
        if inner is not None and inner.isdigit() and closing == ")":
            # "Onderwijsblues (2)" numbers a heading's part, "Vrouw (38) opgepakt" ages a noun: an age goes on, after a
            # name that is no word of the language where it opens a sentence
            before = bracket - 1
            is_noun = before in tokens.sentence_initial and lexicon.is_word(tokens.words[before].lower())
            return 0 < int(inner) <= _OLDEST_AGE and tokens.word(bracket + 3, bracket) is not None and not is_noun
        stop = tokens.line_stop[bracket]
        party = self.glossary.organisations.match(tokens.words, bracket + 1, stop) if bracket + 1 < stop else None
        return party is not None and party[1].type == "party" and tokens.word(party[0], bracket) in _PARTY_BRACKET_ENDS

    def _listed_names(self, tokens: Tokens, full: list[Mention]) -> list[Mention]:
        """The names in a list with two people in it: ``Anjelica Huston`` in ``Jan Peeters, Anjelica Huston en Els
        Maes``.

        Each is a name of the rules' shape (``_name_end``) between list separators on the people's line; the
        list ends at a word of another shape, and at a place or body of the resources (``Jan Peeters, Gent en
        Brugge``). One person is too few: bodies named after one (``Linda McCartney``) are listed with others.
        """
        if len(full) < 2:
            return []  # no list with two people in it
        words = tokens.words
        people = {tokens.index_at[person.start]: bisect_left(tokens.starts, person.end) for person in full}
        people_by_end = {end: start for start, end in people.items()}
        taken = {index for start, end in people.items() for index in range(start, end)}
        listed: dict[int, int] = {}
        seen: set[int] = set()
        for first in sorted(people):
            if first in seen:
                continue
            items, end = [(first, people[first])], people[first]
            while tokens.word(end, end - 1) in _LIST_SEPARATORS and tokens.word(end + 1, end) is not None:
                start = end + 1
                stop = people.get(start) or (self._name_end(tokens, start) if self._is_name_part(tokens, start) else 0)
                if start not in people and (stop <= start or self._is_listed_other(tokens, start, stop, taken)):
                    break
                seen.add(start)
                items.append((start, stop))
                end = stop
            while first > 1 and words[first - 1] in _LIST_SEPARATORS and tokens.word(first - 1, first) is not None:
                stop = first - 1
                start = people_by_end.get(stop) or self._name_start_before(tokens, stop)
                if start is None or start not in people and self._is_listed_other(tokens, start, stop, taken):
                    break
                items.append((start, stop))
                first = start
            if sum(start in people for start, _ in items) >= 2:
                listed.update((start, stop) for start, stop in items if start not in people)
        return [self._person(tokens, start, stop) for start, stop in sorted(listed.items())]

    def _is_listed_other(self, tokens: Tokens, start: int, end: int, people: set[int]) -> bool:
        """Not a person's name in a list: part of a person's found (``people``), no name of the rules' shape from
        ``start`` to ``end``, a body, country, area or place of the resources (``Gent`` in ``Jan Peeters, Gent en
        Brugge``), or a word alone that is one of the language or opens the sentence (``voor Leefmilieu, Els Maes``,
        ``Integendeel, Jan Peeters ...``), unless a first name.
        """
        if not people.isdisjoint(range(start, end)) or self._name_end(tokens, start) != end:
            return True
        word = tokens.words[start]
        if end - start == 1 and (lexicon.is_word(word.lower()) or start in tokens.sentence_initial):
            return word not in self.first_names  # an adverb opens a sentence before its comma: "Integendeel, ..."
        return self._is_known_name(tokens, start, end) or " ".join(tokens.words[start:end]) in self.gazetteer.places

    @staticmethod
    def _person(tokens: Tokens, start: int, end: int) -> Mention:
        name = tokens.surface(start, end)
        return Mention(tokens.starts[start], tokens.ends[end - 1], "PERSON", name, name, "person")

    def _name_start_before(self, tokens: Tokens, bracket: int) -> int | None:
        """Where the name that ends right before ``bracket`` starts, or ``None`` where no name ends there.

        The name runs back over name words, particles, initials and joining hyphens (``Max van Heeswijk``,
        ``L. Jalabert``, ``Monami-Van Roost``), and not over a spaced dash (``Appelmans - Smashnova (Isr)``).
        """
        words, is_name_word = tokens.words, self._is_name_word
        if bracket == 0 or not is_name_word(words[bracket - 1]) or tokens.word(bracket - 1, bracket) is None:
            return None
        start = position = bracket - 1
        while position > 0 and bracket - position < _MAX_BRACKETED_TOKENS:
            word = tokens.word(position - 1, bracket - 1)
            if word == "." and _is_initial(tokens, position - 2):
                position -= 2
            elif word is not None and (
                is_name_word(word) or word in PARTICLES or (word == "-" and tokens.is_compound_tail(position))
            ):
                position -= 1
            else:
                break
            if is_name_word(words[position]) or _is_initial(tokens, position):
                start = position
        return None if self._is_known_name(tokens, start, bracket) else start

    def _is_placed_town(self, tokens: Tokens, start: int, end: int) -> bool:
        """``een woordvoerder in Den Haag zegt``, ``de burgemeester van Brecht reageert``: a placed town speaks for no one.

        A town is placed by a preposition before it, or by ``van`` after a
        place's cue word (``burgemeester``, ``inwoners``).
        """
        previous = tokens.word(start - 1, start)
        placed = previous in _PLACING_PREPOSITIONS or (
            previous == "van" and (tokens.word(start - 2, start) or "").lower() in self.gazetteer.cues.before_van
        )
        return placed and " ".join(tokens.words[start:end]) in self.gazetteer.places

    def _judge_second_part(self, following: str) -> bool:
        """Whether a word after a capitalised one can go on a name (see ``_name_end``): most capitalised words stand
        alone (``_goes_on_a_name`` keeps each verdict).

        Cheaper than ``_name_end``, which a name of one word never needs where
        nothing but a cue before it makes it a person's.
        """
        return (
            following == "-"
            or following in PARTICLES
            or (len(following) == 1 and following.isupper())
            or self._is_name_word(following)
        )

    def _may_be_followed(self, tokens: Tokens, end: int) -> bool:
        """Whether a verb of speech or a bracket stands on the line from ``end`` on.

        Else no name that ends there or later speaks or has an age (``_speaks_or_has_age``): one set test of the
        line's words tells it, where ``_name_end`` would read the name first.
        """
        return not self._speech_or_bracket.isdisjoint(tokens.words[end : tokens.line_stop[end - 1]])

    def _is_surname_like_word(self, tokens: Tokens, index: int) -> bool:
        """``Bond``, ``Raad``: an organisation word that does not open a name, ending a name of its own."""
        spec = self.glossary.organisation_words.get(tokens.word(index, index - 1) or "")
        following = tokens.word(index + 1, index) or ""
        return spec is not None and not spec.head and not following[:1].isupper()

    def _speaks_or_has_age(self, tokens: Tokens, end: int) -> bool:
        """A verb of speech or an age in brackets right after the name."""
        return tokens.word(end, end - 1) in self.speech_verbs or _has_age(tokens, end)

    def _name_end(self, tokens: Tokens, index: int, after_title: bool = False) -> int:
        """Where the name from ``index`` ends: initials, first names, particles, capitalised parts, hyphens.

        After a title a surname alone is the name: ``minister Moyo van Milieu``.
        """
        words, is_name_word = tokens.words, self._is_name_word
        stop = tokens.line_stop[index]
        position, parts, last = index, 0, index
        after_particle = False
        while position < stop and parts < _MAX_PARTS:
            if len(words[position]) == 1:  # an initial, or the D of D'Haese: most parts are longer
                if _is_initial(tokens, position):
                    position += 2
                    last = position
                    parts += 1
                    continue
                if parts and _is_apostrophe_name(tokens, position):
                    position += 3
                    last = position
                    parts += 1
                    continue
            if is_name_word(words[position]) or (after_particle and self._is_surname_after_particle(tokens, position)):
                after_particle = False
                if parts and self._starts_a_site(tokens, position, stop):
                    break  # "koningin Elizabeth Buckingham Palace ...": the name ends where the palace starts
                position += 1
                while (
                    position < stop  # a joining hyphen is on the line of the word it joins
                    and words[position] == "-"
                    and tokens.is_compound_head(position)
                    and (self._is_name_part(tokens, position + 1) or (parts and _is_syllable(tokens, position + 1)))
                    and not self._is_bare_country_adjective(words[position + 1])
                ):
                    position += 2  # Yeşilgöz-Zegerius, Clayton-Thomas, Lee Jae-myung
                while position + 1 < stop and words[position] in _APOSTROPHES and _is_elision(tokens, position):
                    position += 2  # O'Neill, D'Hondt, Preud'homme
                if words[position - 1] not in _OPENING_PARTICLES:
                    last = position
                parts += 1
                continue
            after = position
            while after < stop and words[after] in PARTICLES and after - position < 3:
                after += 1
            if after == position or after >= stop or parts == 0 or not self._is_surname_after_particle(tokens, after):
                break
            given_only = self._given_names_only(tokens, index, position)
            if words[position] == "van" and (parts >= 2 or after_title) and not given_only:
                break  # "Rob Jansen van Q-Dance", "minister Anna Smit van Milieu": a full name ends before "van"
            if self._starts_other_name(
                tokens, after, after == position + 1 and words[position] == "van" and not given_only
            ):
                break  # "Dick Schoof de Tweede Kamer", "burgemeester Halsema van Amsterdam"
            position, after_particle = after, True
        return last

    def _given_names_only(self, tokens: Tokens, start: int, end: int) -> bool:
        """Only first names and initials so far: ``Henk`` before ``van Essen`` has no surname yet, a town may be it."""
        return all(word in self.first_names or len(word) == 1 for word in tokens.words[start:end])

    def _is_name_part(self, tokens: Tokens, index: int) -> bool:
        """A capitalised word that can be part of a name: not shouted, not a stop word, month or day."""
        return 0 <= index < len(tokens.words) and self._is_name_word(tokens.words[index])

    def _is_surname_after_particle(self, tokens: Tokens, index: int) -> bool:
        """A name part, or after ``ter``, ``van``, ``de`` a capitalised stop word too: ``Marc ter Haar``, ``Van Ons``."""
        if not 0 <= index < len(tokens.words):
            return False
        word = tokens.words[index]
        return self._is_name_word(word) or (
            word[:1].isupper()
            and word.isalpha()
            and not word.isupper()
            and word.lower() in _STOP_WORDS
            and word.lower() not in _ARTICLES
        )

    def _judge_name_word(self, word: str) -> bool:
        """``_is_name_part`` of a word, wherever it stands (``_is_name_word`` keeps each verdict)."""
        if not word[:1].isupper() or not word.isalpha() or (len(word) > 1 and word.isupper()):
            return False
        if word in _MONTHS_AND_DAYS or self.glossary.is_organisation_word(word) or word.lower() in self.titles:
            return False
        if word in _ENGLISH_BODY_WORDS:
            return False
        if word not in self.first_names and self._is_place_adjective(word):
            return False  # "Georges" is a first name, not George's adjective
        return word in _OPENING_PARTICLES or word in self.first_names or word.lower() not in _STOP_WORDS  # Ben, Elke

    def _is_place_adjective(self, word: str) -> bool:
        """``Brussels``, ``Limburgse``, ``Duitse``: a city's, province's or country's adjective, never part of a name.

        An adjective in ``-s`` is a Dutch or Belgian city's (``Gents``, ``Haarlems``): ``Hingis`` is no
        adjective of a city abroad that the ``-s`` would end.
        """
        if word in self.gazetteer.country_adjectives:
            return True
        stem = word[:-2] if word.endswith("se") else word[:-1] if word.endswith("s") else ""
        if len(stem) < 3:
            return False
        if self.gazetteer.provinces.match([stem], 0, 1) is not None:
            return True
        place = self.gazetteer.places.match([stem], 0, 1)  # a city's, not a village's: "Mols" is a surname
        if place is None or place[1].population < _ADJECTIVE_CITY_POPULATION:
            return False
        return word.endswith("se") or place[1].country in _ADJECTIVE_S_COUNTRIES

    def _is_bare_country_adjective(self, word: str) -> bool:
        """``Italiaans`` of ``Frans-Italiaans``, ``Portugees``: a country's adjective without its ``-e``.

        Only as a compound's tail: alone it is a surname too (``Friedrich Engels``).
        """
        adjectives = self.gazetteer.country_adjectives
        return word + "e" in adjectives or (word.endswith("ees") and word[:-2] + "se" in adjectives)

    def _starts_a_site(self, tokens: Tokens, index: int, stop: int) -> bool:
        """A location of several words starts at ``index``: ``Buckingham Palace``, ``Paleis Noordeinde``."""
        locations = self.gazetteer.locations
        if tokens.words[index] not in locations.first_words:
            return False  # most words open no location: one set lookup
        found = locations.match(tokens.words, index, stop)
        return found is not None and found[0] - index >= 2

    def _starts_other_name(self, tokens: Tokens, index: int, after_van: bool) -> bool:
        """A body, country or area starts at ``index``, or (after ``van``) a city: not the rest of a surname."""
        words, stop = tokens.words, tokens.line_stop[index]
        indexes = [self.glossary.organisations, self.gazetteer.countries, self.gazetteer.locations]
        if after_van:
            indexes.append(self.gazetteer.places)
        if any(index_.match(words, index, stop) is not None for index_ in indexes):
            return True
        ambiguous = self.glossary.ambiguous_organisations
        return any(" ".join(words[index:end]) in ambiguous for end in range(index + 1, min(index + 4, stop) + 1))

    def _is_known_name(self, tokens: Tokens, start: int, end: int) -> bool:
        """A body, country or province of the resources, not a person: ``Buitenlandse Zaken``, ``België``."""
        words, known = tokens.words, self._known_names
        if end - start == 1:  # most names asked about: one word, its own key
            return words[start] in self.glossary.ambiguous_organisations or words[start] in known
        key = " ".join(words[start:end])
        if words[start] == "De":
            key = " ".join(words[start + 1 : end])  # "De Rekenkamer zegt": the article before a body
        return key in self.glossary.ambiguous_organisations or key in known or words[start] in known

    def _short_mentions(
        self,
        tokens: Tokens,
        full: list[Mention],
        by_surname: dict[tuple[str, ...], str],
        first_names: dict[str, set[str]],
    ) -> list[Mention]:
        """Surnames alone (``De Jonge``, ``Rutte``) and unique first names of the people named in full.

        Not after a place's cue word: ``in Tilburg`` is the city even where a ``Jan Tilburg`` speaks.
        """
        if not by_surname:
            return []
        covered = _covered(tokens, full)
        longest = max(map(len, by_surname))
        surname_starts = {key[0] for key in by_surname}
        short = []
        words, lower = tokens.words, tokens.lower
        # Only a word that opens a known surname or is a known first name can be one: the rest need no look, and
        # which those are is tested in C.
        capitalised = tokens.capitalised
        opens_surname = map(surname_starts.__contains__, map(lower.__getitem__, capitalised))
        is_first_name = map(first_names.__contains__, map(words.__getitem__, capitalised))
        for index in list(compress(capitalised, map(or_, opens_surname, is_first_name))):
            if index in covered or (words[index - 1] == "-" and tokens.is_compound_tail(index)):
                continue
            previous = tokens.word(index - 1, index)
            if previous is not None and previous.lower() in self.gazetteer.cues.before:
                continue
            sizes = range(min(longest, len(words) - index), 0, -1) if lower[index] in surname_starts else ()
            for size in sizes:
                canonical = by_surname.get(tuple(lower[index : index + size]))
                if canonical is not None and words[index + size - 1][:1].isupper():
                    end = tokens.ends[index + size - 1]
                    short.append(Mention(tokens.starts[index], end, "PERSON", canonical, canonical, "person"))
                    covered.update(range(index, index + size))
                    break
            else:
                owners = first_names.get(words[index])
                if index in tokens.sentence_initial and lower[index] in _STOP_WORDS:
                    continue  # "Elke dag": the word, whoever is called Elke
                if owners is not None and len(owners) == 1 and not self._is_name_part(tokens, index + 1):
                    canonical = next(iter(owners))
                    short.append(
                        Mention(tokens.starts[index], tokens.ends[index], "PERSON", canonical, canonical, "person")
                    )
        return short


def portfolios(glossary: Glossary) -> set[str]:
    """The portfolios the knowledge base's ministries name: ``Financiën``, ``Sociale Zaken``, ``Koninkrijksrelaties``.

    A title before one names an office, not a person: ``staatssecretaris Koninkrijksrelaties Van der Burg``.
    """
    found = set()
    for body in glossary.entries:
        portfolio = portfolio_of(body.canonical)
        if portfolio is not None:
            found.update(part for part in portfolio_parts(portfolio) if part[:1].isupper())
    return found


#: Prepositions before a town that place something there: "in Den Haag", "uit Sint-Niklaas".
_PLACING_PREPOSITIONS = frozenset({"in", "uit", "naar", "te", "vanuit", "nabij"})


def _covered(tokens: Tokens, found: list[Mention]) -> set[int]:
    """The words the mentions cover: each mention's range of them added at once."""
    covered: set[int] = set()
    for mention in found:
        covered.update(range(tokens.index_at[mention.start], bisect_left(tokens.starts, mention.end)))
    return covered


def _key(words: list[str]) -> tuple[str, ...]:
    return tuple(word.lower() for word in words)


def _as_person(mention: Mention, canonical: str) -> Mention:
    """The mention as the person of ``canonical`` (a cued surname of someone named in full)."""
    if canonical == mention.canonical:
        return mention
    return Mention(mention.start, mention.end, "PERSON", canonical, canonical, "person")


def _is_elision(tokens: Tokens, index: int) -> bool:
    """The apostrophe of ``O'Neill``, ``D'Hondt``, ``Preud'homme``: glued to a word on either side, inside a name."""
    return (
        tokens.words[index] in _APOSTROPHES
        and tokens.glued(index - 1, index)
        and tokens.glued(index, index + 1)
        and tokens.words[index + 1].isalpha()
    )


def _is_subsidiary(tokens: Tokens, index: int, titles: frozenset[str]) -> bool:
    """``computerdochter Dolmen``, ``Renault-dochter Nissan``: a compound of ``dochter`` that is no title (as
    ``kleindochter`` is) names a company's subsidiary."""
    word = tokens.words[index].lower()
    if word == "dochter":
        return tokens.is_compound_tail(index)
    return word.endswith("dochter") and word not in titles


def _is_initial(tokens: Tokens, index: int) -> bool:
    """``J.`` of ``J.P. Balkenende``: one capital glued to a full stop."""
    if not 0 <= index < len(tokens.words) or len(tokens.words[index]) != 1:
        return False
    return tokens.words[index].isupper() and tokens.word(index + 1, index) == "." and tokens.glued(index, index + 1)


def _has_age(tokens: Tokens, end: int) -> bool:
    """An age in brackets right after the name that ends at ``end``: ``(23)``, not a year (``Titanic (1997)``).

    Most names have no bracket after them: the first test tells, before any word of the bracket is read.
    """
    words = tokens.words
    if end >= len(words) or words[end] != "(" or tokens.line_stop[end - 1] <= end + 2:
        return False  # no bracket, or not its number and its end on the name's line
    number = words[end + 1]
    return number.isdigit() and len(number) <= _AGE_DIGITS and words[end + 2] == ")"


def _is_apostrophe_name(tokens: Tokens, index: int) -> bool:
    """``D'Haese``, ``D'hondt``, ``O'Neill``: a capital, an apostrophe and the rest, written as one surname."""
    words = tokens.words
    return (
        index + 2 < len(words)
        and words[index] in _APOSTROPHE_OPENINGS
        and words[index + 1] in _APOSTROPHES
        and tokens.glued(index, index + 1)
        and tokens.glued(index + 1, index + 2)
        and words[index + 2].isalpha()
    )


#: The longest lower-case syllable after a hyphen in a given name: ``Jae-myung``, ``Jong-un``.
_MAX_SYLLABLE = 5


def _is_syllable(tokens: Tokens, index: int) -> bool:
    """``myung`` of ``Lee Jae-myung``: a short lower-case syllable that closes a hyphenated given name."""
    if not 0 <= index < len(tokens.words):
        return False
    word = tokens.words[index]
    return (
        len(word) <= _MAX_SYLLABLE
        and word.isalpha()
        and word.islower()
        and len(tokens.words[index - 2]) <= _MAX_SYLLABLE
    )


def _surname(parts: list[str]) -> list[str]:
    """The surname of a full name's words: from its first particle, else its last word (with a hyphenated tail)."""
    for position, word in enumerate(parts[1:], 1):
        if word.lower() in PARTICLES and position < len(parts) - 1:
            return parts[position:]
    if len(parts) >= 3 and parts[-2] == "-":
        return parts[-3:]
    return parts[-1:] if len(parts) > 1 and len(parts[-1]) > 1 and parts[-1] != "." else []


def _bylines(tokens: Tokens) -> list[Mention]:
    """A reporter's initials signing a piece: ``(KS)`` on a line of its own, or ``KH ©`` before the credit."""
    found: list[Mention] = []
    if "(" not in tokens.text and "©" not in tokens.text:
        return found  # neither sign: most titles
    for index in tokens.all_caps:
        word = tokens.words[index]
        if not 2 <= len(word) <= _MAX_INITIALS:
            continue
        signed = tokens.word(index + 1, index) == "©"
        bracketed = (
            tokens.word(index - 1, index) == "("
            and tokens.word(index + 1, index) == ")"
            and _opens_line(tokens, index - 1)
            and tokens.line_stop[index] == index + 2
        )
        if signed or bracketed:
            found.append(Mention(tokens.starts[index], tokens.ends[index], "PERSON", word, word, "person"))
    return found


def _opens_line(tokens: Tokens, index: int) -> bool:
    return index == 0 or tokens.line_stop[index - 1] <= index
