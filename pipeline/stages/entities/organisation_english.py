"""English names for organisations found by their name's shape and unknown to the knowledge base.

``Universitair Ziekenhuis van Bergen`` is ``Bergen University Hospital`` to an
English reader, ``Nederlands Filmmuseum`` the ``Netherlands Film Museum``.
A Dutch organisation name is mostly descriptive: adjectives, a head noun for
the kind of body, then what it is about or where it is. This module
translates such a name word by word from a small glossary and puts the parts
in English order: the place first, then the adjectives, then the subject as a
noun adjunct, then the head (``Vlaams Forum Jeugdzorg`` ->
``Flemish Youth Care Forum``); ``voor`` and ``van`` before a subject become
``for`` and ``of``. Compounds are split into glossary words
(``Filmmuseum`` = ``film`` + ``museum``, ``Kankeronderzoek`` = ``kanker``
+ ``onderzoek``).

A name is translated only when every word is known: a half-translated name
is worse than the Dutch one, and a word the glossary does not know is most
often a proper name (``Maasstad Ziekenhuis``, ``Stichting Vluchtelingenwerk``).
The glossary holds no word for broadcasters, clubs or brands, whose names stay
as they are, nor ``stedelijk``: English keeps ``Stedelijk Museum`` as the name
of every city's museum so named.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

#: Looks up a place at ``words[start:stop]``: the end of the longest one and its English name, or ``None``.
PlaceLookup = Callable[[Sequence[str], int, int], "tuple[int, str] | None"]

#: Adjectives in their base form; the inflected form (``Vlaamse``, ``Nationale``) is derived.
ADJECTIVES = {
    "vlaams": "Flemish", "nederlands": "Netherlands", "belgisch": "Belgian", "waals": "Walloon",
    "brussels": "Brussels", "europees": "European", "internationaal": "International", "nationaal": "National",
    "landelijk": "National", "federaal": "Federal", "regionaal": "Regional", "provinciaal": "Provincial",
    "gemeentelijk": "Municipal", "koninklijk": "Royal", "universitair": "University",
    "academisch": "Academic", "medisch": "Medical", "klinisch": "Clinical", "psychiatrisch": "Psychiatric",
    "centraal": "Central", "algemeen": "General", "openbaar": "Public", "sociaal": "Social",
    "economisch": "Economic", "wetenschappelijk": "Scientific", "technisch": "Technical", "cultureel": "Cultural",
    "historisch": "Historical", "juridisch": "Legal", "militair": "Military", "maritiem": "Maritime",
    "ruimtelijk": "Spatial", "tropisch": "Tropical", "christelijk": "Christian", "katholiek": "Catholic",
    "protestants": "Protestant", "islamitisch": "Islamic", "joods": "Jewish", "vrij": "Free", "nieuw": "New",
    "buitenlands": "Foreign", "binnenlands": "Internal",
    "hoog": "High", "onafhankelijk": "Independent", "intermutualistisch": "Intermutualist", "duits": "German",
    "frans": "French", "brits": "British", "amerikaans": "American",
}  # fmt: skip

#: Nouns for the kind of body: the head of a name.
HEADS = {
    "ziekenhuis": "Hospital", "kliniek": "Clinic", "stichting": "Foundation", "museum": "Museum",
    "musea": "Museums", "forum": "Forum", "raad": "Council", "dienst": "Service", "vereniging": "Association",
    "bond": "Union", "vakbond": "Trade Union", "verbond": "Federation", "federatie": "Federation",
    "unie": "Union", "instituut": "Institute", "centrum": "Centre", "college": "College",
    "universiteit": "University", "academie": "Academy",
    "school": "School", "bibliotheek": "Library", "archief": "Archive", "agentschap": "Agency",
    "autoriteit": "Authority", "inspectie": "Inspectorate", "commissie": "Commission", "fonds": "Fund",
    "bureau": "Bureau", "partij": "Party", "genootschap": "Society", "beweging": "Movement",
    "netwerk": "Network", "platform": "Platform", "orkest": "Orchestra", "koor": "Choir",
    "theater": "Theatre", "observatorium": "Observatory", "laboratorium": "Laboratory", "tribunaal": "Tribunal",
    "ombudsman": "Ombudsman", "kenniscentrum": "Knowledge Centre", "coöperatie": "Cooperative",
    "federaties": "Federations", "verenigingen": "Associations", "ministerie": "Ministry",
}  # fmt: skip

#: Nouns for what a body is about or for whom: a name's subject.
SUBJECTS = {
    "foto": "Photo", "film": "Film", "kunst": "Art", "kunsten": "Arts", "geschiedenis": "History",
    "natuur": "Nature", "milieu": "Environment", "verkeer": "Traffic", "verkeersveiligheid": "Road Safety",
    "veiligheid": "Safety", "kunde": "Science", "gezondheid": "Health", "volksgezondheid": "Public Health",
    "zorg": "Care", "gezondheidszorg": "Health Care", "onderwijs": "Education", "onderzoek": "Research",
    "wetenschap": "Science", "wetenschappen": "Sciences", "cultuur": "Culture", "sport": "Sport",
    "jeugd": "Youth", "landbouw": "Agriculture", "water": "Water", "energie": "Energy", "klimaat": "Climate",
    "statistiek": "Statistics", "arbeid": "Labour", "werkgelegenheid": "Employment", "huisvesting": "Housing",
    "mobiliteit": "Mobility", "vervoer": "Transport", "luchtvaart": "Aviation", "scheepvaart": "Shipping",
    "ruimtevaart": "Space", "visserij": "Fisheries", "voeding": "Nutrition", "voedsel": "Food",
    "geneeskunde": "Medicine", "historie": "History", "openlucht": "Open Air", "kanker": "Cancer", "kinderen": "Children", "ouderen": "Older People",
    "vrouwen": "Women", "mensenrechten": "Human Rights", "vrede": "Peace", "ontwikkeling": "Development",
    "samenwerking": "Cooperation", "handel": "Trade", "industrie": "Industry", "technologie": "Technology",
    "informatie": "Information", "media": "Media", "muziek": "Music", "dans": "Dance",
    "literatuur": "Literature", "taal": "Language", "erfgoed": "Heritage", "architectuur": "Architecture",
    "toerisme": "Tourism", "consumenten": "Consumers", "patiënten": "Patients", "slachtoffers": "Victims",
    "vluchtelingen": "Refugees", "migratie": "Migration", "integratie": "Integration", "armoede": "Poverty",
    "dieren": "Animals", "vogels": "Birds", "bescherming": "Protection", "preventie": "Prevention",
    "ziekenfondsen": "Health Insurance Funds", "verzekeraars": "Insurers", "pensioenen": "Pensions",
    "financiën": "Finance", "justitie": "Justice", "ordening": "Planning", "gemeenten": "Municipalities",
    "steden": "Cities", "provincies": "Provinces", "ondernemers": "Entrepreneurs", "bedrijven": "Companies",
    "werkgevers": "Employers", "werknemers": "Employees", "artsen": "Doctors", "huisartsen": "General Practitioners",
    "verpleegkundigen": "Nurses", "apothekers": "Pharmacists", "advocaten": "Lawyers", "notarissen": "Notaries",
    "journalisten": "Journalists", "leraren": "Teachers", "studenten": "Students", "ouders": "Parents",
    "boeren": "Farmers", "banken": "Banks", "defensie": "Defence", "economie": "Economy", "zaken": "Affairs",
}  # fmt: skip

#: Heads that keep a place after ``van`` in English: ``Universiteit van Amsterdam`` is the ``University of
#: Amsterdam`` (``Universiteit Utrecht`` is ``Utrecht University``), where ``Ziekenhuis van Bergen`` is
#: ``Bergen ... Hospital``.
PLACE_AFTER = frozenset({"universiteit"})

_PREPOSITIONS = {"voor": "for", "van": "of"}
_ARTICLES = frozenset({"de", "het", "der", "den"})
_JOINS = {"en": "and", "&": "and"}
#: What joins the parts of a Dutch compound: ``verkeer-s-kunde``, ``kind-er-en``.
_LINKS = ("s", "en", "e", "")
_MIN_PART = 3
#: The words and plural endings of the countries' English names with ``the``: the United States, the Netherlands,
#: the Philippines (Cyprus and Belarus end in ``s`` without being plural).
_ARTICLE_WORDS = frozenset({"United", "Republic", "Kingdom", "Islands", "Emirates", "States"})
_PLURAL_ENDINGS = ("lands", "ines", "ives", "elles", "oros", "amas")


def inflected(adjective: str) -> str:
    """``vlaams`` -> ``vlaamse``, ``nationaal`` -> ``nationale``: a long vowel before one consonant loses a letter."""
    if (
        len(adjective) >= 4
        and adjective[-1] not in "aeiou"
        and adjective[-2] == adjective[-3]
        and adjective[-2] in "aeou"
        and adjective[-4] not in "aeiou"
    ):
        return adjective[:-2] + adjective[-1] + "e"
    return adjective + "e"


_ADJECTIVE_FORMS = {form: english for base, english in ADJECTIVES.items() for form in (base, inflected(base))}
_NOUNS = {**SUBJECTS, **HEADS}


def english_name(words: Sequence[str], place: PlaceLookup, countries: Collection[str] = frozenset()) -> str | None:
    """The English name of the organisation named by ``words`` (its tokens), or ``None`` if a word is unknown.

    ``place`` finds a city, province or country at a position, with its English name; ``countries`` are the
    English names of countries, which stay after ``of`` as an English name keeps them (``Royal Library of
    Belgium``).
    """
    adjectives: list[str] = []
    index = 0
    while index < len(words) and words[index].lower() in _ADJECTIVE_FORMS:
        adjectives.append(_ADJECTIVE_FORMS[words[index].lower()])
        index += 1
    if index == len(words):
        return None
    subjects_before, index = _subjects_before_head(words, index)
    head_word = words[index].lower()
    head = _noun(head_word)
    if head is None:
        return None
    head = " ".join((*subjects_before, head))
    index += 1
    subjects, index = _nouns(words, index)
    where: str | None = None
    after_of = False
    found = place(words, index, len(words)) if index < len(words) else None
    if found is not None:
        index, where = found
    tail: list[str] = []
    if index < len(words) and words[index] in _PREPOSITIONS:
        preposition = _PREPOSITIONS[words[index]]
        index += 1
        while index < len(words) and words[index] in _ARTICLES:
            index += 1
        found = place(words, index, len(words)) if index < len(words) else None
        if found is not None and where is None and preposition == "of":
            (index, where), after_of = found, True
        else:
            phrase, index = _phrase(words, index)
            if phrase is None:
                return None
            tail = [preposition, phrase]
    if index != len(words) or not _is_kind_of_body(head_word):
        return None
    if after_of and where is not None and head_word in PLACE_AFTER and not subjects:
        return " ".join((*adjectives, head, "of", where))
    if after_of and where in countries:
        return " ".join((*adjectives, *subjects, head, "of", with_article(where)))
    return " ".join(part for part in (where, *adjectives, *subjects, head, *tail) if part)


def with_article(country: str) -> str:
    """``Netherlands`` -> ``the Netherlands``: the countries' English names with ``the`` after ``of``."""
    words = country.split()
    plural = country.endswith(_PLURAL_ENDINGS)
    return f"the {country}" if plural or not _ARTICLE_WORDS.isdisjoint(words) or country == "Gambia" else country


