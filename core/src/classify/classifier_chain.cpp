#include <nlohmann/json.hpp>

#include "baro/classifier.hpp"
#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "baro/version.hpp"

namespace baro {

RulesClassifier::RulesClassifier(const RuleEngine& engine)
    : engine_(engine), identity_{kRulesClassifierName, kVersion} {}

void RulesClassifier::classify(std::string_view, std::string_view folded, ClassifierOutput& out) {
  const RuleSet& rules = engine_.rule_set();
  const Classification c = engine_.classify(folded);
  out.primary = c.primary;
  for (const auto& d : c.domains) {
    std::string fired;
    for (std::size_t r : d.rules) {
      if (!fired.empty()) fired += ' ';
      fired += rules.rules()[r].id;
    }
    out.domains.push_back({d.domain, d.score, std::move(fired)});
  }
  for (std::size_t r : c.vetoed) {
    if (!out.vetoed.empty()) out.vetoed += ' ';
    out.vetoed += rules.rules()[r].id;
  }
}

ClassifierChain::ClassifierChain(const RuleSet& rules, std::vector<std::unique_ptr<Classifier>> chain)
    : rules_(rules), chain_(std::move(chain)) {
  if (chain_.empty()) throw internal_error("a classifier chain needs at least one classifier");
}

std::unique_ptr<ClassifierChain> ClassifierChain::rules_only(const RuleEngine& engine) {
  std::vector<std::unique_ptr<Classifier>> chain;
  chain.push_back(std::make_unique<RulesClassifier>(engine));
  return std::make_unique<ClassifierChain>(engine.rule_set(), std::move(chain));
}

std::unique_ptr<ClassifierChain> ClassifierChain::clone() const {
  std::vector<std::unique_ptr<Classifier>> copies;
  for (const auto& c : chain_) {
    copies.push_back(c->clone());
    if (copies.back() == nullptr) return nullptr;
  }
  return std::make_unique<ClassifierChain>(rules_, std::move(copies));
}

std::vector<ClassifierIdentity> ClassifierChain::identities() const {
  std::vector<ClassifierIdentity> out;
  for (const auto& c : chain_) out.push_back(c->identity());
  return out;
}

std::string ClassifierChain::identities_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : chain_) out.push_back({{"name", c->identity().name}, {"version", c->identity().version}});
  return out.dump();
}

void ClassifierChain::classify(std::string_view text, Result& result) {
  folded_ = fold(text);
  result.vetoed.clear();
  for (const auto& c : chain_) {
    result.output.clear();
    result.by = nullptr;
    c->classify(text, folded_, result.output);
    if (!result.output.vetoed.empty()) {
      if (!result.vetoed.empty()) result.vetoed += ' ';
      result.vetoed += result.output.vetoed;
    }
    if (result.output.primary) {
      result.by = c.get();
      return;
    }
  }
  // Nobody decided: the text stays unclassified, whatever weak signals were seen.
  result.output.clear();
}

}  // namespace baro
