"""The parts of translation that are not the stage itself: name protection, the run cache, the translator.

Name protection. Before a segment goes to the model, each protected name in
it (an entity of the entities stage, or a term of the configured glossary) is
replaced by a placeholder ``ZQX0``, ``ZQX1``, ... and after translation the
placeholder is replaced by the name an English reader knows. The placeholder
is built to be copied, not translated: upper-case Latin letters and a number
read as a code or an acronym, which opus-mt models copy unchanged (as they
copy ``IND`` or ``KLM``), and the letters ``ZQX`` occur in no Dutch or English
word, so restoring never touches real text. Numbering starts at 0 in every
segment, so ``De gemeente Utrecht sluit.`` and ``De gemeente Zwolle sluit.``
become the same model input and are translated once. A model may still
mangle or drop a placeholder: then that segment's protected translation is
rejected and the segment is translated again without protection, so a name is
never lost and a placeholder never reaches the output.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.errors import StageError
from pipeline.seq2seq import generate

#: What the model sees instead of a protected name; the number says which name.
PLACEHOLDER = "ZQX{}"
#: A placeholder in model output, tolerating the spaces a tokenizer may put between its pieces
#: and a change of case (a model may write a sentence-initial word in lower case).
_PLACEHOLDER_OUTPUT = re.compile(r"[Zz]\s?[Qq]\s?[Xx]\s?(\d+)")
#: A name written in capitals (``IND``, ``ABN AMRO``) stays as written: English news keeps
#: Dutch acronyms, and the expansion is in the entity's ``english`` field.
_ACRONYM = re.compile(r"[^a-z]*[A-Z][^a-z]*")


@dataclass(frozen=True)
class Name:
    """A protected mention: where it is in its segment and what replaces it in English."""

    start: int
    end: int
    english: str


@dataclass(frozen=True)
class ProtectedText:
    """A segment with its names replaced by placeholders; ``names[i]`` restores placeholder ``i``."""

    text: str
    names: tuple[str, ...] = ()


def english_form(text: str, english: str) -> str:
    """The name to write in English: the entity's ``english``, except that an acronym stays as written."""
    return text if _ACRONYM.fullmatch(text) else english or text


def find_names(text: str, replacements: dict[str, str]) -> list[Name]:
    """Every whole-word occurrence of the keys of ``replacements`` in ``text``; the longest wins where they overlap.

    Used where no entity offsets exist (the title, an abstractive summary) and
    for glossary terms.
    """
    if not replacements:
        return []
    pattern = _names_pattern(tuple(sorted(replacements, key=len, reverse=True)))
    return [Name(match.start(), match.end(), replacements[match.group()]) for match in pattern.finditer(text)]


@lru_cache(maxsize=256)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation, longest name first, so a glossary of any size is one scan per segment."""
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?!\w)")


def protect(text: str, names: Iterable[Name]) -> ProtectedText:
    """Replace each name by a placeholder; overlapping names keep the one that starts first, then the longest.

    A text that already contains something like a placeholder is left unprotected,
    since its own ``ZQX1`` could not be told from ours.
    """
    if _PLACEHOLDER_OUTPUT.search(text):
        return ProtectedText(text)
    parts: list[str] = []
    kept: list[str] = []
    position = 0
    for name in sorted(names, key=lambda name: (name.start, name.start - name.end)):
        if name.start < position:
            continue
        parts.append(text[position : name.start])
        parts.append(PLACEHOLDER.format(len(kept)))
        kept.append(name.english)
        position = name.end
    parts.append(text[position:])
    return ProtectedText("".join(parts), tuple(kept))


def restore(translation: str, names: Sequence[str]) -> str | None:
    """Put the names back into a translation; ``None`` when a placeholder was lost, repeated or invented."""
    found = [int(match.group(1)) for match in _PLACEHOLDER_OUTPUT.finditer(translation)]
    if sorted(found) != list(range(len(names))):
        return None
    return _PLACEHOLDER_OUTPUT.sub(lambda match: names[int(match.group(1))], translation)


class TranslationCache:
    """The translations of one run, keyed by a hash of the source text, least recently used evicted first.

    Boilerplate and syndicated copies repeat sentences across batches; each is
    translated once per run. The key is a 16-byte digest, so a long sentence
    costs its translation only.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[bytes, str] = OrderedDict()

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def get(self, text: str) -> str | None:
        key = self.key(text)
        translation = self._entries.get(key)
        if translation is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(key)
        return translation

    def put(self, text: str, translation: str) -> None:
        if self.size == 0:
            return
        key = self.key(text)
        self._entries[key] = translation
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class TransformersBackend:
    """Greedy or beam decoding with ``model.generate`` under ``torch.inference_mode``."""

    def __init__(self, tokenizer: Any, model: Any, device: str, num_beams: int, min_new_tokens: int | None) -> None:
        self.tokenizer = tokenizer
        self.model = model
        self.device = device
        self.num_beams = num_beams
        self.min_new_tokens = min_new_tokens

    def translate(self, batch: list[list[int]], max_new_tokens: int) -> list[str]:
        """Translate one batch of token ids (end-of-sentence included) into texts."""
        texts = generate(
            self.tokenizer,
            self.model,
            self.device,
            batch,
            num_beams=self.num_beams,
            max_new_tokens=max_new_tokens,
            min_new_tokens=self.min_new_tokens,
        )
        return [text.strip() for text in texts]


