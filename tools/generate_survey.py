#!/usr/bin/env python3
"""Deterministic generator of synthetic French survey batches for Baro.

Each output row is one digital initiative declared by a municipal agent of a
French commune, the way a survey tool (LimeSurvey, a spreadsheet) exports it:

    id;code_insee;nom_commune;annee;titre;description

The text is SYNTHETIC: made by a phrase grammar written for this tool, not
taken from any real survey.  The communes and their populations are real:
they come from data/reference/fr-communes-2026.csv.

How a batch is made
-------------------
1. Communes.  --communes distinct current communes (type commune-actuelle with
   a population) are drawn with the band mix of a survey of digitally active
   towns (BANDS: 36 % under 2,000 inhabitants, 34 % 2,000-10,000, 22 %
   10,000-50,000, 8 % 50,000 and more).  Within the three smaller bands,
   larger communes are likelier.  From 100 communes up, at least one commune of 2A, one of 2B
   and two overseas (DROM) communes are included.
2. Initiatives per commune ~ population^0.55 x lognormal noise (sigma 0.5),
   x 0.7 below 2,000 inhabitants, at least one each, scaled so that the total
   is exactly --rows.  Rows are grouped by commune, communes in random order.
3. Domains.  Exact quotas: 1.5 % of rows fit no domain (`none`: "néant",
   road works, a church roof, the town hall's payroll software...); the rest
   is split in the proportions of the published barometer (DOMAIN_WEIGHTS),
   then shuffled.  --truth writes the intended domain of every row.
4. Text.  Each domain has sub-topics with titles, one-liners, core sentences
   and details, read from the lexicon files in tools/survey_lexicon/ (about
   300 core skeletons and 1,000 other templates, each with
   inline alternatives and slots for places, audiences, tools, partners,
   funders, amounts, frequencies and years).  Entries range from a few words
   to ~600 characters; about a third mention a second domain.
5. Typing habits, per commune and per row: no accents (~20 % of entries),
   typos, trade abbreviations (RDV, CC, CM...), curly apostrophes, French
   no-break spaces before colons, all-lowercase or all-caps entries, stray
   spaces, bullet lists with line breaks, semicolons and quotes inside
   fields, variants of the commune name (upper case, "St-", no accents).
   About 8 % of rows are dated from the year or two before --year.

Output is RFC 4180 CSV (quoted where needed, or everywhere with --quote-all)
or JSON Lines with the same keys (`annee` is a number there).  Line breaks
inside a description are always LF, whatever --crlf says about record ends.
Windows-1252 output maps the few characters that code page lacks (narrow
no-break space, arrows, an emoji, >=) to close equivalents.

Determinism: every random draw goes through one random.Random(seed) instance
and only through its random() method (whose sequence is stable across CPython
versions); nothing depends on hash order.  The same arguments give a
byte-identical output.

Standard library only.  Run `python3 tools/generate_survey.py --help`.
"""

import argparse
import codecs
import csv
import json
import math
import os
import random
import re
import sys
import unicodedata

DOMAINS = (
    "acces",
    "communication",
    "culture",
    "education",
    "demarches",
    "democratie",
    "vie_quotidienne",
    "economie",
    "solidarite",
)

# Target shares of the published barometer (percent of classified entries).
# They add up to 99; on-topic rows are split in these proportions and NONE_SHARE
# of all rows fit no domain at all.
DOMAIN_WEIGHTS = {
    "acces": 27.0,
    "communication": 18.5,
    "culture": 15.5,
    "education": 12.0,
    "demarches": 9.0,
    "vie_quotidienne": 7.0,
    "democratie": 4.0,
    "economie": 3.0,
    "solidarite": 3.0,
}
NONE_SHARE = 0.015
NONE_LABEL = "none"

# Population bands: (label, lower bound inclusive, upper bound exclusive, share
# of the sampled communes).  A survey of digitally active towns over-represents
# towns and cities but still has a large rural minority.
BANDS = (
    ("rural", 0, 2000, 0.36),
    ("bourg", 2000, 10000, 0.34),
    ("ville", 10000, 50000, 0.22),
    ("grande", 50000, 10 ** 12, 0.08),
)

# Initiatives per commune ~ population^POP_EXPONENT * lognormal(0, NOISE_SIGMA),
# times RURAL_FACTOR below 2,000 inhabitants.
POP_EXPONENT = 0.55
NOISE_SIGMA = 0.5
RURAL_FACTOR = 0.7

# Share of rows dated from the survey year, the year before and two years before.
YEAR_MIX = (0.92, 0.06, 0.02)

HEADER = ("id", "code_insee", "nom_commune", "annee", "titre", "description")

# Markers replaced after expansion by commune-specific text.
MARK_NAME = "\x01"
MARK_URL = "\x02"

MAX_DESCRIPTION_CHARS = 650


# ---------------------------------------------------------------------------
# A small phrase grammar.
#
# Template syntax: `{name}` refers to a symbol; `[a|b|c]` picks one of the
# alternatives (nestable, an empty alternative is allowed); everything else is
# literal text.  Templates are parsed once into a tree, then linked once per
# context (commune size class x year), so that expansion at run time is a tight
# recursive walk:
#   str   -> literal text
#   list  -> alternatives, pick one uniformly (repeat an entry to weight it)
#   tuple -> sequence, expand each part
# ---------------------------------------------------------------------------


