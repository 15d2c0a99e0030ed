// Loading and validating a rule set folder. Every problem is reported with the file, the
// line and column (found in the file's text, since nlohmann::json keeps no positions) and
// the rule id, because the reader is a maintainer who has to find the line to fix.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "rules/patterns.hpp"
#include "util/hash.hpp"

namespace baro {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct SourceFile {
  fs::path path;
  std::string text;
};

SourceLocation location_of_offset(const SourceFile& file, std::size_t offset) {
  SourceLocation where{file.path.string(), 1, 1};
  for (std::size_t i = 0; i < offset && i < file.text.size(); ++i) {
    if (file.text[i] == '\n') {
      ++where.line;
      where.column = 1;
    } else if ((static_cast<unsigned char>(file.text[i]) & 0xC0) != 0x80) {
      ++where.column;
    }
  }
  return where;
}

// Where `"key": "value"` (or just `"key"` when value is empty) first appears at or after `from`.
SourceLocation locate(const SourceFile& file, std::string_view key, std::string_view value = {},
                      std::size_t from = 0) {
  std::string needle = "\"" + std::string(key) + "\"";
  std::size_t at = file.text.find(needle, from);
  while (!value.empty() && at != std::string::npos) {
    std::size_t v = at + needle.size();
    while (v < file.text.size() && (file.text[v] == ' ' || file.text[v] == '\t' || file.text[v] == ':' ||
                                    file.text[v] == '\n' || file.text[v] == '\r'))
      ++v;
    if (file.text.compare(v, value.size() + 2, "\"" + std::string(value) + "\"") == 0) break;
    at = file.text.find(needle, at + 1);
  }
  if (at == std::string::npos) return {file.path.string()};
  return location_of_offset(file, at);
}

// Where problems go. RuleSet::load wants the first one as an exception (the other commands
// stop on a broken set); `baro rules check` wants every one, so the loader reports through
// this and carries on with whatever is still usable.
class Problems {
 public:
  explicit Problems(std::vector<Error>* collected) : collected_(collected) {}

  // Throws `problem` when loading, records it when checking.
  void report(Error problem) {
    if (collected_ == nullptr) throw std::move(problem);
    collected_->push_back(std::move(problem));
  }
  bool collecting() const noexcept { return collected_ != nullptr; }
  std::size_t count() const noexcept { return collected_ == nullptr ? 0 : collected_->size(); }

 private:
  std::vector<Error>* collected_;
};

std::optional<SourceFile> read_file(const fs::path& path, const std::string& what, Problems& problems) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    problems.report(config_error("missing " + what, {path.string()},
                                 "a rule set is a folder with ruleset.json and one JSON file per domain (docs/rules.md)"));
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in.good() && !in.eof()) {
    problems.report(config_error("cannot read the file", {path.string()}));
    return std::nullopt;
  }
  return SourceFile{path, buffer.str()};
}

std::optional<json> parse_json(const SourceFile& file, Problems& problems) {
  try {
    return json::parse(file.text, nullptr, true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    std::string message = e.what();
    const auto colon = message.find("; ");
    if (colon != std::string::npos) message = message.substr(colon + 2);
    problems.report(config_error("invalid JSON: " + message, location_of_offset(file, e.byte > 0 ? e.byte - 1 : 0),
                                 "rule files are JSON; comments (// and /* */) are allowed, trailing commas are not"));
    return std::nullopt;
  } catch (const json::out_of_range& e) {
    // A number beyond a double ("1e999"): nlohmann names the literal but not where it is.
    std::string message = e.what();
    const auto bracket = message.find("] ");
    if (bracket != std::string::npos) message = message.substr(bracket + 2);
    std::size_t offset = 0;
    if (const auto open = message.find('\''), close = message.rfind('\'');
        open != std::string::npos && close > open + 1) {
      offset = std::min(file.text.find(message.substr(open + 1, close - open - 1)), file.text.size());
    }
    problems.report(config_error("invalid JSON: " + message, location_of_offset(file, offset),
                                 "write the number with fewer digits (weights are small numbers such as 2 or 0.5)"));
    return std::nullopt;
  }
}

// Reports every key of `object` that is not in `allowed`; true when there was none.
bool check_keys(const json& object, const SourceFile& file, std::initializer_list<std::string_view> allowed,
                std::string_view context, Problems& problems, std::size_t from = 0) {
  bool ok = true;
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    problems.report(config_error("unknown key \"" + key + "\" in " + std::string(context),
                                 locate(file, key, {}, from), "the keys allowed here are: " + list + " (a typo?)"));
    ok = false;
  }
  return ok;
}

