// Classifiers, on the engine's side: one interface for the built-in RE2 rules engine and for
// classifier plugins, and the chain that runs them in order.
//
// A chain is what `baro classify --classifier A --classifier B` builds: each text goes to A,
// and only what A leaves unclassified goes to B, and so on. Without --classifier the chain is
// the rules engine alone. Each stored classification records which classifier produced it,
// and each run records the name and version of every classifier in its chain (docs/schema.md):
// identity is data.
//
// Thread-safety: a Classifier (and so a chain) is used from one thread at a time; plugin
// instances are not required to be reentrant. For the import pipeline's threads a chain
// clones itself: a RulesClassifier shares its reentrant RuleEngine, a plugin classifier
// asks the plugin for another instance (the SDK's contract: one instance per thread).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baro/rules.hpp"
#include "baro/store.hpp"

namespace baro {

// The name under which the built-in RE2 rules engine is registered.
inline constexpr const char* kRulesClassifierName = "rules";

struct ClassifiedDomain {
  std::size_t domain = 0;  // index into RuleSet::domains()
  double score = 0.0;
  std::string evidence;    // rules classifier: space-separated ids of the rules that fired
};

struct ClassifierOutput {
  std::optional<std::size_t> primary;     // nullopt: unclassified
  std::vector<ClassifiedDomain> domains;  // rule-set order
  std::string vetoed;                     // rules classifier: ids of the rules an `unless` vetoed
  void clear() {
    primary.reset();
    domains.clear();
    vetoed.clear();
  }
};

class Classifier {
 public:
  virtual ~Classifier() = default;
  virtual const ClassifierIdentity& identity() const noexcept = 0;
  // Classifies one text (`folded` = fold(text)) into `out`, which arrives cleared. Throws
  // baro::Error when the classifier fails; nothing is stored then.
  virtual void classify(std::string_view text, std::string_view folded, ClassifierOutput& out) = 0;
  // Another instance giving the same answers, for another thread; nullptr when there can be
  // only this one: the caller then keeps to one thread.
  virtual std::unique_ptr<Classifier> clone() const { return nullptr; }
};

// The built-in RE2 rules engine as a Classifier. Its version is the engine's: its output
// changes only with the engine or the rule set, whose content hash each run records.
class RulesClassifier final : public Classifier {
 public:
  explicit RulesClassifier(const RuleEngine& engine);  // `engine` must outlive this
  const ClassifierIdentity& identity() const noexcept override { return identity_; }
  void classify(std::string_view text, std::string_view folded, ClassifierOutput& out) override;
  std::unique_ptr<Classifier> clone() const override { return std::make_unique<RulesClassifier>(engine_); }

 private:
  const RuleEngine& engine_;
  ClassifierIdentity identity_;
};

class ClassifierChain {
 public:
  // `chain` must not be empty; every classifier works with the domains of `rules`.
  ClassifierChain(const RuleSet& rules, std::vector<std::unique_ptr<Classifier>> chain);
  // The chain of the rules engine alone (what `baro classify` uses by default).
  static std::unique_ptr<ClassifierChain> rules_only(const RuleEngine& engine);
  ClassifierChain(const ClassifierChain&) = delete;
  ClassifierChain& operator=(const ClassifierChain&) = delete;

  const RuleSet& rule_set() const noexcept { return rules_; }
  std::vector<ClassifierIdentity> identities() const;
  // [{"name": …, "version": …}] in chain order: what runs.classifiers stores.
  std::string identities_json() const;

  struct Result {
    ClassifierOutput output;
    const Classifier* by = nullptr;  // the classifier that decided; nullptr if none did
    // The vetoes of every classifier that ran, not only the one that decided: a rule vetoed
    // before a later classifier took the text still tells its maintainer something.
    std::string vetoed;
  };
  // The same chain for another thread (see Classifier::clone); nullptr when a member
  // cannot be cloned.
  std::unique_ptr<ClassifierChain> clone() const;

  // Folds `text` once and runs the chain until a classifier finds a primary domain.
  void classify(std::string_view text, Result& result);

 private:
  const RuleSet& rules_;
  std::vector<std::unique_ptr<Classifier>> chain_;
  std::string folded_;
};

}  // namespace baro
