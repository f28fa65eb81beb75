"""The records that flow through the pipeline.

``Article`` is what a user or a reader hands in; ``Result`` is the record the
stages fill in, one per article, and what every writer serialises. Keeping the
two apart means input validation happens once, at ``Article.from_dict``, and
stages can rely on well-formed fields.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from typing import Any, Literal

from pipeline.errors import InputError

#: The labels an entity may carry: the first four always, the others where a rule or model finds them.
Label = Literal["CITY", "COUNTRY", "ORG", "YEAR", "PERSON", "LOCATION", "DATE", "MISC"]
LABELS: tuple[Label, ...] = ("CITY", "COUNTRY", "ORG", "YEAR", "PERSON", "LOCATION", "DATE", "MISC")

#: ``language`` when none can be told (ISO 639-2 "undetermined").
UNDETERMINED = "und"


@dataclass(frozen=True)
class RecordField:
    """A key of the output record and the Parquet column it is written to.

    ``column`` is an Arrow type: ``string``, ``int64``, ``float64``, ``bool``,
    ``list<T>`` of one of these, ``map<string,string>``, or ``list<struct>``: a
    list of objects whose ``items`` keys get a column each, any other key going,
    as JSON, into an ``extra`` column (none when ``extra`` is false).
    """

    name: str
    column: str
    items: tuple[tuple[str, str], ...] = ()
    extra: bool = True


#: Entity keys with a Parquet column of their own; any other key (a place's ``population``) goes into ``extra``.
ENTITY_COLUMNS = (
    ("text", "string"),
    ("label", "string"),
    ("start", "int64"),
    ("end", "int64"),
    ("canonical", "string"),
    ("english", "string"),
    ("country", "string"),
    ("admin1", "string"),
    ("latitude", "float64"),
    ("longitude", "float64"),
    ("geonameid", "int64"),
)

#: The output record in the order DESIGN.md lists it, then the fields later capabilities added (each documented
#: on ``Result``). A stage that assigns a field not here declares it in its ``fields``; it is added after these.
FIELDS: dict[str, RecordField] = {
    record_field.name: record_field
    for record_field in (
        RecordField("id", "string"),
        RecordField("language", "string"),
        RecordField("language_score", "float64"),
        RecordField("title", "string"),
        RecordField("title_en", "string"),
        RecordField("text", "string"),
        RecordField("entities", "list<struct>", ENTITY_COLUMNS),
        RecordField("summary", "list<string>"),
        RecordField("summary_en", "list<string>"),
        RecordField("text_en", "string"),
        RecordField("status", "map<string,string>"),
        RecordField("models", "map<string,string>"),
        RecordField("url", "string"),
        RecordField("date", "string"),
        RecordField(
            "distinct_entities",
            "list<struct>",
            (("label", "string"), ("canonical", "string"), ("english", "string"), ("count", "int64")),
        ),
        RecordField("summary_index", "list<int64>"),
        RecordField(
            "paragraph_languages",
            "list<struct>",
            (("start", "int64"), ("end", "int64"), ("language", "string"), ("score", "float64")),
        ),
        RecordField("duplicate_of", "string"),
        RecordField("dateline", "string"),
        RecordField("credits", "string"),
        RecordField("removed", "list<struct>", (("kind", "string"), ("text", "string")), extra=False),
    )
}

#: Keys of the output record a written record must have, in the order DESIGN.md lists them.
RECORD_FIELDS = tuple(FIELDS)[:12]

#: Fields later capabilities add after the DESIGN.md record, each documented on ``Result``.
EXTENSION_FIELDS = tuple(FIELDS)[12:]

#: Record fields that come from the input (``Article``), present before any stage runs.
INPUT_FIELDS = ("id", "text", "title", "url", "date")

#: Record fields the pipeline and the runner write, not a stage: outcomes, model ids, the duplicate found.
RUN_FIELDS = ("status", "models", "duplicate_of")


def add_field(record_field: RecordField) -> None:
    """Add a field a stage declares to the record, after every field already there (``register_stage`` checks it)."""
    FIELDS.setdefault(record_field.name, record_field)


def stable_id(text: str) -> str:
    """A short id derived from the text, so re-running a dump gives the same ids."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class Entity:
    """A mention in ``Result.text``; ``start``/``end`` are character offsets into it.

    ``canonical`` is the normalised name (``Den Bosch`` -> ``'s-Hertogenbosch``),
    ``english`` the name an English reader knows (``Den Haag`` -> ``The Hague``).
    ``extra`` holds label-specific facts (country code, coordinates) and is
    flattened into the record so that tables stay one level deep.
    """

    text: str
    label: str
    start: int
    end: int
    canonical: str
    english: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        record = {
            "text": self.text,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "canonical": self.canonical,
            "english": self.english,
        }
        record.update(self.extra)
        return record

    def __reduce__(self) -> tuple[type[Entity], tuple[Any, ...]]:
        """Pickle as the constructor's arguments: worker processes send back a dozen entities per
        article, and this is smaller and faster to load than a dataclass's ``__dict__``."""
        return Entity, (self.text, self.label, self.start, self.end, self.canonical, self.english, self.extra)

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Entity:
        core = ("text", "label", "start", "end", "canonical", "english")
        extra = {key: value for key, value in record.items() if key not in core}
        return cls(**{key: record[key] for key in core}, extra=extra)


