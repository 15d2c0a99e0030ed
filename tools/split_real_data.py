#!/usr/bin/env python3
"""Freeze the tuning / test split of the real coded initiatives.

The real data (data/real/real-initiatives-dev.jsonl) is the only labelled text
that nobody on the project wrote, so it is the only honest measure of the rules.
To keep that measure honest, half of it is set aside *before any tuning* and is
never read while rules or weights are changed (rules/fr/eval/README.md).

The split is stratified by the first coder's primary domain and, inside a
domain, by the coder's confidence, so that both halves hold the same mix of
domains and of hard cases. It is seeded: running this script again rewrites the
same two files byte for byte, which `--check` verifies (CTest runs it).

Usage: tools/split_real_data.py [--check]
"""

import argparse
import collections
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "real" / "real-initiatives-dev.jsonl"
TUNE = ROOT / "rules" / "fr" / "eval" / "real-tune.jsonl"
TEST = ROOT / "rules" / "fr" / "eval" / "real-test.jsonl"
SEED = 20261205
CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}


def split(records):
    """Returns (tune, test). Within each (domain, confidence) stratum the records
    are shuffled with one seeded generator and dealt alternately; the first card of
    each stratum goes to whichever half is currently smaller for that domain, so
    odd strata do not all fall on the same side."""
    rng = random.Random(SEED)
    strata = collections.defaultdict(list)
    for r in records:
        strata[(r["gold"], CONFIDENCE_ORDER[r["confidence"]])].append(r)
    tune, test = [], []
    per_domain = collections.Counter()  # tune minus test, per domain
    for key in sorted(strata):
        members = sorted(strata[key], key=lambda r: r["id"])
        rng.shuffle(members)
        to_tune = per_domain[key[0]] <= 0
        for r in members:
            (tune if to_tune else test).append(r)
            per_domain[key[0]] += 1 if to_tune else -1
            to_tune = not to_tune
    return sorted(tune, key=lambda r: r["id"]), sorted(test, key=lambda r: r["id"])


def render(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="verify that the committed split is the one this script makes")
    args = parser.parse_args()
    records = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines() if line]
    tune, test = split(records)
    wanted = {TUNE: render(tune), TEST: render(test)}
    if args.check:
        stale = [p for p, text in wanted.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"{p.relative_to(ROOT)} is not the frozen split: never edit it by hand", file=sys.stderr)
        return 1 if stale else 0
    for path, text in wanted.items():
        path.write_text(text, encoding="utf-8")
    counts = lambda rs: dict(sorted(collections.Counter(r["gold"] for r in rs).items()))
    print(f"tune {len(tune)} {counts(tune)}\ntest {len(test)} {counts(test)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
