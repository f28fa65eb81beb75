"""``nlnews models import`` against crafted bundles: nothing lands outside the store, a refusal changes nothing.

Each attack is a tar built here, byte by byte, the way an attacker would build
it; the good bundle beside them is what ``models export`` writes (a lock and
regular files). Every refusal must be one line on stderr, exit 3, the store
exactly as before and the folder around it untouched.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.cli import EXIT_MODEL_MISSING, EXIT_OK, EXIT_USAGE, main
from pipeline.errors import ModelStoreError
from pipeline.models import LOCK_FILE, BundleLimits, import_bundle, read_lock

OPUS = "Helsinki-NLP/opus-mt-nl-en"
OPUS_DIR = "Helsinki-NLP--opus-mt-nl-en"
OPUS_FILES = {"config.json": b'{"model_type": "marian"}', "vocab.json": b'{"</s>": 0, "<unk>": 1}'}
#: Length of the staging folder's name inside the store: ``.import-`` + 8 random characters + ``.partial``.
STAGING_NAME_LENGTH = 24
#: CVE-2025-4517 was fixed in 3.9.23, 3.10.18, 3.11.13, 3.12.11 and 3.13.4.
_FIXED_IN = {(3, 9): 23, (3, 10): 18, (3, 11): 13, (3, 12): 11, (3, 13): 4}
TARFILE_FILTER_BYPASSED = sys.version_info.micro < _FIXED_IN.get(sys.version_info[:2], 0)


def regular(name: str, data: bytes = b"") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def special(name: str, kind: bytes, link: str = "") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info, b""


def lock_for(models: dict[str, dict[str, bytes]], paths: dict[str, str] | None = None) -> bytes:
    """The lock ``export`` writes for these files; ``paths`` overrides a model's folder, as a forger would."""
    entries = {
        name: {
            "kind": "huggingface",
            "stage": "translate",
            "requested": "main",
            "revision": "c0ffee" * 6 + "abcd",
            "licence": "Apache-2.0",
            "path": (paths or {}).get(name, name.replace("/", "--")),
            "files": {
                file: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for file, data in files.items()
            },
        }
        for name, files in models.items()
    }
    return json.dumps({"version": 1, "models": entries}).encode()


def model_members(folder: str, files: dict[str, bytes]) -> list[tuple[tarfile.TarInfo, bytes]]:
    return [regular(f"{folder}/{name}", data) for name, data in files.items()]


def write_tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    mode = "w:gz" if path.name.endswith(".gz") else "w"
    with tarfile.open(path, mode) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def good_bundle(path: Path, files: dict[str, bytes] = OPUS_FILES) -> Path:
    return write_tar(path, [regular(LOCK_FILE, lock_for({OPUS: files})), *model_members(OPUS_DIR, files)])


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry below ``folder`` (hidden ones too) with its bytes; folders and links as None."""
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() and not path.is_symlink() else None
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store that already holds the opus model, imported from a good bundle."""
    store = tmp_path / "site" / "store"
    import_bundle(good_bundle(tmp_path / "good.tar"), store)
    return store


