"""The facts about Unicode that the clean stage's shortcuts rely on, checked for every character.

The stage strips marks and counts words before it case-folds a line, reads a share bar's first name before
folding the rest, and takes a line with no doubled or edge space and nothing unprintable as single-spaced.
Each is the same as the long way only while these hold; a new Unicode version that broke one fails here.
"""

import sys

import pytest

from pipeline.stages.clean import (
    _CHARACTER_MAP,
    _CONTROL_CHARACTERS,
    _JUNK_CHARACTERS,
    _PRINTABLE_SPECIAL_CHARACTERS,
    _TRAILING_MARKS,
    normalize_text,
)
from pipeline.stages.clean.boilerplate import (
    _KEY_MARKS,
    _SHARE_SEPARATORS,
    _is_share_bar,
    _single_spaced,
    is_printable,
    short_phrase_key,
)

CHARACTERS = [chr(code) for code in range(sys.maxunicode + 1)]
#: Every character that case folding changes, with what it becomes; every other one folds to itself.
FOLDED = {char: char.casefold() for char in CHARACTERS if char.casefold() != char}


@pytest.mark.parametrize("kept", [" \t\n", _TRAILING_MARKS, _KEY_MARKS, " ,|/·•"])
def test_case_folding_neither_makes_nor_takes_away_a_space_mark_or_separator(kept: str) -> None:
    def is_kept(char: str) -> bool:
        return char.isspace() or char in kept

    assert [char for char in FOLDED if is_kept(char)] == []
    assert [char for char, folded in FOLDED.items() if any(map(is_kept, folded))] == []


def test_case_folding_never_drops_a_character() -> None:
    assert [char for char, folded in FOLDED.items() if not folded] == []


def test_the_space_is_the_only_printable_whitespace() -> None:
    assert [char for char in CHARACTERS if char.isspace() and char.isprintable()] == [" "]


def test_the_share_separators_are_whitespace_and_the_marks_between_platform_names() -> None:
    assert _SHARE_SEPARATORS.fullmatch(" ,|/·•\u00a0\t")


@pytest.mark.parametrize(
    "line",
    ["Nieuws", "  HOMEPAGE. ", "Straße und Groß", "ŞEHİR", "Cultuur & Media", "› Binnenland ›", "Een lange regel " * 5],
)
def test_short_keys_are_the_folded_words_of_short_lines(line: str) -> None:
    words = line.casefold().strip(_KEY_MARKS).split()
    assert short_phrase_key(line, 3) == (" ".join(words) if len(words) <= 3 else None)


@pytest.mark.parametrize(
    ("line", "share_bar"),
    [("FACEBOOK | TWITTER", True), ("Facebook, Twitter", True), ("Facebookpagina Twitter", False), ("Gent", False)],
)
def test_share_bars_are_told_by_their_names_in_any_case(line: str, share_bar: bool) -> None:
    assert _is_share_bar(line) is share_bar


@pytest.mark.parametrize(
    ("line", "single"),
    [("De stad groeit.", True), ("De  stad", False), (" De stad", False), ("De stad ", False), ("De\u00a0stad", False)],
)
def test_single_spaced_lines_are_their_words_joined_by_one_space(line: str, single: bool) -> None:
    assert _single_spaced(line) is single
    assert (" ".join(line.split()) == line) is single


def test_a_text_with_printable_lines_holds_no_replaced_character_but_the_typographic_quotes() -> None:
    odd = [*_CHARACTER_MAP, *_CONTROL_CHARACTERS]
    assert "\n" not in odd
    assert "".join(char for char in odd if char.isprintable()) == _PRINTABLE_SPECIAL_CHARACTERS == "‘’‚‛“”„‟"


def test_a_text_with_printable_lines_holds_no_junk_but_the_replacement_character() -> None:
    assert "\n" not in _JUNK_CHARACTERS
    assert [char for char in _JUNK_CHARACTERS if char.isprintable()] == ["\ufffd"]


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("De stad groeit.\nHet dorp niet.", "De stad groeit.\nHet dorp niet."),
        ("“Nee”, zei hij.\r\nDaarna\tniet.", '"Nee", zei hij.\nDaarna niet.'),
        ("Kop\u2029Tekst\u200b en\x07 meer", "Kop\n\nTekst en meer"),
    ],
)
def test_normalised_text_replaces_odd_characters_and_keeps_plain_ones(text: str, normalised: str) -> None:
    assert normalize_text(text) == normalised


def test_is_printable_is_str_isprintable_for_every_character_alone_and_in_a_line() -> None:
    for code in range(0x3000):
        char = chr(code)
        assert is_printable(char) is char.isprintable()
        lines = f"De stad {char}\nGroeit"
        assert is_printable(lines) is lines.isprintable()
        assert is_printable(lines, line_breaks=True) is lines.replace("\n", " ").isprintable()