// The string at `key`; nullopt (after reporting) when it is required and missing, or not a string.
std::optional<std::string> get_string(const json& object, const char* key, const SourceFile& file,
                                      std::string_view context, bool required, Problems& problems,
                                      std::size_t from = 0) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (!required) return std::string();
    problems.report(config_error(std::string("missing \"") + key + "\" in " + std::string(context),
                                 locate(file, "", {}, from), "see docs/rules.md for the format"));
    return std::nullopt;
  }
  if (!it->is_string()) {
    problems.report(config_error(std::string("\"") + key + "\" must be a string in " + std::string(context),
                                 locate(file, key, {}, from)));
    return std::nullopt;
  }
  return it->get<std::string>();
}

// A string or a list of strings at `key` (absent: empty); nullopt (after reporting) otherwise.
std::optional<std::vector<std::string>> get_strings(const json& object, const char* key,
                                                    const SourceLocation& where, std::string_view owner,
                                                    Problems& problems) {
  std::vector<std::string> out;
  const auto it = object.find(key);
  if (it == object.end()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return out;
  }
  bool ok = it->is_array();
  if (ok) {
    for (const auto& item : *it) {
      if (!item.is_string()) {
        ok = false;
        break;
      }
      out.push_back(item.get<std::string>());
    }
  }
  if (!ok) {
    problems.report(config_error(std::string("\"") + key + "\" must be a list of strings in " + std::string(owner),
                                 where));
    return std::nullopt;
  }
  return out;
}

