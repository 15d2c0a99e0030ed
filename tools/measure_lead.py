#!/usr/bin/env python3
"""Does evidence in the lead of a description count more? (issue 14, item 5)

Real descriptions often name the object first and its contents after
(« Appli X : menus, travaux, agenda… »). This script measures, on labelled files,
what the primary accuracy would be if the rules whose matched words fall in the
lead counted more: the lead is the text before the first `:` or `;`, or, for the
"first N words" variants, the first N words when there is neither. It asks
`baro explain --json` for the matched spans of every description (one call each:
a few minutes for 500 descriptions) and rescores them with hand-set weights summed,
ties to the rule set's precedence list. Run it on the tuning files only; docs/rules.md
("The bundled set's figures") has the result for rules/fr.

Usage: tools/measure_lead.py [--baro build/bin/baro] [--rules rules/fr] FILE.jsonl...
"""

import argparse
import json
import subprocess


def lead_end(text, words):
    """Byte offset where the lead ends, or -1 when there is none."""
    raw = text.encode("utf-8")
    cuts = [i for i in (raw.find(b":"), raw.find(b";")) if i > 0]
    if cuts:
        return min(cuts)
    if words is None:
        return -1
    return len(" ".join(text.split()[:words]).encode("utf-8"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baro", default="build/bin/baro")
    parser.add_argument("--rules", default="rules/fr")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    manifest = json.loads("\n".join(
        line for line in open(f"{args.rules}/ruleset.json", encoding="utf-8")
        if not line.lstrip().startswith("//")))
    order = manifest.get("precedence") or [d["id"] for d in manifest["domains"]]

    rows = []
    for name in args.files:
        for line in open(name, encoding="utf-8"):
            record = json.loads(line)
            out = subprocess.run([args.baro, "explain", "--json", "--rules", args.rules, record["description"]],
                                 capture_output=True, text=True, check=True).stdout
            rows.append((record, json.loads(out)))

    print("lead            factor  right  of")
    for words in (None, 4, 6):
        for factor in (1.0, 1.5, 2.0, 3.0):
            right = 0
            for record, explained in rows:
                end = lead_end(record["description"], words)
                scores = {}
                for rule in explained["rules"]:
                    weight = rule["weight"]
                    if end >= 0 and any(span["begin"] < end for span in rule["spans"]):
                        weight *= factor
                    scores[rule["domain"]] = scores.get(rule["domain"], 0.0) + weight
                best = None
                for domain in order:  # strictly greater: ties stay with the earlier domain
                    if domain in scores and (best is None or scores[domain] > scores[best]):
                        best = domain
                right += best == record["gold"]
            lead = "before : or ;" if words is None else f"or {words} words"
            print(f"{lead:15} {factor:6.1f}  {right:5}  {len(rows)}")


if __name__ == "__main__":
    main()
