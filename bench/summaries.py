"""Quality of the summarize stage: ROUGE-1/2/L F1 against reference summaries, beside Lead-3.

News puts its key facts first, so the first three body sentences (Lead-3) are
the baseline a summariser has to match; both are scored on the same cleaned
articles with the same tokeniser. ROUGE comes from Google's ``rouge-score``;
its default tokeniser drops every non-ASCII letter (``geëist`` becomes two
tokens), so a Dutch-aware one is passed in: lowercase, diacritics kept, words
stemmed with Snowball's Dutch (Porter) stemmer so ``woning``/``woningen`` match.

Besides ROUGE it checks what a reader must never see: fewer than 2 or more
than 4 sentences, more than ``max_ratio`` of the article, or a call to action,
contact line or "lees ook" link in a summary.

    python -m bench.summaries                                  # dev set, default settings
    python -m bench.summaries --set summarize.sentences=2      # any summarize setting
    python -m bench.summaries --folds 5                        # leave-some-out check of the tuning grid
    python -m bench.summaries --real                           # real articles against their publisher's intro

``--real`` scores real published articles (``../shared/devdata/articles.jsonl``)
against the introduction their publisher wrote (the ``lead`` field: NOS and VRT
standfirsts), keeping only items whose introduction is not part of the text,
so Lead-3 cannot copy it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import snowballstemmer
from rouge_score import rouge_scorer

from pipeline import Pipeline
from pipeline.config import parse_assignments
from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.summarize import (
    SummarizeSettings,
    SummarizeStage,
    is_balanced,
    is_excluded,
    is_heading,
    needs_predecessor,
    restates_title,
)

DEV_SET = Path(__file__).parent / "data" / "summaries_dev.jsonl"
REAL_SET = Path(__file__).resolve().parents[1].parent / "shared" / "devdata" / "articles.jsonl"
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")

#: The settings the extractive scorer was tuned over, few and round on purpose;
#: ``--folds`` picks the best on all but one fold and scores it on the fold left out.
GRID: dict[str, list[Any]] = {
    "position_weight": [0.2, 0.35, 0.5],
    "title_weight": [0.0, 0.15, 0.3],
    "entity_weight": [0.0, 0.15, 0.3],
}

_WORD = re.compile(r"[^\W_]+")


class DutchTokenizer:
    """Lowercased word tokens with diacritics kept, optionally Snowball-stemmed (rouge-score's tokenizer API)."""

    def __init__(self, stem: bool = True) -> None:
        self.stemmer = snowballstemmer.stemmer("dutch_porter") if stem else None

    def tokenize(self, text: str) -> list[str]:
        words = _WORD.findall(text.lower())
        return self.stemmer.stemWords(words) if self.stemmer else words


def load_references(path: Path) -> list[dict[str, Any]]:
    """Records ``{id, title, text, reference: [sentences]}``, one JSON object a line."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in records:
        if not record.get("reference"):
            raise ValueError(f"{path}: record {record.get('id')!r} has no reference summary")
    return records


def load_real(path: Path) -> list[dict[str, Any]]:
    """Real articles with a publisher-written introduction that is not in their text, as reference records."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        intro = (record.get("lead") or "").strip()
        if intro and intro[:60] not in record["text"]:
            records.append(record | {"reference": [intro]})
    return records


def prepare(records: list[dict[str, Any]]) -> list[Result]:
    """Clean, detect and tag entities once with the offline profile; summaries are made per system."""
    pipe = Pipeline("offline", overrides={"pipeline": ["clean", "detect", "entities"]})
    return pipe([{key: record[key] for key in ("id", "title", "text")} for record in records])


def lead(doc: Result, count: int = 3) -> list[str]:
    """The first ``count`` sentences of the body: headings and a repeated title skipped."""
    body = [s for s in doc.sentence_texts() if not is_heading(s) and not restates_title(s, doc.title)]
    return body[:count]


def summarize(docs: list[Result], settings: SummarizeSettings) -> list[list[str]]:
    stage = SummarizeStage(settings, StageContext(offline=True))
    return [list(doc.summary) for doc in stage(docs)]


def rouge(summaries: list[list[str]], references: list[list[str]], stem: bool = True) -> dict[str, float]:
    """Mean ROUGE F1 over articles (sentences joined by newlines; ROUGE-L over the whole text)."""
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=DutchTokenizer(stem))
    totals = {name: 0.0 for name in ROUGE_TYPES}
    for summary, reference in zip(summaries, references, strict=True):
        scores = scorer.score("\n".join(reference), "\n".join(summary))
        for name in ROUGE_TYPES:
            totals[name] += scores[name].fmeasure
    return {name: total / len(summaries) for name, total in totals.items()}


def _dangling_openers(doc: Result, summary: list[str]) -> int:
    """Summary sentences that lean on the sentence before although that one is not right before them."""
    sentences = doc.sentence_texts()
    dangling = 0
    for position, sentence in enumerate(summary):
        if needs_predecessor(sentence.lstrip("\"'-–— ")):
            index = sentences.index(sentence) if sentence in sentences else -1
            previous = summary[position - 1] if position else None
            dangling += index <= 0 or previous != sentences[index - 1]
    return dangling


