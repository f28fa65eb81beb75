"""The Hugging Face token-classification backend of the entities stage.

Every model here is a tiny BERT built in the test (a WordPiece or SentencePiece
vocabulary of a few Dutch words, 2 layers, hidden size 32, a 16-token input limit), saved with
``save_pretrained`` and loaded through the real path, as a downloaded model
would be. One has random weights, for plumbing that must hold whatever a model
says; the other has chosen weights (an encoder that passes each token's
embedding through unchanged and a classifier that reads its tag from it), so
which words are entities is known and the spans can be checked exactly.
"""

from __future__ import annotations

import shutil
from itertools import pairwise
from pathlib import Path

import pytest

from pipeline import Pipeline
from pipeline.config import load_config
from pipeline.errors import ModelUnavailable
from pipeline.models import configured_models, load_manifest, store_path, write_lock
from pipeline.stages.base import StageContext
from pipeline.stages.entities import EntitiesSettings, EntitiesStage
from pipeline.stages.entities.transformer import (
    TokenClassifier,
    input_limit,
    load_token_classifier,
    spans_from_word_tags,
)

MAX_TOKENS = 16
TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC", "B-DATE", "I-DATE"]
LABELS = {"PERSON", "LOCATION", "ORG", "MISC"}
#: The known model's tag of each piece (all others are O); a pair weights two tags, the first wins less surely.
Tagged = str | tuple[str, str]
WORDPIECE_TAGS: dict[str, Tagged] = {
    "Piet": "B-PER",
    "Jansen": "I-PER",
    "Amster": "B-LOC",
    "##dam": ("O", "B-LOC"),
    "Den": "B-LOC",
    "Haag": "I-LOC",
    "Gulpen": "B-LOC",
    "-": "I-LOC",
    "Wittem": "I-LOC",
    "Zwol": ("O", "B-LOC"),
    "##le": "B-LOC",
    "Politie": "B-ORG",
    "maandag": "B-DATE",
}
WORDS = ["de", "het", "een", "en", "in", "op", "van", "zegt", "meldt", "woont", "naar", "nieuwe", ".", ","]
WORDPIECE = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, *WORDPIECE_TAGS]
#: XLM-R and RobBERT style: pieces carry the space before them (``▁Am``), brackets glue to words.
SENTENCEPIECE_TAGS: dict[str, Tagged] = {"▁Piet": "B-PER", "▁Jansen": "I-PER", "▁Am": "B-LOC", "Am": "B-LOC"}
SENTENCEPIECE = ["<pad>", "<unk>", "<s>", "</s>", "▁", "▁in", "▁woont", "(", ")", ".", "sterdam", *SENTENCEPIECE_TAGS]

NEWS = [
    "Piet Jansen woont in Amsterdam.",
    "De Politie meldt maandag een nieuwe zaak in Den Haag, zegt Jansen.",
    "In Gulpen-Wittem en Zwolle.",
    "",
    "Piet",
]


def build_wordpiece(directory: Path) -> None:
    """A fast BERT tokenizer (WordPiece, cased) over ``WORDPIECE``, saved as ``tokenizer.json``."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = {piece: index for index, piece in enumerate(WORDPIECE)}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])]
    )
    tokenizer.decoder = decoders.WordPiece()
    save_fast(tokenizer, directory, unk="[UNK]", pad="[PAD]", cls="[CLS]", sep="[SEP]")


def build_sentencepiece(directory: Path) -> None:
    """A fast SentencePiece-style tokenizer (unigram, ``▁`` for spaces) over ``SENTENCEPIECE``."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

    tokenizer = Tokenizer(models.Unigram([(piece, -1.0) for piece in SENTENCEPIECE], unk_id=1))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 2), ("</s>", 3)]
    )
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    save_fast(tokenizer, directory, unk="<unk>", pad="<pad>", cls="<s>", sep="</s>")


def save_fast(tokenizer, directory: Path, *, unk: str, pad: str, cls: str, sep: str) -> None:
    from transformers import PreTrainedTokenizerFast

    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token=unk,
        pad_token=pad,
        cls_token=cls,
        sep_token=sep,
        model_max_length=MAX_TOKENS,
    )
    fast.save_pretrained(directory)


