"""A new program's organisation registry, proposed from the executors its road map names.

``roadmap init`` has no registry to resolve executors against, so it makes one from the
«Ответственные исполнители» cells themselves:

1. **Splitting a cell.** Executors are separated by «;» or «:», by a comma or a line break
   before a word that starts an organisation's name («министерство», «учреждения», an
   abbreviation such as «ГКУ»), or by nothing but a closing quote before such a word. A
   comma inside a name («муниципальных районов, городских и муниципальных округов»,
   «краевые, муниципальные органы») is not followed by such a word and stays.
2. **Definitions.** «(далее – органы местного самоуправления)» makes its short form an
   alias of the body it follows, the one case where a short spelling is merged for sure.
3. **Merging.** Spellings that differ only in case, quote marks, spaces, «ё», «(по
   согласованию)» (how a body takes part, not who it is), in naming the region in full
   («министерство образования Энской области»), by its kind alone («министерство
   образования области») or abbreviated («… Энской обл.») are one organisation, as a
   person reading the road map would take them; every spelling stays an alias, and every
   merge is listed for review. Names that are merely alike («защите их прав» / «защиты их
   прав»; «органы местного» / «органы местного самоуправления») are not merged but listed
   for a person to decide.
4. **Proposals.** Each organisation gets an id transliterated from its own name (unique),
   a short name, a kind read from its first words, and, for institutions and groups, the
   body it most often serves with as the one that reports for it. Every proposal is marked
   for review.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from roadmap.drafting.importer import shorten
from roadmap.program.executors import AGREED, normalize_name
from roadmap.program.model import OrgKind

_DEFINITION = re.compile(r"\(\s*далее\s*[-–—]\s*([^)]*)\)", re.IGNORECASE)

# Nominative words an organisation's name starts with (singular and plural).
_HEADS = frozenset(
    """
    министерство министерства агентство агентства комитет комитеты департамент департаменты
    управление управления служба службы инспекция отдел отделы аппарат администрация
    администрации правительство комиссия комиссии учреждение учреждения организация
    организации орган органы центр центры фонд прокуратура субъекты заместители председатели
    главы муниципальные муниципальный муниципальная муниципальное краевые краевой краевая
    краевое областные областной областная областное окружные республиканские региональная
    региональный региональные региональное государственные государственное государственная
    общественные общественная некоммерческие некоммерческая телеканал газета редакция сми
    территориальные территориальный автономная
    """.split()
)
# Words after which a line break continues the name («… по делам несовершеннолетних \nи …»).
_JOINING = frozenset("и или а также по в во для с со на при их об о от к".split())
_ABBREVIATION = re.compile(r"^[А-ЯЁ][А-ЯЁа-яё]*[А-ЯЁ]$")
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё0-9]+(?:-[A-Za-zА-Яа-яЁё0-9]+)*")


@dataclass
class ProposedOrg:
    """One organisation of the registry ``roadmap init`` writes."""

    id: str
    name: str
    short_name: str
    kind: OrgKind
    aliases: list[str] = field(default_factory=list)
    reports_via: str | None = None
    executor: bool = True

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "short_name": self.short_name,
            "kind": self.kind,
        }
        if self.reports_via:
            out["reports_via"] = self.reports_via
        if not self.executor:
            out["executor"] = False
        if self.aliases:
            out["aliases"] = list(self.aliases)
        return out


@dataclass
class Registry:
    """The proposed organisations, and what a person should look at."""

    organizations: list[ProposedOrg]
    review: list[str] = field(default_factory=list)

    def find(self, name: str) -> ProposedOrg | None:
        key = normalize_name(name)
        for org in self.organizations:
            if any(normalize_name(a) == key for a in (org.name, *org.aliases)):
                return org
        return None


# --- splitting ------------------------------------------------------------------------------
def _starts_an_org(text: str) -> bool:
    words = _WORD.findall(text[:60])
    if not words:
        return False
    first = words[0]
    return first.lower() in _HEADS or bool(_ABBREVIATION.match(first))


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ;,:.\u00a0")


def split_executors(cell: str) -> list[tuple[str, list[str]]]:
    """The executors a cell names, each as (spelling, short forms its definition gives)."""
    return [(spelling, defined) for spelling, _, defined in _read_executors(cell)]


def _read_executors(cell: str) -> list[tuple[str, str, list[str]]]:
    """Each executor as (spelling without «(по согласованию)», spelling as written, short
    forms its definition gives)."""
    pieces: list[tuple[str, str, list[str]]] = []
    for part in re.split(r"[;:]", cell):
        for chunk in _split_lines(part):
            for name in _split_commas(chunk):
                defined = [_tidy(AGREED.sub(" ", m)) for m in _DEFINITION.findall(name)]
                written = _tidy(_DEFINITION.sub(" ", name))
                spelling = _tidy(AGREED.sub(" ", written))
                if spelling:
                    pieces.append((spelling, written, [d for d in defined if d]))
    return pieces


def _split_lines(text: str) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        previous = out[-1].split() if out else []
        joined = previous and (
            previous[-1].lower() in _JOINING or previous[-1].endswith(("-", "–", ","))
        )
        if out and not joined and _starts_an_org(line.strip()) and _balanced(out[-1]):
            out.append(line)
        elif out:
            out[-1] += " " + line
        else:
            out.append(line)
    return out


def _balanced(text: str) -> bool:
    """No bracket left open (a definition may wrap over lines)."""
    return text.count("(") <= text.count(")")


def _split_commas(text: str) -> list[str]:
    out: list[str] = []
    # a comma, or a closing quote followed by a space, before a word that starts a name
    for piece in re.split(r"(?:,|(?<=[»\"”])(?=\s))", text):
        if out and _starts_an_org(piece.strip()) and len(out[-1].split()) > 1:
            out.append(piece)
        elif out:
            sep = "," if not out[-1].endswith(("»", '"', "”")) else ""
            out[-1] += sep + piece
        else:
            out.append(piece)
    return out


# --- merging --------------------------------------------------------------------------------
def region_genitive(region: str) -> tuple[str, str] | None:
    """The region in the genitive and its kind alone: («Энской области», «области»).

    Only the usual forms are read: «<adjective> край|область» and «Республика <name>».
    """
    words = region.split()
    if len(words) >= 2 and words[1].lower() in ("край", "область"):
        adjective, kind = words[0], words[1].lower()
        if kind == "край" and adjective.endswith(("ий", "ый", "ой")):
            return adjective[:-2] + "ого края", "края"
        if kind == "область" and adjective.endswith("ая"):
            return adjective[:-2] + "ой области", "области"
    if words and words[0].lower() == "республика" and len(words) == 2:
        return "Республики " + words[1], "республики"
    return None


# Abbreviations of a region's kind in the genitive: «Энской обл.», «Энского кр.».
_KIND_ABBREVIATIONS = (
    (r"\bобл\.?(?=\s|$|[,;)])", "области"),
    (r"\bкр\.(?=\s|$|[,;)])", "края"),
    (r"\bресп\.(?=\s|$|[,;)])", "республики"),
)


def expand_abbreviations(name: str) -> str:
    """The name with the region's kind written out: «… Энской обл.» → «… Энской области»."""
    for pattern, full in _KIND_ABBREVIATIONS:
        name = re.sub(pattern, full, name, flags=re.IGNORECASE)
    return name


