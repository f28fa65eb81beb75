"""Summaries that read on their own: balanced quotes, no dangling connectives, a shape an editor expects."""

import pytest

from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.summarize import (
    SummarizeSettings,
    SummarizeStage,
    is_balanced,
    is_foreign,
    needs_predecessor,
    quoted_share,
)

TITLE = "Zwolle sluit zwembad De Vrijheid"
LEAD = "De gemeente Zwolle sluit volgend jaar zwembad De Vrijheid aan de rand van de stad."


@pytest.fixture(scope="module")
def stage() -> SummarizeStage:
    return SummarizeStage(SummarizeSettings(), StageContext())


def summarize(stage: SummarizeStage, text: str, title: str = TITLE, language: str | None = "nl") -> Result:
    return stage([Result(id="a", text=text, title=title, language=language)])[0]


def article(*sentences: str) -> str:
    return " ".join(sentences)


FILLER = [
    "Het gebouw uit 1974 is volgens een onderzoeksbureau niet meer veilig te renoveren.",
    "Zwemverenigingen in de regio moeten uitwijken naar Kampen en Deventer.",
    "Een nieuw bad aan de Hanzelaan opent op zijn vroegst in 2029.",
    "De gemeenteraad stemt in december over het krediet van 38 miljoen euro.",
    "Omwonenden vrezen dat het terrein lang braak blijft liggen.",
    "De sluiting treft ook de schoolzwemlessen van twaalf basisscholen.",
    "Wethouder Bakker noemt het besluit pijnlijk maar onvermijdelijk.",
]


@pytest.mark.parametrize(
    ("text", "balanced"),
    [
        ('"We gaan door," zei hij.', True),
        ('"We gaan door.', False),
        ("Hij zei: ,,Nee.''", True),
        ("„Dat klopt niet.”", True),
        ("'Het water stond tot de deur.'", True),
        ("Er reden geen auto's meer op 's avonds.", True),
        ("De wethouder (VVD stemde voor.", False),
        ("De wethouder (VVD) stemde voor.", True),
        ("Hij kwam] te laat.", False),
    ],
)
def test_quotes_and_brackets_balance(text: str, balanced: bool) -> None:
    assert is_balanced(text) is balanced


@pytest.mark.parametrize(
    ("sentence", "dependent"),
    [
        ("Daarom sluit het bad al in maart.", True),
        ("Maar de raad is nog niet overtuigd.", True),
        ("Ook dat plan sneuvelde.", True),
        ("Dat blijkt uit een brief aan de raad.", True),
        ("Die krant schreef eerder over de plannen.", True),
        ("Hij noemt het besluit pijnlijk.", True),
        ("Het is de derde sluiting dit jaar.", True),
        ('"Dat is onzin," zegt de wethouder.', True),
        ("Het bad sluit in maart.", False),
        ("Deze week besluit de raad.", False),
        ("De gemeente sluit het bad.", False),
        ("Zwolle sluit het bad.", False),
        ("Zo'n 300 zwemmers tekenden een petitie.", False),
    ],
)
def test_openers_that_lean_on_the_sentence_before(sentence: str, dependent: bool) -> None:
    assert needs_predecessor(sentence.lstrip('"')) is dependent


def test_english_quote_in_a_dutch_article_is_foreign() -> None:
    assert is_foreign('"We will not give up on this town," he said.', english_article=False)
    assert not is_foreign("De burgemeester zei dat de stad niet opgeeft.", english_article=False)


def test_quoted_share_of_direct_speech() -> None:
    assert quoted_share('"Dit is een zwarte dag voor Zwolle."') > 0.9
    assert quoted_share("De raad stemde in.") == 0


def test_four_sentence_article_gets_two(stage: SummarizeStage) -> None:
    doc = summarize(stage, article(LEAD, *FILLER[:3]))
    assert len(doc.summary) == 2


def test_long_article_summary_keeps_under_the_ratio_of_characters(stage: SummarizeStage) -> None:
    settings = SummarizeSettings(sentences=4)
    doc = summarize(SummarizeStage(settings, StageContext()), article(LEAD, *FILLER))
    assert 2 <= len(doc.summary) <= 4
    assert len(" ".join(doc.summary)) <= 0.4 * len(doc.text)


def test_a_connective_opener_comes_only_after_its_predecessor(stage: SummarizeStage) -> None:
    text = article(
        LEAD,
        "Zwemverenigingen in de regio moeten uitwijken naar Kampen en Deventer.",
        "Daarom vragen de clubs de gemeente om extra busvervoer naar het zwembad van Zwolle.",
        *FILLER[2:],
    )
    doc = summarize(stage, text)
    for index, position in enumerate(doc.summary_index):
        if needs_predecessor(doc.sentence_texts()[position]):
            assert index > 0 and doc.summary_index[index - 1] == position - 1


