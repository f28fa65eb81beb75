"""Boilerplate removal on real articles: boilerplate lines left and body lines lost, per class.

The labels (``bench/data/clean_labels.jsonl``) name each line of a devdata
article by its index in ``pipeline.stages.clean.page_lines``: ``body`` or a
boilerplate class, and for a body line the classes glued into it (``inline``:
a credit after the last full stop, a teaser with a timestamp). The text stays
in the devdata; the labels hold ids and indices only.

A boilerplate line is *left* when it is still a line of the cleaned text (or,
for a long one, still inside it); a duplicate, when its opening is there twice.
A body line is *lost* when fewer than 70% of its words are in the cleaned text
(half, for a line with boilerplate glued into it). Glued boilerplate is left
when the body line is still there unchanged.

    python -m bench.clean                                   # the shared devdata
    python -m bench.clean --articles PATH --verbose         # other articles; every miss by id and line
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.clean import CleanSettings, CleanStage, page_lines

LABELS = Path(__file__).parent / "data" / "clean_labels.jsonl"
ARTICLES = Path(__file__).resolve().parents[1].parent / "shared" / "devdata" / "articles.jsonl"
#: Share of a body line's words that must survive for it to count as kept; a line with glued boilerplate
#: (a credit, a cut-off last sentence) keeps at least half.
KEPT_SHARE = 0.7
KEPT_SHARE_GLUED = 0.5
#: Boilerplate lines at least this long count as left when they are still anywhere in the text.
LONG_LINE = 40

_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.lower()))


def score_article(text: str, title: str | None, labels: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    """``(outcome, class, line index)`` for every labelled line: outcome is ok, left or lost."""
    lines = page_lines(text)
    doc = Result(id="bench", text=text, title=title)
    CleanStage(CleanSettings(), StageContext())([doc])
    cleaned_lines = set(doc.text.split("\n"))
    cleaned_words = _words(doc.text)
    outcomes = []
    for label in labels:
        line = lines[label["line"]]
        kind = label["label"]
        if kind == "duplicate":
            left = doc.text.count(line[:LONG_LINE]) > 1
            outcomes.append(("left" if left else "ok", kind, label["line"]))
        elif kind != "body":
            left = line in cleaned_lines or (len(line) >= LONG_LINE and line in doc.text)
            outcomes.append(("left" if left else "ok", kind, label["line"]))
        if kind != "body":
            continue
        words = _words(line)
        kept = sum(min(count, cleaned_words[word]) for word, count in words.items())
        lost = kept < (KEPT_SHARE_GLUED if label.get("inline") else KEPT_SHARE) * sum(words.values())
        outcomes.append(("lost" if lost else "ok", "body", label["line"]))
        for inline in label.get("inline", []):
            outcomes.append(("left" if line in cleaned_lines else "ok", f"{inline} (inline)", label["line"]))
    return outcomes


def evaluate(articles: Path, labels: Path) -> tuple[dict[str, Any], list[str]]:
    """Counts per class and the misses as ``id:line class outcome``."""
    records = {record["id"]: record for record in map(json.loads, articles.read_text(encoding="utf-8").splitlines())}
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    misses = []
    labelled = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    for entry in labelled:
        record = records[entry["id"]]
        for outcome, kind, index in score_article(record["text"], record.get("title"), entry["lines"]):
            totals[kind]["lines"] += 1
            totals[kind][outcome] += 1
            if outcome != "ok":
                misses.append(f"{entry['id']}:{index} {kind} {outcome}")
    boilerplate = {kind: counts for kind, counts in totals.items() if kind != "body"}
    report = {
        "articles": len(labelled),
        "body_lines": totals["body"]["lines"],
        "body_lines_lost": totals["body"]["lost"],
        "boilerplate_lines": sum(counts["lines"] for counts in boilerplate.values()),
        "boilerplate_left": sum(counts["left"] for counts in boilerplate.values()),
        "per_class": {
            kind: {"lines": counts["lines"], "left": counts["left"]} for kind, counts in sorted(boilerplate.items())
        },
    }
    return report, misses


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ARTICLES, help="JSONL with id, title, text")
    parser.add_argument("--labels", type=Path, default=LABELS, help="JSONL with id and line labels")
    parser.add_argument("--verbose", action="store_true", help="list every boilerplate line left and body line lost")
    args = parser.parse_args(argv)
    report, misses = evaluate(args.articles, args.labels)
    if args.verbose:
        report["misses"] = misses
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
