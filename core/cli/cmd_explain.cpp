#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>

#include "baro/display.hpp"
#include "baro/evaluation.hpp"
#include "baro/normalize.hpp"
#include "baro/rules.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

// The original text with the given folded-text spans marked: reverse video on a terminal,
// [brackets] elsewhere.
std::string highlight(const std::string& original, const FoldedText& folded, const std::vector<Span>& spans,
                      bool colour) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (const auto& s : spans) {
    ranges.emplace_back(folded.source_offsets[s.begin], folded.source_offsets[std::min(s.end, folded.text.size())]);
  }
  std::sort(ranges.begin(), ranges.end());
  std::string out;
  std::size_t pos = 0;
  for (auto [begin, end] : ranges) {
    if (begin < pos) continue;
    // Extend the end to a character boundary of the original.
    while (end < original.size() && (static_cast<unsigned char>(original[end]) & 0xC0) == 0x80) ++end;
    out += original.substr(pos, begin - pos);
    out += colour ? "\033[7m" : "[";
    out += original.substr(begin, end - begin);
    out += colour ? "\033[0m" : "]";
    pos = end;
  }
  return out + original.substr(pos);
}

// A fired rule's fitted contribution to each candidate domain of the text, e.g.
// "acces +2.31, solidarite -0.12"; empty without fitted weights.
std::string fitted_contributions(const RuleSet& rules, const Classification& c, std::size_t rule) {
  const FittedWeights* fitted = rules.fitted();
  if (fitted == nullptr) return {};
  std::string out;
  char number[32];
  for (const auto& d : c.domains) {
    std::snprintf(number, sizeof number, "%+.2f", fitted_contribution(rules, *fitted, rule, d.domain));
    out += (out.empty() ? "" : ", ") + rules.domains()[d.domain].id + " " + number;
  }
  return out;
}

using nlohmann::json;

json spans_json(const std::string& text, const FoldedText& folded, const std::vector<Span>& spans) {
  json out = json::array();
  for (const auto& s : spans) {
    const std::size_t b = folded.source_offsets[s.begin], e = folded.source_offsets[std::min(s.end, folded.text.size())];
    out.push_back({{"begin", b}, {"end", e}, {"text", text.substr(b, e - b)}});
  }
  return out;
}

// How the rule set reads one text, as `baro explain --json` prints it.
json explanation_json(const RuleSet& rules, const RuleEngine& engine, const std::string& text) {
  const FoldedText folded = fold_with_offsets(text);
  const Classification c = engine.classify(folded.text);
  json out;
  out["text"] = text;
  out["normalized"] = folded.text;
  out["primary"] = c.primary ? json(rules.domains()[*c.primary].id) : json(nullptr);
  out["rules"] = json::array();
  for (std::size_t r : c.fired) {
    json rule{{"id", rules.rules()[r].id},
              {"domain", rules.domains()[rules.rules()[r].domain].id},
              {"weight", rules.rules()[r].weight},
              {"spans", spans_json(text, folded, engine.spans(r, folded.text))}};
    if (const FittedWeights* fitted = rules.fitted()) {
      rule["fitted"] = json::object();
      for (const auto& d : c.domains) rule["fitted"][rules.domains()[d.domain].id] = fitted_contribution(rules, *fitted, r, d.domain);
    }
    out["rules"].push_back(rule);
  }
  out["vetoed"] = json::array();
  for (std::size_t r : c.vetoed) out["vetoed"].push_back(rules.rules()[r].id);
  out["scores"] = json::object();
  for (const auto& d : c.domains) out["scores"][rules.domains()[d.domain].id] = d.score;
  out["weights"] = rules.fitted() != nullptr ? "fitted" : "hand-set";
  if (const FittedWeights* fitted = rules.fitted()) {
    out["scale"] = fitted->scale;
    out["offsets"] = json::object();
    for (const auto& d : c.domains) out["offsets"][rules.domains()[d.domain].id] = fitted->offsets[d.domain];
  }
  out["runner_up"] = c.runner_up ? json(rules.domains()[*c.runner_up].id) : json(nullptr);
  out["margin"] = c.primary ? json(c.margin) : json(nullptr);
  out["by_precedence"] = c.by_precedence;
  return out;
}