VOCABULARIES = {
    "wordpiece": (WORDPIECE, WORDPIECE_TAGS, build_wordpiece),
    "sentencepiece": (SENTENCEPIECE, SENTENCEPIECE_TAGS, build_sentencepiece),
}


def build_model(directory: Path, *, known: bool, tags: list[str] = TAGS, vocabulary: str = "wordpiece") -> Path:
    """A 2-layer BERT token classifier over one of ``VOCABULARIES``, saved with safetensors weights."""
    import torch
    from transformers import BertConfig, BertForTokenClassification

    pieces, known_tags, build_tokenizer = VOCABULARIES[vocabulary]
    build_tokenizer(directory)
    config = BertConfig(
        vocab_size=len(pieces),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=MAX_TOKENS,
        pad_token_id=0,
        id2label=dict(enumerate(tags)),
        label2id={tag: index for index, tag in enumerate(tags)},
    )
    torch.manual_seed(0)
    model = BertForTokenClassification(config)
    with torch.no_grad():
        if known:
            set_known_weights(model, [known_tags.get(piece, "O") for piece in pieces])
        else:
            model.classifier.weight.normal_(0.0, 1.0)  # tags far apart, so a batch's padding never flips one
    model.save_pretrained(directory)
    return directory


def set_known_weights(model, piece_tags: list[Tagged]) -> None:
    """Each piece's embedding points at its tag, every layer passes it on, the classifier reads it back."""
    import torch

    bert = model.bert
    bert.embeddings.position_embeddings.weight.zero_()
    bert.embeddings.token_type_embeddings.weight.zero_()
    embeddings = torch.zeros_like(bert.embeddings.word_embeddings.weight)
    for index, tagged in enumerate(piece_tags):
        first, second = tagged if isinstance(tagged, tuple) else (tagged, None)
        embeddings[index, TAGS.index(first)] = 1.0
        if second is not None:
            embeddings[index, TAGS.index(second)] = 0.6
    bert.embeddings.word_embeddings.weight.copy_(embeddings)
    for layer in bert.encoder.layer:
        for dense in (layer.attention.output.dense, layer.output.dense):
            dense.weight.zero_()
            dense.bias.zero_()
    model.classifier.weight.copy_(torch.eye(len(TAGS), model.config.hidden_size))
    model.classifier.bias.zero_()


@pytest.fixture(scope="module")
def random_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_model(tmp_path_factory.mktemp("ner-random"), known=False)


@pytest.fixture(scope="module")
def known_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_model(tmp_path_factory.mktemp("ner-known"), known=True)


@pytest.fixture(scope="module")
def known(known_dir: Path) -> TokenClassifier:
    return TokenClassifier.from_pretrained(known_dir, device="cpu")


def on_word_boundary(text: str, offset: int) -> bool:
    return offset in (0, len(text)) or not (text[offset - 1].isalnum() and text[offset].isalnum())


def texts_of(text: str, spans) -> list[tuple[str, str]]:
    return [(text[start:end], label) for start, end, label, _ in spans]


def test_a_model_from_a_local_folder_finds_persons_places_and_organisations(known: TokenClassifier):
    text = "De Politie meldt maandag dat Piet Jansen in Amsterdam woont."
    [spans] = known.predict([text])
    assert texts_of(text, spans) == [
        ("Politie", "ORG"),
        ("Piet Jansen", "PERSON"),
        ("Amsterdam", "LOCATION"),
    ]  # "maandag" is a DATE: not a type this backend passes on
    assert all(0.5 < score <= 1.0 for *_, score in spans)


def test_the_words_of_one_entity_are_joined_and_a_word_is_never_split(known: TokenClassifier):
    text = "In Den Haag en Gulpen-Wittem, zegt Jansen."
    [spans] = known.predict([text])
    assert texts_of(text, spans) == [("Den Haag", "LOCATION"), ("Gulpen-Wittem", "LOCATION"), ("Jansen", "PERSON")]


