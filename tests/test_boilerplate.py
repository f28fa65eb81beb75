"""Boilerplate inside an article, wherever it stands, removed by line shape; body lines that share its words stay."""

import pytest

from pipeline.document import Result
from pipeline.stages.base import StageContext
from pipeline.stages.clean import CleanSettings, CleanStage
from pipeline.stages.clean.boilerplate import (
    _CONTINUES_CUE_HOLDS,
    _COOKIE_WALL_HOLDS,
    _COPYRIGHT_HOLDS,
    _PLAYER_CUE_HOLDS,
    _PROMPT_HOLDS,
    _holds_any,
    line_kind,
    split_fused_headings,
    strip_lines,
)

LEAD = "De gemeente Deventer bouwt 400 nieuwe woningen aan de rand van de stad."
BODY = "De eerste bewoners krijgen in 2028 de sleutel, zegt wethouder Smit."


@pytest.fixture(scope="module")
def stage() -> CleanStage:
    return CleanStage(CleanSettings(keep_removed=True), StageContext())


def clean(stage: CleanStage, text: str) -> Result:
    doc = Result(id="a", text=text, title="Deventer bouwt 400 woningen")
    stage([doc])
    return doc


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Lees ook: Deventer krijgt een nieuw station", "related"),
        ("Lees ook", "related"),
        ("Bekijk ook: zo ziet de wijk eruit", "related"),
        ("Ook interessant", "related"),
        ("Meer over dit onderwerp:", "related"),
        ("Gerelateerd", "related"),
        ("Lees hier meer...", "related"),
        ("Volg hier al het nieuws over de verkiezingen.", "related"),
        ("Deel dit artikel: Facebook Twitter WhatsApp", "share"),
        ("Facebook | X | LinkedIn | E-mail", "share"),
        ("Link kopiëren", "share"),
        ("Deel dit artikel", "share"),
        ("Foto: ANP", "credit"),
        ("Beeld: Hollandse Hoogte / Jan de Vries", "credit"),
        ("(Foto: Reuters)", "credit"),
        ("Video: NOS", "credit"),
        ("© 2026 ANP. Alle rechten voorbehouden.", "credit"),
        ("Bron: ANP", "credit"),
        ("Door onze verslaggever", "byline"),
        ("Door Anouk Jansen", "byline"),
        ("Actueel", "navigation"),
        ("Home", "navigation"),
        ("Binnenland", "navigation"),
        ("Sport", "navigation"),
        ("Meld je aan voor onze nieuwsbrief en mis niets", "prompt"),
        ("Lees verder na de advertentie", "prompt"),
        ("Abonneer nu en lees onbeperkt", "prompt"),
        ("12 reacties", "counter"),
        ("Reacties (34)", "counter"),
        ("14:32", "timestamp"),
        ("Bijgewerkt: 3 juni 2026 14:32", "timestamp"),
        ("Videospeler inladen...", "embed"),
        ("VIDEOSPELER WORDT GELADEN", "embed"),
        ("(Tekst gaat verder onder de foto.)", "embed"),
        ("N i e u w bericht, vervangt: eerdere versie", "notice"),
        ("De wethouder op de bouwplaats. — © Jan de Vries", "caption"),
        ("Ontdek je voordeel ›", "related"),
        ("Als abonnee lees je alle plusartikels.", "prompt"),
        ("Geboren in 1948, overleden op 12/03/2026.", "obituary"),
        ("Geboren te Hasselt op 3 mei 1948 en overleden te Genk op 12 maart 2026", "obituary"),
        ("° 1948 † 2026", "obituary"),
        ("In dit overzicht lees je elke ochtend het belangrijkste nieuws uit de regio.", "evergreen"),
        ("Met deze liveblog houden we u op de hoogte van de verkiezingen.", "evergreen"),
    ],
)
def test_boilerplate_line_has_its_class(line: str, kind: str) -> None:
    assert line_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "Lezers van de krant lees je elke dag in de rubriek over de stad, schrijft de hoofdredacteur.",
        "De foto van de overstroming ging de hele wereld rond en werd duizenden keren gedeeld op Facebook.",
        "Foto's van de brand laten zien hoe snel het vuur om zich heen greep.",
        "Meer over de oorzaak van de brand werd niet bekendgemaakt.",
        "Door de storm vielen in het hele land bomen om.",
        "Facebook",
        "Coronapandemie",
        "Sport is voor veel jongeren een uitlaatklep, zegt de onderzoeker.",
        "De site maakt gebruik van cookies, ontdekte de toezichthouder.",
        "Om 14.30 uur begon de zitting.",
        "Het was de tweede reactie van het kabinet op het rapport.",
        "Geboren in Gent studeerde hij rechten in Leuven, waar hij in 2019 is overleden.",
        "In dit dossier staat hoe de gemeente de bouw van de wijk plant.",
        "Je kunt het overzicht van de gemeente opvragen, zegt de wethouder, maar niemand doet dat.",
    ],
)
def test_body_line_sharing_the_words_stays(line: str) -> None:
    assert line_kind(line) is None


