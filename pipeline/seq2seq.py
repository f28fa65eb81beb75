"""What every seq2seq stage needs around ``model.generate``: inputs that fit the model, and decoding.

The translate stage and the abstractive summariser both feed whole sentences to
a model with a bounded input: a sentence that does not fit is split at its most
natural boundary (never truncated), the model's real limit is read from its
tokenizer and config, and decoding runs batched under ``torch.inference_mode``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

#: Where a too-long sentence is split first: after clause punctuation or a spaced dash.
_CLAUSE_PUNCTUATION = re.compile(r"(?<=[;:,–—])\s+|(?<=\s-)\s+")
#: Then before a conjunction. Dutch, the source language this project is for;
#: in other languages they rarely match and the word level takes over.
_CONJUNCTION = re.compile(
    r"\s+(?=(?:en|maar|want|of|dus|doch|omdat|doordat|terwijl|zodat|hoewel|nadat|voordat|"
    r"totdat|zodra|wanneer|indien|tenzij|opdat)\b)",
    re.IGNORECASE,
)
#: Then between words.
_WHITESPACE = re.compile(r"\s+")
_SPLIT_LEVELS = (_CLAUSE_PUNCTUATION, _CONJUNCTION, _WHITESPACE)

#: Tokenizers saved without a limit report a huge sentinel instead of ``None``.
_INSANE_LIMIT = 1_000_000
#: The input limit used when neither the tokenizer nor the config states one.
_FALLBACK_LIMIT = 512


def split_to_fit(text: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` tokens, at the most natural boundary.

    Clause punctuation first, then conjunctions, then words, and only for a single
    word longer than the limit, characters. Adjacent parts are packed back
    together while they fit, so a sentence is cut as few times as possible.
    Only whitespace is ever removed: joining the pieces with spaces gives the
    text back, up to whitespace (and a space inside an over-long word).

    Args:
        text: one sentence (or title), already stripped.
        count_tokens: the model's token count of a text, special tokens included.
        limit: the largest count a piece may have.

    Returns:
        The pieces in order; ``[text]`` when it fits already.
    """
    return _split(text, count_tokens, limit, 0)


def _split(text: str, count_tokens: Callable[[str], int], limit: int, level: int) -> list[str]:
    if count_tokens(text) <= limit:
        return [text]
    if level == len(_SPLIT_LEVELS):
        return _split_characters(text, count_tokens, limit)
    parts = [part for part in _SPLIT_LEVELS[level].split(text) if part]
    if len(parts) == 1:
        return _split(text, count_tokens, limit, level + 1)
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if count_tokens(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if count_tokens(part) <= limit:
            current = part
        else:
            pieces.extend(_split(part, count_tokens, limit, level + 1))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _split_characters(word: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Cut a word without spaces (a URL, a very long compound) into the longest prefixes that fit."""
    pieces: list[str] = []
    rest = word
    while len(rest) > 1 and count_tokens(rest) > limit:
        low, high = 1, len(rest) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if count_tokens(rest[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        pieces.append(rest[:low])
        rest = rest[low:]
    pieces.append(rest)
    return pieces


def model_input_limit(tokenizer: Any, config: Any) -> int:
    """The longest input the model accepts, in tokens with the end-of-sentence mark.

    Either number may be missing or a "no limit" sentinel, so take the smaller sane one.
    """
    candidates = (getattr(tokenizer, "model_max_length", None), getattr(config, "max_position_embeddings", None))
    sane = [value for value in candidates if isinstance(value, int) and 0 < value < _INSANE_LIMIT]
    if not sane:
        logger.warning("model states no input limit; assuming %d tokens", _FALLBACK_LIMIT)
        return _FALLBACK_LIMIT
    return min(sane)


def generate(
    tokenizer: Any,
    model: Any,
    device: str,
    batch: list[list[int]],
    *,
    num_beams: int,
    max_new_tokens: int,
    min_new_tokens: int | None = None,
) -> list[str]:
    """Decode one batch of token-id lists (special tokens included) into texts, special tokens dropped.

    The length goes in as ``max_length`` (decoder start token included): with
    ``max_new_tokens``, transformers warns on every call for models whose
    generation config sets ``max_length``, as opus-mt's does.
    """
    import torch

    inputs = tokenizer.pad({"input_ids": batch}, return_tensors="pt")
    extra = {} if min_new_tokens is None else {"min_new_tokens": min_new_tokens}
    with torch.inference_mode():
        generated = model.generate(
            **inputs.to(device),
            num_beams=num_beams,
            do_sample=False,
            max_length=max_new_tokens + 1,
            max_new_tokens=None,
            **extra,
        )
    return tokenizer.batch_decode(generated, skip_special_tokens=True)