def test_pieces_glued_to_brackets_and_leading_spaces_stay_out_of_a_span(tmp_path: Path):
    directory = build_model(tmp_path, known=True, vocabulary="sentencepiece")
    classifier = TokenClassifier.from_pretrained(directory, device="cpu")
    text = "Piet Jansen woont in (Amsterdam)."
    pieces = classifier.tokenizer.convert_ids_to_tokens(classifier.tokenizer(text)["input_ids"])
    assert ["▁", "(", "Am", "sterdam", ")", "."] == pieces[-7:-1]  # one word to the tokenizer: "(Amsterdam)."
    assert texts_of(text, classifier.predict([text])[0]) == [("Piet Jansen", "PERSON"), ("Amsterdam", "LOCATION")]


def test_a_word_takes_its_first_piece_or_with_max_its_most_confident(known_dir: Path, known: TokenClassifier):
    text = "Jansen woont in Zwolle en Amsterdam."
    most_confident = TokenClassifier.from_pretrained(known_dir, device="cpu", aggregation="max")
    assert texts_of(text, known.predict([text])[0]) == [("Jansen", "PERSON"), ("Amsterdam", "LOCATION")]
    assert texts_of(text, most_confident.predict([text])[0]) == [
        ("Jansen", "PERSON"),
        ("Zwolle", "LOCATION"),
        ("Amsterdam", "LOCATION"),
    ]


def test_a_text_longer_than_the_model_reads_is_covered_to_its_end(known: TokenClassifier):
    import torch

    sentences = [f"Piet Jansen woont {n * 'nieuwe '}in Amsterdam." for n in range(12)]
    text = " ".join(sentences)
    calls = []

    def record(module, args, kwargs, output) -> None:
        calls.append((kwargs["input_ids"].shape, torch.is_inference_mode_enabled()))

    hook = known.model.register_forward_hook(record, with_kwargs=True)
    try:
        [spans] = known.predict([text])
    finally:
        hook.remove()
    assert len(known.tokenizer(text, verbose=False)["input_ids"]) > 8 * MAX_TOKENS
    assert sum(shape[0] for shape, _ in calls) > 10  # the text went in as many windows, not one truncated
    assert all(shape[1] <= MAX_TOKENS and inference for shape, inference in calls)
    assert texts_of(text, spans) == [("Piet Jansen", "PERSON"), ("Amsterdam", "LOCATION")] * len(sentences)
    assert spans[-1][1] == len(text) - 1  # the last name, right before the final full stop


def test_spans_of_any_model_lie_on_word_boundaries_with_our_labels(random_dir: Path):
    classifier = TokenClassifier.from_pretrained(random_dir, device="cpu")
    found = classifier.predict(NEWS)
    assert len(found) == len(NEWS) and found[NEWS.index("")] == []
    assert any(found)
    for text, spans in zip(NEWS, found):
        for start, end, label, score in spans:
            assert 0 <= start < end <= len(text)
            assert on_word_boundary(text, start) and on_word_boundary(text, end)
            assert label in LABELS and 0.0 < score <= 1.0
        assert [start for start, *_ in spans] == sorted(start for start, *_ in spans)
        assert all(end <= following for (_, end, *_), (following, *_) in pairwise(spans))


def test_batching_by_a_token_budget_gives_what_one_by_one_gives(random_dir: Path):
    long_text = " ".join(NEWS * 6)
    texts = [*NEWS, long_text, *reversed(NEWS)]
    small = TokenClassifier.from_pretrained(random_dir, device="cpu", batch_tokens=MAX_TOKENS)
    large = TokenClassifier.from_pretrained(random_dir, device="cpu", batch_tokens=100_000)
    one_by_one = [small.predict([text])[0] for text in texts]
    for spans in (small.predict(texts), large.predict(texts)):
        assert [[span[:3] for span in text] for text in spans] == [[span[:3] for span in text] for text in one_by_one]
        flat = [score for text in spans for *_, score in text]
        expected = [score for text in one_by_one for *_, score in text]
        assert flat == pytest.approx(expected, abs=1e-5)


def test_the_model_runs_on_the_configured_device(known: TokenClassifier):
    assert known.device == "cpu"
    assert {parameter.device.type for parameter in known.model.parameters()} == {"cpu"}
    assert not known.model.training
    assert known.model_id.endswith("@local")