def test_a_multi_sentence_quotation_is_taken_whole_or_not_at_all() -> None:
    quote = '"Het bad is op. Renoveren kost meer dan nieuw bouwen. Zwolle kiest voor nieuw," zegt de wethouder.'
    settings = SummarizeSettings(sentences=4, quote_penalty=0.0, position_weight=0.0, title_weight=1.0)
    doc = summarize(SummarizeStage(settings, StageContext()), article(LEAD, quote, *FILLER))
    joined = " ".join(doc.summary)
    assert is_balanced(joined)
    pieces = [
        '"Het bad is op.',
        "Renoveren kost meer dan nieuw bouwen.",
        'Zwolle kiest voor nieuw," zegt de wethouder.',
    ]
    assert all(piece in doc.summary for piece in pieces) or not any(piece in doc.summary for piece in pieces)


def test_an_unclosed_quote_is_never_taken(stage: SummarizeStage) -> None:
    text = article(LEAD, '"Het bad sluit voorgoed, zegt de wethouder van Zwolle.', *FILLER)
    doc = summarize(stage, text)
    assert all(is_balanced(sentence) for sentence in doc.summary)


def test_the_english_quote_of_a_dutch_article_is_never_taken() -> None:
    quote = '"This pool was the heart of Zwolle and we will miss it," said the Olympic swimmer.'
    settings = SummarizeSettings(sentences=4, position_weight=0.0, title_weight=0.0, quote_penalty=0.0)
    doc = summarize(SummarizeStage(settings, StageContext()), article(LEAD, quote, *FILLER), language=None)
    assert quote not in doc.summary


def test_a_paragraph_closing_colon_is_never_taken(stage: SummarizeStage) -> None:
    text = f"{LEAD} Zwolle sluit zwembad De Vrijheid, zo ziet het eruit:\n" + article(*FILLER)
    doc = summarize(stage, text)
    assert not any(sentence.endswith(":") for sentence in doc.summary)


def test_a_caption_with_a_copyright_credit_is_never_taken() -> None:
    from pipeline.stages.summarize import is_excluded

    assert is_excluded("Wethouder Bakker bij het gesloten bad. © Jan de Vries")


def test_a_sentence_the_source_cut_off_is_never_taken() -> None:
    cut = "Zwolle sluit zwembad De Vrijheid omdat de renovatie van het bad te duur wordt voor de…"
    settings = SummarizeSettings(sentences=4, position_weight=0.0, title_weight=1.0)
    doc = summarize(SummarizeStage(settings, StageContext()), article(LEAD, *FILLER, cut))
    assert doc.summary
    assert cut not in doc.summary


def test_an_excluded_phrase_is_found_whatever_its_case_even_with_a_case_fold_trap() -> None:
    from pipeline.stages.summarize import is_excluded

    assert is_excluded("Tips voor de redactie kunnen naar het bureau in Zwolle.")
    assert is_excluded("Wie Iets Weet kan terecht bij de wijkagent.")
    # ``ſ`` (a long s) matches ``s`` case-insensitively, though it lowers to itself: the phrase is still found.
    assert is_excluded("Tipſ voor de redactie kunnen naar het bureau in Zwolle.")
    assert not is_excluded("De tipgever uit Zwolle kreeg een beloning van de gemeente.")


def test_every_excluded_phrase_opens_with_whole_words() -> None:
    from pipeline.stages.summarize import _opening_words

    assert _opening_words((r"(tip|tips) (voor|naar)", r"www\.")) == {"tip", "tips", "www"}
    # A group's alternatives may run over several words and hold a group: each opens with its first word.
    assert _opening_words((r"(klik|praat mee|tip (de|ons))\b", r"(foto|beeld)\s*:")) == {
        "klik",
        "praat",
        "tip",
        "foto",
        "beeld",
    }
    with pytest.raises(ValueError, match="whole literal words"):
        _opening_words((r"tips? voor",))


@pytest.mark.parametrize(
    "text",
    [
        "Café Ölçü in Zwolle sluit. Wethouder Ümit (42) zegt: 'Jammer!' Het pand_3 is van ½ eeuw oud.",
        "İstanbul ligt ver van Zwolle. ΣΟΦΙΑΣ schreef het… Daarna volgde ½ jaar stilte.",
        "Plain ASCII text, no accents at all. Nr. 5 won de race.",
    ],
)
def test_sentences_lowered_and_their_words_are_those_of_each_sentence_read_alone(text: str) -> None:
    from pipeline.segment import sentence_spans
    from pipeline.stages.summarize import _lowered_and_words, words_of

    sentences = sentence_spans(text)
    texts = [text[start:end] for start, end in sentences]
    lowered, words = _lowered_and_words(text, sentences, texts)
    assert lowered == [sentence.lower() for sentence in texts]
    assert words == [words_of(sentence) for sentence in texts]
