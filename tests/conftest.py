"""Model fixtures: tiny models with random weights, built on the fly.

No model hub is reachable in development or CI, so the tests build real model
directories (real tokenizer files, real config, safetensors weights) that load
through the same ``from_pretrained`` path as a downloaded model. The weights
are random: tests check plumbing and shapes, never wording.
"""

from __future__ import annotations

import ipaddress
import json
import os
import random
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import hypothesis
import pytest

if TYPE_CHECKING:
    from transformers import MarianTokenizer

# No property test has a deadline: how long an example takes is for bench/, never an assertion.
hypothesis.settings.register_profile("nlnews", deadline=None)
hypothesis.settings.load_profile("nlnews")

#: ``shared/`` beside the checkout, as on the development machines and in CI.
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def seed_page() -> str:
    """The page the product was created from; skipped where the checkout has no ``shared/`` beside it."""
    path = SHARED / "seed" / "ind_loketten.txt"
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path.read_text(encoding="utf-8")


#: The fixture model's input limit in tokens; small so that splitting long sentences is exercised.
TINY_MARIAN_MAX_TOKENS = 64

_DUTCH_WORDS = """
de het een en van in op met voor naar door over bij uit aan om tegen na zonder onder tussen
gemeente stad provincie minister kabinet regering rechter politie burgemeester wethouder raad
woningen scholen ziekenhuis station loket loketten aanvraag vergunning verblijf asielzoekers
inwoners bewoners bedrijven werknemers studenten leraren artsen verpleegkundigen boeren
Amsterdam Rotterdam Utrecht Den Haag Eindhoven Groningen Maastricht Zwolle Leiden Nijmegen
zegt meldt besluit sluit opent bouwt betaalt verhoogt verlaagt onderzoekt wacht vraagt krijgt
maar want omdat terwijl hoewel zodat dus toch ook nog niet geen meer minder veel weinig
jaar maand week dag januari februari maart april mei juni juli augustus 2019 2023 2024 procent
miljoen euro nieuwe oude grote kleine belangrijke snelle lange korte drukke rustige één café
""".split()

_ENGLISH_WORDS = """
the a of in on with for to by about at from against after without between and but because
municipality city province minister cabinet government judge police mayor alderman council
houses schools hospital station office offices application permit residence asylum seekers
residents companies workers students teachers doctors nurses farmers
says reports decides closes opens builds pays raises lowers investigates waits asks gets
year month week day january february march april may june july august percent million euro
new old large small important fast long short busy quiet
""".split()


def write_corpus(path: Path, sentences: int = 800, seed: int = 0) -> None:
    """Short Dutch and English sentences from word lists, enough for a few hundred pieces."""
    rng = random.Random(seed)
    lines = []
    for index in range(sentences):
        words = _ENGLISH_WORDS if index % 3 == 0 else _DUTCH_WORDS
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(4, 16)))
        lines.append(sentence[0].upper() + sentence[1:] + rng.choice(".?!;:,–"))
    path.write_text("\n".join(lines), encoding="utf-8")


