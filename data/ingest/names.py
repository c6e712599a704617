"""Names on the page: places, actors and UN Security Council resolutions.

Places come from the gazetteer (data/ingest/gazetteer.py) and from the page's own
wording ("the strategic town of Konna", "northern Mali"). Actors come from the store,
from names the page defines with an acronym ("National Movement for the Liberation of
Azawad (MNLA)"), from acronyms and from capitalised name spans; the countries named
are proposed as states too. Each mention is a (start, end) span in a passage.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from data.ingest.gazetteer import Gazetteer, Known
from data.ingest.text import Passage
from data.names import normalize_name

_TOKEN = re.compile(r"(?:al-|el-|ad-|[ldLD][’'])?[A-Z][\w’'.-]*[\w]|(?:al-|el-)[A-Z]\w*|[A-Z]")
_CONNECTOR = {
    "of", "for", "the", "and", "de", "du", "des", "la", "le", "pour", "et", "in", "on", "al",
    "del", "da", "dos", "y",
}  # fmt: skip
_ACRONYM_DEF = re.compile(r"\(([A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]+)?)\)")
_ACRONYM = re.compile(r"\b(?=[A-Za-z]*[A-Z][A-Za-z]*[A-Z])[A-Z][A-Za-z]{1,9}(?:-[A-Z][a-z]+)?\b")
_TITLES = ("President", "Prime Minister", "Captain", "General", "Colonel", "Minister", "Dr",
           "Mr", "Mrs", "Ms", "Sheikh", "King", "Queen", "Prince", "Lieutenant", "Commander",
           "Former President", "then-President", "Judge", "Prosecutor", "Chief", "Ambassador",
           "Envoy", "Chairman", "Chair", "Director", "Spokesperson", "Secretary General",
           "Secretary-General", "Representative", "Governor", "Mayor")  # fmt: skip
_DIRECTION = re.compile(
    r"\b(?:([Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|[Cc]entr)(?:ern|al)?\s+(?P<a>[A-Z][\w’'-]+)"
    r"|the\s+(north|south|east|west|centre|center)\s+of\s+(?P<b>[A-Z][\w’'-]+))"
)
_TYPED_PLACE = re.compile(
    r"\b(?:(?P<k1>town|village|city|region|province|district|camp|commune)\s+of\s+(?P<a>[A-Z][\w’'-]+)"
    r"|(?P<b>[A-Z][\w’'-]+)\s+(?P<k2>village|town|region|province|district|camp))\b"
    r"|\bindependence\s+of\s+(?P<c>[A-Z][\w’'-]+)"
)
_KINDS = {"town": "TOWN", "village": "VILLAGE", "city": "CITY", "camp": "SITE"}
_RESOLUTION = re.compile(
    r"\b[Rr]esolutions?\s+(\d{3,4})(?:\s*\((\d{4})\))?((?:,\s*|\s+and\s+)(\d{3,4}))?"
)
_MONTHS_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
}  # fmt: skip
_ADJECTIVE = re.compile(r"(?:an|ian|ese|ish|ic|ist|i|ch)$")
# Words that open a sentence without naming anyone ("After Qaddafi's overthrow").
_OPENERS = {
    "after", "before", "unlike", "although", "though", "according", "following", "in", "on",
    "as", "at", "by", "for", "with", "while", "when", "since", "during", "despite", "between",
    "from", "under", "thus", "moreover", "however", "nevertheless", "furthermore", "later",
    "together", "meanwhile", "also", "then", "we", "he", "she", "they", "it", "each", "this",
    "these", "those", "its", "their", "his", "her", "our", "if", "once", "until", "within",
}  # fmt: skip
_SITE = re.compile(
    r"\b(?:the\s+)?((?:[a-z’']+\s+){0,2}(?:palace|office|mosque|mausoleums?|airport|prison|"
    r"embassy|barracks|cathedral|church|stadium|heritage sites?|refugee camp|military base))\b"
)
_ORG_WORDS = re.compile(
    r"\b(?:Council|Nations|Union|Community|Organi[sz]ation|Army|Forces|Movement|Front|Court|"
    r"Tribunal|Commission|Assembly|Parliament|Operation|Mission|Watch|International|Institute|"
    r"Survey|Committee|Group|Coalition|Office|Agency|Fund|Programme|Program|Party|Government|"
    r"Ministry|Federation|Network|Association|Alliance|Brigade|Policy|Centre|Center|Bank|"
    r"Conference|League|Secretariat|Department|University|School|Radio|Times|News|Post)\b"
)


@dataclass
class Entity:
    """One place or actor the drafts will propose, with every span that names it."""

    name: str
    fields: dict[str, object]
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[Passage, int, int]] = field(default_factory=list)
    known: bool = False  # matched in the store or a gazetteer, not guessed from the page

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class Entities:
    """Entities of one type, merged by folded name or alias."""

    def __init__(self) -> None:
        self.by_name: dict[str, Entity] = {}
        self.all: list[Entity] = []

    def get(self, name: str) -> Entity | None:
        return self.by_name.get(normalize_name(name))

    def add(
        self,
        name: str,
        fields: dict[str, object],
        aliases: tuple[str, ...] = (),
        *,
        known: bool = False,
    ) -> Entity:
        found = self.get(name) or next((e for a in aliases if (e := self.get(a))), None)
        if found is not None:
            entity = found
        else:
            entity = Entity(name, dict(fields), known=known)
            self.all.append(entity)
            self.by_name[normalize_name(name)] = entity
        for alias in aliases:
            self.alias(entity, alias)
        return entity

    def alias(self, entity: Entity, alias: str) -> None:
        key = normalize_name(alias)
        if key in self.by_name:
            return
        self.by_name[key] = entity
        if key not in {normalize_name(n) for n in entity.names()}:
            entity.aliases.append(alias)

    def mention(self, entity: Entity, passage: Passage, start: int, end: int) -> None:
        entity.mentions.append((passage, start, end))


def _tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[\w’'.-]*\w|[(),;:]", text)]


def _sentence_starts(text: str) -> set[int]:
    starts = {0}
    for m in re.finditer(r"[.!?][”\"’)]*\s+", text):
        starts.add(m.end())
    return starts


def find_places(passages: list[Passage], gazetteer: Gazetteer) -> Entities:
    places = Entities()
    page = " ".join(p.text for p in passages)
    codes = {
        code for code, name in gazetteer.countries_by_code.items()
        if re.search(rf"\b{re.escape(name)}\b", page)
    }  # fmt: skip
    for passage in passages:
        text = passage.text
        tokens = _tokens(text)
        spans = _name_spans(text)
        i = 0
        while i < len(tokens):
            for n in range(min(5, len(tokens) - i), 0, -1):
                start, end = tokens[i][0], tokens[i + n - 1][1]
                span = text[start:end]
                known = gazetteer.places.get(normalize_name(span))
                if known is None or not any(c.isupper() for c in span) or not _fits(known, codes):
                    continue
                if _inside_name(text, start, end, spans, gazetteer):
                    break
                entity = places.add(known.name, known.fields, known.aliases, known=True)
                places.mention(entity, passage, start, end)
                if known.fields.get("kind") == "CITY" and known.country_code:
                    entity.fields["country_name"] = gazetteer.countries_by_code.get(
                        known.country_code
                    )
                i += n - 1
                break
            i += 1
        for m in _DIRECTION.finditer(text):
            base = m.group("a") or m.group("b")
            country = places.get(base)
            if country is None or country.fields.get("kind") != "COUNTRY":
                continue
            direction = (m.group(1) or m.group(3)).lower()
            adjective = {"centr": "Central", "centre": "Central", "center": "Central"}.get(
                direction, direction.capitalize() + "ern"
            )
            name = f"{adjective} {country.name}"
            entity = places.add(name, {"kind": "REGION", "country_name": country.name})
            if m.group("b"):
                places.alias(entity, f"{m.group(3)} of {base}")
            places.mention(entity, passage, m.start(), m.end())
        for m in _TYPED_PLACE.finditer(text):
            name = m.group("a") or m.group("b") or m.group("c")
            if normalize_name(name) in _MONTHS_DAYS:
                continue
            word = (m.group("k1") or m.group("k2") or "region").lower()
            entity = places.get(name) or places.add(name, {"kind": _KINDS.get(word, "REGION")})
            start = m.start("a") if m.group("a") else m.start("b") if m.group("b") else m.start("c")
            places.mention(entity, passage, start, start + len(name))
        _sites(places, passage)
    return places


def _inside_name(
    text: str, start: int, end: int, spans: list[tuple[int, int]], gazetteer: Gazetteer
) -> bool:
    """A place named inside a longer name ("Rome Statute", "Al-Qaeda in the Islamic
    Maghreb") is part of that name, not a mention of the place."""
    for a, b in spans:
        if a <= start and end <= b and (a, b) != (start, end):
            rest = (text[a:start] + " " + text[end:b]).split()
            words = [w for w in rest if w not in _CONNECTOR]
            if any(normalize_name(w.removesuffix("’s")) not in gazetteer.places for w in words):
                return True
    return False


def _sites(places: Entities, passage: Passage) -> None:
    """Buildings and sites the page names generically ("the presidential palace"), located
    in the town the passage names most: a curator checks which."""
    text = passage.text
    towns = Counter(
        e.name
        for e in places.all
        if e.fields.get("kind") in {"CITY", "TOWN", "VILLAGE"}
        for p, _, _ in e.mentions
        if p.id == passage.id
    )
    if not towns:
        return
    town = towns.most_common(1)[0][0]
    for m in _SITE.finditer(text):
        phrase = m.group(1)
        if phrase.split()[0] in {"the", "a", "an", "of", "in", "and", "several", "many"}:
            phrase = phrase.split(" ", 1)[1]
        name = f"{phrase[0].upper()}{phrase[1:]}, {town}"
        entity = places.add(name, {"kind": "SITE", "country_name": None})
        entity.fields["located_in"] = town
        at = m.end(1) - len(phrase)
        places.mention(entity, passage, at, m.end(1))


def _fits(known: Known, page_countries: set[str]) -> bool:
    """A city counts only in a country the page names, or if it is a metropolis: small
    towns share their names with people and words the world over."""
    if known.fields.get("kind") != "CITY" or known.population >= 10**9:
        return True
    return known.country_code in page_countries or known.population >= 1_000_000


def find_actors(passages: list[Passage], gazetteer: Gazetteer, places: Entities) -> Entities:
    actors = Entities()
    lowercase_words = {w for p in passages for w in re.findall(r"\b[a-z][a-z’'-]*\b", p.text)}
    for passage in passages:  # names defined with their acronym come first
        text = passage.text
        for m in _ACRONYM_DEF.finditer(text):
            acronym = m.group(1)
            span = _name_before(text, m.start())
            if span is None:
                continue
            start, end = span
            name = text[start:end]
            entity = actors.add(name, {"kind": _guess_kind(name)}, (acronym,))
            actors.mention(entity, passage, start, m.end())
    for place in places.all:
        if place.fields.get("kind") == "COUNTRY":
            entity = actors.add(place.name, {"kind": "STATE"}, tuple(place.aliases), known=True)
            for passage, start, end in place.mentions:
                actors.mention(entity, passage, start, end)
    mid_sentence: set[str] = set()  # names seen away from a sentence's first word
    for passage in passages:
        starts = _sentence_starts(passage.text)
        mid_sentence.update(
            passage.text[a:b] for a, b in _name_spans(passage.text) if a not in starts
        )
    for passage in passages:
        text = passage.text
        sentence_starts = _sentence_starts(text)
        for start, end in _name_spans(text):
            if _quoted(text, start):
                continue
            for part_start, part_end in _parts(text, start, end, actors, places, gazetteer):
                _actor_span(
                    actors, gazetteer, places, passage, part_start, part_end,
                    sentence_starts, lowercase_words, mid_sentence,
                )  # fmt: skip
        for m in _ACRONYM.finditer(text):
            if (named := actors.get(m.group(0))) is not None:
                actors.mention(named, passage, m.start(), m.end())
    return actors


def _parts(
    text: str, start: int, end: int, actors: Entities, places: Entities, gazetteer: Gazetteer
) -> list[tuple[int, int]]:
    """A span as names: whole if known, else split at "and" ("Libya and Algeria") and rid
    of a place that only locates it ("workshop ... in Bamako")."""
    span = text[start:end]
    if actors.get(span) or normalize_name(span) in gazetteer.actors:
        return [(start, end)]
    parts, at = [], start
    for piece in re.split(r"( and )", span):
        if piece != " and ":
            parts.append((at, at + len(piece)))
        at += len(piece)
    trimmed = []
    for a, b in parts:
        m = re.search(r" (?:in|of) ([A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?)$", text[a:b])
        if (
            m
            and places.get(m.group(1))
            and not actors.get(text[a:b])
            and not text[a:b].startswith(("Government", "Republic", "State", "Mission"))
        ):
            b = a + m.start()
        trimmed.append((a, b))
    return trimmed


def _actor_span(
    actors: Entities,
    gazetteer: Gazetteer,
    places: Entities,
    passage: Passage,
    start: int,
    end: int,
    sentence_starts: set[int],
    lowercase_words: set[str],
    mid_sentence: set[str],
) -> None:
    text = passage.text
    span = text[start:end]
    known = gazetteer.actors.get(normalize_name(span))
    if known is not None:
        entity = actors.add(known.name, known.fields, known.aliases, known=True)
        actors.mention(entity, passage, start, end)
        return
    if not (start in sentence_starts and span in mid_sentence):
        start, span = _trim(text, start, end, sentence_starts, lowercase_words)
    if not span or places.get(span) is not None or normalize_name(span) in _MONTHS_DAYS:
        return
    if re.match(r" (?:\d|[IVX]+\b)", text[start + len(span) :]):
        return  # a numbered thing: "Resolution 2999", "Article 5", "Chapter VII"
    words = span.split()
    if len(words) == 1 and not span.isupper():
        after = text[start + len(span) : start + len(span) + 2]
        if _ADJECTIVE.search(span) and re.match(r" [a-z]", after):
            return  # an adjective: "French forces", "Islamist groups"
        if span.lower() in lowercase_words:
            return  # a common word capitalised: "Council", "State"
    title_at = max(
        (span.find(t + " ") + len(t) + 1 for t in _TITLES if span.find(t + " ") >= 0),
        default=0,
    )
    title = span[:title_at].strip() if title_at else None
    bare = span[title_at:] if title_at else span
    if title and len(bare.split()) == 1 and not _person_by_surname(actors, bare):
        bare, title = span, None
    found = actors.get(span) or actors.get(bare) or _person_by_surname(actors, bare)
    entity = found or actors.add(bare, {"kind": "PERSON" if title else _guess_kind(bare)})
    if title:
        actors.alias(entity, span)
    actors.alias(entity, bare)
    actors.mention(entity, passage, start, start + len(span))


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Runs of capitalised words, joined by connectors ("Movement for Unity and Jihad")."""
    spans = []
    tokens = list(re.finditer(r"(?:al-|el-)?[\w’'.-]*\w", text))
    i = 0
    while i < len(tokens):
        if not _is_name_token(tokens[i].group(0)):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and not tokens[j].group(0).endswith(("’s", "'s")):
            gap = text[tokens[j].end() : tokens[j + 1].start()]
            if gap != " ":
                break
            nxt = tokens[j + 1].group(0)
            if _is_name_token(nxt):
                j += 1
                continue
            if (
                nxt in _CONNECTOR
                and j + 2 < len(tokens)
                and _is_name_token(tokens[j + 2].group(0))
                and text[tokens[j + 1].end() : tokens[j + 2].start()] == " "
            ):
                j += 2
                continue
            break
        end = tokens[j].end()
        word = text[tokens[i].start() : end]
        if word.endswith(("’s", "'s")):
            end -= 2
        spans.append((tokens[i].start(), end))
        i = j + 1
    return spans


def _is_name_token(token: str) -> bool:
    return bool(_TOKEN.fullmatch(token)) and token.lower() not in _MONTHS_DAYS


def _quoted(text: str, at: int) -> bool:
    """Inside quotation marks: a title ("What's Next for Mali"), not a name."""
    before = text[:at]
    return before.count("“") > before.count("”")


def _trim(
    text: str, start: int, end: int, sentence_starts: set[int], lowercase_words: set[str]
) -> tuple[int, str]:
    """Drop a sentence's first word when the page also uses it in lowercase ("After")."""
    span = text[start:end]
    if start in sentence_starts:
        first, _, rest = span.partition(" ")
        lower = first.lower()
        if (
            lower in lowercase_words
            or lower in _MONTHS_DAYS
            or lower in _OPENERS
            or re.search(r"(?:ing|ed|ly)$", lower)
            or text[start + len(first) : start + len(first) + 1] == ","
        ):
            if not rest:
                return start, ""
            start += len(first) + 1
            span = rest
    while span.split(" ", 1)[0].lower() in {"the", "a", "an"} and " " in span:
        first = span.split(" ", 1)[0]
        start += len(first) + 1
        span = span[len(first) + 1 :]
    return start, span.strip(" .")


def _name_before(text: str, paren: int) -> tuple[int, int] | None:
    """The capitalised name that ends just before "(ACRONYM)"."""
    for start, end in reversed(_name_spans(text[:paren])):
        if text[end:paren].strip() == "":
            while (
                text[start:end].split(" ", 1)[0].lower() in {"the", "a", "an"}
                and " " in text[start:end]
            ):
                start += len(text[start:end].split(" ", 1)[0]) + 1
            return start, end
        break
    return None


def _person_by_surname(actors: Entities, name: str) -> Entity | None:
    """ "Keita" after "Ibrahim Boubacar Keita": the same person."""
    if " " in name:
        return None
    for entity in actors.all:
        words = entity.name.split()
        if entity.fields.get("kind") == "PERSON" and len(words) > 1 and words[-1] == name:
            return entity
    return None


def _guess_kind(name: str) -> str:
    if name.startswith("Operation "):
        return "MILITARY_OPERATION"
    if re.search(r"\b(?:United Nations|UN|Security Council|Secretary)\b", name):
        return "UN_BODY"
    if re.search(r"\b(?:Mission)\b", name):
        return "PEACEKEEPING_MISSION"
    if re.search(r"\b(?:Union|Community|Organi[sz]ation of)\b", name):
        return "INTERGOVERNMENTAL_ORGANIZATION"
    if re.search(r"\b(?:Army|Forces|Military)\b", name):
        return "ARMED_FORCES"
    if re.search(r"\b(?:Movement|Front|Brigade|Mouvement|Jihad|Ansar|Qaeda)\b", name):
        return "ARMED_GROUP"
    if re.search(r"\b(?:Court|Tribunal)\b", name):
        return "COURT"
    if re.search(r"\b(?:Commission)\b", name):
        return "COMMISSION"
    if re.search(r"\b(?:Assembly|Parliament)\b", name):
        return "LEGISLATURE"
    if re.search(r"\b(?:Watch|Amnesty|Federation|Network)\b", name):
        return "NGO"
    if re.search(r"\b(?:Institute|Survey|University|School)\b", name):
        return "RESEARCH_BODY"
    words = name.split()
    if 2 <= len(words) <= 4 and not _ORG_WORDS.search(name) and not name.isupper():
        return "PERSON"
    return "OTHER"


@dataclass(frozen=True)
class ResolutionMention:
    number: int
    year: int | None
    start: int
    end: int


def find_resolutions(text: str) -> list[ResolutionMention]:
    found = []
    for m in _RESOLUTION.finditer(text):
        year = int(m.group(2)) if m.group(2) else None
        found.append(
            ResolutionMention(
                int(m.group(1)), year, m.start(), m.end(2) if m.group(2) else m.end(1)
            )
        )
        if m.group(4):
            found.append(ResolutionMention(int(m.group(4)), None, m.start(4), m.end(4)))
    return found