class _Ref:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


def _parse(template):
    """Parses one template string into an unlinked node."""
    pos = 0
    n = len(template)

    def seq(stop_chars):
        nonlocal pos
        parts = []
        buf = []
        while pos < n:
            c = template[pos]
            if c in stop_chars:
                break
            if c == "{":
                end = template.index("}", pos)
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(_Ref(template[pos + 1:end]))
                pos = end + 1
            elif c == "[":
                pos += 1
                alts = [seq("|]")]
                while pos < n and template[pos] == "|":
                    pos += 1
                    alts.append(seq("|]"))
                if pos >= n or template[pos] != "]":
                    raise ValueError("unbalanced [ in template: %r" % template)
                pos += 1
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(alts)
            else:
                buf.append(c)
                pos += 1
        if buf:
            parts.append("".join(buf))
        return parts[0] if len(parts) == 1 else (tuple(parts) if parts else "")

    node = seq("")
    if pos != n:
        raise ValueError("unbalanced ] or | in template: %r" % template)
    return node


def _simplify(node):
    if type(node) is tuple:
        parts = []
        for p in node:
            p = _simplify(p)
            if p == "":
                continue
            if type(p) is str and parts and type(parts[-1]) is str:
                parts[-1] = parts[-1] + p
            else:
                parts.append(p)
        if not parts:
            return ""
        return parts[0] if len(parts) == 1 else tuple(parts)
    if type(node) is list:
        alts = [_simplify(a) for a in node]
        return alts[0] if len(alts) == 1 else alts
    return node


class Grammar:
    """Symbols linked for one context.  `symbols` maps a name to a list of
    unlinked alternatives; lookups of undefined names raise KeyError."""

    def __init__(self, parsed_symbols):
        self._parsed = parsed_symbols
        self._linked = {}

    def _link(self, node, stack):
        t = type(node)
        if t is str:
            return node
        if t is _Ref:
            return self.symbol(node.name, stack)
        if t is list:
            return [self._link(a, stack) for a in node]
        return tuple(self._link(p, stack) for p in node)

    def symbol(self, name, stack=()):
        got = self._linked.get(name)
        if got is not None:
            return got
        if name in stack:
            raise ValueError("recursive grammar symbol: %s" % name)
        alts = self._parsed.get(name)
        if alts is None:
            raise KeyError("undefined grammar symbol {%s}" % name)
        linked = _simplify([self._link(a, stack + (name,)) for a in alts])
        self._linked[name] = linked
        return linked

    def compile_list(self, parsed_alts):
        return _simplify([self._link(a, ()) for a in parsed_alts])


def _expand(node, rnd, out):
    # The common shapes (a literal, a pick among literals) are handled inline:
    # expansion is the hot loop of the generator.
    t = type(node)
    if t is str:
        out.append(node)
        return
    if t is list:
        node = node[int(rnd() * len(node))]
        t = type(node)
        if t is str:
            out.append(node)
            return
        if t is list:
            _expand(node, rnd, out)
            return
    for part in node:
        t = type(part)
        if t is str:
            out.append(part)
        elif t is list:
            choice = part[int(rnd() * len(part))]
            if type(choice) is str:
                out.append(choice)
            else:
                _expand(choice, rnd, out)
        else:
            _expand(part, rnd, out)


def expand(node, rnd):
    out = []
    _expand(node, rnd, out)
    return "".join(out)


# ---------------------------------------------------------------------------
# The lexicon is data: tools/survey_lexicon/, whose README gives the template
# syntax and what each file holds.  Year symbols ({an}, {an_1}, {an_p1},
# {an_deb}...) are added per row by year_symbols().
# ---------------------------------------------------------------------------

LEXICON_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "survey_lexicon")
SUBTOPIC_FIELDS = ("key", "w", "titles", "terse", "core", "detail")


def _read_lexicon(name):
    path = os.path.join(LEXICON_DIR, name)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except ValueError as e:
        raise SystemExit("%s: not valid JSON: %s" % (path, e))


def _check_domain(dom, d):
    """A typo in a lexicon file must fail loudly, not silently drop sentences."""
    where = "survey_lexicon/domains/%s.json" % dom
    if d.get("domain") != dom:
        raise SystemExit("%s: says it is domain %r" % (where, d.get("domain")))
    keys = set()
    for s in d["subtopics"]:
        if tuple(sorted(s)) != tuple(sorted(SUBTOPIC_FIELDS)):
            raise SystemExit("%s: sub-topic %r must have exactly the fields %s" %
                             (where, s.get("key"), ", ".join(SUBTOPIC_FIELDS)))
        keys.add(s["key"])
    for part in ("motives", "shared_details"):
        for e in d[part]:
            if isinstance(e, dict):
                unknown = set(e["subtopics"]) - keys
                if unknown:
                    raise SystemExit("%s: %s entry %r names unknown sub-topics %s" %
                                     (where, part, e["template"], ", ".join(sorted(unknown))))
    unknown = set(d["second_domains"]) - set(DOMAINS)
    if unknown:
        raise SystemExit("%s: second_domains names unknown domains %s" % (where, ", ".join(sorted(unknown))))