def pathmax_symlink_chain(store: Path, target: str) -> list[tuple[tarfile.TarInfo, bytes]]:
    """The CVE-2025-4517 shape: links through folders so long that ``realpath`` stops resolving past PATH_MAX.

    tarfile's ``data`` filter checks links with ``os.path.realpath``; once the
    expanded path is longer than PATH_MAX it is no longer resolved, so the final
    ``escape`` link is judged inside the destination while it points two levels
    above it (the store's parent here). The folder length is tuned to the
    staging folder, which is how the attack is aimed.
    """
    steps = "abcdefghijklmnop"
    staging = len(str(store.resolve())) + 1 + STAGING_NAME_LENGTH
    component = "d" * ((os.pathconf("/", "PC_PATH_MAX") - staging - 1) // (len(steps) + 1))
    members, path = [], ""
    for step in steps:
        members.append(special(os.path.join(path, component), tarfile.DIRTYPE))
        members.append(special(os.path.join(path, step), tarfile.SYMTYPE, component))
        path = os.path.join(path, component)
    linkpath = os.path.join(*steps, "l" * 254)
    members.append(special(linkpath, tarfile.SYMTYPE, os.path.join(*[".."] * len(steps))))
    members.append(special("escape", tarfile.SYMTYPE, os.path.join(linkpath, "..", "..")))
    members.append(regular(f"escape/{target}", b"overwritten by the bundle"))
    return members


ATTACKS: dict[str, tuple[Callable[[Path, Path], list[tuple[tarfile.TarInfo, bytes]]], str]] = {
    "pathmax-symlink-chain": (lambda store, outside: pathmax_symlink_chain(store, "victim.txt"), "symbolic link"),
    "symlink": (
        lambda store, outside: [special(f"{OPUS_DIR}/config.json", tarfile.SYMTYPE, str(outside / "victim.txt"))],
        "symbolic link",
    ),
    "hardlink": (
        lambda store, outside: [special(f"{OPUS_DIR}/config.json", tarfile.LNKTYPE, str(outside / "victim.txt"))],
        "hard link",
    ),
    "fifo": (lambda store, outside: [special(f"{OPUS_DIR}/pipe", tarfile.FIFOTYPE)], "fifo"),
    "device": (lambda store, outside: [special(f"{OPUS_DIR}/null", tarfile.CHRTYPE)], "character device"),
    "dot-dot": (lambda store, outside: [regular("../../victim.txt", b"overwritten")], "leaves the bundle's folder"),
    "absolute": (
        lambda store, outside: [regular(str(outside / "victim.txt"), b"overwritten")],
        "leaves the bundle's folder",
    ),
    "deep-folders": (lambda store, outside: [regular("a/" * 1400 + "f", b"x")], "is more than 16 folders deep"),
    "lock-nested-too-deep": (
        lambda store, outside: [regular(LOCK_FILE, b"[" * 100_000)],
        "lock.json is not a valid lock file (maximum recursion depth exceeded",
    ),
    "lock-file-outside-its-folder": (
        lambda store, outside: [
            regular(LOCK_FILE, lock_for({OPUS: {**OPUS_FILES, "../../../victim.txt": b"original"}})),
            *model_members(OPUS_DIR, OPUS_FILES),
        ],
        "names a file outside its folder: '../../../victim.txt'",
    ),
    "lock-path-of-another-model": (
        lambda store, outside: [
            regular(
                LOCK_FILE, lock_for({"some/harmless-name": {"config.json": b"{}"}}, {"some/harmless-name": OPUS_DIR})
            ),
            *model_members(OPUS_DIR, {"config.json": b"{}"}),
        ],
        "'some/harmless-name' must live in its own folder 'some--harmless-name', not 'Helsinki-NLP--opus-mt-nl-en'",
    ),
    "lock-path-climbing": (
        lambda store, outside: [
            regular(LOCK_FILE, lock_for({"x": {"config.json": b"{}"}}, {"x": ".."})),
            regular("config.json", b"{}"),
        ],
        "'x' must live in its own folder 'x', not '..'",
    ),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_crafted_bundle_is_refused_in_one_line_and_changes_nothing(attack: str, store: Path, tmp_path: Path, capsys):
    outside = tmp_path / "site"
    (outside / "victim.txt").write_text("original")
    members, reason = ATTACKS[attack]
    # Beside a valid lock and model, as a forger would hide them; the lock attacks bring their own lock.
    honest = [] if attack.startswith("lock-") else [regular(LOCK_FILE, lock_for({OPUS: OPUS_FILES}))]
    bundle = write_tar(tmp_path / f"{attack}.tar", [*honest, *members(store, outside)])
    before, around = snapshot(store), snapshot(outside.parent)
    assert main(["models", "import", str(bundle), "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    err = capsys.readouterr().err
    assert reason in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert snapshot(store) == before
    assert snapshot(outside.parent) == around
    assert (outside / "victim.txt").read_text() == "original"


@pytest.mark.skipif(not TARFILE_FILTER_BYPASSED, reason=f"tarfile's data filter is fixed on Python {sys.version}")
def test_the_pathmax_chain_gets_through_tarfiles_own_data_filter_on_this_python(tmp_path: Path):
    """Why the import checks members itself: on this Python the chain above escapes ``filter="data"``."""
    store = tmp_path / "site" / "store"
    staging = store / ".import-abcdefgh.partial"
    staging.mkdir(parents=True)
    assert len(staging.name) == STAGING_NAME_LENGTH
    write_tar(tmp_path / "chain.tar", pathmax_symlink_chain(store, "victim.txt"))
    with tarfile.open(tmp_path / "chain.tar") as tar:
        tar.extractall(staging, filter="data")
    assert (tmp_path / "site" / "victim.txt").read_text() == "overwritten by the bundle"


@pytest.mark.parametrize(
    ("flags", "reason"),
    [
        (
            ["--max-file", "64K"],
            f"'{OPUS_DIR}/weights.bin' unpacks to 1,048,576 bytes, over the 65,536-byte limit per file (--max-file)",
        ),
        (["--max-total", "512K"], "unpacks to over 524,288 bytes, the limit for a bundle (--max-total)"),
    ],
)
def test_a_compressed_bomb_stops_at_the_size_limits(flags: list[str], reason: str, store: Path, tmp_path: Path, capsys):
    bundle = good_bundle(tmp_path / "bomb.tar.gz", {**OPUS_FILES, "weights.bin": bytes(1 << 20)})
    assert bundle.stat().st_size < 5_000  # a megabyte of zeros, gzipped
    before = snapshot(store)
    assert main(["models", "import", str(bundle), "--models-dir", str(store), *flags]) == EXIT_MODEL_MISSING
    err = capsys.readouterr().err
    assert reason in err and len(err.splitlines()) == 1
    assert snapshot(store) == before
    assert main(["models", "import", str(bundle), "--models-dir", str(store)]) == EXIT_OK  # within the defaults
    assert (store / OPUS_DIR / "weights.bin").stat().st_size == 1 << 20


def test_a_bundle_that_unpacks_to_far_more_than_weights_compress_is_a_bomb(store: Path, tmp_path: Path, capsys):
    bundle = good_bundle(tmp_path / "bomb.tar.gz", {**OPUS_FILES, "weights.bin": bytes(80 << 20)})
    assert bundle.stat().st_size < 200_000  # 80 MiB of zeros, gzipped: far within --max-total, yet a bomb
    before = snapshot(store)
    assert main(["models", "import", str(bundle), "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    err = capsys.readouterr().err
    assert "times its packed size (--max-ratio)" in err and len(err.splitlines()) == 1
    assert snapshot(store) == before
    assert main(["models", "import", str(bundle), "--models-dir", str(store), "--max-ratio", "10000"]) == EXIT_OK


def test_an_extended_header_bomb_is_refused_before_it_is_read(store: Path, tmp_path: Path):
    info, data = regular(f"{OPUS_DIR}/config.json", OPUS_FILES["config.json"])
    info.pax_headers = {"comment": "x" * (2 << 20)}  # tarfile would read these 2 MiB whole into memory
    bundle = tmp_path / "pax.tar.gz"
    with tarfile.open(bundle, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(ModelStoreError, match=r"an extended header of 2,097,1\d\d bytes \(over 1 MiB\)"):
        import_bundle(bundle, store)


def test_a_lock_too_big_to_be_one_is_never_parsed(store: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr("pipeline.models.LOCK_MAX_BYTES", 100)
    with pytest.raises(ModelStoreError, match=r"lock.json is \d+ bytes, not a lock file \(at most 100\)"):
        import_bundle(good_bundle(tmp_path / "big-lock.tar"), store)


def test_a_lock_naming_many_missing_files_is_refused_in_one_short_line(store: Path, tmp_path: Path, capsys):
    listed = {**OPUS_FILES, **{f"missing-{index}.bin": b"" for index in range(1000)}}
    bundle = write_tar(
        tmp_path / "hollow.tar", [regular(LOCK_FILE, lock_for({OPUS: listed})), *model_members(OPUS_DIR, OPUS_FILES)]
    )
    assert main(["models", "import", str(bundle), "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and len(err) < 1000 and err.rstrip().endswith("; and 995 more")


def test_the_limits_count_members_too(store: Path, tmp_path: Path):
    bundle = good_bundle(tmp_path / "many.tar", {f"f{index}.txt": b"x" for index in range(20)})
    with pytest.raises(ModelStoreError, match="more than 10 members"):
        import_bundle(bundle, store, limits=BundleLimits(members=10))


def test_a_bad_size_and_a_missing_bundle_are_usage_errors(store: Path, tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as raised:
        main(["models", "import", str(tmp_path / "x.tar"), "--models-dir", str(store), "--max-total", "lots"])
    assert raised.value.code == EXIT_USAGE
    assert "not a size such as 20G" in capsys.readouterr().err
    assert main(["models", "import", str(tmp_path / "x.tar"), "--models-dir", str(store)]) == EXIT_USAGE
    assert capsys.readouterr().err == f"nlnews: {tmp_path / 'x.tar'}: no such file\n"


def test_a_good_bundle_replaces_a_model_and_keeps_the_others(store: Path, tmp_path: Path):
    other = {"meta.json": b'{"lang": "nl"}'}
    both = write_tar(
        tmp_path / "both.tar",
        [
            regular(LOCK_FILE, lock_for({"nl_core_news_md": other})),
            *model_members("nl_core_news_md", other),
        ],
    )
    import_bundle(both, store)
    newer = {**OPUS_FILES, "config.json": b'{"model_type": "marian", "d_model": 32}'}
    import_bundle(good_bundle(tmp_path / "newer.tar", newer), store)
    assert (store / OPUS_DIR / "config.json").read_bytes() == newer["config.json"]
    assert set(read_lock(store)) == {OPUS, "nl_core_news_md"}
    assert not [path for path in store.iterdir() if path.name.startswith(".")]


def test_a_repeated_member_and_a_truncated_bundle_are_refused(store: Path, tmp_path: Path):
    repeated = write_tar(
        tmp_path / "twice.tar",
        [regular(LOCK_FILE, lock_for({OPUS: OPUS_FILES})), *model_members(OPUS_DIR, OPUS_FILES)] * 2,
    )
    with pytest.raises(ModelStoreError, match="appears twice"):
        import_bundle(repeated, store)
    data = good_bundle(tmp_path / "whole.tar.gz").read_bytes()
    (tmp_path / "cut.tar.gz").write_bytes(data[: len(data) // 2])
    before = snapshot(store)
    with pytest.raises(ModelStoreError, match="cannot unpack"):
        import_bundle(tmp_path / "cut.tar.gz", store)
    assert snapshot(store) == before


def test_a_store_whose_lock_points_elsewhere_is_refused_before_anything_is_read(store: Path, capsys):
    lock = json.loads((store / LOCK_FILE).read_text())
    lock["models"][OPUS]["path"] = "nl_core_news_md"
    (store / LOCK_FILE).write_text(json.dumps(lock))
    assert main(["models", "verify", "--models-dir", str(store)]) == EXIT_MODEL_MISSING
    assert "must live in its own folder 'Helsinki-NLP--opus-mt-nl-en'" in capsys.readouterr().err
