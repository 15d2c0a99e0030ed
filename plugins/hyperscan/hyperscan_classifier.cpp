// The `hyperscan` classifier: the rule set of the run, matched with Hyperscan, giving exactly
// the labels of the built-in RE2 classifier `rules` (same primary domain, domains, scores,
// evidence and vetoes). docs/plugins.md, "The hyperscan classifier", is the user's view.
//
// Exactness comes from using the engine's own loader and pattern builder (baro_core is linked
// in statically) and from this split, everything in Hyperscan's byte mode:
//   - Keywords (of keyword rules, and `unless` keywords) start from the engine's scanner form
//     (rules::padded_keyword_pattern: C w1 [ '\-]+ w2 C on " " + text + " ", C being "an
//     ASCII character other than a-z 0-9"). The text is rewritten once so that those become
//     literals: a run of spaces, hyphens and apostrophes becomes one space, any other C
//     character " \x02 ". Then `C w1 [ '\-]+ w2 C` matches the text exactly where
//     " w1 w2 " occurs in the rewritten one (a `*` suffix: " w1" + [^ \x02]*), and
//     Hyperscan matches thousands of literals fast. A keyword with other characters than
//     a-z, 0-9 and non-ASCII in its words keeps its exact pattern, on the text as it is.
//     No confirmation: these matches are RE2's.
//   - Regexes (regex rules, `unless_regex`) are compiled as written (Rule::pattern; each
//     `unless_regex` as the engine wraps it) and scanned on the text with every non-ASCII
//     character replaced by one byte \x01. RE2 counts `.{0,40}` in characters, Hyperscan in
//     bytes; after the replacement a character is a byte. \x01 is, like any non-ASCII
//     character, matched by `.`, `\W`, `\S`, `\D` and negated ASCII classes and not a word
//     character for `\b`; regexes that could tell them apart (non-ASCII, control bytes,
//     `\x`, `\p`, `\C`, octal escapes, POSIX classes) run on RE2 alone. Where the two
//     dialects differ on ASCII (`$` before a final newline, `\s` and `\v` with a vertical
//     tab, `{,n}`), and for a regex Hyperscan only takes in its prefilter mode (a superset),
//     each hit is confirmed by RE2 with the rule's exact pattern. A regex Hyperscan refuses
//     even as a prefilter runs on RE2 alone, for every text; such rules are reported once.
//   - Proximity questions (`near` rules, `unless_near` vetoes) are the engine's own
//     rules::WordMatcher, called on the folded text: one definition of proximity, not two.
//   - Texts where the byte view could differ from RE2's (invalid UTF-8; U+212A KELVIN SIGN
//     and U+017F LONG S, which RE2's (?i) matches for k and s) go to the engine's own
//     RuleEngine, built on first need. Folded text is normally neither.
//
// Compiling the bundled rule set takes seconds, so compiled databases are kept in a cache
// folder (option `cache`), keyed by a hash of everything given to the compiler.
#include <hs.h>
#include <re2/re2.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <baro/sdk.hpp>

#include "baro/error.hpp"
#include "baro/rules.hpp"
#include "rules/patterns.hpp"
#include "rules/proximity.hpp"
#include "util/hash.hpp"

