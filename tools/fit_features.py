#!/usr/bin/env python3
"""Dump, for each labelled description of the TUNING files, what the real `baro` binary
sees: the rules that fired for each candidate domain (with their hand-set weights), the
hand-set scores, the engine's primary domain and the folded text.

It reads the firings from `baro eval --cell GOLD:PREDICTED` (one call per non-empty cell of
the confusion matrix, diagonal included), so the rule set is compiled a few dozen times, not
once per description. Used by tools/fit_prototype.py (issues 14 and 19). It refuses the
held-out files: never extract features from real-test.jsonl or test.jsonl.

    python3 tools/fit_features.py --baro build/bin/baro --rules rules/fr \
        rules/fr/eval/tune.jsonl rules/fr/eval/real-tune.jsonl > /tmp/features.jsonl
"""
import argparse
import json
import re
import subprocess
import sys
import unicodedata

HELD_OUT = ("real-test.jsonl", "/test.jsonl")
ENTRY = re.compile(r"^  (\S+)  (\S+):(\d+)$")
CANDIDATE = re.compile(r"^    (\S+)\s+(-?[0-9.]+)  (.*)$")
RULE = re.compile(r"(\S+) \((-?[0-9.]+)\)")


def fold(text):
    """Lower case without accents: close to the engine's folding, enough for word features."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def run(baro, *args):
    return subprocess.run([baro, *args], check=True, capture_output=True, text=True).stdout


def cell_entries(baro, rules, path, gold, predicted):
    """{line number: {"scores": {...}, "fired": [...]}} of one confusion cell."""
    out = run(baro, "eval", "--rules", rules, "--cell", f"{gold}:{predicted}", path)
    entries, current = {}, None
    for line in out.splitlines():
        m = ENTRY.match(line)
        if m:
            current = {"scores": {}, "fired": []}
            entries[int(m.group(3))] = current
            continue
        m = CANDIDATE.match(line)
        if m and current is not None and not line.startswith("    \""):
            domain = m.group(1)
            current["scores"][domain] = float(m.group(2))
            for rule_id, weight in RULE.findall(m.group(3)):
                current["fired"].append({"id": rule_id, "domain": domain, "weight": float(weight)})
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baro", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    for path in args.files:
        if path.endswith(HELD_OUT):
            sys.exit(f"{path} is held out: never extract features from it")
        summary = json.loads(run(args.baro, "eval", "--rules", args.rules, "--json", path))
        labels = summary["confusion"]["labels"]
        by_line = {}
        for g, row in enumerate(summary["confusion"]["matrix"]):
            for p, count in enumerate(row):
                if count and labels[g] is not None:
                    predicted = labels[p] if labels[p] is not None else "none"
                    for line, entry in cell_entries(args.baro, args.rules, path, labels[g], predicted).items():
                        entry["primary"] = labels[p]
                        by_line[line] = entry
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                entry = json.loads(line)
                if not entry.get("gold"):
                    continue
                seen = by_line.get(number, {"scores": {}, "fired": [], "primary": None})
                print(json.dumps({"file": path, "line": number, "id": entry.get("id"), "gold": entry["gold"],
                                  "also": entry.get("also", []), "normalized": fold(entry["description"]),
                                  **seen}, ensure_ascii=False))


if __name__ == "__main__":
    main()
