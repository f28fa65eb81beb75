"""One entity per real-world body within an article: acronyms, short forms and repeated names linked.

The components find each mention on its own evidence, so one body can come
out under several names in one article: ``Urban Search and Rescue (USAR)``
as two organisations, the headline's ``Brinkman`` apart from the body's
``Brinkman Trans Holland``, a name read one way in the title and another in
the text. ``link_aliases`` runs once per article on the finished entities
(body and title together) and makes each body one entity, by three rules:

* An acronym defined in the text, ``Volledige Naam (VN)`` or ``VN (Volledige
  Naam)``, and its full name are one body, and so is the acronym alone
  anywhere else in the article. A knowledge-base body found by either form
  gives both its names.
* A short organisation name that is a whole-word prefix or the head of exactly
  one longer organisation name in the article is that organisation (``Kamer``
  with ``Tweede Kamer``, ``Brinkman`` with ``Brinkman Trans Holland``); the
  longer name is found in the text after a short one even where no component
  took it for a name.
* One surface form with one label is one body: every mention of it gets the
  same canonical and English names, the knowledge base's where one has them,
  and an organisation's name found once is that organisation where it stands
  again without the cue that found it.

It works on the ``Entity`` lists, not on the spaCy doc, so it sees the title
and the body at once and costs a few dictionary probes per entity.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container
from operator import attrgetter

from pipeline.document import Entity

#: Lower-case words inside a name that its acronym may or may not spell: ``Urban Search and Rescue (USAR)``,
#: ``Raad van Toezicht (RvT)``, ``Centrum voor Onderzoek (CVO)``.
_LINKS = frozenset(
    {
        "van",
        "voor",
        "de",
        "der",
        "den",
        "het",
        "en",
        "in",
        "op",
        "aan",
        "&",
        "of",
        "for",
        "and",
        "the",
        "du",
        "la",
        "le",
    }
)
#: An acronym in brackets (``(USAR)``, ``(RvT)``), or a name in brackets after one (``NVM (Nederlandse ...)``).
_BRACKETS = re.compile(r"\(([^()\n]{2,80})\)")
#: The words of a name: hyphens part words (``Rescue-team``), apostrophes stay inside them.
_WORD = re.compile(r"[\w'&]+")
#: What never stands inside a name that an acronym abbreviates: ``Jansen, Pieters en Co (JPC)`` is a list.
_PUNCTUATION = re.compile(r"[,;:.!?()\"“”/]")
#: The capitalised words right after a short name that may complete it: ``Brinkman`` -> ``Brinkman Trans Holland``.
_TAIL = re.compile(r"(?: (?:[A-Z][\w&'-]*|&))+")
#: Words before a body's name that make another body of it: ``Jong Ajax`` is not ``Ajax``.
_OTHER_BODY_WORDS = frozenset({"Jong", "Jonge"})
#: Capitalised words that never continue a company's name: days, months, articles opening the next clause.
_NOT_NAME_WORDS = frozenset(
    {"De", "Het", "Een", "En", "Maar", "Ook", "Dat", "Die", "Dit", "Deze", "Zo", "In", "Op", "Van", "Voor", "Bij"}
    | {"Januari", "Februari", "Maart", "April", "Mei", "Juni", "Juli", "Augustus", "September", "Oktober"}
    | {"November", "December", "Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag", "Zaterdag", "Zondag"}
)

#: The last word of a law's title: ``MATCH Act`` is no body named ``MATCH``.
_LAW_WORDS = frozenset({"Act", "Wet", "Law", "Directive", "Richtlijn"})
#: What may end the capitalised words after a short name but never ends a name.
_NOT_LAST = _NOT_NAME_WORDS | {"&"}
#: What may stand before a sentence's first word: after these, a capital says nothing of a name.
_SENTENCE_ENDS = frozenset(".!?:;\n\r\"'“”‘’„(-–—•")

Part = tuple[str, list[Entity]]

#: An entity's text, read in C: ``Counter`` counts the texts of every entity of an article.
_TEXT = attrgetter("text")


def link_aliases(
    text: str, entities: list[Entity], title: str | None, title_entities: list[Entity] | None, known: Container[str]
) -> tuple[list[Entity], list[Entity] | None]:
    """The body's and the title's entities with each body named one way (see the module's rules).

    Args:
        text (str): the article's text, into which ``entities`` hold offsets.
        entities (list): the text's entities, sorted and non-overlapping.
        title (str | None): the title, into which ``title_entities`` hold offsets.
        title_entities (list | None): the title's entities; ``None`` without a title.
        known (Container): the knowledge base's organisation names: a known body's short name is its own.

    Returns:
        tuple: the text's entities and the title's, sorted and non-overlapping; mentions may be added
        (an acronym's later uses, a full name no component found) and names changed, never removed.
    """
    parts: list[Part] = [(text, list(entities))]
    if title is not None and title_entities is not None:
        parts.append((title, list(title_entities)))
    if any(entity.label == "ORG" for _, found in parts for entity in found):
        named = _defined_acronyms(parts)
        named.update(_short_forms(parts, known))
        named.update(_undefined_acronyms(parts, named))
        if named:
            _rename(parts, named)
    _one_name_per_form(parts)
    body = _in_order(parts[0][1], len(entities))
    return body, _in_order(parts[1][1], len(title_entities)) if len(parts) > 1 and title_entities else title_entities


def _in_order(found: list[Entity], given: int) -> list[Entity]:
    """The entities in text order: sorted again only when mentions were added (replacing keeps the order)."""
    return found if len(found) == given else sorted(found, key=_start)


def _start(entity: Entity) -> int:
    return entity.start


def _defined_acronyms(parts: list[Part]) -> dict[str, Entity]:
    """Each acronym the text defines and its full name, as the entity whose names both take.

    A definition adds the mentions no component found: the full name of
    ``Urban Search and Rescue-team (USAR)``, and the acronym's later uses.
    """
    named: dict[str, Entity] = {}
    for text, found in parts:
        if "(" not in text:
            continue
        for match in _BRACKETS.finditer(text):
            inside, start, end = match.group(1), match.start(1), match.end(1)
            if _is_acronym(inside):
                pair = _name_before(text, found, start - 1, inside)
                acronym = _entity_at(found, start, end) or Entity(inside, "ORG", start, end, inside, inside)
            else:
                acronym = _acronym_before(text, found, start - 1)
                pair = _name_inside(text, found, start, end, acronym.text) if acronym is not None else None
            if pair is None or acronym is None or acronym.label != "ORG":
                continue
            full, is_new = pair
            if is_new and acronym not in found:
                continue  # neither form was taken for a body: a law or a term defined so ("AVG", "AI")
            body = _body_of(full, acronym)
            if is_new and _is_free(found, full.start, full.end):
                found.append(full)
            if _is_free(found, acronym.start, acronym.end):
                found.append(acronym)
            named.setdefault(acronym.text, body)
            named.setdefault(full.text, body)
    for acronym, body in list(named.items()):
        if _is_acronym(acronym):
            for text, found in parts:
                found.extend(_new_mentions(text, found, acronym))
    return named


def _undefined_acronyms(parts: list[Part], named: dict[str, Entity]) -> dict[str, Entity]:
    """An acronym that spells exactly one longer organisation of the article, defined or not: ``de RvT`` after
    ``Raad van Toezicht``.

    The organisations component expands an all-caps word by the capitals of
    a name; this counts the links (``RvT``, ``PvdA``) and adds the mixed-case
    acronyms, which no component takes for a name alone: each name's initials
    with its links in lower case, one search each.
    """
    longer = {
        entity.text: entity for _, found in parts for entity in found if entity.label == "ORG" and " " in entity.text
    }
    if not longer:
        return {}
    acronyms = {
        entity.text
        for _, found in parts
        for entity in found
        if entity.label == "ORG" and not _is_named(entity) and _is_acronym(entity.text) and entity.text not in named
    }
    acronyms.update(
        acronym
        for acronym in map(_linked_initials, longer)
        if acronym is not None and acronym not in named and any(acronym in text for text, _ in parts)
    )
    spelled: dict[str, Entity] = {}
    for acronym in acronyms:
        bodies = {body.canonical: body for name, body in longer.items() if _spells(name, acronym)}
        if len(bodies) == 1:
            spelled[acronym] = next(iter(bodies.values()))
    for acronym in spelled:
        if not acronym.isupper():  # an all-caps word no component took has its reasons: a headline, a postcode
            for text, found in parts:
                found.extend(_new_mentions(text, found, acronym))
    return spelled


def _linked_initials(name: str) -> str | None:
    """``RvT`` of ``Raad van Toezicht``, ``PvdA`` of ``Partij van de Arbeid``: the initials with the links in lower case.

    Such names are abbreviated so; a name without links gives ``None``, as the
    organisations component reads its capitals.
    """
    words = name.split(" ")
    if len(words) < 3 or not all(word[:1].isupper() or word in _LINKS for word in words):
        return None
    initials = "".join(word[0] for word in words)
    return initials if not initials.isupper() and _is_acronym(initials) else None


def _is_acronym(word: str) -> bool:
    """``USAR``, ``RvT``, ``PvdA``, ``CD&V``: two to seven letters, the first and at least half of them capitals."""
    if not 2 <= len(word) <= 7 or not word[0].isupper() or not word.replace("&", "").isalpha():
        return False
    capitals = sum(char.isupper() for char in word)
    return capitals >= 2 and capitals * 2 >= len(word)


def _entity_at(found: list[Entity], start: int, end: int) -> Entity | None:
    return next((entity for entity in found if entity.start == start and entity.end == end), None)


def _is_free(found: list[Entity], start: int, end: int) -> bool:
    return not any(entity.start < end and start < entity.end for entity in found)


def _name_before(text: str, found: list[Entity], bracket: int, acronym: str) -> tuple[Entity, bool] | None:
    """The name right before ``(acronym)`` whose initials spell it: an organisation found, or one made here.

    ``Urban Search and Rescue-team (USAR)``: a hyphenated tail in lower case
    is left off, as the name stands before its hyphen.
    """
    line = text.rfind("\n", 0, bracket) + 1
    before = text[line:bracket].rstrip()
    stop = line + len(before)
    entity = next((entity for entity in found if entity.end == stop), None)
    if entity is not None:
        if entity.label == "ORG" and _spells(entity.text, acronym):
            return entity, False
        return None
    hyphen = before.rfind("-")
    if hyphen > 0 and before[hyphen + 1 :].islower() and before[hyphen + 1 :].isalpha():
        stop = line + hyphen
        entity = next((entity for entity in found if entity.end == stop), None)
        if entity is not None:
            return (entity, False) if entity.label == "ORG" and _spells(entity.text, acronym) else None
    words = [m.start() for m in _WORD.finditer(text, line, stop)]
    for first in range(len(words) - 1, max(len(words) - 2 * len(acronym) - 1, -1), -1):
        start = words[first]
        name = text[start:stop]
        if _PUNCTUATION.search(name):
            return None
        if name[0].isupper() and _spells(name, acronym):
            if not _is_free(found, start, stop):
                return None
            return Entity(name, "ORG", start, stop, name, name), True
    return None


def _acronym_before(text: str, found: list[Entity], bracket: int) -> Entity | None:
    """The organisation right before ``(``, when it is an acronym: ``NVM`` in ``NVM (Nederlandse ...)``."""
    stop = bracket
    while stop > 0 and text[stop - 1] == " ":
        stop -= 1
    entity = next((entity for entity in found if entity.end == stop), None)
    return entity if entity is not None and _is_acronym(entity.text) else None


def _name_inside(text: str, found: list[Entity], start: int, end: int, acronym: str) -> tuple[Entity, bool] | None:
    """The name in brackets after an acronym, when its initials spell it: ``VN (Volledige Naam)``."""
    name = text[start:end].strip()
    start = text.index(name, start)
    if not name[0].isupper() or _PUNCTUATION.search(name) or not _spells(name, acronym):
        return None
    entity = _entity_at(found, start, start + len(name))
    if entity is not None:
        return (entity, False) if entity.label == "ORG" else None
    if not _is_free(found, start, start + len(name)):
        return None
    return Entity(name, "ORG", start, start + len(name), name, name), True


def _spells(name: str, acronym: str) -> bool:
    """Whether the capitalised words of ``name`` spell ``acronym``, its lower-case links counted or not.

    ``Raad van Toezicht`` spells ``RvT`` and ``RT``; ``Urban Search and Rescue``
    spells ``USAR``. A lower-case word that is no link makes it no name.
    """
    words = _WORD.findall(name)
    if len(words) < 2 or len(words) > 2 * len(acronym) + 1:
        return False
    if any(not word[0].isupper() and word not in _LINKS for word in words):
        return False
    return _spell(words, 0, acronym.upper(), 0)


def _spell(words: list[str], index: int, letters: str, position: int) -> bool:
    if index == len(words):
        return position == len(letters)
    word = words[index]
    fits = position < len(letters) and word[0].upper() == letters[position]
    if fits and _spell(words, index + 1, letters, position + 1):
        return True
    return not word[0].isupper() and _spell(words, index + 1, letters, position)


def _body_of(full: Entity, acronym: Entity) -> Entity:
    """The entity whose names a defined acronym and its full name share.

    The full name's when the knowledge base knows it; else the acronym's when
    its known body is the one written out (its name opens with the same word:
    a spelling the knowledge base lacks); else the full name as written, the
    text's own definition (``Algemene Pensioenbond (AP)`` is no press agency).
    """
    if _is_named(full):
        return full
    first = full.text.split(" ", 1)[0].casefold()
    if _is_named(acronym) and first in (
        acronym.canonical.split(" ", 1)[0].casefold(),
        acronym.english.split(" ", 1)[0].casefold(),
    ):
        return acronym
    return full


def _new_mentions(text: str, found: list[Entity], name: str) -> list[Entity]:
    """``name`` as an organisation wherever it stands in ``text`` as a whole word and no entity covers it.

    Most places are a mention already found there: one probe of their starts
    rules those out before the overlap test that goes through every entity.
    """
    places = []
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if not _is_word_char(text, start - 1) and not _is_word_char(text, end):
            places.append(start)
        start = text.find(name, end)
    if not places:
        return []
    taken = {entity.start for entity in found}
    return [
        Entity(name, "ORG", start, start + len(name), name, name)
        for start in places
        if start not in taken and _is_free(found, start, start + len(name))
    ]


def _is_word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def _short_forms(parts: list[Part], known: Container[str]) -> dict[str, Entity]:
    """Each short organisation name and the one longer name in the article it abbreviates.

    A short name that the knowledge base knows is its own body, unless the
    longer one is the same body; ``Jong Ajax`` is never ``Ajax``.
    """
    organisations = [entity for _, found in parts for entity in found if entity.label == "ORG"]
    _complete_short_names(parts, organisations, known)
    _repeated_names(parts, organisations)
    longer: dict[str, Entity] = {}
    for entity in organisations:
        if " " in entity.text:
            longer.setdefault(entity.text, entity)
    if not longer:
        return {}
    named: dict[str, Entity] = {}
    for short, entity in {entity.text: entity for entity in reversed(organisations)}.items():
        bodies = [body for name, body in longer.items() if name != short and _abbreviates(short, name)]
        if len({body.canonical for body in bodies}) != 1:
            continue
        if short in known and entity.canonical != bodies[0].canonical:
            continue
        named[short] = bodies[0]
    named.update(_unfound_short_forms(parts, longer))
    return named


def _unfound_short_forms(parts: list[Part], longer: dict[str, Entity]) -> dict[str, Entity]:
    """The first word of one company's name, standing alone where no component found it, as that company.

    ``Noordhoek`` after ``Noordhoek Verzekeringen``: a capitalised word inside a
    sentence. Only a name that no English translation was found for is a
    company's own (``Leiden University`` is named after a place, its first word
    the common noun ``Universiteit``), nor a channel's with a number (``Radio 1``);
    an adjective (``Vlaamse``, ``Nederlands``) opens many names and names none
    alone, and a word that opens two names names neither.
    """
    bodies: dict[str, set[str]] = {}
    first: dict[str, Entity] = {}
    for name, body in longer.items():
        opening = name.split(" ", 1)[0]
        if body.english == body.canonical and _may_stand_alone(opening) and not any(c.isdigit() for c in name):
            bodies.setdefault(opening, set()).add(body.canonical)
            first.setdefault(opening, body)
    named: dict[str, Entity] = {}
    for word, canonicals in bodies.items():
        if len(canonicals) != 1:
            continue
        body = first[word]
        for text, found in parts:
            added = [
                _named_as(mention, body)
                for mention in _new_mentions(text, found, word)
                if not _opens_sentence(text, mention.start)
            ]
            if added:
                found.extend(added)
                named[word] = body
    return named


def _may_stand_alone(word: str) -> bool:
    """Whether the first word of a company's name can name it alone: see ``_unfound_short_forms``."""
    if len(word) < 3 or not word[0].isupper() or not word.replace("-", "").isalpha() or word in _NOT_NAME_WORDS:
        return False
    return not word.endswith(("e", "s")) and word not in _OTHER_BODY_WORDS


def _opens_sentence(text: str, start: int) -> bool:
    """Whether ``start`` opens the text, a line or a sentence, or follows a hyphen: capitals there say nothing."""
    index = start - 1
    while index >= 0 and text[index] == " ":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_ENDS


def _abbreviates(short: str, name: str) -> bool:
    """``Brinkman`` of ``Brinkman Trans Holland``, ``Kamer`` of ``Tweede Kamer``: a whole-word prefix or the head."""
    if name.startswith(short) and name[len(short)] == " ":
        return True
    return name.endswith(short) and name[-len(short) - 1] == " " and name.split(" ", 1)[0] not in _OTHER_BODY_WORDS


def _complete_short_names(parts: list[Part], organisations: list[Entity], known: Container[str]) -> None:
    """The longer name after an unknown short one in the text: ``Brinkman Trans Holland`` after ``Brinkman``.

    A company named by its short name in the headline is written in full in the
    text, where no component may have taken the full name (no legal form, no
    cue). The capitalised words right after a mention of the short name make it
    the full name when no entity but the short name's covers them.
    """
    shorts = {entity.text for entity in organisations if entity.canonical == entity.text and entity.text not in known}
    if not shorts:
        return
    text, found = parts[0]
    for short in shorts:
        start = text.find(short + " ")
        while start >= 0:
            end = start + len(short)
            stop = _full_name_end(text, end) if not _is_word_char(text, start - 1) else None
            covering = [entity for entity in found if entity.start < stop and start < entity.end] if stop else None
            if covering is not None and all(entity.label == "ORG" and entity.text == short for entity in covering):
                for entity in covering:
                    found.remove(entity)
                full = Entity(text[start:stop], "ORG", start, stop, text[start:stop], text[start:stop])
                found.append(full)
                found.sort(key=_start)
                organisations.append(full)
            start = text.find(short + " ", end)


def _full_name_end(text: str, end: int) -> int | None:
    """Where the capitalised words after a short name ending at ``end`` end, if they may complete it.

    Not across the next clause (``De``, a month), not into a number (``GP
    Formule 1``), not into a law's title (``MATCH Act``): those are no company's.
    """
    tail = _TAIL.match(text, end)
    if tail is None:
        return None
    words = tail.group().split()
    while words and words[-1] in _NOT_LAST:
        words.pop()
    if not words or words[0] in _NOT_NAME_WORDS or words[-1] in _LAW_WORDS:
        return None
    stop = end + len(" ".join(words)) + 1
    if _is_word_char(text, stop) or (text[stop : stop + 1] == " " and text[stop + 1 : stop + 2].isdigit()):
        return None
    return stop


def _repeated_names(parts: list[Part], organisations: list[Entity]) -> None:
    """An organisation's name again where no component took it, as the same organisation.

    A component may find a name by its cue once (``AI-bedrijf Nova Dynamics``)
    and not where it stands bare; a single word counts only inside a sentence,
    where its capital shows a name. A name written no more often than it was
    found is passed over with one count.
    """
    names = {entity.text: entity for entity in organisations if len(entity.text) >= 3}
    for text, found in parts:
        mentioned = Counter(map(_TEXT, found))
        for name, body in names.items():
            if text.count(name) <= mentioned[name]:
                continue
            single = " " not in name
            added = [
                _named_as(mention, body)
                for mention in _new_mentions(text, found, name)
                if not (single and _opens_sentence(text, mention.start))
            ]
            found.extend(added)
            organisations.extend(added)


def _rename(parts: list[Part], named: dict[str, Entity]) -> None:
    """Every organisation mention of a linked name with its body's canonical and English names."""
    for _, found in parts:
        for index, entity in enumerate(found):
            body = named.get(entity.text) if entity.label == "ORG" else None
            if body is not None and (entity.canonical, entity.english) != (body.canonical, body.english):
                found[index] = _named_as(entity, body)


def _one_name_per_form(parts: list[Part]) -> None:
    """One surface form with one label, one body: the first mention the knowledge base named, else the first."""
    chosen: dict[tuple[str, str], Entity] = {}
    differ = False
    for _, found in parts:
        for entity in found:
            key = (entity.label, entity.text)
            first = chosen.get(key)
            if first is None:
                chosen[key] = entity
            elif first.canonical != entity.canonical or first.english != entity.english:
                differ = True
                if not _is_named(first) and _is_named(entity):
                    chosen[key] = entity
    if not differ:
        return
    for _, found in parts:
        for index, entity in enumerate(found):
            body = chosen[(entity.label, entity.text)]
            if body.canonical != entity.canonical or body.english != entity.english:
                found[index] = _named_as(entity, body)


def _is_named(entity: Entity) -> bool:
    """Whether a component named ``entity`` otherwise than it is written: the knowledge base's reading."""
    return entity.canonical != entity.text or entity.english != entity.text


def _named_as(entity: Entity, body: Entity) -> Entity:
    """``entity``'s mention with ``body``'s names and facts."""
    return Entity(entity.text, entity.label, entity.start, entity.end, body.canonical, body.english, dict(body.extra))
