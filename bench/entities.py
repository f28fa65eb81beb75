"""Entity quality against gold annotations, and the entity stage's speed and memory.

Quality is scored the way an analyst uses the output: per article, each
distinct entity once. A predicted entity matches a gold one of the same label
when their canonical names agree or they share a surface form (so ``Den Haag``
and ``'s-Gravenhage`` in one article are one gold entity, matched by either).
Per label: precision, recall and F1 over all articles; for matched entities
whose gold record has an ``english`` name, how often the pipeline's is the same.

Gold is JSONL: ``{"id", "text", "entities": [{"text", "label", "canonical",
"english"?}]}``. Only the labels that occur in the gold file are scored; other
predicted labels (PERSON, DATE, ...) are ignored.

Annotation rules of ``bench/data/entities_dev.jsonl``: CITY is a populated place
used as a place (not a province, region or island; not the place inside an
organisation name such as ``Universiteit Leiden`` or ``gemeente Best``, which is
one ORG); ORG is a named organisation, its canonical the official Dutch name;
YEAR is a calendar year, canonical as four digits (``2024/25`` gives 2024 and
2025); COUNTRY its Dutch name.

    python -m bench.entities                      # score the offline profile on the dev set
    python -m bench.entities --errors             # ... and list every miss and false hit
    python -m bench.entities --only late-         # only the paragraphs written after the rules
    python -m bench.entities --speed              # start-up, words/s on 1,000 articles, peak memory (Linux)
    python -m bench.entities --real               # the real news of ../shared/devdata (gold_entities.jsonl)
    python -m bench.entities --real --country be  # ... only its Flemish articles
    python -m bench.entities --conll testa        # CoNLL-2002 Dutch, distinct LOC/ORG/PER per document

``--real`` scores ``title + "\\n" + text`` of each annotated item against its gold
(labels CITY, COUNTRY, ORG, YEAR, PERSON, LOCATION). ``--conll SPLIT`` reads
``ned.SPLIT.repaired.utf8``, rebuilds each document's text from its tokens (one
line per sentence) and scores distinct entities per document by surface form:
LOC is CITY + COUNTRY + LOCATION, PER is PERSON, ORG is ORG; MISC is not scored.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEV_SET = Path(__file__).parent / "data" / "entities_dev.jsonl"
#: Real news with hand-made gold, outside the project (evaluation only, never copied in).
#: The first of ``../shared/devdata`` beside the checkout and beside its parent (a worktree's).
DEVDATA = next(
    (path for path in (Path(__file__).parents[n] / "shared" / "devdata" for n in (2, 3)) if path.is_dir()),
    Path(__file__).parents[2] / "shared" / "devdata",
)
#: Our labels as CoNLL-2002 counts them.
CONLL_LABELS = {"CITY": "LOC", "COUNTRY": "LOC", "LOCATION": "LOC", "PERSON": "PER", "ORG": "ORG"}
#: Tokens written without a space before them when a CoNLL sentence is turned back into text.
_NO_SPACE_BEFORE = frozenset(".,:;!?)]%'")
#: Labels whose ``english`` field is checked on matched entities.
ENGLISH_LABELS = ("CITY", "ORG", "COUNTRY")


@dataclass
class DistinctEntity:
    """One entity of one article: its label, canonical name, surface forms and English name."""

    label: str
    canonical: str
    texts: set[str] = field(default_factory=set)
    english: str | None = None

    def matches(self, other: DistinctEntity) -> bool:
        if self.label != other.label:
            return False
        if self.canonical.casefold() == other.canonical.casefold():
            return True
        return bool({t.casefold() for t in self.texts} & {t.casefold() for t in other.texts})


@dataclass
class LabelScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    english_checked: int = 0
    english_right: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores per label, and the misses (``missed``) and false hits (``spurious``) per article."""

    labels: dict[str, LabelScore]
    missed: dict[str, list[DistinctEntity]]
    spurious: dict[str, list[DistinctEntity]]
    wrong_english: list[tuple[str, DistinctEntity, DistinctEntity]]

    def english_accuracy(self) -> float:
        checked = sum(score.english_checked for score in self.labels.values())
        return sum(score.english_right for score in self.labels.values()) / checked if checked else 0.0


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The gold articles of a JSONL file; a malformed line is an error that names it."""
    articles = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        missing = {"id", "text", "entities"} - set(record)
        if missing:
            raise ValueError(f"{path}:{number}: missing {sorted(missing)}")
        articles.append(record)
    return articles


def distinct(entities: Iterable[dict[str, Any]], labels: Iterable[str]) -> list[DistinctEntity]:
    """Each entity of an article once, keyed by label and canonical name, with all its surface forms."""
    wanted = set(labels)
    merged: dict[tuple[str, str], DistinctEntity] = {}
    for entity in entities:
        if entity["label"] not in wanted:
            continue
        key = (entity["label"], entity["canonical"].casefold())
        found = merged.setdefault(key, DistinctEntity(entity["label"], entity["canonical"], set(), None))
        found.texts.add(entity["text"])
        if found.english is None:
            found.english = entity.get("english")
    return list(merged.values())


def score(gold: Sequence[dict[str, Any]], predicted: dict[str, list[dict[str, Any]]]) -> Report:
    """Distinct-entity precision, recall and F1 per label, and the English names of the matches.

    Args:
        gold (list): gold articles as read by ``load_gold``.
        predicted (dict): article id -> predicted entities (``Entity.to_dict`` records).

    Returns:
        Report: scores per label and the errors behind them.
    """
    labels = sorted({entity["label"] for article in gold for entity in article["entities"]})
    report = Report({label: LabelScore() for label in labels}, defaultdict(list), defaultdict(list), [])
    for article in gold:
        expected = distinct(article["entities"], labels)
        found = distinct(predicted.get(article["id"], []), labels)
        unmatched = list(found)
        for entity in expected:
            label_score = report.labels[entity.label]
            match = next((candidate for candidate in unmatched if entity.matches(candidate)), None)
            if match is None:
                label_score.false_negatives += 1
                report.missed[article["id"]].append(entity)
                continue
            unmatched.remove(match)
            label_score.true_positives += 1
            if entity.english is not None and entity.label in ENGLISH_LABELS:
                label_score.english_checked += 1
                if match.english == entity.english:
                    label_score.english_right += 1
                else:
                    report.wrong_english.append((article["id"], entity, match))
        for entity in unmatched:
            report.labels[entity.label].false_positives += 1
            report.spurious[article["id"]].append(entity)
    return report


def load_real(devdata: Path) -> list[dict[str, Any]]:
    """The annotated real articles as gold records: ``title + "\\n" + text``, as they were annotated."""
    articles = {}
    for line in (devdata / "articles.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            articles[record["id"]] = record
    gold = []
    for line in (devdata / "gold_entities.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        article = articles[record["id"]]
        text = f"{article['title']}\n{article['text']}" if article.get("title") else article["text"]
        gold.append(
            {
                "id": record["id"],
                "text": text,
                "url": article.get("url"),
                "country": article.get("country"),
                "entities": record["entities"],
            }
        )
    return gold


def load_conll(path: Path) -> list[dict[str, Any]]:
    """CoNLL-2002 documents as gold records: text rebuilt from the tokens, entities by surface form."""
    documents: list[dict[str, Any]] = []
    sentences: list[str] = []
    entities: list[dict[str, Any]] = []

    def close_document() -> None:
        if sentences:
            scored = [entity for entity in entities if entity["label"] in CONLL_LABELS.values()]
            documents.append(
                {"id": f"{path.name}#{len(documents) + 1}", "text": "\n".join(sentences), "entities": scored}
            )
        sentences.clear()
        entities.clear()

    def close_sentence(tokens: list[tuple[str, str]]) -> None:
        if not tokens:
            return
        words: list[str] = []
        current: tuple[str, list[str]] | None = None
        for word, tag in tokens:
            if current is not None and not tag.startswith("I-"):
                entities.append(_conll_entity(*current))
                current = None
            if tag.startswith("B-") or (tag.startswith("I-") and current is None):
                current = (tag[2:], [word])
            elif tag.startswith("I-") and current is not None:
                current[1].append(word)
            words.append(word)
        if current is not None:
            entities.append(_conll_entity(*current))
        sentences.append(_detokenise(words))

    tokens: list[tuple[str, str]] = []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if not parts:
            close_sentence(tokens)
            tokens = []
        elif parts[0] == "-DOCSTART-":
            close_sentence(tokens)
            tokens = []
            close_document()
        else:
            tokens.append((parts[0], parts[-1]))
    close_sentence(tokens)
    close_document()
    return documents


def _conll_entity(label: str, words: list[str]) -> dict[str, Any]:
    surface = _detokenise(words)
    return {"text": surface, "label": label, "canonical": surface}


def _detokenise(words: list[str]) -> str:
    text = ""
    for word in words:
        glue = not text or word in _NO_SPACE_BEFORE or text.endswith("(")
        text += word if glue else f" {word}"
    return text


def as_conll(predicted: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Predicted entities in CoNLL's labels, each by its surface form (CoNLL has no canonical names)."""
    return {
        article_id: [
            {"text": entity["text"], "label": CONLL_LABELS[entity["label"]], "canonical": entity["text"]}
            for entity in entities
            if entity["label"] in CONLL_LABELS
        ]
        for article_id, entities in predicted.items()
    }


