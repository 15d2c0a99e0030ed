// Writing a classifier: derive from baro::sdk::Classifier, give it a constructor taking
// (const Options&, const ClassifierContext&, const Host&), implement classify(), and name the
// class once in BARO_CLASSIFIER.
//
// A classifier gets an initiative's description (as written, and folded as the rules engine
// matches it: Unicode lower case, diacritics removed, œ spelled oe) and adds the domains it finds, each with a score
// and the evidence for it. Domains are the rule set's ids (ClassifierContext::domains()); the
// highest score is the primary domain. Classifiers run as a chain (`baro classify
// --classifier A --classifier B`): a text that A leaves unclassified goes to B. The built-in
// RE2 rules engine is the classifier named "rules".
//
// Identity is data: the host stores the classifier's name and version with every run, so
// change the version whenever the same text can get a different result.
//
// Lifetime and threading: the host creates one instance per classifying thread (Baro's
// pipeline classifies on several), calls each instance's classify() from one thread at a
// time, and destroys the instances when the run is written. Keep static data immutable or
// synchronised, and no thread_local objects with destructors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "baro/sdk/plugin.hpp"

namespace baro::sdk {

// The rule set the run uses (views valid during the constructor: copy what you keep).
class ClassifierContext {
 public:
  explicit ClassifierContext(const baro_classifier_context& raw) : raw_(raw) {
    for (std::size_t i = 0; i < raw.domain_count; ++i) domains_.push_back(detail::view(raw.domains[i]));
  }
  std::string_view ruleset_dir() const noexcept { return detail::view(raw_.ruleset_dir); }
  std::string_view ruleset_id() const noexcept { return detail::view(raw_.ruleset_id); }
  std::string_view ruleset_version() const noexcept { return detail::view(raw_.ruleset_version); }
  std::string_view ruleset_hash() const noexcept { return detail::view(raw_.ruleset_hash); }
  // Domain ids in rule-set order: the only ids classify() may add.
  const std::vector<std::string_view>& domains() const noexcept { return domains_; }

 private:
  const baro_classifier_context& raw_;
  std::vector<std::string_view> domains_;
};

// The result of one classify() call.
class Result {
 public:
  Result(void* sink, baro_add_domain_fn add_fn, const baro_host* host = nullptr) noexcept
      : result_(sink), add_(add_fn), host_(host) {}
  // Adds `domain` (an id of ClassifierContext::domains()) with `score` > 0. An unknown id
  // fails the classification with a message naming it.
  void add(std::string_view domain, double score, std::string_view evidence = {}) const noexcept {
    add_(result_, detail::str(domain), score, detail::str(evidence));
  }
  // Records rules that matched but were vetoed (space-separated ids), which the host keeps
  // in classifications.vetoed. A host older than plugin API 1.1 ignores it.
  void vetoed(std::string_view rule_ids) const noexcept {
    if (host_ == nullptr || rule_ids.empty()) return;
    if (host_->struct_size < offsetof(baro_host, add_vetoed) + sizeof host_->add_vetoed) return;
    if (host_->add_vetoed != nullptr) host_->add_vetoed(result_, detail::str(rule_ids));
  }

 private:
  void* result_;
  baro_add_domain_fn add_;
  const baro_host* host_;
};

class Classifier {
 public:
  virtual ~Classifier() = default;
  virtual void classify(std::string_view text, std::string_view folded, const Result& result) = 0;
};

namespace detail {

template <class T>
struct ClassifierGlue {
  static std::int32_t create(const baro_option* options, std::size_t count, const baro_classifier_context* context,
                             const baro_host* host, void** instance) noexcept {
    *instance = nullptr;
    return guard(host, [&] {
      *instance = static_cast<Classifier*>(new T(Options(options, count, host), ClassifierContext(*context), Host(host)));
    });
  }
  static void destroy(void* instance) noexcept { delete static_cast<Classifier*>(instance); }
  static std::int32_t classify(void* instance, baro_str text, baro_str folded, void* result, baro_add_domain_fn add,
                               const baro_host* host) noexcept {
    return guard(host, [&] { static_cast<Classifier*>(instance)->classify(view(text), view(folded), Result(result, add, host)); });
  }
  static constexpr baro_classifier_vtable kVtable = {sizeof(baro_classifier_vtable), &create, &destroy, &classify};
};

template <class T>
const baro_plugin_descriptor* classifier_descriptor(std::string_view name, std::string_view version,
                                                    std::string_view description) noexcept {
  static const baro_plugin_descriptor d = [&] {
    auto out = make_descriptor(BARO_PLUGIN_CLASSIFIER, name, version, description, nullptr, 0);
    out.classifier = &ClassifierGlue<T>::kVtable;
    return out;
  }();
  return &d;
}

template <class T, std::size_t N>
const baro_plugin_descriptor* classifier_descriptor(std::string_view name, std::string_view version,
                                                    std::string_view description, const Option (&options)[N]) noexcept {
  static const std::array<baro_option_spec, N> specs = to_specs(options);
  static const baro_plugin_descriptor d = [&] {
    auto out = make_descriptor(BARO_PLUGIN_CLASSIFIER, name, version, description, specs.data(), N);
    out.classifier = &ClassifierGlue<T>::kVtable;
    return out;
  }();
  return &d;
}

}  // namespace detail
}  // namespace baro::sdk

// Generates the plugin's one exported symbol for classifier class CLASS (see BARO_EXPORTER).
#define BARO_CLASSIFIER(CLASS, NAME, VERSION, DESCRIPTION, ...)                                  \
  extern "C" BARO_PLUGIN_EXPORT const baro_plugin_descriptor* baro_plugin_entry(void) noexcept { \
    return ::baro::sdk::detail::classifier_descriptor<CLASS>(NAME, VERSION, DESCRIPTION __VA_OPT__(, ) __VA_ARGS__); \
  }
