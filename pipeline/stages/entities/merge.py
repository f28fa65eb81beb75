"""The ``nlnews_merge`` component: the rules' candidates and the models' entities, overlaps resolved once.

Candidates come from the rule components (``doc._.mentions``), from a
trained spaCy pipeline in the same ``nlp`` (``doc.ents``) and from a
token-classification model (``doc._.model_spans``: character spans with a
label and a score). Where they overlap, the longest span wins
(as ``spacy.util.filter_spans`` keeps spans), and among spans of one length the better
source: the knowledge base knows more than a guess from letter case, a rule
more than a model. A model's span that overlaps a knowledge-base name is
dropped, so rules keep ``canonical`` and ``english``; a model's place becomes
CITY, COUNTRY or LOCATION by the gazetteer, its ORG takes the knowledge base's
names where known, and its DATE gives YEARs. The kept mentions are
``doc._.entities`` and the span group ``doc.spans["entities"]``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.document import Label
from pipeline.stages.entities.gazetteer import Gazetteer, Glossary, load_gazetteer, load_glossary, name_key
from pipeline.stages.entities.tokens import BatchComponent, Mention, Tokens, mentions
from pipeline.stages.entities.years import YearFinder

#: Labels of spaCy's Dutch pipelines (OntoNotes) and of CoNLL-style models, mapped
#: to ours. Numbers, amounts and times are left out: they are not names.
MODEL_LABELS: dict[str, Label] = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "LOC": "LOCATION",
    "LOCATION": "LOCATION",
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

#: Which mention wins when two cover the same tokens (lower wins).
RANK = {
    "glossary": 0,
    "ambiguous": 0,
    "country": 1,
    "location": 2,
    "city": 3,
    "year": 4,
    "named_site": 5,
    "person": 6,
    "legal_form": 7,
    "pattern": 8,
    "model": 9,
    "acronym": 10,
    "site": 11,
}

_LEADING_ARTICLE = re.compile(r"(?:[Dd]e|[Hh]et|'t)\s+(?=\S)")

if not Doc.has_extension("entities"):
    Doc.set_extension("entities", default=None)
if not Doc.has_extension("model_spans"):
    Doc.set_extension("model_spans", default=None)


@Language.factory(
    "nlnews_merge",
    default_config={
        "resources_dir": None,
        "world_min_population": 15000,
        "labels": None,
        "year_min": 1000,
        "year_max": 2099,
    },
)
def make_merge(
    nlp: Language,
    name: str,
    resources_dir: str | None,
    world_min_population: int,
    labels: list[str] | None,
    year_min: int,
    year_max: int,
) -> Merge:
    directory = Path(resources_dir) if resources_dir else None
    return Merge(
        load_glossary(directory),
        load_gazetteer(world_min_population, directory),
        frozenset(labels) if labels is not None else None,
        YearFinder(year_min, year_max),
    )


class Merge(BatchComponent):
    """Keeps the best non-overlapping candidates, in text order, as ``doc._.entities``."""

    def __init__(
        self, glossary: Glossary, gazetteer: Gazetteer, labels: frozenset[str] | None, years: YearFinder
    ) -> None:
        self.glossary = glossary
        self.gazetteer = gazetteer
        self.labels = labels
        self.years = years

    def __call__(self, doc: Doc) -> Doc:
        tokens = Tokens.of(doc)
        rules = mentions(doc)
        # A doc no model annotated has no ``ents``: reading them costs less than asking has_annotation first.
        found = [(ent.start_char, ent.end_char, ent.label_, 1.0) for ent in doc.ents]
        extensions = doc._  # built on every read of ``doc._``: one for the model's spans and the entities
        found += extensions.model_spans or []
        models = self._outside_known_names(rules, self._model_mentions(tokens.text, found)) if found else []
        labels = self.labels
        wanted = [m for m in (*rules, *models) if labels is None or m.label in labels]
        extensions.entities, doc.spans["entities"] = _longest_first(doc, tokens, wanted)
        return doc

    @staticmethod
    def _outside_known_names(rules: list[Mention], models: list[Mention]) -> list[Mention]:
        """The models' mentions that overlap no knowledge-base name the rules found."""
        known = [(m.start, m.end) for m in rules if m.source == "glossary"]
        return [m for m in models if not any(start < m.end and m.start < end for start, end in known)]

    def _model_mentions(self, text: str, entities: list[tuple[int, int, str, float]]) -> list[Mention]:
        """The models' entities; places and organisations get the gazetteer's names when known."""
        found = []
        for start, end, model_label, _score in entities:
            label = MODEL_LABELS.get(model_label)
            if label is None:
                continue
            if label == "DATE":
                years = self.years.years_in(text, start, end)
                if years:
                    found += years  # the model's date gives its years: "september 2021" -> 2021
                    continue
            article = _LEADING_ARTICLE.match(text, start, end)
            if article is not None and label in ("ORG", "LOCATION"):
                start = article.end()  # "de IND" names the IND
            surface = text[start:end]
            key = name_key(surface)
            if label == "LOCATION":
                place = self.gazetteer.places.get(key)
                if place is not None:
                    found.append(Mention(start, end, "CITY", place.canonical, place.english, "model", place.facts()))
                    continue
                country = self.gazetteer.countries.get(key)
                if country is not None:
                    found.append(
                        Mention(start, end, "COUNTRY", country.canonical, country.english, "model", country.facts())
                    )
                    continue
                areas = self.gazetteer.locations.get(key)
                if areas:
                    found.append(Mention(start, end, "LOCATION", areas[0].canonical, areas[0].english, "model"))
                    continue
            if label == "ORG":
                organisation = self.glossary.organisations.get(key)
                if organisation is not None:
                    found.append(Mention(start, end, "ORG", organisation.canonical, organisation.english, "model"))
                    continue
            found.append(Mention(start, end, label, surface, surface, "model"))
        return found


