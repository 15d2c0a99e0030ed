#!/usr/bin/env python3
"""The baseline `make bench` compares Baro with: what an analyst would write in Python 3.

It loads the same rule set (ruleset.json and the domain files, comments allowed), folds each
description the usual way (NFKD, combining marks dropped, lower case, œ/æ spelled out,
typographic apostrophes and dashes made plain), then applies the rules one by one with `re`:
a keyword rule becomes one regex with word boundaries, a regex rule is used as written, and a
rule whose `unless` veto matches does not count. A domain's score is the sum of the weights of
its rules that fired; the primary domain has the highest score, ties going to the domain
listed first. That is the same decision Baro makes, without its single-pass scanner.

    python3 bench/baseline_re.py --rules rules/fr FILE.csv [--limit N]

Prints one JSON object: rows, seconds (classification only, reading included), and how many
rows went to each primary domain. Standard library only.
"""

import argparse
import csv
import json
import os
import re
import sys
import time
import unicodedata

EXTRA_FOLDS = str.maketrans({
    "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i",
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\t": " ", "\n": " ", "\r": " ",
})


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(EXTRA_FOLDS)


def load_json_with_comments(path):
    # The rule files allow // comments outside strings.
    out, in_string, escaped, i = [], False, False, 0
    text = open(path, encoding="utf-8").read()
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        else:
            out.append(c)
        i += 1
    return json.loads("".join(out))


# Baro's word characters on folded text: ASCII letters and digits, and anything non-ASCII.
WORD = "[a-z0-9\u0080-\U0010ffff]"


def keyword_regex(keywords):
    alternatives = []
    for keyword in keywords:
        words = [w for w in re.split(r"[ '\-]+", fold(keyword)) if w]
        parts = [re.escape(w[:-1]) + WORD + "*" if w.endswith("*") else re.escape(w) for w in words]
        alternatives.append(r"[ '\-]+".join(parts))
    return "(?<!" + WORD + ")(?:" + "|".join(alternatives) + ")(?!" + WORD + ")"


def load_rules(folder):
    manifest = load_json_with_comments(os.path.join(folder, "ruleset.json"))
    domains = [d["id"] for d in manifest["domains"]]
    rules = []
    for position, d in enumerate(manifest["domains"]):
        for rule in load_json_with_comments(os.path.join(folder, d.get("file", d["id"] + ".json")))["rules"]:
            if "keywords" in rule:
                pattern = re.compile(keyword_regex(rule["keywords"]))
            else:
                pattern = re.compile(fold(rule["regex"]), re.IGNORECASE)
            vetoes = []
            if rule.get("unless"):
                vetoes.append(re.compile(keyword_regex(rule["unless"])))
            for p in rule.get("unless_regex", []):
                vetoes.append(re.compile(fold(p), re.IGNORECASE))
            rules.append((position, float(rule.get("weight", 1.0)), pattern, vetoes))
    return domains, rules


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", required=True, help="rule set folder (holds ruleset.json)")
    parser.add_argument("--limit", type=int, default=0, help="classify only the first N rows")
    parser.add_argument("file", help="CSV batch with a description column")
    args = parser.parse_args()

    domains, rules = load_rules(args.rules)
    counts = {d: 0 for d in domains}
    counts["-"] = 0
    start = time.perf_counter()
    rows = 0
    with open(args.file, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=";")
        for row in reader:
            text = fold(row["description"])
            scores = [0.0] * len(domains)
            fired = [False] * len(domains)
            for position, weight, pattern, vetoes in rules:
                if pattern.search(text) and not any(v.search(text) for v in vetoes):
                    scores[position] += weight
                    fired[position] = True
            best = None
            for d in range(len(domains)):
                if fired[d] and (best is None or scores[d] > scores[best]):
                    best = d
            counts[domains[best] if best is not None else "-"] += 1
            rows += 1
            if args.limit and rows >= args.limit:
                break
    seconds = time.perf_counter() - start
    json.dump({"rows": rows, "seconds": seconds, "primary": counts}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