class CTranslate2Backend:
    """The same batches through a CTranslate2 translator (int8 on CPU): several times faster than PyTorch."""

    def __init__(self, tokenizer: Any, translator: Any, num_beams: int, min_new_tokens: int | None) -> None:
        self.tokenizer = tokenizer
        self.translator = translator
        self.num_beams = num_beams
        self.min_new_tokens = min_new_tokens
        self._special = frozenset(tokenizer.all_special_tokens)

    def translate(self, batch: list[list[int]], max_new_tokens: int) -> list[str]:
        """Translate one batch of token ids (end-of-sentence included) into texts.

        ``max_new_tokens`` counts the end-of-sentence mark, as transformers does;
        CTranslate2's decoding length does not, hence the one less.
        """
        longest = max(1, max_new_tokens - 1)
        results = self.translator.translate_batch(
            [self.tokenizer.convert_ids_to_tokens(ids) for ids in batch],
            beam_size=self.num_beams,
            max_decoding_length=longest,
            min_decoding_length=min(self.min_new_tokens or 1, longest),
            max_input_length=0,
        )
        return [
            self.tokenizer.convert_tokens_to_string([t for t in result.hypotheses[0] if t not in self._special]).strip()
            for result in results
        ]


def batch_by_tokens(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Group indices into batches whose padded size (longest length x rows) stays within ``budget``.

    Longest first, so padding is small and an out-of-memory error shows in the
    first batch rather than hours into a run. A single segment longer than the
    budget gets a batch of its own.

    Args:
        lengths: token length of each segment.
        budget: the token budget of one batch.

    Returns:
        Lists of indices into ``lengths``; together they hold every index once.
    """
    order = sorted(range(len(lengths)), key=lambda index: -lengths[index])
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        if current and lengths[current[0]] * (len(current) + 1) > budget:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


class Translator:
    """A loaded model behind the one call the stage makes: texts that fit the model in, their English out.

    The stage plans segments, protects names and remembers translations; a
    translator only counts tokens, batches under the token budget and decodes
    through its backend. Hand one to ``TranslateStage(settings, context,
    translator=...)`` to use a model already in memory, as
    ``transformers.pipeline(model=...)`` takes a loaded model.

    Args:
        tokenizer: the model's tokenizer.
        backend: decodes a batch of token ids (``TransformersBackend`` or ``CTranslate2Backend``).
        model_limit: the longest input in tokens (``pipeline.seq2seq.model_input_limit``).
        model_id: ``name@revision`` for the records' ``models`` field.
        device: where the model runs.
        batch_tokens: token budget per model call (padded length times rows).
        max_new_tokens: longest output; ``None`` allows twice the batch's input length plus 10.
    """

    def __init__(
        self,
        tokenizer: Any,
        backend: TransformersBackend | CTranslate2Backend,
        model_limit: int,
        *,
        model_id: str | None = None,
        device: str = "cpu",
        batch_tokens: int = 4096,
        max_new_tokens: int | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        self.backend = backend
        self.model_limit = model_limit
        self.model_id = model_id
        self.device = device
        self.batch_tokens = batch_tokens
        self.max_new_tokens = max_new_tokens

    def count_tokens(self, text: str) -> int:
        """The model's input length of ``text``, end-of-sentence mark included."""
        return len(self.tokenizer(text, verbose=False)["input_ids"])

    def translate(self, texts: list[str]) -> list[str]:
        """Translate each text, in length-sorted batches under the token budget; outputs in input order.

        Every text must already fit the model: it is checked, never truncated.
        """
        if not texts:
            return []
        encoded = self.tokenizer(texts)["input_ids"]
        lengths = [len(ids) for ids in encoded]
        too_long = [length for length in lengths if length > self.model_limit]
        if too_long:
            raise StageError(
                f"{len(too_long)} input(s) up to {max(too_long)} tokens exceed the model limit "
                f"of {self.model_limit}; split them with split_to_fit first"
            )
        outputs: list[str] = [""] * len(texts)
        for batch in batch_by_tokens(lengths, self.batch_tokens):
            longest = lengths[batch[0]]
            max_new_tokens = min(self.max_new_tokens or 2 * longest + 10, self.model_limit)
            translated = self.backend.translate([encoded[index] for index in batch], max_new_tokens)
            for index, text in zip(batch, translated):
                outputs[index] = text
        return outputs
