"""One entity per body within an article: defined acronyms, short forms and repeated names (``aliases.py``)."""

from __future__ import annotations

import pytest

from pipeline.document import Entity, Result
from pipeline.stages.base import StageContext
from pipeline.stages.entities import EntitiesSettings, EntitiesStage
from pipeline.stages.entities.aliases import link_aliases


def mention(text: str, name: str, label: str = "ORG", canonical: str | None = None, english: str | None = None,
            nth: int = 0) -> Entity:  # fmt: skip
    """``name``'s ``nth`` occurrence in ``text`` as an entity, named as a component would have named it."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    canonical = canonical or name
    return Entity(name, label, start, start + len(name), canonical, english or canonical)


def names(entities: list[Entity]) -> list[tuple[str, str, str]]:
    return [(entity.text, entity.canonical, entity.english) for entity in entities]


def test_a_name_and_the_acronym_it_defines_are_one_body_and_so_is_the_acronym_later():
    text = "Het Landelijk Overleg Fietsers en Voetgangers (LOFV) is boos. Volgens LOFV komt er geen fietspad."
    found = [mention(text, "Landelijk Overleg Fietsers en Voetgangers"), mention(text, "LOFV")]
    body, title = link_aliases(text, found, None, None, set())
    full = "Landelijk Overleg Fietsers en Voetgangers"
    assert names(body) == [(full, full, full), ("LOFV", full, full), ("LOFV", full, full)]
    assert body[-1].start == text.rindex("LOFV") and title is None


def test_an_acronym_with_its_name_in_brackets_after_it_gets_that_name():
    text = "De KVBF (Koninklijke Vereniging van Bloemisten en Fruittelers) wil lagere huren."
    body, _ = link_aliases(text, [mention(text, "KVBF")], None, None, set())
    full = "Koninklijke Vereniging van Bloemisten en Fruittelers"
    assert names(body) == [("KVBF", full, full), (full, full, full)]


def test_the_acronym_may_spell_the_links_and_a_hyphenated_tail_is_left_off():
    text = "Het Nederlandse Snelle Hulp en Redding-team (SHER) landde zaterdag."
    body, _ = link_aliases(text, [mention(text, "SHER")], None, None, set())
    assert names(body) == [
        ("Snelle Hulp en Redding",) * 3,
        ("SHER", "Snelle Hulp en Redding", "Snelle Hulp en Redding"),
    ]


def test_a_known_body_found_by_its_acronym_gives_the_written_name_its_names():
    text = "De Vereniging Eigen Huizen (VEH) schrijft dat VEH meer leden heeft."
    found = [
        mention(text, "Vereniging Eigen Huizen"),
        mention(text, "VEH", canonical="Vereniging Eigen Huis", english="Homeowners' Association"),
    ]
    body, _ = link_aliases(text, found, None, None, set())
    assert {(entity.canonical, entity.english) for entity in body} == {
        ("Vereniging Eigen Huis", "Homeowners' Association")
    }
    assert [entity.text for entity in body] == ["Vereniging Eigen Huizen", "VEH", "VEH"]


def test_the_texts_definition_wins_over_a_known_body_of_other_initials():
    text = "De Algemene Pensioenbond (AP) onderzoekt de zaak."
    found = [mention(text, "Algemene Pensioenbond"), mention(text, "AP", canonical="Associated Press")]
    body, _ = link_aliases(text, found, None, None, set())
    assert [entity.canonical for entity in body] == ["Algemene Pensioenbond", "Algemene Pensioenbond"]


def test_an_acronym_that_spells_one_organisation_of_the_article_is_it_without_a_definition():
    text = "De Raad van Toezicht van het museum besloot. Volgens de RvT was dat nodig; ook de NBM zwijgt."
    found = [mention(text, "Raad van Toezicht"), mention(text, "NBM")]
    body, _ = link_aliases(text, found, None, None, set())
    assert names(body) == [("Raad van Toezicht",) * 3, ("RvT", "Raad van Toezicht", "Raad van Toezicht"), ("NBM",) * 3]


def test_a_list_of_names_before_an_acronym_is_no_full_name():
    text = "Het kantoor Jansen, Pieters en Co (JPC) groeit."
    body, _ = link_aliases(text, [mention(text, "JPC")], None, None, set())
    assert names(body) == [("JPC", "JPC", "JPC")]


def test_a_defined_term_that_no_component_took_for_a_body_stays_unnamed():
    text = "De Algemene Verordening Gegevensbescherming (AVG) geldt sinds jaren."
    assert link_aliases(text, [], None, None, set()) == ([], None)


def test_the_short_name_in_the_title_is_the_company_the_text_names_in_full():
    title = "Transporteur Brinkhorst krijgt boete"
    text = "Brinkhorst Koeltransport Holland moet betalen. De directie van Brinkhorst Koeltransport Holland zwijgt."
    body, heads = link_aliases(text, [], title, [mention(title, "Brinkhorst")], set())
    full = "Brinkhorst Koeltransport Holland"
    assert names(heads) == [("Brinkhorst", full, full)]
    assert [(entity.text, entity.start) for entity in body] == [(full, 0), (full, text.rindex(full))]


def test_the_full_name_after_a_short_one_stops_before_the_next_clause():
    text = "Het ging mis bij Vandermolen. Later sprak Vandermolen De Tweede ronde aan."
    body, _ = link_aliases(text, [mention(text, "Vandermolen")], None, None, set())
    assert [entity.text for entity in body] == ["Vandermolen", "Vandermolen"]  # the name again, not run on


def test_an_organisations_name_found_once_by_its_cue_is_that_organisation_again():
    text = (
        "Het AI-bedrijf Nova Dynamics groeit. Beleggers zien in Nova Dynamics veel. Dynamics zegt niets.\nNova wacht."
    )
    found = [mention(text, "Nova Dynamics")]
    body, _ = link_aliases(text, found, None, None, set())
    assert [(entity.text, entity.start) for entity in body] == [
        ("Nova Dynamics", text.index("Nova")),
        ("Nova Dynamics", text.index("Nova Dynamics veel")),
    ]


def test_a_head_word_is_the_longer_name_only_when_one_longer_name_has_it():
    text = "De Tweede Kamer stemde. Daarna sprak de Kamer over de Eerste Kamer."
    alone = "De Tweede Kamer stemde. Daarna sprak de Kamer."
    linked, _ = link_aliases(alone, [mention(alone, "Tweede Kamer"), mention(alone, "Kamer", nth=1)], None, None, set())
    assert [entity.canonical for entity in linked] == ["Tweede Kamer", "Tweede Kamer"]
    found = [mention(text, "Tweede Kamer"), mention(text, "Kamer", nth=1), mention(text, "Eerste Kamer")]
    ambiguous, _ = link_aliases(text, found, None, None, set())
    assert [entity.canonical for entity in ambiguous] == ["Tweede Kamer", "Kamer", "Eerste Kamer"]


def test_a_known_short_name_and_a_youth_team_are_bodies_of_their_own():
    text = "Jong Ajax won, Ajax verloor. Facebook Marketplace groeit, zegt Facebook."
    found = [
        mention(text, "Jong Ajax"),
        mention(text, "Ajax", nth=1, canonical="AFC Ajax"),
        mention(text, "Facebook", nth=1),
    ]
    body, _ = link_aliases(text, found, None, None, {"Ajax", "Facebook"})
    assert names(body) == names(found)


def test_a_companys_first_word_alone_is_the_company_but_an_adjective_or_a_translated_name_is_not():
    text = (
        "Noordhoek Verzekeringen en Vlaamse Waterweg groeien. Volgens Noordhoek stijgen de premies, zegt Vlaamse."
        " Ook Universiteit Leiden groeit. Een Universiteit zei niets.\nNoordhoek wacht."
    )
    found = [
        mention(text, "Noordhoek Verzekeringen"),
        mention(text, "Vlaamse Waterweg"),
        mention(text, "Universiteit Leiden", english="Leiden University"),
    ]
    body, _ = link_aliases(text, found, None, None, set())
    added = [(entity.text, entity.start, entity.canonical) for entity in body if entity not in found]
    assert added == [("Noordhoek", text.index("Noordhoek", 1), "Noordhoek Verzekeringen")]


def test_one_surface_form_is_one_body_the_named_reading_first():
    title = "Bergen krijgt nieuw station"
    text = "In Bergen wordt gebouwd. Het station van Bergen opent later."
    mons = {"canonical": "Bergen", "english": "Mons"}
    found = [mention(text, "Bergen", "CITY", english="Bergen"), mention(text, "Bergen", "CITY", nth=1, **mons)]
    found[1].extra["country"] = "BE"
    body, heads = link_aliases(text, found, title, [mention(title, "Bergen", "CITY", english="Bergen")], set())
    assert {entity.english for entity in [*body, *heads]} == {"Mons"}
    assert all(entity.extra == {"country": "BE"} for entity in [*body, *heads])


@pytest.fixture(scope="module")
def stage() -> EntitiesStage:
    return EntitiesStage(EntitiesSettings(), StageContext())


def test_the_stage_names_a_defined_team_and_its_acronym_as_one_organisation(stage: EntitiesStage):
    text = "Het Nederlandse Snelle Hulp en Redding-team (SHER) vertrok gisteren. Het SHER zoekt naar overlevenden."
    doc = Result(id="t", text=text, language="nl")
    stage([doc])
    organisations = [(e.text, e.canonical) for e in doc.entities if e.label == "ORG"]
    full = "Snelle Hulp en Redding"
    assert organisations == [(full, full), ("SHER", full), ("SHER", full)]
    assert [entity["canonical"] for entity in doc.distinct_entities if entity["label"] == "ORG"] == [full]