def shape(docs: list[Result], summaries: list[list[str]], max_ratio: float) -> dict[str, Any]:
    """Sentence counts, the largest share of an article, and every rule a summary breaks."""
    counts = [len(summary) for summary in summaries]
    ratios = [len(summary) / max(1, len(doc.sentences or [])) for doc, summary in zip(docs, summaries)]
    long = [(doc, summary) for doc, summary in zip(docs, summaries) if len(doc.sentences or []) >= 8]
    char_ratios = [len(" ".join(summary)) / max(1, len(doc.text)) for doc, summary in long]
    return {
        "unbalanced": sum(not is_balanced(" ".join(summary)) for summary in summaries),
        "dangling_openers": sum(_dangling_openers(doc, summary) for doc, summary in zip(docs, summaries)),
        "outside_2_to_4_of_4_or_more": sum(
            not 2 <= len(summary) <= 4 for doc, summary in zip(docs, summaries) if len(doc.sentences or []) >= 4
        ),
        "chars_over_max_ratio_of_8_or_more": sum(ratio > max_ratio for ratio in char_ratios),
        "sentences_mean": statistics.mean(counts),
        "sentences_min": min(counts),
        "sentences_max": max(counts),
        "ratio_max": max(ratios),
        "outside_2_to_4": sum(not 2 <= count <= 4 for count in counts),
        "over_max_ratio": sum(ratio > max_ratio + 1e-9 for ratio in ratios),
        "excluded_lines_chosen": sum(is_excluded(s) for summary in summaries for s in summary),
    }


def evaluate(
    docs: list[Result], references: list[list[str]], settings: SummarizeSettings, stem: bool = True
) -> dict[str, Any]:
    """Scores and shape of the stage and of Lead-3 on the same articles, and their ROUGE ratios."""
    stage_summaries = summarize(docs, settings)
    lead_summaries = [lead(doc) for doc in docs]
    report = {
        "stage": rouge(stage_summaries, references, stem) | shape(docs, stage_summaries, settings.max_ratio),
        "lead3": rouge(lead_summaries, references, stem) | shape(docs, lead_summaries, settings.max_ratio),
    }
    report["stage_over_lead3"] = {name: report["stage"][name] / report["lead3"][name] for name in ROUGE_TYPES}
    return report


def grid_settings(base: SummarizeSettings) -> Iterable[SummarizeSettings]:
    for values in itertools.product(*GRID.values()):
        yield base.model_copy(update=dict(zip(GRID, values)))


def leave_folds_out(
    docs: list[Result], references: list[list[str]], base: SummarizeSettings, folds: int
) -> dict[str, Any]:
    """For each fold: pick the grid point with the best ROUGE-L on the other folds, score it on this one.

    If the held-out score is close to the in-sample one, the weights generalise
    rather than fit these particular articles.
    """
    grid = list(grid_settings(base))
    per_setting = [_rouge_l_per_article(summarize(docs, settings), references) for settings in grid]
    held_out, chosen = [], []
    for fold in range(folds):
        test = [i for i in range(len(docs)) if i % folds == fold]
        train = [i for i in range(len(docs)) if i % folds != fold]
        best = max(range(len(grid)), key=lambda g: statistics.mean(per_setting[g][i] for i in train))
        chosen.append({name: getattr(grid[best], name) for name in GRID})
        held_out.extend(per_setting[best][i] for i in test)
    return {
        "held_out_rougeL": statistics.mean(held_out),
        "best_in_sample_rougeL": max(statistics.mean(scores) for scores in per_setting),
        "settings_rougeL": statistics.mean(_rouge_l_per_article(summarize(docs, base), references)),
        "lead3_rougeL": statistics.mean(_rouge_l_per_article([lead(doc) for doc in docs], references)),
        "chosen_per_fold": chosen,
    }


def _rouge_l_per_article(summaries: list[list[str]], references: list[list[str]]) -> list[float]:
    scorer = rouge_scorer.RougeScorer(["rougeL"], tokenizer=DutchTokenizer())
    return [
        scorer.score("\n".join(reference), "\n".join(summary))["rougeL"].fmeasure
        for summary, reference in zip(summaries, references, strict=True)
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEV_SET, help="JSONL with id, title, text, reference")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="summarize.<setting>=value")
    parser.add_argument("--no-stem", action="store_true", help="score exact word forms instead of stems")
    parser.add_argument("--folds", type=int, default=0, help="also run a leave-one-fold-out check of GRID")
    parser.add_argument(
        "--real",
        nargs="?",
        type=Path,
        const=REAL_SET,
        default=None,
        metavar="ARTICLES",
        help="score real articles against their publisher's introduction (default: the shared devdata)",
    )
    args = parser.parse_args(argv)
    overrides = {key.removeprefix("summarize."): value for key, value in parse_assignments(args.set).items()}
    settings = SummarizeSettings.model_validate(SummarizeSettings().model_dump() | overrides)
    records = load_real(args.real) if args.real else load_references(args.data)
    docs = prepare(records)
    references = [record["reference"] for record in records]
    report = {"articles": len(docs), "settings": settings.model_dump(exclude={"enabled"})}
    report |= evaluate(docs, references, settings, stem=not args.no_stem)
    if args.folds:
        report["leave_folds_out"] = leave_folds_out(docs, references, settings, args.folds)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
