"""The ``nlnews_organisations`` component: the knowledge base's bodies and the names shaped like one.

* Knowledge-base names (``organisations.yaml``: canonical, English, aliases,
  type, country) are ``PhraseMatcher`` patterns, exact-case: ``AZ`` the club,
  never ``az``; a one-word name also in capitals (``RABOBANK``, ``(BELGA)``). An alias the file marks ambiguous (``X``, ``Vooruit``,
  ``Kamer``) counts only with support: the body named otherwise in the same
  text, or a cue word before it (``de Kamer``, ``op X``), never opening a sentence.
* Open classes are ``Matcher`` patterns: named cabinets and governments
  (``kabinet-Schoof``, ``kabinet Balkenende IV``, ``Rutte 3``,
  ``regering-De Wever``), clubs (``FC Volendam``, ``RKC Waalwijk``), police and
  justice units (``Politie Limburg``, ``OM Oost-Brabant``, ``politiezone Kouter``).
* Names holding an organisation word (``gemeente Utrecht``, ``ministerie van VWS``,
  ``Maasstad Ziekenhuis``, ``Stichting …``), names ending in a legal form
  (``Bakkerij Jansen B.V.``) and all-caps words with support (the name they
  abbreviate in the same text, or a cue: ``vakbond FNV``) are organisations.
* The name after a word for what it is (``de mediagroep Kwadrant``, ``de
  vakbonden ACV en ABVV``), a body introduced by its country (``het Amerikaanse
  Colt``; after ``in`` a town), a web address (``Napster.com``) and a
  minister's portfolio (``minister van Landbouw``) are organisations.
* Hyphenated compounds are split: ``IND-loketten`` names the ``IND``, but the
  tail of a compound never starts a name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import product
from pathlib import Path

from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.stages.entities.gazetteer import (
    Gazetteer,
    Glossary,
    Location,
    Organisation,
    OrganisationWord,
    Place,
    Province,
    load_gazetteer,
    load_glossary,
    name_key,
    portfolio_of,
    portfolio_parts,
)
from pipeline.stages.entities.organisation_english import english_name
from pipeline.stages.entities.persons import person_cues
from pipeline.stages.entities.places import article_country, word_positions
from pipeline.stages.entities.tokens import (
    CACHED_VERDICTS,
    BatchComponent,
    Mention,
    Tokens,
    Verdicts,
    WindowMatcher,
    indexes_of,
    is_acronym,
    is_capitalised,
    mentions,
)

_STOP_WORDS = frozenset(STOP_WORDS)
#: The adjectives of the countries whose ministries the knowledge base holds: ``het Belgische ministerie van ...``.
_HOME_ADJECTIVES = {"Nederlandse": "NL", "Belgische": "BE"}
#: A region's ministry is none of its country's: ``het Vlaamse ministerie van Onderwijs``.
_REGIONAL_ADJECTIVES = frozenset({"Vlaamse", "Waalse", "Brusselse", "Friese"})
#: The countries of the regions' adjectives, uninflected too: ``de Vlaamse Onderwijsraad`` is no Dutch body.
_REGION_COUNTRIES = {
    "Vlaamse": "BE", "Vlaams": "BE", "Waalse": "BE", "Waals": "BE", "Brusselse": "BE", "Brussels": "BE",
    "Friese": "NL", "Fries": "NL", "Nederlands": "NL", "Belgisch": "BE",
}  # fmt: skip
#: Kinds of body that news calls by their country's adjective (``het Nederlandse ASML``, ``het Belgische
#: Anderlecht``), which no public body of another country is named after.
_NAMED_BY_NATIONALITY = frozenset({"company", "club", "media"})
_ROMAN_NUMERAL = re.compile(r"M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
#: The capitals that open a longer name before a hyphen: ``VVV`` of ``VVV-Venlo``.
_CAPITALS_HEAD = re.compile(r"([A-Z]{2,6})-(?=[A-Z][a-z])")
#: The word after an all-caps name that makes it a law's: ``de MATCH Act``.
_LAW_WORDS = frozenset({"Act"})
_LEGAL_FORM = re.compile(r"(?=[BNHG])(?<![\w.])(?:B\.\s?V\.?|N\.\s?V\.?|BV|NV|Holding|Groep|Group)(?!\w)")
_LEGAL_FORM_SPELLING = {"BV": "B.V.", "NV": "N.V."}
#: The word every text that ``_LEGAL_FORM`` matches in holds: a match opens a token (no letter, digit or full stop
#: before it), ``B`` of ``B.V.``, ``N`` of ``N.V.``, or the whole form.
_LEGAL_FORM_WORDS = frozenset({"B", "N", "BV", "NV", "Holding", "Groep", "Group"})
_NAME_CONNECTORS = frozenset({"&", "-", "van", "de", "der", "den"})
#: Lower-case words inside an organisation's name: "Instituut voor de Tropen", "Bergen op Zoom".
_NAME_LINKS = frozenset({"van", "voor", "de", "der", "den", "het", "op", "aan", "'s"})
#: The English links inside an English name after a capitalised word: "Great Council of Chiefs".
_ENGLISH_LINKS = frozenset({"of", "for", "and", "the"})
#: Lower-case words that join two parts of one name once it is known to be an
#: organisation: "Waterschap Aa en Maas", "Inspectie Gezondheidszorg en Jeugd".
_NAME_JOINS = frozenset({"en", "&"})
#: What follows a hyphen that stands for a compound's tail: "Instituut voor Natuur- en Bosonderzoek", "Instituut voor
#: Taal-, Land- en Volkenkunde".
_ELIDED_COMPOUND_JOINS = frozenset({"en", "of", ","})
#: The lower-case words a name can go on over (see ``_name_end``): any other ends it.
_NAME_CONTINUATIONS = _NAME_LINKS | _NAME_JOINS | {",", "-"}
_BRACKETED_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
#: Lower-case words inside a name its acronym leaves out: ``Centrum voor Onderzoek in de Diergeneeskunde (CODA)``.
_ACRONYM_LINKS = frozenset({"van", "voor", "de", "der", "den", "het", "en", "in", "op", "&", "of", "for", "and", "the"})
#: Words right before an ambiguous alias that show it names the body: "de Kamer", "op X", "partij Vooruit".
_AMBIGUOUS_CUES = frozenset(
    {"de", "het", "op", "via", "bij", "van", "door", "voor", "partij", "platform", "sociale", "medium", "coalitie"}
)
#: The ending of a website's name, looked for before the name itself.
_DOMAIN_ENDING = re.compile(r"\.(?:be|nl|com|eu|org|net)\b")
#: A website named by its domain in running text, not inside an address or a URL: "via Immoweb.be", "Booking.com".
_DOMAIN_NAME = re.compile(r"(?<![\w./@:-])([A-Z][\w-]*[a-z][\w-]*)\.(?:be|nl|com|eu|org|net)(?![\w/@.-]|\.\w)")
#: The words between the names of a list: "N-VA, Vooruit en cd&v".
_LIST_JOINS = frozenset({",", "en", "of", "/"})

#: What a word for a company, shop or outlet ends with: the name after it is an organisation's
#: ("advocatenkantoor DLA Piper", "computerwinkel Easy M", "restaurant Vapiano", "socialemediaplatform X").
_DESCRIPTORS = (
    "kantoor", "winkel", "bedrijf", "restaurant", "keten", "platform", "producent", "fabrikant", "supermarkt",
    "uitgeverij", "brouwerij", "maatschappij", "webshop", "warenhuis", "concern", "multinational", "verzekeraar",
    "chipmaker", "rederij", "vervoerder", "distributeur", "retailer", "streamingdienst", "nieuwssite", "dagblad",
    "weekblad", "zender", "startup", "bureau", "groothandel", "bouwer", "leverancier",
    "groep", "holding", "exploitant", "krant", "tijdschrift", "magazine", "operator", "portaal", "provider",
    "beurshuis", "zakenbank", "vennootschap", "vakbond", "vereniging", "beweging", "organisatie", "federatie",
    "label", "rockband", "popband",
)  # fmt: skip
#: Their plurals, which a list of names follows ("de vakbonden ACV en ABVV", "twee verenigingen, Bral en Fietsberaad").
_LISTING_DESCRIPTORS = (
    "bedrijven", "verenigingen", "vakbonden", "organisaties", "bewegingen", "groepen", "kranten", "federaties",
    "banken", "ketens", "zenders", "winkels", "concerns", "rederijen", "brouwerijen", "uitgeverijen",
    "maatschappijen", "verzekeraars", "operatoren", "operators", "providers",
)  # fmt: skip
#: Every ending of a word for what a body is, singular or plural.
_ANY_DESCRIPTOR = _DESCRIPTORS + _LISTING_DESCRIPTORS
_MONTHS = frozenset(
    {"Januari", "Februari", "Maart", "April", "Mei", "Juni", "Juli", "Augustus", "September", "Oktober", "November"}
    | {"December", "Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag", "Zaterdag", "Zondag"}
)
#: "de stad Antwerpen": a Flemish city's government, named as a Dutch one is by "gemeente". Not an organisation
#: word of the knowledge base, where it would make every compound in "-stad" (Maasstad, Hanzestad) one.
_CITY_GOVERNMENT = OrganisationWord("City of {}", head=True, lower_case=True, lists=False, place=True)
_CITY_GOVERNMENT_WORDS = frozenset({"stad", "Stad"})
#: The word before a party's name that makes it the party's youth organisation: "Jong CD&V".
_YOUTH_WINGS = frozenset({"Jong", "Jonge"})
#: Prepositions that make "de provincie X" the region rather than its government.
_LOCATIVES = frozenset({"in", "uit", "naar", "door", "binnen", "buiten", "rond", "over", "doorheen", "heel"})
#: Prepositions that make ``het Zwitserse Ennetbaden`` a town rather than a body.
_PLACE_PREPOSITIONS = frozenset({"in", "uit", "naar", "te", "nabij", "vanuit", "binnen", "buiten", "rond", "doorheen"})
#: Surnames of the Dutch and Belgian prime ministers whose cabinets news names bare: "Rutte 3", "Balkenende IV".
_PRIME_MINISTERS = (
    "Drees", "De Quay", "Marijnen", "Cals", "Zijlstra", "De Jong", "Biesheuvel", "Den Uyl", "Van Agt", "Lubbers",
    "Kok", "Balkenende", "Rutte", "Schoof", "Jetten", "Martens", "Dehaene", "Verhofstadt", "Leterme", "Van Rompuy",
    "Di Rupo", "Michel", "Wilmès", "De Croo", "De Wever",
)  # fmt: skip
_CABINET_WORDS = {"kabinet": ("kabinet", "cabinet"), "regering": ("regering", "government")}
_CABINET_OPENINGS = frozenset(_CABINET_WORDS)
_NUMERALS = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}
_ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth", 6: "Sixth"}
#: What opens a club's name: "FC Volendam", "RKC Waalwijk", "SV Spakenburg".
_CLUB_PREFIXES = ["FC", "SC", "VV", "RKC", "SV", "AFC", "KV", "KAA", "KRC", "RSC", "SK", "KSV", "RC", "VfL", "AS"]
#: Police and justice units named by their area: "Politie Limburg", "OM Oost-Brabant", "politiezone Kouter".
_UNITS = {
    "Politie": ("Politie {}", "{} Police"),
    "politiezone": ("Politiezone {}", "{} police zone"),
    "Politiezone": ("Politiezone {}", "{} police zone"),
    "zone": ("Politiezone {}", "{} police zone"),
    "OM": ("Openbaar Ministerie {}", "Public Prosecution Service {}"),
    "Parket": ("Parket {}", "{} Public Prosecutor's Office"),
    "parket": ("Parket {}", "{} Public Prosecutor's Office"),
    "eenheid": ("Politie-eenheid {}", "{} Police Unit"),
    "Eenheid": ("Politie-eenheid {}", "{} Police Unit"),
}
#: The units also named "of" their area, as Flemish news names its prosecutors: "het parket van Dendermonde".
_UNITS_OF = frozenset({"parket", "Parket"})
#: The units Flemish news also names by their district's adjective: "het Gentse parket".
_ADJECTIVE_UNITS = frozenset({"parket"})
#: The article before an adjective and the name it introduces, in every spelling in capitals and small letters
#: (the words whose lower case is ``het``): "het Amerikaanse Colt", "HET".
_HET_SPELLINGS = frozenset(map("".join, product(*zip("het", "HET"))))
#: What a Flemish city's name loses before ``-se`` makes its adjective: Gent-se, Mechel-se, Brug-se, Dendermond-se.
_ADJECTIVE_DROPS = ("", "en", "ge", "e")


@Language.factory(
    "nlnews_organisations",
    default_config={"resources_dir": None, "world_min_population": 15000},
)
def make_organisations(
    nlp: Language, name: str, resources_dir: str | None, world_min_population: int
) -> OrganisationFinder:
    directory = Path(resources_dir) if resources_dir else None
    cues = person_cues(directory)
    return OrganisationFinder(
        nlp,
        load_glossary(directory),
        load_gazetteer(world_min_population, directory),
        frozenset(cues.first_names),
        frozenset(title.lower() for title in cues.titles),
    )


class OrganisationFinder(BatchComponent):
    """Adds ORG candidates to ``doc._.mentions``."""

    def __init__(
        self,
        nlp: Language,
        glossary: Glossary,
        gazetteer: Gazetteer,
        first_names: frozenset[str] = frozenset(),
        roles: frozenset[str] = frozenset(),
    ) -> None:
        self.glossary = glossary
        self.gazetteer = gazetteer
        #: The ministries by their portfolios' names, for ``ministerie van Justitie``.
        self._ministries = _ministries_by_portfolio(glossary)
        #: The countries' English names, which an English name keeps after ``of``: ``Royal Library of Belgium``.
        countries = gazetteer.countries
        self._country_names = frozenset(countries.get(key).english for key in countries.keys())  # noqa: SIM118
        #: First names, which start a person's name rather than a body's before its initials: ``Kris Hendrickx (KH)``.
        self.first_names = first_names
        #: People's roles (``voorzitter``, ``minister``): a compound of a name and one names the body (``Groen-schepen``).
        self.roles = roles
        #: The words that head a name (``Stichting``, ``gemeente``): a person's name right after one is the body's.
        self._head_words = frozenset(
            {word for word, spec in glossary.organisation_words.items() if spec.head} | _CITY_GOVERNMENT_WORDS
        )
        #: The head words that open a name without a capital (``gemeente Best``): capitalised words open one anyway.
        self._lower_case_heads = frozenset(word for word in self._head_words if not is_capitalised(word))
        #: Whether a word is an organisation word (or ``stad``): the same words come back in every text, so each is
        #: judged once and then looked up in C.
        self._is_marked = Verdicts(
            lambda word: glossary.is_organisation_word(word) or word in _CITY_GOVERNMENT_WORDS
        ).__getitem__
        #: The adjectives of the countries, the home ones too: ``het Amerikaanse Colt``, ``het Belgische Anderlecht``.
        self._nationalities = frozenset(_HOME_ADJECTIVES) | frozenset(gazetteer.country_adjectives)
        #: The words that end as a word for a kind of body does (``_described_names``), each judged once.
        self._descriptors = _EndingWords(_ANY_DESCRIPTOR)
        self._known = PhraseMatcher(nlp.vocab)
        names = {*glossary.organisations_by_name, *glossary.ambiguous_organisations}
        #: The knowledge base's one-word names of four letters or more in capitals, for a name shouted so:
        #: ``RABOBANK SCHRAPT BANEN``, ``(BELGA)``. Shorter ones are too often a word of a shouted line.
        self._shouted_names = {
            key.upper(): key
            for key in glossary.organisations_by_name
            if " " not in key and len(key) >= 4 and not key.isupper()
        }
        self._known.add("ORG", [Doc(nlp.vocab, words=key.split(" ")) for key in names])
        self._patterns = WindowMatcher(nlp.vocab)
        name_part = {"IS_TITLE": True, "IS_ALPHA": True}
        numeral = {"ORTH": {"IN": list(_NUMERALS)}}
        # Words that stand in the same place share one pattern ("IN"): the matcher's work grows with its
        # patterns, however many words each lists.
        cabinet = {"LOWER": {"IN": list(_CABINET_WORDS)}}
        self._patterns.add(
            "CABINET",
            [
                [cabinet, {"ORTH": "-"}, name_part, numeral],
                [cabinet, {"ORTH": "-"}, name_part, {"ORTH": "-", "OP": "?"}, name_part, numeral],
                [cabinet, {"ORTH": "-"}, name_part],
                [cabinet, {"ORTH": "-"}, {"ORTH": {"IN": ["De", "Van", "Den", "Di"]}}, name_part],
                [cabinet, name_part, numeral],
            ],
        )
        surnames: dict[tuple[str, ...], list[str]] = {}
        for surname in _PRIME_MINISTERS:
            *opening, last = surname.split()
            surnames.setdefault(tuple(opening), []).append(last)
        self._patterns.add(
            "CABINET",
            [
                [*({"ORTH": part} for part in opening), {"ORTH": {"IN": last}}, numeral]
                for opening, last in surnames.items()
            ],
        )
        self._patterns.add("CLUB", [[{"ORTH": {"IN": _CLUB_PREFIXES}}, name_part, {"IS_TITLE": True, "OP": "?"}]])
        area = [name_part, {"ORTH": "-", "OP": "?"}, {"IS_TITLE": True, "OP": "?"}]
        self._patterns.add(
            "UNIT",
            [[{"ORTH": {"IN": list(_UNITS)}}, *area], [{"ORTH": {"IN": list(_UNITS_OF)}}, {"ORTH": "van"}, *area]],
        )
        #: The words one of those patterns starts with: a text without any is not matched at all.
        self._pattern_starts = frozenset(
            {*_CABINET_WORDS, *(word.capitalize() for word in _CABINET_WORDS), *_CLUB_PREFIXES, *_UNITS}
            | {surname.split()[-1] for surname in _PRIME_MINISTERS}
        )
        #: What the second word of each pattern is: after a cabinet word (any case) ``-`` or a name, after a
        #: club's prefix or a unit's word a name, after a prime minister's surname a numeral, after the first
        #: word of a longer surname its next (``De`` of ``De Wever``).
        self._named_openings = frozenset({*_CLUB_PREFIXES, *_UNITS})
        self._followers: dict[str, set[str]] = {}
        for opening, last in surnames.items():
            if opening:  # "De Wever 2": its first word, then its next
                self._followers.setdefault(opening[0], set()).update(opening[1:2] or last)
            else:  # "Rutte 3"
                for surname in last:
                    self._followers.setdefault(surname, set()).update(_NUMERALS)
        self._pattern_openings = self._named_openings | self._followers.keys()

    def __call__(self, doc: Doc) -> Doc:
        tokens = Tokens.of(doc)
        # The text's distinct words, read once: whether a rule's words are there is then a look-up of each of them,
        # where a test of the text reads every word again (each is an object of its own in memory).
        vocabulary = frozenset(tokens.words)
        found = [
            *self._known_names(doc, tokens),
            *self._shouted_known_names(doc, tokens),
            *self._open_classes(doc, tokens, vocabulary),
        ]
        persons = [m for m in mentions(doc) if m.label == "PERSON" and m.start in tokens.index_at]
        person_starts = {tokens.index_at[m.start] for m in persons}
        found += _one_spelling(self._organisation_names(tokens, person_starts, vocabulary))
        found += self._legal_form_names(tokens, vocabulary, {m.end for m in persons})
        found += self._units_by_adjective(tokens, vocabulary)
        found += self._domain_names(tokens)
        found += self._described_names(tokens, vocabulary)
        found += self._nationality_named(tokens, vocabulary)
        defined = self._names_before_their_acronym(doc, tokens, found)
        if defined:
            found = [*_as_defined(found, defined, tokens.text), *defined]
        acronyms = self._acronyms(tokens, found)
        # An ambiguous alias that abbreviates a body named in the same text is that body: "de AP" after
        # "Autoriteit Persoonsgegevens" is not the Associated Press.
        expanded = {(m.start, m.end) for m in acronyms if m.canonical != tokens.text[m.start : m.end]}
        found = [m for m in found if not (m.source == "ambiguous" and (m.start, m.end) in expanded)]
        mentions(doc).extend(found + acronyms)
        return doc

    def _known_names(self, doc: Doc, tokens: Tokens) -> list[Mention]:
        """The knowledge base's names; an ambiguous alias only with support.

        An acronym the persons component read as a reporter's initials (``(AD)``
        on a line of its own) signs the piece: it names no body.
        """
        matches = self._known(doc)
        if not matches:
            return []
        country = article_country(doc, tokens, self.gazetteer)
        signatures = {
            (m.start, m.end) for m in mentions(doc) if m.label == "PERSON" and is_acronym(tokens.text[m.start : m.end])
        }
        candidates = []
        foreign: list[Mention] = []
        for _, doc_start, doc_end in matches:
            start, end = tokens.from_doc(doc_start, doc_end)
            if tokens.is_compound_tail(start) or self._is_shouted_word(tokens, start, end):
                continue
            if (tokens.starts[start], tokens.ends[end - 1]) in signatures:
                continue
            key = " ".join(tokens.words[start:end])
            plain = self.glossary.organisations_by_name.get(key)
            bodies = plain or self.glossary.ambiguous_organisations.get(key, ())
            found = _of_country(bodies, country)
            if found is not None and plain and found.type not in _NAMED_BY_NATIONALITY:
                adjective_country = self._adjective_country(tokens, start)
                if adjective_country is not None:
                    found = _of_country_only(bodies, adjective_country) or found
                    if found.country in ("NL", "BE") and found.country != adjective_country:
                        foreign.append(self._adjective_named(tokens, start - 1, end, adjective_country))
                        continue
            if found is not None:
                candidates.append((start, end, plain is None, found))
        named = {found.canonical for _, _, ambiguous, found in candidates if not ambiguous}
        kinds = _kinds_at_the_ends(candidates)
        known = []
        #: Where each portfolio taken so far ends: the next one after ``en`` is named by the same cue
        #: (``de ministers van Landbouw en Volksgezondheid``).
        portfolio_ends: set[int] = set()
        for start, end, ambiguous, found in candidates:
            if ambiguous:
                listed = tokens.word(start - 1, start) in _LIST_JOINS and start - 1 in portfolio_ends
                if not (
                    listed
                    or _is_listed_with_its_kind(tokens, start, end, found.type, kinds)
                    or self._supports_ambiguous(tokens, start, end, found, named)
                ):
                    continue
                if found.type == "government":
                    portfolio_ends.add(end)
            source = "ambiguous" if ambiguous else "glossary"
            if found.type == "party" and tokens.word(start - 1, start) in _YOUTH_WINGS:
                known.append(_youth_wing(tokens, start, end, found))
                continue
            known.append(
                Mention(
                    tokens.starts[start],
                    tokens.ends[end - 1],
                    "ORG",
                    found.canonical,
                    found.english,
                    source,
                    found.facts(),
                )
            )
        return known + foreign

    def _shouted_known_names(self, doc: Doc, tokens: Tokens) -> list[Mention]:
        """A one-word name of the knowledge base written in capitals: ``RABOBANK``, ``(BELGA)``, ``PROXIMUS``."""
        shouted = [index for index in tokens.all_caps if tokens.words[index] in self._shouted_names]
        if not shouted:
            return []
        country = article_country(doc, tokens, self.gazetteer)
        found = []
        for index in shouted:
            if tokens.is_compound_tail(index):
                continue
            body = _of_country(self.glossary.organisations_by_name[self._shouted_names[tokens.words[index]]], country)
            if body is not None:
                start, end = tokens.starts[index], tokens.ends[index]
                found.append(Mention(start, end, "ORG", body.canonical, body.english, "glossary", body.facts()))
        return found

    def _adjective_country(self, tokens: Tokens, start: int) -> str | None:
        """The country of the adjective right before token ``start`` (``Belgische``, ``Vlaamse``), if one is."""
        previous = tokens.word(start - 1, start)
        if previous is None or not is_capitalised(previous) or tokens.glued(start - 1, start):
            return None
        return (
            _HOME_ADJECTIVES.get(previous)
            or _REGION_COUNTRIES.get(previous)
            or self.gazetteer.country_adjectives.get(previous)
        )

    def _adjective_named(self, tokens: Tokens, first: int, end: int, country: str) -> Mention:
        """``de Vlaamse Onderwijsraad``: another country's or region's body, named as a known one is.

        It is not the body the knowledge base knows under the rest of its name.
        A Belgian or Dutch one's English name is its words' (``Flemish Education
        Council``); a body abroad has its own English name, which a Dutch
        description is not (``de Britse Hoge Raad`` is no High Council): it keeps
        its Dutch name.
        """
        surface = tokens.surface(first, end)
        canonical = surface[:1].upper() + surface[1:]
        english = canonical
        if country in ("NL", "BE"):
            english = english_name(tokens.words[first:end], self._place_english, self._country_names) or canonical
        return Mention(tokens.starts[first], tokens.ends[end - 1], "ORG", canonical, english, "pattern")

    def _supports_ambiguous(self, tokens: Tokens, start: int, end: int, found: Organisation, named: set[str]) -> bool:
        """``Kamer`` after ``de``, ``X`` after ``op``, or the body named in full elsewhere.

        Opening a sentence it counts only as the speaker of a headline (``Groen: 'Vaag akkoord'``) or before
        a person's role in a compound (``Groen-schepen``). A channel before a clock time is a television
        guide's (``Journaal Canvas 20.55``).
        """
        if found.type == "media" and _is_clock_time(tokens, end):
            return True
        if tokens.is_compound_head(end) and (tokens.word(end + 1, end) or "") in self.roles:
            return True  # "Groen-fractieleider", "Vooruit-voorzitter": a role in the body
        if start in tokens.sentence_initial:
            return tokens.word(start + 1, start) == ":" and tokens.glued(start, start + 1)
        previous = tokens.word(start - 1, start)
        if found.canonical in named or previous == "(":
            return True
        return previous is not None and (
            previous.lower() in _AMBIGUOUS_CUES or previous.lower() in self.glossary.acronym_cues
        )

    def _open_classes(self, doc: Doc, tokens: Tokens, vocabulary: frozenset[str]) -> list[Mention]:
        """Cabinets, clubs and police and justice units, from their patterns (``vocabulary``: the text's words)."""
        found: list[Mention] = []
        if self._pattern_starts.isdisjoint(vocabulary) or not self._may_match_a_pattern(tokens, vocabulary):
            return found
        strings = doc.vocab.strings
        for match_id, doc_start, doc_end in self._patterns(doc, tokens):
            start, end = tokens.from_doc(doc_start, doc_end)
            if tokens.line_stop[start] < end or tokens.is_compound_tail(start):
                continue
            kind = strings[match_id]
            if kind == "CABINET":
                mention = self._cabinet(tokens, start, end)
            elif kind == "CLUB":
                mention = self._club(tokens, start, end)
            else:
                mention = self._unit(tokens, start, end)
            if mention is not None:
                found.append(mention)
        return found

    def _may_match_a_pattern(self, tokens: Tokens, vocabulary: frozenset[str]) -> bool:
        """Whether a word a pattern opens with is followed by what its patterns go on with (see ``__init__``).

        The Matcher costs much more per word it reads than this look at the
        word after each opening word, and most texts that hold one (``Rutte``,
        ``De``, ``zone``) name no cabinet, club or unit.
        """
        words, lower, positions = tokens.words, tokens.lower, tokens.positions
        followers, named = self._followers, self._named_openings
        openings = word_positions(tokens, self._pattern_openings & vocabulary) + indexes_of(lower, _CABINET_OPENINGS)
        for index in openings:
            if index + 1 == len(words) or positions[index + 1] != positions[index] + 1:
                continue  # the text ends, or whitespace comes next: no pattern reads it
            word, following = words[index], words[index + 1]
            exact = followers.get(word)
            if exact is not None and following in exact:
                return True
            cabinet = lower[index] in _CABINET_WORDS
            if (
                (cabinet and following == "-")
                or (word in _UNITS_OF and following == "van")
                or ((cabinet or word in named) and following.isalpha() and following.istitle())
            ):
                return True
        return False

    def _cabinet(self, tokens: Tokens, start: int, end: int) -> Mention | None:
        """``kabinet-Rutte IV``, ``Rutte 3``, ``regering-De Wever``: canonical ``kabinet-Rutte IV``."""
        words = tokens.words[start:end]
        word = words[0].lower()
        dutch, english = _CABINET_WORDS.get(word, ("kabinet", "cabinet"))
        names = words[1:] if word in _CABINET_WORDS else words
        number = _NUMERALS.get(names[-1]) if names and names[-1] in _NUMERALS else None
        if number is not None:
            names = names[:-1]
        surname = " ".join(part for part in names if part != "-")
        if not surname or self.gazetteer.places.get(surname) is not None and word not in _CABINET_WORDS:
            return None
        canonical = f"{dutch}-{surname}" + (f" {_ROMAN[number]}" if number else "")
        english_name = f"{_ORDINALS[number]} {surname} {english}" if number else f"{surname} {english}"
        known = self.glossary.organisations.get(name_key(canonical))
        if known is not None:
            canonical, english_name = known.canonical, known.english
        return Mention(tokens.starts[start], tokens.ends[end - 1], "ORG", canonical, english_name, "pattern")

    def _club(self, tokens: Tokens, start: int, end: int) -> Mention:
        """``FC Volendam``: the whole name, never the prefix and a city."""
        surface = tokens.surface(start, end)
        known = self.glossary.organisations.get(name_key(surface))
        canonical, english = (known.canonical, known.english) if known else (surface, surface)
        return Mention(tokens.starts[start], tokens.ends[end - 1], "ORG", canonical, english, "pattern")

    def _unit(self, tokens: Tokens, start: int, end: int) -> Mention | None:
        """``Politie Limburg``, ``OM Oost-Brabant``, ``zone Kouter``, ``parket van Gent``: the unit of a named area."""
        area = tokens.surface(start + 2 if tokens.words[start + 1] == "van" else start + 1, end)
        if tokens.words[end - 1] == "-" or area.lower() in _STOP_WORDS:
            return None
        head = tokens.words[start]
        if head in ("zone", "eenheid", "Eenheid", "parket") and tokens.word(start - 1, start) not in (
            None,
            "de",
            "De",
            "het",
            "Het",
            "politie",
            "van",
        ):
            return None
        dutch, english = _UNITS[head]
        place = self._area(area)
        known = self.glossary.organisations.get(name_key(dutch.format(area)))
        if known is not None:
            canonical, english_name = known.canonical, known.english
        else:
            canonical = dutch.format(area)
            english_name = english.format(place.english if place else area)
        return Mention(tokens.starts[start], tokens.ends[end - 1], "ORG", canonical, english_name, "pattern")

    def _units_by_adjective(self, tokens: Tokens, vocabulary: frozenset[str]) -> list[Mention]:
        """``het Gentse parket``, ``het Brugse parket``: a Belgian prosecutor's office by its district's adjective.

        The adjective is a Belgian city's name less its ending and ``-se``
        (``Mechelen``, ``Brugge``, ``Dendermonde``); the ones the knowledge
        base lists (``Antwerpse parket``) are its own. ``vocabulary``: the text's words.
        """
        found: list[Mention] = []
        for index in word_positions(tokens, _ADJECTIVE_UNITS & vocabulary):
            adjective = tokens.word(index - 1, index)
            if adjective is None or not adjective.endswith("se") or tokens.word(index - 2, index) not in ("het", "Het"):
                continue
            if f"{adjective} {tokens.words[index]}" in self.glossary.organisations_by_name or not adjective.istitle():
                continue
            city = self._belgian_city_of(adjective)
            if city is not None:
                dutch, english = _UNITS[tokens.words[index]]
                start, end = tokens.starts[index - 1], tokens.ends[index]
                found.append(
                    Mention(start, end, "ORG", dutch.format(city.canonical), english.format(city.english), "pattern")
                )
        return found

    def _belgian_city_of(self, adjective: str) -> Place | None:
        """The Belgian city whose adjective ``adjective`` is: ``Gentse`` Gent, ``Mechelse`` Mechelen, ``Brugse`` Brugge."""
        stem = adjective[:-2]
        for ending in _ADJECTIVE_DROPS:
            place = self.gazetteer.places.get(name_key(stem + ending))
            if place is not None and place.country == "BE":
                return place
        return None

    def _is_shouted_word(self, tokens: Tokens, start: int, end: int) -> bool:
        """``OM``, ``OR``, ``NS`` in ``HET GAAT OM GELD VOOR OR EN NS``: a short acronym among words in capitals.

        Two or three capitals are too often a word in a shouted line; a
        known acronym next to it (``IND SLUIT``) does not make the line normal.
        """
        word = tokens.words[start]
        if end - start != 1 or len(word) > 3 or not word.isupper():
            return False
        neighbours = (tokens.word(start - 1, start), tokens.word(start + 1, start))
        return any(
            neighbour is not None and is_acronym(neighbour) and neighbour not in self.glossary.organisations
            for neighbour in neighbours
        )

    def _organisation_names(self, tokens: Tokens, person_starts: set[int], vocabulary: frozenset[str]) -> list[Mention]:
        """Names made organisations by a word in them: ``gemeente Best``, ``Maasstad Ziekenhuis``, ``Stichting …``.

        A name ends where a person's name starts: ``het Nederlands Filmmuseum Anna Jansen`` names the museum.
        ``vocabulary``: the text's words.
        """
        mentions: list[Mention] = []
        words, capitalised = tokens.words, tokens.capitalised
        # The head words in lower case are few and never capitalised: merged into the capitalised words' order.
        heads = word_positions(tokens, self._lower_case_heads & vocabulary)
        openings = sorted(capitalised + heads) if heads else capitalised
        marked = self._marked_words(tokens, openings)
        if not marked:
            return mentions
        resume, next_mark = 0, 0
        for index in openings:
            if index < resume:
                continue
            while marked[next_mark] < index:
                next_mark += 1
                if next_mark == len(marked):
                    return mentions  # no organisation word left to name one
            barrier = self._last_barrier(words, index, marked[next_mark], tokens.line_stop[index])
            if barrier is not None:
                resume = barrier + 1  # every name from here on ends before its organisation word
                continue
            end, mention = self._organisation_at(tokens, index, person_starts)
            if mention is not None:
                mentions.append(mention)
            resume = max(end, index + 1)
        return mentions

    def _marked_words(self, tokens: Tokens, openings: list[int]) -> list[int]:
        """The words that can make a name an organisation's, in order: organisation words and ``stad``.

        A name holds one or is none (see ``_organisation_at``); a name opens
        with a capital or a head word, so the rest of the words need no look.
        """
        words, is_marked = tokens.words, self._is_marked
        return [index for index in openings if is_marked(words[index])]

    @staticmethod
    def _last_barrier(words: list[str], index: int, mark: int, stop: int) -> int | None:
        """The last word between ``index`` and ``mark`` that ends every name (see ``_name_end``), or ``None``.

        A name from ``index`` that cannot reach ``mark``, the next organisation
        word, holds none: it is no organisation's, and nor is any name that
        starts before that word. The line's end is such a barrier too.
        """
        if mark >= stop:
            return stop - 1
        for position in range(mark - 1, index, -1):
            word = words[position]
            if not word[:1].isupper() and word not in _NAME_CONTINUATIONS:
                return position
        return None

    def _organisation_at(self, tokens: Tokens, index: int, person_starts: set[int]) -> tuple[int, Mention | None]:
        """The organisation whose name starts at or just after token ``index``, and where to look next.

        Token ``index`` is capitalised or an organisation word that heads a name (``gemeente``).
        """
        words = tokens.words
        spec = self.glossary.organisation_words.get(words[index])
        if words[index] in _CITY_GOVERNMENT_WORDS:
            spec = _CITY_GOVERNMENT
        if tokens.is_compound_tail(index):
            return index + 1, None
        if words[index] == "stichting" and tokens.word(index + 1, index) == "van":
            return index + 1, None  # "sinds de stichting van de partij": its founding, no foundation
        if spec is not None and spec.head and spec.place:
            return self._administration_at(tokens, index)
        end = self._name_end(tokens, index, lists=spec is not None and spec.lists)
        if end > index + 1:
            # a person's name right after a heading word is the body's: "Stichting Anne Frank", "Circus Herman Renz"
            heads = self._head_words
            cuts = (
                start for start in range(index + 1, end) if start in person_starts and words[start - 1] not in heads
            )
            end = next(cuts, end)
        first = index
        while first < end and (
            words[first] in _NAME_LINKS
            or (
                first in tokens.sentence_initial
                and words[first].lower() in _STOP_WORDS
                and words[first] not in self.glossary.organisation_words
            )
        ):
            first += 1
        if end - first > 2 and words[first] in self.gazetteer.country_adjectives:
            first += 1  # "het Britse Institute of Leadership": a body abroad, described by its country
        if end - first < 2:
            return end, None
        marked = [i for i in range(first, end) if self.glossary.is_organisation_word(words[i])]
        if not marked:
            return end, None
        head = self.glossary.organisation_words.get(words[first])
        if head is None or not head.head:
            rest = range(first + 1, end)
            if " ".join(words[first + 1 : end]) in self.glossary.organisations:
                return end, None  # "Vakbond FNV": a word for what the known organisation is, then its name
            if first in tokens.sentence_initial and not any(self.glossary.is_organisation_word(words[i]) for i in rest):
                return end, None  # "Marktonderzoeksbureau Ipsos meldt": a description, then a name
        links = [i for i in range(first, marked[0]) if words[i] in _NAME_LINKS]
        if links:
            # "Jansen van het Instituut voor ...", "Are Holm van het Universitair Ziekenhuis": the name starts
            # after the last link before its organisation word
            first = links[-1] + 1
            if end - first < 2:
                return end, None
        return end, self._named_organisation(tokens, first, end)

    def _name_end(self, tokens: Tokens, index: int, lists: bool) -> int:
        """The end of the capitalised name from ``index``: joined by links, hyphens and, once known, ``en``."""
        words = tokens.words
        organisation_words = self.glossary.organisation_words
        stop = tokens.line_stop[index]
        seen = words[index] in organisation_words
        starts_with_head = seen and organisation_words[words[index]].head
        last = index
        position = index + 1
        while position < stop:
            word = words[position]
            following = words[position + 1] if position + 1 < stop else ""
            if is_capitalised(word):
                seen = seen or word in organisation_words
                last = position
                position += 1
            elif word == "-" and tokens.is_compound_tail(position + 1) and is_capitalised(following):
                position += 1
            elif (
                word == "-"
                and following in _ELIDED_COMPOUND_JOINS
                and position + 2 < stop
                and is_capitalised(words[position + 2])
            ):
                position += 2  # "Natuur- en Bosonderzoek": a compound's shared tail left out before "en"
            elif word in _NAME_LINKS or self._is_english_link(tokens, position):
                after = position + 1
                while after < stop and after - position < 2 and words[after] in _NAME_LINKS:
                    after += 1
                if after >= stop or not is_capitalised(words[after]):
                    break
                if not starts_with_head and self.glossary.organisations.match(words, after, stop):
                    break  # "Raad van Bestuur van Philips": the board, then the company it belongs to
                position = after
            elif (
                (word in _NAME_JOINS or (lists and word == ","))
                and (seen or word == "&")
                and not self._ends_a_name(words[position - 1])
                and is_capitalised(following)
                and not self.glossary.is_organisation_word(following)
                and self.glossary.organisations.match(words, position + 1, stop) is None
            ):
                position += 1
            else:
                break
        return last + 1

    def _ends_a_name(self, word: str) -> bool:
        """An organisation word that ends a name, as ``Holding`` and ``Milieufederatie`` do (``Stichting`` opens one).

        After it ``en`` joins another body: ``Jansen Holding en Bakkerij Smit``.
        """
        spec = self.glossary.organisation_words.get(word)
        return (spec is None or not spec.head) and self.glossary.is_organisation_word(word)

    def _is_english_link(self, tokens: Tokens, position: int) -> bool:
        """``of`` in ``Great Council of Chiefs``, not in ``Stichting Gent of Vereniging Brugge`` (Dutch ``or``).

        An English link joins two capitalised words; what follows it opens no
        other body and is no place.
        """
        words = tokens.words
        if words[position] not in _ENGLISH_LINKS or not is_capitalised(words[position - 1]):
            return False
        following = tokens.word(position + 1, position)
        return (
            following is not None
            and following not in self.glossary.organisation_words
            and following not in self.gazetteer.places
        )

    def _administration_at(self, tokens: Tokens, index: int) -> tuple[int, Mention | None]:
        """``gemeente Utrecht``, ``provincie Noord-Brabant``: the body named by its place."""
        words = tokens.words
        head = words[index][:1].upper() + words[index][1:]
        spec = self.glossary.organisation_words.get(head, _CITY_GOVERNMENT)
        rest, stop = index + 1, tokens.line_stop[index]
        if rest >= stop:
            return index + 1, None
        if not is_capitalised(words[rest]) and self.gazetteer.places.match(words, rest, stop) is None:
            return index + 1, None  # a place may open with a clitic: "gemeente 's-Hertogenbosch"
        if head in ("Provincie", "Stad") and _is_locative(tokens, index):
            return index + 1, None  # "schade uit de provincie Flevoland": the region (a LOCATION), not its government
        if self.gazetteer.country_adjectives.get(tokens.word(index - 1, index) or ""):
            return index + 1, None  # "de Italiaanse gemeente Vado Ligure": a town abroad, described
        if head == "Stad" and article_country(tokens.doc, tokens, self.gazetteer) != "BE":
            return index + 1, None  # "de stad Antwerpen" governs in Flemish usage; Dutch news says "gemeente"
        place = self.gazetteer.places.match(words, rest, stop)
        province = self._province_at(tokens, rest, stop)
        if province is None and (
            (place is None and self.gazetteer.villages.match(words, rest, stop))
            or (place is not None and place[1].country not in ("NL", "BE"))
        ):
            return index + 1, None  # "in de gemeente Vado Ligure, in Italië": a town abroad, not a body of ours
        if province is not None and (head == "Provincie" or place is None or province[0] > place[0]):
            end, name, english = province[0], province[1].canonical, province[1].english
        elif place is not None:
            end, name, english = place[0], place[1].canonical, place[1].english
        else:
            end = rest + 1
            while tokens.is_compound_head(end) and end + 1 < stop and is_capitalised(words[end + 1]):
                end += 2
            name = english = tokens.text[tokens.starts[rest] : tokens.ends[end - 1]]
        surface = tokens.text[tokens.starts[rest] : tokens.ends[end - 1]]
        known = self.glossary.organisations.get(name_key(f"{head} {surface}"))
        canonical = known.canonical if known else f"{head} {name}"
        english_name = known.english if known else (spec.english or "{}").format(english)
        start_char, end_char = tokens.starts[index], tokens.ends[end - 1]
        return end, Mention(start_char, end_char, "ORG", canonical, english_name, "pattern")

    def _area(self, name: str) -> Place | Province | Location | None:
        """The place, province or Dutch or Belgian region of that name: ``Utrecht``, ``West-Vlaanderen``, ``Twente``."""
        key = name_key(name)
        found = self.gazetteer.places.get(key) or self.gazetteer.provinces.get(key)
        if found is not None:
            return found
        areas = [
            location
            for location in self.gazetteer.locations.get(key) or ()
            if location.kind in ("province", "region") and location.country in ("NL", "BE")
        ]
        return areas[0] if areas else None

    def _province_at(self, tokens: Tokens, start: int, stop: int) -> tuple[int, Province] | None:
        """The Dutch or Belgian province named at token ``start``: ``Noord-Holland``, ``Oost-Vlaanderen``.

        The Belgian ones are locations only, and the one of the article's
        country stands for a name both countries use (``Limburg``).
        """
        words = tokens.words
        found = self.gazetteer.provinces.match(words, start, stop)
        location = self.gazetteer.locations.match(words, start, stop)
        if location is None or (found is not None and found[0] >= location[0]):
            return found
        provinces = [entry for entry in location[1] if entry.kind == "province" and entry.country in ("NL", "BE")]
        if not provinces:
            return found
        country = article_country(tokens.doc, tokens, self.gazetteer)
        chosen = next((entry for entry in provinces if entry.country == country), provinces[0])
        return location[0], Province(chosen.canonical, chosen.english)

    def _named_organisation(self, tokens: Tokens, first: int, end: int) -> Mention:
        """The canonical and English names of an organisation found by its name's shape."""
        words = tokens.words
        if words[first].lower() == "ministerie" and first + 2 < end and words[first + 1] == "van":
            return self._ministry(tokens, first, end)
        surface = tokens.text[tokens.starts[first] : tokens.ends[end - 1]]
        canonical = surface[:1].upper() + surface[1:]
        known: Organisation | None = self.glossary.organisations.get(name_key(canonical))
        english = canonical
        spec = self.glossary.organisation_words.get(words[first])
        if known is None and spec is not None and spec.head:
            rest_index = first + 2 if first + 2 < end and words[first + 1] == "van" else first + 1
            rest = tokens.text[tokens.starts[rest_index] : tokens.ends[end - 1]]
            named = self.glossary.organisations.get(name_key(rest))
            if named is not None and named.canonical.startswith(canonical.split()[0]):
                known = named  # "ministerie van VWS"
            elif spec.english:
                place = self._area(rest)
                if place is not None or _NAME_LINKS.isdisjoint(words[rest_index:end]):
                    # a place or a proper name: "Hogeschool Leiden", not "Hogeschool voor de Kunsten Utrecht"
                    english = spec.english.format(place.english if place else rest)
        if known is None and english == canonical:
            known, english = self._unit_named_in_full(canonical)
        if known is not None:
            canonical, english = known.canonical, known.english
        elif english == canonical:
            english = english_name(words[first:end], self._place_english, self._country_names) or canonical
        return Mention(tokens.starts[first], tokens.ends[end - 1], "ORG", canonical, english, "pattern")

    def _unit_named_in_full(self, canonical: str) -> tuple[Organisation | None, str]:
        """``Openbaar Ministerie Limburg``: a unit of an area written out, as the unit's pattern names it.

        The known body of its short name (``OM Amsterdam``) if there is one, else the
        unit's English name for its area; ``canonical`` where the rest names no area.
        """
        for head, (dutch, english) in _UNITS.items():
            area = canonical.removeprefix(dutch.removesuffix("{}"))
            if area == canonical or head[:1].islower():
                continue
            known = self.glossary.organisations.get(name_key(f"{head} {area}"))
            if known is not None:
                return known, known.english
            place = self._area(area)
            if place is not None:
                return None, english.format(place.english)
        return None, canonical

    def _ministry(self, tokens: Tokens, first: int, end: int) -> Mention:
        """``ministerie van Justitie``: the ministry of the article's country that holds the portfolio named.

        News names a ministry by the first of its portfolios (``Onderwijs`` for
        Onderwijs, Cultuur en Wetenschap), and Belgian news a federal public
        service so too (``ministerie van Financiën``). A country's adjective
        before it names that country's ministry (``het Amerikaanse ministerie van
        Defensie``): one of another country is never ours, and keeps its Dutch name.
        """
        surface = tokens.text[tokens.starts[first] : tokens.ends[end - 1]]
        canonical = surface[:1].upper() + surface[1:]
        adjective = tokens.word(first - 1, first) or ""
        country = self._adjective_country(tokens, first) or article_country(tokens.doc, tokens, self.gazetteer)
        bodies = self._ministries.get(name_key(tokens.text[tokens.starts[first + 2] : tokens.ends[end - 1]]), ())
        ministry = _of_country(bodies, country) if country is None else _of_country_only(bodies, country)
        if ministry is None or adjective in _REGIONAL_ADJECTIVES:
            english = canonical
            if country in (None, "NL", "BE"):  # one abroad has a name of its own, which ours in English is not
                named = [adjective] if adjective in _REGIONAL_ADJECTIVES else []
                english = english_name([*named, *tokens.words[first:end]], self._place_english) or canonical
            return Mention(tokens.starts[first], tokens.ends[end - 1], "ORG", canonical, english, "pattern")
        return Mention(
            tokens.starts[first],
            tokens.ends[end - 1],
            "ORG",
            ministry.canonical,
            ministry.english,
            "pattern",
            ministry.facts(),
        )

    def _place_english(self, words: Sequence[str], start: int, stop: int) -> tuple[int, str] | None:
        """The longest city, province, region or country at ``words[start]``, with its English name."""
        found = [
            (end, value.english)
            for index in (self.gazetteer.places, self.gazetteer.provinces, self.gazetteer.countries)
            if (match := index.match(words, start, stop)) is not None
            for end, value in (match,)
        ]
        location = self.gazetteer.locations.match(words, start, stop)
        if location is not None and location[1]:
            found.append((location[0], location[1][0].english))
        return max(found, key=lambda item: item[0], default=None)

    def _acronyms(self, tokens: Tokens, organisations: list[Mention]) -> list[Mention]:
        """All-caps words that the glossary does not know, taken for organisations only with support.

        Support is the organisation it abbreviates elsewhere in the text
        (``Autoriteit Persoonsgegevens`` ... ``de AP``), or a cue before it
        (``de NVM``, ``vakbond FNV``, ``(KIT)``), or starting a sentence that
        goes on in lower case. Numerals, laws and shouting never count.
        """
        expansions: dict[str, Mention] | None = None  # worked out for the first word that gets that far
        mentions = []
        for index in tokens.all_caps:
            word = tokens.words[index]
            if not is_acronym(word) or word in self.glossary.organisations:
                continue
            if word in self.glossary.not_organisations or word.lower() in _STOP_WORDS:
                continue
            if word in self.gazetteer.countries:
                continue
            if _ROMAN_NUMERAL.fullmatch(word) or tokens.is_compound_tail(index):
                continue
            if tokens.word(index + 1, index) == "'" and tokens.glued(index, index + 1):
                continue  # ZZP'er, KLM'ers: a word derived from the acronym
            previous = tokens.word(index - 1, index)
            if len(word) == 2 and previous is not None and len(previous) == 4 and previous.isdigit():
                continue  # the letters of a postcode: 2023 AB
            following = tokens.word(index + 1, index)
            if any(neighbour is not None and is_acronym(neighbour) for neighbour in (previous, following)):
                continue  # a headline in capitals, not an acronym
            if self._is_code(tokens, index, following):
                continue
            start, end = tokens.starts[index], tokens.ends[index]
            if expansions is None:
                expansions = _by_initials(tokens.text, organisations)
            expansion = expansions.get(word)
            if expansion is not None:
                mentions.append(Mention(start, end, "ORG", expansion.canonical, expansion.english, "acronym"))
            elif self._supports_acronym(tokens, index, previous, following):
                mentions.append(Mention(start, end, "ORG", word, word, "acronym"))
        return mentions

    @staticmethod
    def _is_code(tokens: Tokens, index: int, following: str | None) -> bool:
        """``de WR-6``, ``NH-90``, ``de ETS 2``, ``de MATCH Act``: a registration, model or scheme, or a law.

        Capitals with a number joined to them or right after them name a
        ship, an aircraft type or a version of a scheme, not a body; but a
        paper cited by its date in brackets is one (``(DM 26/7/2000)``).
        """
        if tokens.is_compound_head(index + 1):
            return (tokens.word(index + 2, index) or "").isdigit()
        if following is not None and following.isdigit():
            return tokens.word(index - 1, index) != "("
        return following in _LAW_WORDS

    def _supports_acronym(self, tokens: Tokens, index: int, previous: str | None, following: str | None) -> bool:
        if previous is not None and previous.lower() in self.glossary.acronym_cues:
            return True
        if previous == "(" and following == ")":
            return True  # "Koninklijk Instituut voor de Tropen (KIT)"
        return index in tokens.sentence_initial and following is not None and following.islower()

    def _names_before_their_acronym(self, doc: Doc, tokens: Tokens, found: list[Mention]) -> list[Mention]:
        """``Inter-Environnement Bruxelles (IEB)``: a name whose initials are the acronym in brackets after it.

        A body introduces its acronym so, a person does not (a name opening with a
        first name is left to the persons component). The name is the body's even
        where it looked like a person's (``Dat zegt Inter-Environnement Bruxelles (IEB)``):
        such a candidate is dropped.
        """
        words = tokens.words
        named = []
        for match in _BRACKETED_ACRONYM.finditer(tokens.text):
            index = tokens.index_at.get(match.start())
            if index is None or tokens.word(index + 2, index) != ")":
                continue
            start = _expansion_start(tokens, index, match.group(1))
            if start is None or words[start] in self.first_names:
                continue
            first, last = tokens.starts[start], tokens.ends[index - 1]
            if any(m.start < last and first < m.end for m in found):
                continue
            surface = tokens.surface(start, index)
            known = self.glossary.organisations.get(name_key(surface))
            canonical, english = (known.canonical, known.english) if known else (surface, surface)
            named.append(Mention(first, last, "ORG", canonical, english, "pattern"))
        if named:
            candidates = mentions(doc)
            candidates[:] = [
                m
                for m in candidates
                if m.label != "PERSON" or not any(n.start < m.end and m.start < n.end for n in named)
            ]
        return named

    def _described_names(self, tokens: Tokens, vocabulary: frozenset[str]) -> list[Mention]:
        """The name after a word for what it names: ``advocatenkantoor DLA Piper``, ``restaurant Vapiano``.

        The word may be a compound (``computerwinkel``, ``Transportbedrijf``
        opening a headline); the name is the capitalised words after it, with
        ``&`` and single capitals (``Easy M``), never a place or a country alone.
        A plural names each of the list after it (``de vakbonden ACV en ABVV``).
        ``vocabulary``: the text's words.
        """
        words, lower = tokens.words, tokens.lower
        found: list[Mention] = []
        last = len(words) - 1
        # A word in lower case is one of the text's words that end so; any other counts only opening a sentence.
        initial = (index for index in tokens.sentence_initial if lower[index].endswith(_ANY_DESCRIPTOR))
        for index in sorted({*word_positions(tokens, self._descriptors.among(vocabulary)), *initial}):
            word = words[index]
            if index == last or not (word.islower() or index in tokens.sentence_initial):
                continue
            listing = lower[index].endswith(_LISTING_DESCRIPTORS)
            first, stop = index + 1, tokens.line_stop[index]
            if listing and words[first] in (",", ":") and first < last:
                first += 1
            while first < stop:
                end = _described_name_end(tokens, first)
                if end == first or tokens.is_compound_tail(first):
                    break
                key = " ".join(words[first:end])
                if key in self.gazetteer.places or key in self.gazetteer.countries or key.lower() in _STOP_WORDS:
                    break
                known = self.glossary.organisations.get(key)
                surface = tokens.surface(first, end)
                canonical, english = (known.canonical, known.english) if known else (surface, surface)
                found.append(Mention(tokens.starts[first], tokens.ends[end - 1], "ORG", canonical, english, "pattern"))
                if not (listing and end < last and words[end] in _LIST_JOINS):
                    break
                first = end + 1
        return found

    def _nationality_named(self, tokens: Tokens, vocabulary: frozenset[str]) -> list[Mention]:
        """``het Amerikaanse Colt``, ``het Deense Memory Card``: a body that news introduces by its country.

        A town is ``het`` too, but where a place stands: after ``in``, ``uit``,
        ``naar`` (``in het Zwitserse Ennetbaden``). A known place, a country, a
        first name or a word of the language is no body's name. ``vocabulary``: the text's words.
        """
        words = tokens.words
        found: list[Mention] = []
        if self._nationalities.isdisjoint(vocabulary):
            return found  # no adjective of a country: the many ``het`` of a text need no look
        for index in word_positions(tokens, _HET_SPELLINGS & vocabulary):
            adjective = index + 1
            if adjective + 1 >= len(words) or tokens.line_stop[index] <= adjective + 1:
                continue
            if words[adjective] not in _HOME_ADJECTIVES and words[adjective] not in self.gazetteer.country_adjectives:
                continue
            if index and tokens.lower[index - 1] in _PLACE_PREPOSITIONS:
                continue
            first = adjective + 1
            end = _described_name_end(tokens, first)
            if end == first or tokens.is_compound_tail(first) or words[first] in self.first_names:
                continue
            if _name_goes_on(tokens, end):
                continue  # "het Britse Institute of Leadership": the rules for names of several words shape it
            key = " ".join(words[first:end])
            gazetteer = self.gazetteer
            if key in gazetteer.places or key in gazetteer.countries or key in gazetteer.provinces:
                continue
            if key in gazetteer.locations or key.lower() in _STOP_WORDS:
                continue
            known = self.glossary.organisations.get(key)
            surface = tokens.surface(first, end)
            canonical, english = (known.canonical, known.english) if known else (surface, surface)
            found.append(Mention(tokens.starts[first], tokens.ends[end - 1], "ORG", canonical, english, "pattern"))
        return found

    def _domain_names(self, tokens: Tokens) -> list[Mention]:
        """``Immoweb.be``, ``Booking.com``: a website or platform named by its domain, a body the reader knows so.

        A domain inside an address (``www.``, ``https://``, ``info@``) is a link, no name.
        """
        if _DOMAIN_ENDING.search(tokens.text) is None:
            return []  # a search for the dot runs at memory speed, the name's pattern tries every capital
        found = []
        for match in _DOMAIN_NAME.finditer(tokens.text):
            known = self.glossary.organisations.get(name_key(match.group()))
            canonical, english = (known.canonical, known.english) if known else (match.group(), match.group())
            found.append(Mention(match.start(), match.end(), "ORG", canonical, english, "pattern"))
        return found

    def _legal_form_names(self, tokens: Tokens, vocabulary: frozenset[str], person_ends: set[int]) -> list[Mention]:
        """Company names ending in a legal form: ``Bakkerij Jansen B.V.``, ``Heijmans N.V.``, ``Jansen Holding``.

        A person's name and ``van`` before it are the company's man, not its name (``Jan Smit van de Smit Groep``):
        ``person_ends`` are where the text's persons end. ``vocabulary``: the text's words.
        """
        mentions: list[Mention] = []
        if _LEGAL_FORM_WORDS.isdisjoint(vocabulary):
            return mentions  # one look-up per word costs less than the pattern's scan of every capital
        for match in _LEGAL_FORM.finditer(tokens.text):
            form_index = tokens.index_at.get(match.start())
            if form_index is None:
                continue
            first = form_index
            while form_index - first < 6:
                word = tokens.word(first - 1, form_index)
                if word is None or not (word[:1].isupper() or word in _NAME_CONNECTORS):
                    break
                first -= 1
            first = next(
                (i + 1 for i in range(form_index - 1, first - 1, -1) if _is_persons_van(tokens, i, person_ends)), first
            )
            while first < form_index and (
                tokens.words[first] in _NAME_CONNECTORS
                or (first in tokens.sentence_initial and tokens.words[first].lower() in _STOP_WORDS)
            ):
                first += 1
            if first == form_index:
                continue
            core = tokens.text[tokens.starts[first] : tokens.ends[form_index - 1]]
            known = self.glossary.organisations.get(name_key(core))
            if known is not None:
                canonical, english = known.canonical, known.english
            else:
                form = re.sub(r"\s", "", match.group())
                canonical = f"{core} {_LEGAL_FORM_SPELLING.get(form, form)}"
                english = canonical
            mentions.append(Mention(tokens.starts[first], match.end(), "ORG", canonical, english, "legal_form"))
        return mentions


class _EndingWords:
    """Which of a text's distinct words end in one of ``endings``: each word judged once, and the rest done in C.

    The same words come back in every text: a word first seen is judged, and
    the ones that end so are kept apart, so that a text's are those among its
    distinct words. At most ``CACHED_VERDICTS`` words are kept, then they start afresh.
    """

    def __init__(self, endings: tuple[str, ...]) -> None:
        self._endings = endings
        self._judged: set[str] = set()
        self._ending: set[str] = set()

    def among(self, words: frozenset[str]) -> set[str]:
        """The ``words`` that end in one of the endings."""
        new = words.difference(self._judged)
        if len(self._judged) + len(new) > CACHED_VERDICTS:
            self._judged.clear()
            self._ending.clear()
            new = words
        if new:
            self._judged.update(new)
            self._ending.update(word for word in new if word.endswith(self._endings))
        return self._ending.intersection(words)


def _is_persons_van(tokens: Tokens, index: int, person_ends: set[int]) -> bool:
    """Token ``index`` is a ``van`` right after a person's name: ``Jan Smit van de Smit Groep``."""
    return tokens.words[index] == "van" and index > 0 and tokens.ends[index - 1] in person_ends


def _name_goes_on(tokens: Tokens, end: int) -> bool:
    """Whether a link and a capitalised word follow ``end``, or a hyphen: ``Search and Rescue``, ``Rescue-team``."""
    following, after = tokens.word(end, end - 1), tokens.word(end + 1, end)
    if following == "-" and tokens.glued(end - 1, end):
        return True
    return following in _ACRONYM_LINKS and after is not None and after[:1].isupper()


def _of_country(bodies: tuple[Organisation, ...], country: str | None) -> Organisation | None:
    """The body of the article's country among those of one name (``Raad van State``), else the first."""
    return next((body for body in bodies if body.country == country), bodies[0] if bodies else None)


def _of_country_only(bodies: tuple[Organisation, ...], country: str) -> Organisation | None:
    """The one body of ``country`` among ``bodies``, if there is exactly one."""
    found = [body for body in bodies if body.country == country]
    return found[0] if len(found) == 1 else None


def _ministries_by_portfolio(glossary: Glossary) -> dict[str, tuple[Organisation, ...]]:
    """Each ministry under its portfolio's names: in full, by its aliases, and by the first portfolio it lists.

    ``Justitie en Veiligheid``, ``Binnenlandse Zaken`` (an alias) and
    ``Onderwijs`` (of Onderwijs, Cultuur en Wetenschap) each name one ministry
    of a country. A name stands for one ministry per country: a full name or an
    alias before a first portfolio, and the ministry listed first before a later
    one, as the knowledge base lists today's ministries before those of earlier
    cabinets (``Infrastructuur`` is Infrastructuur en Waterstaat, not
    Infrastructuur en Milieu).
    """
    found: dict[str, list[Organisation]] = {}

    def add(name: str, body: Organisation) -> None:
        listed = found.setdefault(name_key(portfolio_of(name) or name), [])
        if all(other.country != body.country for other in listed):
            listed.append(body)

    ministries = [(body, portfolio) for body in glossary.entries if (portfolio := portfolio_of(body.canonical))]
    for body, portfolio in ministries:
        for name in (portfolio, *body.aliases, *body.ambiguous_aliases):
            add(name, body)
    for body, portfolio in ministries:
        add(portfolio_parts(portfolio)[0], body)
    # A government body named by a portfolio alone is that portfolio's ministry of its country: Belgian
    # news names the federal defence department ``Defensie``, as Dutch news names its ministry.
    for body in glossary.entries:
        if body.type != "government" or portfolio_of(body.canonical) is not None:
            continue
        for name in (body.canonical, *body.aliases, *body.ambiguous_aliases):
            if name_key(name) in found:
                add(name, body)
    return {key: tuple(bodies) for key, bodies in found.items()}


def _as_defined(found: list[Mention], defined: list[Mention], text: str) -> list[Mention]:
    """The known names found, each acronym as the text defines it: ``SLB`` after ``Stad en Land Bouw (SLB)``."""
    by_initials = {_initials(text[m.start : m.end]): m for m in defined}
    named = []
    for mention in found:
        body = by_initials.get(text[mention.start : mention.end])
        if body is not None and mention.source in ("glossary", "ambiguous"):
            mention = replace(mention, canonical=body.canonical, english=body.english, extra={})
        named.append(mention)
    return named


def _by_initials(text: str, organisations: list[Mention]) -> dict[str, Mention]:
    """The organisations by their initials, of two letters or more: the first of each.

    A name that opens with capitals hyphenated to its place (``VVV-Venlo``)
    goes by those capitals too: ``VVV`` after ``VVV-Venlo`` is the club.
    """
    expansions: dict[str, Mention] = {}
    for organisation in organisations:
        surface = text[organisation.start : organisation.end]
        initials = _initials(surface)
        if len(initials) >= 2:
            expansions.setdefault(initials, organisation)
        head = _CAPITALS_HEAD.match(surface)
        if head is not None:
            expansions.setdefault(head.group(1), organisation)
    return expansions


def _one_spelling(found: list[Mention]) -> list[Mention]:
    """``het Nederlandse Filmmuseum`` after ``het Nederlands Filmmuseum``: one body, named as first in the text.

    An adjective in a name is inflected or not as the sentence goes; the names
    that differ only in that name one organisation.
    """
    first: dict[str, Mention] = {}
    named = []
    for mention in found:
        key = " ".join(word.lower().removesuffix("e") for word in mention.canonical.split())
        spelling = first.setdefault(key, mention)
        named.append(
            mention if spelling is mention else replace(mention, canonical=spelling.canonical, english=spelling.english)
        )
    return named


def _kinds_at_the_ends(candidates: list[tuple[int, int, bool, Organisation]]) -> dict[tuple[int, str], str]:
    """The type of each plain knowledge-base name, by its first word (``"first"``) and by its last (``"last"``)."""
    kinds: dict[tuple[int, str], str] = {}
    for start, end, ambiguous, found in candidates:
        if not ambiguous:
            kinds[start, "first"] = kinds[end - 1, "last"] = found.type
    return kinds


def _is_listed_with_its_kind(
    tokens: Tokens, start: int, end: int, kind: str, kinds: dict[tuple[int, str], str]
) -> bool:
    """``N-VA, Vooruit en cd&v``, ``Groen en PVDA``: an ambiguous name listed next to a known body of its type.

    A list names bodies of one kind, so a party among parties is the party
    (``Vooruit``, ``Groen``, ``PS``) and a club among clubs the club, even opening a sentence.
    """
    before, after = tokens.word(start - 1, start), tokens.word(end, end - 1)
    return (before in _LIST_JOINS and kinds.get((start - 2, "last")) == kind) or (
        after in _LIST_JOINS and kinds.get((end + 1, "first")) == kind
    )


def _youth_wing(tokens: Tokens, start: int, end: int, party: Organisation) -> Mention:
    """``Jong CD&V``, ``Jong VLD``: a party's youth organisation, named by the party's short name."""
    name = tokens.surface(start - 1, end)
    facts = {"type": "party", "country": party.country}
    return Mention(tokens.starts[start - 1], tokens.ends[end - 1], "ORG", name, name, "pattern", facts)


def _described_name_end(tokens: Tokens, first: int) -> int:
    """The end of the capitalised name from ``first``: at most four words, joined by ``&`` or a hyphen.

    ``De`` counts only inside one.
    """
    words, stop = tokens.words, tokens.line_stop[first]
    end = first
    while end < stop and end - first < 4:
        word = words[end]
        if word == "&" and end > first and end + 1 < stop and words[end + 1][:1].isupper():
            end += 1
            continue
        if (
            word == "-"
            and end > first
            and end + 1 < stop
            and words[end + 1][:1].isupper()
            and tokens.glued(end - 1, end)
            and tokens.glued(end, end + 1)
        ):
            end += 1  # "Inter-Environnement": the capitalised word after the hyphen goes on the name
            continue
        if not (word[:1].isupper() and word.replace("'", "").isalnum()) or word in _MONTHS:
            break
        end += 1
    if end > first and words[first] in ("De", "Het") and end == first + 1:
        return first
    return end


def _expansion_start(tokens: Tokens, bracket: int, acronym: str) -> int | None:
    """Where the name before token ``bracket`` starts whose capitalised words' initials spell ``acronym``.

    Lower-case links may join them (``Centrum voor Onderzoek in de Diergeneeskunde``),
    and a hyphen parts of one word (``Inter-Environnement``). A compound may
    give a letter of each of its parts (``Wiskundig Centrum (WKC)``,
    ``Technisch Informatieverwerkingscentrum (TIVC)``).
    """
    words = tokens.words
    left = acronym  # the letters still to spell, from the end
    position = bracket - 1
    while position >= 0 and tokens.line_stop[position] > bracket and left:
        word = words[position]
        if is_capitalised(word) and word.isalpha():
            spelled = _letters_spelled(word, left)
            if spelled == 0 or (spelled > 1 and left == acronym and spelled == len(acronym)):
                return None  # one word alone is no name with an acronym: "Vaughters (VS)"
            left = left[:-spelled]
            if not left:
                return position
        elif word != "-" and word not in _ACRONYM_LINKS:
            return None
        position -= 1
    return None


def _letters_spelled(word: str, acronym: str) -> int:
    """How many of the last letters of ``acronym`` ``word`` spells: its initial, then letters inside it in order.

    The fewest that do: ``Centrum`` spells the ``C`` of ``WKC``, ``Wiskundig`` the ``WK``; none, 0.
    """
    inside = word[1:].upper()
    for count in range(1, len(acronym) + 1):
        if acronym[-count] != word[0]:
            continue
        rest = iter(inside)
        if all(letter in rest for letter in acronym[len(acronym) - count + 1 :]):
            return count
    return 0


def _is_clock_time(tokens: Tokens, index: int) -> bool:
    """``20.55``, ``9:30``: an hour and minutes from token ``index``, on the same line."""
    hour, mark, minutes = (tokens.word(index + offset, index) for offset in range(3))
    return (
        hour is not None
        and minutes is not None
        and mark in (".", ":")
        and hour.isdigit()
        and int(hour) < 24
        and len(minutes) == 2
        and minutes.isdigit()
        and tokens.glued(index, index + 1)
        and tokens.glued(index + 1, index + 2)
    )


def _is_locative(tokens: Tokens, index: int) -> bool:
    """``in de provincie``, ``uit de provincie``: the words before token ``index`` place something there."""
    previous = tokens.word(index - 1, index)
    if previous is not None and previous.lower() == "de":
        previous = tokens.word(index - 2, index)
    return previous is not None and previous.lower() in _LOCATIVES


def _initials(name: str) -> str:
    """``Nederlandse Vereniging van Makelaars`` -> ``NVM``: the capitals that start its words."""
    return "".join(word[0] for word in name.replace("-", " ").split() if word[:1].isupper())
