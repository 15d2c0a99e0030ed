// `baro sample`: drawing a run's validation sample and writing it for the coders.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

#include "baro/validation.hpp"
#include "baro_format.hpp"
#include "stats/validation_stats.hpp"
#include "lifecycle/corpus.hpp"
#include "store/sqlite_errors.hpp"
#include "store/validation_tables.hpp"
#include "util/output_file.hpp"

namespace baro {
namespace fs = std::filesystem;

namespace {

constexpr const char* kNoDomainLabel = "Aucun domaine ne convient (en « domaine_predit » : non classé)";

struct Candidate {
  std::int64_t id = 0;
  std::string commune, description;
};

// French Excel's dialect, formulas neutralised: coders open these files in Excel.
std::string csv_row(std::initializer_list<std::string_view> fields) {
  return plugins::csv_row(fields, plugins::kExcelCsv);
}
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// `sample.csv` -> `sample.domaines.csv`, beside it.
fs::path domains_file_for(const fs::path& out) {
  return out.parent_path() / (out.stem().string() + ".domaines.csv");
}

}  // namespace

std::vector<std::int64_t> allocate_sample(const std::vector<std::int64_t>& stratum_sizes, std::int64_t size,
                                          std::int64_t minimum) {
  const std::int64_t total = std::accumulate(stratum_sizes.begin(), stratum_sizes.end(), std::int64_t{0});
  const std::size_t k = stratum_sizes.size();
  if (size >= total) return stratum_sizes;  // a census
  std::vector<std::int64_t> out(k, 0);
  if (total == 0 || size <= 0) return out;
  // Proportional, by largest remainders (Hamilton): floors first, then one more to the strata
  // with the largest fractional parts, ties to the earlier stratum.
  // In integers (size * N_h = out[h] * total + remainder), so that equal fractions tie exactly.
  std::vector<std::pair<std::int64_t, std::size_t>> remainders;
  std::int64_t given = 0;
  for (std::size_t h = 0; h < k; ++h) {
    out[h] = size * stratum_sizes[h] / total;
    given += out[h];
    remainders.emplace_back(size * stratum_sizes[h] % total, h);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; given < size && i < remainders.size(); ++i, ++given) out[remainders[i].second] += 1;
  // Every non-empty stratum gets its minimum (a stratum of one or two rows cannot be measured
  // otherwise), paid for by the strata with the most draws above theirs.
  const auto floor_of = [&](std::size_t h) { return std::min(minimum, stratum_sizes[h]); };
  for (std::size_t h = 0; h < k; ++h) {
    while (out[h] < floor_of(h)) {
      std::size_t donor = k;
      for (std::size_t d = 0; d < k; ++d) {
        if (out[d] > floor_of(d) && (donor == k || out[d] - floor_of(d) > out[donor] - floor_of(donor))) donor = d;
      }
      if (donor == k) return out;  // the size cannot give every stratum its minimum
      out[donor] -= 1;
      out[h] += 1;
    }
  }
  return out;
}

SampleSummary draw_validation_sample(Store& store, const SampleOptions& options, const fs::path& out) {
  if (options.size < 1) {
    throw usage_error("the sample size must be at least 1, not " + std::to_string(options.size),
                      "content analysts code about 200 initiatives: --size 200");
  }
  if (out.empty() || out == "-") {
    throw usage_error("the sample is written to a file, not to standard output",
                      "name the CSV with --out, e.g. --out echantillon.csv: the codes a coder may use go beside it");
  }
  SampleSummary summary;
  if (options.seed) {
    summary.seed = *options.seed;
  } else {
    std::random_device device;
    summary.seed = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }
  auto& db = store.database();
  const RunInfo run = lifecycle::require_run_or_latest(store, options.run_id);
  summary.run_id = run.id;

  // The run's initiatives by stratum, in id order: with the seed, that order decides the draw.
  std::vector<std::vector<Candidate>> by_stratum;
  std::map<std::string, std::size_t> stratum_of;
  try {
    SQLite::Statement domains(db, "SELECT domain, label FROM run_domains WHERE run_id = ? ORDER BY position");
    domains.bind(1, run.id);
    while (domains.executeStep()) {
      stratum_of[domains.getColumn(0).getString()] = summary.strata.size();
      summary.strata.push_back({domains.getColumn(0).getString(), domains.getColumn(1).getString(), 0, 0});
    }
    summary.strata.push_back({"", "Non classé", 0, 0});
    by_stratum.resize(summary.strata.size());
    SQLite::Statement q(db,
                        "SELECT i.id, m.name || ' (' || m.code || ')', i.description, coalesce(c.primary_domain, '') "
                        "FROM classifications c JOIN initiatives i ON i.id = c.initiative_id "
                        "JOIN communes m ON m.code = i.commune_code WHERE c.run_id = ? ORDER BY i.id");
    q.bind(1, run.id);
    while (q.executeStep()) {
      const auto it = stratum_of.find(q.getColumn(3).getString());
      const std::size_t h = it == stratum_of.end() ? summary.strata.size() - 1 : it->second;
      by_stratum[h].push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    }
    if (!options.replace && store::sample_has_codes(db, run.id)) {
      throw data_error("run " + std::to_string(run.id) + " already has a coded validation sample",
                       {store.path().string()},
                       "drawing a new one discards its codes: add --replace if that is what you want");
    }
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "drawing the validation sample");
  }

