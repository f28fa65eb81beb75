"""Entities: cities, countries, places, organisations, persons and years, with canonical and English names.

The stage is one spaCy ``nlp``: a trained pipeline when configured (else
spaCy's blank Dutch one), its tokenizer replaced by the gazetteers' own
(``tokens.RuleTokenizer``), and small registered components that each add
candidates, run in one ``nlp.pipe`` pass over a batch:

* ``nlnews_persons`` (``persons.py``): names by shape, first names, titles and speech cues;
* ``nlnews_organisations`` (``organisations.py``): the knowledge base and the open classes;
* ``nlnews_places`` (``places.py``): cities, countries, provinces and regions, by their context;
* ``nlnews_teams`` (``teams.py``): a town as its club, a country as its national team, in a match's words;
* ``nlnews_years`` (``years.py``): years in a date context;
* ``nlnews_merge`` (``merge.py``): the trained model's and a token classifier's spans
  merged with the rules, overlaps resolved once, longest first.

Everything needed ships with the package, so even the offline profile finds
what an English reader needs most. Decisions worth knowing:

* ``gemeente Utrecht``, ``FC Volendam``, ``Universiteit Utrecht`` are one
  organisation, not a city inside one (mentions never overlap).
* With a model, knowledge-base names win over the model's labels; a model's
  place becomes CITY, COUNTRY or LOCATION by the gazetteer, and its DATE gives YEARs.
* ``distinct_entities`` counts each (label, canonical) once, so ``Den Haag``
  and ``'s-Gravenhage`` are one entity with two surface forms.
* The article's country (a ``.be`` or ``.nl`` address, else its unambiguous
  places) chooses between places of one name: ``Bergen`` in a Flemish paper is Mons.
* The title is a doc of its own in the same ``nlp.pipe`` batch, with its
  article's country; ``title_entities`` hold offsets into ``title``. A name the
  body names too is read as the body reads it (found in the title even without
  the body's cue: the headline's ``Goes`` is the town of ``gemeenteraad van
  Goes``), and a title's place of several names is the one in the province of
  the body's places. ``distinct_entities`` counts the title's mentions too.
* The credit lines the clean stage took off (``credits``: ``© 2018 ANP``, ``Kris Hendrickx © bruzz.be``) are
  a doc of their own too, read as the title is: ``credit_entities`` hold offsets into ``credits``, and
  ``distinct_entities`` counts them, as a reader of the page counts its author and owner.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from pydantic import Field, model_validator

from pipeline.document import (
    ENTITY_COLUMNS,
    LABELS,
    UNDETERMINED,
    Entity,
    Label,
    RecordField,
    Result,
    distinct_entities,
)
from pipeline.errors import Fallback, ModelUnavailable
from pipeline.models import load_spacy
from pipeline.segment import ensure_sentences
from pipeline.stages.base import StageContext, StageSettings, ok, register_stage, skip
from pipeline.stages.entities import merge, organisations, persons, places, teams, years  # noqa: F401 - registers factories
from pipeline.stages.entities.aliases import link_aliases
from pipeline.stages.entities.gazetteer import Gazetteer, NameIndex, Organisation
from pipeline.stages.entities.merge import MODEL_LABELS
from pipeline.stages.entities.places import article_country, dateline_place
from pipeline.stages.entities.tokens import RuleTokenizer, Tokens
from pipeline.stages.entities.transformer import TokenClassifier, load_token_classifier

if TYPE_CHECKING:
    import spacy.language
    import spacy.tokens

__all__ = ["LABELS", "MODEL_LABELS", "EntitiesSettings", "EntitiesStage", "Label", "distinct_entities"]

#: Words that open a surname (``Van Dijk``), so a name that starts with one has no first name to leave out.
_PARTICLES = frozenset({"van", "de", "der", "den", "het", "te", "ten", "ter", "op", "in", "'t"})
#: The article's country from its address: the Flemish and Dutch papers' domains.
_COUNTRY_DOMAINS = {"be": "BE", "nl": "NL"}


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
        default_factory=lambda: ["nl", "af", "fy"],
        description=(
            "Documents detected as another language are skipped; an unknown language is processed. Afrikaans "
            "and Frisian are read too: a short Dutch headline full of names is often taken for one of them, "
            "and their names and places are the ones the Dutch rules know."
        ),
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
            "A Hugging Face token-classification (NER) model whose persons, places, organisations and MISC merge "
            "with the rules' (the rules keep canonical and English names): a hub id "
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
    year_min: int = Field(default=1000, description="The earliest four-digit number taken for a year.")
    year_max: int = Field(default=2099, description="The latest four-digit number taken for a year.")

    @model_validator(mode="after")
    def _years_in_order(self) -> EntitiesSettings:
        if self.year_min > self.year_max:
            raise ValueError(f"year_min ({self.year_min}) is after year_max ({self.year_max})")
        return self


@register_stage("entities")
class EntitiesStage:
    """Set ``entities`` (sorted, non-overlapping, offsets into ``text``), ``title_entities`` and ``distinct_entities``.

    ``title_entities`` are the title's, with offsets into ``title``: an empty
    list for a title that names none, ``None`` without a title.

    The rule tokenizer starts sentences where ``sentences`` does; a trained
    pipeline's parser may set others for its own use, never for the record.
    """

    Settings: ClassVar[type[EntitiesSettings]] = EntitiesSettings
    requires: ClassVar[tuple[str, ...]] = ("text", "url", "sentences")
    optional: ClassVar[tuple[str, ...]] = ("language", "title", "dateline", "credits")
    assigns: ClassVar[tuple[str, ...]] = (
        "entities",
        "title_entities",
        "dateline_entities",
        "credit_entities",
        "distinct_entities",
    )
    fields: ClassVar[tuple[RecordField, ...]] = (
        RecordField("title_entities", "list<struct>", ENTITY_COLUMNS),
        RecordField("dateline_entities", "list<struct>", ENTITY_COLUMNS),
        RecordField("credit_entities", "list<struct>", ENTITY_COLUMNS),
    )

    def __init__(
        self, settings: EntitiesSettings, context: StageContext, nlp: spacy.language.Language | None = None
    ) -> None:
        """Load the spaCy pipeline that ``settings.model`` names, or use ``nlp``, one already in memory.

        Either way the rule tokenizer and the rule components are added to the pipeline.
        """
        self.settings = settings
        if nlp is None:
            nlp, self.model_id = self._load_pipeline(settings.model, context)
        else:
            self.model_id = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}@{nlp.meta.get('version')}"
        self.nlp = _ready_for_rules(nlp)
        self._add_components(settings)
        self.token_classifier = self._load_classifier(settings, context)

    def _load_pipeline(self, model: str, context: StageContext) -> tuple[spacy.language.Language, str]:
        """The configured spaCy pipeline; a missing one is a ``Fallback`` to the blank Dutch pipeline."""
        try:
            nlp, model_id = _blank() if model == "blank" else load_spacy(self.name, model, context)
        except ModelUnavailable as error:
            raise Fallback(error, {"model": "blank"}, "rules only (blank Dutch pipeline)") from error
        return nlp, model_id

    def _add_components(self, settings: EntitiesSettings) -> None:
        """The rule components, then the merge, after the trained pipeline's own."""
        resources = {
            "resources_dir": str(settings.resources_dir) if settings.resources_dir is not None else None,
            "world_min_population": settings.world_min_population,
        }
        bounds = {"year_min": settings.year_min, "year_max": settings.year_max}
        self.nlp.add_pipe("nlnews_persons", config=resources)
        self.nlp.add_pipe("nlnews_organisations", config=resources)
        self.nlp.add_pipe(
            "nlnews_places", config={**resources, "foreign_context_population": settings.foreign_context_population}
        )
        self.nlp.add_pipe("nlnews_teams", config=resources)
        self.nlp.add_pipe("nlnews_years", config=bounds)
        self.nlp.add_pipe("nlnews_merge", config={**resources, **bounds, "labels": list(settings.labels)})

    def _load_classifier(self, settings: EntitiesSettings, context: StageContext) -> TokenClassifier | None:
        """The model of ``token_model``, or ``None``; a missing one is a ``Fallback`` to the rules alone."""
        try:
            classifier = load_token_classifier(settings, context)
        except ModelUnavailable as error:
            raise Fallback(error, {"token_model": None}, "rules without the token model") from error
        if classifier is not None:
            self.model_id = f"{self.model_id}+{classifier.model_id}"
        return classifier

    def __call__(self, docs: list[Result]) -> list[Result]:
        reasons = self._prepare(docs)
        todo = [doc for doc, reason in zip(docs, reasons) if reason is None]
        for doc, reason in zip(docs, reasons):
            if reason is not None:
                skip(doc, self.name, reason)
        bodies = [self._make_doc(doc) for doc in todo]
        for doc, spacy_doc in zip(todo, bodies):
            spacy_doc._.article_country = _article_country(doc.url)
        titled = [(doc, body) for doc, body in zip(todo, bodies) if doc.title and doc.title.strip()]
        credited = [(doc, body) for doc, body in zip(todo, bodies) if doc.credits and doc.credits.strip()]
        # A title and the credits read with the article's country: its address's, else its body's towns'.
        country = {id(body): self._country_of(body) for _, body in titled + credited}
        titles = [self._make_side_doc(doc.title, country[id(body)]) for doc, body in titled]
        credits = [self._make_side_doc(doc.credits, country[id(body)]) for doc, body in credited]
        if self.token_classifier is not None and bodies:
            texts = [doc.text for doc in todo] + [doc.title for doc, _ in titled]
            for spacy_doc, spans in zip(bodies + titles, self.token_classifier.predict(texts)):
                spacy_doc._.model_spans = spans
        sides = titles + credits
        parsed = list(self.nlp.pipe(bodies + sides, batch_size=max(len(bodies) + len(sides), 1)))
        parsed_titles = {id(doc): title for (doc, _), title in zip(titled, parsed[len(bodies) :])}
        parsed_credits = {id(doc): line for (doc, _), line in zip(credited, parsed[len(bodies) + len(titles) :])}
        for doc, spacy_doc in zip(todo, parsed):
            self._apply(doc, spacy_doc, parsed_titles.get(id(doc)), parsed_credits.get(id(doc)))
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

    def _make_doc(self, doc: Result) -> spacy.tokens.Doc:
        """The spaCy doc of ``doc.text``, tokenized with the document's ``sentences`` (never segmented again)."""
        if len(doc.text) > self.nlp.max_length:
            return self.nlp.make_doc(doc.text)  # spaCy's own error for a text its trained pipeline cannot take
        return self.nlp.tokenizer(doc.text, ensure_sentences(doc))

    def _make_side_doc(self, text: str, country: str | None) -> spacy.tokens.Doc:
        """The spaCy doc of a title or credits, with the article's ``country``."""
        side = self.nlp.tokenizer(text)
        side._.article_country = country
        return side

    def _country_of(self, body: spacy.tokens.Doc) -> str | None:
        """The article's country: its address's, else its body's towns'."""
        return body._.article_country or article_country(body, Tokens.of(body), self._gazetteer)

    @cached_property
    def _known(self) -> NameIndex[Organisation]:
        return self.nlp.get_pipe("nlnews_organisations").glossary.organisations

    @cached_property
    def _gazetteer(self) -> Gazetteer:
        return self.nlp.get_pipe("nlnews_places").gazetteer

    def _apply(
        self,
        doc: Result,
        parsed: spacy.tokens.Doc,
        title: spacy.tokens.Doc | None,
        credits: spacy.tokens.Doc | None,
    ) -> None:
        doc.entities = _entities(doc.text, parsed)
        doc.title_entities = None
        if title is not None:
            doc.title_entities = _read_as_body(doc.title, _entities(doc.title, title), doc.entities, self._gazetteer)
        doc.entities, doc.title_entities = link_aliases(
            doc.text, doc.entities, doc.title, doc.title_entities, self._known
        )
        doc.dateline_entities = self._dateline_entities(doc, parsed)
        doc.credit_entities = None
        if credits is not None:
            doc.credit_entities = _read_as_body(
                doc.credits, _entities(doc.credits, credits), doc.entities, self._gazetteer
            )
        doc.distinct_entities = distinct_entities(
            [*(doc.title_entities or ()), *(doc.dateline_entities or ()), *(doc.credit_entities or ()), *doc.entities]
        )
        ok(doc, self.name)

    def _dateline_entities(self, doc: Result, parsed: spacy.tokens.Doc) -> list[Entity] | None:
        """The place of the dateline the clean stage took off the text, placed as the body's places are.

        ``None`` without a dateline; an empty list for one that names no place (or no label asked for).
        """
        if not doc.dateline:
            return None
        country = article_country(parsed, Tokens.of(parsed), self._gazetteer)
        mention = dateline_place(doc.dateline, self._gazetteer, country)
        if mention is None or mention.label not in self.settings.labels:
            return []
        entity = Entity(doc.dateline, mention.label, 0, mention.end, mention.canonical, mention.english, mention.extra)
        provinces = Counter((e.extra.get("country"), e.extra.get("admin1")) for e in doc.entities if e.label == "CITY")
        return [_placed(entity, self._gazetteer, provinces)]