// How the rule set reads one text, as `baro explain` prints it; returns its primary domain.
std::optional<std::size_t> print_explanation(const RuleSet& rules, const RuleEngine& engine, const std::string& text,
                                             bool colour) {
  const FoldedText folded = fold_with_offsets(text);
  const Classification c = engine.classify(folded.text);
  std::cout << "text        " << text << '\n' << "normalised  " << folded.text << "\n\n";
  if (c.fired.empty() && c.vetoed.empty()) std::cout << "no rule fires\n";
  for (std::size_t r : c.fired) {
    const Rule& rule = rules.rules()[r];
    const std::string fitted = fitted_contributions(rules, c, r);
    std::cout << "fires  " << rule.id << "  (" << rules.domains()[rule.domain].id << ", weight "
              << format_weight(rule.weight) << (fitted.empty() ? "" : "; fitted " + fitted) << ")  "
              << rule.where.to_string() << "\n       "
              << highlight(text, folded, engine.spans(r, folded.text), colour) << '\n';
  }
  for (std::size_t r : c.vetoed) {
    const Rule& rule = rules.rules()[r];
    std::cout << "vetoed " << rule.id << "  (" << rules.domains()[rule.domain].id << "): matched "
              << highlight(text, folded, engine.spans(r, folded.text), colour) << "\n       but its `unless` matched "
              << highlight(text, folded, engine.veto_spans(r, folded.text), colour) << '\n';
  }
  if (!c.domains.empty()) {
    if (const FittedWeights* fitted = rules.fitted()) {
      std::cout << "\noffsets";
      char number[32];
      for (const auto& d : c.domains) {
        std::snprintf(number, sizeof number, "%+.2f", fitted->offsets[d.domain]);
        std::cout << "  " << rules.domains()[d.domain].id << " " << number;
      }
      std::cout << "  (fitted: " << fitted->file.filename().string() << ", hand-set scores × "
                << format_weight(fitted->scale) << "; scores are shares of the candidates)";
    }
    std::cout << "\nscores";
    for (const auto& d : c.domains) {
      std::cout << "  " << rules.domains()[d.domain].id << " " << format_weight(d.score);
    }
    std::cout << '\n';
  }
  std::cout << "primary     " << (c.primary ? rules.domains()[*c.primary].id : std::string("(unclassified)"));
  if (c.primary && c.runner_up) {
    if (c.by_precedence) {
      std::cout << "  (tie with " << rules.domains()[*c.runner_up].id << ", decided by "
                << (rules.scoring().ties == ScoringSettings::Ties::kFirstMention ? "first mention" : "precedence") << ')';
    } else {
      std::cout << "  (margin " << format_weight(c.margin) << " over " << rules.domains()[*c.runner_up].id << ')';
    }
  }
  std::cout << '\n';
  return c.primary;
}

// The verdict of a diagnosis in one line: why the rule fires or not.
std::string verdict(const RuleDiagnosis& d) {
  const auto quote_matches = [&](bool vetoes) {
    std::string out;
    for (const auto& p : d.parts) {
      if (p.matched && p.veto() == vetoes) out += (out.empty() ? "" : ", ") + std::string(rule_part_kind_name(p.kind)) + " \"" + p.written + "\"";
    }
    return out;
  };
  if (d.fires()) return "fires (" + quote_matches(false) + ")";
  if (d.vetoed) return "does not fire: it matched (" + quote_matches(false) + ") but is vetoed by " + quote_matches(true);
  std::size_t tried = 0;
  const RulePart* only = nullptr;
  for (const auto& p : d.parts) {
    if (p.veto()) continue;
    ++tried;
    only = &p;
  }
  if (tried == 1) {
    return only->kind == RulePart::Kind::kNear ? std::string("does not fire: its `near` question does not hold")
                                               : std::string("does not fire: its ") + rule_part_kind_name(only->kind) +
                                                     " does not match";
  }
  return "does not fire: none of its " + std::to_string(tried) + (tried == 1 ? " part" : " parts") + " matches";
}