def _load_lexicon():
    """Reads the lexicon files into the tables the generator walks."""
    symbols = _read_lexicon("symbols.json")
    domains = {dom: _read_lexicon(os.path.join("domains", dom + ".json")) for dom in DOMAINS}
    for dom, d in domains.items():
        _check_domain(dom, d)
    addons = _read_lexicon("addons.json")
    return dict(
        symbols=symbols["symbols"],
        classes=symbols["by_size_class"],
        subtopics={dom: d["subtopics"] for dom, d in domains.items()},
        motives={dom: d["motives"] for dom, d in domains.items()},
        details={dom: d["shared_details"] for dom, d in domains.items()},
        cross={dom: d["mentions"] for dom, d in domains.items()},
        # Pairs in file order: the cumulative weights depend on it.
        secondary={dom: list(d["second_domains"].items()) for dom, d in domains.items()},
        none=_read_lexicon("none.json"),
        neutral=addons["neutral"],
        addons=addons["neutral"] + addons["initiative"],
        abbreviations=[(a["full"], a["short"], a["share"]) for a in _read_lexicon("abbreviations.json")],
    )


LEXICON = _load_lexicon()


def year_symbols(year):
    """Year-dependent symbols for a row dated `year`."""
    y = int(year)
    deb = [str(y - k) for k in (1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 10, 12)]
    return {
        "an": [str(y)],
        "an_1": [str(y - 1)],
        "an_2": [str(y - 2)],
        "an_p1": [str(y + 1)],
        "an_deb": deb,
        "an_old": [str(y - k) for k in (10, 12, 14, 15, 16, 18, 20)],
        "annee_sco": ["{0}-{1}".format(y - 1, y), "{0}/{1}".format(y - 1, y),
                      "{0}-{1}".format(y, y + 1)],
    }


# Characters outside Windows-1252 that the text may contain, and what an
# export to Windows-1252 turns them into.
CP1252_FALLBACK = {
    "\u202f": "\u00a0",  # narrow no-break space (French typography) -> no-break space
    "\u2192": "->",      # rightwards arrow
    "\u2705": "",        # white heavy check mark (emoji)
    "\u2265": ">=",
    "\u2264": "<=",
    "\u2011": "-",       # non-breaking hyphen
}


def scoped(entries, key):
    """Templates of a motives / shared-details list that fit sub-topic `key`."""
    out = []
    for e in entries:
        if isinstance(e, dict):
            if key in e["subtopics"]:
                out.append(e["template"])
        else:
            out.append(e)
    return out



# ---------------------------------------------------------------------------
# Text post-processing: how agents actually type.
# ---------------------------------------------------------------------------

# Shares of non-terse entries by number of sentences added after the core
# statement; TERSE_SHARE of on-topic entries are one-liners.
TERSE_SHARE = 0.09
EXTRA_SENTENCES = ((0, 0.04), (1, 0.08), (2, 0.16), (3, 0.24), (4, 0.24), (5, 0.15), (6, 0.09))
MOTIVE_SHARE = 0.55         # non-terse entries that say why the initiative exists
CROSS_SHARE = 0.36          # non-terse entries that mention a second domain
NO_TITLE_SHARE = 0.11
NONANSWER_SHARE = 0.45      # of off-topic entries: "néant", "RAS"...

_ACCENT_MAP = {}
for _src, _dst in (
    ("àâäá", "a"), ("ç", "c"), ("éèêë", "e"), ("îïí", "i"), ("ôöó", "o"), ("ùûüú", "u"), ("ÿ", "y"),
    ("ÀÂÄÁ", "A"), ("Ç", "C"), ("ÉÈÊË", "E"), ("ÎÏÍ", "I"), ("ÔÖÓ", "O"), ("ÙÛÜÚ", "U"), ("Ÿ", "Y"),
):
    for _c in _src:
        _ACCENT_MAP[ord(_c)] = _dst
_ACCENT_MAP.update({ord("œ"): "oe", ord("Œ"): "OE", ord("æ"): "ae", ord("Æ"): "AE",
                    ord("’"): "'", ord("«"): '"', ord("»"): '"', 0x202F: " ", 0x00A0: " "})
STRIP_ACCENTS = _ACCENT_MAP

_COMBINING = re.compile("[\u0300-\u036f]")
_NON_DECOMPOSABLE = (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE"), ("’", "'"), ("«", '"'),
                     ("»", '"'), ("\u202f", " "), ("\u00a0", " "))


def strip_accents(text):
    """What an agent typing without accents produces; same result as
    text.translate(STRIP_ACCENTS) for this lexicon, about three times faster."""
    text = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    for a, b in _NON_DECOMPOSABLE:
        if a in text:
            text = text.replace(a, b)
    return text


# AZERTY neighbours for substitution typos.
_NEIGHBOURS = {
    "a": "zq", "z": "aes", "e": "zrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok",
    "o": "ipl", "p": "om", "q": "asw", "s": "qdz", "d": "sfe", "f": "dgr", "g": "fht", "h": "gjy",
    "j": "hku", "k": "jli", "l": "kmo", "m": "lp", "w": "qx", "x": "wc", "c": "xv", "v": "cb",
    "b": "vn", "n": "bm",
}