def merge_key(name: str, region: str) -> str:
    """The form two spellings of one organisation share."""
    key = normalize_name(expand_abbreviations(AGREED.sub(" ", name))).strip(" .")
    forms = region_genitive(region)
    if forms:
        full, short = forms
        key = key.replace(normalize_name(full), short)
    return key


# --- proposing ------------------------------------------------------------------------------
_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)
_STOP = frozenset(
    """
    и или по в во для с со на при их а также of об о от к края области республики округа
    государственное государственный государственная бюджетное казенное автономное
    учреждение
    """.split()
)
_ID_HEADS = {"министерство": "min", "агентство": "ag", "департамент": "dep", "комитет": "kom"}


def transliterate(text: str) -> str:
    """Latin letters for a Russian word, as an id uses them (ё → e, ъ and ь dropped)."""
    out = []
    for ch in text.lower():
        t = _TRANSLIT.get(ch)
        out.append(ch if t is None else "" if t == "-" else t)
    return re.sub(r"[^a-z0-9]+", "-", "".join(out)).strip("-")


def _significant(text: str, region_words: set[str]) -> list[str]:
    words = [w for w in _WORD.findall(text) if w.lower() not in _STOP]
    return [w for w in words if w.lower() not in region_words]


def _quoted(name: str) -> str | None:
    """The name in the innermost (last opened) quotes: «Доверие» of «Центр … «Доверие»»."""
    at = max(name.rfind("«"), name.rfind('"'), name.rfind("“"))
    if at < 0:
        return None
    inner = re.split(r"[»\"”]", name[at + 1 :], maxsplit=1)[0].strip()
    return inner or None