def distinct_entities(entities: list[Entity]) -> list[dict[str, Any]]:
    """Each entity once, in order of first mention, with its mention count and surface forms.

    The entities stage passes the title's entities, then the text's, so both
    mentions count; ``analysis`` counts an older record's ``entities`` the same way.

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


@dataclass
class Article:
    """One input article. Only ``text`` is required."""

    text: str
    id: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None
    #: The language the source declares (ISO 639-1), a hint for the detect stage.
    language: str | None = None
    #: Where the article came from (``file:line``), for error reports.
    location: str | None = None

    @classmethod
    def from_dict(cls, record: Any) -> Article:
        """Validate a JSON-like record; raise ``InputError`` saying what is wrong.

        A record without ``text`` is an error; a null or empty ``text`` is an empty
        article, which the stages give a status.
        """
        if not isinstance(record, dict):
            raise InputError(f"expected a JSON object, got {type(record).__name__}")
        if "text" not in record:
            raise InputError(f"record has no 'text' field (fields: {sorted(record)})")
        values: dict[str, Any] = {}
        for name in ("text", "id", "title", "url", "date", "language"):
            value = record.get(name)
            if name == "id" and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if name == "text" and value is None:
                value = ""
            if value is not None and not isinstance(value, str):
                raise InputError(f"field {name!r} must be a string, got {type(value).__name__}")
            values[name] = value
        return cls(**values)

    @classmethod
    def coerce(cls, item: str | dict[str, Any] | Article) -> Article:
        """Accept the shapes ``Pipeline`` takes: a text, a record or an Article."""
        if isinstance(item, Article):
            return item
        if isinstance(item, str):
            return cls(text=item)
        return cls.from_dict(item)


@dataclass
class Result:
    """The output record of one article, filled in stage by stage.

    ``sentences`` (character spans into ``text``) is working state shared by the
    stages so the text is segmented once; it is not part of the record.
    """

    id: str
    text: str
    title: str | None = None
    language: str | None = None
    language_score: float | None = None
    title_en: str | None = None
    entities: list[Entity] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    summary_en: list[str] | None = None
    text_en: str | None = None
    status: dict[str, str] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    url: str | None = None
    date: str | None = None
    #: Each distinct entity once: ``{label, canonical, english, count, texts}``, so analysts count without post-processing.
    distinct_entities: list[dict[str, Any]] = field(default_factory=list)
    #: For each ``summary`` sentence, its index among the article's sentences (provenance).
    summary_index: list[int] = field(default_factory=list)
    #: Runs of consecutive paragraphs in one language ``{start, end, language, score}``; None when all share ``language``.
    paragraph_languages: list[dict[str, Any]] | None = None
    #: The id of an earlier article with the same or nearly the same text.
    duplicate_of: str | None = None
    #: The place of an ``AMSTERDAM (ANP) -`` dateline, which the clean stage takes off the text.
    dateline: str | None = None
    #: The credit lines the clean stage takes off the text (``© Jan Jansen``, ``Tekst: ANP``), one per line: who
    #: wrote the article, took its pictures or owns it.
    credits: str | None = None
    #: The boilerplate the clean stage removed ``{kind, text}``, kept only with ``clean.keep_removed``.
    removed: list[dict[str, str]] | None = None
    #: Working state, not part of the record.
    declared_language: str | None = field(default=None, repr=False)
    location: str | None = field(default=None, repr=False)
    sentences: list[tuple[int, int]] | None = field(default=None, repr=False)

    @classmethod
    def from_article(cls, article: Article) -> Result:
        return cls(
            id=article.id or stable_id(article.text),
            text=article.text,
            title=article.title,
            url=article.url,
            date=article.date,
            declared_language=article.language,
            location=article.location,
        )

    @classmethod
    def failed_input(cls, id: str, message: str) -> Result:
        """The record for an input that could not even be read, so nothing is lost."""
        return cls(id=id, text="", status={"read": f"error: {message}"})

    def __getattr__(self, name: str) -> Any:
        """A field a stage declares (``title_entities``) reads as None until that stage sets it, as built-in ones do."""
        if name in FIELDS:
            return None
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def errors(self) -> dict[str, str]:
        """The stages whose status is an error.

        Read before every stage of every document: a slice compared is cheaper than a method called per status.
        """
        return {stage: s for stage, s in self.status.items() if s[:5] == "error"}

    @property
    def ok(self) -> bool:
        return not self.errors

    def sentence_texts(self) -> list[str]:
        return [self.text[start:end] for start, end in self.sentences or []]

    def _repr_html_(self) -> str:
        """Jupyter's rich display: entities highlighted, summaries side by side (``pipeline.display``)."""
        from pipeline.display import render_result

        return render_result(self)

    def to_dict(self) -> dict[str, Any]:
        """The record: every field of ``FIELDS`` in its order, as plain JSON values."""
        return {name: _plain(getattr(self, name, None)) for name in FIELDS}

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Result:
        """Rebuild a Result from a written record (e.g. to analyse a finished run)."""
        missing = [name for name in RECORD_FIELDS if name not in record]
        if missing:
            raise InputError(f"record lacks fields {missing}")
        present = {name: record[name] for name in FIELDS if name in record}
        for name, value in present.items():
            if FIELDS[name].items == ENTITY_COLUMNS and value is not None:
                present[name] = [Entity.from_dict(entity) for entity in value]
        own = {item.name for item in dataclass_fields(cls)}
        result = cls(**{name: value for name, value in present.items() if name in own})
        for name, value in present.items():
            if name not in own:
                setattr(result, name, value)
        return result


def _plain(value: Any) -> Any:
    """A field's value as JSON data: entities as dicts, containers copied so the record shares nothing."""
    if isinstance(value, Entity):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