def _entities(text: str, parsed: spacy.tokens.Doc) -> list[Entity]:
    return [
        Entity(text[m.start : m.end], m.label, m.start, m.end, m.canonical, m.english, dict(m.extra))
        for m in parsed._.entities
    ]


def _read_as_body(title: str, found: list[Entity], body: list[Entity], gazetteer: Gazetteer) -> list[Entity]:
    """The title's entities read as the body reads them: its names the body's, its places in the body's province.

    A name the body names is the body's entity wherever it stands in the title,
    so a headline never reads a person or place otherwise than its article; a
    surname alone is the body's person of that surname (``Rutte`` is ``Mark Rutte``).
    """
    by_text = {}
    for entity in body:
        by_text.setdefault(entity.text, entity)
    by_surname = {}
    for entity in body:
        first, _, surname = entity.canonical.partition(" ")
        if entity.label == "PERSON" and surname and first.lower() not in _PARTICLES:
            by_surname.setdefault(surname[:1].upper() + surname[1:], entity)
    provinces = Counter((e.extra.get("country"), e.extra.get("admin1")) for e in body if e.label == "CITY")
    entities = []
    for entity in found:
        if entity.text in by_text:
            entities.append(_as(by_text[entity.text], entity.start))
        elif entity.text in by_surname:
            entities.append(_as(by_surname[entity.text], entity.start, entity.text))
        else:
            entities.append(_placed(entity, gazetteer, provinces))
    for name, entity in [*by_text.items(), *by_surname.items()]:
        if name not in title:
            continue  # most of the body's names: one substring test instead of a search word by word
        for start in _whole_word_starts(name, title):
            if not any(start < other.end and other.start < start + len(name) for other in entities):
                entities.append(_as(entity, start, name))
    return sorted(entities, key=lambda entity: entity.start)