// The proximity questions at `key` (`near`, `unless_near`) of rule `rule_id`: one object or
// a list of them (absent: none); nullopt after reporting every problem.
std::optional<std::vector<Proximity>> get_proximities(const json& object, const char* key, const SourceFile& file,
                                                      const SourceLocation& where, const std::string& rule_id,
                                                      std::size_t from, Problems& problems) {
  std::vector<Proximity> out;
  const auto it = object.find(key);
  if (it == object.end()) return out;
  const std::string what = std::string("\"") + key + "\" of rule " + rule_id;
  const std::string shape = std::string("\"") + key + "\": {\"a\": [keywords], \"b\": [keywords], \"within\": N}";
  if (!it->is_object() && !(it->is_array() && !it->empty())) {
    problems.report(config_error(what + " must be an object or a non-empty list of objects", where, shape));
    return std::nullopt;
  }
  bool ok = true;
  const auto one = [&](const json& q) {
    if (!q.is_object()) {
      problems.report(config_error("each entry of " + what + " must be an object", where, shape));
      ok = false;
      return;
    }
    if (!check_keys(q, file, {"a", "b", "within", "order"}, what, problems, from)) ok = false;
    Proximity p;
    for (const auto& [side, list] : {std::pair{"a", &p.a}, std::pair{"b", &p.b}}) {
      if (!q.contains(side)) {
        problems.report(config_error(what + " has no \"" + side + "\" list", where, shape));
        ok = false;
        continue;
      }
      auto words = get_strings(q, side, where, what, problems);
      if (!words) {
        ok = false;
      } else if (words->empty()) {
        problems.report(config_error("\"" + std::string(side) + "\" of " + what + " is an empty list", where,
                                     "give at least one keyword on each side"));
        ok = false;
      } else {
        *list = std::move(*words);
      }
    }
    const auto within = q.find("within");
    if (within == q.end() || !within->is_number_integer() || within->get<std::int64_t>() < Proximity::kMinWithin ||
        within->get<std::int64_t>() > Proximity::kMaxWithin) {
      problems.report(config_error(what + (within == q.end() ? " has no \"within\"" : ": \"within\" must be a whole number of words from " +
                                       std::to_string(Proximity::kMinWithin) + " to " + std::to_string(Proximity::kMaxWithin)),
                                   within == q.end() ? where : locate(file, "within", {}, from),
                                   "\"within\": 1 means adjacent words; a sentence is rarely more than 15 words apart"));
      ok = false;
    } else {
      p.within = static_cast<int>(within->get<std::int64_t>());
    }
    if (const auto order = q.find("order"); order != q.end()) {
      if (order->is_string() && order->get<std::string>() == "either") {
        p.order = Proximity::Order::kEither;
      } else if (order->is_string() && order->get<std::string>() == "a_then_b") {
        p.order = Proximity::Order::kAThenB;
      } else {
        problems.report(config_error(what + ": \"order\" must be \"either\" (the default) or \"a_then_b\"",
                                     locate(file, "order", {}, from), "swap \"a\" and \"b\" for the other order"));
        ok = false;
      }
    }
    out.push_back(std::move(p));
  };
  if (it->is_object()) {
    one(*it);
  } else {
    for (const auto& q : *it) one(q);
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

class RuleSetLoader {
 public:
  // Loads the set in `dir`, reporting problems to `problems`. Returns null only when
  // ruleset.json itself cannot be used; otherwise the set holds every rule without a problem.
  static std::unique_ptr<RuleSet> load(const fs::path& dir, const RuleSetOptions& options, Problems& problems) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      problems.report(config_error("no such rule set folder", {dir.string()},
                                   "--rules names a folder holding ruleset.json (the bundled one is rules/fr)"));
      return nullptr;
    }
    std::unique_ptr<RuleSet> set(new RuleSet());
    set->directory_ = dir;
    set->options_ = options;

    const auto manifest = read_file(dir / "ruleset.json", "ruleset.json", problems);
    if (!manifest) return nullptr;
    const auto root = parse_json(*manifest, problems);
    if (!root) return nullptr;
    if (!root->is_object()) {
      problems.report(config_error("ruleset.json must hold a JSON object", {manifest->path.string(), 1, 1}));
      return nullptr;
    }
    check_keys(*root, *manifest,
               {"id", "version", "language", "description", "domains", "precedence", "scoring", "expectations"},
               "ruleset.json", problems);
    set->id_ = get_string(*root, "id", *manifest, "ruleset.json", true, problems).value_or("");
    set->version_ = get_string(*root, "version", *manifest, "ruleset.json", true, problems).value_or("");
    set->language_ = get_string(*root, "language", *manifest, "ruleset.json", false, problems).value_or("");
    set->description_ = get_string(*root, "description", *manifest, "ruleset.json", false, problems).value_or("");

    const auto domains = root->find("domains");
    if (domains == root->end() || !domains->is_array() || domains->empty()) {
      problems.report(config_error("ruleset.json must list its domains in \"domains\"", locate(*manifest, "domains"),
                                   "each entry is {\"id\": …, \"label\": …, \"file\": …}"));
      return nullptr;
    }
    std::vector<std::string> files;
    for (const auto& d : *domains) {
      if (!d.is_object()) {
        problems.report(config_error("each domain must be an object", locate(*manifest, "domains")));
        continue;
      }
      check_keys(d, *manifest, {"id", "label", "file"}, "a domain of ruleset.json", problems);
      const auto id = get_string(d, "id", *manifest, "a domain", true, problems);
      const auto label = get_string(d, "label", *manifest, "a domain", true, problems);
      if (!id || !label) continue;
      if (set->find_domain(*id)) {
        problems.report(config_error("domain \"" + *id + "\" is listed twice", locate(*manifest, "id", *id)));
        continue;
      }
      auto file = get_string(d, "file", *manifest, "domain " + *id, false, problems).value_or("");
      files.push_back(file.empty() ? *id + ".json" : file);
      set->domains_.push_back(Domain{*id, *label});
    }

    ContentHasher hasher;
    hasher.update("ruleset.json\n");
    hasher.update(manifest->text);
    std::map<std::string, SourceLocation> seen_ids;
    std::vector<std::pair<std::string, std::string>> hashed;
    for (std::size_t d = 0; d < files.size(); ++d) {
      const auto file = read_file(dir / files[d], "the rule file of domain " + set->domains_[d].id, problems);
      if (!file) continue;
      hashed.emplace_back(files[d], file->text);
      load_domain_file(*set, d, *file, seen_ids, problems);
    }
    std::sort(hashed.begin(), hashed.end());
    for (const auto& [name, text] : hashed) {
      hasher.update("\n" + name + "\n");
      hasher.update(text);
    }
    set->rules_hash_ = hasher.hex_digest();
    set->content_hash_ = set->rules_hash_;
    load_precedence(*set, *root, *manifest, problems);
    load_scoring(*set, *root, *manifest, problems);
    if (std::error_code absent; options.fitted_weights && fs::is_regular_file(dir / "weights.json", absent)) {
      if (const auto weights = read_file(dir / "weights.json", "weights.json", problems)) {
        load_weights(*set, *weights, problems);
        if (set->fitted_) {
          ContentHasher with_weights;
          with_weights.update(set->rules_hash_);
          with_weights.update("\nweights.json\n");
          with_weights.update(weights->text);
          set->content_hash_ = with_weights.hex_digest();
        }
      }
    }

    const auto expectations = get_string(*root, "expectations", *manifest, "ruleset.json", false, problems);
    if (expectations && !expectations->empty()) {
      if (const auto file = read_file(dir / *expectations, "expectations file", problems)) {
        load_expectations(*set, *file, problems);
      }
    }
    return set;
  }

 private:
  // "precedence": every domain id once, in tie-break order; absent, the order of "domains".
  static void load_precedence(RuleSet& set, const json& root, const SourceFile& manifest, Problems& problems) {
    const std::size_t n = set.domains_.size();
    set.precedence_.clear();
    const auto it = root.find("precedence");
    if (it != root.end()) {
      const SourceLocation where = locate(manifest, "precedence");
      std::vector<bool> listed(n, false);
      bool ok = it->is_array();
      for (std::size_t k = 0; ok && k < it->size(); ++k) {
        const json& id = (*it)[k];
        const auto d = id.is_string() ? set.find_domain(id.get<std::string>()) : std::nullopt;
        if (!d) {
          problems.report(config_error("\"precedence\" names " + (id.is_string() ? "\"" + id.get<std::string>() + "\"" : id.dump()) +
                                           ", which is not a domain of ruleset.json",
                                       where, "list each domain id of \"domains\" once, the one that wins ties first"));
          ok = false;
        } else if (listed[*d]) {
          problems.report(config_error("\"precedence\" lists \"" + set.domains_[*d].id + "\" twice", where));
          ok = false;
        } else {
          listed[*d] = true;
          set.precedence_.push_back(*d);
        }
      }
      if (ok && set.precedence_.size() != n) {
        std::string missing;
        for (std::size_t d = 0; d < n; ++d) {
          if (!listed[d]) missing += (missing.empty() ? "" : ", ") + set.domains_[d].id;
        }
        problems.report(config_error("\"precedence\" must list every domain; missing: " + missing, where,
                                     "list each domain id of \"domains\" once, the one that wins ties first"));
        ok = false;
      } else if (!it->is_array()) {
        problems.report(config_error("\"precedence\" must be a list of domain ids", where));
      }
      if (!ok) set.precedence_.clear();
    }
    if (set.precedence_.empty()) {
      for (std::size_t d = 0; d < n; ++d) set.precedence_.push_back(d);
    }
    set.precedence_rank_.assign(n, 0);
    for (std::size_t k = 0; k < n; ++k) set.precedence_rank_[set.precedence_[k]] = k;
  }

  // "scoring": {"stacking": "sum" | "diminishing", "decay": 0.5, "ties": "precedence" | "first_mention"}.
  static void load_scoring(RuleSet& set, const json& root, const SourceFile& manifest, Problems& problems) {
    const auto it = root.find("scoring");
    if (it == root.end()) return;
    const SourceLocation where = locate(manifest, "scoring");
    if (!it->is_object()) {
      problems.report(config_error("\"scoring\" must be an object", where, "e.g. {\"stacking\": \"diminishing\", \"decay\": 0.5}"));
      return;
    }
    check_keys(*it, manifest, {"stacking", "decay", "ties", "comment"}, "\"scoring\"", problems);
    const auto ties = get_string(*it, "ties", manifest, "\"scoring\"", false, problems).value_or("");
    if (ties == "first_mention") {
      set.scoring_.ties = ScoringSettings::Ties::kFirstMention;
    } else if (!ties.empty() && ties != "precedence") {
      problems.report(config_error("unknown \"ties\" \"" + ties + "\"", locate(manifest, "ties"),
                                   "\"precedence\" (the earlier domain of \"precedence\") or \"first_mention\" (the "
                                   "tied domain whose evidence starts earliest in the text, then precedence)"));
    }
    const auto stacking = get_string(*it, "stacking", manifest, "\"scoring\"", false, problems).value_or("");
    if (stacking == "diminishing") {
      set.scoring_.stacking = ScoringSettings::Stacking::kDiminishing;
    } else if (!stacking.empty() && stacking != "sum") {
      problems.report(config_error("unknown \"stacking\" \"" + stacking + "\"", locate(manifest, "stacking"),
                                   "\"sum\" (every fired rule adds its weight) or \"diminishing\" (strongest first, "
                                   "each next one times \"decay\")"));
    }
    if (const auto decay = it->find("decay"); decay != it->end()) {
      if (!decay->is_number() || !(decay->get<double>() > 0.0) || decay->get<double>() > 1.0) {
        problems.report(config_error("\"decay\" must be a number above 0 and at most 1", locate(manifest, "decay")));
      } else {
        set.scoring_.decay = decay->get<double>();
      }
    }
  }

  // weights.json, written by `baro rules fit` (docs/rules.md, "Fitted weights").
  static void load_weights(RuleSet& set, const SourceFile& file, Problems& problems) {
    const auto root = parse_json(file, problems);
    if (!root) return;
    const std::string refit = "refit them: baro rules fit --rules " + set.directory_.string() + " FILE…";
    const std::string format = root->is_object() ? root->value("format", std::string()) : std::string();
    if (format == "baro-weights/1") {
      problems.report(config_error("weights.json was written by an earlier `baro rules fit` (\"format\": \"baro-weights/1\", "
                                   "one weight per rule and domain), which this version no longer reads",
                                   {file.path.string(), 1, 1},
                                   "refit them (the files are listed in its \"fitted_on\"): baro rules fit --rules " +
                                       set.directory_.string() + " FILE…; or remove weights.json to use the hand-set weights"));
      return;
    }
    if (format != "baro-weights/2") {
      problems.report(config_error("weights.json is not a weights file of `baro rules fit` (\"format\": \"baro-weights/2\")",
                                   {file.path.string(), 1, 1}, refit));
      return;
    }
    FittedWeights fitted;
    fitted.file = file.path;
    const std::size_t n_domains = set.domains_.size();
    fitted.offsets.assign(n_domains, 0.0);
    fitted.residuals.assign(set.rules_.size(), std::vector<double>(n_domains, 0.0));
    if (const auto rs = root->find("ruleset"); rs != root->end() && rs->is_object()) {
      fitted.rules_hash = rs->value("rules_hash", std::string());
    }
    // The values of one domain → number object; false (after reporting) on a bad entry.
    const auto read_domains = [&](const json& object, std::vector<double>& into, const std::string& owner) {
      if (!object.is_object()) {
        problems.report(config_error(owner + " must be an object of domain ids to numbers", locate(file, "residuals"), refit));
        return false;
      }
      for (const auto& [id, value] : object.items()) {
        const auto d = set.find_domain(id);
        if (!d || !value.is_number() || !std::isfinite(value.get<double>())) {
          problems.report(config_error(owner + ": \"" + id + "\" must be a domain id with a finite number",
                                       locate(file, id), refit));
          return false;
        }
        into[*d] = value.get<double>();
      }
      return true;
    };
    const auto offsets = root->find("offsets");
    if (offsets == root->end() || !read_domains(*offsets, fitted.offsets, "\"offsets\" of weights.json")) {
      if (offsets == root->end()) problems.report(config_error("weights.json has no \"offsets\"", {file.path.string(), 1, 1}, refit));
      return;
    }
    const auto scale = root->find("scale");
    if (scale == root->end() || !scale->is_number() || !std::isfinite(scale->get<double>())) {
      problems.report(config_error("weights.json needs \"scale\", a finite number", locate(file, "scale"), refit));
      return;
    }
    fitted.scale = scale->get<double>();
    const auto residuals = root->find("residuals");
    if (residuals == root->end() || !residuals->is_object()) {
      problems.report(config_error("weights.json has no \"residuals\" object", {file.path.string(), 1, 1}, refit));
      return;
    }
    for (const auto& [id, by_domain] : residuals->items()) {
      const auto r = set.find_rule(id);
      if (!r) {
        fitted.unknown_rules.push_back(id);
        continue;
      }
      if (!read_domains(by_domain, fitted.residuals[*r], "the residuals of rule " + id)) return;
    }
    set.fitted_ = std::move(fitted);
  }

  static void load_domain_file(RuleSet& set, std::size_t domain_index, const SourceFile& file,
                               std::map<std::string, SourceLocation>& seen_ids, Problems& problems) {
    const auto root = parse_json(file, problems);
    if (!root) return;
    if (!root->is_object()) {
      problems.report(config_error("a rule file must hold a JSON object", {file.path.string(), 1, 1}));
      return;
    }
    check_keys(*root, file, {"domain", "description", "rules"}, "a rule file", problems);
    const auto domain = get_string(*root, "domain", file, "a rule file", true, problems);
    if (domain && *domain != set.domains_[domain_index].id) {
      const bool known = set.find_domain(*domain).has_value();
      problems.report(config_error(
          "this file is listed for domain \"" + set.domains_[domain_index].id + "\" but declares \"domain\": \"" +
              *domain + "\"" + (known ? "" : ", which is not a domain of ruleset.json"),
          locate(file, "domain"),
          known ? "fix the \"file\" of the domain in ruleset.json or the \"domain\" of this file"
                : "domains are declared in ruleset.json; add it there or correct the id"));
    }
    const auto rules = root->find("rules");
    if (rules == root->end() || !rules->is_array()) {
      problems.report(config_error("missing \"rules\" list", locate(file, "rules"), "\"rules\": [ {rule}, … ]"));
      return;
    }
    std::size_t search_from = 0;
    for (const auto& r : *rules) {
      if (!r.is_object()) {
        problems.report(config_error("each rule must be a JSON object", locate(file, "rules", {}, search_from)));
        continue;
      }
      if (auto rule = load_rule(set, domain_index, file, r, search_from, seen_ids, problems)) {
        set.rules_.push_back(std::move(*rule));
      }
    }
  }

  // One rule; nullopt when it has a problem (every one of them reported).
  static std::optional<Rule> load_rule(const RuleSet& set, std::size_t domain_index, const SourceFile& file,
                                       const json& r, std::size_t& search_from,
                                       std::map<std::string, SourceLocation>& seen_ids, Problems& problems) {
    const std::size_t before = problems.count();
    Rule rule;
    rule.domain = domain_index;
    const auto id = get_string(r, "id", file, "a rule", true, problems, search_from);
    if (!id) return std::nullopt;
    rule.id = *id;
    rule.where = locate(file, "id", rule.id, search_from);
    if (rule.id.empty()) {
      problems.report(config_error("a rule id must not be empty", rule.where));
      return std::nullopt;
    }
    {
      // Move the search past this rule so a later "id" lookup finds its own rule.
      const std::string needle = "\"" + rule.id + "\"";
      const auto at = file.text.find(needle, search_from);
      if (at != std::string::npos) search_from = at + needle.size();
    }
    check_keys(r, file,
               {"id", "keywords", "regex", "near", "weight", "unless", "unless_regex", "unless_near", "examples", "comment"},
               "rule " + rule.id, problems, search_from > 0 ? search_from - 1 : 0);
    if (const auto previous = seen_ids.find(rule.id); previous != seen_ids.end()) {
      problems.report(config_error(
          "duplicate rule id \"" + rule.id + "\" (first defined at " + previous->second.to_string() + ")", rule.where,
          "rule ids must be unique in the whole rule set"));
    } else {
      seen_ids.emplace(rule.id, rule.where);
    }

    const std::string owner = "rule " + rule.id;
    rule.keywords = get_strings(r, "keywords", rule.where, owner, problems).value_or(std::vector<std::string>{});
    bool bad_regex = false;
    if (const auto regex = r.find("regex"); regex != r.end()) {
      if (!regex->is_string() || regex->get<std::string>().empty()) {
        problems.report(config_error("\"regex\" must be a non-empty string in rule " + rule.id, rule.where));
        bad_regex = true;
      } else {
        rule.regex = regex->get<std::string>();
      }
    }
    const std::size_t rule_from = search_from > 0 ? search_from - 1 : 0;
    bool bad_near = false;
    if (auto near = get_proximities(r, "near", file, rule.where, rule.id, rule_from, problems)) {
      rule.near = std::move(*near);
    } else {
      bad_near = true;
    }
    const bool has_keywords = r.contains("keywords");
    const bool has_regex = r.contains("regex");
    const bool has_near = r.contains("near");
    if (!bad_regex && !bad_near && has_regex && (has_keywords || has_near)) {
      problems.report(config_error("rule " + rule.id + " has a \"regex\" and " +
                                       (has_keywords ? "\"keywords\"" : "\"near\"") + ": a regex rule stands alone",
                                   rule.where, "split it into two rules, or write the regex as keywords or `near`"));
    } else if (!bad_regex && !bad_near && !has_regex && !has_keywords && !has_near) {
      problems.report(config_error("rule " + rule.id + " has none of \"keywords\", \"near\" and \"regex\"", rule.where,
                                   "add the words it fires on"));
    } else if (has_keywords && rule.keywords.empty() && r.at("keywords").is_array()) {
      problems.report(config_error("\"keywords\" of rule " + rule.id + " is an empty list", rule.where,
                                   "a rule needs at least one keyword"));
    }
    if (const auto weight = r.find("weight"); weight != r.end()) {
      if (!weight->is_number() || weight->get<double>() <= 0) {
        problems.report(config_error("\"weight\" must be a number above 0 in rule " + rule.id, rule.where));
      } else {
        rule.weight = weight->get<double>();
      }
    }
    rule.unless = get_strings(r, "unless", rule.where, owner, problems).value_or(std::vector<std::string>{});
    rule.unless_regex =
        get_strings(r, "unless_regex", rule.where, owner, problems).value_or(std::vector<std::string>{});
    rule.unless_near = get_proximities(r, "unless_near", file, rule.where, rule.id, rule_from, problems)
                           .value_or(std::vector<Proximity>{});
    if (const auto comment = r.find("comment"); comment != r.end()) {
      if (comment->is_string()) {
        rule.comment = comment->get<std::string>();
      } else {
        problems.report(config_error("\"comment\" must be a string in rule " + rule.id, rule.where));
      }
    }
    if (const auto examples = r.find("examples"); examples != r.end()) {
      if (!examples->is_object()) {
        problems.report(config_error(
            "\"examples\" must be an object {\"match\": […], \"no_match\": […]} in rule " + rule.id, rule.where));
      } else {
        check_keys(*examples, file, {"match", "no_match"}, "the examples of rule " + rule.id, problems, search_from);
        rule.match_examples =
            get_strings(*examples, "match", rule.where, owner, problems).value_or(std::vector<std::string>{});
        rule.no_match_examples =
            get_strings(*examples, "no_match", rule.where, owner, problems).value_or(std::vector<std::string>{});
      }
    }
    if (problems.count() != before) return std::nullopt;
    if (rule.keywords.empty() && rule.regex.empty() && rule.near.empty()) return std::nullopt;  // reported above
    rules::compile_rule_patterns(rule, set.options_, [&](Error e) { problems.report(std::move(e)); });
    if (problems.count() != before) return std::nullopt;
    if (problems.collecting()) check_examples(rule, file, search_from, set.options_, problems);
    return rule;
  }

  // `baro rules check` only: a rule must show at least one text it fires on, and none of its
  // examples may contradict it. Such a rule still loads (its patterns are sound), so that
  // `baro rules test` can show what the set does with it.
  static void check_examples(const Rule& rule, const SourceFile& file, std::size_t rule_offset,
                             const RuleSetOptions& options, Problems& problems) {
    if (rule.match_examples.empty()) {
      problems.report(config_error("rule " + rule.id + " has no example in \"examples\": {\"match\": […]}", rule.where,
                                   "add a real description it must fire on; `baro rules test` runs them"));
    }
    const auto run = [&](const std::vector<std::string>& examples, bool should_fire) {
      for (const auto& example : examples) {
        const auto why = rules::example_contradiction(rule, example, should_fire, options);
        if (!why) continue;
        // The example's own line, found after the rule's id in the file.
        const std::size_t at = file.text.find(json(example).dump(), rule_offset);
        problems.report(config_error(std::string(should_fire ? "match" : "no_match") + " example \"" + example +
                                         "\" of rule " + rule.id + " contradicts it: " + *why,
                                     at == std::string::npos ? rule.where : location_of_offset(file, at),
                                     should_fire ? "widen the rule's keywords or narrow its `unless`, or fix the example"
                                                 : "add an `unless` for this trap, or fix the example"));
      }
    };
    run(rule.match_examples, true);
    run(rule.no_match_examples, false);
  }

  static void load_expectations(RuleSet& set, const SourceFile& file, Problems& problems) {
    const auto root = parse_json(file, problems);
    if (!root) return;
    if (!root->is_array()) {
      problems.report(config_error("the expectations file must hold a JSON array", {file.path.string(), 1, 1},
                                   "[ {\"text\": …, \"primary\": \"domain\" or null, \"also\": […]}, … ]"));
      return;
    }
    std::size_t from = 0;
    for (const auto& e : *root) {
      if (!e.is_object()) {
        problems.report(config_error("each expectation must be an object", location_of_offset(file, from)));
        continue;
      }
      const std::size_t before = problems.count();
      check_keys(e, file, {"text", "primary", "also", "comment"}, "an expectation", problems, from);
      Expectation expectation;
      expectation.text = get_string(e, "text", file, "an expectation", true, problems, from).value_or("");
      expectation.where = locate(file, "text", {}, from);
      const auto at = file.text.find("\"text\"", from);
      if (at != std::string::npos) from = at + 6;
      const auto primary = e.find("primary");
      if (primary == e.end()) {
        problems.report(config_error(
            "missing \"primary\" (a domain id, or null for text that must stay unclassified)", expectation.where));
      } else if (!primary->is_null()) {
        if (!primary->is_string() || !set.find_domain(primary->get<std::string>())) {
          problems.report(config_error("\"primary\" must be a domain id of ruleset.json or null", expectation.where));
        } else {
          expectation.primary = primary->get<std::string>();
        }
      }
      expectation.also =
          get_strings(e, "also", expectation.where, "expectation", problems).value_or(std::vector<std::string>{});
      for (const auto& also : expectation.also) {
        if (!set.find_domain(also)) {
          problems.report(config_error("unknown domain \"" + also + "\" in \"also\"", expectation.where));
        }
      }
      if (problems.count() == before) set.expectations_.push_back(std::move(expectation));
    }
  }
};

