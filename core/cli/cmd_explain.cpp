#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

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

}  // namespace

int run_explain(const Args& args) {
  CommonPaths paths;
  std::vector<std::string> words;
  po::options_description options("options");
  add_rules_option(options, paths);
  options.add_options()("text", po::value(&words)->composing(), "the text to explain")("json", "machine-readable output");
  po::positional_options_description positional;
  positional.add("text", -1);
  po::variables_map vm;
  if (!parse("explain", "[--rules DIR] [--json] \"TEXT\"",
             "Shows how the rule set reads TEXT: its normalised form, every rule that fires with\n"
             "the words it matched, the rules vetoed by `unless`, the domain scores and the\n"
             "primary domain.",
             options, positional, args, vm))
    return 0;
  if (words.empty()) throw usage_error("baro explain: no text given", "usage: baro explain \"TEXT\"");
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;

  const auto rules = load_rules(paths);
  const RuleEngine engine(*rules);
  const FoldedText folded = fold_with_offsets(text);
  const Classification c = engine.classify(folded.text);

  if (vm.count("json")) {
    nlohmann::json out;
    out["text"] = text;
    out["normalized"] = folded.text;
    out["primary"] = c.primary ? nlohmann::json(rules->domains()[*c.primary].id) : nlohmann::json(nullptr);
    out["rules"] = nlohmann::json::array();
    for (std::size_t r : c.fired) {
      nlohmann::json rule{{"id", rules->rules()[r].id},
                          {"domain", rules->domains()[rules->rules()[r].domain].id},
                          {"weight", rules->rules()[r].weight},
                          {"spans", nlohmann::json::array()}};
      if (const FittedWeights* fitted = rules->fitted()) {
        rule["fitted"] = nlohmann::json::object();
        for (const auto& d : c.domains) rule["fitted"][rules->domains()[d.domain].id] = fitted_contribution(*rules, *fitted, r, d.domain);
      }
      for (const auto& s : engine.spans(r, folded.text)) {
        const std::size_t b = folded.source_offsets[s.begin], e = folded.source_offsets[s.end];
        rule["spans"].push_back({{"begin", b}, {"end", e}, {"text", text.substr(b, e - b)}});
      }
      out["rules"].push_back(rule);
    }
    out["vetoed"] = nlohmann::json::array();
    for (std::size_t r : c.vetoed) out["vetoed"].push_back(rules->rules()[r].id);
    out["scores"] = nlohmann::json::object();
    for (const auto& d : c.domains) out["scores"][rules->domains()[d.domain].id] = d.score;
    out["weights"] = rules->fitted() != nullptr ? "fitted" : "hand-set";
    if (const FittedWeights* fitted = rules->fitted()) {
      out["scale"] = fitted->scale;
      out["offsets"] = nlohmann::json::object();
      for (const auto& d : c.domains) out["offsets"][rules->domains()[d.domain].id] = fitted->offsets[d.domain];
    }
    out["runner_up"] = c.runner_up ? nlohmann::json(rules->domains()[*c.runner_up].id) : nlohmann::json(nullptr);
    out["margin"] = c.primary ? nlohmann::json(c.margin) : nlohmann::json(nullptr);
    out["by_precedence"] = c.by_precedence;
    std::cout << out.dump(2) << '\n';
    return 0;
  }

  const bool colour = use_colour(STDOUT_FILENO);
  std::cout << "text        " << text << '\n' << "normalised  " << folded.text << "\n\n";
  if (c.fired.empty() && c.vetoed.empty()) std::cout << "no rule fires\n";
  for (std::size_t r : c.fired) {
    const Rule& rule = rules->rules()[r];
    const std::string fitted = fitted_contributions(*rules, c, r);
    std::cout << "fires  " << rule.id << "  (" << rules->domains()[rule.domain].id << ", weight "
              << format_weight(rule.weight) << (fitted.empty() ? "" : "; fitted " + fitted) << ")  "
              << rule.where.to_string() << "\n       "
              << highlight(text, folded, engine.spans(r, folded.text), colour) << '\n';
  }
  for (std::size_t r : c.vetoed) {
    const Rule& rule = rules->rules()[r];
    std::cout << "vetoed " << rule.id << "  (" << rules->domains()[rule.domain].id << "): matched "
              << highlight(text, folded, engine.spans(r, folded.text), colour) << "\n       but its `unless` matched "
              << highlight(text, folded, engine.veto_spans(r, folded.text), colour) << '\n';
  }
  if (!c.domains.empty()) {
    if (const FittedWeights* fitted = rules->fitted()) {
      std::cout << "\noffsets";
      char number[32];
      for (const auto& d : c.domains) {
        std::snprintf(number, sizeof number, "%+.2f", fitted->offsets[d.domain]);
        std::cout << "  " << rules->domains()[d.domain].id << " " << number;
      }
      std::cout << "  (fitted: " << fitted->file.filename().string() << ", hand-set scores × "
                << format_weight(fitted->scale) << "; scores are shares of the candidates)";
    }
    std::cout << "\nscores";
    for (const auto& d : c.domains) {
      std::cout << "  " << rules->domains()[d.domain].id << " " << format_weight(d.score);
    }
    std::cout << '\n';
  }
  std::cout << "primary     " << (c.primary ? rules->domains()[*c.primary].id : std::string("(unclassified)"));
  if (c.primary && c.runner_up) {
    if (c.by_precedence) {
      std::cout << "  (tie with " << rules->domains()[*c.runner_up].id << ", decided by precedence)";
    } else {
      std::cout << "  (margin " << format_weight(c.margin) << " over " << rules->domains()[*c.runner_up].id << ')';
    }
  }
  std::cout << '\n';
  return 0;
}

}  // namespace baro::cli