def _whole_word_starts(name: str, text: str) -> Iterator[int]:
    """Where ``name`` stands in ``text`` as whole words, left to right, never overlapping.

    A plain search, not a regular expression: a pattern per body name would be
    compiled for every article, as the names differ from article to article.
    """
    start = text.find(name) if name else -1
    while start >= 0:
        end = start + len(name)
        if not _is_word_char(text, start - 1) and not _is_word_char(text, end):
            yield start
            start = text.find(name, end)
        else:
            start = text.find(name, start + 1)


def _is_word_char(text: str, index: int) -> bool:
    """Whether ``text[index]`` is a letter, digit or underscore (``\\w``); outside the text it is not."""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def _as(entity: Entity, start: int, text: str | None = None) -> Entity:
    """``entity`` mentioned at ``start`` of another text, as ``text`` (its own surface form by default)."""
    text = entity.text if text is None else text
    return Entity(text, entity.label, start, start + len(text), entity.canonical, entity.english, dict(entity.extra))


def _placed(entity: Entity, gazetteer: Gazetteer, provinces: Counter[tuple[Any, Any]]) -> Entity:
    """A title's city of several places of one name: the one in the province of most of the body's cities."""
    alternatives = gazetteer.alternatives.get(entity.text) if entity.label == "CITY" else None
    if not alternatives or not provinces:
        return entity
    current = (entity.extra.get("country"), entity.extra.get("admin1"))
    candidates = [place for place in (gazetteer.places.get(entity.text), *alternatives) if place is not None]
    best = max(candidates, key=lambda place: provinces[(place.country, place.admin1)])
    if provinces[(best.country, best.admin1)] <= provinces[current]:
        return entity
    return Entity(entity.text, "CITY", entity.start, entity.end, best.canonical, best.english, best.facts())