def add_typo(text, rnd):
    """One realistic typo inside a lower-case word (swap, drop, double or
    neighbouring key); returns the text unchanged if no spot is found."""
    n = len(text)
    if n < 8:
        return text
    for _ in range(8):
        i = 1 + int(rnd() * (n - 3))
        a = text[i]
        b = text[i + 1]
        if not (a.islower() and b.islower() and text[i - 1].isalpha()):
            continue
        k = rnd()
        if k < 0.35:
            return text[:i] + b + a + text[i + 2:]
        if k < 0.65:
            return text[:i] + text[i + 1:]
        if k < 0.8:
            return text[:i] + a + text[i:]
        near = _NEIGHBOURS.get(a)
        if near:
            return text[:i] + near[int(rnd() * len(near))] + text[i + 1:]
    return text


def _slug(name):
    s = name.translate(STRIP_ACCENTS).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


# ---------------------------------------------------------------------------
# Reference communes, sampling and allocation.
# ---------------------------------------------------------------------------


class Commune:
    __slots__ = ("code", "nom", "departement", "zone", "population", "band",
                 "display", "url", "no_accents", "curly", "nbsp", "rows")

    def __init__(self, code, nom, departement, zone, population, band):
        self.code = code
        self.nom = nom
        self.departement = departement
        self.zone = zone
        self.population = population
        self.band = band
        self.display = nom
        self.url = ""
        self.no_accents = False
        self.curly = False
        self.nbsp = ""
        self.rows = 0


def band_of(population):
    for i, (_, lo, hi, _) in enumerate(BANDS):
        if lo <= population < hi:
            return i
    raise ValueError(population)


def load_reference(path):
    """Current communes with a population, from the reference CSV."""
    try:
        f = open(path, encoding="utf-8", newline="")
    except OSError as e:
        raise SystemExit("generate_survey: cannot read the commune reference %s: %s "
                         "(pass --reference PATH)" % (path, e.strerror))
    with f:
        reader = csv.DictReader(f)
        need = {"code_insee", "nom", "type", "departement", "zone", "population"}
        missing = need - set(reader.fieldnames or ())
        if missing:
            raise SystemExit("generate_survey: %s lacks column(s) %s" % (path, ", ".join(sorted(missing))))
        out = []
        for row in reader:
            if row["type"] != "commune-actuelle" or not row["population"]:
                continue
            pop = int(row["population"])
            if pop <= 0:
                continue
            out.append(Commune(row["code_insee"], row["nom"], row["departement"], row["zone"], pop, band_of(pop)))
    if not out:
        raise SystemExit("generate_survey: no current commune with a population in %s" % path)
    out.sort(key=lambda c: c.code)
    return out


def largest_remainder(total, weights):
    """Splits the integer `total` in proportion to `weights` (Hamilton)."""
    s = float(sum(weights))
    raw = [total * w / s for w in weights]
    base = [int(math.floor(x)) for x in raw]
    left = total - sum(base)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:left]:
        base[i] += 1
    return base


def _exp_key(rnd, weight):
    # Efraimidis-Spirakis weighted sampling without replacement: the items with
    # the smallest Exp(1)/weight keys form a weighted sample.
    return -math.log(1.0 - rnd()) / weight


def _selection_weight(c):
    alpha = (0.6, 0.3, 0.15, 0.0)[c.band]
    w = float(c.population) ** alpha
    if c.zone == "com":
        w *= 0.3
    return w


def select_communes(communes, n, rnd):
    """Draws n distinct communes with the band mix of BANDS, every band present
    when n >= 4, some Corsican and overseas communes when n >= 100."""
    by_band = [[c for c in communes if c.band == b] for b in range(len(BANDS))]
    avail = [len(x) for x in by_band]
    if n > sum(avail):
        raise SystemExit("generate_survey: --communes %d exceeds the %d communes with a population" % (n, sum(avail)))
    quotas = largest_remainder(n, [b[3] for b in BANDS])
    if n >= len(BANDS):
        for b in range(len(BANDS)):  # every band present
            if quotas[b] == 0:
                donor = max(range(len(BANDS)), key=lambda i: (quotas[i], -i))
                quotas[donor] -= 1
                quotas[b] = 1
    # Respect band capacities, moving any excess to bands with room.
    while True:
        excess = sum(max(0, quotas[b] - avail[b]) for b in range(len(BANDS)))
        if not excess:
            break
        quotas = [min(q, a) for q, a in zip(quotas, avail)]
        room = [b for b in range(len(BANDS)) if quotas[b] < avail[b]]
        extra = largest_remainder(excess, [BANDS[b][3] for b in room])
        for b, e in zip(room, extra):
            quotas[b] += e

    chosen = []
    taken = set()
    if n >= 100:
        groups = [
            [c for c in communes if c.departement == "2A"],
            [c for c in communes if c.departement == "2B"],
            [c for c in communes if c.zone == "drom"],
            [c for c in communes if c.zone == "drom"],
        ]
        for group in groups:
            cands = [c for c in group if c.code not in taken and quotas[c.band] > 0]
            if not cands:
                continue
            pick = min(cands, key=lambda c: (_exp_key(rnd, _selection_weight(c)), c.code))
            chosen.append(pick)
            taken.add(pick.code)
            quotas[pick.band] -= 1
    for b in range(len(BANDS)):
        if quotas[b] <= 0:
            continue
        keyed = [(_exp_key(rnd, _selection_weight(c)), c.code, c) for c in by_band[b] if c.code not in taken]
        keyed.sort(key=lambda t: (t[0], t[1]))
        for _, code, c in keyed[:quotas[b]]:
            chosen.append(c)
            taken.add(code)
    # Submission order: shuffled.
    keyed = sorted(((rnd(), c.code, c) for c in chosen), key=lambda t: (t[0], t[1]))
    return [c for _, _, c in keyed]