namespace {

namespace fs = std::filesystem;

// The plugin's version, stored with every run it makes: change it whenever its labels for the
// same rule set and text could change.
constexpr std::string_view kVersion = "1.1.0";

constexpr baro::sdk::Option kOptions[] = {
    {"report-fallback", baro::sdk::OptionType::kBool, "true",
     "say once (on stderr) which rules run on RE2 because Hyperscan cannot take them; the labels are the same "
     "either way"},
    {"cache", baro::sdk::OptionType::kBool, "true",
     "keep the compiled databases in $XDG_CACHE_HOME/baro/hyperscan (default ~/.cache/baro/hyperscan), so that "
     "later runs with the same rules start at once"},
};

// Per rule while classifying.
enum : unsigned char {
  kMatched = 1,
  kVetoed = 2,
  kHit = 4,      // Hyperscan found the rule's regex, or RE2 must look: RE2 confirms
  kVetoHit = 8,  // the same for its regex vetoes
};
// The proximity matcher sets the engine's bits in the same state.
static_assert(unsigned{kMatched} == unsigned{baro::rules::kRuleMatched} &&
              unsigned{kVetoed} == unsigned{baro::rules::kRuleVetoed});

// What one Hyperscan expression stands for: the matches of rule `rule` (veto = false) or of
// its vetoes.
struct Entry {
  std::size_t rule = 0;
  bool veto = false;
};
struct Pattern {
  std::string expression;
  Entry entry;
  bool confirm = false;  // RE2 confirms each hit (see the top of the file)
};
// A rule's matches or vetoes that Hyperscan cannot take: RE2 runs them on every text.
struct Dropped {
  Entry entry;
  std::string why;
};

struct HsDatabaseDeleter {
  void operator()(hs_database_t* db) const noexcept { hs_free_database(db); }
};
struct HsScratchDeleter {
  void operator()(hs_scratch_t* s) const noexcept { hs_free_scratch(s); }
};
using HsDatabase = std::unique_ptr<hs_database_t, HsDatabaseDeleter>;
using HsScratch = std::unique_ptr<hs_scratch_t, HsScratchDeleter>;

struct Compiled {
  HsDatabase db;
  std::vector<Dropped> dropped;
  std::vector<std::size_t> prefiltered;  // patterns Hyperscan took only in prefilter mode
};

// Hyperscan's byte-mode spelling of the engine's keyword classes: [^a-z0-9\x{80}-\x{10FFFF}]
// and [a-z0-9\x{80}-\x{10FFFF}]* take whole UTF-8 characters in RE2; in bytes, "any byte of a
// multi-byte character" says the same on valid UTF-8. QuoteMeta escapes every '{' and '\' of
// a keyword, so only the classes contain this text.
std::string byte_mode(std::string pattern) {
  static constexpr std::string_view kUtf8Range = R"(\x{80}-\x{10FFFF})";
  static constexpr std::string_view kByteRange = R"(\x80-\xff)";
  for (std::size_t at = pattern.find(kUtf8Range); at != std::string::npos; at = pattern.find(kUtf8Range, at)) {
    pattern.replace(at, kUtf8Range.size(), kByteRange);
    at += kByteRange.size();
  }
  return pattern;
}

// Why a regex as its author wrote it must run on RE2 alone, or nullptr: what could match a
// non-ASCII character and not the \x01 that stands for it in the scanned text (or the other
// way round), see the top of the file.
const char* re2_only_reason(const std::string& regex) {
  for (unsigned char c : regex) {
    if (c >= 0x80) return "non-ASCII characters";
    if (c < 0x20) return "control characters";
  }
  if (regex.find("[:") != std::string::npos) return "POSIX classes";
  for (std::size_t i = 0; i + 1 < regex.size(); ++i) {
    if (regex[i] != '\\') continue;
    const char next = regex[i + 1];
    if (next == 'p' || next == 'P') return "Unicode classes";
    if (next == 'x') return "\\x escapes";
    if (next == 'C') return "\\C";
    if (next >= '0' && next <= '9') return "octal escapes";
    ++i;  // skip the escaped character
  }
  return nullptr;
}

// Whether Hyperscan may read an ASCII text differently from RE2 with this regex (as its
// author wrote it, re2_only_reason() being null): then RE2 confirms each hit.
bool dialect_differs(const std::string& regex) {
  if (regex.find('$') != std::string::npos || regex.find("{,") != std::string::npos) return true;
  for (std::size_t i = 0; i + 1 < regex.size(); ++i) {
    if (regex[i] != '\\') continue;
    const char next = regex[i + 1];
    if (next == 's' || next == 'S' || next == 'v') return true;
    ++i;
  }
  return false;
}

// The keywords' boundary, separator and word-suffix classes as byte_mode() writes them.
constexpr std::string_view kBoundaryBytes = R"([^a-z0-9\x80-\xff])";
constexpr std::string_view kSeparator = R"([ '\-]+)";
constexpr std::string_view kSuffixBytes = R"([a-z0-9\x80-\xff]*)";

// The literal form of a keyword's byte-mode scanner pattern, for the rewritten text (see the
// top of the file), or "" when a word holds anything but a-z, 0-9 and non-ASCII bytes.
std::string literal_keyword(std::string_view pattern) {
  if (pattern.size() < 2 * kBoundaryBytes.size() || !pattern.starts_with(kBoundaryBytes) ||
      !pattern.ends_with(kBoundaryBytes)) {
    return {};
  }
  pattern.remove_prefix(kBoundaryBytes.size());
  pattern.remove_suffix(kBoundaryBytes.size());
  std::string out;
  bool last_starred = false;
  for (;;) {
    const std::size_t sep = pattern.find(kSeparator);
    std::string_view word = pattern.substr(0, sep);
    last_starred = word.ends_with(kSuffixBytes);
    if (last_starred) word.remove_suffix(kSuffixBytes.size());
    if (word.empty()) return {};
    for (char ch : word) {
      const auto c = static_cast<unsigned char>(ch);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)) return {};
    }
    out += ' ';
    out += word;
    if (sep == std::string_view::npos) break;
    if (last_starred) out += R"([^ \x02]*)";
    pattern.remove_prefix(sep + kSeparator.size());
  }
  // A starred last word is always followed by more word bytes and then a space.
  if (!last_starred) out += ' ';
  return out;
}