def _ready_for_rules(nlp: spacy.language.Language) -> spacy.language.Language:
    """The pipeline with the rule tokenizer (sentences from it unless the pipeline segments), unbounded if untrained."""
    trained = bool(nlp.pipe_names)
    segmented = any(nlp.has_pipe(name) for name in ("parser", "senter", "sentencizer"))
    if not isinstance(nlp.tokenizer, RuleTokenizer):
        nlp.tokenizer = RuleTokenizer(nlp.vocab, sentences=not segmented)
    if not trained:
        # Rules need no memory per character; a trained pipeline keeps spaCy's own limit.
        nlp.max_length = 10**8
    return nlp


def _blank() -> tuple[spacy.language.Language, str]:
    """spaCy's blank Dutch pipeline with the rule tokenizer from the start (its own takes a second to build)."""
    import spacy

    nlp = spacy.blank("nl", config={"nlp": {"tokenizer": {"@tokenizers": "nlnews_rule_tokenizer"}}})
    return nlp, f"blank:nl@spacy-{spacy.__version__}"


def _article_country(url: str | None) -> str | None:
    """``BE`` for a ``.be`` address, ``NL`` for a ``.nl`` one; otherwise the text decides."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return _COUNTRY_DOMAINS.get(host.rsplit(".", 1)[-1])
