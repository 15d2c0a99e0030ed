#!/usr/bin/env python3
"""Would another way of adding up or breaking ties do better? (issue 19 item 2, issue 14 item 5)

Rescores what `baro explain --json --file` reports (each fired rule, its weight, domain and
matched spans) under other stacking and tie rules, without touching the engine, and prints
the correct primaries per file. Besides the files given, it splits real-tune.jsonl in two
halves A and B (stratified by gold domain, seeded), so that an idea read off one half can be
checked on the other. Run it on the tuning files only; docs/rules.md ("Stacking", "Ties and
precedence") has the results for rules/fr.

Usage: tools/measure_scoring.py [--baro build/bin/baro] [--rules rules/fr] [--seed 14019]
           [--split rules/fr/eval/real-tune.jsonl] FILE.jsonl...
"""

import argparse
import collections
import json
import os
import random
import subprocess
import tempfile


def split_halves(path, seed):
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    rnd = random.Random(seed)
    by_gold = collections.defaultdict(list)
    for r in rows:
        by_gold[r["gold"]].append(r)
    a, b = [], []
    for gold in sorted(by_gold, key=str):
        group = by_gold[gold]
        rnd.shuffle(group)
        half = (len(group) + 1) // 2 if len(a) <= len(b) else len(group) // 2
        a += group[:half]
        b += group[half:]
    return sorted(a, key=lambda r: r["id"]), sorted(b, key=lambda r: r["id"])


def explained(baro, rules, path):
    out = subprocess.run([baro, "explain", "--json", "--rules", rules, "--file", path],
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def groups_of_overlap(rules):
    parent = list(range(len(rules)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(rules)):
        for j in range(i + 1, len(rules)):
            if any(x["begin"] < y["end"] and y["begin"] < x["end"] for x in rules[i]["spans"] for y in rules[j]["spans"]):
                parent[find(i)] = find(j)
    groups = collections.defaultdict(list)
    for i, r in enumerate(rules):
        groups[find(i)].append(r)
    return list(groups.values())


def lead_end(text):
    raw = text.encode("utf-8")
    cuts = [i for i in (raw.find(b":"), raw.find(b";")) if i > 0]
    return min(cuts) if cuts else -1


def primary(record, order, v):
    by = collections.defaultdict(list)
    for r in record["rules"]:
        by[r["domain"]].append(r)
    if not by:
        return None
    end = lead_end(record["text"]) if v.get("lead") else -1
    scores, first = {}, {}
    for d, rules in by.items():
        def weight(r):
            w = r["weight"]
            if end >= 0 and any(s["begin"] < end for s in r["spans"]):
                w *= v["lead"]
            return w
        if v.get("overlap_once"):
            values = [max(weight(r) for r in g) for g in groups_of_overlap(rules)]
        else:
            values = [weight(r) for r in rules]
        values.sort(reverse=True)
        if "weak" in v:  # rules of weight <= v["weak"] count only the strongest of them
            strong = [w for w in values if w > v["weak"]]
            weak = [w for w in values if w <= v["weak"]]
            values = strong + weak[:1]
        if "plus" in v:
            score = values[0] + v["plus"] * sum(values[1:])
        elif "decay" in v:
            score = sum(w * v["decay"] ** k for k, w in enumerate(values))
        elif "cap" in v:
            score = min(sum(values), max(values[0], v["cap"]))
        else:
            score = sum(values)
        scores[d] = score
        strong_spans = [s["begin"] for r in rules if r["weight"] >= v.get("min_weight", 0) for s in r["spans"]]
        first[d] = min(strong_spans) if strong_spans else float("inf")
    top = max(scores.values())
    band = v.get("band", 0)
    tied = [d for d in order if d in scores and scores[d] >= top - band - 1e-9]
    ties = v.get("ties", "precedence")
    if ties == "first_mention":
        return min(tied, key=lambda d: (first[d], order.index(d)))
    if ties == "strongest":
        return min(tied, key=lambda d: (-max(r["weight"] for r in by[d]), first[d]))
    return tied[0]


VARIANTS = [
    ("sum, ties by precedence (the engine without the setting)", {}),
    ("ties by first mention", {"ties": "first_mention"}),
    ("ties: strongest single rule, then first mention", {"ties": "strongest"}),
    ("ties by first mention of a rule of weight >= 3", {"ties": "first_mention", "min_weight": 3}),
    ("first mention within 1 point of the top", {"ties": "first_mention", "band": 1}),
    ("first mention within 2 points of the top", {"ties": "first_mention", "band": 2}),
    ("overlapping rules of a domain count once", {"overlap_once": True}),
    ("overlapping once, then diminishing 0.5", {"overlap_once": True, "decay": 0.5}),
    ("strongest + 0.1 x the others", {"plus": 0.1}),
    ("strongest + 0.25 x the others", {"plus": 0.25}),
    ("strongest + 0.5 x the others", {"plus": 0.5}),
    ("diminishing 0.5", {"decay": 0.5}),
    ("capped at max(6, strongest)", {"cap": 6}),
    ("capped at max(4, strongest)", {"cap": 4}),
    ("weight <= 1 rules: only the strongest counts", {"weak": 1}),
    ("weight <= 2 rules: only the strongest counts", {"weak": 2}),
    ("lead (before the first : or ;) x1.5", {"lead": 1.5}),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baro", default="build/bin/baro")
    parser.add_argument("--rules", default="rules/fr")
    parser.add_argument("--split", default="rules/fr/eval/real-tune.jsonl")
    parser.add_argument("--seed", type=int, default=14019)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()

    manifest = json.loads("\n".join(line for line in open(os.path.join(args.rules, "ruleset.json"), encoding="utf-8")
                                    if not line.lstrip().startswith("//")))
    order = manifest.get("precedence") or [d["id"] for d in manifest["domains"]]

    data = collections.OrderedDict()
    with tempfile.TemporaryDirectory() as tmp:
        for name, half in zip(("A", "B"), split_halves(args.split, args.seed)):
            path = os.path.join(tmp, name + ".jsonl")
            with open(path, "w", encoding="utf-8") as f:
                for r in half:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
            data[name] = (half, explained(args.baro, args.rules, path))
        for path in args.files:
            rows = [json.loads(line) for line in open(path, encoding="utf-8")]
            data[os.path.basename(path)] = (rows, explained(args.baro, args.rules, path))

    print(f"{'variant':58}" + "".join(f"{name:>16}" for name in data))
    print(f"{'descriptions':58}" + "".join(f"{len(rows):>16}" for rows, _ in data.values()))
    for label, v in VARIANTS:
        cells = []
        for rows, records in data.values():
            right = 0
            for row, record in zip(rows, records):
                record["text"] = row["description"]
                right += primary(record, order, v) == record.get("gold")
            cells.append(right)
        print(f"{label:58}" + "".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
