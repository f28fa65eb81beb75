"""Speed of the Hugging Face token-classification backend of the entities stage.

A BERT of bert-base's shape (12 layers, hidden 768, the size of BERTje and of
the manifest's CoNLL-2002 model) with random weights, since speed does not
depend on them, over the first paragraphs of synthetic Dutch news articles
(``bench.throughput.synthetic_articles``), tokenised by a WordPiece vocabulary
trained on those texts. Two numbers: articles/s batched under the default
token budget, and with one window per model call on the first ``--single``
of the same texts (unbatched is slow enough that all of them would take
minutes); each is the best of ``--repeat`` runs (the machine is shared).

    python -m bench.token_model                   # 50 paragraphs on the CPU, under a minute on 2 cores
    python -m bench.token_model --device cuda --texts 2000

The last line reads ``token model articles/s: batched X.X; one window per call Y.Y (Z.ZZx)``.
"""

from __future__ import annotations

import argparse
import time

from bench.throughput import synthetic_articles
from pipeline.models import pick_device
from pipeline.stages.entities.transformer import TokenClassifier

TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


def paragraphs(count: int) -> list[str]:
    """The first paragraph (three sentences, 40 to 70 words) of ``count`` distinct synthetic articles."""
    return [article["text"].split("\n\n")[0] for article in synthetic_articles(count)]


def bert_base_classifier(texts: list[str], device: str) -> TokenClassifier:
    """A random-weight BERT-base token classifier with a WordPiece vocabulary trained on ``texts``."""
    import torch
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=2000, special_tokens=specials))
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", tokenizer.token_to_id("[CLS]")), ("[SEP]", tokenizer.token_to_id("[SEP]"))],
    )
    tokenizer.decoder = decoders.WordPiece()
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=512,
    )
    config = BertConfig(
        vocab_size=tokenizer.get_vocab_size(),
        pad_token_id=tokenizer.token_to_id("[PAD]"),
        id2label=dict(enumerate(TAGS)),
        label2id={tag: index for index, tag in enumerate(TAGS)},
    )
    torch.manual_seed(0)
    dtype = torch.float16 if device.startswith("cuda") else torch.float32
    model = BertForTokenClassification(config).to(device=device, dtype=dtype).eval()
    return TokenClassifier(fast, model, model_id="random-bert-base@local", device=device)


def articles_per_second(classifier: TokenClassifier, texts: list[str], batch_tokens: int, repeat: int) -> float:
    """Texts per second, the best of ``repeat`` calls of ``predict`` over all ``texts`` under one token budget."""
    classifier.batch_tokens = batch_tokens
    classifier.predict(texts[:2])  # warm-up: first-call allocations are not what a long run pays
    fastest = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        classifier.predict(texts)
        fastest = min(fastest, time.perf_counter() - started)
    return len(texts) / fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=50, help="paragraphs to tag")
    parser.add_argument("--device", default="cpu", help="cpu, cuda, cuda:N, mps or auto")
    parser.add_argument("--batch-tokens", type=int, default=4096, help="token budget of the batched run")
    parser.add_argument("--single", type=int, default=5, help="paragraphs of the run with one window per call")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of each measurement; the best counts")
    args = parser.parse_args()
    device = pick_device(args.device)
    texts = paragraphs(args.texts)
    classifier = bert_base_classifier(texts, device)
    tokens = sum(len(ids) for ids in classifier.tokenizer(texts)["input_ids"])
    print(f"{len(texts)} paragraphs, {tokens} tokens ({tokens / len(texts):.0f} per paragraph) on {device}")
    batched = articles_per_second(classifier, texts, args.batch_tokens, args.repeat)
    single = articles_per_second(classifier, texts[: args.single], 1, args.repeat)
    print(f"token model articles/s: batched {batched:.1f}; one window per call {single:.1f} ({batched / single:.2f}x)")


if __name__ == "__main__":
    main()