def _gauss(rnd):
    # Box-Muller from random() only (stable across Python versions).
    u1 = 1.0 - rnd()
    u2 = rnd()
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def allocate_rows(communes, total, rnd):
    """Sets c.rows so that rows grow like population^POP_EXPONENT with
    log-normal noise, rural communes do less, each commune has at least one
    and the total is exactly `total`."""
    weights = []
    for c in communes:
        w = float(c.population) ** POP_EXPONENT * math.exp(NOISE_SIGMA * _gauss(rnd))
        if c.population < 2000:
            w *= RURAL_FACTOR
        weights.append(w)
    n = len(communes)
    if total <= n:
        for c in communes:
            c.rows = 1
        return

    def filled(s):
        return sum(max(1.0, w * s) for w in weights)

    lo, hi = 0.0, 1.0
    while filled(hi) < total:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if filled(mid) <= total:
            lo = mid
        else:
            hi = mid
    raw = [max(1.0, w * lo) for w in weights]
    base = [max(1, int(math.floor(x))) for x in raw]
    left = total - sum(base)
    order = sorted(range(n), key=lambda i: (-(raw[i] - base[i]), i))
    k = 0
    while left > 0:
        base[order[k % n]] += 1
        left -= 1
        k += 1
    for c, r in zip(communes, base):
        c.rows = r


def decorate_communes(communes, rnd):
    """Per-commune habits of the agent who fills the form."""
    for c in communes:
        r = rnd()
        if r < 0.84:
            c.display = c.nom
        elif r < 0.89:
            c.display = c.nom.upper()
        elif r < 0.93:
            c.display = c.nom.translate(STRIP_ACCENTS)
        elif r < 0.97:
            d = re.sub(r"\bSaint-", "St-", c.nom)
            d = re.sub(r"\bSainte-", "Ste-", d)
            c.display = d if d != c.nom else c.nom.replace("-", " ")
        else:
            c.display = c.nom.lower()
        slug = _slug(c.nom)
        r = rnd()
        if c.band == 0:
            c.url = ("mairie-" + slug + ".fr") if r < 0.6 else (slug + ".fr")
        elif r < 0.5:
            c.url = slug + ".fr"
        elif r < 0.8:
            c.url = "ville-" + slug + ".fr"
        else:
            c.url = "mairie-" + slug + ".fr"
        c.no_accents = rnd() < 0.13
        c.curly = rnd() < 0.18
        r = rnd()
        c.nbsp = "\u202f" if r < 0.05 else ("\u00a0" if r < 0.12 else "")


# ---------------------------------------------------------------------------
# Compiled lexicon for one context (size class x row year).
# ---------------------------------------------------------------------------

CLASS_NAMES = tuple(b[0] for b in BANDS)

_PARSED = None


def _parsed_lexicon():
    """Parses every template once."""
    global _PARSED
    if _PARSED is not None:
        return _PARSED

    def plist(items):
        return [_parse(t) for t in items]

    symbols = {k: plist(v) for k, v in LEXICON["symbols"].items()}
    classes = {cls: {k: plist(v) for k, v in over.items()} for cls, over in LEXICON["classes"].items()}
    subs = {}
    for dom in DOMAINS:
        for s in LEXICON["subtopics"][dom]:
            for field in ("titles", "terse", "core"):
                if not s[field]:
                    raise ValueError("sub-topic %s/%s has no %s" % (dom, s["key"], field))
            if not scoped(LEXICON["motives"][dom], s["key"]):
                raise ValueError("sub-topic %s/%s has no motive sentence" % (dom, s["key"]))
        subs[dom] = [dict(key=s["key"], w=s["w"], titles=plist(s["titles"]), terse=plist(s["terse"]),
                          core=plist(s["core"]),
                          detail=[_parse(t) for t in list(s["detail"]) + scoped(LEXICON["details"][dom], s["key"])],
                          motives=plist(scoped(LEXICON["motives"][dom], s["key"])))
                     for s in LEXICON["subtopics"][dom]]
    none = dict(titles=plist(LEXICON["none"]["titles"]), nonanswer=plist(LEXICON["none"]["nonanswer"]),
                core=plist(LEXICON["none"]["core"]), detail=[_parse(t) for t in LEXICON["none"]["detail"]])
    cross = {d: plist(v) for d, v in LEXICON["cross"].items()}
    addons = [_parse(t) for t in LEXICON["addons"]]
    neutral = [_parse(t) for t in LEXICON["neutral"]]
    _PARSED = dict(symbols=symbols, classes=classes, subs=subs, none=none, cross=cross, addons=addons,
                   neutral=neutral)
    return _PARSED


