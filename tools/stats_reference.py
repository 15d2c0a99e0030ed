#!/usr/bin/python3
"""Independent reference values for tests/stats/statistics_test.cpp.

Computes, with SciPy and NumPy (Debian 12: `apt-get install python3-scipy`, SciPy 1.10.1),
every expected value the statistics tests compare Baro's own implementation with, and prints
them. The tests carry the printed values verbatim; this script is how they were obtained and
how to check them again. It is not run by the build or the tests.
"""
import math

import numpy as np
from scipy import stats

CONFIDENCE = 0.95

# Anscombe (1973), "Graphs in Statistical Analysis", The American Statistician 27(1), data set I.
ANSCOMBE_X = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5]
ANSCOMBE_Y1 = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68]

# Populations and initiative counts shaped like the barometer's data, with ties in both.
POPULATION = [312, 845, 845, 1520, 1980, 2400, 3100, 5800, 5800, 12000, 24500, 51000, 98000, 515000]
INITIATIVES = [1, 2, 1, 3, 2, 2, 4, 6, 3, 11, 9, 21, 30, 120]

# The report fixture of tests/stats/report_test.cpp: six communes with a known population.
FIXTURE_POPULATION = [400, 400, 1600, 1600, 6400, 6400]
FIXTURE_INITIATIVES = [2, 4, 4, 8, 8, 16]

# Two samples with ties within and across them (residuals of rural and urban communes).
RURAL = [-0.8, -0.35, -0.35, -0.1, 0.0, 0.2, -0.6, -0.35]
URBAN = [0.1, 0.0, 0.45, -0.1, 0.3, 0.7, 0.2, 0.55, 0.0]


def show(name, value):
    print(f"{name:32} {value!r}")


def correlation(label, x, y):
    r = stats.pearsonr(x, y)
    ci = r.confidence_interval(CONFIDENCE)
    show(f"{label} pearson r", r.statistic)
    show(f"{label} pearson p", r.pvalue)
    show(f"{label} pearson ci", (ci.low, ci.high))
    rho = stats.spearmanr(x, y)
    show(f"{label} spearman rho", rho.statistic)
    show(f"{label} spearman p", rho.pvalue)


def fit(label, x, y):
    f = stats.linregress(x, y)
    n = len(x)
    t = stats.t.ppf(1 - (1 - CONFIDENCE) / 2, n - 2)
    show(f"{label} slope", f.slope)
    show(f"{label} intercept", f.intercept)
    show(f"{label} r2", f.rvalue ** 2)
    show(f"{label} slope se", f.stderr)
    show(f"{label} intercept se", f.intercept_stderr)
    show(f"{label} slope ci", (f.slope - t * f.stderr, f.slope + t * f.stderr))
    show(f"{label} intercept ci", (f.intercept - t * f.intercept_stderr, f.intercept + t * f.intercept_stderr))
    show(f"{label} slope p", f.pvalue)
    tint = f.intercept / f.intercept_stderr
    show(f"{label} intercept p", 2 * stats.t.sf(abs(tint), n - 2))
    resid = np.array(y) - (f.intercept + f.slope * np.array(x))
    show(f"{label} residual se", math.sqrt((resid ** 2).sum() / (n - 2)))


def main():
    print("# Anscombe I")
    correlation("anscombe", ANSCOMBE_X, ANSCOMBE_Y1)
    fit("anscombe", ANSCOMBE_X, ANSCOMBE_Y1)
    print("# barometer-shaped sample (raw and natural logs)")
    correlation("raw", POPULATION, INITIATIVES)
    lx, ly = np.log(POPULATION), np.log(INITIATIVES)
    correlation("log", lx, ly)
    fit("loglog", lx, ly)
    show("ranks population", list(stats.rankdata(POPULATION)))
    show("ranks initiatives", list(stats.rankdata(INITIATIVES)))
    print("# Mann-Whitney U, asymptotic, tie and continuity corrections")
    mw = stats.mannwhitneyu(RURAL, URBAN, alternative="two-sided", method="asymptotic", use_continuity=True)
    show("mw u1", mw.statistic)
    show("mw p", mw.pvalue)
    print("# report fixture")
    correlation("fixture raw", FIXTURE_POPULATION, FIXTURE_INITIATIVES)
    correlation("fixture log", np.log(FIXTURE_POPULATION), np.log(FIXTURE_INITIATIVES))
    fit("fixture loglog", np.log(FIXTURE_POPULATION), np.log(FIXTURE_INITIATIVES))
    half = math.log(2) / 2
    mw = stats.mannwhitneyu([-half] * 3, [half] * 3, alternative="two-sided", method="asymptotic")
    show("fixture mw u1", mw.statistic)
    show("fixture mw p", mw.pvalue)
    print("# quantiles (NumPy default: linear, Hyndman & Fan type 7)")
    for p in (0.0, 0.25, 0.5, 0.75, 1.0):
        show(f"initiatives q{p}", float(np.quantile(INITIATIVES, p)))


if __name__ == "__main__":
    main()
