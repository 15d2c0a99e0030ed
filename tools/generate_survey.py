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
   and details (about 300 core skeletons and 1,000 other templates, each with
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
# Lexicon, part 1: shared slot fillers.
#
# Symbols are lists of templates.  CLASS_SYMBOLS override a symbol for one
# commune size class (rural < 2,000 inh.; bourg 2,000-10,000; ville
# 10,000-50,000; grande >= 50,000), so a village speaks of its "salle des
# fêtes" and a city of its "maisons de quartier".  Year symbols ({an}, {an_1},
# {an_p1}, {an_deb}...) are added per row year by year_symbols().
# Text is written lower-case first: the first letter of every sentence group
# is capitalised when the description is assembled.
# ---------------------------------------------------------------------------

SYMBOLS = {
    # Subjects with their verb, so that agreement is always right.
    "sa": [  # passé composé auxiliary
        "la commune a", "la commune a", "la mairie a", "nous avons", "nous avons",
        "la municipalité a", "l'équipe municipale a", "la collectivité a",
    ],
    "sp": [  # "propose"
        "la commune propose", "la mairie propose", "nous proposons",
        "la municipalité propose", "la collectivité propose",
    ],
    "smet": [
        "la commune met à disposition", "la mairie met à disposition",
        "nous mettons à disposition", "la municipalité met à disposition",
    ],
    "la_commune": ["la commune", "la commune", "la mairie", "la municipalité", "la collectivité"],
    "depuis": [
        "", "", "", "", "depuis {an_deb}, ", "en {an_1}, ", "depuis {mois} {an_1}, ",
        "début {an}, ", "depuis la rentrée {an_1}, ", "au printemps {an_1}, ",
        "depuis {an_deb} ", "en {an}, ", "à l'automne {an_1}, ",
    ],
    "lancer": [
        "mis en place", "mis en place", "lancé", "créé", "déployé", "ouvert",
        "développé", "mis en oeuvre", "mis en œuvre",
    ],
    "mois": [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
        "septembre", "octobre", "novembre", "décembre",
    ],
    "jour_num": ["1er", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28"],
    "date": ["{jour_num} {mois}", "{jour} {jour_num} {mois}"],
    "date_1": ["{jour_num} {mois} {an_1}", "{jour_num} {mois} {an}"],
    "jour": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    "frequence": [
        "chaque semaine", "toutes les semaines", "tous les mardis", "tous les jeudis matin",
        "le mercredi après-midi", "le samedi matin", "deux fois par mois",
        "une fois par mois", "tous les 15 jours", "tous les quinze jours",
        "pendant les vacances scolaires", "3 demi-journées par semaine",
        "1 fois/semaine", "1x par mois", "un vendredi sur deux", "hebdo",
        "chaque lundi de 14h à 16h", "le {jour} de 9h30 à 11h30",
        "le {jour} après-midi", "à la demande",
    ],
    "horaires": [
        "du lundi au vendredi de 9h à 12h", "le mardi de 14h à 18h",
        "aux heures d'ouverture de la mairie", "aux horaires de la médiathèque",
        "le {jour} de 14h à 17h et le samedi de 10h à 12h",
        "du mardi au samedi", "7j/7", "en semaine de 8h30 à 17h30",
        "le matin sur rendez-vous",
    ],
    "public": [
        "les seniors", "les personnes âgées", "les retraités", "les débutants",
        "les demandeurs d'emploi", "les jeunes", "les familles", "tous publics",
        "les habitants", "les habitants", "les personnes éloignées du numérique",
        "les parents d'élèves", "les bénéficiaires du RSA", "les adultes",
        "les publics fragiles", "les primo-arrivants", "les ados", "les aînés",
        "les associations", "les nouveaux habitants",
    ],
    "public_sg": ["tous", "tout public", "tous publics", "chacun", "toute la population"],
    "animateur": [
        "le conseiller numérique", "la conseillère numérique", "notre conseiller numérique France Services",
        "un animateur multimédia", "l'animatrice de l'EPN", "des bénévoles", "des bénévoles formés",
        "l'agent d'accueil", "un jeune en service civique", "la bibliothécaire",
        "un intervenant extérieur", "le médiateur numérique", "la médiatrice numérique",
    ],
    "partenaire": [
        "la communauté de communes", "le Département", "la Région", "la CAF", "la MSA",
        "La Poste", "France Travail", "le centre social", "le CCAS", "une association locale",
        "l'association Familles Rurales", "la Mission locale", "Emmaüs Connect",
        "le Hub numérique régional", "l'UDAF", "la CARSAT", "le PIMMS", "la médiathèque départementale",
        "le collège", "les associations du territoire",
    ],
    "financeur": [
        "l'État", "la Région", "le Département", "l'Europe (FEDER)", "le FEDER", "la CAF",
        "la Banque des Territoires", "l'ANCT", "France Relance", "la DETR", "le programme LEADER",
        "la communauté de communes", "la DSIL", "le plan de relance", "la CNAF",
    ],
    "montant": ["800", "1 200", "1500", "2 400", "3 000", "4 500", "6000", "8 000", "12 000", "15 000"],
    "du_financeur": [
        "de l'État", "de la Région", "du Département", "de l'Europe (FEDER)", "du FEDER", "de la CAF",
        "de la Banque des Territoires", "de l'ANCT", "de France Relance", "de la DETR", "du programme LEADER",
        "de la communauté de communes", "de la DSIL", "du plan de relance", "de la CNAF",
    ],
    "montant_abo": ["150", "180", "230", "300", "450", "600", "1 200"],
    "pct": ["20", "25", "30", "40", "50", "60", "70", "80"],
    "n_postes": ["2", "3", "4", "4", "5", "6", "8"],
    "n_part": ["12", "15", "20", "25", "30", "40", "45", "60"],
    "n_sess": ["4", "5", "6", "8", "10", "12"],
    "n_tab": ["6", "8", "10", "12", "15", "16", "20"],
    "n_classes": ["2", "3", "4", "5", "6"],
    "n_ecoles": ["l'école", "les deux écoles", "l'école élémentaire", "le groupe scolaire"],
    "heures": ["2h", "1h30", "2 heures", "3h", "1h"],
    "le_lieu": [
        "la mairie", "la médiathèque", "la bibliothèque", "la salle polyvalente",
        "l'espace France Services", "le centre social", "la maison des associations",
    ],
    "a_lieu": [
        "à la mairie", "en mairie", "à la médiathèque", "à la bibliothèque", "à la salle polyvalente",
        "à l'espace France Services", "au centre social", "à la maison des associations",
        "dans les locaux de la mairie", "à l'EPN",
    ],
    "nom_projet": [
        '"{ville_nom} connecté"', '"Ma commune en ligne"', '« Bien vivre le numérique »',
        '"Numérique pour tous"', '« {ville_nom} numérique »', '"Clic & Connect"',
        '"Pass\'Num"', '« Les Mardis du numérique »', '"Coup de pouce numérique"',
        '"Cap Numérique"', "« Tous connectés »", '"Objectif Numérique"',
        "« Le numérique près de chez vous »",
    ],
    "ville_nom": [MARK_NAME],
    "url": ["www." + MARK_URL, "www." + MARK_URL, MARK_URL, "https://www." + MARK_URL],
    "outil_info": ["PanneauPocket", "IntraMuros", "Illiwap", "CityAll", "l'appli de la ville", "MyMairie"],
    "reseau": ["Facebook", "Facebook", "Instagram", "LinkedIn", "YouTube", "X (ex-Twitter)", "TikTok"],
    "porteur": [
        "l'adjoint au numérique", "l'adjointe à la communication", "le service communication",
        "la secrétaire de mairie", "le maire", "le DGS", "la direction des systèmes d'information",
        "le service jeunesse", "le CCAS", "la conseillère municipale déléguée au numérique",
        "la commission numérique",
    ],
    "fin": [".", ".", ".", ".", ".", "", " !", "..."],
    "note_qualite": [
        "bon retour des habitants", "bons retours des usagers", "fréquentation en hausse",
        "démarrage un peu lent", "très apprécié", "succès au-delà de nos attentes",
        "public fidèle", "des retours très positifs", "participation correcte",
        "public encore timide",
    ],
    "diff": [
        "manque de temps des agents", "difficulté à recruter des bénévoles", "coût de la maintenance",
        "faible participation au début", "connexion internet insuffisante", "manque de locaux adaptés",
        "turn-over des animateurs", "communication à renforcer",
    ],
    "statut": [
        "en cours", "réalisé", "opérationnel", "en service depuis {mois} {an_1}",
        "projet terminé", "phase de test", "toujours actif", "reconduit en {an}",
        "en cours de déploiement", "mise en service prévue en {an_p1}",
    ],
}

# Overrides per commune size class.
CLASS_SYMBOLS = {
    "rural": {
        "sa": [
            "la commune a", "la commune a", "la mairie a", "nous avons", "nous avons",
            "le conseil municipal a", "l'équipe municipale a", "on a",
        ],
        "sp": ["la commune propose", "la mairie propose", "nous proposons", "la commune offre"],
        "le_lieu": [
            "la mairie", "la salle des fêtes", "la salle polyvalente", "la bibliothèque municipale",
            "l'ancienne école", "l'agence postale communale", "la salle du conseil",
        ],
        "a_lieu": [
            "en mairie", "à la mairie", "à la salle des fêtes", "à la salle polyvalente",
            "à la bibliothèque municipale", "dans l'ancienne école", "à l'agence postale communale",
            "dans la salle du conseil", "au foyer rural",
        ],
        "partenaire": [
            "la communauté de communes", "la com com", "la CC", "le Département", "la MSA",
            "La Poste", "l'association Familles Rurales", "le foyer rural", "le syndicat mixte",
            "la médiathèque départementale", "le PNR", "Générations Mouvement", "le SIVOS",
            "les communes voisines", "l'espace France Services du canton",
        ],
        "animateur": [
            "le conseiller numérique de la communauté de communes", "la conseillère numérique itinérante",
            "des bénévoles", "la secrétaire de mairie", "un élu", "un habitant bénévole",
            "l'animateur du foyer rural", "la conseillère numérique France Services",
        ],
        "montant": ["300", "450", "600", "800", "1 000", "1200", "1 500", "2 000", "3 500", "5 000"],
        "n_postes": ["1", "2", "2", "3", "4"],
        "n_part": ["6", "8", "10", "12", "15", "20", "25"],
        "n_tab": ["4", "6", "8", "10", "12"],
        "n_classes": ["1", "2", "2", "3"],
        "n_ecoles": ["l'école", "l'école communale", "le RPI", "la classe unique", "l'école du village"],
        "porteur": [
            "le maire", "la secrétaire de mairie", "un adjoint", "le conseil municipal",
            "la commission communication", "un conseiller municipal",
        ],
        "ville_lieu": ["le centre-bourg", "le bourg", "le village", "les hameaux"],
        "quartier": ["le bourg", "les hameaux", "le village", "le lotissement"],
    },
    "bourg": {
        "le_lieu": [
            "la médiathèque", "la mairie", "la salle polyvalente", "l'espace France Services",
            "la maison des associations", "l'espace jeunes", "la MJC",
        ],
        "a_lieu": [
            "à la médiathèque", "en mairie", "à la maison des associations", "à l'espace France Services",
            "à l'espace jeunes", "à la MJC", "à la salle polyvalente", "dans les locaux du CCAS",
        ],
        "n_part": ["15", "20", "25", "30", "40", "50", "80", "120"],
        "ville_lieu": ["le centre-bourg", "le centre-ville", "la place du marché", "le centre"],
        "quartier": ["le centre-bourg", "les quartiers", "le centre-ville", "les hameaux"],
    },
    "ville": {
        "sa": [
            "la ville a", "la Ville a", "la commune a", "nous avons", "la municipalité a",
            "la direction du numérique a", "le service communication a",
        ],
        "sp": ["la ville propose", "la Ville propose", "nous proposons", "la municipalité propose"],
        "la_commune": ["la ville", "la Ville", "la commune", "la municipalité"],
        "le_lieu": [
            "la médiathèque", "le centre social", "la maison de quartier", "l'EPN municipal",
            "la MJC", "la maison France Services", "l'hôtel de ville", "le PIJ",
        ],
        "a_lieu": [
            "à la médiathèque", "au centre social", "dans les maisons de quartier", "à l'EPN municipal",
            "à la MJC", "à la maison France Services", "à l'hôtel de ville", "au PIJ",
            "à l'espace seniors",
        ],
        "n_postes": ["6", "8", "10", "12", "15"],
        "n_part": ["40", "60", "80", "120", "150", "200", "300", "450"],
        "n_tab": ["15", "20", "30", "40", "60"],
        "n_classes": ["6", "8", "10", "12", "15", "20"],
        "n_ecoles": ["les écoles de la ville", "les 6 groupes scolaires", "toutes les écoles élémentaires", "les écoles publiques"],
        "montant": ["5 000", "8 000", "12 000", "20 000", "35 000", "50 000", "80 000"],
        "partenaire": [
            "l'agglomération", "l'agglo", "la Région", "le Département", "la CAF", "le CCAS",
            "les centres sociaux", "France Travail", "la Mission locale", "Emmaüs Connect",
            "les associations de quartier", "le PIMMS", "l'université", "le Hub numérique",
            "les bailleurs sociaux", "la CPAM",
        ],
        "ville_lieu": ["le centre-ville", "les quartiers", "les quartiers prioritaires (QPV)", "le centre historique"],
        "quartier": ["les quartiers", "les quartiers prioritaires", "le centre-ville", "chaque quartier"],
    },
    "grande": {
        "sa": [
            "la ville a", "la Ville a", "nous avons", "la direction du numérique a",
            "la DSI a", "la municipalité a", "la métropole et la ville ont",
        ],
        "sp": ["la ville propose", "la Ville propose", "nous proposons", "la direction de la citoyenneté propose"],
        "la_commune": ["la ville", "la Ville", "la municipalité", "la collectivité"],
        "le_lieu": [
            "le réseau des médiathèques", "les maisons de quartier", "les mairies de quartier",
            "les centres sociaux", "le FabLab municipal", "les espaces publics numériques",
            "la Maison du numérique", "les mairies annexes",
        ],
        "a_lieu": [
            "dans les médiathèques du réseau", "dans les maisons de quartier", "dans les mairies annexes",
            "dans les centres sociaux", "à la Maison du numérique", "dans les EPN de la ville",
            "dans les 5 espaces France Services", "au FabLab municipal",
        ],
        "n_postes": ["10", "12", "20", "24", "30", "40"],
        "n_part": ["150", "300", "450", "800", "1 200", "2 000", "3500", "5 000"],
        "n_tab": ["40", "60", "100", "150", "250", "400"],
        "n_classes": ["20", "35", "50", "80", "120"],
        "n_ecoles": ["les écoles de la ville", "l'ensemble des écoles publiques", "les 40 groupes scolaires", "toutes les écoles élémentaires"],
        "montant": ["8 000", "15 000", "25 000", "40 000", "60 000", "120 000", "250 000"],
        "partenaire": [
            "la métropole", "la Métropole", "la Région", "le Département", "la CAF", "le CCAS",
            "les centres sociaux", "France Travail", "l'université", "Emmaüs Connect", "WeTechCare",
            "le Hub numérique", "les bailleurs sociaux", "la CPAM", "les associations de quartier",
            "l'école d'ingénieurs", "les acteurs du numérique locaux",
        ],
        "porteur": [
            "la direction du numérique", "la DSI", "la direction de la communication",
            "l'adjointe au maire déléguée au numérique", "la mission innovation",
            "la direction de la relation citoyenne", "le cabinet du maire",
        ],
        "ville_lieu": ["le centre-ville", "tous les quartiers", "les quartiers prioritaires (QPV)", "l'hypercentre"],
        "quartier": ["les quartiers", "les quartiers prioritaires", "chaque arrondissement", "les 10 quartiers"],
    },
}

# Symbols that only exist in class overrides get a generic default too.
SYMBOLS.setdefault("ville_lieu", ["le centre-ville", "le centre-bourg", "le centre"])
SYMBOLS.setdefault("quartier", ["les quartiers", "le centre", "le centre-bourg"])


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


# ---------------------------------------------------------------------------
# Lexicon, part 2: initiatives per domain.
#
# Each domain is a list of sub-topics.  A sub-topic has a weight `w`, short
# `titles`, `terse` one-liners (what a hurried agent types), `core` sentences
# (the main statement, always present in non-terse entries) and `detail`
# sentences specific to it.  Some cores mention a second domain on purpose
# (online canteen registration is education, also demarches).
# ---------------------------------------------------------------------------

SUBTOPICS = {}

SUBTOPICS["acces"] = [
    dict(
        key="epn", w=14,
        titles=["EPN", "Espace public numérique", "Espace numérique", "Cyber-base", "Salle informatique",
                "Point numérique", "Espace multimédia", "EPN municipal", "Cyberespace"],
        terse=["EPN à la médiathèque", "Espace public numérique", "salle info en libre accès", "cyberbase",
               "Point numérique en mairie", "EPN ouvert 3 demi-journées/semaine", "espace multimedia",
               "EPN : {n_postes} postes", "ouverture d'un EPN"],
        core=[
            "{depuis}{sa} [ouvert|créé|aménagé] un espace public numérique (EPN) {a_lieu}, avec {n_postes} postes [en libre accès|connectés à internet|et une imprimante].",
            "{le_lieu} accueille un EPN : {n_postes} ordinateurs en accès libre[ et gratuit|], une imprimante-scanner et [un accès wifi|une connexion fibre].",
            "espace multimédia ouvert à {public_sg} {frequence} : accès internet, [impression de documents|traitement de texte|aide ponctuelle] et accompagnement par {animateur}.",
            "mise à disposition de {n_postes} [ordinateurs|postes informatiques|PC] [en libre-service|en accès libre] {a_lieu} pour les habitants qui n'ont pas d'équipement [à domicile|chez eux].",
            "[création|ouverture|rénovation] de l'espace public numérique : [nouveau mobilier|renouvellement du parc informatique|passage à la fibre], [horaires élargis|ouverture le samedi matin|accueil sans rendez-vous].",
            "notre cyber-base [existe depuis {an_old}|a été modernisée en {an_1}] ; elle propose un accès libre à internet et des [ateliers|initiations] [à l'informatique|au numérique].",
            "un point numérique a été installé {a_lieu} : {n_postes} poste(s), scanner, imprimante, pour [consulter ses mails|faire ses démarches|imprimer un billet ou un CV].",
            "l'EPN de la commune est labellisé [NetPublic|Point Numérique CAF|\"Numérique inclusif\"] et accueille {public} {frequence}.",
            "[salle|espace] informatique en accès libre {a_lieu} ([{n_postes} postes|wifi + postes fixes]), encadrée par {animateur}.",
            "{sa} transformé [l'ancienne salle du conseil|une salle de l'ancienne école|l'ancien local de la poste] en espace numérique ouvert à tous.",
        ],
        detail=[
            "{animateur} y assure [une permanence|des permanences] {frequence}.",
            "L'espace est [ouvert|accessible] {horaires}.",
            "Fréquentation : environ {n_part} [usagers|passages] par [mois|an].",
            "[Impressions|Photocopies] [gratuites|à prix coûtant] pour les démarches [administratives|de recherche d'emploi].",
            "Les postes ont été renouvelés en {an_1} [grâce à une subvention {du_financeur}|sur le budget communal].",
            "Accès gratuit sur simple inscription{fin}",
            "Un ordinateur est équipé [d'un grand écran et d'un clavier gros caractères|d'un logiciel de synthèse vocale] pour les malvoyants.",
            "Charte d'utilisation affichée, [sessions limitées à 1h|pas de réservation nécessaire].",
        ],
    ),
    dict(
        key="ateliers", w=20,
        titles=["Ateliers numériques", "Ateliers d'initiation", "Cours d'informatique", "Initiation informatique",
                "Formation numérique", "Ateliers smartphone", "Ateliers tablette", "Initiation internet",
                "Les Mardis du numérique", "Café numérique", "Ateliers informatiques seniors"],
        terse=["ateliers numeriques", "Cours informatique pour adultes", "Initiation informatique seniors",
               "ateliers smartphone/tablette", "Formation à internet", "Cafés numériques mensuels",
               "Ateliers numériques pour les aînés", "Initiation à l'ordinateur", "cours info"],
        core=[
            "ateliers d'initiation [à l'informatique|au numérique|à internet] pour [les débutants|{public}] : [prise en main de l'ordinateur|utilisation du smartphone|messagerie électronique|navigation sur internet|sécurité en ligne].",
            "{depuis}{sa} [organisé|lancé|mis en place] des [ateliers|cours|sessions de formation] {frequence} [sur|pour découvrir] [l'usage de la tablette|la messagerie|les réseaux sociaux|la visioconférence|la sécurité sur internet|la photo numérique|les outils bureautiques].",
            "cycle de {n_sess} ateliers [numériques|informatiques] animé par {animateur} {a_lieu}, [par groupes de 6 à 8 personnes|sur inscription|gratuit].",
            "formation [au numérique|aux usages numériques] des habitants : [modules débutant et perfectionnement|groupes de 6 à 8 personnes|sessions individuelles sur rendez-vous].",
            "cours d'informatique [gratuits|à tarif modique] pour {public} {frequence}{fin}",
            "initiation smartphone et tablette : [installer des applis|faire une visio avec ses petits-enfants|envoyer des photos|utiliser WhatsApp|se repérer avec le GPS] et [gérer ses mots de passe|reconnaître les arnaques|sauvegarder ses photos].",
            "ateliers \"[Bien débuter sur internet|Mon premier smartphone|Les bases de l'ordi|Naviguer en sécurité]\" {frequence} {a_lieu}.",
            "café numérique [mensuel|convivial|du samedi] : chacun vient avec son appareil et ses questions, {animateur} répond.",
            "préparation à la certification Pix [pour les demandeurs d'emploi|pour {public}] et parcours de formation aux compétences numériques de base.",
            "sessions de sensibilisation [à la cybersécurité|aux arnaques en ligne|au phishing|aux fake news] ouvertes à {public_sg}[ avec la gendarmerie| avec {partenaire}|].",
            "initiation [à la bureautique (Word, Excel)|au traitement de texte|au tableur] et [à la messagerie|aux outils en ligne] pour {public}.",
            "{sp} des ateliers numériques [de 2h|de 1h30] [par petits groupes|en petit groupe], du niveau \"grand débutant\" au niveau [intermédiaire|confirmé].",
            "mise en place d'ateliers [intergénérationnels|en binôme] où des [collégiens|jeunes du CMJ|lycéens] initient {public} au smartphone.",
        ],
        detail=[
            "{n_part} participants [en {an_1}|sur l'année|depuis le lancement].",
            "Les ateliers ont lieu {frequence} {a_lieu}.",
            "Inscription [en mairie|par téléphone|à l'accueil|sur le site de la commune].",
            "Prêt de tablettes pendant les séances pour ceux qui ne sont pas équipés.",
            "Programme : [mails, photos, visio|sécurité, mots de passe, arnaques|Ameli, impots.gouv, CAF|réseaux sociaux et partage de photos].",
            "Animation assurée par {animateur}.",
            "Atelier gratuit[, sur inscription|, places limitées à 8|].",
            "Un livret [récapitulatif|mémo] est remis à chaque participant.",
            "{note_qualite}{fin}",
        ],
    ),
    dict(
        key="mediation", w=18,
        titles=["Conseiller numérique", "Médiation numérique", "Accompagnement numérique", "Inclusion numérique", "Aide numérique", "Permanences numériques"],
        terse=["Conseiller numérique France Services", "permanences conseiller numérique", "Médiation numérique",
               "Aidants Connect", "aide numérique en mairie", "conseillere numerique", "CNFS mutualisé",
               "Accompagnement numérique individuel"],
        core=[
            "[recrutement|accueil] d'un conseiller numérique [France Services|(dispositif de l'État)] [mutualisé avec {partenaire}|à temps plein|à mi-temps] pour accompagner les habitants [dans leurs usages du numérique|vers l'autonomie numérique].",
            "permanences [de médiation numérique|du conseiller numérique] {a_lieu} {frequence}, [sans rendez-vous|sur rendez-vous|avec ou sans RDV].",
            "accompagnement individuel des [personnes éloignées du numérique|publics fragiles|habitants en difficulté avec l'informatique] : [création d'adresse mail|utilisation de l'espace personnel|sauvegarde des photos|paramétrage du téléphone].",
            "{depuis}la secrétaire de mairie est habilitée Aidants Connect pour [réaliser des démarches en ligne à la place des usagers|accompagner les personnes qui ne peuvent pas faire seules].",
            "lutte contre l'illectronisme : [diagnostic des besoins|orientation vers les ateliers|distribution de Pass Numériques|remise de chèques APTIC] avec {partenaire}.",
            "aide aux démarches en ligne [(CAF, impôts, ANTS, Ameli)|pour les démarches administratives dématérialisées] assurée par {animateur} {a_lieu}.",
            "le conseiller numérique itinérant passe dans [les villages|les hameaux|les communes du territoire] {frequence} avec [un bus numérique|un kit mobile (PC, tablettes, clé 4G)].",
            "{sa} [rejoint|signé] le dispositif [\"Conseillers numériques France Services\"|Aidants Connect|Pass Numérique] [en {an_1}|depuis {an_deb}].",
            "médiation numérique [en pied d'immeuble|au marché|dans les quartiers] : [un stand|une permanence mobile] pour répondre aux questions [sur le smartphone|sur internet|sur les démarches] sans rendez-vous.",
            "[un|une] [agent|médiatrice] [formé(e)|dédié(e)] accueille {public} pour les aider à [utiliser leur ordinateur|créer leurs identifiants FranceConnect|faire leurs démarches en ligne].",
        ],
        detail=[
            "Environ {n_part} personnes accompagnées [en {an_1}|par an|depuis le début].",
            "Poste financé [à {pct} %|en partie] par {financeur}.",
            "Permanences {horaires}.",
            "La majorité des demandes concerne [les démarches CAF et impôts|le smartphone|la messagerie|l'ANTS (carte grise, permis)|la retraite].",
            "Orientation vers les ateliers collectifs après le premier rendez-vous.",
            "En lien avec l'espace France Services [du canton|de la communauté de communes|le plus proche].",
            "Un numéro de téléphone unique permet de prendre rendez-vous.",
            "Le dispositif a été renouvelé pour {an}{fin}",
        ],
    ),
    dict(
        key="wifi", w=10,
        titles=["Wifi public", "WiFi4EU", "Wifi gratuit", "Hotspot wifi", "Accès wifi", "Wi-Fi public"],
        terse=["wifi public gratuit", "WiFi4EU place de la mairie", "Wifi à la médiathèque", "hotspot wifi",
               "wifi gratuit dans le centre", "Borne wifi salle des fêtes", "Wi-Fi public"],
        core=[
            "[installation|déploiement] [du wifi public|d'un accès wifi gratuit|de bornes WiFi4EU] [sur la place|{a_lieu}|dans les équipements municipaux|au camping municipal|au port|dans le parc].",
            "wifi gratuit [dans {ville_lieu}|dans les salles communales|à la médiathèque|sur la place du marché] [financé par le programme européen WiFi4EU|grâce au coupon WiFi4EU|sur fonds propres].",
            "{depuis}{sa} installé {n_postes} bornes wifi [en accès libre|gratuites] : [mairie, école, salle des fêtes|place de l'église et aire de camping-cars|médiathèque et gymnase].",
            "accès wifi public [sécurisé|avec portail captif|sans mot de passe] [dans tous les bâtiments communaux|sur les principaux lieux publics|dans {ville_lieu}].",
            "le réseau WiFi public [de la ville|communal] compte [{n_postes}|plusieurs] points d'accès et [{n_part}|des centaines de] connexions par mois.",
            "[wifi|wi-fi|WiFi] [territorial|communal] [étendu|ouvert] [aux halles|au marché|au stade|au plan d'eau] pour les habitants et les touristes.",
        ],
        detail=[
            "Coût : {montant} € [TTC|HT][, subventionné à {pct} %|].",
            "Connexion [conforme à la réglementation (conservation des logs)|respectant le RGPD].",
            "Le wifi est coupé [la nuit|à 22h] [dans les parcs|sur les places].",
            "Bornes financées par le coupon WiFi4EU de 15 000 €.",
            "Les touristes l'utilisent beaucoup en été{fin}",
            "Statistiques de connexion suivies par [le prestataire|{porteur}].",
        ],
    ),
    dict(
        key="fibre", w=9,
        titles=["Très haut débit", "Fibre et couverture mobile", "Aménagement numérique du territoire", "Connectivité", "Haut débit", "Couverture numérique"],
        terse=["déploiement fibre", "Fibre optique FTTH", "THD", "Résorption zones blanches",
               "Montée en débit", "suivi travaux fibre", "couverture 4G"],
        core=[
            "[suivi du|participation au] déploiement de la fibre optique (FTTH) avec [le syndicat mixte|le Département|l'opérateur|la communauté de communes] : [{pct} % des foyers raccordables|fin des travaux prévue en {an_p1}|tous les hameaux couverts en {an}].",
            "montée en débit [des hameaux|du centre-bourg|des écarts] [dans le cadre du SDAN|avec le Département] ; réunion publique d'information sur la fibre{fin}",
            "[résorption des zones blanches|amélioration de la couverture mobile] : [installation d'un pylône 4G|programme New Deal mobile|convention avec les opérateurs] [en {an_1}|prévue en {an_p1}].",
            "raccordement des bâtiments communaux [à la fibre|au très haut débit] ([mairie, école, salle polyvalente|médiathèque et ateliers municipaux]).",
            "{sa} [financé|cofinancé] la participation communale au réseau d'initiative publique (RIP) [pour le très haut débit|fibre] : {montant} €.",
            "[adressage|numérotation] de toutes les voies [et des maisons|des hameaux] pour permettre le raccordement à la fibre[ (base adresse locale)|].",
            "le très haut débit arrive [dans {ville_lieu}|dans les zones d'activité|dans les écarts] : [armoires de rue installées|{pct} % des lignes éligibles|commercialisation ouverte depuis {mois}].",
            "accompagnement des habitants pour [le raccordement à la fibre|choisir un opérateur|l'installation d'une antenne satellite ou 4G fixe] (aide \"Cohésion numérique des territoires\").",
        ],
        detail=[
            "Carte d'éligibilité consultable sur le site de [la commune|l'opérateur|la communauté de communes|l'Arcep].",
            "Les élagages le long des lignes ont été faits par [les riverains|la commune].",
            "Reste quelques adresses non raccordables{fin}",
            "Financement : {financeur} et communauté de communes.",
            "Réunion publique avec l'opérateur le {date}.",
        ],
    ),
    dict(
        key="libre_service", w=9,
        titles=["Équipement numérique des habitants", "Matériel en libre-service", "Prêt et don de matériel", "Équipement des foyers", "Matériel informatique pour tous"],
        terse=["borne numérique en mairie", "pret de tablettes", "PC reconditionnés pour les familles",
               "Borne libre-service accueil", "don d'ordinateurs reconditionnés"],
        core=[
            "borne [numérique|informatique|tactile] en libre-service [à l'accueil de la mairie|dans le hall de l'hôtel de ville|{a_lieu}] pour [les démarches en ligne|consulter internet|imprimer ses documents].",
            "prêt [de tablettes|d'ordinateurs portables|de clés 4G|de box 4G] aux habitants [qui n'en ont pas|pour une durée d'un mois|pendant les ateliers].",
            "[reconditionnement|collecte et reconditionnement] d'ordinateurs [remis|donnés|vendus à petit prix] à des familles [avec|par] [une association d'insertion|Emmaüs Connect|{partenaire}].",
            "les anciens ordinateurs de la mairie ont été [reconditionnés et donnés|remis] à [des familles|des étudiants|des associations] ({n_postes} postes).",
            "{smet} [un poste informatique|une tablette|un ordinateur avec scanner] en accès libre {a_lieu}.",
            "équipement [des foyers modestes|des familles] en ordinateurs reconditionnés à 1 € [avec le CCAS|via {partenaire}], avec [une formation de prise en main|un an d'assistance].",
        ],
        detail=[
            "Une convention de prêt est signée avec chaque emprunteur.",
            "{n_part} [équipements distribués|prêts] [en {an_1}|depuis le début].",
            "Les données sont effacées selon les règles de l'ANSSI avant le don.",
            "Disponible {horaires}.",
            "Une aide est possible auprès de l'agent d'accueil{fin}",
        ],
    ),
    dict(
        key="fablab", w=8,
        titles=["FabLab", "Fab Lab", "Atelier de fabrication numérique", "Espace maker", "FabLab / repair café", "Fabrication numérique"],
        terse=["FabLab", "Fablab municipal", "repair café numérique", "Imprimante 3D à la médiathèque",
               "ouverture d'un fablab"],
        core=[
            "FabLab [ouvert au public|associatif|municipal] {a_lieu} : imprimante 3D, découpe laser, [électronique|couture numérique|Arduino|brodeuse numérique].",
            "repair café [numérique|informatique] {frequence} : [réparation|diagnostic] d'ordinateurs et de smartphones avec des bénévoles.",
            "[atelier|sessions] de découverte de l'impression 3D et de la programmation [pour tous|pour les familles|pour {public}] au FabLab.",
            "{depuis}{sa} équipé [la médiathèque|le tiers-lieu|l'espace jeunes] d'un [petit FabLab|espace maker] (imprimante 3D, [scanner 3D|découpeuse vinyle], kits robotiques).",
            "le FabLab [de la ville|intercommunal] accueille [les habitants, les associations et les artisans|{public}] [en open lab|en accès libre] {frequence}.",
            "open lab [hebdomadaire|mensuel] au FabLab : [accès libre aux machines|accompagnement des projets|formation aux machines] avec {animateur}.",
        ],
        detail=[
            "Adhésion [symbolique de 10 €/an|gratuite pour les habitants].",
            "Projets réalisés : [pièces détachées, prototypes, objets pour l'école|jouets, supports de téléphone, pièces d'électroménager].",
            "Animé par [une association|un fabmanager|des bénévoles passionnés].",
            "{n_part} adhérents{fin}",
        ],
    ),
    dict(
        key="france_services", w=7,
        titles=["Espace France Services", "France Services", "MSAP", "Maison France Services", "Point d'accès numérique"],
        terse=["France Services", "Espace France Services (ex-MSAP)", "MSAP", "Point relais numérique CAF",
               "labellisation France Services"],
        core=[
            "ouverture d'un espace France Services (ex-MSAP) avec [un poste en libre accès|deux agents formés|un accès internet] pour aider les habitants à utiliser les services en ligne.",
            "l'espace France Services [de la commune|intercommunal|itinérant] propose [un accompagnement numérique|des postes en libre accès|une aide à l'utilisation des sites des administrations] {horaires}.",
            "{sa} obtenu la labellisation France Services [en {an_1}|depuis {an_deb}] : [2 agents|des agents polyvalents] accompagnent les usagers dans l'usage des [outils numériques|sites administratifs].",
            "le bus France Services [s'arrête|passe] [sur la place|devant la mairie] {frequence} avec [ordinateurs, imprimante et connexion|un agent et du matériel numérique].",
            "point d'accès numérique [labellisé CAF|partenaire] {a_lieu} : ordinateur, imprimante, scanner et aide d'un agent pour [se connecter aux sites|créer son compte en ligne].",
        ],
        detail=[
            "Partenaires : [CAF, CPAM, CARSAT, MSA, France Travail, DGFiP|ANTS, impôts, La Poste].",
            "{n_part} accompagnements [par mois|en {an_1}].",
            "Les agents ont suivi une formation à l'accompagnement numérique.",
            "Ouvert {horaires}.",
        ],
    ),
    dict(
        key="evenements_acces", w=5,
        titles=["Semaine du numérique", "Forum numérique", "Journée numérique", "Fête de l'internet"],
        terse=["Forum du numérique", "semaine du numérique", "Journée portes ouvertes numérique"],
        core=[
            "organisation d'[un forum|une semaine|une journée] du numérique : [démonstrations, ateliers d'initiation, stands des associations|conférences et ateliers pour tous|stands d'aide et de découverte].",
            "participation à [la Fête de l'internet|la semaine Numérique en Commun(s)|l'opération \"Connectons-nous\"] avec [des ateliers gratuits|des portes ouvertes de l'EPN].",
            "{depuis}{sa} organisé [des rencontres|une journée] {nom_projet} pour faire découvrir les outils numériques [aux habitants|au grand public|aux familles|aux seniors].",
        ],
        detail=[
            "{n_part} visiteurs{fin}",
            "En partenariat avec {partenaire}.",
            "Reconduit chaque année en [octobre|mars|novembre].",
        ],
    ),
]

SUBTOPICS["communication"] = [
    dict(
        key="site", w=26,
        titles=["Site internet", "Site web", "Site internet de la commune", "Nouveau site", "Refonte du site",
                "Site internet communal", "Site de la ville", "Site officiel"],
        terse=["Site internet de la commune", "site web", "Site internet communal", "refonte site internet",
               "{url}", "Site internet : {url}", "création site web mairie", "site internet mis à jour",
               "Nouveau site de la ville"],
        core=[
            "{depuis}{sa} [créé|refait|lancé] son site internet ({url}) : [actualités, agenda, comptes rendus du conseil municipal|infos pratiques, annuaire des associations, menus|horaires de la mairie, démarches, bulletins municipaux].",
            "refonte du site [internet|web] de la [commune|ville] : [nouveau design|version mobile|site responsive], [meilleure lisibilité|moteur de recherche|accès rapides], [mise en ligne en {mois} {an_1}|livraison prévue en {an_p1}].",
            "le site [{url}|de la commune] est mis à jour [chaque semaine|régulièrement|quotidiennement] par {porteur} : [actualités, agenda des manifestations|arrêtés, délibérations|travaux, événements].",
            "création d'un site internet [communal|pour la commune] [en lien avec {partenaire}|par un prestataire local|sous WordPress|avec l'offre de l'Agence Technique Départementale].",
            "nouveau site internet [plus moderne|accessible (RGAA)|adapté aux smartphones] [en ligne depuis {mois}|mis en ligne en {an_1}] avec [un agenda participatif|une carte interactive|une rubrique \"Vivre à {ville_nom}\"].",
            "site web officiel de {ville_nom} : [{url}|rubriques vie municipale, enfance, associations, urbanisme]{fin}",
            "[mise en place|création] d'un [site vitrine|portail d'information] [pour présenter la commune|pour informer les habitants et les visiteurs].",
            "le site de la ville [reçoit|totalise] [{n_part} visites par mois|plus de 10 000 visites par mois] ; [les pages les plus consultées|les rubriques phares] sont [les menus et l'agenda|les offres d'emploi et les travaux].",
            "hébergement et maintenance du site communal [confiés à un prestataire|mutualisés avec la com com|assurés par le syndicat informatique] ; [nom de domaine en .fr|certificat SSL|sauvegardes] gérés par le prestataire.",
        ],
        detail=[
            "[Coût|Budget] : {montant} € [TTC|HT].",
            "Mises à jour assurées par {porteur}.",
            "Le site présente aussi [les associations|les commerces|le patrimoine|les menus de la cantine].",
            "Hébergement [en France|chez un hébergeur local|par {partenaire}].",
            "Fréquentation : environ {n_part} visites [par jour|par semaine].",
            "Formation des agents à la mise à jour du site{fin}",
            "Une version en anglais [est en projet|est disponible] pour les touristes.",
        ],
    ),
    dict(
        key="appli", w=18,
        titles=["Application mobile", "Appli mobile", "Application d'information", "Application de la commune", "Appli d'information", "Information sur smartphone"],
        terse=["PanneauPocket", "Application IntraMuros", "appli panneau pocket", "Illiwap", "Application mobile de la commune",
               "Appli ville", "PanneauPocket depuis {an_1}", "intramuros"],
        core=[
            "{depuis}{sa} adopté l'application {outil_info} pour informer les habitants [en temps réel|directement sur leur smartphone] : [actualités, événements, travaux|coupures d'eau, fermetures de la mairie, manifestations].",
            "application mobile d'information [de la commune|\"{ville_nom} en poche\"|de la ville] ([notifications|agenda|actualités] et [alertes|menus|numéros utiles]), [gratuite et sans inscription|téléchargeable sur Android et iOS].",
            "[abonnement|adhésion] à {outil_info} [avec la communauté de communes|pour {montant_abo} € par an] : [{n_part} abonnés|plus de la moitié des foyers abonnés] [en quelques mois|à ce jour].",
            "lancement de l'appli \"{ville_nom}\" : [actus, agenda, annuaire, menus de la cantine|infos pratiques, événements, numéros utiles] [et notifications push|sur smartphone].",
            "les informations municipales sont désormais publiées sur {outil_info}[ (en plus du panneau d'affichage)|, qui remplace les tracts|, relayées par les élus].",
            "{sp} une application [gratuite|mobile] pour recevoir [les actualités|les infos de la mairie] : {outil_info}.",
        ],
        detail=[
            "{n_part} [téléchargements|abonnés|smartphones abonnés][ en {an_1}|].",
            "Les [flyers|affiches] de présentation ont été distribués dans toutes les boîtes aux lettres.",
            "Les associations peuvent aussi publier leurs événements.",
            "Application [gratuite pour les habitants|sans publicité|sans création de compte].",
            "Publication assurée par {porteur}{fin}",
        ],
    ),
    dict(
        key="reseaux", w=17,
        titles=["Réseaux sociaux", "Présence sur les réseaux sociaux", "Réseaux sociaux de la mairie", "Communication digitale", "Communication sur les réseaux"],
        terse=["Page Facebook de la mairie", "page facebook", "Facebook + Instagram", "réseaux sociaux", "compte Instagram de la ville",
               "Chaîne YouTube", "FB mairie", "Facebook"],
        core=[
            "{depuis}{sa} [créé|ouvert] une page {reseau} [pour informer les habitants|pour relayer les actualités municipales|pour partager les événements].",
            "présence de la [ville|commune] sur les réseaux sociaux ([Facebook, Instagram|Facebook, LinkedIn, YouTube|Instagram et TikTok]) : [publications quotidiennes|3 à 4 posts par semaine|stories des événements].",
            "la page {reseau} de la mairie [compte|rassemble] [{n_part} abonnés|plus de 2 000 abonnés] et sert à [annoncer les événements|informer sur les travaux|répondre aux questions des habitants].",
            "[création|animation] d'un compte {reseau} [pour toucher les jeunes|pour valoriser la commune|dédié à la jeunesse] [animé par {porteur}|avec un calendrier éditorial].",
            "chaîne YouTube [de la ville|municipale] : [vidéos des événements|interviews des élus|reportages sur les services|tutos pratiques] [chaque mois|régulièrement].",
            "[un|des] live[s] {reseau} [pour les vœux du maire|lors des grands événements|pour les fêtes de fin d'année] et [des vidéos courtes|des reels] pour présenter les services.",
            "groupe WhatsApp [des habitants|du quartier|des parents] [géré par la mairie|animé par un élu] pour diffuser les infos [urgentes|pratiques].",
        ],
        detail=[
            "Ligne éditoriale validée par [la commission communication|le maire|le bureau municipal].",
            "Modération des commentaires par {porteur}.",
            "Les publications les plus vues concernent [les travaux|les animations|les fermetures de routes|la météo].",
            "{n_part} abonnés[ en un an|]{fin}",
            "Les publications sont reprises sur le site internet.",
        ],
    ),
    dict(
        key="newsletter", w=12,
        titles=["Newsletter", "Lettre d'information", "Bulletin municipal", "Lettre numérique", "E-newsletter",
                "Bulletin en ligne"],
        terse=["newsletter mensuelle", "Lettre d'information électronique", "bulletin municipal en ligne", "Newsletter",
               "Bulletin municipal numérique", "lettre d'info par mail"],
        core=[
            "lettre d'information [électronique|numérique] [mensuelle|trimestrielle|hebdomadaire] envoyée [par mail|aux abonnés] : [actualités, agenda, travaux|décisions du conseil, événements|infos pratiques].",
            "{depuis}{sa} lancé une newsletter [mensuelle|bimensuelle] ({n_part} abonnés) [en complément du bulletin papier|qui remplace une partie du bulletin papier].",
            "le bulletin municipal est [désormais disponible en ligne|publié en PDF sur le site|consultable en version numérique (liseuse en ligne)] [et envoyé par mail aux abonnés|en plus de la version papier].",
            "inscription à la lettre d'information [sur le site|via un formulaire|en mairie] ; envoi [via Sendinblue|avec l'outil de la com com|par MailChimp] {frequence}.",
            "[magazine municipal|journal de la ville] [en version numérique|feuilletable en ligne] et [newsletter hebdomadaire|lettre électronique] pour [les habitants|les abonnés|les associations].",
        ],
        detail=[
            "Taux d'ouverture autour de {pct} %.",
            "Rédaction par {porteur}.",
            "Désinscription possible à tout moment (RGPD){fin}",
            "La version papier reste distribuée pour les personnes sans internet.",
        ],
    ),
    dict(
        key="affichage", w=10,
        titles=["Panneau lumineux", "Panneau d'information", "Affichage dynamique", "Écran d'information", "Panneau à messages variables"],
        terse=["panneau lumineux", "Panneau d'information lumineux", "affichage dynamique en mairie",
               "Écran d'info dans le hall", "panneaux à messages variables"],
        core=[
            "installation d'un panneau lumineux [d'information|à messages variables] [sur la place|à l'entrée du bourg|devant la mairie|rond-point de l'entrée de ville] pour annoncer [les manifestations|les réunions publiques|les informations municipales].",
            "{depuis}{sa} installé [{n_postes} écrans|des écrans] d'affichage dynamique [dans le hall de la mairie|dans les équipements publics|aux arrêts de bus] pour diffuser [les actualités|l'agenda|les infos pratiques].",
            "remplacement des panneaux d'affichage papier par [un panneau numérique|un écran tactile extérieur] [consultable 24h/24|à côté de la mairie].",
            "[panneaux lumineux|journaux électroniques d'information] pilotés [à distance|depuis un logiciel en mairie] : [{n_postes} panneaux|plusieurs panneaux] dans {ville_lieu}.",
        ],
        detail=[
            "Coût du panneau : {montant} €.",
            "Messages mis à jour par {porteur}.",
            "Les associations peuvent demander la diffusion de leurs manifestations{fin}",
            "[Extinction la nuit|Luminosité réduite le soir] pour limiter la consommation.",
        ],
    ),
    dict(
        key="qr_rss", w=7,
        titles=["QR codes", "QR codes et flux RSS", "Liens rapides vers le site", "Flashcodes"],
        terse=["QR codes sur les affiches", "Flashcodes", "flux RSS du site", "QR code vers le site"],
        core=[
            "QR codes [sur les affiches municipales|sur les panneaux d'affichage|dans le bulletin|sur les abris-bus] renvoyant vers [le site de la commune|les pages d'information détaillées|l'agenda en ligne].",
            "mise en place de flashcodes [sur les équipements publics|sur le mobilier urbain|à l'entrée des bâtiments] pour accéder [aux horaires|aux informations pratiques|au site].",
            "flux RSS [des actualités|de l'agenda] du site [repris par les sites partenaires|disponible pour les associations|intégré à l'ENT des écoles].",
            "{depuis}chaque document [distribué|affiché] par la mairie comporte un QR code [vers la version en ligne|vers le formulaire de contact|vers la page dédiée].",
        ],
        detail=["Simple à mettre en place et gratuit{fin}", "Les scans sont comptabilisés : {n_part} [le premier mois|par mois]."],
    ),
    dict(
        key="video_radio", w=6,
        titles=["Vidéos et podcasts", "Contenus audio et vidéo", "Web TV et podcast", "Communication audiovisuelle"],
        terse=["podcast municipal", "web TV", "magazine vidéo mensuel", "webradio"],
        core=[
            "[magazine vidéo|JT municipal|web TV] [mensuel|trimestriel] diffusé sur [YouTube|le site et les réseaux sociaux] : [reportages sur les services|portraits d'habitants|actualités de la ville].",
            "podcast [municipal|\"La voix de {ville_nom}\"] [sur les projets de la ville|donnant la parole aux habitants|pour présenter les services] [disponible sur les plateformes|en ligne sur le site].",
            "webradio [animée par|réalisée avec] [les jeunes|les associations|le service communication] [sur la vie locale|sur les projets municipaux].",
        ],
        detail=["Réalisé [en interne|par un prestataire|avec un vidéaste local].", "[{n_part}|Plusieurs centaines de] vues par épisode{fin}"],
    ),
    dict(
        key="sms_info", w=4,
        titles=["Info par SMS", "SMS aux habitants", "Mailing habitants"],
        terse=["envoi d'infos par SMS", "SMS info habitants", "liste de diffusion mail"],
        core=[
            "service d'information par SMS et mail : les habitants inscrits reçoivent [les actualités|les informations municipales|les dates des réunions publiques] [de la commune|de la mairie].",
            "{depuis}{sa} constitué un fichier [de contacts|d'abonnés] (avec consentement RGPD) pour envoyer [des SMS|des mails] d'information [aux habitants|aux associations].",
        ],
        detail=["{n_part} inscrits{fin}", "Outil utilisé : [un service SMS en ligne|la plateforme de la com com]."],
    ),
]


SUBTOPICS["culture"] = [
    dict(
        key="mediatheque", w=24,
        titles=["Médiathèque numérique", "Bibliothèque numérique", "Médiathèque", "Services numériques de la médiathèque", "Lecture publique numérique", "Bibliothèque"],
        terse=["catalogue en ligne de la bibliothèque", "Médiathèque numérique", "portail médiathèque",
               "Ressources numériques en ligne", "prêt de liseuses", "bibliothèque numérique", "Réservation de livres en ligne",
               "Catalogue bibliotheque sur internet"],
        core=[
            "portail [de la médiathèque|du réseau des bibliothèques|de la bibliothèque municipale] : [catalogue en ligne, réservation et prolongation des prêts|compte lecteur en ligne, réservations, nouveautés|recherche dans le catalogue et suggestions d'achat].",
            "{depuis}la médiathèque propose des ressources numériques [gratuites pour les abonnés|en ligne 24h/24] : [presse en ligne, films, autoformation|livres numériques, musique, cours de langues|magazines, VOD, soutien scolaire].",
            "prêt de [liseuses|tablettes|liseuses et tablettes] [chargées de livres numériques|avec des applications sélectionnées] aux lecteurs de la [bibliothèque|médiathèque].",
            "[informatisation|réinformatisation] de la bibliothèque [municipale|communale] [avec le réseau de la médiathèque départementale|et mise en ligne du catalogue|avec un nouveau SIGB].",
            "accès [à la médiathèque numérique du Département|aux ressources numériques de la BDP] pour les [abonnés|lecteurs] de la bibliothèque [: films, presse, livres|depuis chez eux].",
            "la bibliothèque [municipale|intercommunale] a rejoint le réseau de lecture publique : carte unique, [catalogue commun en ligne|navette], [réservation sur internet|ressources numériques].",
            "[espace jeux vidéo|consoles et jeux vidéo] à la médiathèque [avec des tournois|en accès libre le mercredi|et prêt de jeux].",
            "automates de prêt [RFID|en libre-service] et boîte de retour [24h/24|extérieure] [à la médiathèque|dans le réseau des médiathèques].",
            "création d'une \"[boîte à lire|bibliothèque]\" numérique [avec QR codes|en ligne] pour [partager des livres|découvrir des lectures].",
        ],
        detail=[
            "{n_part} [emprunts numériques|connexions] [en {an_1}|par mois].",
            "Inscription [gratuite|à tarif unique de 10 €] pour les habitants.",
            "Ressources : [Cafeyn, Tënk, Toutapprendre|presse, VOD, autoformation|livres numériques (PNB)].",
            "Catalogue consultable sur [le site de la commune|le portail du réseau].",
            "{note_qualite}{fin}",
            "Animation par [la bibliothécaire|l'équipe de la médiathèque|des bénévoles].",
        ],
    ),
    dict(
        key="patrimoine", w=18,
        titles=["Patrimoine numérisé", "Numérisation du patrimoine", "Archives et patrimoine en ligne", "Mémoire numérique", "Patrimoine"],
        terse=["numérisation des archives", "archives en ligne", "Photothèque numérique", "patrimoine numérisé",
               "Numérisation cartes postales anciennes", "registres anciens numérisés"],
        core=[
            "numérisation [des archives communales|des registres paroissiaux|du cadastre napoléonien|des délibérations anciennes|des cartes postales anciennes] [et mise en ligne|consultables sur le site|pour les chercheurs et les habitants].",
            "{depuis}{sa} [mis en ligne|publié] [une photothèque|un fonds de photographies anciennes|des archives sonores] [sur l'histoire de la commune|avec l'association d'histoire locale].",
            "inventaire numérique du patrimoine [de la commune|bâti|religieux et industriel] : [fiches descriptives|photos|plans] [consultables en ligne|sur une carte interactive].",
            "archives municipales en ligne : [état civil ancien (1792-1920)|registres matricules|plans anciens] [numérisés avec les Archives départementales|accessibles depuis le site].",
            "collecte participative [de photos anciennes|de souvenirs|de témoignages] auprès des habitants [pour constituer une mémoire numérique de la commune|pour une exposition en ligne].",
            "[restauration et numérisation|numérisation] [du fonds ancien|des plans anciens|des films amateurs] [de la bibliothèque|de la ville] [en {an_1}|avec {financeur}].",
            "base de données [en ligne|numérique] [du petit patrimoine|des lavoirs, croix et fontaines|des monuments] de la commune, [alimentée par des bénévoles|avec photos et géolocalisation].",
        ],
        detail=[
            "{n_part} [documents|images|pages] numérisés.",
            "Travail mené avec [l'association d'histoire locale|les Archives départementales|un prestataire spécialisé].",
            "Les originaux restent conservés en mairie{fin}",
            "Financement : {financeur} ({pct} %).",
        ],
    ),
    dict(
        key="visites", w=16,
        titles=["Patrimoine virtuel", "Visite virtuelle", "Découverte du patrimoine", "Valorisation numérique du patrimoine", "Patrimoine connecté"],
        terse=["visite virtuelle de l'église", "exposition virtuelle", "Parcours patrimoine QR codes", "audioguide numérique",
               "visite 360°", "réalité augmentée au château"],
        core=[
            "visite virtuelle [à 360°|en 3D] [de l'église|du château|du musée|du moulin|de l'abbaye] [sur le site internet|accessible en ligne] pour [les personnes à mobilité réduite|découvrir le patrimoine depuis chez soi].",
            "parcours [patrimoine|historique|découverte] avec [QR codes|bornes connectées|une application] [sur les monuments|dans {ville_lieu}] donnant accès à [des textes, photos et vidéos|des commentaires audio|des reconstitutions].",
            "exposition virtuelle [sur l'histoire de la commune|sur la Grande Guerre|des collections du musée|\"{ville_nom} d'hier à aujourd'hui\"] [en ligne sur le site|réalisée avec les écoles|avec des archives numérisées].",
            "[application de réalité augmentée|casques de réalité virtuelle] pour [découvrir le site tel qu'il était au Moyen Âge|visiter le musée autrement|reconstituer le centre ancien].",
            "audioguide [numérique|téléchargeable] [pour la visite de la ville|de l'église|du circuit des lavoirs] [en français et en anglais|avec des récits d'habitants].",
            "{depuis}le musée [municipal|de la ville] met en ligne ses collections : [fiches, photos haute définition|base de données des oeuvres|visites guidées en vidéo].",
            "reconstitution 3D [du château|de l'ancienne abbaye|du bourg médiéval] présentée [en ligne|dans une borne interactive|sur tablette au point info].",
        ],
        detail=[
            "Réalisé par [un prestataire|des étudiants|l'office de tourisme] pour {montant} €.",
            "{n_part} [visiteurs virtuels|connexions] la première année{fin}",
            "Contenus rédigés avec [l'association du patrimoine|les guides bénévoles|les archives].",
        ],
    ),
    dict(
        key="evenements_culture", w=14,
        titles=["Événements culturels numériques", "Culture numérique", "Animations numériques", "Programmation culturelle", "Culture"],
        terse=["festival des arts numériques", "escape game numérique à la médiathèque", "concerts retransmis en ligne",
               "tournoi jeux vidéo", "Mois du numérique à la médiathèque"],
        core=[
            "[festival|semaine|mois] [des arts numériques|du jeu vidéo|des cultures numériques] : [installations interactives, mapping vidéo, concerts|ateliers de création musicale, réalité virtuelle|expositions et rencontres avec des artistes].",
            "[escape game|jeu de piste] numérique [à la médiathèque|dans la ville|au musée] [pour les familles|pour les ados|autour du patrimoine local].",
            "retransmission [en direct|en streaming] [des concerts de l'école de musique|des spectacles|de la saison culturelle] [sur YouTube|sur le site de la ville].",
            "tournois de jeux vidéo et [soirées rétrogaming|e-sport] [à la médiathèque|à l'espace jeunes] {frequence}.",
            "[création sonore|atelier de création numérique|résidence d'artiste numérique] [avec les habitants|avec les scolaires|au centre culturel] [en {an_1}|cette année].",
            "{depuis}{sa} organisé [une nuit de la lecture connectée|un mapping vidéo sur la façade de l'église|un spectacle en réalité augmentée] [dans le cadre de {nom_projet}|avec {partenaire}].",
            "billetterie en ligne [pour la saison culturelle|pour les spectacles de la salle des fêtes|du centre culturel] [et programme numérique|avec paiement sécurisé].",
        ],
        detail=[
            "{n_part} spectateurs{fin}",
            "Programmation réalisée avec [le centre culturel|la médiathèque|une association].",
            "Soutien [de la DRAC|{du_financeur}].",
        ],
    ),
    dict(
        key="ecole_musique_cine", w=8,
        titles=["Musique et cinéma", "Équipements culturels numériques", "Enseignement artistique numérique"],
        terse=["numérisation du cinéma", "MAO à l'école de musique", "studio d'enregistrement numérique"],
        core=[
            "[numérisation de la salle de cinéma|équipement en projection numérique du cinéma municipal|cinéma itinérant en numérique] [pour la programmation|en partenariat avec le circuit itinérant].",
            "atelier de MAO (musique assistée par ordinateur) [à l'école de musique|au conservatoire|à l'espace jeunes] [avec un studio d'enregistrement|avec logiciels et contrôleurs].",
            "cours [à distance|en visio] et partitions numériques [pour les élèves du conservatoire|à l'école de musique intercommunale].",
        ],
        detail=["{n_part} élèves concernés{fin}", "Matériel acheté {montant} €."],
    ),
    dict(
        key="ressources_locales", w=8,
        titles=["Agenda culturel", "Portail culturel", "Annuaire des artistes"],
        terse=["agenda culturel en ligne", "portail culture", "annuaire des artistes locaux"],
        core=[
            "portail [culturel|de la culture] [de la ville|intercommunal] : agenda des [spectacles|expositions|concerts], [billetterie|réservations] et [ressources en ligne|vidéos].",
            "[annuaire|carte] en ligne des [artistes, artisans d'art et lieux culturels|associations culturelles] [du territoire|de la commune].",
        ],
        detail=["Mis à jour par le service culturel{fin}", "Géré avec l'office de tourisme."],
    ),
]

SUBTOPICS["education"] = [
    dict(
        key="equipement_ecoles", w=26,
        titles=["Équipement numérique des écoles", "Écoles numériques", "Numérique à l'école", "Plan numérique école", "Matériel informatique école", "École numérique"],
        terse=["TNI dans toutes les classes", "TBI école", "classe mobile", "tablettes pour l'école", "Ecrans numériques interactifs",
               "équipement informatique des écoles", "VPI école élémentaire", "ENI dans les classes"],
        core=[
            "équipement [des classes|des écoles|de l'école] en [tableaux numériques interactifs (TNI)|TBI|vidéoprojecteurs interactifs (VPI)|écrans numériques interactifs (ENI)] : [{n_classes} classes équipées|toutes les classes élémentaires équipées].",
            "{depuis}{sa} [acheté|financé] une classe mobile de {n_tab} tablettes [pour {n_ecoles}|pour l'école maternelle et élémentaire|partagée entre les classes].",
            "[renouvellement|achat] des ordinateurs [de l'école|de la salle informatique|des enseignants] et [installation d'un réseau wifi|câblage des classes|mise en place d'un serveur pédagogique].",
            "plan numérique [pour les écoles|des écoles] [{annee_sco}|sur 3 ans] : [TNI, tablettes, ordinateurs portables|écrans interactifs et visualiseurs|ENT et équipement des classes] [avec {financeur}|dans le cadre de l'appel à projets Socle numérique].",
            "[dotation|remplacement] de [{n_tab} ordinateurs portables|{n_tab} tablettes|robots pédagogiques (Thymio, Bee-Bot)] [pour les classes de cycle 3|pour {n_ecoles}].",
            "les classes [des écoles|de l'école|élémentaires] sont équipées de [TBI|TNI|vidéoprojecteurs] depuis {an_deb}[, avec maintenance assurée par la commune|, remplacement progressif en écrans tactiles|].",
            "déploiement de [l'appel à projets \"Socle numérique dans les écoles élémentaires\" (SNEE)|du plan de relance numérique école] : [{n_classes} classes équipées|écrans, ordinateurs et ressources numériques].",
            "équipement de la classe [de CM1-CM2|unique|de maternelle] avec [un écran interactif|une classe mobile|des visualiseurs] [et formation des enseignants|en lien avec le conseiller pédagogique numérique].",
        ],
        detail=[
            "Montant : {montant} € [dont {pct} % de subvention|TTC].",
            "Subvention {du_financeur}.",
            "La maintenance est assurée par [un prestataire|le service informatique de la ville|la com com].",
            "Projet construit avec [les enseignants|l'inspection (ERUN)|le directeur de l'école].",
            "Les enseignants ont été formés par l'ERUN{fin}",
            "[{n_classes} classes|Toutes les classes] concernées.",
        ],
    ),
    dict(
        key="ent", w=14,
        titles=["ENT", "Espace numérique de travail", "ENT école", "ENT 1er degré", "Cahier de liaison numérique"],
        terse=["ENT écoles", "ENT pour l'école", "espace numérique de travail", "ENT ONE", "ENT 1er degré", "Beneylu School"],
        core=[
            "mise en place d'un [espace numérique de travail (ENT)|ENT] pour [{n_ecoles}|les écoles de la commune] : [cahier de liaison, blog de classe, messagerie avec les familles|partage de documents, agenda, actualités].",
            "{depuis}{sa} [souscrit|pris en charge] l'abonnement [à l'ENT|à l'ENT ONE|à Beneylu School|à l'ENT départemental] pour [les écoles|les classes élémentaires] ({montant} € par an).",
            "l'ENT [du premier degré|de l'école] permet aux parents de suivre [la vie de la classe|les devoirs|les actualités de l'école] [et de communiquer avec les enseignants|depuis leur smartphone].",
            "généralisation de l'ENT [dans toutes les écoles|de la maternelle au CM2] [en lien avec l'académie|avec la convention départementale].",
        ],
        detail=[
            "{pct} % des familles sont connectées.",
            "Les codes d'accès sont remis aux parents à la rentrée{fin}",
            "Coût pris en charge par la commune.",
        ],
    ),
    dict(
        key="portail_famille", w=22,
        titles=["Portail famille", "Inscriptions en ligne", "Espace famille", "Périscolaire en ligne", "Enfance : démarches en ligne", "Portail Famille"],
        terse=["portail famille", "Inscriptions cantine en ligne", "réservation périscolaire en ligne", "Espace famille en ligne",
               "Inscription ALSH en ligne", "paiement cantine en ligne", "Portail Famille (cantine, garderie)"],
        core=[
            "[portail famille|espace famille] en ligne : inscriptions et réservations [à la cantine|au périscolaire|à l'ALSH|à la garderie], [paiement des factures en ligne|facturation dématérialisée].",
            "{depuis}les familles [inscrivent|réservent] [la cantine et la garderie|les repas et l'accueil périscolaire|les mercredis et les vacances à l'ALSH] en ligne [via le portail famille|sur le site de la commune|depuis leur smartphone].",
            "inscriptions scolaires [en ligne|dématérialisées] : [dépôt des justificatifs|formulaire] sur le portail [citoyen|famille] [pour la rentrée {an}|depuis {an_deb}].",
            "logiciel [de gestion de la restauration scolaire et du périscolaire|de pointage des enfants sur tablette] avec [portail parents|réservation et paiement en ligne] [pour {n_ecoles}|depuis la rentrée].",
            "pointage [sur tablette|numérique] des enfants [à la cantine|au périscolaire|à la garderie] relié au portail famille [pour une facturation automatique|et aux réservations].",
            "réservation des repas [de la cantine|scolaires] [jusqu'à la veille|48h à l'avance] [sur internet|via l'appli] [pour limiter le gaspillage|pour mieux prévoir les commandes].",
            "dossier unique d'inscription [enfance-jeunesse|périscolaire|scolaire] en ligne [avec paiement par carte bancaire|et prélèvement automatique] [depuis {an_deb}|pour {annee_sco}].",
        ],
        detail=[
            "{pct} % des familles utilisent le portail.",
            "Paiement en ligne sécurisé via PayFiP{fin}",
            "Accompagnement des familles [en mairie|par le service scolaire] pour la création du compte.",
            "Menus consultables sur le même portail.",
            "Les factures papier ont été supprimées pour les familles volontaires.",
        ],
    ),
    dict(
        key="menus", w=6,
        titles=["Menus de la cantine", "Menus en ligne", "Restauration scolaire"],
        terse=["menus cantine en ligne", "Menus de la cantine sur le site", "menus sur l'appli"],
        core=[
            "menus de la cantine [publiés en ligne|consultables sur le site et l'application|affichés sur l'ENT] [chaque semaine|chaque mois] avec [les allergènes|l'origine des produits|la part de bio].",
            "les menus [de la restauration scolaire|de la cantine] sont [disponibles sur l'appli {outil_info}|mis en ligne par la cuisine centrale] [et envoyés aux parents|avec les informations nutritionnelles].",
        ],
        detail=["Préparés par la cuisine centrale{fin}", "Commission menus avec les parents."],
    ),
    dict(
        key="numerique_educatif", w=20,
        titles=["Numérique éducatif", "Éducation au numérique", "Ateliers numériques jeunesse", "Jeunes et numérique", "Usages numériques des jeunes"],
        terse=["ateliers robotique périscolaire", "Permis internet CM2", "initiation au code", "éducation aux écrans",
               "club robotique ALSH", "Ateliers Scratch", "prévention cyberharcèlement"],
        core=[
            "ateliers [de codage|de robotique|de programmation] [sur le temps périscolaire|à l'ALSH|au centre de loisirs|pendant les vacances] [avec Scratch et Thymio|avec des robots Lego|avec des micro:bit] pour les [enfants de 8 à 12 ans|CM1-CM2|jeunes].",
            "permis internet [pour les élèves de CM2|à l'école] [avec la gendarmerie|avec la police municipale] : [bons usages, dangers des réseaux, cyberharcèlement|règles de prudence sur internet].",
            "éducation aux médias et à l'information [pour les collégiens|à l'espace jeunes|au PIJ] : [fake news, réseaux sociaux, identité numérique|décrypter l'info, créer un journal en ligne].",
            "prévention [sur les écrans|sur l'usage des écrans] [avec les parents|auprès des familles|en maternelle] : [conférence|ateliers|exposition] [avec {partenaire}|animés par une psychologue|dans le cadre du PEDT].",
            "{depuis}l'espace jeunes propose [un club informatique|des ateliers création de jeux vidéo|une web radio|un atelier vidéo et montage] {frequence}.",
            "[stage|semaine] [numérique|de robotique|de création de jeux vidéo] pendant les vacances [pour les 11-15 ans|à l'ALSH|au centre de loisirs].",
            "intervention [d'un animateur numérique|de la conseillère numérique] [dans les classes|à l'accueil de loisirs] [sur les dangers d'internet|sur l'usage responsable des réseaux sociaux|sur la programmation].",
            "aide aux devoirs [en ligne|numérique] [et accès aux ressources pédagogiques|avec ordinateurs en prêt] [pour les collégiens|pour les élèves] [au PIJ|à la médiathèque].",
        ],
        detail=[
            "{n_part} enfants [ont participé|concernés].",
            "Inscrit au projet éducatif territorial (PEDT).",
            "Matériel financé par {financeur}{fin}",
            "Animé par [un animateur BAFA formé|une association d'éducation populaire|{animateur}].",
        ],
    ),
    dict(
        key="petite_enfance_jeunesse", w=12,
        titles=["Enfance-jeunesse", "Jeunesse", "Petite enfance et jeunesse", "Services aux jeunes"],
        terse=["demande de place en crèche en ligne", "PIJ numérique", "Pass jeunes dématérialisé", "RPE en ligne"],
        core=[
            "demande de place en crèche [en ligne|dématérialisée] [via le portail famille|sur le site] et [commission d'attribution|suivi de la demande] [transparente|en ligne].",
            "point information jeunesse (PIJ) [numérique|avec accès internet] : [aide aux recherches de stages et de jobs d'été|BAFA, Parcoursup, logement|information sur les études].",
            "pass jeunes [dématérialisé|sur smartphone] [pour les 11-25 ans|pour les lycéens] : [réductions culturelles et sportives|accès aux activités] [via une application|avec QR code].",
            "le relais petite enfance (RPE) [propose|met en ligne] [la liste des assistantes maternelles disponibles|des ressources pour les parents] [sur le site|en ligne].",
        ],
        detail=["{n_part} jeunes inscrits{fin}", "Piloté par le service [enfance-jeunesse|jeunesse]."],
    ),
]


SUBTOPICS["demarches"] = [
    dict(
        key="portail_citoyen", w=22,
        titles=["Portail citoyen", "Démarches en ligne", "E-services", "Guichet numérique", "Espace citoyen",
                "Téléservices", "Mairie en ligne"],
        terse=["démarches en ligne sur le site", "Portail citoyen", "e-services", "guichet unique en ligne", "Espace citoyen",
               "teleservices", "démarches dématérialisées"],
        core=[
            "portail citoyen [en ligne|accessible depuis le site] : [demandes d'actes, réservation de salles, signalements|suivi des demandes, paiement, prise de rendez-vous|formulaires en ligne et suivi des dossiers] [avec connexion FranceConnect|24h/24].",
            "{depuis}{sa} [ouvert|lancé] un guichet numérique [pour les démarches courantes|unique] : [{n_part} démarches en ligne|plus de 30 démarches] disponibles.",
            "dématérialisation des démarches [administratives|de la mairie] : [formulaires en ligne|dépôt de pièces justificatives|suivi en ligne] [sur le site|via le portail e-services][ avec accusé de réception électronique|].",
            "mise en place des e-services [de la ville|municipaux] : [inscription sur les listes électorales, recensement citoyen, demandes d'actes|demandes d'intervention, réservations, paiements].",
            "\"mairie en ligne\" : les habitants peuvent [faire leurs demandes|déposer leurs dossiers|suivre leurs démarches] [sans se déplacer|depuis chez eux] [via un compte citoyen|avec FranceConnect].",
            "refonte de la [page|rubrique] \"Démarches\" du site avec [des liens vers Service-Public.fr|des formulaires en ligne|un moteur de recherche des démarches].",
            "{sa} adhéré à [la plateforme de téléservices|l'offre de démarches en ligne] [du syndicat informatique départemental|de la com com|proposée par {partenaire}][ pour les petites communes|].",
            "formulaire de contact et [demandes en ligne|de demande de rendez-vous] [traités|suivis] par [l'accueil|le service population] sous 48h.",
        ],
        detail=[
            "{n_part} [démarches|demandes] en ligne [en {an_1}|par mois].",
            "Connexion possible avec FranceConnect{fin}",
            "Les usagers peuvent suivre l'avancement de leur demande.",
            "Un accueil physique reste assuré pour ceux qui le souhaitent.",
            "Coût : {montant} € par an.",
        ],
    ),
    dict(
        key="etat_civil_rdv", w=20,
        titles=["Rendez-vous et état civil en ligne", "État civil", "Accueil population", "Démarches état civil", "RDV en ligne"],
        terse=["RDV en ligne CNI/passeport", "prise de rendez-vous en ligne", "Demande d'actes d'état civil en ligne",
               "rdv cni passeport en ligne", "actes en ligne", "Rendez-vous titres d'identité"],
        core=[
            "prise de rendez-vous en ligne pour [les cartes d'identité et passeports|les titres d'identité|le dépôt de dossiers CNI/passeport] [via le site|sur une plateforme|24h/24] [avec rappel par SMS|et pré-demande ANTS].",
            "demande d'actes d'état civil [en ligne|dématérialisée] ([naissance, mariage, décès|copies et extraits]) [sur le site|via Service-Public.fr] ; [raccordement à COMEDEC|envoi par courrier].",
            "{depuis}{sa} [adhéré à COMEDEC|mis en place la dématérialisation de la vérification d'état civil] pour [les notaires et les titres|les demandes de titres].",
            "[agenda|planning] de rendez-vous en ligne [pour le service état civil|pour l'urbanisme|pour les services municipaux] [réduisant l'attente au guichet|avec rappel automatique].",
            "station biométrique pour les titres d'identité [avec prise de rendez-vous en ligne|ouverte aux habitants des communes voisines] [depuis {an_deb}|et pré-demande sur le site de l'ANTS].",
            "recensement citoyen (16 ans) et inscription sur les listes électorales [en ligne|via Service-Public.fr] [relayés|expliqués] sur le site de la commune.",
        ],
        detail=[
            "{n_part} rendez-vous pris en ligne [en {an_1}|chaque mois].",
            "Délai moyen d'attente réduit[ de moitié|].",
            "Outil mutualisé avec {partenaire}{fin}",
            "Rappel SMS la veille du rendez-vous.",
        ],
    ),
    dict(
        key="paiement", w=14,
        titles=["Paiement en ligne", "PayFiP", "Paiement des factures en ligne", "Régie en ligne"],
        terse=["paiement en ligne PayFiP", "Paiement en ligne des factures", "payfip", "paiement par CB en ligne"],
        core=[
            "paiement en ligne [des factures|des services municipaux] [par carte bancaire|via PayFiP|sur le portail] : [eau, assainissement, location de salles|redevances, concessions, droits de place|loyers et factures diverses].",
            "{depuis}{sa} mis en place PayFiP pour [toutes les factures|les factures d'eau|les locations de salles] [avec la DGFiP|en lien avec le Trésor public].",
            "paiement [sans contact|par smartphone|en ligne] [à la régie|pour les droits de place du marché|pour les locations] [en plus du chèque et des espèces|pour faciliter la vie des usagers].",
            "titres de recettes [avec QR code de paiement|payables en ligne] [et paiement chez les buralistes|via PayFiP et chez le buraliste].",
        ],
        detail=["{pct} % des factures payées en ligne{fin}", "Aucun frais pour l'usager.", "Mis en place avec la trésorerie."],
    ),
    dict(
        key="urbanisme", w=16,
        titles=["Urbanisme en ligne", "Urbanisme dématérialisé", "Urbanisme", "Autorisations d'urbanisme"],
        terse=["dépôt des permis en ligne", "urbanisme dématérialisé", "GNAU", "Saisine par voie électronique", "PLU consultable en ligne"],
        core=[
            "dématérialisation des autorisations d'urbanisme : [dépôt des permis de construire et déclarations préalables en ligne|guichet numérique des autorisations d'urbanisme (GNAU)] [depuis le 1er janvier 2022|avec le service instructeur de la com com].",
            "[le PLU et le cadastre sont consultables|le PLU est consultable|le PLUi est consultable] en ligne [sur le géoportail|sur une carte interactive|sur le site] avec [le zonage|le règlement] et [les servitudes|les fiches parcelles].",
            "{depuis}les demandes d'urbanisme peuvent être [déposées|transmises] [en ligne|par voie électronique (SVE)] et suivies [sur le portail|par mail][ jusqu'à la décision|].",
            "[demande de certificat d'urbanisme|demande d'arrêté de voirie|autorisation de travaux] [en ligne|par formulaire dématérialisé] [avec paiement éventuel|instruite par le service urbanisme].",
            "[consultation|accès] en ligne [du cadastre|des documents d'urbanisme|du PLUi] [pour les habitants et les notaires|via le SIG intercommunal].",
        ],
        detail=["{n_part} dossiers déposés en ligne[ en {an_1}|]{fin}", "Instruction assurée par {partenaire}.", "Le dépôt papier reste possible."],
    ),
    dict(
        key="reservations_formulaires", w=14,
        titles=["Réservation de salles", "Formulaires en ligne", "Demandes en ligne", "Réservation en ligne"],
        terse=["réservation de salles en ligne", "formulaires en ligne", "demande de benne en ligne", "location de matériel en ligne"],
        core=[
            "réservation [de la salle des fêtes|des salles municipales|du matériel (tables, barnums)|des équipements sportifs] [en ligne|via un formulaire] avec [calendrier des disponibilités|paiement de l'acompte en ligne|contrat électronique].",
            "formulaires en ligne pour [les demandes de benne|les demandes d'occupation du domaine public|les concessions au cimetière|les déclarations de chiens dangereux|les demandes de subvention des associations].",
            "demande de subvention [des associations|associative] [dématérialisée|en ligne] [avec dépôt des pièces|via une plateforme] [depuis {an_deb}|pour la campagne {an}].",
            "{depuis}{sa} mis en place [un|des] [formulaire|formulaires] en ligne pour [les inscriptions aux animations municipales|la location des jardins familiaux|les demandes de carte de stationnement résident].",
        ],
        detail=["Paiement possible en ligne{fin}", "Traitement par [l'accueil|le secrétariat de mairie] sous 48h.", "Moins d'appels téléphoniques à l'accueil."],
    ),
    dict(
        key="relation_usager", w=8,
        titles=["Relation usagers", "Accueil multicanal", "Relation citoyen", "Accueil des usagers"],
        terse=["GRC", "chatbot sur le site", "Gestion de la relation citoyen"],
        core=[
            "outil de gestion de la relation citoyen (GRC) [pour suivre toutes les demandes des usagers|centralisant mails, appels et formulaires] [avec des délais de réponse garantis|et des réponses types].",
            "[assistant virtuel|chatbot] sur le site [pour répondre aux questions fréquentes|pour orienter vers les démarches] [24h/24|en complément de l'accueil].",
            "accueil [téléphonique et numérique|multicanal] unique [pour toutes les démarches|\"Allô Mairie\"] avec [suivi des demandes en ligne|numéro unique et formulaire].",
        ],
        detail=["{n_part} demandes traitées par mois{fin}", "Délai de réponse : 5 jours maximum."],
    ),
    dict(
        key="cimetiere", w=3,
        titles=["Cimetière", "Gestion du cimetière", "Cimetière en ligne"],
        terse=["recherche de défunts en ligne", "cimetière : plan en ligne", "gestion cimetière en ligne"],
        core=[
            "logiciel de gestion du cimetière avec [recherche de défunts en ligne|plan interactif des concessions] et [demandes de concession en ligne|renouvellement par internet].",
            "{depuis}le plan du cimetière et la liste des concessions sont consultables en ligne ; [les familles peuvent demander un renouvellement par formulaire|les concessions échues sont signalées sur le site].",
        ],
        detail=["Service gratuit{fin}", "Relevé des tombes fait par [des bénévoles|un prestataire] sur tablette."],
    ),
    dict(
        key="eau", w=3,
        titles=["Eau et assainissement", "Abonnement eau en ligne", "Compte usager eau"],
        terse=["abonnement eau en ligne", "Compte usager eau", "relève eau en ligne"],
        core=[
            "compte usager en ligne pour [l'eau et l'assainissement|les abonnements] : [relève, factures, mensualisation|ouverture et fermeture d'abonnement] [sur internet|depuis le site].",
            "{depuis}les abonnés de la régie des eaux [déclarent leur relève|demandent leur mensualisation|consultent leurs factures] en ligne.",
        ],
        detail=["Service gratuit{fin}", "Relève à saisir en ligne avant le 15 {mois}."],
    ),
]

SUBTOPICS["vie_quotidienne"] = [
    dict(
        key="signalement", w=18,
        titles=["Signalement en ligne", "Appli de signalement", "Signaler un problème", "Application citoyenne"],
        terse=["appli signalement anomalies", "Signalements en ligne (voirie)", "signaler un problème", "Tell My City"],
        core=[
            "application de signalement [des anomalies|des problèmes] [sur l'espace public|dans la commune] : [nids-de-poule, dépôts sauvages, éclairage en panne|voirie, propreté, espaces verts] [avec photo et géolocalisation|suivis par les services techniques].",
            "{depuis}les habitants peuvent signaler [un dépôt sauvage|un lampadaire en panne|un problème de voirie] [en ligne|via {outil_info}|par un formulaire] [et sont informés de la résolution|avec photo].",
            "les services techniques [reçoivent|traitent] les signalements [sur tablette|dans un logiciel] [et planifient les interventions|et répondent sous 72h].",
            "[outil|plateforme] \"[Dans ma rue|Allô Voirie|{ville_nom} Propre]\" pour signaler [les incivilités et les anomalies|les dégradations|les tags et encombrants] [directement aux services|depuis son smartphone].",
        ],
        detail=["{n_part} signalements [traités en {an_1}|par mois]{fin}", "Délai moyen d'intervention : [3|5|8] jours.", "Carte des signalements publiée en ligne."],
    ),
    dict(
        key="dechets", w=10,
        titles=["Déchets", "Collecte des déchets", "Tri et déchets", "Propreté"],
        terse=["calendrier collecte déchets en ligne", "appli tri des déchets", "capteurs sur les colonnes de tri", "calendrier des collectes"],
        core=[
            "calendrier de collecte des déchets [en ligne|sur l'appli|personnalisé par adresse] avec [rappel la veille|guide du tri|carte des points d'apport volontaire].",
            "[capteurs de remplissage|sondes connectées] [sur les colonnes de tri|sur les conteneurs à verre] pour [optimiser les tournées de collecte|éviter les débordements].",
            "[application|plateforme] [de compostage|anti-gaspi|de dons entre habitants] [pour réduire les déchets|en lien avec le syndicat de collecte].",
            "{depuis}les habitants peuvent [demander un bac|signaler un bac non collecté|réserver l'enlèvement des encombrants] en ligne [sur le site|via le syndicat de collecte].",
            "badges d'accès [numériques|connectés] à la déchetterie et [suivi des dépôts en ligne|prise de rendez-vous pour les gros volumes].",
        ],
        detail=["Projet mené avec le syndicat de collecte{fin}", "Moins de dépôts sauvages depuis la mise en place.", "Coût : {montant} €.", "Tonnages suivis chaque mois."],
    ),
    dict(
        key="energie_eau_air", w=8,
        titles=["Environnement", "Éclairage public", "Énergie", "Transition écologique", "Capteurs environnementaux"],
        terse=["éclairage public connecté", "capteurs qualité de l'air", "télérelève compteurs d'eau", "suivi des consommations énergie"],
        core=[
            "éclairage public [piloté à distance|connecté|intelligent] : [extinction nocturne programmée|détection de présence|horloges astronomiques] [pour réduire la consommation|dans {ville_lieu}].",
            "{depuis}{sa} installé des [compteurs d'eau|compteurs] à télérelève pour [détecter les fuites|alerter les abonnés en cas de surconsommation].",
            "[capteurs|stations] de mesure [de la qualité de l'air|du bruit|des crues] [avec données en ligne|dans les écoles|au centre-ville].",
            "suivi [numérique|en ligne] des consommations [d'énergie des bâtiments communaux|d'eau et d'électricité] [avec une plateforme de télégestion|via le SDE].",
        ],
        detail=["{pct} % d'économies d'énergie constatées{fin}", "Projet mené avec [le syndicat d'énergie|{partenaire}].", "Coût : {montant} €.", "Données consultables sur le site."],
    ),
    dict(
        key="transports", w=16,
        titles=["Mobilité", "Transports", "Mobilité numérique", "Info mobilité", "Déplacements"],
        terse=["transport à la demande réservation en ligne", "horaires bus temps réel", "plateforme covoiturage", "Appli mobilité"],
        core=[
            "transport à la demande [réservable en ligne|avec réservation par appli ou téléphone] [pour les habitants des hameaux|vers le marché et les commerces|vers la gare].",
            "information [voyageurs|transports] en temps réel : [horaires des bus sur smartphone|écrans aux arrêts|QR codes aux arrêts] [avec {partenaire}|dans {ville_lieu}].",
            "[plateforme|application] de covoiturage [de proximité|domicile-travail] [avec des arrêts identifiés|avec {partenaire}|\"Rezo Pouce\"] pour [les habitants|les salariés du territoire].",
            "vélos [en libre-service|à assistance électrique en location] [réservables sur une appli|avec abonnement en ligne] [en gare|dans {ville_lieu}].",
            "{depuis}{sa} [publié|mis en ligne] [une carte interactive|un plan] [des pistes cyclables|des itinéraires piétons et vélos|des bornes de recharge] [sur le site|sur l'appli].",
        ],
        detail=["{n_part} [trajets|réservations] par mois{fin}", "Service organisé par [la Région|l'agglo|la com com]."],
    ),
    dict(
        key="stationnement", w=10,
        titles=["Stationnement", "Paiement du stationnement", "Parking connecté"],
        terse=["paiement stationnement par smartphone", "capteurs places de parking", "horodateurs connectés"],
        core=[
            "paiement du stationnement [par smartphone|sans ticket] [avec PayByPhone|via une application|avec les horodateurs connectés] [dans {ville_lieu}|sur toutes les zones payantes].",
            "capteurs [de stationnement|sur les places de parking] et [panneaux de guidage|carte des places libres en temps réel] [au centre-ville|près de la gare].",
            "{depuis}les abonnements résidents [se prennent en ligne|sont dématérialisés] [et la plaque d'immatriculation remplace le macaron|avec paiement sur internet].",
        ],
        detail=["Contrôle par lecture de plaques (LAPI){fin}", "Recettes en hausse de {pct} %."],
    ),
    dict(
        key="alertes", w=14,
        titles=["Alertes SMS", "Système d'alerte", "Téléalerte", "Alerte population", "Plan communal de sauvegarde"],
        terse=["alerte SMS population", "système de téléalerte", "alertes météo par SMS", "Alerte inondation"],
        core=[
            "système d'alerte [de la population|par SMS et appels vocaux|téléalerte] en cas de [crue|canicule|tempête|coupure d'eau|risque majeur] [inscrit au plan communal de sauvegarde|avec inscription en ligne].",
            "{depuis}{sa} [souscrit|mis en place] un service de téléalerte : [{n_part} numéros inscrits|les habitants inscrits sont prévenus] [en quelques minutes|par SMS, mail ou appel].",
            "alertes [météo|vigilance|travaux et coupures] [envoyées|transmises] [via {outil_info}|par SMS] [aux habitants inscrits|à toute la population].",
            "[registre|fichier] des personnes vulnérables [en ligne|numérisé] pour [le plan canicule|les alertes] et [contact téléphonique automatique|appel des personnes isolées].",
        ],
        detail=["Testé lors de l'exercice du PCS{fin}", "Inscription [gratuite|en mairie ou sur le site]."],
    ),
    dict(
        key="tranquillite", w=10,
        titles=["Tranquillité publique", "Sécurité", "Prévention", "Police municipale"],
        terse=["vidéoprotection", "OTV en ligne", "caméras de vidéoprotection"],
        core=[
            "installation de [caméras de vidéoprotection|{n_postes} caméras] [sur les entrées de ville|aux abords des écoles|au centre-ville] [reliées au poste de police municipale|avec un centre de supervision].",
            "opération tranquillité vacances [en ligne|dématérialisée] : [inscription par formulaire|demande sur le site] [avant le départ en vacances|auprès de la police municipale].",
            "[main courante|logiciel de police municipale] [numérique|sur tablette] et [signalements en ligne à la police municipale|contact via l'appli][ pour les habitants|].",
        ],
        detail=["Conforme aux règles de la CNIL{fin}", "Financé par le FIPD à {pct} %."],
    ),
    dict(
        key="tourisme", w=14,
        titles=["Tourisme", "Tourisme numérique", "Information touristique", "Découverte du territoire"],
        terse=["circuits de randonnée GPS", "borne d'information touristique", "appli balades", "site de l'office de tourisme"],
        core=[
            "circuits de randonnée [téléchargeables (GPX)|sur une application|en ligne] [avec points d'intérêt|avec QR codes sur le parcours|balisés et géolocalisés].",
            "borne [tactile|numérique] d'information touristique [devant l'office de tourisme|sur la place|à l'aire de camping-cars] [accessible 24h/24|en plusieurs langues].",
            "{depuis}le site de l'office de tourisme [propose|intègre] [la réservation des hébergements|les activités et visites en ligne|une carte interactive].",
            "[application|géocaching|jeu] [de découverte|touristique] (type Terra Aventura) [pour les familles|sur le territoire|autour du lac].",
        ],
        detail=["Beaucoup utilisé l'été{fin}", "Réalisé avec l'office de tourisme intercommunal."],
    ),
]

SUBTOPICS["democratie"] = [
    dict(
        key="consultation", w=24,
        titles=["Consultation en ligne", "Concertation", "Questionnaire en ligne", "Plateforme participative", "Sondage habitants"],
        terse=["consultation en ligne des habitants", "questionnaire en ligne", "plateforme participative", "concertation numérique"],
        core=[
            "consultation en ligne des habitants sur [le réaménagement de la place|le projet d'école|les horaires de la mairie|le futur city-stade|le plan vélo] [avec un questionnaire|sur le site][ et réunion publique|].",
            "plateforme participative [Decidim|Cap Collectif|\"{ville_nom} participe\"|en ligne] pour [proposer des idées|débattre des projets|voter sur des propositions] [ouverte à tous les habitants|dès 16 ans].",
            "{depuis}{sa} consulté la population [en ligne|par questionnaire numérique] [sur le PLU|sur les rythmes scolaires|sur l'aménagement du centre-bourg|sur la vitesse dans les rues] : {n_part} réponses.",
            "concertation [numérique|en ligne] [pour le PLU|sur le projet de territoire|sur la révision du PLU] : [registre dématérialisé|carte collaborative|contributions en ligne].",
            "boîte à idées [en ligne|numérique] [sur le site|sur l'appli] [pour recueillir les propositions des habitants|ouverte toute l'année].",
            "enquête publique [dématérialisée|avec registre numérique] [pour le PLU|pour le projet de zone|pour la station d'épuration].",
        ],
        detail=["{n_part} contributions{fin}", "Résultats publiés sur le site.", "Restitution en réunion publique."],
    ),
    dict(
        key="budget_participatif", w=18,
        titles=["Budget participatif", "Vote en ligne", "Budget participatif citoyen"],
        terse=["budget participatif", "budget participatif avec vote en ligne", "vote en ligne des projets"],
        core=[
            "budget participatif [de {montant} €|annuel|citoyen] : [dépôt des projets et vote en ligne|les habitants proposent et votent en ligne pour des projets] [sur une plateforme|sur le site].",
            "{depuis}{sa} lancé un budget participatif [avec vote en ligne|numérique] : [{n_part} projets déposés|{n_part} votants|5 projets lauréats réalisés].",
            "[deuxième|troisième|nouvelle] édition du budget participatif [avec vote numérique et papier|ouvert dès 11 ans|dans chaque quartier].",
        ],
        detail=["Vote également possible en mairie{fin}", "Projets lauréats : [aire de jeux, jardins partagés, boîtes à livres|bancs, éclairage, nichoirs]."],
    ),
    dict(
        key="conseil_retransmis", w=20,
        titles=["Conseil municipal en direct", "Retransmission du conseil", "Conseil municipal en vidéo"],
        terse=["retransmission du conseil municipal", "conseil municipal en live", "conseils municipaux filmés", "CM en direct sur YouTube"],
        core=[
            "retransmission [en direct|en live] des [séances du conseil municipal|conseils municipaux] [sur YouTube|sur Facebook|sur le site de la ville] [et replay disponible|avec sous-titrage].",
            "{depuis}les conseils municipaux sont [filmés|diffusés en direct] et [disponibles en replay|archivés en ligne] pour [plus de transparence|permettre à tous de suivre les débats].",
            "[équipement de la salle du conseil|installation de caméras et micros dans la salle du conseil] pour [la retransmission des séances|diffuser les séances en streaming].",
            "publication en ligne [des comptes rendus et délibérations|des procès-verbaux du conseil|de l'ordre du jour] [dès le lendemain|sous 8 jours] sur le site.",
        ],
        detail=["{n_part} vues en moyenne par séance{fin}", "Diffusion via YouTube."],
    ),
    dict(
        key="open_data", w=20,
        titles=["Open data", "Données ouvertes", "Portail open data", "Ouverture des données"],
        terse=["open data", "portail open data", "données ouvertes sur data.gouv.fr", "ouverture des données publiques"],
        core=[
            "publication de [données ouvertes|jeux de données en open data] [sur data.gouv.fr|sur le portail régional|sur un portail open data] : [budget, subventions, marchés publics|équipements, menus, délibérations|adresses (BAL), arbres, parkings].",
            "{depuis}{sa} [ouvert|lancé] un portail open data ({n_part} jeux de données) [avec des visualisations|avec OpenDataSoft|mutualisé avec la métropole].",
            "[base adresse locale (BAL) publiée|données des équipements publiées|budget publié] en open data [sous licence ouverte|avec mise à jour régulière].",
            "ouverture des données [budgétaires|des marchés publics|des délibérations] [conformément à la loi pour une République numérique|en format réutilisable].",
        ],
        detail=["Les données sont réutilisées par [des développeurs|des étudiants|des journalistes]{fin}", "Jeux mis à jour chaque trimestre."],
    ),
    dict(
        key="jeunes_quartiers", w=18,
        titles=["Participation citoyenne", "Démocratie participative", "Citoyenneté", "Participation des habitants"],
        terse=["élections du CMJ en ligne", "CMJ", "conseils de quartier en visio", "pétition en ligne"],
        core=[
            "élections du conseil municipal des jeunes (CMJ) [avec vote électronique|organisées en ligne dans les écoles][ et campagne sur l'ENT|].",
            "conseils de quartier [en visio|hybrides] et [espace en ligne pour les comptes rendus|plateforme d'échange] [pour associer les habitants|pour suivre les projets].",
            "[droit de pétition|pétitions] en ligne : [au-delà de {n_part} signatures|avec un seuil de signatures], la question est inscrite [à l'ordre du jour du conseil|en séance].",
            "{depuis}le CMJ [a réalisé un questionnaire en ligne auprès des jeunes|a présenté ses projets en visio au conseil municipal|vote ses projets en ligne].",
        ],
        detail=["{n_part} participants{fin}", "Animé par le service démocratie locale."],
    ),
]

SUBTOPICS["economie"] = [
    dict(
        key="coworking", w=28,
        titles=["Coworking", "Tiers-lieu", "Espace de coworking", "Télétravail", "Espace de télétravail"],
        terse=["espace de coworking", "tiers-lieu", "coworking municipal", "espace télétravail", "tiers lieu"],
        core=[
            "[espace de coworking|tiers-lieu] [ouvert|aménagé] [dans l'ancienne gare|dans l'ancienne école|au-dessus de la médiathèque|en centre-bourg] : [{n_postes} postes de travail, salle de réunion, fibre|bureaux partagés et visio] pour [télétravailleurs et indépendants|les entrepreneurs locaux].",
            "{depuis}{sa} [créé|ouvert] un espace de télétravail [avec la fibre|équipé] [à la location à la journée|avec abonnement mensuel] pour [les salariés en télétravail|les travailleurs indépendants].",
            "tiers-lieu [{nom_projet}|associatif|intercommunal] : [coworking, FabLab, café associatif|bureaux partagés et ateliers|espace de travail partagé] [labellisé Fabrique de Territoire|soutenu par {financeur}].",
            "[salle|bureaux] de visioconférence et [postes en coworking|bureaux partagés] [à disposition des entreprises|pour les créateurs d'entreprise] [en mairie|à la pépinière].",
        ],
        detail=["Tarif : [10 €|15 €] la journée{fin}", "{n_part} coworkers réguliers.", "Occupation en hausse depuis {an_1}."],
    ),
    dict(
        key="commerce", w=30,
        titles=["Commerce local", "Commerce de proximité", "Soutien aux commerçants", "Commerce en ligne"],
        terse=["plateforme commerce local", "click & collect commerçants", "marketplace locale", "chèques cadeaux dématérialisés", "annuaire des commerçants"],
        core=[
            "plateforme [de commerce local|de vente en ligne] pour les commerçants [de la commune|du centre-ville] : [click and collect|commande et livraison|vitrines en ligne] [avec {partenaire}|lancée pendant le confinement].",
            "{depuis}{sa} [soutenu|accompagné] les commerçants dans leur passage au numérique : [création de vitrines en ligne|formation aux réseaux sociaux|référencement sur Google].",
            "annuaire [en ligne|et carte interactive] des [commerces, artisans et producteurs|commerçants et marchés] [sur le site|dans l'appli] [avec horaires et contacts|mis à jour par l'union commerciale].",
            "chèques cadeaux [dématérialisés|numériques] [valables chez les commerçants locaux|avec l'union commerciale] pour [soutenir le commerce de proximité|les agents et les associations].",
            "[marché de producteurs|drive fermier] avec [commande en ligne|précommande sur internet] et [retrait sur la place|paiement à la livraison] {frequence}.",
        ],
        detail=["{n_part} commerçants inscrits{fin}", "Accompagnement de la CCI.", "Financement : {financeur}."],
    ),
    dict(
        key="emploi", w=22,
        titles=["Emploi", "Offres d'emploi en ligne", "Job dating", "Forum emploi"],
        terse=["offres d'emploi locales en ligne", "job dating", "forum emploi numérique", "espace emploi"],
        core=[
            "[espace emploi|rubrique emploi] [en ligne|sur le site] : [offres locales, jobs d'été, CV en ligne|offres des entreprises du territoire] [avec {partenaire}|mis à jour chaque semaine].",
            "[job dating|forum de l'emploi] [numérique|en visio|hybride] [avec les entreprises locales|avec France Travail et la Mission locale] : {n_part} participants.",
            "[ateliers|accompagnement] [CV et candidatures en ligne|recherche d'emploi sur internet] pour les demandeurs d'emploi [avec la Mission locale|au PIJ] {frequence}.",
        ],
        detail=["{n_part} offres publiées{fin}", "Partenariat avec France Travail."],
    ),
    dict(
        key="attractivite", w=20,
        titles=["Attractivité", "Développement économique", "Entreprises", "Attractivité du territoire"],
        terse=["ZA fibrée", "pépinière d'entreprises", "site attractivité du territoire", "annuaire des entreprises"],
        core=[
            "raccordement de la zone d'activités [au très haut débit|à la fibre] [pour attirer des entreprises|pour les entreprises implantées].",
            "pépinière d'entreprises [numériques|innovantes] [avec accompagnement des start-up|avec bureaux équipés] [soutenue par {financeur}|en partenariat avec la Région].",
            "site [de marketing territorial|d'attractivité] \"[Vivre et travailler à {ville_nom}|Choisir {ville_nom}]\" pour [attirer de nouveaux actifs|promouvoir le territoire auprès des entreprises].",
            "annuaire en ligne des entreprises [de la commune|du territoire] [avec carte|et des offres de locaux disponibles].",
        ],
        detail=["{n_part} entreprises concernées{fin}", "Coût {montant} €."],
    ),
]

SUBTOPICS["solidarite"] = [
    dict(
        key="seniors", w=28,
        titles=["Seniors", "Lien social seniors", "Aînés", "Lutte contre l'isolement", "Personnes âgées"],
        terse=["tablettes EHPAD", "téléassistance", "lutte contre l'isolement des seniors", "visio familles résidence seniors"],
        core=[
            "[tablettes|écrans tactiles] [à l'EHPAD|à la résidence autonomie|au foyer-logement] pour [les visios avec les familles|lutter contre l'isolement des résidents|des jeux de mémoire].",
            "téléassistance [pour les personnes âgées|à domicile] [prise en charge par le CCAS|avec bracelet connecté|avec détecteur de chute][ pour {n_part} bénéficiaires|].",
            "{depuis}le CCAS [appelle|contacte] les aînés isolés [grâce à un fichier numérique|avec une plateforme d'appels] [pendant les épisodes de canicule|toute l'année].",
            "commande [en ligne|par téléphone et internet] du portage de repas à domicile [pour les seniors|via le CCAS][ et suivi des tournées sur tablette|].",
            "[visites de convivialité|lien social] [en visio|par téléphone] pour les personnes âgées isolées, [animées par des bénévoles|avec une association locale].",
        ],
        detail=["{n_part} bénéficiaires{fin}", "Financé par la conférence des financeurs.", "En lien avec les aides à domicile."],
    ),
    dict(
        key="handicap", w=24,
        titles=["Accessibilité", "Handicap", "Inclusion des personnes handicapées", "Accessibilité numérique"],
        terse=["accessibilité RGAA du site", "Acceo pour les sourds", "documents en FALC", "boucle magnétique accueil"],
        core=[
            "mise en conformité [RGAA|accessibilité] du site internet pour les personnes en situation de handicap : [audit, corrections, déclaration d'accessibilité|contrastes, navigation clavier, textes alternatifs].",
            "accueil des personnes sourdes et malentendantes [avec Acceo|par visio-interprétation LSF|avec une boucle magnétique] [en mairie|au CCAS|dans les services].",
            "documents [administratifs|municipaux] en FALC (facile à lire et à comprendre) [et version audio|pour les personnes handicapées|avec l'ESAT].",
            "{depuis}{sa} [équipé|installé] [des loupes numériques et logiciels de lecture|un poste adapté] [à la médiathèque|en mairie] pour les personnes malvoyantes.",
            "[application|carte en ligne] de l'accessibilité [des bâtiments publics|des commerces|de la voirie] [pour les personnes à mobilité réduite|réalisée avec l'APF].",
        ],
        detail=["Réalisé avec [l'APF|une association de personnes handicapées|un cabinet spécialisé]{fin}", "Commission communale d'accessibilité associée."],
    ),
    dict(
        key="sante", w=24,
        titles=["Santé", "Télémédecine", "Accès aux soins", "Santé connectée"],
        terse=["cabine de téléconsultation", "téléconsultation en mairie", "télémédecine", "maison de santé connectée"],
        core=[
            "cabine de téléconsultation [installée|ouverte] [en mairie|à la pharmacie|à la maison de santé] [pour pallier le manque de médecins|face à la désertification médicale].",
            "{depuis}{sa} [équipé|accompagné] la maison de santé [en télémédecine|d'un chariot de téléconsultation] [avec {partenaire}|pour les patients sans médecin traitant].",
            "[prise de rendez-vous|téléconsultation] [médicale|avec des spécialistes] [accompagnée par une infirmière|depuis le centre de santé municipal].",
            "[prévention santé|information santé] [en ligne|sur l'appli] : [campagnes de dépistage|vaccination|annuaire des professionnels de santé].",
        ],
        detail=["{n_part} consultations{fin}", "Financement ARS et commune."],
    ),
    dict(
        key="action_sociale", w=24,
        titles=["Action sociale", "CCAS", "Aides sociales", "Solidarité"],
        terse=["demandes d'aide au CCAS en ligne", "CCAS", "aides sociales en ligne", "épicerie solidaire connectée"],
        core=[
            "[demandes d'aide|dossiers] [au CCAS|d'aide sociale] [en ligne|dématérialisés] [avec rendez-vous|avec simulateur des droits] pour [les familles|les personnes en difficulté].",
            "[simulateur|outil] [des droits sociaux|d'accès aux droits] [sur le site du CCAS|utilisé par les travailleurs sociaux] pour [lutter contre le non-recours|orienter les usagers].",
            "{depuis}le CCAS [utilise|a mis en place] [un logiciel de suivi des bénéficiaires|une carte d'accès dématérialisée à l'épicerie solidaire|une aide aux factures internet].",
            "[aide|participation] du CCAS [à l'équipement|à l'abonnement internet] [des familles modestes|des personnes âgées] [et tarif social|avec {partenaire}].",
            "[actions intergénérationnelles|rencontres] [entre jeunes et aînés|jeunes-seniors] [autour du numérique et du jeu|au foyer] pour [recréer du lien|lutter contre l'isolement].",
        ],
        detail=["{n_part} personnes [aidées|accompagnées]{fin}", "Travail en lien avec le Département."],
    ),
]


# ---------------------------------------------------------------------------
# Lexicon, part 3: entries that fit no domain, mentions of a second domain and
# generic add-on sentences.
# ---------------------------------------------------------------------------

# Off-topic entries: non-answers, works and equipment with nothing digital for
# the public, and internal IT of the town hall (digital, but not a public
# service: the traps a keyword rule set has to survive).
NONE_ENTRY = dict(
    titles=["RAS", "Néant", "Travaux", "Divers", "-", "Autre", "Projets de l'année", "Investissements",
            "Réalisations {an}", "Autres actions"],
    nonanswer=[
        "néant", "Néant", "NEANT", "RAS", "R.A.S.", "Rien à signaler", "rien a signaler", "/", "-", "aucune", "Aucune",
        "pas de projet cette année", "Pas d'action numérique en {an}", "sans objet", "NC", "non concerné",
        "idem année précédente", "voir pièce jointe", "cf. mail envoyé le {date}", "Aucune initiative",
        "pas d'initiative numérique à ce jour", "Non", "à compléter", "xxx", "je ne sais pas",
        "voir avec le secrétariat", "questionnaire rempli l'an dernier", "Pas de budget pour cela",
    ],
    core=[
        "réfection de la voirie [rue des Écoles|chemin des Vignes|route de la Gare|impasse des Lilas] et [reprise des trottoirs|enfouissement des réseaux|pose de bordures].",
        "réfection de la toiture de l'église [Saint-Martin|Notre-Dame|Saint-Pierre] ([charpente et ardoises|couverture en tuiles|zinguerie]) : {montant} €.",
        "nouveau logiciel de gestion des ressources humaines et de la paie pour les agents [avec le centre de gestion|en remplacement de l'ancien|(carrières, congés, paie)].",
        "dématérialisation des bulletins de paie des agents [via le coffre-fort numérique|depuis {mois} {an_1}].",
        "passage à la nomenclature comptable M57 [et nouveau logiciel de comptabilité|avec formation des agents] au 1er janvier {an}.",
        "renouvellement du copieur [de la mairie|de l'école] [en location|avec contrat de maintenance].",
        "achat d'un [tracteur-tondeuse|camion benne|véhicule utilitaire électrique] pour les services techniques.",
        "changement de la chaudière [de la salle des fêtes|de la mairie|du groupe scolaire][ par une pompe à chaleur|] : {montant} €.",
        "extension du cimetière et création d'un columbarium[ de 12 cases|].",
        "aménagement d'un city-stade [près de l'école|au stade|derrière la salle polyvalente].",
        "isolation [de la toiture de l'école|des combles de la mairie] et remplacement des menuiseries.",
        "sauvegarde externalisée des serveurs de la mairie et mise à jour de l'antivirus des postes des agents.",
        "formation des agents au nouveau logiciel [de comptabilité|de gestion financière|de gestion du personnel].",
        "téléphonie IP [pour les services municipaux|entre la mairie et les ateliers] et renouvellement du standard.",
        "convocations dématérialisées des élus [aux séances du conseil|via un espace sécurisé] et parapheur électronique.",
        "télétransmission des actes au contrôle de légalité (@CTES) et des flux comptables (PES V2) à la trésorerie.",
        "mise aux normes électriques de la salle [des fêtes|polyvalente][ et du club-house|].",
        "réfection du mur du cimetière[ suite aux intempéries|].",
        "création d'un parking de [20|35|50] places [près de la salle polyvalente|en entrée de bourg].",
        "entretien des chemins ruraux et élagage [par une entreprise|en régie].",
        "remplacement des fenêtres de la mairie[ et de l'appartement communal|] : {montant} €.",
        "acquisition d'un terrain pour [le futur atelier municipal|une réserve foncière].",
        "travaux d'accessibilité PMR [des sanitaires publics|de la mairie] (rampe, portes automatiques).",
        "renouvellement des postes informatiques du secrétariat de mairie et passage à Windows 11.",
        "nettoyage et peinture des grilles de l'école pendant l'été.",
    ],
    detail=[
        "Travaux réalisés par [une entreprise locale|les services techniques|l'entreprise retenue après consultation].",
        "Subvention DETR de {pct} %.",
        "Fin des travaux prévue en {mois} {an_p1}{fin}",
        "Budget voté en conseil municipal.",
        "{statut}{fin}",
    ],
)

# Sentences that mention a second domain; any primary may carry one.
CROSS = {
    "acces": [
        "Un accompagnement est proposé aux personnes peu à l'aise avec le numérique.",
        "Les habitants sans ordinateur peuvent se faire aider par {animateur}.",
        "Le conseiller numérique [a formé les usagers|accompagne les premiers utilisateurs].",
        "Accès possible depuis le poste en libre-service {a_lieu}.",
        "Une séance de prise en main a été organisée [à l'EPN|{a_lieu}] pour les débutants.",
        "Les personnes éloignées du numérique sont orientées vers les ateliers d'initiation.",
    ],
    "communication": [
        "L'information est relayée sur le site internet et la page Facebook de la commune.",
        "Annonce dans [la newsletter|le bulletin municipal] et sur {outil_info}.",
        "Un QR code renvoie vers la page dédiée du site.",
        "Communication faite [sur les réseaux sociaux|sur le panneau lumineux|dans le bulletin municipal].",
        "Tout est expliqué sur le site de la ville ({url}).",
        "Les infos sont publiées sur l'appli {outil_info}.",
    ],
    "culture": [
        "En lien avec la médiathèque.",
        "Des ressources sont proposées par le réseau des bibliothèques.",
        "Un volet patrimoine est prévu avec l'association d'histoire locale.",
        "La médiathèque accueille une partie des séances.",
        "Une exposition à la bibliothèque a accompagné le projet.",
    ],
    "education": [
        "Les écoles de la commune [y participent|sont associées].",
        "Des séances sont organisées avec les classes de [CM1-CM2|CE2|maternelle].",
        "Ouvert aux jeunes de l'ALSH pendant les vacances.",
        "[Le service jeunesse et l'école sont associés|Le service jeunesse participe|L'accueil de loisirs participe].",
        "Les collégiens ont été associés au projet.",
    ],
    "demarches": [
        "Inscription en ligne via le portail citoyen.",
        "Paiement en ligne possible (PayFiP).",
        "Formulaire de demande [dématérialisé|disponible sur le site].",
        "Prise de rendez-vous en ligne [sur le site|24h/24].",
        "Les demandes se font désormais en ligne, sans se déplacer en mairie.",
        "Réservation et paiement en ligne.",
    ],
    "democratie": [
        "Le projet a fait l'objet d'une consultation en ligne des habitants.",
        "Idée proposée par le conseil municipal des jeunes (CMJ).",
        "Les données sont publiées en open data.",
        "Le projet est issu du budget participatif.",
        "Présenté en conseil municipal retransmis en direct.",
    ],
    "vie_quotidienne": [
        "Permet aussi de signaler les problèmes de voirie.",
        "On y trouve aussi le calendrier de collecte des déchets et les travaux.",
        "Les horaires des transports y sont intégrés.",
        "Utilisé aussi pour les alertes météo et les coupures d'eau.",
        "Des informations touristiques sont également disponibles.",
    ],
    "economie": [
        "En partenariat avec les commerçants et artisans locaux.",
        "Les entreprises du territoire sont associées.",
        "Ouvert aussi aux demandeurs d'emploi et aux télétravailleurs.",
        "Le tiers-lieu accueille une partie des activités.",
        "Mise en avant des commerces de proximité.",
    ],
    "solidarite": [
        "Une attention particulière est portée aux seniors.",
        "Action menée avec le CCAS.",
        "Adapté aux personnes en situation de handicap.",
        "Public prioritaire : personnes âgées isolées.",
        "Gratuit pour les bénéficiaires des minima sociaux.",
        "Accessible aux personnes à mobilité réduite.",
    ],
}

# Which second domains a primary domain tends to mention, with weights.
SECONDARY = {
    "acces": [("solidarite", 5), ("demarches", 3), ("education", 2), ("economie", 2), ("culture", 2), ("communication", 1)],
    "communication": [("democratie", 3), ("vie_quotidienne", 3), ("culture", 2), ("demarches", 2), ("acces", 1), ("solidarite", 1)],
    "culture": [("education", 4), ("communication", 3), ("acces", 2), ("demarches", 1), ("solidarite", 1)],
    "education": [("demarches", 4), ("acces", 2), ("culture", 2), ("communication", 2), ("solidarite", 1)],
    "demarches": [("communication", 3), ("acces", 3), ("solidarite", 2), ("vie_quotidienne", 1), ("education", 1)],
    "vie_quotidienne": [("communication", 3), ("demarches", 2), ("democratie", 2), ("solidarite", 1), ("economie", 1)],
    "democratie": [("communication", 4), ("vie_quotidienne", 2), ("education", 2), ("acces", 1)],
    "economie": [("acces", 3), ("communication", 3), ("vie_quotidienne", 1), ("solidarite", 1)],
    "solidarite": [("acces", 4), ("demarches", 3), ("communication", 1), ("vie_quotidienne", 1)],
}

# Generic sentences that fit any initiative.  The neutral ones (money,
# status, decisions) may also follow an off-topic entry.
ADDONS_NEUTRAL = [
    "Coût : {montant} € [TTC|HT].",
    "Budget : {montant} €[ (investissement)|, fonctionnement compris|].",
    "Financement : {financeur} ({pct} %) et commune.",
    "Projet subventionné à {pct} % par {financeur}.",
    "Subvention obtenue auprès {du_financeur}{fin}",
    "Statut : {statut}.",
    "{statut}{fin}",
    "Délibération du conseil municipal du {date_1}.",
    "Prestataire retenu après [consultation|appel d'offres] ({montant} €).",
]
ADDONS = ADDONS_NEUTRAL + [
    "Porté par {porteur}.",
    "Suivi par {porteur}[ en lien avec {partenaire}|].",
    "En partenariat avec {partenaire}.",
    "Bilan : {note_qualite}.",
    "{note_qualite}{fin}",
    "Difficultés : {diff}.",
    "Point de vigilance : {diff}.",
    "Nous souhaitons [étendre|développer|pérenniser] le dispositif en {an_p1}.",
    "Une évaluation est prévue [fin {an}|en {an_p1}].",
    "[Extension|Nouvelle phase] prévue en {an_p1}[ si les financements suivent|].",
    "Mis en place [en {an_deb}|depuis {an_deb}], reconduit chaque année.",
    "Action inscrite dans [le projet de mandat|la feuille de route numérique|le schéma numérique intercommunal].",
    "Dans le cadre du projet {nom_projet}.",
    "Projet [mutualisé|mené] avec les communes voisines.",
    "Contact : {porteur}.",
    "Objectif : {n_part} [bénéficiaires|utilisateurs] [→|->|:|=>] [atteint|presque atteint|dépassé]{fin}",
    "[✅|Statut :|État :|Avancement :|Etat d'avancement :|Où en est-on :|Situation :|Statut actuel :] {statut}.",
    "Indicateur suivi : nombre d'utilisateurs ([≥|>=|au moins|plus de] {n_part} visés).",
    "Aucune difficulté particulière{fin}",
    "Les élus ont été formés à l'outil.",
    "Plus d'infos sur {url}",
]

# Trade abbreviations an agent may use instead of the full words
# (whole-word replacements applied to some entries).
ABBREVIATIONS = (
    ("rendez-vous", "RDV", 0.35),
    ("communauté de communes", "CC", 0.3),
    ("conseil municipal", "CM", 0.15),
    ("informatique", "info", 0.06),
    ("numérique", "num.", 0.03),
    ("téléphone", "tél.", 0.4),
    ("environ", "env.", 0.2),
    ("semaine", "sem.", 0.05),
    ("personnes âgées", "PA", 0.05),
    (" pour ", " pr ", 0.01),
    ("maintenant", "mtn", 0.02),
    ("association", "asso", 0.1),
    ("application", "appli", 0.15),
    ("ordinateurs", "PC", 0.1),
)

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

# Why the initiative was started: context sentences, put before or after the
# core statement in longer entries.  An entry is a template, or a pair
# (template, "subtopic keys it fits"); a bare template fits the whole domain.
MOTIVES = {
    "acces": [
        ("Beaucoup d'habitants, surtout âgés, n'ont pas d'ordinateur ou ne savent pas s'en servir.", "epn ateliers mediation libre_service france_services evenements_acces"),
        ("Constat : de plus en plus de démarches se font en ligne et une partie de la population est en difficulté.", "epn ateliers mediation france_services libre_service"),
        "Objectif : que personne ne reste au bord de la route du numérique.",
        ("Le diagnostic du territoire montrait [un fort taux d'illectronisme|un manque d'équipement des foyers].", "epn ateliers mediation libre_service france_services"),
        ("La demande est forte depuis [la fermeture de la trésorerie|la crise sanitaire|la dématérialisation des services de l'État].", "epn ateliers mediation france_services"),
        ("L'idée est de rendre les habitants autonomes avec les outils numériques du quotidien.", "epn ateliers mediation fablab evenements_acces libre_service"),
        ("Sur notre territoire, l'accès à internet reste un enjeu[ majeur|].", "wifi fibre"),
        ("Des habitants et des entreprises se plaignaient de connexions très lentes.", "fibre"),
        ("Sans bon débit, impossible de télétravailler ou de suivre des cours à distance.", "fibre"),
        ("Les touristes et les jeunes réclamaient un accès wifi dans le centre.", "wifi"),
        ("Les personnes sans connexion à domicile n'avaient aucun endroit où aller.", "epn wifi libre_service"),
        ("L'idée est de faire découvrir la fabrication numérique et de réparer plutôt que jeter.", "fablab"),
    ],
    "communication": [
        "Objectif : mieux informer les habitants, notamment les nouveaux arrivants et les jeunes.",
        ("Le bulletin papier ne suffisait plus pour les informations urgentes.", "appli reseaux sms_info affichage newsletter"),
        "Nous voulions une information plus réactive et plus proche des habitants.",
        ("Les habitants nous demandaient d'être informés plus rapidement (travaux, fermetures, événements).", "appli reseaux sms_info affichage"),
        ("Il fallait moderniser l'image de la commune et toucher un public plus jeune.", "site reseaux video_radio appli"),
        ("L'ancien [site|outil] n'était plus à jour et difficile à lire sur téléphone.", "site appli"),
        ("Beaucoup d'affiches n'étaient lues par personne ; il fallait un relais vers le site.", "qr_rss affichage"),
    ],
    "culture": [
        "Objectif : rendre la culture et le patrimoine accessibles à tous, y compris à distance.",
        ("La bibliothèque souhaitait attirer de nouveaux publics, notamment les ados.", "mediatheque evenements_culture"),
        ("Le patrimoine de la commune est riche mais mal connu des habitants.", "patrimoine visites"),
        ("Il s'agit de préserver des documents fragiles tout en les rendant consultables.", "patrimoine"),
        ("L'équipe de la médiathèque voulait développer l'offre numérique après la crise sanitaire.", "mediatheque evenements_culture"),
        ("Les touristes et les habitants demandaient plus d'informations sur l'histoire de la commune.", "visites patrimoine"),
        ("Il fallait moderniser des équipements culturels vieillissants.", "ecole_musique_cine ressources_locales"),
        ("Les associations culturelles manquaient de visibilité.", "ressources_locales evenements_culture"),
    ],
    "education": [
        ("Les enseignants demandaient du matériel plus récent et fiable.", "equipement_ecoles ent"),
        ("Objectif : donner à tous les enfants les mêmes chances face au numérique.", "equipement_ecoles ent numerique_educatif"),
        ("L'équipement des écoles relève de la commune et le matériel avait plus de 10 ans.", "equipement_ecoles"),
        ("Il s'agit de simplifier la vie des familles et du service scolaire.", "portail_famille menus ent petite_enfance_jeunesse"),
        ("Les jeunes passent beaucoup de temps sur les écrans : il faut les accompagner.", "numerique_educatif"),
        ("Projet travaillé avec l'équipe enseignante et le conseil d'école.", "equipement_ecoles ent menus numerique_educatif"),
        ("Les parents réclamaient de pouvoir inscrire et payer à toute heure.", "portail_famille"),
        ("Les jeunes ne poussaient plus la porte du PIJ : il fallait aller vers eux.", "petite_enfance_jeunesse"),
    ],
    "demarches": [
        "Objectif : permettre aux habitants de faire leurs démarches sans se déplacer, 24h/24.",
        ("L'accueil de la mairie était saturé aux heures de pointe.", "portail_citoyen etat_civil_rdv relation_usager reservations_formulaires"),
        "Les horaires d'ouverture de la mairie ne conviennent pas aux actifs.",
        "Il s'agit de simplifier les démarches et de réduire les délais de traitement.",
        ("La dématérialisation devient obligatoire pour certaines procédures.", "urbanisme portail_citoyen etat_civil_rdv paiement"),
        "Moins de papier et un meilleur suivi des demandes pour les agents comme pour les usagers.",
    ],
    "vie_quotidienne": [
        ("Objectif : améliorer le cadre de vie et la réactivité des services techniques.", "signalement dechets energie_eau_air"),
        ("Les habitants voulaient un moyen simple de signaler les problèmes.", "signalement"),
        ("Il fallait réduire la facture énergétique de la commune.", "energie_eau_air"),
        ("La commune est exposée aux risques [d'inondation|de feux de forêt|de tempête] et doit pouvoir prévenir la population vite.", "alertes"),
        ("La mobilité est une vraie difficulté pour les habitants sans voiture.", "transports"),
        ("Il s'agit de mieux accueillir les visiteurs et de faire découvrir le territoire.", "tourisme"),
        ("Le centre manquait de places et les automobilistes tournaient longtemps.", "stationnement"),
        ("Les habitants demandaient plus de sécurité dans certains secteurs.", "tranquillite"),
        ("Les dépôts sauvages et les erreurs de tri coûtaient cher à la collectivité.", "dechets"),
    ],
    "democratie": [
        "Objectif : associer davantage les habitants aux décisions municipales.",
        ("Les réunions publiques attiraient toujours les mêmes personnes.", "consultation budget_participatif jeunes_quartiers"),
        "Nous voulions plus de transparence sur l'action municipale.",
        ("Il s'agit de donner la parole à ceux qui ne viennent pas aux réunions, notamment les jeunes et les actifs.", "consultation budget_participatif jeunes_quartiers conseil_retransmis"),
        "Engagement pris dans le programme de l'équipe municipale.",
    ],
    "economie": [
        "Objectif : maintenir l'activité et l'emploi sur le territoire.",
        ("Les commerces du centre ont souffert pendant la crise sanitaire.", "commerce"),
        ("De nombreux actifs font de longs trajets et souhaitent télétravailler près de chez eux.", "coworking"),
        ("Il s'agit d'attirer de nouvelles entreprises et de nouveaux habitants.", "attractivite coworking"),
        ("Les commerçants manquaient de visibilité sur internet.", "commerce"),
        ("Les entreprises locales peinent à recruter et les jeunes partent.", "emploi"),
    ],
    "solidarite": [
        ("Objectif : rompre l'isolement et faciliter l'accès aux droits des plus fragiles.", "seniors action_sociale"),
        ("De nombreuses personnes âgées vivent seules, loin de leur famille.", "seniors"),
        ("La commune souhaite être accessible à tous, quel que soit le handicap.", "handicap"),
        ("Le territoire manque de médecins et les délais de rendez-vous sont très longs.", "sante"),
        ("Le CCAS constatait un non-recours important aux aides.", "action_sociale"),
        ("La prévention reste le parent pauvre : il fallait mieux informer.", "sante"),
    ],
}

# Detail sentences shared by sub-topics of a domain (same notation as MOTIVES),
# merged into each sub-topic's own details.
DOMAIN_DETAILS = {
    "acces": [
        ("Les séances se déroulent {a_lieu}, dans une salle équipée de [{n_postes} postes|tablettes et ordinateurs portables].", "ateliers evenements_acces"),
        ("Public accueilli : surtout {public}, mais aussi [des actifs|des jeunes sans ordinateur|des personnes en recherche d'emploi].", "epn ateliers mediation france_services fablab"),
        ("Un questionnaire de satisfaction est rempli à la fin de chaque [session|cycle] ; {note_qualite}.", "ateliers evenements_acces mediation"),
        ("Le service est gratuit pour les habitants de la commune[ et des communes voisines|].", "epn ateliers mediation wifi france_services"),
        ("{n_part} personnes [ont été accompagnées|sont venues au moins une fois] [en {an_1}|l'an dernier|depuis l'ouverture].", "epn ateliers mediation france_services libre_service"),
    ],
    "communication": [
        "Les contenus sont préparés par {porteur} et validés par le maire avant publication.",
        ("Une charte graphique commune est utilisée pour [le site, l'appli et les réseaux|tous les supports].", "site appli reseaux newsletter video_radio affichage"),
        ("Les habitants peuvent réagir et poser leurs questions, [les réponses sont faites sous 48h|un agent modère].", "site reseaux appli"),
        ("L'audience est suivie [chaque mois|chaque trimestre] : [{n_part} visiteurs|{pct} % d'habitants touchés].", "site appli reseaux newsletter video_radio qr_rss"),
    ],
    "culture": [
        ("Les ressources sont accessibles [gratuitement|avec la carte de lecteur] [depuis chez soi|sur place].", "mediatheque patrimoine ressources_locales"),
        "Le projet a été construit avec [l'équipe de la médiathèque|les bénévoles de la bibliothèque|l'association patrimoine|le service culturel].",
        ("Des médiations sont proposées [aux scolaires|aux familles|aux seniors] pour découvrir ces ressources.", "mediatheque patrimoine visites evenements_culture"),
        "Soutien financier [de la DRAC|{du_financeur}][ dans le cadre d'un appel à projets|].",
    ],
    "education": [
        ("Le matériel est [mutualisé entre les classes|entretenu par la commune|sécurisé et filtré (contrôle parental)].", "equipement_ecoles numerique_educatif"),
        "Une réunion de présentation a été organisée avec les parents[ d'élèves|][ à la rentrée|].",
        ("Les animateurs du périscolaire et les ATSEM ont été associés au projet.", "portail_famille numerique_educatif menus"),
        ("Projet inscrit au PEDT et suivi en conseil d'école.", "equipement_ecoles ent numerique_educatif"),
    ],
    "demarches": [
        "Un guide pas à pas est disponible [sur le site|en mairie] pour les usagers.",
        "Les agents d'accueil ont été formés au nouvel outil.",
        "Les données personnelles sont traitées conformément au RGPD (registre tenu par le DPO mutualisé).",
        "[{pct} %|Près de la moitié] des demandes passent désormais par internet.",
    ],
    "vie_quotidienne": [
        ("Les informations sont mises à jour par les services techniques.", "signalement dechets energie_eau_air alertes"),
        "Le dispositif couvre [toute la commune|{ville_lieu}|les principaux axes|l'ensemble du territoire communal].",
        "Les habitants ont été informés par un courrier et sur le panneau de la mairie.",
        "Un bilan annuel est présenté à la commission cadre de vie.",
    ],
    "democratie": [
        ("Les résultats sont présentés en conseil municipal puis publiés.", "consultation budget_participatif jeunes_quartiers"),
        ("Une version papier est disponible en mairie pour ceux qui n'ont pas internet.", "consultation budget_participatif"),
        ("Participation : {n_part} [habitants|contributions|votants].", "consultation budget_participatif jeunes_quartiers"),
        "La démarche sera renouvelée[ chaque année|] et améliorée.",
    ],
    "economie": [
        ("Les commerçants et artisans ont été consultés en amont.", "commerce"),
        "Le dispositif est animé avec [la CCI|la chambre des métiers|l'union commerciale|{partenaire}].",
        ("[{n_part} entreprises|Une trentaine d'entreprises] et indépendants concernés.", "coworking attractivite emploi"),
    ],
    "solidarite": [
        ("Le CCAS identifie les bénéficiaires et fait le lien avec les familles.", "seniors action_sociale"),
        ("Les bénévoles ont suivi une courte formation.", "seniors action_sociale"),
        "Action financée [par le CCAS|par la conférence des financeurs|avec {financeur}].",
        ("[{n_part}|Une vingtaine de] personnes [en bénéficient|accompagnées].", "seniors action_sociale sante"),
    ],
}


def scoped(entries, key):
    """Templates of a MOTIVES / DOMAIN_DETAILS list that fit sub-topic `key`."""
    out = []
    for e in entries:
        if isinstance(e, tuple):
            if key in e[1].split():
                out.append(e[0])
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

    symbols = {k: plist(v) for k, v in SYMBOLS.items()}
    classes = {cls: {k: plist(v) for k, v in over.items()} for cls, over in CLASS_SYMBOLS.items()}
    subs = {}
    for dom in DOMAINS:
        for s in SUBTOPICS[dom]:
            for field in ("titles", "terse", "core"):
                if not s[field]:
                    raise ValueError("sub-topic %s/%s has no %s" % (dom, s["key"], field))
            if not scoped(MOTIVES[dom], s["key"]):
                raise ValueError("sub-topic %s/%s has no motive sentence" % (dom, s["key"]))
        subs[dom] = [dict(key=s["key"], w=s["w"], titles=plist(s["titles"]), terse=plist(s["terse"]),
                          core=plist(s["core"]),
                          detail=[_parse(t) for t in list(s["detail"]) + scoped(DOMAIN_DETAILS[dom], s["key"])],
                          motives=plist(scoped(MOTIVES[dom], s["key"])))
                     for s in SUBTOPICS[dom]]
    none = dict(titles=plist(NONE_ENTRY["titles"]), nonanswer=plist(NONE_ENTRY["nonanswer"]),
                core=plist(NONE_ENTRY["core"]), detail=[_parse(t) for t in NONE_ENTRY["detail"]])
    cross = {d: plist(v) for d, v in CROSS.items()}
    addons = [_parse(t) for t in ADDONS]
    neutral = [_parse(t) for t in ADDONS_NEUTRAL]
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
        for dom, pairs in SECONDARY.items():
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
        for long_form, short, p in ABBREVIATIONS:
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