// " " + folded + " " rewritten for the literal keywords: runs of spaces, hyphens and
// apostrophes as one space, any other ASCII character but a-z 0-9 as " \x02 ".
void keyword_view(std::string_view folded, std::string& out) {
  out.assign(1, ' ');
  for (char ch : folded) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      out += ch;
    } else if (c == ' ' || c == '-' || c == '\'') {
      if (out.back() != ' ') out += ' ';
    } else {
      if (out.back() != ' ') out += ' ';
      out += "\x02 ";
    }
  }
  if (out.back() != ' ') out += ' ';
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Texts the Hyperscan path leaves to RuleEngine (see the top of the file). `folded` is not ASCII.
bool needs_engine(std::string_view folded) {
  if (!valid_utf8(folded)) return true;
  // RE2's (?i) puts U+212A KELVIN SIGN in k's case orbit and U+017F LONG S in s's (the only
  // non-ASCII characters in the orbits of ASCII letters and digits).
  return folded.find("\xE2\x84\xAA") != std::string_view::npos || folded.find("\xC5\xBF") != std::string_view::npos;
}

// `folded` (valid UTF-8) with every non-ASCII character written as one byte \x01.
void one_byte_per_character(std::string_view folded, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < folded.size();) {
    const auto c = static_cast<unsigned char>(folded[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else {
      out += '\x01';
      i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    }
  }
}

fs::path default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
    return fs::path(xdg) / "baro" / "hyperscan";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
    return fs::path(home) / ".cache" / "baro" / "hyperscan";
  }
  return {};
}

// The compiled database cache. A file holds what compiling the exact same expressions gave:
// the rules left to RE2 and the serialized database. Anything unexpected in it (another
// Hyperscan, a truncated file) reads as a miss. Files are written beside and renamed, so
// concurrent runs never read half a file.
class DatabaseCache {
 public:
  explicit DatabaseCache(fs::path dir) : dir_(std::move(dir)) {}

  bool load(const std::string& key, Compiled& out) const {
    if (dir_.empty()) return false;
    std::ifstream in(dir_ / (key + ".hsdb"), std::ios::binary);
    if (!in) return false;
    std::string magic;
    std::size_t n_dropped = 0;
    if (!std::getline(in, magic) || magic != kMagic || !(in >> n_dropped) || n_dropped > 1000000) return false;
    std::vector<Dropped> dropped;
    for (std::size_t k = 0; k < n_dropped; ++k) {
      Dropped d;
      int veto = 0;
      if (!(in >> d.entry.rule >> veto) || in.get() != ' ' || !std::getline(in, d.why)) return false;
      d.entry.veto = veto != 0;
      dropped.push_back(std::move(d));
    }
    std::size_t n_prefiltered = 0;
    if (!(in >> n_prefiltered) || n_prefiltered > 1000000) return false;
    std::vector<std::size_t> prefiltered(n_prefiltered);
    for (auto& p : prefiltered) {
      if (!(in >> p)) return false;
    }
    std::size_t size = 0;
    if (!(in >> size) || in.get() != '\n' || size == 0 || size > (1u << 30)) return false;
    std::string bytes(size, '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) return false;
    hs_database_t* db = nullptr;
    if (hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS) return false;
    HsDatabase loaded(db);
    // A database for another CPU deserializes, but cannot be scanned: a miss.
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(loaded.get(), &scratch) != HS_SUCCESS) return false;
    hs_free_scratch(scratch);
    out.db = std::move(loaded);
    out.dropped = std::move(dropped);
    out.prefiltered = std::move(prefiltered);
    return true;
  }

