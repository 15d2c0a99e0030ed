// Loading and validating a rule set folder. Every problem is reported with the file, the
// line and column (found in the file's text, since nlohmann::json keeps no positions) and
// the rule id, because the reader is a maintainer who has to find the line to fix.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
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

SourceFile read_file(const fs::path& path, const char* what) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw config_error(std::string("missing ") + what, {path.string()},
                       "a rule set is a folder with ruleset.json and one JSON file per domain (docs/rules.md)");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in.good() && !in.eof()) throw config_error("cannot read the file", {path.string()});
  return {path, buffer.str()};
}

json parse_json(const SourceFile& file) {
  try {
    return json::parse(file.text, nullptr, true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    std::string message = e.what();
    const auto colon = message.find("; ");
    if (colon != std::string::npos) message = message.substr(colon + 2);
    throw config_error("invalid JSON: " + message, location_of_offset(file, e.byte > 0 ? e.byte - 1 : 0),
                       "rule files are JSON; comments (// and /* */) are allowed, trailing commas are not");
  }
}

void check_keys(const json& object, const SourceFile& file, std::initializer_list<std::string_view> allowed,
                std::string_view context, std::size_t from = 0) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    throw config_error("unknown key \"" + key + "\" in " + std::string(context), locate(file, key, {}, from),
                       "the keys allowed here are: " + list + " (a typo?)");
  }
}

std::string get_string(const json& object, const char* key, const SourceFile& file, std::string_view context,
                       bool required, std::size_t from = 0) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (!required) return {};
    throw config_error(std::string("missing \"") + key + "\" in " + std::string(context), locate(file, "", {}, from),
                       "see docs/rules.md for the format");
  }
  if (!it->is_string()) {
    throw config_error(std::string("\"") + key + "\" must be a string in " + std::string(context),
                       locate(file, key, {}, from));
  }
  return it->get<std::string>();
}

std::vector<std::string> get_strings(const json& object, const char* key, const SourceFile& file,
                                     const SourceLocation& where, std::string_view rule_id) {
  std::vector<std::string> out;
  const auto it = object.find(key);
  if (it == object.end()) return out;
  const auto bad = [&] {
    return config_error(std::string("\"") + key + "\" must be a list of strings in rule " + std::string(rule_id), where);
  };
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return out;
  }
  if (!it->is_array()) throw bad();
  for (const auto& item : *it) {
    if (!item.is_string()) throw bad();
    out.push_back(item.get<std::string>());
  }
  (void)file;
  return out;
}

}  // namespace