def propose_id(name: str, region: str, taken: set[str]) -> str:
    """A unique id from the name's own words: «министерство образования …» → «min-obrazovaniya»."""
    region_words = {w.lower() for w in region.split()}
    forms = region_genitive(region)
    if forms:
        region_words |= {w.lower() for w in forms[0].split()}
    quoted = _quoted(name)
    words = _significant(quoted or name, region_words)
    prefix: list[str] = []
    if not quoted and words and words[0].lower() in _ID_HEADS:
        prefix, words = [_ID_HEADS[words[0].lower()]], words[1:]
    elif not quoted and words and _ABBREVIATION.match(words[0]):
        prefix, words = [words[0]], words[1:]
    parts = [transliterate(w) for w in (*prefix, *words)]
    parts = [p for p in parts if p] or ["org"]
    for n in range(min(2, len(parts)), len(parts) + 1):
        candidate = "-".join(parts[: max(n, 1)])[:48].strip("-")
        if candidate not in taken:
            return candidate
    base = "-".join(parts[:2])[:44].strip("-")
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


_PLURAL_HEADS = frozenset(
    """
    учреждения организации органы комиссии субъекты заместители председатели главы службы
    центры министерства управления муниципальные краевые областные региональные
    государственные общественные некоммерческие территориальные окружные республиканские
    отделы сми администрации департаменты комитеты агентства
    """.split()
)


def _group_kind(low: str) -> OrgKind:
    """The kind of a group named in the plural («муниципальные образования …»)."""
    if "муниципальн" in low or "местного самоуправления" in low:
        return "municipal_group"
    if "учреждени" in low or "организаци" in low:
        return "institution_group"
    return "other_group"


def propose_kind(name: str) -> tuple[OrgKind, bool]:
    """The organisation's kind from its first words, and whether the reading is sure."""
    low = name.lower()
    words = _WORD.findall(low)
    first = words[0] if words else ""
    if first in _PLURAL_HEADS:
        return _group_kind(low), True
    if re.search(r"\b(мвд|прокуратур|следственн|фсин|росгварди|россии)", low):
        return "federal_body", True
    if first == "министерство":
        return "ministry", True
    if first in ("агентство", "комитет", "департамент", "управление", "служба", "инспекция"):
        return "agency", True
    if first in ("отдел", "администрация", "правительство") or (
        first == "аппарат" and "уполномоченн" not in low
    ):
        return "government_office", True
    if "уполномоченн" in low and "президент" in low:
        return "federal_body", True
    if "комиссия" in words:
        return "commission", True
    if re.search(r"\b(ано|роо|нко|фонд|общественная организация|некоммерческая)\b", low):
        return "ngo", True
    if re.search(r"\b(телеканал|газета|радио|редакция|сми)\b", low):
        return "media", True
    if _ABBREVIATION.match(name.split()[0]) or re.search(
        r"\b(центр|институт|диспансер|больница|школа|университет|колледж|дом ребенка)", low
    ):
        return "state_institution", True
    return "state_institution", False


# Words after which the region's name is what the phrase is about («УМВД России по
# Энской области»): there it stays in a short name, else the phrase is cut.
_BEFORE_REGION = frozenset("по в во при для на из от к с со у о об".split())


def propose_short_org_name(name: str, region: str, limit: int = 60) -> str:
    """The name without the region's own words where they only qualify a body («министерство
    образования Энской области» → «Министерство образования»), capitalised, at most
    ``limit`` characters, never cut mid-phrase."""
    text = " ".join(expand_abbreviations(AGREED.sub(" ", name)).split())
    forms = region_genitive(region)
    if forms:
        m = re.search(r"\s*" + re.escape(forms[0]) + r"\b", text, flags=re.IGNORECASE)
        before = text[: m.start()].split() if m else []
        if m and before and before[-1].lower() not in _BEFORE_REGION:
            text = " ".join((text[: m.start()] + text[m.end() :]).split())
    return shorten(text[:1].upper() + text[1:], limit)


_GROUPS_AND_INSTITUTIONS = frozenset(
    {"state_institution", "institution_group", "municipal_group", "other_group", "media"}
)
_BODIES = frozenset({"ministry", "agency", "government_office"})


def propose_registry(cells: Sequence[str], region: str) -> Registry:
    """The organisations the executor cells name, in order of first mention.

    Args:
        cells: the «Ответственные исполнители» cells, as written.
        region: the region's name in the nominative («Энская область»).
    """
    mentions = _Mentions()
    for cell in cells:
        mentions.read_cell(cell, region)
    mentions.merge_short_forms(region)
    taken: set[str] = set()
    review: list[str] = []
    orgs = {
        key: _propose_org(mentions.groups[key], region, taken, review, mentions.written[key])
        for key in mentions.order
    }
    _propose_reporting(orgs, mentions.per_cell, review)
    _note_look_alikes(orgs, review)
    return Registry(list(orgs.values()), review)