class Sub:
    __slots__ = ("key", "titles", "terse", "core", "detail", "motives")


class Context:
    def __init__(self, cls, year):
        p = _parsed_lexicon()
        table = dict(p["symbols"])
        table.update(p["classes"].get(cls, {}))
        for k, v in year_symbols(year).items():
            table[k] = [_parse(t) for t in v]
        g = Grammar(table)
        self.subs = {}
        for dom in DOMAINS:
            entries = []
            cum = []
            acc = 0.0
            for s in p["subs"][dom]:
                o = Sub()
                o.key = s["key"]
                o.titles = g.compile_list(s["titles"])
                o.terse = g.compile_list(s["terse"])
                o.core = g.compile_list(s["core"])
                o.detail = [g.compile_list([d]) for d in s["detail"]]
                o.motives = g.compile_list(s["motives"])
                acc += s["w"]
                entries.append(o)
                cum.append(acc)
            self.subs[dom] = (entries, cum, acc)
        n = p["none"]
        self.none_titles = g.compile_list(n["titles"])
        self.none_nonanswer = g.compile_list(n["nonanswer"])
        self.none_core = g.compile_list(n["core"])
        self.none_detail = [g.compile_list([d]) for d in n["detail"]]
        self.cross = {d: g.compile_list(v) for d, v in p["cross"].items()}
        self.addons = [g.compile_list([a]) for a in p["addons"]]
        self.neutral_addons = [g.compile_list([a]) for a in p["neutral"]]
        self.secondary = {}
        for dom, pairs in LEXICON["secondary"].items():
            cum = []
            acc = 0.0
            for _, w in pairs:
                acc += w
                cum.append(acc)
            self.secondary[dom] = ([d for d, _ in pairs], cum, acc)


def _pick_weighted(entries, cum, total, rnd):
    x = rnd() * total
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return entries[lo]


def _cap(s):
    return s[:1].upper() + s[1:] if s else s


def _strip_period(s):
    return s[:-1] if s.endswith(".") and not s.endswith("..") else s


class RowMaker:
    """Turns (commune, domain, year) into (titre, description)."""

    def __init__(self, survey_year, rnd):
        self.rnd = rnd
        self.survey_year = survey_year
        self._contexts = {}
        cum = []
        acc = 0.0
        for n, w in EXTRA_SENTENCES:
            acc += w
            cum.append(acc)
        self._extra = ([n for n, _ in EXTRA_SENTENCES], cum, acc)

    def context(self, band, year):
        key = (band, year)
        ctx = self._contexts.get(key)
        if ctx is None:
            ctx = self._contexts[key] = Context(CLASS_NAMES[band], year)
        return ctx

    def _extras(self, addons, detail, count, rnd):
        """`count` distinct sentences, each a sub-topic detail (62 %) or a
        generic add-on."""
        out = []
        used = []
        nd = len(detail)
        na = len(addons)
        for _ in range(count):
            if nd and rnd() < 0.62:
                i = int(rnd() * nd)
                for _ in range(nd):
                    if i not in used:
                        break
                    i = (i + 1) % nd
                else:
                    continue
                node = detail[i]
            else:
                i = 1000 + int(rnd() * na)
                while i in used:
                    i = 1000 + (i - 999) % na
                node = addons[i - 1000]
            used.append(i)
            parts = []
            _expand(node, rnd, parts)
            text = "".join(parts)
            out.append(text[:1].upper() + text[1:])
        return out

    def make(self, commune, domain, year):
        rnd = self.rnd
        ctx = self.context(commune.band, year)
        if domain == NONE_LABEL:
            title, text = self._none(ctx, rnd)
        else:
            title, text = self._on_topic(ctx, domain, rnd)
        return self._roughen(commune, title, text, rnd)

    def _none(self, ctx, rnd):
        if rnd() < NONANSWER_SHARE:
            text = expand(ctx.none_nonanswer, rnd)
            title = expand(ctx.none_titles, rnd) if rnd() < 0.3 else ""
            return title, text
        pieces = [_cap(expand(ctx.none_core, rnd))]
        k = int(rnd() * 3)
        pieces.extend(self._extras(ctx.neutral_addons, ctx.none_detail, k, rnd))
        title = expand(ctx.none_titles, rnd) if rnd() < 0.7 else ""
        return title, " ".join(pieces)

    def _on_topic(self, ctx, domain, rnd):
        entries, cum, total = ctx.subs[domain]
        sub = _pick_weighted(entries, cum, total, rnd)
        r = rnd()
        if r < NO_TITLE_SHARE:
            title = ""
        elif r < NO_TITLE_SHARE + 0.07:
            title = _cap(expand(sub.terse, rnd))
        else:
            title = expand(sub.titles, rnd)
        if rnd() < TERSE_SHARE:
            return title, expand(sub.terse, rnd)
        n_extra = _pick_weighted(*self._extra, rnd)
        extras = self._extras(ctx.addons, sub.detail, n_extra, rnd)
        if rnd() < CROSS_SHARE:
            names, scum, stot = ctx.secondary[domain]
            sec = _pick_weighted(names, scum, stot, rnd)
            at = int(rnd() * (len(extras) + 1))
            extras.insert(at, _cap(expand(ctx.cross[sec], rnd)))
        core = _cap(expand(sub.core, rnd))
        if rnd() < MOTIVE_SHARE:
            motive = expand(sub.motives, rnd)
            if rnd() < 0.35:
                core, motive = _cap(motive), core  # the why first, then the what
            extras.insert(0, _cap(motive))
        # Keep paragraphs within what a form field usually receives.
        size = len(core) + sum(len(e) + 1 for e in extras)
        while extras and size > MAX_DESCRIPTION_CHARS:
            size -= len(extras.pop()) + 1
        r = rnd()
        if not extras:
            return title, core
        if r < 0.018 and len(extras) >= 2:
            intro = core if rnd() < 0.5 else _strip_period(core) + " :"
            return title, intro + "\n- " + "\n- ".join(_strip_period(e) for e in extras)
        if r < 0.06:
            return title, " ; ".join([_strip_period(core)] + [_strip_period(e) for e in extras])
        if r < 0.075:
            return title, core + "\n" + " ".join(extras)
        if r < 0.09:
            return title, " - ".join([_strip_period(core)] + [_strip_period(e) for e in extras])
        return title, core + " " + " ".join(extras)

    def _roughen(self, c, title, text, rnd):
        if MARK_NAME in text:
            text = text.replace(MARK_NAME, c.nom)
        if MARK_URL in text:
            text = text.replace(MARK_URL, c.url)
        if MARK_NAME in title:
            title = title.replace(MARK_NAME, c.nom)
        if MARK_URL in title:
            title = title.replace(MARK_URL, c.url)
        for long_form, short, p in LEXICON["abbreviations"]:
            if long_form in text and rnd() < p:
                text = text.replace(long_form, short)
        if c.curly and "'" in text:
            text = text.replace("'", "\u2019")
        if c.nbsp and " :" in text:
            text = text.replace(" :", c.nbsp + ":")
        if text.endswith(".") and rnd() < 0.18:
            text = _strip_period(text)
        if c.no_accents or rnd() < 0.08:
            if "\u00ab" in text:
                text = text.replace("\u00ab ", '"').replace(" \u00bb", '"')
            text = strip_accents(text)
            title = strip_accents(title)
        if rnd() < 0.07:
            text = add_typo(text, rnd)
        r = rnd()
        if r < 0.02:
            text = text.lower()
        elif r < 0.026:
            text = text.upper()
        elif r < 0.06:
            title = title.upper()
        r = rnd()
        if r < 0.02:
            i = text.find(" ", int(rnd() * len(text)))
            if i > 0:
                text = text[:i] + " " + text[i:]
        elif r < 0.03:
            text = text + " "
        elif r < 0.035:
            text = " " + text
        return title, text


