"""Speed of the translate stage per backend: transformers (PyTorch fp32) against CTranslate2 (int8).

Speed does not depend on weight values, so the models are built from a config
(no download): ``tiny`` is the test fixture's size, ``opus-mt`` the size of
Helsinki-NLP/opus-mt-nl-en (d_model 512, 6+6 layers, 8 heads, ffn 2048,
vocabulary 67028). Every sentence gets exactly ``--new-tokens`` output tokens
(``min_new_tokens == max_new_tokens``), so both backends do the same work; the
run cache is off, so every timed run translates everything again. Each
measurement runs in a fresh process, so its peak memory (whole process, Python
and libraries included) is its own. The last line is the ratio of tokens/s at
the largest size and thread count, for scripts to check.

    python -m bench.translate                                   # opus-mt size, beam 1 and 4, both backends
    python -m bench.translate --sizes tiny opus-mt --threads 1 2 --beams 1
    python -m bench.translate --device cuda --threads 4
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import sentencepiece
import torch
from transformers import MarianConfig, MarianMTModel, MarianTokenizer

from pipeline.document import Result
from pipeline.models import ModelRef, convert_ctranslate2
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


def build_model(directory: Path, size: str) -> int:
    """Write a random-weight Marian model of ``size``; return its parameter count."""
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
    # As in opus-mt's generation_config.json (beam 4, which the stage's setting overrides).
    model.generation_config.update(bad_words_ids=[[pad_id]], num_beams=4, max_length=shape["positions"])
    model.save_pretrained(model_dir)
    return sum(parameter.numel() for parameter in model.parameters())


def measure(
    model_dir: Path,
    sentences: list[str],
    backend: str,
    threads: int,
    beams: int,
    new_tokens: int,
    device: str,
    repeats: int,
) -> tuple[float, float]:
    """Median seconds for the stage to translate ``sentences`` (summaries of 4-sentence documents),
    and the peak memory of this process in MB."""
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
    logging.getLogger("transformers").setLevel(logging.ERROR)
    # Torch's threads are the process's (this one measures alone); CTranslate2's are the translator's.
    torch.set_num_threads(threads)
    settings = TranslateSettings(
        model=str(model_dir),
        backend=backend,
        threads=threads if backend == "ctranslate2" else None,
        num_beams=beams,
        max_new_tokens=new_tokens,
        min_new_tokens=new_tokens,
        cache_size=0,
    )
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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024**2 if sys.platform == "darwin" else 1024)
    return statistics.median(timings), peak


def measure_apart(*args: object) -> tuple[float, float]:
    """``measure`` in a fresh process, so that its peak memory is not another measurement's."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(measure, *args).result()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=sorted(SIZES), default=["opus-mt"])
    parser.add_argument(
        "--backends", nargs="+", choices=["transformers", "ctranslate2"], default=["transformers", "ctranslate2"]
    )
    parser.add_argument("--threads", nargs="+", type=int, default=[2], help="CPU thread counts to compare")
    parser.add_argument(
        "--beams", nargs="+", type=int, default=[1, 4], help="beam widths (1 is greedy, the stage's default)"
    )
    parser.add_argument("--sentences", type=int, default=200, help="sentences per stage call")
    parser.add_argument("--new-tokens", type=int, default=32, help="forced output length per sentence")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs after one warm-up; the median is shown")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
    logging.getLogger("transformers").setLevel(logging.ERROR)

    sentences = dutch_sentences(args.sentences)
    workdir = Path(tempfile.mkdtemp(prefix="nlnews-bench-"))
    tokens_per_second: dict[tuple[str, int, str, int], float] = {}
    try:
        print(f"{args.sentences} sentences, {args.new_tokens} output tokens each, device {args.device}")
        print(
            f"{'size':8} {'params':>8} {'backend':12} {'threads':>7} {'beams':>5} "
            f"{'s/run':>8} {'sent/s':>8} {'tokens/s':>9} {'peak MB':>8}"
        )
        for size in args.sizes:
            parameters = build_model(workdir / size, size)
            model_dir = workdir / size / "model"
            if "ctranslate2" in args.backends:
                # As `nlnews models convert` does, once, before any timed process.
                convert_ctranslate2("translate", ModelRef(str(model_dir), model_dir, "local"))
            for threads in args.threads:
                for beams in args.beams:
                    for backend in args.backends:
                        seconds, peak = measure_apart(
                            model_dir, sentences, backend, threads, beams, args.new_tokens, args.device, args.repeats
                        )
                        rate = args.sentences / seconds
                        tokens_per_second[(size, threads, backend, beams)] = rate * args.new_tokens
                        print(
                            f"{size:8} {parameters / 1e6:7.1f}M {backend:12} {threads:7d} {beams:5d} "
                            f"{seconds:8.3f} {rate:8.1f} {rate * args.new_tokens:9.0f} {peak:8.0f}",
                            flush=True,
                        )
    finally:
        shutil.rmtree(workdir)
    if {"transformers", "ctranslate2"} <= set(args.backends):
        size, threads = args.sizes[-1], args.threads[-1]
        ratios = " ".join(
            f"beam{beams} {tokens_per_second[(size, threads, 'ctranslate2', beams)] / tokens_per_second[(size, threads, 'transformers', beams)]:.2f}"
            for beams in args.beams
        )
        print(f"speed ratio ctranslate2/transformers: {ratios}")


if __name__ == "__main__":
    main()