def predict(config: str, gold: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The pipeline's entities for each gold article (the stages up to entities only), its title's included.

    The clean stage may take a headline off the text into ``title`` and a
    dateline (``DEN HAAG (ANP) -``) into ``dateline``; their entities are then
    in ``title_entities`` and ``dateline_entities``, its credit lines (``© 2018 ANP``) into ``credits`` and
    ``credit_entities``, and an article is scored on all four.
    """
    from pipeline import Pipeline

    pipe = Pipeline(config, overrides={"pipeline": ["clean", "detect", "entities"]})
    records = [{"id": article["id"], "text": article["text"], "url": article.get("url")} for article in gold]
    return {
        result.id: [
            entity.to_dict()
            for entity in [
                *(result.title_entities or ()),
                *(result.dateline_entities or ()),
                *(result.credit_entities or ()),
                *result.entities,
            ]
        ]
        for result in pipe.run(records)
    }


def print_errors_by_class(report: Report) -> None:
    """Misses and false hits counted per label, the most frequent surface forms first."""
    for title, errors in (("missed", report.missed), ("false positives", report.spurious)):
        by_label: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for entities in errors.values():
            for entity in entities:
                by_label[entity.label][min(entity.texts)] += 1
        print(f"{title} by label:")
        for label, counts in sorted(by_label.items()):
            common = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:25]
            listed = ", ".join(f"{text}" + (f" x{count}" if count > 1 else "") for text, count in common)
            print(f"  {label:<8} {sum(counts.values()):>4}: {listed}")


def print_report(report: Report, articles: int, show_errors: bool) -> None:
    print(f"distinct entities per article, {articles} articles")
    print(f"  {'label':<8} {'gold':>5} {'found':>6} {'P':>6} {'R':>6} {'F1':>6}   english right")
    for label, s in report.labels.items():
        gold = s.true_positives + s.false_negatives
        found = s.true_positives + s.false_positives
        english = f"{s.english_right}/{s.english_checked}" if s.english_checked else "-"
        print(f"  {label:<8} {gold:>5} {found:>6} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}   {english}")
    print(f"  english right on matched entities: {report.english_accuracy():.3f}")
    if not show_errors:
        return
    for title, errors in (("missed", report.missed), ("spurious", report.spurious)):
        print(f"{title}:")
        for article_id, entities in sorted(errors.items()):
            for entity in entities:
                print(f"  {article_id}  {entity.label:<8} {sorted(entity.texts)} -> {entity.canonical!r}")
    print("wrong english:")
    for article_id, gold, found in report.wrong_english:
        print(f"  {article_id}  {gold.label:<8} {sorted(gold.texts)}: {found.english!r}, gold {gold.english!r}")


_STARTUP_SCRIPT = """
import json, resource, sys, time

def rss_mib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

started = time.perf_counter()
import spacy
spacy.blank("nl")
baseline = time.perf_counter() - started
rss_before = rss_mib()
from pipeline.stages.entities.gazetteer import load_gazetteer, load_glossary
loading = time.perf_counter()
load_glossary()
load_gazetteer()
resources_s = time.perf_counter() - loading
resources_mib = rss_mib() - rss_before
from pipeline import Pipeline
pipe = Pipeline({config!r})
pipe("De IND sluit in 2024 het loket in Den Bosch; de gemeente Best zoekt een nieuw pand.")
total = time.perf_counter() - started
print(json.dumps({{"spacy_blank_s": baseline, "first_article_s": total, "resources_s": resources_s,
                  "resources_mib": resources_mib,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

_THROUGHPUT_SCRIPT = """
import json, resource, sys, time
from bench.throughput import synthetic_articles
from pipeline import Pipeline
articles = synthetic_articles({count})
pipe = Pipeline({config!r})
pipe(articles[:8])
seconds = {{}}
original = pipe._run_stage
def timed(name, stage, docs):
    started = time.perf_counter()
    original(name, stage, docs)
    seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
pipe._run_stage = timed
started = time.perf_counter()
words = sum(len(result.text.split()) for result in pipe.run(articles))
total = time.perf_counter() - started
print(json.dumps({{"articles": len(articles), "words": words, "total_s": total, "stages_s": seconds,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def _fresh_process(script: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1]
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def print_speed(config: str, count: int) -> None:
    """Start-up against importing spaCy alone; the entity stage's share of the whole pipeline's time."""
    startup = _fresh_process(_STARTUP_SCRIPT.format(config=config))
    print(f"start-up, fresh process, profile {config!r}")
    print(f"  import spacy + blank nl (baseline)   {startup['spacy_blank_s']:6.2f} s")
    print(
        f"  import pipeline + first article      {startup['first_article_s']:6.2f} s   "
        f"ratio {startup['first_article_s'] / startup['spacy_blank_s']:.1f}x"
    )
    print(
        f"  of which gazetteer + glossary        {startup['resources_s']:6.2f} s   "
        f"share {startup['resources_s'] / startup['first_article_s']:.2f}, +{startup['resources_mib']:.0f} MiB RSS"
    )
    print(f"  peak RSS after the first article     {startup['peak_rss_mib']:6.0f} MiB")
    run = _fresh_process(_THROUGHPUT_SCRIPT.format(config=config, count=count))
    entities_s = run["stages_s"].get("entities", 0.0)
    print(f"throughput, {run['articles']} articles, {run['words']} words")
    print(f"  whole pipeline (baseline)   {run['words'] / run['total_s']:10.0f} words/s")
    print(f"  entities stage              {run['words'] / entities_s:10.0f} words/s")
    print(f"  entities share of pipeline  {entities_s / run['total_s']:10.2f}")
    for name, seconds in run["stages_s"].items():
        print(f"    {name:<10} {seconds / run['total_s']:6.2f}")
    print(f"  peak RSS                    {run['peak_rss_mib']:10.0f} MiB")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=DEV_SET, help="gold JSONL (default: the dev set)")
    parser.add_argument("--config", default="offline", help="profile name or config file (default: offline)")
    parser.add_argument("--only", default="", metavar="PREFIX", help="score only the articles whose id starts so")
    parser.add_argument(
        "--country", choices=("nl", "be"), help="with --real: score only the Dutch (nl) or Flemish (be) articles"
    )
    parser.add_argument("--errors", action="store_true", help="list misses, false hits and wrong English names")
    parser.add_argument("--speed", action="store_true", help="also measure start-up, throughput and memory")
    parser.add_argument("--articles", type=int, default=1000, help="articles for the throughput run")
    parser.add_argument("--real", action="store_true", help="score the real news of --devdata instead")
    parser.add_argument("--conll", metavar="SPLIT", help="score CoNLL-2002 Dutch SPLIT (testa, train) instead")
    parser.add_argument(
        "--devdata", type=Path, default=DEVDATA, help="the devdata directory (default: ../shared/devdata)"
    )
    args = parser.parse_args(argv)

    if args.conll:
        source = args.devdata / "conll2002" / f"ned.{args.conll}.repaired.utf8"
        gold = load_conll(source)
    elif args.real:
        source = args.devdata / "gold_entities.jsonl"
        gold = load_real(args.devdata)
    else:
        source = args.gold
        gold = load_gold(args.gold)
    gold = [article for article in gold if str(article["id"]).startswith(args.only)]
    if args.country:
        gold = [article for article in gold if article.get("country") == args.country]
    started = time.perf_counter()
    predicted = predict(args.config, gold)
    if args.conll:
        predicted = as_conll(predicted)
    print(f"profile {args.config!r}, gold {source.name}, {time.perf_counter() - started:.1f} s")
    report = score(gold, predicted)
    print_report(report, len(gold), args.errors)
    if args.real or args.conll:
        print_errors_by_class(report)
    if args.speed:
        print_speed(args.config, args.articles)


if __name__ == "__main__":
    main()