class RuleSetLoader {
 public:
  static std::unique_ptr<RuleSet> load(const fs::path& dir, const RuleSetOptions& options) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      throw config_error("no such rule set folder", {dir.string()},
                         "--rules names a folder holding ruleset.json (the bundled one is rules/fr)");
    }
    std::unique_ptr<RuleSet> set(new RuleSet());
    set->directory_ = dir;
    set->options_ = options;

    const SourceFile manifest = read_file(dir / "ruleset.json", "ruleset.json");
    const json root = parse_json(manifest);
    if (!root.is_object()) throw config_error("ruleset.json must hold a JSON object", {manifest.path.string(), 1, 1});
    check_keys(root, manifest, {"id", "version", "language", "description", "domains", "expectations"},
               "ruleset.json");
    set->id_ = get_string(root, "id", manifest, "ruleset.json", true);
    set->version_ = get_string(root, "version", manifest, "ruleset.json", true);
    set->language_ = get_string(root, "language", manifest, "ruleset.json", false);
    set->description_ = get_string(root, "description", manifest, "ruleset.json", false);

    const auto domains = root.find("domains");
    if (domains == root.end() || !domains->is_array() || domains->empty()) {
      throw config_error("ruleset.json must list its domains in \"domains\"", locate(manifest, "domains"),
                         "each entry is {\"id\": …, \"label\": …, \"file\": …}");
    }
    std::vector<std::string> files;
    for (const auto& d : *domains) {
      if (!d.is_object()) throw config_error("each domain must be an object", locate(manifest, "domains"));
      check_keys(d, manifest, {"id", "label", "file"}, "a domain of ruleset.json");
      Domain domain{get_string(d, "id", manifest, "a domain", true), get_string(d, "label", manifest, "a domain", true)};
      if (set->find_domain(domain.id)) {
        throw config_error("domain \"" + domain.id + "\" is listed twice", locate(manifest, "id", domain.id));
      }
      files.push_back(get_string(d, "file", manifest, "domain " + domain.id, false));
      if (files.back().empty()) files.back() = domain.id + ".json";
      set->domains_.push_back(std::move(domain));
    }

    ContentHasher hasher;
    hasher.update("ruleset.json\n");
    hasher.update(manifest.text);
    std::map<std::string, SourceLocation> seen_ids;
    std::vector<std::pair<std::string, std::string>> hashed;
    for (std::size_t d = 0; d < files.size(); ++d) {
      const SourceFile file = read_file(dir / files[d], ("the rule file of domain " + set->domains_[d].id).c_str());
      hashed.emplace_back(files[d], file.text);
      load_domain_file(*set, d, file, seen_ids);
    }
    std::sort(hashed.begin(), hashed.end());
    for (const auto& [name, text] : hashed) {
      hasher.update("\n" + name + "\n");
      hasher.update(text);
    }
    set->content_hash_ = hasher.hex_digest();

    const std::string expectations = get_string(root, "expectations", manifest, "ruleset.json", false);
    if (!expectations.empty()) load_expectations(*set, read_file(dir / expectations, "expectations file"));
    return set;
  }

 private:
  static void load_domain_file(RuleSet& set, std::size_t domain_index, const SourceFile& file,
                               std::map<std::string, SourceLocation>& seen_ids) {
    const json root = parse_json(file);
    if (!root.is_object()) throw config_error("a rule file must hold a JSON object", {file.path.string(), 1, 1});
    check_keys(root, file, {"domain", "description", "rules"}, "a rule file");
    const std::string domain = get_string(root, "domain", file, "a rule file", true);
    if (domain != set.domains_[domain_index].id) {
      const bool known = set.find_domain(domain).has_value();
      throw config_error(
          "this file is listed for domain \"" + set.domains_[domain_index].id + "\" but declares \"domain\": \"" +
              domain + "\"" + (known ? "" : ", which is not a domain of ruleset.json"),
          locate(file, "domain"),
          known ? "fix the \"file\" of the domain in ruleset.json or the \"domain\" of this file"
                : "domains are declared in ruleset.json; add it there or correct the id");
    }
    const auto rules = root.find("rules");
    if (rules == root.end() || !rules->is_array()) {
      throw config_error("missing \"rules\" list", locate(file, "rules"), "\"rules\": [ {rule}, … ]");
    }
    std::size_t search_from = 0;
    for (const auto& r : *rules) {
      if (!r.is_object()) throw config_error("each rule must be a JSON object", locate(file, "rules"));
      Rule rule;
      rule.domain = domain_index;
      rule.id = get_string(r, "id", file, "a rule", true, search_from);
      rule.where = locate(file, "id", rule.id, search_from);
      if (rule.id.empty()) throw config_error("a rule id must not be empty", rule.where);
      {
        // Move the search past this rule so a later "id" lookup finds its own rule.
        const std::string needle = "\"" + rule.id + "\"";
        const auto at = file.text.find(needle, search_from);
        if (at != std::string::npos) search_from = at + needle.size();
      }
      check_keys(r, file,
                 {"id", "keywords", "regex", "weight", "unless", "unless_regex", "examples", "comment"},
                 "rule " + rule.id, search_from > 0 ? search_from - 1 : 0);
      if (const auto previous = seen_ids.find(rule.id); previous != seen_ids.end()) {
        throw config_error("duplicate rule id \"" + rule.id + "\" (first defined at " + previous->second.to_string() + ")",
                           rule.where, "rule ids must be unique in the whole rule set");
      }
      seen_ids.emplace(rule.id, rule.where);

      rule.keywords = get_strings(r, "keywords", file, rule.where, rule.id);
      if (const auto regex = r.find("regex"); regex != r.end()) {
        if (!regex->is_string() || regex->get<std::string>().empty()) {
          throw config_error("\"regex\" must be a non-empty string in rule " + rule.id, rule.where);
        }
        rule.regex = regex->get<std::string>();
      }
      if (rule.keywords.empty() == rule.regex.empty()) {
        throw config_error("rule " + rule.id + " must have either \"keywords\" or \"regex\" (exactly one)", rule.where,
                           "split it into two rules if it needs both");
      }
      if (const auto weight = r.find("weight"); weight != r.end()) {
        if (!weight->is_number() || weight->get<double>() <= 0) {
          throw config_error("\"weight\" must be a number above 0 in rule " + rule.id, rule.where);
        }
        rule.weight = weight->get<double>();
      }
      rule.unless = get_strings(r, "unless", file, rule.where, rule.id);
      rule.unless_regex = get_strings(r, "unless_regex", file, rule.where, rule.id);
      if (const auto comment = r.find("comment"); comment != r.end() && comment->is_string()) {
        rule.comment = comment->get<std::string>();
      }
      if (const auto examples = r.find("examples"); examples != r.end()) {
        if (!examples->is_object()) {
          throw config_error("\"examples\" must be an object {\"match\": […], \"no_match\": […]} in rule " + rule.id,
                             rule.where);
        }
        check_keys(*examples, file, {"match", "no_match"}, "the examples of rule " + rule.id, search_from);
        rule.match_examples = get_strings(*examples, "match", file, rule.where, rule.id);
        rule.no_match_examples = get_strings(*examples, "no_match", file, rule.where, rule.id);
      }
      rules::compile_rule_patterns(rule, set.options_);
      set.rules_.push_back(std::move(rule));
    }
  }

  static void load_expectations(RuleSet& set, const SourceFile& file) {
    const json root = parse_json(file);
    if (!root.is_array()) {
      throw config_error("the expectations file must hold a JSON array", {file.path.string(), 1, 1},
                         "[ {\"text\": …, \"primary\": \"domain\" or null, \"also\": […]}, … ]");
    }
    std::size_t from = 0;
    for (const auto& e : root) {
      if (!e.is_object()) throw config_error("each expectation must be an object", {file.path.string()});
      check_keys(e, file, {"text", "primary", "also", "comment"}, "an expectation", from);
      Expectation expectation;
      expectation.text = get_string(e, "text", file, "an expectation", true, from);
      expectation.where = locate(file, "text", {}, from);
      const auto at = file.text.find("\"text\"", from);
      if (at != std::string::npos) from = at + 6;
      const auto primary = e.find("primary");
      if (primary == e.end()) {
        throw config_error("missing \"primary\" (a domain id, or null for text that must stay unclassified)",
                           expectation.where);
      }
      if (!primary->is_null()) {
        if (!primary->is_string() || !set.find_domain(primary->get<std::string>())) {
          throw config_error("\"primary\" must be a domain id of ruleset.json or null", expectation.where);
        }
        expectation.primary = primary->get<std::string>();
      }
      expectation.also = get_strings(e, "also", file, expectation.where, "expectation");
      for (const auto& also : expectation.also) {
        if (!set.find_domain(also)) throw config_error("unknown domain \"" + also + "\" in \"also\"", expectation.where);
      }
      set.expectations_.push_back(std::move(expectation));
    }
  }
};

std::unique_ptr<RuleSet> RuleSet::load(const fs::path& dir, const RuleSetOptions& options) {
  return RuleSetLoader::load(dir, options);
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