def _longest_first(doc: Doc, tokens: Tokens, found: list[Mention]) -> tuple[list[Mention], list[Span]]:
    """Non-overlapping mentions and their spans: longer ones first, then by source rank; returned in text order.

    ``spacy.util.filter_spans`` on the mentions' token ranges, worked on pairs
    of numbers: only the spans kept are made, not one for every candidate.
    The doc tokens a mention covers are those ``doc.char_span(...,
    alignment_mode="expand")`` finds; a mention that starts and ends with a
    word, as the rules' do, needs no search of the doc: its words' doc
    positions are known. This loop runs for every candidate of every text, so
    it reads them inline, with no call per candidate.
    """
    index_at, ends, positions = tokens.index_at, tokens.ends, tokens.positions
    ranked = []
    for order, mention in enumerate(found):
        first, last = index_at.get(mention.start), bisect_left(ends, mention.end)
        if first is not None and last < len(ends) and ends[last] == mention.end and first <= last:
            start, end = positions[first], positions[last] + 1
        else:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            start, end = span.start, span.end
        # filter_spans's order (most tokens, then first); then, among mentions of the same tokens, the longest, the
        # better source, the first; then their order in ``found`` as a stable sort keeps it: a key of its own for
        # each mention, sorted without a key function.
        key = (
            start - end,
            start,
            mention.start - mention.end,
            RANK[mention.source],
            mention.start,
            mention.label,
            mention.canonical,
            order,
        )
        ranked.append((key, start, end, mention))
    ranked.sort()
    kept = []
    seen: set[int] = set()
    for _, start, end, mention in ranked:
        if start not in seen and end - 1 not in seen:
            kept.append((mention.start, start, end, mention))  # kept spans never share a first token: no tie
            seen.update(range(start, end))
    kept.sort()
    spans = [Span(doc, start, end, label=mention.label) for _, start, end, mention in kept]
    return [mention for *_, mention in kept], spans
