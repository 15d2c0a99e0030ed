// The arithmetic of a validation sample (core/src/stats/validation_stats.hpp and
// baro/validation.hpp's allocate_sample): each expected value is worked out by hand in the
// comment beside it.
#include <catch2/catch.hpp>

#include "baro/validation.hpp"
#include "stats/validation_stats.hpp"

using baro::allocate_sample;
using baro::stats::CodedRow;

TEST_CASE("a sample is allocated in proportion to the strata, by largest remainders", "[stats][validation]") {
  // 20 of 45: exact shares 11.56, 3.56, 1.78, 1.33, 1.78; floors 11 3 1 1 1 (17), the three
  // left go to the largest remainders (1.78, 1.78, then 11.56 before 3.56: equal fractions,
  // the earlier stratum first), then the stratum of 3 takes its minimum of 2 from the largest.
  CHECK(allocate_sample({26, 8, 4, 3, 0, 4}, 20) == std::vector<std::int64_t>{11, 3, 2, 2, 0, 2});
}

TEST_CASE("every non-empty stratum gets at least two draws, or all it has", "[stats][validation]") {
  // 10 of 1000: proportional gives 10, 0, 0; the minimums take 2 + 1 from the big stratum.
  CHECK(allocate_sample({997, 2, 1}, 10) == std::vector<std::int64_t>{7, 2, 1});
}

TEST_CASE("a sample as large as the run is the whole run", "[stats][validation]") {
  CHECK(allocate_sample({5, 0, 3}, 200) == std::vector<std::int64_t>{5, 0, 3});
}

TEST_CASE("Cohen's kappa of two coders, worked by hand", "[stats][validation]") {
  // Agreement 8 of 10; each coder says category 1 five times: chance agreement 0.5, so
  // kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6.
  const std::vector<std::size_t> first = {0, 0, 1, 1, 0, 1, 0, 0, 1, 1};
  const std::vector<std::size_t> second = {0, 0, 1, 0, 0, 1, 1, 0, 1, 1};
  REQUIRE(baro::stats::cohen_kappa(2, first, second));
  CHECK(*baro::stats::cohen_kappa(2, first, second) == Approx(0.6).epsilon(1e-12));
  // Both coders always say the same single category: chance agreement is 1, kappa undefined.
  CHECK_FALSE(baro::stats::cohen_kappa(2, {0, 0, 0}, {0, 0, 0}));
}

TEST_CASE("corrected shares redistribute each predicted count by the confusion of its stratum", "[stats][validation]") {
  // Categories 0, 1, 2 (2: none). Predicted counts 60, 30, 10. Stratum 0: 4 coded rows, 3
  // right and 1 truly category 1; stratum 1: 2 rows, both right; stratum 2: 2 rows, one truly 0.
  // True 0: 60 * 3/4 + 10 * 1/2 = 50; true 1: 60 * 1/4 + 30 = 45; none: 10 * 1/2 = 5.
  const std::vector<CodedRow> rows = {{0, 0, {}}, {0, 0, {}}, {0, 0, {}}, {0, 1, {}},
                                      {1, 1, {}}, {1, 1, {}}, {2, 0, {}}, {2, 2, {}}};
  const auto shares = baro::stats::corrected_shares(3, {60, 30, 10}, rows);
  REQUIRE(shares.size() == 3);
  CHECK(shares[0].share == Approx(0.50).epsilon(1e-12));
  CHECK(shares[1].share == Approx(0.45).epsilon(1e-12));
  CHECK(shares[2].share == Approx(0.05).epsilon(1e-12));
  for (const auto& s : shares) {
    CHECK(s.ci_low <= s.share);
    CHECK(s.share <= s.ci_high);
  }
  // Category 1's stratum was always right, so its resamples only move with stratum 0's
  // rows: 30 plus 0, 15, 30, 45 or 60 of them; the interval stays within those bounds.
  CHECK(shares[1].ci_low >= 0.30 - 1e-12);
  CHECK(shares[1].ci_high <= 0.90 + 1e-12);
}

TEST_CASE("the bootstrap is seeded: the same inputs give the same interval", "[stats][validation]") {
  const std::vector<CodedRow> rows = {{0, 0, {}}, {0, 1, {}}, {0, 0, {}}, {1, 1, {}}, {1, 0, {}}};
  const auto a = baro::stats::corrected_shares(2, {70, 30}, rows);
  const auto b = baro::stats::corrected_shares(2, {70, 30}, rows);
  CHECK(a[0].ci_low == b[0].ci_low);
  CHECK(a[0].ci_high == b[0].ci_high);
}

TEST_CASE("a stratum without a coded row is taken as classified right", "[stats][validation]") {
  const auto shares = baro::stats::corrected_shares(2, {80, 20}, {{0, 0, {}}, {0, 0, {}}});
  CHECK(shares[0].share == Approx(0.8).epsilon(1e-12));
  CHECK(shares[1].share == Approx(0.2).epsilon(1e-12));
}

TEST_CASE("recall is weighted by the strata, precision is not", "[stats][validation]") {
  // Stratum 0 (N = 90): 2 rows, one truly 1. Stratum 1 (N = 10): 2 rows, both right.
  // Each row of stratum 0 stands for 45 initiatives, of stratum 1 for 5: recall of 1 is
  // 10 / (45 + 10); its precision is 2 / 2; accuracy 3 / 4, weighted (0.9 * 1/2 + 0.1 * 1).
  const auto f = baro::stats::measure_confusion(2, {90, 10}, {{0, 0, {}}, {0, 1, {}}, {1, 1, {}}, {1, 1, {}}});
  CHECK(f.correct == 3);
  CHECK(f.weighted_accuracy == Approx(0.55).epsilon(1e-12));
  REQUIRE(f.recall[1]);
  CHECK(*f.recall[1] == Approx(10.0 / 55.0).epsilon(1e-12));
  REQUIRE(f.precision[1]);
  CHECK(*f.precision[1] == 1.0);
}