def test_lines_anywhere_are_removed_and_counted(stage: CleanStage) -> None:
    text = f"{LEAD}\nLees ook: Deventer krijgt een nieuw station\nFoto: ANP\n{BODY}\nDeel dit artikel: Facebook Twitter WhatsApp\nActueel"
    doc = clean(stage, text)
    assert doc.text == f"{LEAD}\n{BODY}"
    assert doc.status["clean"] == "ok: removed 4 boilerplate lines"
    assert [piece["kind"] for piece in doc.removed] == ["related", "credit", "share", "navigation"]


def test_a_list_under_lees_ook_goes_with_it(stage: CleanStage) -> None:
    text = f"{LEAD}\nLees ook:\n- Deventer krijgt een nieuw station\n- Woningnood in Overijssel groeit\n{BODY}"
    assert clean(stage, text).text == f"{LEAD}\n{BODY}"


def test_removed_lines_are_kept_only_when_asked() -> None:
    plain = CleanStage(CleanSettings(), StageContext())
    doc = clean(plain, f"{LEAD}\nFoto: ANP")
    assert doc.removed is None
    assert doc.status["clean"] == "ok: removed 1 boilerplate line"


def test_agency_dateline_becomes_a_field(stage: CleanStage) -> None:
    doc = clean(stage, f"DEN HAAG (ANP) - {LEAD}\n{BODY}")
    assert doc.dateline == "Den Haag"
    assert doc.text == f"{LEAD}\n{BODY}"
    assert doc.to_dict()["dateline"] == "Den Haag"


def test_dash_between_two_names_is_no_dateline(stage: CleanStage) -> None:
    doc = clean(stage, "Ajax - PSV eindigde in een gelijkspel.")
    assert doc.dateline is None
    assert doc.text == "Ajax - PSV eindigde in een gelijkspel."


@pytest.mark.parametrize(
    ("line", "kept", "kind"),
    [
        (f"{LEAD}© deventernieuws.nl", LEAD, "credit"),
        (f"{LEAD}Anouk Jansen © deventernieuws.nl", LEAD, "credit"),
        (f"{LEAD} © Piet de Groot", LEAD, "credit"),
        (f"{LEAD} Radio 2", LEAD, "credit"),
        (f"EXCLUSIEF. {LEAD}", LEAD, "kicker"),
        (f"{LEAD} Videospeler inladen... {BODY}", f"{LEAD} {BODY}", "embed"),
        (f"{LEAD} VIDEOSPELER WORDT GELADEN {BODY}", f"{LEAD} {BODY}", "embed"),
        (f"{LEAD} Radio 1 Oost Nieuwe brug over de IJssel open ma 14 mrt 10:07 {BODY}", f"{LEAD} {BODY}", "related"),
        (
            f"{LEAD} De eerste bewoners krijgen de sleut… [+1329 chars]",
            f"{LEAD} De eerste bewoners krijgen de…",
            "truncation",
        ),
        (f"{LEAD} [+1329 chars]", LEAD, "truncation"),
        (f"{LEAD} Volg hier al het nieuws uit Deventer.", LEAD, "related"),
        (f"{LEAD} (Tekst gaat verder onder de foto.)", LEAD, "embed"),
    ],
)
def test_boilerplate_glued_into_a_line_is_cut_out(line: str, kept: str, kind: str) -> None:
    stripped = strip_lines(line)
    assert stripped.text == kept
    assert kind in {piece.kind for piece in stripped.removed}


