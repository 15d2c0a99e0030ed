// An example partner classifier: gives a domain to every description that holds one of a
// few words. Built with the exporters so that the test suite compiles a classifier against
// the installed SDK too, under the same strict warnings.
//
//   baro classify --classifier rules --classifier mots-cles
//                 --classifier-option mots-cles.domain=acces survey.csv
#include <baro/sdk.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr baro::sdk::Option kOptions[] = {
    {"words", baro::sdk::OptionType::kString, "wifi|fibre", "words to look for in the folded text, separated by '|'"},
    {"domain", baro::sdk::OptionType::kString, "", "the domain they give (default: the rule set's first)"},
    {"score", baro::sdk::OptionType::kNumber, "1", "the score given", {}, "0.001", "100"},
};

class MotsCles final : public baro::sdk::Classifier {
 public:
  MotsCles(const baro::sdk::Options& options, const baro::sdk::ClassifierContext& context, const baro::sdk::Host&)
      : domain_(options.get("domain")), score_(options.get_number("score")) {
    if (context.domains().empty()) throw baro::sdk::DataError("the rule set has no domain");
    if (domain_.empty()) domain_ = context.domains().front();
    bool known = false;
    for (const auto d : context.domains()) known = known || d == domain_;
    if (!known) throw baro::sdk::OptionError("--domain " + domain_ + ": not a domain of rule set " + std::string(context.ruleset_id()));
    std::string_view rest = options.get("words");
    while (!rest.empty()) {
      const auto bar = rest.find('|');
      if (bar != 0) words_.emplace_back(rest.substr(0, bar));
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
  }

  void classify(std::string_view, std::string_view folded, const baro::sdk::Result& result) override {
    for (const auto& word : words_) {
      if (folded.find(word) != std::string_view::npos) {
        result.add(domain_, score_, "mots-cles:" + word);
        return;
      }
    }
  }

 private:
  std::string domain_;  // copied: the context's views die with the constructor
  double score_;
  std::vector<std::string> words_;
};

}  // namespace

BARO_CLASSIFIER(MotsCles, "mots-cles", "1.0.0", "gives a domain to descriptions holding one of a few words", kOptions)