@dataclass
class _Mentions:
    """The executor cells as read: each organisation's spellings under its merge key, in
    order of first mention, and as written (with «(по согласованию)»); the short forms the
    cells define for it; the keys of each cell."""

    groups: dict[str, list[str]] = field(default_factory=dict)
    written: dict[str, list[str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    short_forms: dict[str, list[str]] = field(default_factory=dict)
    per_cell: list[list[str]] = field(default_factory=list)

    def read_cell(self, cell: str, region: str) -> None:
        keys: list[str] = []
        for spelling, written, defined in _read_executors(cell):
            key = merge_key(spelling, region)
            if key not in self.groups:
                self.groups[key] = []
                self.written[key] = []
                self.order.append(key)
            if spelling not in self.groups[key]:
                self.groups[key].append(spelling)
            if written not in self.written[key]:
                self.written[key].append(written)
            for d in defined:
                self.short_forms.setdefault(key, [])
                if d not in self.short_forms[key]:
                    self.short_forms[key].append(d)
            if key not in keys:
                keys.append(key)
        self.per_cell.append(keys)

    def merge_short_forms(self, region: str) -> None:
        """A defined short form that is written alone elsewhere is that organisation too."""
        groups = self.groups
        for key, forms in self.short_forms.items():
            for form in forms:
                other = merge_key(form, region)
                if other in groups and other != key:
                    groups[key].extend(s for s in groups.pop(other) if s not in groups[key])
                    written = self.written.pop(other)
                    self.written[key].extend(s for s in written if s not in self.written[key])
                    self.order.remove(other)
                    self.per_cell = [[key if k == other else k for k in ks] for ks in self.per_cell]
                if form not in groups[key]:
                    groups[key].append(form)
                    self.written[key].append(form)


def _propose_org(
    spellings: list[str], region: str, taken: set[str], review: list[str], written: list[str]
) -> ProposedOrg:
    """One organisation from its spellings: the fullest as its name, the others as aliases;
    every merge of spellings as written (even one that differs only by «(по согласованию)»)
    listed for review."""
    name = max((expand_abbreviations(s) for s in spellings), key=lambda s: (len(s), s))
    kind, sure = propose_kind(name)
    org_id = propose_id(name, region, taken)
    taken.add(org_id)
    aliases = sorted(set(spellings), key=spellings.index)
    if not sure:
        review.append(f"организация «{org_id}»: вид «{kind}» не распознан, проверьте")
    if len(written) > 1:
        review.append(
            f"организация «{org_id}»: написания объединены как одна организация (регистр, "
            "кавычки, «(по согласованию)», название региона): "
            + "; ".join(f"«{a}»" for a in written)
        )
    return ProposedOrg(
        id=org_id,
        name=name,
        short_name=propose_short_org_name(name, region),
        kind=kind,
        aliases=aliases,
    )


def _propose_reporting(
    orgs: dict[str, ProposedOrg], per_cell: list[list[str]], review: list[str]
) -> None:
    """Institutions and groups report through the body they most often serve with."""
    pairs: list[str] = []
    together: dict[str, Counter[str]] = {}
    for keys in per_cell:
        for key in keys:
            for other in keys:
                if other != key and orgs[other].kind in _BODIES:
                    together.setdefault(key, Counter())[other] += 1
    for key, org in orgs.items():
        if org.kind not in _GROUPS_AND_INSTITUTIONS:
            continue
        counted = together.get(key)
        if not counted:
            continue
        best = min(counted.items(), key=lambda kv: (-kv[1], list(orgs).index(kv[0])))[0]
        org.reports_via = orgs[best].id
        pairs.append(f"{org.id} → {org.reports_via}")
    if pairs:
        review.append(
            "отчитываются через орган, с которым чаще всего исполняют мероприятия "
            f"(reports_via, предложено): {', '.join(pairs)}"
        )


def _alike(a: str, b: str) -> bool:
    """Keys a person may take for one body: nearly the same, or one the other's beginning
    («органы местного» and «органы местного самоуправления»)."""
    if SequenceMatcher(None, a, b).ratio() >= 0.9:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter.split()) >= 2 and longer.startswith(shorter + " ")


def _note_look_alikes(orgs: dict[str, ProposedOrg], review: list[str]) -> None:
    keys = list(orgs)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if _alike(a, b):
                review.append(
                    f"организации «{orgs[a].id}» и «{orgs[b].id}» названы почти одинаково "
                    f"(«{orgs[a].name}» и «{orgs[b].name}»): если это одна организация, "
                    "перенесите названия в одну запись и замените id в мероприятиях"
                )


def lead_counts(executors: Iterable[Sequence[str]]) -> Counter[str]:
    """How many activities each organisation leads (the first executor leads)."""
    return Counter(ids[0] for ids in executors if ids)
