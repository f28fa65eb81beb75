"""Speed of the translate stage: sentences per second, random weights, forced output length.

Speed does not depend on weight values, so the models are built from a config
(no download): ``tiny`` is the test fixture's size, ``opus-mt`` the size of
Helsinki-NLP/opus-mt-nl-en (d_model 512, 6+6 layers, 8 heads, ffn 2048,
vocabulary 67028). Every sentence gets exactly ``--new-tokens`` output tokens
(``min_new_tokens == max_new_tokens``), so runs compare like with like.

    python -m bench.translate_speed                      # both sizes, 1 and 2 threads
    python -m bench.translate_speed --sizes opus-mt --threads 4 --device cuda
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import sentencepiece
import torch
from transformers import MarianConfig, MarianMTModel, MarianTokenizer

from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.translate import TranslateSettings, TranslateStage

#: Architecture of each size. ``vocab`` is the model's output vocabulary (the tokenizer's
#: is padded to it); ``None`` means the tokenizer's own, as in the test fixture.
SIZES = {
    "tiny": dict(d_model=32, layers=2, heads=2, ffn=64, vocab=None, positions=64),
    "opus-mt": dict(d_model=512, layers=6, heads=8, ffn=2048, vocab=67028, positions=512),
}

_SUBJECTS = ["De gemeente Utrecht", "Het kabinet", "De IND", "De burgemeester van Zwolle", "Een woordvoerder"]
_VERBS = ["sluit", "opent", "onderzoekt", "betaalt", "bespreekt", "verlengt"]
_OBJECTS = [
    "de loketten in Rotterdam en Eindhoven",
    "een nieuw kantoor voor inwoners en bedrijven",
    "de aanvragen van asielzoekers uit 2023",
    "de plannen voor betaalbare woningen aan de rand van de stad",
    "het onderzoek naar de brand in het oude stationsgebouw",
]
_TAILS = ["", " volgende week", " omdat de wachttijden oplopen", ", zegt de minister", " na overleg met de raad"]


def dutch_sentences(count: int, seed: int = 0) -> list[str]:
    """Distinct news-like Dutch sentences of 6 to 20 words, so nothing is de-duplicated away."""
    rng = random.Random(seed)
    sentences: list[str] = []
    while len(sentences) < count:
        words = (rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS) + rng.choice(_TAILS))
        sentence = f"{' '.join(words)} ({rng.randint(1, 999)})."
        if sentence not in sentences:
            sentences.append(sentence)
    return sentences


def build_model(directory: Path, size: str, new_tokens: int) -> int:
    """Write a random-weight Marian model that always emits ``new_tokens`` tokens; return its parameter count."""
    shape = SIZES[size]
    directory.mkdir(parents=True)
    corpus = directory / "corpus.txt"
    corpus.write_text("\n".join(dutch_sentences(400, seed=1)), encoding="utf-8")
    # BPE with this vocabulary gives about 1.5 tokens per word, close to opus-mt's tokenizer
    # on Dutch news, so input lengths (and encoder cost) are realistic.
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(directory / "spm"),
        model_type="bpe",
        vocab_size=250,
        hard_vocab_limit=False,
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        minloglevel=2,
    )
    processor = sentencepiece.SentencePieceProcessor(model_file=str(directory / "spm.model"))
    vocab = {processor.id_to_piece(index): index for index in range(processor.get_piece_size())}
    vocab_size = shape["vocab"] or len(vocab) + 1
    vocab.update({f"<unused{index}>": index for index in range(len(vocab), vocab_size - 1)})
    vocab["<pad>"] = vocab_size - 1
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    spm = str(directory / "spm.model")
    tokenizer = MarianTokenizer(spm, spm, str(directory / "vocab.json"), model_max_length=shape["positions"])
    model_dir = directory / "model"
    tokenizer.save_pretrained(model_dir)
    pad_id = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=vocab_size,
        d_model=shape["d_model"],
        encoder_layers=shape["layers"],
        decoder_layers=shape["layers"],
        encoder_attention_heads=shape["heads"],
        decoder_attention_heads=shape["heads"],
        encoder_ffn_dim=shape["ffn"],
        decoder_ffn_dim=shape["ffn"],
        max_position_embeddings=shape["positions"],
        pad_token_id=pad_id,
        eos_token_id=0,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=0,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    # As in opus-mt's generation_config.json (beam 4, which the stage's setting overrides),
    # plus the forced output length.
    model.generation_config.update(
        bad_words_ids=[[pad_id]], num_beams=4, max_length=shape["positions"], min_new_tokens=new_tokens
    )
    model.save_pretrained(model_dir)
    return sum(parameter.numel() for parameter in model.parameters())


def measure(
    model_dir: Path, sentences: list[str], threads: int, beams: int, new_tokens: int, device: str, repeats: int
) -> float:
    """Median seconds for the stage to translate ``sentences`` (summaries of 4-sentence documents)."""
    settings = TranslateSettings(model=str(model_dir), threads=threads, num_beams=beams, max_new_tokens=new_tokens)
    stage = TranslateStage(settings, StageContext(device=device))

    summaries = [sentences[start : start + 4] for start in range(0, len(sentences), 4)]

    def documents() -> list[Result]:
        return [
            Result(id=str(number), text=" ".join(summary), language="nl", summary=summary)
            for number, summary in enumerate(summaries)
        ]

    stage(documents())
    timings = []
    for _ in range(repeats):
        docs = documents()
        started = time.perf_counter()
        stage(docs)
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        timings.append(time.perf_counter() - started)
        assert all(doc.status["translate"] == "ok" for doc in docs)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=sorted(SIZES), default=["tiny", "opus-mt"])
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2], help="torch CPU thread counts to compare")
    parser.add_argument("--beams", type=int, default=1, help="beam width (1 is greedy, the stage's default)")
    parser.add_argument("--sentences", type=int, default=64, help="sentences per stage call (one batch)")
    parser.add_argument("--new-tokens", type=int, default=32, help="forced output length per sentence")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs after one warm-up; the median is shown")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
    logging.getLogger("transformers").setLevel(logging.ERROR)

    sentences = dutch_sentences(args.sentences)
    workdir = Path(tempfile.mkdtemp(prefix="nlnews-bench-"))
    try:
        search = "greedy" if args.beams == 1 else f"beam {args.beams}"
        print(f"{args.sentences} sentences, {args.new_tokens} output tokens each, {search}, device {args.device}")
        print(f"{'size':8} {'params':>8} {'threads':>7} {'s/batch':>8} {'sent/s':>8} {'tokens/s':>9}")
        for size in args.sizes:
            parameters = build_model(workdir / size, size, args.new_tokens)
            for threads in args.threads:
                seconds = measure(
                    workdir / size / "model", sentences, threads, args.beams, args.new_tokens, args.device, args.repeats
                )
                rate = args.sentences / seconds
                tokens = rate * args.new_tokens
                print(f"{size:8} {parameters / 1e6:7.1f}M {threads:7d} {seconds:8.3f} {rate:8.1f} {tokens:9.0f}")
    finally:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