  void store(const std::string& key, const Compiled& compiled) const noexcept {
    if (dir_.empty() || !compiled.db) return;
    char* bytes = nullptr;
    std::size_t size = 0;
    if (hs_serialize_database(compiled.db.get(), &bytes, &size) != HS_SUCCESS) return;
    try {
      std::error_code ec;
      fs::create_directories(dir_, ec);
      const fs::path target = dir_ / (key + ".hsdb");
      const fs::path temporary = dir_ / ("." + key + "." + std::to_string(::getpid()) + ".tmp");
      {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << kMagic << '\n' << compiled.dropped.size() << '\n';
        for (const auto& d : compiled.dropped) out << d.entry.rule << ' ' << (d.entry.veto ? 1 : 0) << ' ' << d.why << '\n';
        out << compiled.prefiltered.size() << '\n';
        for (std::size_t p : compiled.prefiltered) out << p << '\n';
        out << size << '\n';
        out.write(bytes, static_cast<std::streamsize>(size));
        out.close();
        if (!out) {
          fs::remove(temporary, ec);
          std::free(bytes);
          return;
        }
      }
      fs::rename(temporary, target, ec);
      if (ec) fs::remove(temporary, ec);
    } catch (...) {
      // A cache that cannot be written only costs the next run its compile time.
    }
    std::free(bytes);
  }

 private:
  static constexpr const char* kMagic = "baro-hyperscan-cache 2";
  fs::path dir_;
};

class HyperscanClassifier final : public baro::sdk::Classifier {
 public:
  HyperscanClassifier(const baro::sdk::Options& options, const baro::sdk::ClassifierContext& context,
                      const baro::sdk::Host& host)
      : host_(host) {
    const bool report = options.get_bool("report-fallback");
    const DatabaseCache cache(options.get_bool("cache") ? default_cache_dir() : fs::path());
    const std::string dir(context.ruleset_dir());
    try {
      rules_ = baro::RuleSet::load(dir);
    } catch (const baro::Error& e) {
      throw baro::sdk::DataError("cannot load the rule set in " + dir + ": " + e.what());
    }
    if (rules_->content_hash() != context.ruleset_hash()) {
      throw baro::sdk::DataError("the rule set in " + dir + " is not the one baro loaded for this run (its hash is now " +
                                 rules_->content_hash() + ", the run's " + std::string(context.ruleset_hash()) +
                                 "); did it change meanwhile? Run the command again");
    }
    const auto& all = rules_->rules();
    const auto& domains = context.domains();
    bool same_domains = domains.size() == rules_->domains().size();
    for (std::size_t d = 0; same_domains && d < domains.size(); ++d) same_domains = domains[d] == rules_->domains()[d].id;
    if (!same_domains) throw baro::sdk::DataError("the run's domains are not those of the rule set in " + dir);

    std::vector<Pattern> literals, keywords, regexes;
    std::vector<Dropped> re2_only;
    const auto add_keyword = [&](const std::string& keyword, Entry entry) {
      std::string exact = byte_mode(baro::rules::padded_keyword_pattern(keyword));
      std::string literal = literal_keyword(exact);
      if (literal.empty()) {
        keywords.push_back({std::move(exact), entry});
      } else {
        literals.push_back({std::move(literal), entry});
      }
    };
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto& rule = all[i];
      for (const auto& k : rule.keywords) add_keyword(k, {i, false});
      for (const auto& k : rule.unless) add_keyword(k, {i, true});
      if (!rule.regex.empty()) {
        if (const char* why = re2_only_reason(rule.regex)) {
          re2_only.push_back({{i, false}, why});
        } else {
          regexes.push_back({rule.pattern, {i, false}, dialect_differs(rule.regex)});
        }
      }
      const char* veto_why = nullptr;
      for (const auto& p : rule.unless_regex) {
        if (veto_why == nullptr) veto_why = re2_only_reason(p);
      }
      if (veto_why != nullptr) {
        re2_only.push_back({{i, true}, veto_why});
      } else {
        for (const auto& p : rule.unless_regex) {
          // As the engine wraps each `unless_regex` inside Rule::veto_pattern.
          regexes.push_back({"(?i)(" + baro::rules::fold_regex(p) + ")", {i, true}, dialect_differs(p)});
        }
      }
    }
    literals_ = build(literals, false, cache);
    keywords_ = build(keywords, false, cache);
    regexes_ = build(regexes, true, cache);
    // Hyperscan ids are indices into these.
    literal_entries_ = std::move(literals);
    keyword_entries_ = std::move(keywords);
    for (std::size_t p : regexes_.prefiltered) regexes[p].confirm = true;
    regex_entries_ = std::move(regexes);

