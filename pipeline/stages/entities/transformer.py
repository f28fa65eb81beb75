"""A Hugging Face token-classification backend: character spans of persons, places, organisations and MISC.

Fine-tuned BERTje, RobBERT and XLM-R models report about .90 F1 on CoNLL-2002
Dutch, persons included, where rules alone find few. This module only finds
spans and their types; the entities stage merges them with its rules, which
keep the canonical and English names.

How texts become spans:

* The fast tokenizer cuts each text into windows of at most the model's input
  length that overlap by ``stride`` tokens, so a long article is read whole,
  never truncated; each token is judged in the window that gives it the most
  context on both sides.
* The windows of all texts of a call run together, longest first, in batches
  under a token budget (padded length times rows), under
  ``torch.inference_mode()`` on the configured device.
* A word is a run of letters and digits, or one other character, as the
  pieces cover it: pieces glued letter to letter make one word, whatever the
  tokenizer's pre-tokeniser calls a word, so a span never splits a word and
  SentencePiece's ``(Amsterdam)`` gives the place without its brackets. White
  space inside a piece's offsets (``▁Am`` starts at the space) is not part of
  it. A word takes the tag of its first piece (``first``) or of its most
  confident piece (``max``), and consecutive words of one entity join, whether
  the model tags IOB, BIOES/BILOU or bare types.
* Types map to PERSON, LOCATION, ORG and MISC (``PER``, ``LOC``, ``GPE`` ...);
  any other (dates, numbers, events) is dropped.

transformers' own ``pipeline("token-classification", aggregation_strategy="first")``
does not fit: it batches a fixed number of windows rather than a token budget,
does not sort by length, reads only B-/I- tags, and for tokenizers without a
continuing-subword prefix (RobBERT, XLM-R) takes every glued piece for part of
one word, brackets and quotes included.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pipeline.errors import ModelUnavailable
from pipeline.models import load_manifest, load_token_classification, pick_device, resolve_hf_model
from pipeline.stages.base import StageContext

if TYPE_CHECKING:
    from pipeline.stages.entities import EntitiesSettings

logger = logging.getLogger(__name__)

TokenLabel = Literal["PERSON", "LOCATION", "ORG", "MISC"]
#: One entity of a text: character start and end, label, and the model's mean confidence over its words.
Span = tuple[int, int, TokenLabel, float]
#: One tagged word: character start and end, the model's raw tag (``B-PER``), its confidence.
WordTag = tuple[int, int, str, float]
Aggregation = Literal["first", "max"]

#: Entity types of published NER models (upper-cased), mapped to ours; every other type is dropped.
ENTITY_TYPES: dict[str, TokenLabel] = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "LOCATION": "LOCATION",
    "ORG": "ORG",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "MISC": "MISC",
}

#: Tag prefixes that continue the entity before them (IOB, BIOES, BILOU) and that end one.
_CONTINUES = frozenset("IEL")
_ENDS = frozenset("ESLU")
#: Model types whose position table starts after the padding index (RoBERTa's numbering), so fewer are usable.
_POSITIONS_AFTER_PADDING = frozenset({"roberta", "xlm-roberta", "camembert"})
_NO_LIMIT = 1_000_000
_FALLBACK_LIMIT = 512


def split_tag(tag: str) -> tuple[str, str]:
    """The prefix and the type of a tag: ``B-PER`` -> ``("B", "PER")``, bare ``PER`` -> ``("", "PER")``."""
    if len(tag) > 2 and tag[1] in "-_" and tag[0].upper() in "BIESLU":
        return tag[0].upper(), tag[2:]
    return "", tag


def spans_from_word_tags(words: Sequence[WordTag]) -> list[Span]:
    """Join consecutive tagged words into entity spans.

    A word continues the open entity when it has the same type and an I-, E-
    or L- prefix, or no prefix at all (models that tag bare types); a B-, S- or
    U- prefix starts a new one, and E-, L-, S- and U- close it. ``O`` and types
    outside ``ENTITY_TYPES`` close the open entity and start none.

    Args:
        words: the text's words in order, each with the model's tag and confidence.

    Returns:
        ``(start, end, label, score)`` per entity, from its first word's start to
        its last word's end, scored by the mean confidence of its words.
    """
    spans: list[Span] = []
    current: tuple[int, int, TokenLabel, list[float]] | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            start, end, label, scores = current
            spans.append((start, end, label, sum(scores) / len(scores)))
            current = None

    for start, end, tag, score in words:
        prefix, kind = split_tag(tag)
        label = ENTITY_TYPES.get(kind.upper())
        if label is None:
            close()
            continue
        if current is not None and current[2] == label and (prefix in _CONTINUES or prefix == ""):
            current = (current[0], end, label, [*current[3], score])
        else:
            close()
            current = (start, end, label, [score])
        if prefix in _ENDS:
            close()
    close()
    return spans


def input_limit(tokenizer: Any, config: Any) -> int:
    """The longest window the model reads, special tokens included.

    The smaller sane one of the tokenizer's ``model_max_length`` and the model's
    position table; either may be missing or a "no limit" sentinel.
    """
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and getattr(config, "model_type", None) in _POSITIONS_AFTER_PADDING:
        positions -= (config.pad_token_id or 0) + 1
    candidates = (getattr(tokenizer, "model_max_length", None), positions)
    sane = [value for value in candidates if isinstance(value, int) and 0 < value < _NO_LIMIT]
    if not sane:
        logger.warning("token model states no input limit; assuming %d tokens", _FALLBACK_LIMIT)
        return _FALLBACK_LIMIT
    return min(sane)


def batches_by_tokens(lengths: Sequence[int], budget: int) -> Iterator[list[int]]:
    """Indices into ``lengths``, longest first, in batches whose padded size (longest x rows) stays within ``budget``.

    A window longer than the budget gets a batch of its own.
    """
    order = sorted(range(len(lengths)), key=lambda index: -lengths[index])
    batch: list[int] = []
    for index in order:
        if batch and lengths[batch[0]] * (len(batch) + 1) > budget:
            yield batch
            batch = []
        batch.append(index)
    if batch:
        yield batch


class _Window(NamedTuple):
    """One model input: a slice of one text's tokens with their character offsets.

    ``words`` is the tokenizer's word index of each token, ``None`` for special tokens.
    """

    text: int
    ids: list[int]
    words: list[int | None]
    offsets: list[tuple[int, int]]


class _Judged(NamedTuple):
    """A token's tag probabilities from the window that gave it the most context."""

    context: int
    probabilities: Any