json diagnosis_json(const RuleSet& rules, const RuleEngine& engine, const std::size_t rule, const std::string& text) {
  const FoldedText folded = fold_with_offsets(text);
  const RuleDiagnosis d = engine.diagnose(rule, folded.text);
  const Classification c = engine.classify(folded.text);
  const Rule& r = rules.rules()[rule];
  json parts = json::array();
  for (const auto& p : d.parts) {
    parts.push_back({{"kind", rule_part_kind_name(p.kind)},
                     {"written", p.written},
                     {"matched", p.matched},
                     {"spans", spans_json(text, folded, p.spans)},
                     {"why", p.why.empty() ? json(nullptr) : json(p.why)}});
  }
  return {{"text", text},
          {"normalized", folded.text},
          {"rule", r.id},
          {"domain", rules.domains()[r.domain].id},
          {"weight", r.weight},
          {"fires", d.fires()},
          {"matched", d.matched},
          {"vetoed", d.vetoed},
          {"verdict", verdict(d)},
          {"parts", parts},
          {"primary", c.primary ? json(rules.domains()[*c.primary].id) : json(nullptr)}};
}

// Why one rule fires or not on one text, part by part; returns the text's primary domain.
std::optional<std::size_t> print_diagnosis(const RuleSet& rules, const RuleEngine& engine, std::size_t rule,
                                           const std::string& text, bool colour) {
  const FoldedText folded = fold_with_offsets(text);
  const RuleDiagnosis d = engine.diagnose(rule, folded.text);
  const Classification c = engine.classify(folded.text);
  const Rule& r = rules.rules()[rule];
  std::cout << "text        " << text << '\n' << "normalised  " << folded.text << '\n'
            << "rule        " << r.id << "  (" << rules.domains()[r.domain].id << ", weight " << format_weight(r.weight)
            << ")  " << r.where.to_string() << "\n\n";
  // Keywords and regexes in quotes; a question's lists are quoted already.
  const auto shown = [](const RulePart& p) {
    const bool question = p.kind == RulePart::Kind::kNear || p.kind == RulePart::Kind::kUnlessNear;
    return question ? p.written : "\"" + p.written + "\"";
  };
  std::size_t kind_width = 0, written_width = 0;
  for (const auto& p : d.parts) {
    kind_width = std::max(kind_width, std::string(rule_part_kind_name(p.kind)).size());
    written_width = std::max(written_width, display_width(shown(p)));
  }
  for (const auto& p : d.parts) {
    std::cout << "  " << pad_right(rule_part_kind_name(p.kind), kind_width) << "  " << pad_right(shown(p), written_width)
              << "  ";
    if (p.matched) {
      std::cout << (p.veto() ? (d.matched ? "matches, vetoes the rule  " : "matches (a veto; the rule did not match anyway)  ")
                             : "matches  ")
                << highlight(text, folded, p.spans, colour) << '\n';
    } else {
      std::cout << "no match: " << p.why;
      if (!p.spans.empty()) std::cout << "\n  " << std::string(kind_width + written_width + 4, ' ') << highlight(text, folded, p.spans, colour);
      std::cout << '\n';
    }
  }
  std::cout << "\nverdict     " << verdict(d) << '\n'
            << "primary     " << (c.primary ? rules.domains()[*c.primary].id : std::string("(unclassified)")) << '\n';
  return c.primary;
}

std::size_t find_rule_or_explain(const RuleSet& rules, const std::string& id) {
  if (const auto r = rules.find_rule(id)) return *r;
  // The ids of the same domain (the part before the first dot), to spot a typo.
  const std::string prefix = id.substr(0, id.find('.'));
  std::string near;
  for (const auto& r : rules.rules()) {
    if (r.id.rfind(prefix + ".", 0) == 0) near += (near.empty() ? "" : ", ") + r.id;
  }
  throw usage_error("baro explain --rule: rule set " + rules.id() + " has no rule \"" + id + "\"",
                    near.empty() ? "rule ids are written domain.name, as in the domain files (`baro rules stats` lists them)"
                                 : "its rules of " + prefix + ": " + near);
}

}  // namespace