std::unique_ptr<RuleSet> RuleSet::load(const fs::path& dir, const RuleSetOptions& options) {
  Problems first_only(nullptr);
  return RuleSetLoader::load(dir, options, first_only);
}

RuleSetCheck RuleSet::check(const fs::path& dir, const RuleSetOptions& options) {
  RuleSetCheck result;
  Problems all(&result.problems);
  result.rules = RuleSetLoader::load(dir, options, all);
  if (result.rules != nullptr) {
    for (const Rule& rule : result.rules->rules()) {
      const auto note = [&](const std::string& what) {
        result.notes.push_back(config_error("the " + what + " of rule " + rule.id +
                                                " is a word list near a word list: it could be written with `" +
                                                (what == "regex" ? "near" : "unless_near") + "`",
                                            rule.where,
                                            "a `near` question reads as two keyword lists and runs without a regex "
                                            "(docs/rules.md, \"Proximity\")"));
      };
      if (!rule.regex.empty() && rules::looks_like_proximity(rule.regex)) note("regex");
      for (const auto& p : rule.unless_regex) {
        if (rules::looks_like_proximity(p)) note("unless_regex");
      }
    }
  }
  if (result.rules != nullptr && result.rules->fitted() != nullptr) {
    const FittedWeights& fitted = *result.rules->fitted();
    const std::string refit = "refit them on the same labelled files: baro rules fit --rules " + dir.string() +
                              " FILE… (the files are listed in weights.json; docs/rules.md, \"Fitted weights\")";
    if (fitted.rules_hash != result.rules->rules_hash()) {
      result.warnings.push_back(config_error("weights.json was fitted on another version of the rules (rules hash " +
                                                 (fitted.rules_hash.empty() ? std::string("unknown") : fitted.rules_hash) +
                                                 ", the rules' is now " + result.rules->rules_hash() + ")",
                                             {fitted.file.string()}, refit));
    }
    if (!fitted.unknown_rules.empty()) {
      std::string ids;
      for (const auto& id : fitted.unknown_rules) ids += (ids.empty() ? "" : ", ") + id;
      result.warnings.push_back(config_error("weights.json has weights for rules the set no longer has: " + ids,
                                             {fitted.file.string()}, refit));
    }
  }
  if (result.rules != nullptr && !result.rules->rules().empty()) {
    // Rules that each fit RE2's budget may still not fit once combined into one set.
    try {
      const RuleEngine engine(*result.rules);
    } catch (Error& e) {
      all.report(std::move(e));
    }
  }
  return result;
}

std::optional<std::size_t> RuleSet::find_domain(std::string_view id) const {
  for (std::size_t i = 0; i < domains_.size(); ++i) {
    if (domains_[i].id == id) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> RuleSet::find_rule(std::string_view id) const {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].id == id) return i;
  }
  return std::nullopt;
}

}  // namespace baro
