// A classifier plugin behind the engine's Classifier interface.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>

#include "plugin_host/registry.hpp"

namespace baro::plugin_host {
namespace {

class PluginClassifier final : public Classifier {
 public:
  PluginClassifier(const LoadedPlugin& plugin, const PluginOptionValues& options, const PluginOptionValues& given,
                   const RuleEngine& engine)
      : plugin_(plugin),
        options_(options),
        given_(given),
        engine_(engine),
        identity_{plugin.info.name, plugin.info.version},
        host_(std::make_unique<HostServices>(plugin.info.name, plugin.info.path)) {
    const RuleSet& rules = engine.rule_set();
    std::vector<baro_str> domains;
    for (const auto& d : rules.domains()) domains.push_back(str(d.id));
    const std::string dir = rules.directory().string();
    baro_classifier_context context{};
    context.struct_size = sizeof context;
    context.ruleset_dir = str(dir);
    context.ruleset_id = str(rules.id());
    context.ruleset_version = str(rules.version());
    context.ruleset_hash = str(rules.content_hash());
    context.domains = domains.data();
    context.domain_count = domains.size();
    const COptions c_options(plugin, options, given);
    const std::int32_t status = plugin.descriptor->classifier->create(c_options.data(), c_options.size(), &context,
                                                                      host_->raw(), &instance_);
    if (status != BARO_OK || instance_ == nullptr) {
      throw host_->error_for(status == BARO_OK ? BARO_STATUS_INTERNAL : status, "to start");
    }
  }
  ~PluginClassifier() override {
    // Whoever allocates, frees: the instance goes back to the plugin that made it.
    plugin_.descriptor->classifier->destroy(instance_);
  }
  PluginClassifier(const PluginClassifier&) = delete;
  PluginClassifier& operator=(const PluginClassifier&) = delete;

  const ClassifierIdentity& identity() const noexcept override { return identity_; }

  // Another instance of the plugin, for another thread. The SDK's contract (sdk/classifier.hpp)
  // is one instance per thread, never one instance from two threads; each instance has its
  // own HostServices, so a failure message always belongs to the call that failed.
  std::unique_ptr<Classifier> clone() const override {
    return std::make_unique<PluginClassifier>(plugin_, options_, given_, engine_);
  }

  void classify(std::string_view text, std::string_view folded, ClassifierOutput& out) override {
    Sink sink{this, &out, {}};
    host_->reset();
    const std::int32_t status = plugin_.descriptor->classifier->classify(instance_, str(text), str(folded), &sink,
                                                                         &PluginClassifier::add, host_->raw());
    if (!sink.problem.empty()) {
      throw Error(ExitCode::kDataError, "plugin " + identity_.name + " " + sink.problem, {plugin_.info.path.string()},
                  "a classifier may only return the rule set's domain ids; report this to the plugin's authors");
    }
    if (status != BARO_OK) throw host_->error_for(status, "to classify \"" + excerpt(text) + "\"");
    // The primary domain: highest score, ties to the rule set's precedence list, as the
    // rules engine does (score_rules).
    std::sort(out.domains.begin(), out.domains.end(), [](const auto& a, const auto& b) { return a.domain < b.domain; });
    const RuleSet& rules = engine_.rule_set();
    for (const auto& d : out.domains) {
      if (!out.primary || d.score > best_ ||
          (d.score == best_ && rules.precedence_rank(d.domain) < rules.precedence_rank(*out.primary))) {
        out.primary = d.domain;
        best_ = d.score;
      }
    }
    if (rules.scoring().ties == ScoringSettings::Ties::kFirstMention) break_tie_by_first_mention(folded, out);
  }

  // "ties": "first_mention", as score_rules() breaks it: among the domains tied on the highest
  // score, the one whose rules matched first in the text, then precedence. Where they matched
  // is found from the evidence, when it is the ids of the set's rules that fired (what the
  // hyperscan classifier reports); a plugin whose evidence is anything else keeps precedence.
  void break_tie_by_first_mention(std::string_view folded, ClassifierOutput& out) const {
    if (!out.primary) return;
    const RuleSet& rules = engine_.rule_set();
    std::size_t tied = 0;
    for (const auto& d : out.domains) tied += d.score == best_ ? 1 : 0;
    if (tied < 2) return;
    std::optional<std::size_t> best_domain;
    std::size_t best_start = 0;
    for (const auto& d : out.domains) {
      if (d.score != best_) continue;
      std::size_t start = std::numeric_limits<std::size_t>::max();
      std::size_t from = 0;
      while (from < d.evidence.size()) {
        std::size_t to = d.evidence.find(' ', from);
        if (to == std::string::npos) to = d.evidence.size();
        const auto rule = rules.find_rule(std::string_view(d.evidence).substr(from, to - from));
        if (!rule) return;  // not rule ids: precedence stands
        for (const Span& span : engine_.spans(*rule, folded)) start = std::min(start, span.begin);
        from = to + 1;
      }
      if (!best_domain || start < best_start ||
          (start == best_start && rules.precedence_rank(d.domain) < rules.precedence_rank(*best_domain))) {
        best_domain = d.domain;
        best_start = start;
      }
    }
    out.primary = best_domain;
  }

  // What classify() hands the plugin as `result`: also reached by add_vetoed_to_result.
  struct Sink {
    PluginClassifier* self;
    ClassifierOutput* out;
    std::string problem;  // the first bad domain id, reported after the call returns
  };

 private:

  static void add(void* result, baro_str domain, double score, baro_str evidence) noexcept {
    auto& sink = *static_cast<Sink*>(result);
    try {
      if (!(score > 0) || !std::isfinite(score)) return;
      const auto index = sink.self->engine_.rule_set().find_domain(view(domain));
      if (!index) {
        if (sink.problem.empty()) sink.problem = "returned the unknown domain \"" + std::string(view(domain)) + "\"";
        return;
      }
      for (auto& d : sink.out->domains) {
        if (d.domain == *index) {  // the same domain twice: scores add up
          d.score += score;
          if (evidence.size > 0) d.evidence += (d.evidence.empty() ? "" : " ") + std::string(view(evidence));
          return;
        }
      }
      sink.out->domains.push_back({*index, score, std::string(view(evidence))});
    } catch (...) {
      if (sink.problem.empty()) sink.problem = "could not be recorded (out of memory)";
    }
  }

  static std::string excerpt(std::string_view text) {
    std::string out(text.substr(0, 60));
    if (text.size() > 60) out += "…";
    return out;
  }

  const LoadedPlugin& plugin_;
  const PluginOptionValues options_, given_;  // kept for clone()
  const RuleEngine& engine_;
  ClassifierIdentity identity_;
  std::unique_ptr<HostServices> host_;  // the baro_host of this instance's calls
  void* instance_ = nullptr;
  double best_ = 0.0;
};

}  // namespace

void add_vetoed_to_result(void* result, baro_str rule_ids) noexcept {
  if (result == nullptr || rule_ids.size == 0) return;
  auto& sink = *static_cast<PluginClassifier::Sink*>(result);
  try {
    std::string& vetoed = sink.out->vetoed;
    if (!vetoed.empty()) vetoed += ' ';
    vetoed += view(rule_ids);
  } catch (...) {
    if (sink.problem.empty()) sink.problem = "could not be recorded (out of memory)";
  }
}

std::unique_ptr<Classifier> make_plugin_classifier(const LoadedPlugin& plugin, const PluginOptionValues& options,
                                                   const PluginOptionValues& given, const RuleEngine& engine) {
  return std::make_unique<PluginClassifier>(plugin, options, given, engine);
}

}  // namespace baro::plugin_host