def test_settings_name_the_model_and_the_stage_loads_it(known_dir: Path):
    context = StageContext(device="cpu")
    assert load_token_classifier(EntitiesSettings(), context) is None
    settings = EntitiesSettings(token_model=str(known_dir), token_model_batch_tokens=64)
    classifier = load_token_classifier(settings, context)
    assert isinstance(classifier, TokenClassifier) and classifier.batch_tokens == 64
    stage = dict(Pipeline("offline", overrides={"entities.token_model": str(known_dir), "device": "cpu"}).stages)
    assert isinstance(stage["entities"], EntitiesStage)
    assert isinstance(stage["entities"].token_classifier, TokenClassifier)


def test_the_models_persons_merge_with_the_rules_which_keep_their_names(known_dir: Path):
    pipe = Pipeline("offline", overrides={"entities.token_model": str(known_dir), "device": "cpu"})
    result = pipe("De Politie meldt maandag dat Piet Jansen in Amsterdam woont.")
    found = {(entity.text, entity.label, entity.english) for entity in result.entities}
    assert ("Piet Jansen", "PERSON", "Piet Jansen") in found, "the model's person"
    assert ("Amsterdam", "CITY", "Amsterdam") in found, "the model's LOCATION placed by the gazetteer"
    assert str(known_dir.name) in result.models["entities"]


def test_the_models_spans_of_each_title_and_body_go_to_that_text(known_dir: Path):
    pipe = Pipeline("offline", overrides={"entities.token_model": str(known_dir), "device": "cpu"})
    articles = [
        {"id": "a", "title": "Zwolle krijgt een brug", "text": "De Politie meldt maandag een ongeluk."},
        {"id": "b", "title": "De Politie meldt een ongeluk", "text": "Zwolle krijgt volgend jaar een brug."},
        {"id": "c", "text": "De Politie meldt dinsdag een brand."},
    ]
    first, second, third = pipe(articles)

    police = ("Politie", "ORG", 3)
    assert police in {(entity.text, entity.label, entity.start) for entity in first.entities}
    assert "Politie" not in {entity.text for entity in first.title_entities}
    assert police in {(entity.text, entity.label, entity.start) for entity in second.title_entities}
    assert "Politie" not in {entity.text for entity in second.entities}
    assert police in {(entity.text, entity.label, entity.start) for entity in third.entities}
    assert third.title_entities is None


@pytest.mark.parametrize(("locked_for", "found"), [("refs/pr/1", True), ("main", False)])
def test_the_published_model_loads_from_the_store_at_the_manifests_revision(
    known_dir: Path, tmp_path: Path, locked_for: str, found: bool
):
    name = "wietsedv/bert-base-dutch-cased-finetuned-conll2002-ner"
    assert load_manifest()[name].revision == "refs/pr/1"
    shutil.copytree(known_dir, store_path(tmp_path, name))
    entry = {"kind": "huggingface", "stage": "entities", "requested": locked_for, "revision": "c0ffee", "files": {}}
    write_lock(tmp_path, {name: {**entry, "licence": "-", "path": store_path(tmp_path, name).name}})
    context = StageContext(models_dir=tmp_path, offline=True, device="cpu")
    if found:
        assert load_token_classifier(EntitiesSettings(token_model=name), context).model_id == f"{name}@c0ffee"
    else:  # a copy pulled for another revision (main ships no safetensors) is not the one configured
        with pytest.raises(ModelUnavailable, match="offline"):
            load_token_classifier(EntitiesSettings(token_model=name), context)


def test_a_missing_folder_is_model_unavailable_naming_the_setting(tmp_path: Path):
    settings = EntitiesSettings(token_model=str(tmp_path / "no-such-model"))
    with pytest.raises(ModelUnavailable, match="no such directory") as raised:
        load_token_classifier(settings, StageContext(models_dir=tmp_path, device="cpu"))
    assert "entities.token_model" in raised.value.fix