# ---------------------------------------------------------------------------
# Output.
# ---------------------------------------------------------------------------


def _cp1252_fallback(err):
    # Codec error handler: only called for the rare characters Windows-1252
    # lacks, so the bulk of the text is encoded at C speed.
    bad = err.object[err.start:err.end]
    try:
        return "".join(CP1252_FALLBACK[ch] for ch in bad).encode("cp1252"), err.end
    except KeyError:
        raise err


codecs.register_error("baro-cp1252-fallback", _cp1252_fallback)


class Sink:
    """Encodes text and writes it to a binary stream."""

    def __init__(self, stream, encoding, bom):
        self.stream = stream
        if encoding == "windows-1252":
            self.codec, self.errors = "cp1252", "baro-cp1252-fallback"
        else:
            self.codec, self.errors = "utf-8", "strict"
        if bom:
            stream.write(b"\xef\xbb\xbf")

    def write(self, text):
        self.stream.write(text.encode(self.codec, self.errors))


def generate(args, communes, out_stream, truth_stream):
    """Writes the batch described by `args` (see parse_args) to `out_stream`
    and, if given, the intended domains to `truth_stream` (both binary)."""
    rnd = random.Random(args.seed).random
    n_communes = min(args.communes, args.rows)
    if n_communes < args.communes:
        sys.stderr.write("generate_survey: --rows %d < --communes %d, using %d communes\n"
                         % (args.rows, args.communes, n_communes))
    chosen = select_communes(communes, n_communes, rnd)
    allocate_rows(chosen, args.rows, rnd)
    decorate_communes(chosen, rnd)

    # Domains: exact quotas for the batch, in shuffled order.
    n_none = int(round(args.rows * NONE_SHARE))
    counts = largest_remainder(args.rows - n_none, [DOMAIN_WEIGHTS[d] for d in DOMAINS])
    labels = list(DOMAINS) + [NONE_LABEL]
    seq = []
    for i, cnt in enumerate(counts + [n_none]):
        seq.extend([i] * cnt)
    for i in range(len(seq) - 1, 0, -1):
        j = int(rnd() * (i + 1))
        seq[i], seq[j] = seq[j], seq[i]

    maker = RowMaker(args.year, rnd)
    width = max(6, len(str(args.rows)))
    id_fmt = "%d-%%0%dd" % (args.year, width)
    y0, y1, y2 = args.year, args.year - 1, args.year - 2
    p0, p1 = YEAR_MIX[0], YEAR_MIX[0] + YEAR_MIX[1]
    eol = "\r\n" if args.crlf else "\n"

    sink = Sink(out_stream, args.encoding, args.bom)
    lines = []
    push = lines.append
    if args.format == "csv":
        delim = "\t" if args.delimiter == "tab" else args.delimiter
        specials = (delim, '"', "\n", "\r")

        # RFC 4180 by hand (the csv module's rules for QUOTE_MINIMAL and
        # QUOTE_ALL): a field is quoted when it holds the delimiter, a quote or
        # a line break, and its quotes are doubled.  Faster than csv.writer
        # here because most fields need no quoting.
        if args.quote_all:
            def field(v):
                return '"' + v.replace('"', '""') + '"'
        else:
            def field(v):
                for ch in specials:
                    if ch in v:
                        return '"' + v.replace('"', '""') + '"'
                return v

        push(delim.join(field(h) for h in HEADER) + eol)

        def emit(row):
            push(delim.join([field(v) for v in row]) + eol)
    else:
        # Same bytes as json.dumps(obj, ensure_ascii=False) for these keys,
        # built from the C string encoder to skip the per-row dict walk.
        q = json.encoder.encode_basestring

        def emit(row):
            push('{"id": %s, "code_insee": %s, "nom_commune": %s, "annee": %d, "titre": %s, "description": %s}%s'
                 % (q(row[0]), q(row[1]), q(row[2]), row[3], q(row[4]), q(row[5]), eol))

    truth = []
    k = 0
    for c in chosen:
        code, display = c.code, c.display
        for _ in range(c.rows):
            label = labels[seq[k]]
            k += 1
            r = rnd()
            year = y0 if r < p0 else (y1 if r < p1 else y2)
            title, text = maker.make(c, label, year)
            rid = id_fmt % k
            emit((rid, code, display, year if args.format == "jsonl" else str(year), title, text))
            if truth_stream is not None:
                truth.append(rid + "," + label + "\n")
            if not k % 20000:
                sink.write("".join(lines))
                del lines[:]
                if truth_stream is not None:
                    truth_stream.write("".join(truth).encode("utf-8"))
                    truth = []
    sink.write("".join(lines))
    if truth_stream is not None:
        truth_stream.write("".join(truth).encode("utf-8"))


