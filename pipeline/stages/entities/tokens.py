"""What every entity component shares: the tokenizer, the token view the rules ask, and the mentions found.

The stage's ``nlp`` tokenises each text once, with ``RuleTokenizer``: the same
tokens as the gazetteers' names (``gazetteer.TOKEN``), so a name found in a
text is a name of the index, and a hyphen is a token (``IND-loketten`` holds
``IND``). Each line starts a sentence, whatever its punctuation: a heading has
no full stop. The components add their candidates to ``doc._.mentions``; the
merge component keeps the ones that do not overlap.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from pipeline.document import Label
from pipeline.segment import sentence_spans
from pipeline.stages.entities.gazetteer import normalise, tokenize

_NEWLINE = re.compile(r"\n")

if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", getter=lambda doc: mentions(doc))
if not Doc.has_extension("article_country"):
    Doc.set_extension("article_country", default=None)


@dataclass(frozen=True)
class Mention:
    """A candidate entity in character offsets; ``source`` decides ties between candidates of the same span."""

    start: int
    end: int
    label: Label
    canonical: str
    english: str
    source: str
    extra: dict[str, Any] = field(default_factory=dict)


def mentions(doc: Doc) -> list[Mention]:
    """The candidates found so far in ``doc`` (components append to this list); also ``doc._.mentions``."""
    found = doc.user_data.get("nlnews_mentions")
    if found is None:
        found = doc.user_data["nlnews_mentions"] = []
    return found


@registry.tokenizers("nlnews_rule_tokenizer")
def make_rule_tokenizer() -> Callable[[Language], RuleTokenizer]:
    """The tokenizer for ``spacy.blank``'s config: saves building spaCy's own only to replace it."""
    return lambda nlp: RuleTokenizer(nlp.vocab, sentences=True)


class RuleTokenizer:
    """A spaCy tokenizer with the gazetteers' tokens; the first word of each line starts a sentence.

    Whitespace other than one space after a word is a token of its own, as in
    spaCy's tokenizer, so ``doc.text`` is the text and offsets need no mapping.
    With ``sentences``, it also sets every other sentence start where
    ``pipeline.segment`` starts a sentence (the one segmenter of every stage:
    the document's ``sentences`` when the caller passes them, segmented here
    otherwise), so a pipeline of rules needs no sentencizer pass over the tokens.
    """

    def __init__(self, vocab: Vocab, sentences: bool = False) -> None:
        self.vocab = vocab
        self.sentences = sentences

    def __call__(self, text: str, spans: list[tuple[int, int]] | None = None) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        sent_starts: list[bool | None] = []
        starts: list[int] = []
        ends: list[int] = []
        positions: list[int] = []
        position = 0
        sentences = (sentence_spans(text) if spans is None else spans) if self.sentences else []
        pending = iter([start for start, _ in sentences] + [len(text) + 1])
        next_start = next(pending)

        def add_gap(gap: str) -> None:
            """Text between two tokens: one space joins them, anything else is a token of its own."""
            if gap.startswith(" ") and words and not spaces[-1]:
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
                sent_starts.append(None if not self.sentences else False)

        for match in tokenize(normalise(text)):
            add_gap(text[position : match.start()])
            positions.append(len(words))
            starts.append(match.start())
            ends.append(match.end())
            word = text[match.start() : match.end()]
            words.append(word)
            spaces.append(False)
            starts_line = position == 0 or "\n" in text[position : match.start()]
            if not self.sentences:
                sent_starts.append(True if starts_line else None)
            else:
                opens = match.start() >= next_start
                while match.start() >= next_start:
                    next_start = next(pending)
                sent_starts.append(starts_line or opens)
            position = match.end()
        add_gap(text[position:])
        if sent_starts:
            sent_starts[0] = True
        doc = Doc(self.vocab, words=words, spaces=spaces, sent_starts=sent_starts or None)
        # What ``Tokens`` needs, known here already: saves a pass over the doc's tokens in Python.
        doc.user_data["nlnews_words"] = (text, positions, starts, ends)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> RuleTokenizer:
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        return None

    def from_disk(self, path: Any, **kwargs: Any) -> RuleTokenizer:
        return self


class Tokens:
    """The tokens of a text, with the neighbourhood questions the rules ask.

    Built once per doc (``Tokens.of``) and shared by the components; the
    whitespace tokens are left out.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        known = doc.user_data.get("nlnews_words")
        if known is not None:
            self.text, positions, self.starts, self.ends = known
        else:
            self.text = doc.text
            positions = [token.i for token in doc if not token.is_space]
            self.starts = [doc[i].idx for i in positions]
            self.ends = [doc[i].idx + len(doc[i]) for i in positions]
        text = normalise(self.text)
        self.words = [text[start:end] for start, end in zip(self.starts, self.ends)]
        #: The position in ``words`` of each doc token that is no whitespace.
        self._position = dict(zip(positions, range(len(positions))))
        sent_start = doc.to_array("SENT_START").tolist()
        spaces = doc.to_array("IS_SPACE").tolist()
        self.sentence_initial = {
            index
            for index, i in enumerate(positions)
            if sent_start[i] == 1 or (i > 0 and spaces[i - 1] and sent_start[i - 1] == 1)
        }
        #: The token starting at each character offset that starts one.
        self.index_at = dict(zip(self.starts, range(len(self.starts))))
        #: Index of the first token of the next line, so no name spans a line break.
        self.line_stop: list[int] = []
        for newline in (*(match.start() for match in _NEWLINE.finditer(self.text)), len(self.text)):
            after = bisect_left(self.starts, newline)
            self.line_stop += [after] * (after - len(self.line_stop))

    @classmethod
    def of(cls, doc: Doc) -> Tokens:
        """The doc's token view, built on first use."""
        tokens = doc.user_data.get("nlnews_tokens")
        if tokens is None:
            tokens = doc.user_data["nlnews_tokens"] = cls(doc)
        return tokens

    def __len__(self) -> int:
        return len(self.words)

    def from_doc(self, start: int, end: int) -> tuple[int, int]:
        """The word positions of a match's doc tokens ``start:end`` (matches never start or end on whitespace)."""
        return self._position[start], self._position[end - 1] + 1

    def word(self, index: int, anchor: int) -> str | None:
        """Token ``index`` if it exists and is on the same line as token ``anchor``."""
        if not 0 <= index < len(self.words):
            return None
        first, last = sorted((index, anchor))
        return self.words[index] if self.line_stop[first] > last else None

    def glued(self, left: int, right: int) -> bool:
        return 0 <= left and right < len(self.words) and self.ends[left] == self.starts[right]

    def is_compound_tail(self, index: int) -> bool:
        """``Holland`` in ``Noord-Holland``: the token before is a joining hyphen."""
        return self._is_joining_hyphen(index - 1)

    def is_compound_head(self, end: int) -> bool:
        """``Noord`` in ``Noord-Holland``: the token after the mention (``end``) is a joining hyphen."""
        return self._is_joining_hyphen(end)

    def surface(self, first: int, end: int) -> str:
        """The text of tokens ``first`` up to ``end``."""
        return self.text[self.starts[first] : self.ends[end - 1]]

    def _is_joining_hyphen(self, index: int) -> bool:
        return (
            0 < index < len(self.words) - 1
            and self.words[index] == "-"
            and self.glued(index - 1, index)
            and self.glued(index, index + 1)
        )


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()