def test_a_paragraph_ending_in_a_colon_over_a_removed_video_loses_that_sentence() -> None:
    text = f"{LEAD} Bekijk hoe de wijk eruit komt te zien:\n{BODY}"
    assert strip_lines(text).text == f"{LEAD}\n{BODY}"


def test_a_colon_after_a_verb_of_speech_stays_over_an_unquoted_paragraph() -> None:
    text = f"{LEAD} De wethouder zei daarover:\n{BODY}"
    assert strip_lines(text).text == text


@pytest.mark.parametrize(
    "following",
    [
        '"We bouwen voor jonge gezinnen."',
        "- 200 huurwoningen",
        "Twee fases",
        "Ricardo Lopes (Por / 4) - Kurt Maier (Oos) 6 - 3 7 - 6 (7 - 4) 6 - 2 -- Jack Miller (VS) - Tim Baker (Aus) 7 - 5",
    ],
    ids=["quote", "list", "label", "results row"],
)
def test_a_colon_before_a_quote_or_list_stays(following: str) -> None:
    text = f"{LEAD} De wethouder zei:\n{following}"
    assert strip_lines(text).text == text


def test_stray_bracket_and_undecoded_entity_are_repaired(stage: CleanStage) -> None:
    doc = clean(stage, "De band Blood, Sweat &amp; Tears speelt. Deze [muzikanten komen uit Canada.")
    assert doc.text == "De band Blood, Sweat & Tears speelt. Deze muzikanten komen uit Canada."


def test_a_repeated_first_paragraph_is_removed_once(stage: CleanStage) -> None:
    assert clean(stage, f"{LEAD}\n{LEAD}\n{BODY}").text == f"{LEAD}\n{BODY}"


def test_a_cookie_wall_instead_of_the_text_skips_the_article(stage: CleanStage) -> None:
    doc = clean(stage, "Deventernieuws.nl maakt gebruik van cookies om je een betere ervaring te bieden.")
    assert doc.text == ""
    assert doc.status["clean"] == "skipped: only boilerplate (cookie)"


@pytest.mark.parametrize(
    "wall", ["Deze website gebruikt cookies.", "DEZE SITE GEBRUIKT COOKIES", "Wij maken deel uit van DPG Media."]
)
def test_a_cookie_wall_is_found_at_the_edge_in_any_case(wall: str) -> None:
    assert line_kind(wall, at_edge=True) == "cookie"
    assert line_kind(wall) is None


def test_quick_tests_before_case_blind_patterns_see_every_case() -> None:
    """``str.lower()`` misses only the İ, dotless ı and long ſ that ``re.IGNORECASE`` reads as i and s: a line
    with one of them is searched whatever the pieces say."""
    for pieces in (_COOKIE_WALL_HOLDS, _PLAYER_CUE_HOLDS, _CONTINUES_CUE_HOLDS, _PROMPT_HOLDS, _COPYRIGHT_HOLDS):
        assert all(piece == piece.lower() for piece in pieces)
    for line in ("Schrijf je in voor de nieuwsbrief", "SCHRİJF JE İN VOOR DE NİEUWSBRİEF", "Schrıjf je ın", "Abonneeſ"):
        assert _holds_any(line, _PROMPT_HOLDS)
    assert not _holds_any("De nieuwe wethouder volgens de oorlogsverslaggever", _PROMPT_HOLDS)