def _positive_int(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not an integer: %r" % text)
    if v < 1:
        raise argparse.ArgumentTypeError("must be at least 1: %r" % text)
    return v


def parse_args(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default_ref = os.path.normpath(os.path.join(here, "..", "data", "reference", "fr-communes-2026.csv"))
    p = argparse.ArgumentParser(
        description="Generate a deterministic synthetic French survey batch (one row per digital initiative).",
        epilog="Same arguments give byte-identical output.")
    p.add_argument("--rows", type=_positive_int, default=4000, help="number of initiatives (default 4000)")
    p.add_argument("--communes", type=_positive_int, default=400, help="number of distinct communes (default 400)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="output format (default csv)")
    p.add_argument("--delimiter", choices=(";", ",", "tab"), default=";", metavar="DELIM",
                   help="CSV delimiter: ';' (default), ',' or tab")
    p.add_argument("--encoding", choices=("utf-8", "windows-1252"), default="utf-8", help="output encoding (default utf-8)")
    p.add_argument("--bom", action="store_true", help="start the output with a UTF-8 byte order mark")
    p.add_argument("--crlf", action="store_true", help="end records with CRLF instead of LF")
    p.add_argument("--quote-all", action="store_true", help="quote every CSV field (default: only where needed)")
    p.add_argument("--year", type=int, default=2026, help="survey year (default 2026); a few rows get the previous years")
    p.add_argument("--truth", metavar="FILE", help="also write id,domain with the intended domain ('none' for off-topic)")
    p.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    p.add_argument("--reference", metavar="PATH", default=default_ref,
                   help="commune reference CSV (default: data/reference/fr-communes-2026.csv next to this tool)")
    args = p.parse_args(argv)
    if args.bom and args.encoding != "utf-8":
        p.error("--bom only applies to --encoding utf-8")
    if args.format == "jsonl" and args.encoding != "utf-8":
        p.error("JSONL output is always UTF-8")
    if not 1900 <= args.year <= 9999:
        p.error("--year must be a four-digit year")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Check the inputs before creating (and truncating) any output file.
    communes = load_reference(args.reference)
    if args.communes > len(communes):
        raise SystemExit("generate_survey: --communes %d exceeds the %d communes with a population in %s"
                         % (args.communes, len(communes), args.reference))
    out_stream = open(args.out, "wb") if args.out else sys.stdout.buffer
    truth_stream = open(args.truth, "wb") if args.truth else None
    try:
        if truth_stream is not None:
            truth_stream.write(b"id,domain\n")
        generate(args, communes, out_stream, truth_stream)
        out_stream.flush()
    except BrokenPipeError:
        # Output piped into a command that stopped reading (`| head`).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    finally:
        if args.out:
            out_stream.close()
        if truth_stream is not None:
            truth_stream.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
