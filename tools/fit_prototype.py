#!/usr/bin/env python3
"""Cross-validated comparison of scoring models for the rules' firings (issues 14 and 19).

Question: do weights learnt from coded descriptions -- on the rules that fired and on the
folded words -- give the coders' primary domain more often than the hand-set scores, on REAL
descriptions? Selection is by repeated stratified k-fold cross-validation on the tuning
files only (tune.jsonl + real-tune.jsonl); the held-out files are never read here.

Every model keeps the engine's candidates: only domains with at least one fired rule can be
the primary (so "unclassified" and the labels do not change, only which candidate wins).
The learnt models are a multinomial logistic regression over the candidates,

    s_d = a * hand_d + b_d + sum_r fired_r * W[r, d] + sum_w word_w * V[w, d]

with a (scale of the hand-set score) and b (per-domain offset) free, and L2 on W and V
(1 / (2 C) * ||.||^2): with little data the model stays the hand-set scores, so the
regularisation pulls toward the maintainers' solution, not toward zero. Real examples can
weigh more in the loss (--real-weight). Descriptions whose gold domain is not a candidate
cannot be taught (they count as errors in the accuracy).

    sudo apt-get install -y python3-sklearn   # numpy, scipy (sklearn only for the folds)
    python3 tools/fit_features.py --baro build/bin/baro --rules rules/fr \
        rules/fr/eval/tune.jsonl rules/fr/eval/real-tune.jsonl > /tmp/features.jsonl
    python3 tools/fit_prototype.py /tmp/features.jsonl
"""
import argparse
import collections
import json
import re
import sys

import numpy as np
from scipy.optimize import minimize
from sklearn.model_selection import StratifiedKFold


def load(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if r["gold"]]


TOKEN = re.compile(r"[a-z0-9]+")


def words(text, bigrams):
    toks = [t for t in TOKEN.findall(text) if len(t) > 1]
    out = set(toks)
    if bigrams:
        out.update(a + " " + b for a, b in zip(toks, toks[1:]))
    return out


class Data:
    def __init__(self, rows, domains, bigrams):
        self.rows = rows
        self.domains = domains
        self.dindex = {d: i for i, d in enumerate(domains)}
        n, D = len(rows), len(domains)
        self.hand = np.zeros((n, D))
        self.cand = np.zeros((n, D), dtype=bool)
        self.gold = np.array([self.dindex[r["gold"]] for r in rows])
        self.real = np.array([r["file"].endswith("real-tune.jsonl") for r in rows])
        self.hand_primary = np.array([self.dindex[r["primary"]] if r["primary"] else -1 for r in rows])
        self.rule_sets = [sorted({f["id"] for f in r["fired"]}) for r in rows]
        self.word_sets = [words(r["normalized"], bigrams) for r in rows]
        for i, r in enumerate(rows):
            for d, s in r["scores"].items():
                self.hand[i, self.dindex[d]] = s
                self.cand[i, self.dindex[d]] = True


def design(data, train_idx, use_rules, use_words, min_count):
    """Column vocabulary from the training fold only (rules or words seen >= min_count)."""
    counts = collections.Counter()
    for i in train_idx:
        if use_rules:
            counts.update("r:" + x for x in data.rule_sets[i])
        if use_words:
            counts.update("w:" + x for x in data.word_sets[i])
    vocab = sorted(k for k, c in counts.items() if c >= (1 if k.startswith("r:") else min_count))
    col = {k: j for j, k in enumerate(vocab)}
    X = np.zeros((len(data.rows), len(vocab)))
    for i in range(len(data.rows)):
        feats = []
        if use_rules:
            feats += ["r:" + x for x in data.rule_sets[i]]
        if use_words:
            feats += ["w:" + x for x in data.word_sets[i]]
        for k in feats:
            j = col.get(k)
            if j is not None:
                X[i, j] = 1.0
    return X, vocab


def fit(data, idx, X, C, real_weight, word_scale, vocab):
    """Minimise weighted negative log-likelihood over candidates + L2 on W."""
    D = len(data.domains)
    F = X.shape[1]
    teach = [i for i in idx if data.cand[i, data.gold[i]]]
    Xt, Ht, Mt, Gt = X[teach], data.hand[teach], data.cand[teach], data.gold[teach]
    wt = np.where(data.real[teach], real_weight, 1.0)
    # Per-column penalty: words may be regularised harder than rules.
    pen = np.array([1.0 if k.startswith("r:") else word_scale for k in vocab]) / C
    Y = np.zeros_like(Ht)
    Y[np.arange(len(teach)), Gt] = 1.0

    def unpack(theta):
        return theta[0], theta[1:1 + D], theta[1 + D:].reshape(F, D)

    def loss(theta):
        a, b, W = unpack(theta)
        S = a * Ht + b + Xt @ W
        S = np.where(Mt, S, -np.inf)
        m = S.max(axis=1, keepdims=True)
        E = np.where(Mt, np.exp(S - m), 0.0)
        Z = E.sum(axis=1, keepdims=True)
        P = E / Z
        nll = np.sum(wt * (np.log(Z[:, 0]) + m[:, 0] - np.sum(np.where(Mt, S, 0.0) * Y, axis=1)))
        G = (P - Y) * wt[:, None]
        ga = np.sum(G * Ht)
        gb = G.sum(axis=0)
        gW = Xt.T @ G + pen[:, None] * W
        reg = 0.5 * np.sum(pen[:, None] * W * W)
        return nll + reg, np.concatenate([[ga], gb, gW.ravel()])

    theta0 = np.zeros(1 + D + F * D)
    theta0[0] = 1.0
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return unpack(res.x)