def test_a_hub_id_offline_is_model_unavailable_without_touching_the_network(tmp_path: Path, monkeypatch):
    import huggingface_hub

    local_only = huggingface_hub.snapshot_download

    def snapshot_download(*args, **kwargs):
        assert kwargs.get("local_files_only"), "a network download was attempted"
        return local_only(*args, **kwargs)

    def no_network(*args, **kwargs):
        raise AssertionError("the hub was asked")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    monkeypatch.setattr(huggingface_hub, "model_info", no_network)
    settings = EntitiesSettings(token_model="nlnews-test/no-such-ner-model")
    with pytest.raises(ModelUnavailable, match="offline"):
        load_token_classifier(settings, StageContext(models_dir=tmp_path, offline=True, device="cpu"))


def test_pickled_weights_alone_are_refused(known_dir: Path, tmp_path: Path):
    import torch
    from safetensors.torch import load_file

    pickled = tmp_path / "pickled"
    shutil.copytree(known_dir, pickled)
    torch.save(load_file(pickled / "model.safetensors"), pickled / "pytorch_model.bin")
    (pickled / "model.safetensors").unlink()
    with pytest.raises(ModelUnavailable, match="no safetensors"):
        TokenClassifier.from_pretrained(pickled, device="cpu")


def test_a_model_without_entity_tags_is_refused(tmp_path: Path):
    build_model(tmp_path, known=False, tags=["LABEL_0", "LABEL_1"])
    with pytest.raises(ModelUnavailable, match="not a NER model"):
        TokenClassifier.from_pretrained(tmp_path, device="cpu")


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PERSON"), (3, 4, "LOCATION")]),
        (["B-PER", "B-PER", "I-ORG"], [(0, 1, "PERSON"), (1, 2, "PERSON"), (2, 3, "ORG")]),
        (["B-LOC", "E-LOC", "S-LOC", "S-ORG"], [(0, 2, "LOCATION"), (2, 3, "LOCATION"), (3, 4, "ORG")]),
        (["B-org", "L-org", "U-per"], [(0, 2, "ORG"), (2, 3, "PERSON")]),
        (["PER", "PER", "O", "LOC", "GPE"], [(0, 2, "PERSON"), (3, 5, "LOCATION")]),
        (["B-DATE", "I-DATE", "B-MISC", "B-CARDINAL"], [(2, 3, "MISC")]),
        (["I-LOC", "I-LOC", "B-ORG", "I-PER"], [(0, 2, "LOCATION"), (2, 3, "ORG"), (3, 4, "PERSON")]),
    ],
    ids=["iob", "b-starts-anew", "bioes", "bilou-lowercase", "bare", "others-dropped", "lenient-i"],
)
def test_tag_schemes_join_words_into_entities(tags: list[str], expected: list[tuple[int, int, str]]):
    words = [(index, index + 1, tag, 0.5 + index / 10) for index, tag in enumerate(tags)]
    spans = spans_from_word_tags(words)
    assert [span[:3] for span in spans] == expected
    first, last = expected[0][0], expected[0][1] - 1
    assert spans[0][3] == pytest.approx(sum(0.5 + index / 10 for index in range(first, last + 1)) / (last - first + 1))


def test_the_window_is_the_smaller_of_the_tokenizer_and_position_limits():
    from types import SimpleNamespace

    bert = SimpleNamespace(model_type="bert", max_position_embeddings=512, pad_token_id=0)
    roberta = SimpleNamespace(model_type="roberta", max_position_embeddings=514, pad_token_id=1)
    assert input_limit(SimpleNamespace(model_max_length=int(1e30)), bert) == 512
    assert input_limit(SimpleNamespace(model_max_length=int(1e30)), roberta) == 512
    assert input_limit(SimpleNamespace(model_max_length=128), bert) == 128


def test_the_published_model_is_optional_and_pulled_once_a_config_names_it():
    name = "wietsedv/bert-base-dutch-cased-finetuned-conll2002-ner"
    entry = load_manifest()[name]
    assert entry.optional and entry.stage == "entities" and entry.source == "huggingface"
    assert all(row[2] != name for row in configured_models(load_config("default")))
    named = load_config("offline", {"entities.token_model": name})
    assert ("entities", "huggingface", name, None) in configured_models(named)