@pytest.mark.parametrize(
    "prompt",
    [
        "SCHRİJF JE İN VOOR ONZE NİEUWSBRİEF",
        "Meld je nu aan voor de nieuwsbrief",
        "Ontvang onze nıeuwſbrıef? Nieuwsbrief ontvangen",
        "Download de gratis app van de krant",
        "Opzeggen wanneer je wilt",
    ],
)
def test_a_prompt_is_found_in_any_case_even_with_a_case_fold_trap(prompt: str) -> None:
    assert line_kind(prompt) == "prompt"


def test_blocks_glued_with_two_spaces_become_lines(stage: CleanStage) -> None:
    assert clean(stage, f"{LEAD}  {BODY}").text == f"{LEAD}\n{BODY}"


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("EXCLUSIEF. Deventer bouwt 400 woningen", "Deventer bouwt 400 woningen"),
        ("Deventer bouwt 400 woningen - NU.nl", "Deventer bouwt 400 woningen"),
        ("Deventer bouwt 400 woningen - Omroep Gelderland | Nieuws uit de regio", "Deventer bouwt 400 woningen"),
        ("Deventer bouwt 400 woningen - deventernieuws.nl", "Deventer bouwt 400 woningen"),
        ("Toeleven naar Nederland - Marokko", "Toeleven naar Nederland - Marokko"),
        ("Weekweerbericht | Na regen komt zon", "Weekweerbericht | Na regen komt zon"),
    ],
)
def test_title_loses_kicker_and_outlet_suffix(stage: CleanStage, title: str, cleaned: str) -> None:
    doc = Result(id="a", text=LEAD, title=title)
    stage([doc])
    assert doc.title == cleaned


def test_a_run_of_menu_labels_at_the_tail_is_navigation() -> None:
    footer = "Archief\nTags\nRSS-feed\nPrivacy\nContact\nAdverteren"
    assert strip_lines(f"{LEAD}\n{BODY}\n{footer}").text == f"{LEAD}\n{BODY}"


#: An invented year-by-year winners list: every line short, without final punctuation, like a menu's.
WINNERS = (
    "2001: Pieter Vermeulen (Bel)\n2002: Lukas Brenner (Dui)\n2003: Tomas Havlik (Tsj)\n"
    "2004: Jan de Wit (Ned)\n2005: Marco Ferri (Ita)\n2006: Pieter Vermeulen (Bel)"
)
#: An invented stage result and a tennis draw: ranks, times, scores and countries between names.
STAGE_RESULT = (
    "Bram Stevens (Bel) 4u12:05\nLuca Moretti (Ita) 0:12\nHans Keller (Zwi) z.t.\n"
    "Diego Navarro (Spa) 0:45\nPaul Girard (Fra) 1:03\nKoen Aerts 1:10"
)
TENNIS_DRAW = (
    "Ricardo Lopes (Por) - Kurt Maier (Oos) 6 - 3 7 - 5\nEmma Larsson (Zwe) - Lien Peeters 6 - 4 6 - 2\n"
    "Sara Novak (Slo) - Julia Weber (Dui) 3 - 6 6 - 1 6 - 4\nJack Miller (VS) - Tim Baker (Aus) 7 - 6 6 - 4\n"
    "Anna Kowalska (Pol) - Marie Dubois (Fra) 6 - 0 6 - 1"
)


@pytest.mark.parametrize("table", [WINNERS, STAGE_RESULT, TENNIS_DRAW])
def test_a_results_table_or_winners_list_is_the_article_not_a_menu(table: str) -> None:
    assert strip_lines(table).text == table
    assert strip_lines(f"{LEAD}\n{table}").text == f"{LEAD}\n{table}"


def test_a_menu_above_a_results_table_goes_and_the_table_stays() -> None:
    menu = "Archief\nTags\nRadio 2\nTop 2000\nPrivacy\nContact"
    stripped = strip_lines(f"{menu}\n{STAGE_RESULT}")
    assert stripped.text == STAGE_RESULT
    assert [removal.kind for removal in stripped.removed] == ["navigation"] * 6


