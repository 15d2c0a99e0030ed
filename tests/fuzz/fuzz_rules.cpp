// Fuzz target for the rule-file loader and the keyword compiler (baro/rules.hpp).
//
// Rule files are written by hand by maintainers who are not RE2 experts; whatever they
// write must be loaded or refused with a baro::Error naming the file and rule, never crash,
// hang or exhaust memory. The input is one domain's rule file, loaded inside a fixed
// two-domain rule set. When it loads, every rule is compiled into the engine, which then
// classifies a few folded texts (the input itself among them) and computes the spans of the
// rules that fired, as `baro explain` does. Every line of the input is also given to
// compile_keywords() as a keyword: the resulting pattern must compile in RE2 and match the
// first keyword's own text.
//
// The RE2 memory budget is kept small (8 MiB) so the "too large for RE2's memory limit"
// paths are reached and the fuzzer's memory stays bounded.
#include <re2/re2.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "baro/error.hpp"
#include "baro/normalize.hpp"
#include "baro/rules.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMaxMemBytes = 8 << 20;

[[noreturn]] void broken(const char* promise) {
  std::fprintf(stderr, "fuzz_rules: broken promise: %s\n", promise);
  std::abort();
}

void write(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

const fs::path& rule_dir() {
  static const fs::path dir = [] {
    const fs::path shm("/dev/shm");
    std::error_code ec;
    const fs::path base = fs::is_directory(shm, ec) ? shm : fs::temp_directory_path();
    const fs::path d = base / ("baro-fuzz-rules-" + std::to_string(::getpid()));
    fs::create_directories(d);
    write(d / "ruleset.json",
          R"({"id": "fuzz", "version": "1", "domains": [)"
          R"({"id": "acces", "label": "Accès", "file": "acces.json"},)"
          R"({"id": "culture", "label": "Culture", "file": "culture.json"}]})");
    write(d / "culture.json",
          R"({"domain": "culture", "rules": [{"id": "culture.mediatheque", "keywords": ["médiathèque*"]}]})");
    return d;
  }();
  return dir;
}

struct RemoveAtExit {
  ~RemoveAtExit() {
    std::error_code ec;
    fs::remove_all(rule_dir(), ec);
  }
} remove_at_exit;

void load_and_run(std::string_view rule_file) {
  write(rule_dir() / "acces.json", rule_file);
  baro::RuleSetOptions options;
  options.max_mem_bytes = kMaxMemBytes;
  try {
    const auto rules = baro::RuleSet::load(rule_dir(), options);
    const baro::RuleEngine engine(*rules);
    const std::string texts[] = {
        baro::fold("Ateliers numériques à l'EPN de la médiathèque, Wi-Fi public gratuit"),
        baro::fold(rule_file.substr(0, 4096)),
    };
    for (const auto& text : texts) {
      const baro::Classification c = engine.classify(text);
      for (std::size_t rule : c.fired) {
        if (rule >= rules->rules().size()) broken("fired rules are rule indices");
        for (const auto& span : engine.spans(rule, text)) {
          if (span.begin > span.end || span.end > text.size()) broken("spans lie inside the text");
        }
      }
      if (c.primary && *c.primary >= rules->domains().size()) broken("the primary is a domain index");
    }
  } catch (const baro::Error& e) {
    if (e.code() != baro::ExitCode::kConfig) broken("a rule file is refused as a configuration error (78)");
    if (e.where().file.empty()) broken("a refused rule file is named");
  }
}

void compile_lines_as_keywords(std::string_view input) {
  std::vector<std::string> keywords;
  while (!input.empty() && keywords.size() < 64) {
    const auto nl = input.find('\n');
    keywords.emplace_back(input.substr(0, nl));
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  }
  if (keywords.empty()) return;
  std::string pattern;
  try {
    pattern = baro::compile_keywords(keywords, {"fuzz"}, "fuzz.keywords");
  } catch (const baro::Error&) {
    return;  // an empty keyword, a misplaced '*': refused with a message
  }
  RE2::Options re2_options;
  re2_options.set_log_errors(false);
  re2_options.set_max_mem(kMaxMemBytes);
  const RE2 re(pattern, re2_options);
  if (!re.ok() && re.error_code() != RE2::ErrorPatternTooLarge) broken("a compiled keyword list is valid RE2");
  // A keyword (without its wildcard) always matches its own text: rules are documented by
  // their keywords, and `baro explain` relies on it.
  if (re.ok() && keywords.front().find('*') == std::string::npos &&
      !RE2::PartialMatch(baro::fold(keywords.front()), re)) {
    broken("a keyword matches its own text");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  load_and_run(input);
  compile_lines_as_keywords(input);
  return 0;
}