int run_explain(const Args& args) {
  CommonPaths paths;
  std::vector<std::string> words;
  po::options_description options("options");
  add_rules_option(options, paths);
  options.add_options()("text", po::value(&words)->composing(), "the text to explain")(
      "file", po::value<std::string>()->value_name("FILE"),
      "explain every text of FILE: JSON Lines with `text` (or `description`) and optional `id` and `gold`, "
      "or plain text with one description per line")(
      "rule", po::value<std::string>()->value_name("ID"),
      "why rule ID fires or not: each of its keywords, its regex, `near` questions and vetoes")(
      "json", "machine-readable output (with --file: JSON Lines, one object per text)");
  po::positional_options_description positional;
  positional.add("text", -1);
  po::variables_map vm;
  if (!parse("explain", "[--rules DIR] [--json] [--rule ID] (\"TEXT\" | --file FILE)",
             "Shows how the rule set reads TEXT: its normalised form, every rule that fires with\n"
             "the words it matched, the rules vetoed by `unless`, the domain scores and the\n"
             "primary domain. With --file, every text of FILE in turn, the rules loaded once (JSON\n"
             "Lines — `text` or `description`, optional `id` and `gold`, so a labelled set reads as\n"
             "is — or plain text, one description per line). With --rule ID, why that rule fires\n"
             "or not: which of its keywords match, which part of its regex or of a `near` question\n"
             "fails, which veto (`unless`, `unless_regex`, `unless_near`) stops it.",
             options, positional, args, vm))
    return 0;
  const bool from_file = vm.count("file") > 0;
  if (from_file && !words.empty()) {
    throw usage_error("baro explain: give a TEXT or --file FILE, not both", "e.g. baro explain --file texts.jsonl");
  }
  if (!from_file && words.empty()) {
    throw usage_error("baro explain: no text given", "usage: baro explain \"TEXT\", or baro explain --file FILE");
  }
  const auto rules = load_rules(paths);
  const RuleEngine engine(*rules);
  std::optional<std::size_t> rule;
  if (vm.count("rule")) rule = find_rule_or_explain(*rules, vm["rule"].as<std::string>());
  const bool as_json = vm.count("json") > 0;
  const bool colour = !as_json && use_colour(STDOUT_FILENO);

  if (!from_file) {
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
    if (as_json) {
      std::cout << (rule ? diagnosis_json(*rules, engine, *rule, text) : explanation_json(*rules, engine, text)).dump(2)
                << '\n';
    } else if (rule) {
      print_diagnosis(*rules, engine, *rule, text, colour);
    } else {
      print_explanation(*rules, engine, text, colour);
    }
    return 0;
  }

  const std::string file = vm["file"].as<std::string>();
  const auto texts = load_texts_to_explain(file, *rules);
  std::size_t with_gold = 0, right = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const TextToExplain& t = texts[i];
    if (as_json) {
      json out = rule ? diagnosis_json(*rules, engine, *rule, t.text) : explanation_json(*rules, engine, t.text);
      out["id"] = t.id;
      out["line"] = t.where.line;
      if (t.has_gold) {
        out["gold"] = t.gold ? json(*t.gold) : json(nullptr);
        out["correct"] = out["primary"] == out["gold"];
        ++with_gold;
      }
      std::cout << out.dump() << '\n';
      continue;
    }
    std::cout << (i == 0 ? "" : "\n") << "── " << t.id << "  " << t.where.to_string();
    if (t.has_gold) std::cout << "  gold " << (t.gold ? *t.gold : std::string("null"));
    std::cout << '\n';
    const auto primary = rule ? print_diagnosis(*rules, engine, *rule, t.text, colour)
                              : print_explanation(*rules, engine, t.text, colour);
    if (t.has_gold) {
      ++with_gold;
      const bool correct = (primary ? std::optional<std::string>(rules->domains()[*primary].id) : std::nullopt) == t.gold;
      right += correct ? 1 : 0;
      std::cout << "gold        " << (t.gold ? *t.gold : std::string("null")) << (correct ? "  (right)" : "  (wrong)")
                << '\n';
    }
  }
  if (!as_json) {
    std::cout << "\n" << texts.size() << (texts.size() == 1 ? " text" : " texts");
    if (with_gold > 0) std::cout << ", " << right << " of " << with_gold << " with a gold domain right";
    std::cout << '\n';
  }
  return 0;
}

}  // namespace baro::cli
