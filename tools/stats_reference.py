#!/usr/bin/python3
"""Independent reference values for tests/stats/statistics_test.cpp.

Computes, with SciPy and NumPy (Debian 12: `apt-get install python3-scipy`, SciPy 1.10.1) and
statsmodels (`apt-get install python3-statsmodels`, 0.13.5), every expected value the
statistics tests compare Baro's own implementation with, and prints them. The tests carry the printed values verbatim; this script is how they were obtained and
how to check them again. It is not run by the build or the tests.
"""
import math

import numpy as np
import statsmodels.api as sm
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

# Counts for the negative binomial regression (tests/stats/count_model_test.cpp): 40 communes
# drawn once (NumPy default_rng(15)) from the model itself, ln mu = -2 + 0.55 ln(population)
# + ln(0.7) for rural communes (population < 2,000), gamma-Poisson with alpha = 0.25; one
# zero count. The draws are written out so that the test does not depend on NumPy's generator.
NB_POPULATION = [15388, 35033, 1499, 202, 6847, 399, 18313, 1509, 3183, 102171, 27846, 42237, 6133, 81227,
                 170, 57210, 2030, 706, 5339, 82911, 1371, 65148, 3410, 96431, 24815, 28199, 1681, 7629,
                 790, 31548, 845, 13450, 248, 781, 1643, 474, 855, 578, 196, 1484]
NB_COUNTS = [54, 53, 2, 2, 13, 2, 57, 8, 6, 125, 31, 57, 39, 36, 2, 20, 9, 5, 27, 64, 9, 39, 11, 122,
             83, 79, 19, 14, 2, 50, 3, 28, 9, 8, 1, 0, 8, 5, 3, 3]


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


def exact_spearman(label, x, y):
    """Spearman's rho by the exact permutation test (every ordering of y), two-sided."""
    def rho(y_permuted):
        return stats.spearmanr(x, y_permuted).statistic
    result = stats.permutation_test((y,), rho, permutation_type="pairings", n_resamples=math.inf,
                                    alternative="two-sided")
    show(f"{label} spearman rho", result.statistic)
    show(f"{label} spearman exact p", result.pvalue)


def negative_binomial(label, population, counts, rural_below=2000):
    """NB2 by maximum likelihood (alpha included), then the GLM at that alpha for the
    expected-information standard errors Baro reports."""
    x = np.column_stack([np.ones(len(counts)), np.log(population),
                         (np.array(population) < rural_below).astype(float)])
    ml = sm.NegativeBinomial(np.array(counts, float), x, loglike_method="nb2").fit(
        method="newton", maxiter=200, tol=1e-12, disp=0)
    alpha = ml.params[-1]
    glm = sm.GLM(np.array(counts, float), x, family=sm.families.NegativeBinomial(alpha=alpha)).fit(tol=1e-14)
    show(f"{label} alpha", alpha)
    show(f"{label} loglik", ml.llf)
    show(f"{label} params", list(glm.params))
    show(f"{label} se", list(glm.bse))
    show(f"{label} p", list(glm.pvalues))
    low, high = glm.conf_int(1 - CONFIDENCE)[2]
    show(f"{label} rate ratio", math.exp(glm.params[2]))
    show(f"{label} rate ratio ci", (math.exp(low), math.exp(high)))


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
    print("# report fixture")
    correlation("fixture raw", FIXTURE_POPULATION, FIXTURE_INITIATIVES)
    correlation("fixture log", np.log(FIXTURE_POPULATION), np.log(FIXTURE_INITIATIVES))
    fit("fixture loglog", np.log(FIXTURE_POPULATION), np.log(FIXTURE_INITIATIVES))
    print("# Spearman, exact permutation p-values (n <= 10)")
    exact_spearman("three", [100, 200, 300], [1, 2, 3])
    exact_spearman("fixture", FIXTURE_POPULATION, FIXTURE_INITIATIVES)
    exact_spearman("ties", POPULATION[:8], INITIATIVES[:8])
    print("# negative binomial regression (NB2, log link) on ln(population) and rural")
    negative_binomial("nb", NB_POPULATION, NB_COUNTS)
    print("# quantiles (NumPy default: linear, Hyndman & Fan type 7)")
    for p in (0.0, 0.25, 0.5, 0.75, 1.0):
        show(f"initiatives q{p}", float(np.quantile(INITIATIVES, p)))


if __name__ == "__main__":
    main()
