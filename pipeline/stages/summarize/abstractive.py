"""Abstractive summaries with a seq2seq model (mT5, mBART, T5 or BART summarisers from the hub).

A model reads a bounded number of tokens, and news articles are often longer,
so the article is cut into chunks of whole sentences that each fit (a sentence
longer than the model accepts is split at clause boundaries, as the translate
stage does), every chunk is summarised, and when the chunk summaries together
fit the model they are summarised once more into one (map, then reduce). The
chunks of a whole batch of articles go through the model together, longest
first, so padding stays small.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.models import load_seq2seq, pick_device, resolve_hf_model
from pipeline.segment import sentence_spans
from pipeline.seq2seq import generate, model_input_limit, split_to_fit
from pipeline.stages.base import StageContext

if TYPE_CHECKING:
    from pipeline.stages.summarize import SummarizeSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Summary:
    """One article's abstractive summary: its sentences and how many chunks the article was cut into."""

    sentences: list[str]
    chunks: int


def pack_chunks(sentences: list[str], count_tokens: Any, limit: int) -> list[str]:
    """Join consecutive sentences into as few chunks of at most ``limit`` tokens as possible.

    A sentence that alone exceeds the limit is split (``split_to_fit``) rather
    than truncated, so no part of the article is silently dropped.

    Args:
        sentences: the article's body sentences in order.
        count_tokens: the model's input length of a text, special tokens and prefix included.
        limit: the largest input the model may get.

    Returns:
        The chunks in article order; empty for no sentences.
    """
    chunks: list[str] = []
    current = ""
    for sentence in sentences:
        for piece in split_to_fit(sentence.strip(), count_tokens, limit):
            candidate = f"{current} {piece}" if current else piece
            if current and count_tokens(candidate) > limit:
                chunks.append(current)
                current = piece
            else:
                current = candidate
    if current:
        chunks.append(current)
    return chunks


class Seq2SeqSummarizer:
    """A loaded summarisation model; ``summarize`` maps article bodies to summaries, batch-first.

    ``load_summarizer`` loads the model that the settings name; a model already in
    memory goes in here directly and then to ``SummarizeStage(settings, context,
    summarizer=...)``, as ``transformers.pipeline(model=...)`` takes a loaded model.
    """

    def __init__(
        self,
        tokenizer: Any,
        model: Any,
        settings: SummarizeSettings,
        *,
        model_id: str | None = None,
        device: str = "cpu",
    ) -> None:
        self.settings = settings
        self.tokenizer, self.model = tokenizer, model
        self.model_id = model_id
        self.device = device
        self.model_limit = model_input_limit(self.tokenizer, self.model.config)
        self.max_input_tokens = min(settings.max_input_tokens or self.model_limit, self.model_limit)

    def count_tokens(self, text: str) -> int:
        """The model's input length of ``text`` with the prefix, special tokens included."""
        return len(self.tokenizer(self.settings.prefix + text, verbose=False)["input_ids"])

    def summarize(self, bodies: list[list[str]]) -> list[Summary]:
        """One summary per body (a list of sentences): chunk, summarise chunks, then reduce."""
        chunked = [pack_chunks(body, self.count_tokens, self.max_input_tokens) for body in bodies]
        generated = iter(self.generate([chunk for chunks in chunked for chunk in chunks]))
        partial = [[next(generated) for _ in chunks] for chunks in chunked]
        reducible = [
            index
            for index, parts in enumerate(partial)
            if len(parts) > 1 and self.count_tokens(" ".join(parts)) <= self.max_input_tokens
        ]
        reduced = dict(zip(reducible, self.generate([" ".join(partial[index]) for index in reducible])))
        summaries = []
        for index, (chunks, parts) in enumerate(zip(chunked, partial)):
            text = reduced.get(index, " ".join(part for part in parts if part))
            summaries.append(Summary([text[start:end] for start, end in sentence_spans(text)], len(chunks)))
        return summaries

    def generate(self, texts: list[str]) -> list[str]:
        """The model's summary of each text (each must fit), batched longest first."""
        if not texts:
            return []
        encoded = self.tokenizer([self.settings.prefix + text for text in texts])["input_ids"]
        order = sorted(range(len(texts)), key=lambda index: -len(encoded[index]))
        limit = min(self.settings.max_new_tokens, self.model_limit)
        outputs = [""] * len(texts)
        for first in range(0, len(order), self.settings.batch_size):
            batch = order[first : first + self.settings.batch_size]
            generated = generate(
                self.tokenizer,
                self.model,
                self.device,
                [encoded[index] for index in batch],
                num_beams=self.settings.num_beams,
                max_new_tokens=limit,
            )
            for index, text in zip(batch, generated):
                outputs[index] = " ".join(text.split())
        logger.debug("summarised %d chunks", len(texts))
        return outputs


def load_summarizer(stage: str, settings: SummarizeSettings, context: StageContext) -> Seq2SeqSummarizer:
    """The summariser of ``settings.model``, loaded on the run's device."""
    assert settings.model is not None
    ref = resolve_hf_model(stage, settings.model, settings.revision, context)
    device = pick_device(context.device)
    tokenizer, model = load_seq2seq(stage, ref, device)
    return Seq2SeqSummarizer(tokenizer, model, settings, model_id=ref.model_id, device=device)