    // Who confirms what: RE2 with the exact patterns of the rule set.
    const RE2::Options re2_options = baro::rules::pattern_options(rules_->options());
    confirm_.resize(all.size());
    confirm_veto_.resize(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (!all[i].regex.empty()) confirm_[i] = compile_re2(all[i].pattern, re2_options);
      if (!all[i].unless_regex.empty()) confirm_veto_[i] = compile_re2(all[i].veto_pattern, re2_options);
    }
    always_.assign(all.size(), false);
    always_veto_.assign(all.size(), false);
    std::vector<std::string> reported;
    for (const auto* list : {&re2_only, &literals_.dropped, &keywords_.dropped, &regexes_.dropped}) {
      for (const auto& d : *list) {
        const std::size_t i = d.entry.rule;
        (d.entry.veto ? always_veto_ : always_)[i] = true;
        auto& re = d.entry.veto ? confirm_veto_[i] : confirm_[i];
        if (!re) re = compile_re2(d.entry.veto ? all[i].veto_pattern : all[i].pattern, re2_options);
        reported.push_back(all[i].id + (d.entry.veto ? " (vetoes: " : " (") + d.why + ")");
      }
    }

    hs_scratch_t* scratch = nullptr;
    for (hs_database_t* db : {literals_.db.get(), keywords_.db.get(), regexes_.db.get()}) {
      if (db != nullptr && hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
        hs_free_scratch(scratch);
        throw baro::sdk::Error(BARO_STATUS_INTERNAL, "Hyperscan cannot allocate its scratch space");
      }
    }
    scratch_.reset(scratch);
    state_.assign(all.size(), 0);
    proximity_ = std::make_unique<baro::rules::WordMatcher>(*rules_, /*keyword_rules=*/false);

