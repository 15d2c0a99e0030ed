#include <SQLiteCpp/Statement.h>
#include <re2/re2.h>

#include "baro/diagnostics.hpp"
#include "baro/display.hpp"
#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "lifecycle/corpus.hpp"
#include "rules/patterns.hpp"
#include "rules/proximity.hpp"
#include "store/sqlite_errors.hpp"

namespace baro {
namespace {

// The RE2 pattern for `pattern`, compiled as a rule's would be; group 1 is the match proper.
std::string compile_pattern(std::string_view pattern, bool regex) {
  if (pattern.empty()) throw usage_error("the pattern is empty", "give a word, e.g. `baro kwic \"portail*\"`");
  if (regex) return "(?i)(" + rules::fold_regex(pattern) + ")";
  try {
    return compile_keywords({std::string(pattern)}, {}, "kwic");
  } catch (const Error& e) {
    throw usage_error("\"" + std::string(pattern) + "\" cannot be matched as a keyword", e.hint());
  }
}

// Where folded byte `i` starts in the original: match ends are moved past the whole
// character a folded expansion (œ → oe) came from, so that no character is cut.
std::size_t original_end(const FoldedText& folded, std::size_t end) {
  while (end < folded.text.size() && end > 0 && folded.source_offsets[end] == folded.source_offsets[end - 1]) ++end;
  return folded.source_offsets[end];
}

std::string flatten(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f') c = ' ';
  }
  return out;
}

}  // namespace

KwicResult find_in_context(const Store& store, std::string_view pattern, const KwicOptions& options) {
  KwicResult result;
  const RE2 re(compile_pattern(pattern, options.regex), rules::pattern_options(RuleSetOptions{}));
  if (!re.ok()) {
    throw usage_error("RE2 cannot compile \"" + std::string(pattern) + "\": " + re.error(),
                      "RE2 syntax has no lookaround or backreference; see docs/rules.md");
  }
  // With --near: the pairs a `near` rule would see, each as one match.
  Proximity proximity;
  std::unique_ptr<rules::ExactProximity> near;
  if (options.near) {
    if (options.regex) throw usage_error("--near works with keywords, not with --regex", "drop --regex");
    if (options.within < Proximity::kMinWithin || options.within > Proximity::kMaxWithin) {
      throw usage_error("--within must be from " + std::to_string(Proximity::kMinWithin) + " to " +
                        std::to_string(Proximity::kMaxWithin) + " words");
    }
    compile_pattern(*options.near, false);  // refuses a keyword that cannot be one
    proximity.a = {std::string(pattern)};
    proximity.b = {*options.near};
    proximity.within = options.within;
    proximity.order = options.a_then_b ? Proximity::Order::kAThenB : Proximity::Order::kEither;
    near = std::make_unique<rules::ExactProximity>(proximity, RuleSetOptions{});
  }
  const bool needs_run = options.domain || options.unclassified || options.run_id;
  if (options.domain && options.unclassified) {
    throw usage_error("--domain and --unclassified exclude each other", "give one of them");
  }
  if (needs_run) {
    if (options.run_id) {
      result.run = lifecycle::require_run(store, *options.run_id);
    } else {
      result.run = store.latest_run();
      if (!result.run) {
        throw data_error("nothing has been classified yet, so there is no domain to filter on", {store.path().string()},
                         "import a survey batch with `baro classify FILE`, or search without --domain/--unclassified");
      }
    }
  }
  result.labels_run = needs_run ? result.run : store.latest_run();
  try {
    lifecycle::ReadSnapshot snapshot(store);
    if (options.domain) {
      SQLite::Statement known(snapshot.db(), "SELECT group_concat(domain, ', ') FROM run_domains WHERE run_id = ?");
      known.bind(1, result.run->id);
      known.executeStep();
      const std::string domains = known.getColumn(0).isNull() ? "" : known.getColumn(0).getString();
      SQLite::Statement has(snapshot.db(), "SELECT 1 FROM run_domains WHERE run_id = ? AND domain = ?");
      has.bind(1, result.run->id);
      has.bind(2, *options.domain);
      if (!has.executeStep()) {
        throw usage_error("run " + std::to_string(result.run->id) + " has no domain \"" + *options.domain + "\"",
                          "its domains: " + domains);
      }
    }
    std::string sql = "SELECT i.id, i.batch_id, i.source_id, i.description, ";
    sql += result.labels_run ? "c.primary_domain FROM initiatives i" : "NULL FROM initiatives i";
    // Filtering on a run keeps only its initiatives; otherwise each match shows its primary
    // domain in the latest run, if that run classified it.
    if (needs_run) sql += " JOIN classifications c ON c.initiative_id = i.id AND c.run_id = :run";
    else if (result.labels_run) sql += " LEFT JOIN classifications c ON c.initiative_id = i.id AND c.run_id = :run";
    if (options.domain) sql += " WHERE c.primary_domain = :domain";
    if (options.unclassified) sql += " WHERE c.primary_domain IS NULL";
    sql += " ORDER BY i.id";
    SQLite::Statement q(snapshot.db(), sql);
    if (result.labels_run) q.bind(":run", result.labels_run->id);
    if (options.domain) q.bind(":domain", *options.domain);
    const int groups = std::min(2, re.NumberOfCapturingGroups() + 1);
    re2::StringPiece match[2];
    while (q.executeStep()) {
      ++result.searched;
      const std::string text = q.getColumn(3).getString();
      const FoldedText folded = fold_with_offsets(text);
      const re2::StringPiece whole(folded.text.data(), folded.text.size());
      std::vector<Span> spans;
      if (near) {
        spans = near->pair_spans(folded.text);
      } else {
        std::size_t pos = 0;
        while (pos <= folded.text.size() && re.Match(whole, pos, folded.text.size(), RE2::UNANCHORED, match, groups)) {
          const re2::StringPiece& m = groups > 1 && match[1].data() != nullptr ? match[1] : match[0];
          const std::size_t begin = static_cast<std::size_t>(m.data() - folded.text.data());
          const std::size_t end = begin + m.size();
          // Continue after the match proper: a keyword's trailing boundary may start the next.
          pos = end > pos ? end : pos + 1;
          if (end > begin) spans.push_back({begin, end});
        }
      }
      bool found = false;
      for (const auto& [begin, end] : spans) {
        found = true;
        ++result.total_matches;
        if (options.max_matches != 0 && result.matches.size() >= options.max_matches) continue;
        KwicMatch k;
        k.initiative_id = q.getColumn(0).getInt64();
        k.batch_id = q.getColumn(1).getInt64();
        k.source_id = q.getColumn(2).getString();
        if (!q.getColumn(4).isNull()) k.primary = q.getColumn(4).getString();
        k.begin = folded.source_offsets[begin];
        k.end = original_end(folded, end);
        k.text = text;
        result.matches.push_back(std::move(k));
      }
      if (found) ++result.initiatives;
    }
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "searching the descriptions");
  }
  return result;
}

KwicLine kwic_line(const KwicMatch& match, std::size_t context_columns) {
  const std::string_view text(match.text);
  KwicLine line;
  line.left = pad_left(fit_width_from_end(flatten(text.substr(0, match.begin)), context_columns), context_columns);
  line.match = flatten(text.substr(match.begin, match.end - match.begin));
  line.right = fit_width(flatten(text.substr(match.end)), context_columns);
  return line;
}

}  // namespace baro