def test_a_short_list_under_a_colon_at_the_tail_stays() -> None:
    items = "Kampen\nDeventer\nZwolle\nApeldoorn\nHattem\nOlst"
    text = f"{LEAD}\nDe woningen komen in deze gemeenten:\n{items}"
    assert strip_lines(text).text == text


@pytest.mark.parametrize(
    ("fused", "lines"),
    [
        (
            f"{LEAD} Geen plek voor auto's Sinds maart parkeren bewoners aan de rand van de wijk.",
            [f"{LEAD} Geen plek voor auto's", "Sinds maart parkeren bewoners aan de rand van de wijk."],
        ),
        (
            f"{LEAD} Wachtlijst in Deventer De gemeente verwacht 2000 aanmeldingen.",
            [f"{LEAD} Wachtlijst in Deventer", "De gemeente verwacht 2000 aanmeldingen."],
        ),
        (
            f'{LEAD} 2.000 aanmeldingen verwacht "We zijn er klaar voor. Het wordt druk", zegt Smit.',
            [f"{LEAD} 2.000 aanmeldingen verwacht", '"We zijn er klaar voor. Het wordt druk", zegt Smit.'],
        ),
        (
            f'{LEAD} Wethouder Smit: "Eindelijk ruimte" In de nieuwe wijk komen ook twee scholen.',
            [f'{LEAD} Wethouder Smit: "Eindelijk ruimte"', "In de nieuwe wijk komen ook twee scholen."],
        ),
        (
            f"{LEAD} Dinsdagavond Het college stemde in met het plan.",
            [f"{LEAD} Dinsdagavond Het college stemde in met het plan."],
        ),
        (
            f"{LEAD} De bouw begint in mei. Het kost 9 miljoen. Wachtlijst in Deventer De gemeente verwacht veel.",
            [f"{LEAD} De bouw begint in mei. Het kost 9 miljoen. Wachtlijst in Deventer", "De gemeente verwacht veel."],
        ),
    ],
    ids=[
        "before-opener-word",
        "before-article",
        "before-quoted-sentence",
        "ending-in-a-quote",
        "one-word",
        "after-sentences-opening-with-an-article",
    ],
)
def test_a_sub_heading_glued_to_the_next_sentence_gets_its_own_line(fused: str, lines: list[str]) -> None:
    assert split_fused_headings(fused).split("\n") == lines


@pytest.mark.parametrize(
    "prose",
    [
        "Volgens minister De Jonge is de bouw van de wijk rond 2030 klaar.",
        'De wethouder zei: "We gaan door. Het plan is goed."',
        'Zij noemde het plan "Een grote stap" niet voor niets.',
        "DEN HAAG (ANP) - De gemeente Deventer bouwt 400 nieuwe woningen.",
        'Die Stadt Utrecht schließt "ihre" Schalter. Das teilte die Behörde mit.',
        "Het bouwbedrijf Van Wijnen Het Nieuwe Bouwen kreeg de opdracht.",
        "De wijk krijgt de naam De Vecht en wordt in 2028 opgeleverd.",
    ],
)
def test_prose_with_capitals_quotes_and_names_is_not_split(prose: str) -> None:
    assert split_fused_headings(prose) == prose


def test_a_fused_heading_never_opens_a_summary_sentence() -> None:
    from pipeline.stages.summarize import SummarizeSettings, SummarizeStage

    text = (
        f"{LEAD} {BODY} Geen plek voor auto's Sinds maart parkeren bewoners aan de rand van de wijk. "
        "De wijk krijgt ook een school, een sporthal en een park met een vijver. "
        "De gemeente verwacht dat de eerste huizen in 2027 verkocht worden."
    )
    doc = clean(CleanStage(CleanSettings(), StageContext()), text)
    SummarizeStage(SummarizeSettings(sentences=4, position_weight=0.0), StageContext())([doc])
    assert "Geen plek voor auto's" in doc.sentence_texts()
    assert not any("Geen plek voor auto's" in sentence for sentence in doc.summary)