class TokenClassifier:
    """A loaded token-classification model; ``predict`` maps texts to entity spans, batch-first.

    Build it with ``from_pretrained(path_or_id, device=...)``; the constructor
    takes a loaded tokenizer (a fast one: spans come from its offsets) and model.
    ``predict(["Piet Jansen woont in Amsterdam."])`` gives one list per text of
    ``(start, end, label, score)``, e.g. a PERSON over ``Piet Jansen`` and a
    LOCATION over ``Amsterdam`` for a model that knows them.
    """

    def __init__(
        self,
        tokenizer: Any,
        model: Any,
        *,
        model_id: str,
        device: str,
        batch_tokens: int = 4096,
        stride: int = 64,
        aggregation: Aggregation = "first",
    ) -> None:
        self.tokenizer = tokenizer
        self.model = model
        self.model_id = model_id
        self.device = device
        self.batch_tokens = batch_tokens
        self.aggregation = aggregation
        self.tags: list[str] = [model.config.id2label[index] for index in range(model.config.num_labels)]
        #: The longest window in tokens, special tokens included.
        self.max_tokens = input_limit(tokenizer, model.config)
        content = self.max_tokens - tokenizer.num_special_tokens_to_add()
        #: Tokens shared by consecutive windows: at most half a window, so each window moves on.
        self.stride = max(0, min(stride, content // 2))

    @classmethod
    def from_pretrained(
        cls,
        path_or_id: str | Path,
        *,
        device: str = "auto",
        batch_tokens: int = 4096,
        revision: str | None = None,
        stride: int = 64,
        aggregation: Aggregation = "first",
        context: StageContext | None = None,
        stage: str = "entities",
        setting: str = "token_model",
    ) -> TokenClassifier:
        """Resolve a model like every other (local directory, the model store, the cache, the network
        unless offline), load it with safetensors weights and no remote code, and place it on ``device``.

        Args:
            path_or_id: a local directory or a hub id.
            device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.
            batch_tokens: the token budget of one model call.
            revision: the hub branch, tag or commit; ``None`` takes any store copy, else the newest.
            stride: tokens shared by consecutive windows of a long text.
            aggregation: a word's tag from its ``first`` piece or its most confident (``max``).
            context: the run's model store and offline flag; a default context when ``None``.
            stage, setting: where the model is configured, for the fix an error prints.

        Raises:
            ModelUnavailable: the model is not on disk and cannot be downloaded, has no
                safetensors weights or fast tokenizer, or tags no entity type we know.
        """
        context = context or StageContext()
        ref = resolve_hf_model(stage, str(path_or_id), revision, context, setting=setting)
        placed = pick_device(device)
        tokenizer, model = load_token_classification(stage, ref, placed)
        types = sorted({split_tag(tag)[1] for tag in model.config.id2label.values()})
        if not any(kind.upper() in ENTITY_TYPES for kind in types):
            raise ModelUnavailable(
                stage,
                ref.name,
                f"its labels {types} name none of {sorted(ENTITY_TYPES)}: not a NER model",
                f"set {stage}.{setting} to a model fine-tuned for named entities",
            )
        return cls(
            tokenizer,
            model,
            model_id=ref.model_id,
            device=placed,
            batch_tokens=batch_tokens,
            stride=stride,
            aggregation=aggregation,
        )

    def predict(self, texts: list[str]) -> list[list[Span]]:
        """The entity spans of each text, in text order; offsets are characters of that text."""
        if not texts:
            return []
        windows = self._windows(texts)
        judged: list[dict[tuple[int, int], _Judged]] = [{} for _ in texts]
        for batch in batches_by_tokens([len(window.ids) for window in windows], self.batch_tokens):
            probabilities = self._forward([windows[index].ids for index in batch])
            for index, window_probabilities in zip(batch, probabilities):
                window = windows[index]
                _keep_best_context(window, window_probabilities, judged[window.text])
        logger.debug("token model: %d texts in %d windows", len(texts), len(windows))
        return [spans_from_word_tags(self._word_tags(text, tokens)) for text, tokens in zip(texts, judged)]

    def _windows(self, texts: list[str]) -> list[_Window]:
        """Every text cut into overlapping windows that fit the model."""
        encoded = self.tokenizer(
            texts,
            truncation=True,
            max_length=self.max_tokens,
            stride=self.stride,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
            verbose=False,
        )
        return [
            _Window(text, ids, encoded.word_ids(index), offsets)
            for index, (text, ids, offsets) in enumerate(
                zip(encoded["overflow_to_sample_mapping"], encoded["input_ids"], encoded["offset_mapping"])
            )
        ]

    def _forward(self, rows: list[list[int]]) -> Any:
        """Tag probabilities (rows x longest x tags, float32 on the CPU) of a batch of windows, padded on the right."""
        import torch

        longest = max(len(row) for row in rows)
        pad = self.tokenizer.pad_token_id or 0
        ids = torch.tensor([row + [pad] * (longest - len(row)) for row in rows], device=self.device)
        mask = torch.tensor([[1] * len(row) + [0] * (longest - len(row)) for row in rows], device=self.device)
        with torch.inference_mode():
            logits = self.model(input_ids=ids, attention_mask=mask).logits
        return torch.softmax(logits.float(), dim=-1).cpu().numpy()

    def _word_tags(self, text: str, judged: dict[tuple[int, int], _Judged]) -> list[WordTag]:
        """Each word of a text with the tag of its first or most confident piece."""
        words: list[tuple[int, int, list[Any]]] = []
        for (start, end), token in sorted(judged.items()):
            start, end = _trimmed(text, start, end)
            if start == end:
                continue  # a SentencePiece "▁" standing alone: white space, no part of a word
            if words and words[-1][1] == start and text[start - 1].isalnum() and text[start].isalnum():
                words[-1] = (words[-1][0], end, [*words[-1][2], token.probabilities])
            else:
                words.append((start, end, [token.probabilities]))
        tagged = []
        for start, end, pieces in words:
            chosen = pieces[0] if self.aggregation == "first" else max(pieces, key=lambda piece: piece.max())
            best = int(chosen.argmax())
            tagged.append((start, end, self.tags[best], float(chosen[best])))
        return tagged


def _keep_best_context(window: _Window, probabilities: Any, judged: dict[tuple[int, int], _Judged]) -> None:
    """Record each token of ``window`` unless an earlier window gave it as much context on both sides."""
    last = len(window.ids) - 1
    for position, (word, (start, end)) in enumerate(zip(window.words, window.offsets)):
        if word is None or start == end:
            continue
        context = min(position, last - position)
        seen = judged.get((start, end))
        if seen is None or context > seen.context:
            judged[(start, end)] = _Judged(context, probabilities[position])


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start`` and ``end`` moved inwards past white space; equal when there is nothing else."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def load_token_classifier(settings: EntitiesSettings, context: StageContext) -> TokenClassifier | None:
    """The configured ``entities.token_model``, loaded on the run's device; ``None`` when none is configured.

    A model listed in the manifest is fetched at the manifest's revision unless
    ``entities.token_model_revision`` names another.

    Raises:
        ModelUnavailable: configured but not on disk and not downloadable (offline), or not usable;
            ``Pipeline`` reports it as a fallback, or stops under ``--strict``.
    """
    if settings.token_model is None:
        return None
    revision = settings.token_model_revision
    if revision is None:
        listed = load_manifest().get(settings.token_model)
        revision = listed.revision if listed is not None else None
    return TokenClassifier.from_pretrained(
        settings.token_model,
        device=context.device,
        batch_tokens=settings.token_model_batch_tokens,
        revision=revision,
        context=context,
    )