def build_marian_tokenizer(workdir: Path, vocab_size: int = 400) -> MarianTokenizer:
    """Train a sentencepiece model and wrap it as a Marian tokenizer, laid out like opus-mt.

    Like the real models, source and target share one vocabulary in which
    ``</s>`` is 0, ``<unk>`` is 1 and ``<pad>`` comes last.
    """
    import sentencepiece
    from transformers import MarianTokenizer

    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "corpus.txt"
    write_corpus(corpus)
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(workdir / "spm"),
        vocab_size=vocab_size,
        model_type="unigram",
        hard_vocab_limit=False,
        character_coverage=1.0,
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        minloglevel=2,
    )
    shutil.copy(workdir / "spm.model", workdir / "source.spm")
    shutil.copy(workdir / "spm.model", workdir / "target.spm")
    processor = sentencepiece.SentencePieceProcessor(model_file=str(workdir / "spm.model"))
    vocab = {processor.id_to_piece(index): index for index in range(processor.get_piece_size())}
    vocab["<pad>"] = len(vocab)
    (workdir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    return MarianTokenizer(
        source_spm=str(workdir / "source.spm"),
        target_spm=str(workdir / "target.spm"),
        vocab=str(workdir / "vocab.json"),
        source_lang="nl",
        target_lang="en",
        model_max_length=TINY_MARIAN_MAX_TOKENS,
    )


@pytest.fixture(scope="session")
def tiny_marian_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2+2-layer Marian nl->en model with random weights, saved like a hub download.

    Load it with ``TranslateSettings(model=str(tiny_marian_dir))``. Its input
    limit is ``TINY_MARIAN_MAX_TOKENS`` (tokenizer and position table agree).
    """
    import torch
    from transformers import MarianConfig, MarianMTModel

    root = tmp_path_factory.mktemp("tiny-marian")
    tokenizer = build_marian_tokenizer(root / "spm")
    model_dir = root / "opus-mt-tiny-nl-en"
    tokenizer.save_pretrained(model_dir)
    pad_id = tokenizer.pad_token_id
    config = MarianConfig(
        vocab_size=len(tokenizer.get_vocab()),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=TINY_MARIAN_MAX_TOKENS,
        pad_token_id=pad_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    model.generation_config.bad_words_ids = [[pad_id]]  # as in opus-mt: never generate padding
    model.save_pretrained(model_dir)
    return model_dir


#: Loaded by every Python process started with ``ConnectAudit.env``: logs its start, then each IP connect and datagram.
_AUDIT_SITECUSTOMIZE = """
import json, os, socket, sys

_log = os.environ.get("NLNEWS_CONNECT_LOG")


def _record(**entry):
    descriptor = os.open(_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.write(descriptor, (json.dumps({"pid": os.getpid(), **entry}) + "\\n").encode())
    os.close(descriptor)


def _audit(event, args):
    if event in ("socket.connect", "socket.sendto") and args[0].family in (socket.AF_INET, socket.AF_INET6):
        _record(event=event, address=list(args[1][:2]))


if _log:
    with open("/proc/self/cmdline", "rb") as cmdline:
        _record(event="start", argv=[part.decode(errors="replace") for part in cmdline.read().split(b"\\0") if part])
    sys.addaudithook(_audit)
"""


class ConnectAudit:
    """Records every IP connection any Python process of a subprocess run attempts, through an audit hook.

    ``env`` puts a ``sitecustomize`` first on ``PYTHONPATH``, so the hook is in
    the CLI process and in every worker it starts (pool workers, Ray's workers
    and agents) before any of their code runs.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "sitecustomize.py").write_text(_AUDIT_SITECUSTOMIZE, encoding="utf-8")
        self.log = folder / "connects.jsonl"
        path = [str(folder), *filter(None, [os.environ.get("PYTHONPATH")])]
        self.env = {"PYTHONPATH": os.pathsep.join(path), "NLNEWS_CONNECT_LOG": str(self.log)}

    def entries(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def attempts(self) -> list[dict]:
        """Every connect and datagram, with its ``address`` as ``[host, port]``."""
        return [entry for entry in self.entries() if entry["event"] != "start"]

    def programs(self) -> set[str]:
        """The scripts the audited processes ran (``default_worker.py``, ``pipeline`` for ``-m pipeline``)."""
        names = set()
        for entry in self.entries():
            if entry["event"] == "start":
                argv = entry["argv"]
                script = (
                    argv[argv.index("-m") + 1]
                    if "-m" in argv
                    else next((arg for arg in argv[1:] if arg.endswith(".py")), argv[0])
                )
                names.add(Path(script).name)
        return names

    def outside(self) -> list[dict]:
        """The attempts whose target is not this machine's loopback."""
        return [attempt for attempt in self.attempts() if not self.is_loopback(attempt["address"][0])]

    @staticmethod
    def is_loopback(host: str) -> bool:
        """127.0.0.0/8, ::1 and their IPv4-mapped forms; a host name counts as outside unless it is ``localhost``."""
        if host == "localhost":
            return True
        try:
            address = ipaddress.ip_address(host.split("%")[0])
        except ValueError:
            return False
        mapped = getattr(address, "ipv4_mapped", None)
        return address.is_loopback or bool(mapped and mapped.is_loopback)


@pytest.fixture
def connect_audit(tmp_path: Path) -> ConnectAudit:
    return ConnectAudit(tmp_path / "connect-audit")


@pytest.fixture(scope="module")
def module_connect_audit(tmp_path_factory: pytest.TempPathFactory) -> ConnectAudit:
    """One audit for a module's tests that share one expensive run (a Ray cluster)."""
    return ConnectAudit(tmp_path_factory.mktemp("connect-audit"))