def _subjects_before_head(words: Sequence[str], index: int) -> tuple[list[str], int]:
    """``Kanker Instituut``: subjects written apart before the head, as in a compound; else none.

    Returns the subjects and where the head is.
    """
    found: list[str] = []
    position = index
    while position + 1 < len(words) and (noun := _subject(words[position].lower())) is not None:
        found.append(noun)
        position += 1
    if found and _is_kind_of_body(words[position].lower()):
        return found, position
    return [], index


def _is_kind_of_body(word: str) -> bool:
    """Whether the head names a kind of body (``Filmmuseum``), not only a subject (``Jeugdzorg``)."""
    return word in HEADS or any(word.endswith(head) for head in HEADS if len(head) >= _MIN_PART)


def _nouns(words: Sequence[str], index: int) -> tuple[list[str], int]:
    """The known nouns from ``index``, joined by ``en``: ``Natuur en Milieu``, as one noun adjunct each."""
    found: list[str] = []
    while index < len(words):
        noun = _subject(words[index].lower())
        if noun is not None:
            found.append(noun)
            index += 1
        elif found and words[index] in _JOINS and index + 1 < len(words) and _subject(words[index + 1].lower()):
            found.append(_JOINS[words[index]])
            index += 1
        else:
            break
    return found, index


def _phrase(words: Sequence[str], index: int) -> tuple[str | None, int]:
    """``Tropische Geneeskunde``, ``Kunst en Geschiedenis``: adjectives and nouns after a preposition."""
    parts: list[str] = []
    while index < len(words):
        word = words[index].lower()
        if word in _ADJECTIVE_FORMS:
            parts.append(_ADJECTIVE_FORMS[word])
        elif (noun := _subject(word)) is not None:
            parts.append(noun)
        elif parts and words[index] in _JOINS:
            parts.append(_JOINS[words[index]])
        else:
            break
        index += 1
    if not parts or parts[-1] == "and" or words[index - 1].lower() in _ADJECTIVE_FORMS:
        return None, index
    return " ".join(parts), index


def _subject(word: str) -> str | None:
    """A noun for what a body is about (``Jeugdzorg``), not another kind of body (``Fonds``)."""
    return None if _is_kind_of_body(word) else _noun(word)


def _noun(word: str) -> str | None:
    """A glossary noun, or a compound of them: ``fotomuseum`` -> ``Photo Museum``."""
    if word in _NOUNS:
        return _NOUNS[word]
    for split in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
        tail = _NOUNS.get(word[split:])
        if tail is None:
            continue
        front = word[:split]
        for link in _LINKS:
            if front.endswith(link) and len(front) - len(link) >= _MIN_PART:
                first = _noun(front[: len(front) - len(link)] if link else front)
                if first is not None:
                    return f"{first} {tail}"
    return None