  std::vector<std::int64_t> sizes;
  for (std::size_t h = 0; h < by_stratum.size(); ++h) {
    summary.strata[h].initiatives = static_cast<std::int64_t>(by_stratum[h].size());
    sizes.push_back(summary.strata[h].initiatives);
  }
  if (std::accumulate(sizes.begin(), sizes.end(), std::int64_t{0}) == 0) {
    throw data_error("run " + std::to_string(run.id) + " classified no initiative: there is nothing to sample",
                     {store.path().string()});
  }
  const auto allocation = allocate_sample(sizes, options.size);
  // Within each stratum, a partial Fisher-Yates shuffle picks the draws.
  std::mt19937_64 rng(summary.seed);
  std::vector<std::pair<const Candidate*, std::size_t>> drawn;  // candidate, stratum
  for (std::size_t h = 0; h < by_stratum.size(); ++h) {
    auto& pool = by_stratum[h];
    const auto n = static_cast<std::size_t>(allocation[h]);
    for (std::size_t i = 0; i < n; ++i) std::swap(pool[i], pool[i + stats::uniform_index(rng, pool.size() - i)]);
    for (std::size_t i = 0; i < n; ++i) drawn.emplace_back(&pool[i], h);
    summary.strata[h].sampled = allocation[h];
  }
  // In id order: nothing in the file's order tells a coder what was predicted.
  std::sort(drawn.begin(), drawn.end(), [](const auto& a, const auto& b) { return a.first->id < b.first->id; });
  summary.size = static_cast<std::int64_t>(drawn.size());

  const auto code_of = [&](std::size_t h) { return summary.strata[h].predicted.empty() ? std::string(kNoDomainCode) : summary.strata[h].predicted; };
  OutputFile sample_file(out);
  sample_file.write(std::string(kBom) + kSampleHeader + "\r\n");
  for (const auto& [c, h] : drawn) {
    sample_file.write(csv_row({std::to_string(c->id), c->commune, c->description, code_of(h), "", ""}));
  }
  summary.domains_file = domains_file_for(out);
  OutputFile domains_file(summary.domains_file);
  domains_file.write(std::string(kBom) + csv_row({"code", "libellé"}));
  for (std::size_t h = 0; h + 1 < summary.strata.size(); ++h) {
    domains_file.write(csv_row({summary.strata[h].predicted, summary.strata[h].label}));
  }
  domains_file.write(csv_row({kNoDomainCode, kNoDomainLabel}));

  std::vector<store::StratumRow> strata;
  for (const auto& s : summary.strata) strata.push_back({s.predicted, s.initiatives, s.sampled});
  std::vector<std::int64_t> ids;
  for (const auto& [c, h] : drawn) ids.push_back(c->id);
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    store::save_sample(db, run.id, summary.seed, options.size, strata, ids);
    // The files go in place inside the transaction, just before it commits: a failure before
    // leaves neither the files nor the sample.
    sample_file.commit();
    domains_file.commit();
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "recording the validation sample");
  }
  return summary;
}

}  // namespace baro