    static std::atomic<bool> said{false};
    if (report && !reported.empty() && !said.exchange(true)) {
      std::string list;
      for (const auto& r : reported) list += (list.empty() ? "" : ", ") + r;
      host_.warning(std::to_string(reported.size()) + " rule pattern(s) of " + rules_->id() +
                    " run on RE2 instead of Hyperscan (same labels, slower): " + list);
    }
  }

  void classify(std::string_view, std::string_view folded, const baro::sdk::Result& result) override {
    const bool ascii = is_ascii(folded);
    if (!ascii && needs_engine(folded)) return classify_with_engine(folded, result);
    std::fill(state_.begin(), state_.end(), 0);
    if (literals_.db) {
      keyword_view(folded, view_);
      scan(literals_.db.get(), view_, &HyperscanClassifier::on_literal);
    }
    if (keywords_.db) {
      padded_.assign(1, ' ');
      padded_.append(folded);
      padded_ += ' ';
      scan(keywords_.db.get(), padded_, &HyperscanClassifier::on_keyword);
    }
    if (regexes_.db) {
      if (ascii) {
        scan(regexes_.db.get(), folded, &HyperscanClassifier::on_regex);
      } else {
        one_byte_per_character(folded, view_);
        scan(regexes_.db.get(), view_, &HyperscanClassifier::on_regex);
      }
    }

    proximity_->match(folded, state_, proximity_scratch_);

    const re2::StringPiece text(folded.data(), folded.size());
    for (std::size_t i = 0; i < state_.size(); ++i) {
      unsigned char& s = state_[i];
      if (!(s & kMatched) && ((s & kHit) || always_[i]) && RE2::PartialMatch(text, *confirm_[i])) s |= kMatched;
      if (!(s & kMatched) || (s & kVetoed)) continue;  // an exact veto (a keyword, an exact regex) decided
      if (((s & kVetoHit) || always_veto_[i]) && RE2::PartialMatch(text, *confirm_veto_[i])) s |= kVetoed;
    }
    report(result);
  }

 private:
  static std::unique_ptr<RE2> compile_re2(const std::string& pattern, const RE2::Options& options) {
    auto re = std::make_unique<RE2>(pattern, options);
    if (!re->ok()) throw baro::sdk::DataError("RE2 refuses a pattern it accepted when the rule set was loaded: " + re->error());
    return re;
  }

  // One block-mode database of `patterns`, from the cache or compiled. A pattern Hyperscan
  // refuses is tried again in its prefilter mode (a superset that RE2 confirms; regexes
  // only), then its rule's matches (or vetoes) are left to RE2.
  Compiled build(const std::vector<Pattern>& patterns, bool regex, const DatabaseCache& cache) const {
    Compiled out;
    if (patterns.empty()) return out;
    baro::ContentHasher hasher;
    hasher.update(regex ? "regexes\n" : "keywords\n");
    hasher.update(kVersion);
    hasher.update(hs_version());
    for (const auto& p : patterns) {
      hasher.update("\n" + std::to_string(p.entry.rule) + (p.entry.veto ? " v " : " m ") + p.expression);
    }
    const std::string key = hasher.hex_digest();
    if (cache.load(key, out)) {
      bool sound = true;
      for (std::size_t p : out.prefiltered) sound = sound && p < patterns.size();
      for (const auto& d : out.dropped) sound = sound && d.entry.rule < rules_->rules().size();
      if (sound) return out;
      out = Compiled();
    }

    const unsigned base_flags = HS_FLAG_SINGLEMATCH;
    std::vector<unsigned> flags(patterns.size(), base_flags);
    std::vector<bool> dropped(rules_->rules().size() * 2, false);
    const auto group = [](const Entry& e) { return e.rule * 2 + (e.veto ? 1 : 0); };
    for (;;) {
      std::vector<const char*> expressions;
      std::vector<unsigned> expression_flags, ids;
      for (std::size_t p = 0; p < patterns.size(); ++p) {
        if (dropped[group(patterns[p].entry)]) continue;
        expressions.push_back(patterns[p].expression.c_str());
        expression_flags.push_back(flags[p]);
        ids.push_back(static_cast<unsigned>(p));
      }
      if (expressions.empty()) break;
      hs_database_t* db = nullptr;
      hs_compile_error_t* error = nullptr;
      if (hs_compile_multi(expressions.data(), expression_flags.data(), ids.data(),
                           static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr, &db,
                           &error) == HS_SUCCESS) {
        out.db.reset(db);
        for (std::size_t p = 0; p < patterns.size(); ++p) {
          if (flags[p] & HS_FLAG_PREFILTER) out.prefiltered.push_back(p);
        }
        break;
      }
      std::string message = error != nullptr && error->message != nullptr ? error->message : "unknown error";
      for (char& c : message) c = c == '\n' ? ' ' : c;
      const int at = error != nullptr ? error->expression : -1;
      hs_free_compile_error(error);
      if (at < 0) throw baro::sdk::DataError("Hyperscan cannot compile the rule set " + rules_->id() + ": " + message);
      const std::size_t p = ids[static_cast<std::size_t>(at)];
      if (regex && !(flags[p] & HS_FLAG_PREFILTER)) {
        flags[p] |= HS_FLAG_PREFILTER;
        continue;
      }
      dropped[group(patterns[p].entry)] = true;
      out.dropped.push_back({patterns[p].entry, "Hyperscan: " + message});
    }
    cache.store(key, out);
    return out;
  }

  using OnMatch = int (*)(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void* self);

  void scan(const hs_database_t* db, std::string_view text, OnMatch on_match) {
    if (db == nullptr) return;
    const hs_error_t status =
        hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch_.get(), on_match, this);
    if (status != HS_SUCCESS) {
      throw baro::sdk::Error(BARO_STATUS_INTERNAL, "Hyperscan failed while scanning (error " + std::to_string(status) + ")");
    }
  }

  static int on_literal(unsigned id, unsigned long long, unsigned long long, unsigned, void* self) {
    auto& me = *static_cast<HyperscanClassifier*>(self);
    const Entry& e = me.literal_entries_[id].entry;
    me.state_[e.rule] |= e.veto ? kVetoed : kMatched;
    return 0;
  }
  static int on_keyword(unsigned id, unsigned long long, unsigned long long, unsigned, void* self) {
    auto& me = *static_cast<HyperscanClassifier*>(self);
    const Entry& e = me.keyword_entries_[id].entry;
    me.state_[e.rule] |= e.veto ? kVetoed : kMatched;
    return 0;
  }
  // An exact regex hit decides; one Hyperscan may read differently, RE2 confirms.
  static int on_regex(unsigned id, unsigned long long, unsigned long long, unsigned, void* self) {
    auto& me = *static_cast<HyperscanClassifier*>(self);
    const Pattern& p = me.regex_entries_[id];
    const unsigned char flag = p.entry.veto ? (p.confirm ? kVetoHit : kVetoed) : (p.confirm ? kHit : kMatched);
    me.state_[p.entry.rule] |= flag;
    return 0;
  }

  // The labels from state_, scored by the engine's own scoring function (score_rules), and
  // written as RulesClassifier writes them.
  void report(const baro::sdk::Result& result) {
    const auto& all = rules_->rules();
    fired_.clear();
    vetoed_rules_.clear();
    for (std::size_t i = 0; i < all.size(); ++i) {
      const unsigned char s = state_[i];
      if (!(s & kMatched)) continue;
      (s & kVetoed ? vetoed_rules_ : fired_).push_back(i);
    }
    const baro::Classification c = baro::score_rules(*rules_, fired_, vetoed_rules_);
    for (const auto& d : c.domains) {
      evidence_.clear();
      for (std::size_t r : d.rules) {
        if (!evidence_.empty()) evidence_ += ' ';
        evidence_ += all[r].id;
      }
      result.add(rules_->domains()[d.domain].id, d.score, evidence_);
    }
    vetoed_.clear();
    for (std::size_t r : vetoed_rules_) {
      if (!vetoed_.empty()) vetoed_ += ' ';
      vetoed_ += all[r].id;
    }
    result.vetoed(vetoed_);
  }

  void classify_with_engine(std::string_view folded, const baro::sdk::Result& result) {
    if (!engine_) engine_ = std::make_unique<baro::RuleEngine>(*rules_);
    const baro::Classification c = engine_->classify(folded);
    std::fill(state_.begin(), state_.end(), 0);
    for (std::size_t i : c.fired) state_[i] = kMatched;
    for (std::size_t i : c.vetoed) state_[i] = kMatched | kVetoed;
    report(result);
  }

  baro::sdk::Host host_;
  std::unique_ptr<baro::RuleSet> rules_;
  Compiled literals_, keywords_, regexes_;  // literal keywords, other keywords, regexes
  std::vector<Pattern> literal_entries_, keyword_entries_, regex_entries_;  // by Hyperscan id
  std::vector<std::unique_ptr<RE2>> confirm_, confirm_veto_;  // per rule: its exact RE2 patterns
  std::vector<bool> always_, always_veto_;                    // per rule: RE2 looks on every text
  HsScratch scratch_;
  std::unique_ptr<baro::rules::WordMatcher> proximity_;  // `near` and `unless_near`
  baro::rules::WordMatcher::Scratch proximity_scratch_;
  std::unique_ptr<baro::RuleEngine> engine_;  // for the texts of needs_engine(), built on first need
  // Per call, kept to reuse their memory.
  std::vector<unsigned char> state_;
  std::string padded_, view_;
  std::vector<std::size_t> fired_, vetoed_rules_;
  std::string evidence_, vetoed_;
};

}  // namespace

BARO_CLASSIFIER(HyperscanClassifier, "hyperscan", kVersion,
                "the rule set's rules matched with Hyperscan: exactly the labels of `rules`, faster", kOptions)