def predict(data, idx, X, params):
    a, b, W = params
    S = a * data.hand[idx] + b + X[idx] @ W
    # An exact tie keeps the engine's choice (precedence) by preferring the hand primary.
    S = np.where(data.cand[idx], S, -np.inf)
    pred = S.argmax(axis=1)
    pred[~data.cand[idx].any(axis=1)] = -1
    return pred


MODELS = {
    # name: (use_rules, use_words)
    "hand+offsets": (False, False),
    "hand+rules": (True, False),
    "hand+words": (False, True),
    "hand+rules+words": (True, True),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("features")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--costs", default="0.03,0.1,0.3,1,3")
    parser.add_argument("--real-weights", default="1,3")
    parser.add_argument("--word-scales", default="1,3")
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--bigrams", action="store_true")
    parser.add_argument("--models", default=",".join(MODELS))
    args = parser.parse_args()
    rows = load(args.features)
    domains = sorted({r["gold"] for r in rows} | {d for r in rows for d in r["scores"]})
    data = Data(rows, domains, args.bigrams)
    n = len(rows)
    # Stratify by (real or synthetic, gold) so every fold holds its share of real descriptions.
    strata = np.array([("R" if data.real[i] else "S") + rows[i]["gold"] for i in range(n)])
    folds = []
    for rep in range(args.repeats):
        skf = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=1000 + rep)
        folds += [(rep, tr, te) for tr, te in skf.split(np.zeros(n), strata)]

    def summary(name, preds_per_rep):
        # preds_per_rep: list (repeat) of full prediction vectors (every item predicted once).
        real_acc = [np.mean(p[data.real] == data.gold[data.real]) for p in preds_per_rep]
        syn_acc = [np.mean(p[~data.real] == data.gold[~data.real]) for p in preds_per_rep]
        all_acc = [np.mean(p == data.gold) for p in preds_per_rep]
        # Fold-to-fold spread of the real-fold accuracy difference against hand.
        return (f"{name:44s} real {100*np.mean(real_acc):5.1f} (reps {' '.join(f'{100*x:.1f}' for x in real_acc)})"
                f"  synth {100*np.mean(syn_acc):5.1f}  all {100*np.mean(all_acc):5.1f}")

    hand_pred = data.hand_primary.copy()
    print(f"{n} labelled descriptions ({data.real.sum()} real), {args.repeats}x{args.folds}-fold, "
          f"strata = source x gold; accuracy averaged over repeats")
    print(summary("hand-set scores (the engine's primary)", [hand_pred] * args.repeats))
    hand_real_fold = {}
    for k, (rep, tr, te) in enumerate(folds):
        r = te[data.real[te]]
        hand_real_fold[k] = np.mean(hand_pred[r] == data.gold[r])

    for model in args.models.split(","):
        use_rules, use_words = MODELS[model]
        for C in [float(c) for c in args.costs.split(",")]:
            for rw in [float(x) for x in args.real_weights.split(",")]:
                for ws in ([float(x) for x in args.word_scales.split(",")] if use_words else [1.0]):
                    preds = [np.full(n, -2) for _ in range(args.repeats)]
                    diffs = []
                    for k, (rep, tr, te) in enumerate(folds):
                        X, vocab = design(data, tr, use_rules, use_words, args.min_count)
                        params = fit(data, tr, X, C, rw, ws, vocab)
                        preds[rep][te] = predict(data, te, X, params)
                        r = te[data.real[te]]
                        diffs.append(np.mean(preds[rep][r] == data.gold[r]) - hand_real_fold[k])
                    label = f"{model} C={C:g} real_w={rw:g}" + (f" word_pen={ws:g}" if use_words else "")
                    d = 100 * np.array(diffs)
                    hand_ok = hand_pred[data.real] == data.gold[data.real]
                    fixed = np.mean([np.sum(~hand_ok & (p[data.real] == data.gold[data.real])) for p in preds])
                    broken = np.mean([np.sum(hand_ok & (p[data.real] != data.gold[data.real])) for p in preds])
                    print(summary(label, preds) + f"  real-fold gain {d.mean():+.1f} ± {d.std(ddof=1):.1f} (sd over {len(d)} folds)"
                          f"  real fixed {fixed:.1f} broken {broken:.1f}")
                    sys.stdout.flush()


if __name__ == "__main__":
    main()
