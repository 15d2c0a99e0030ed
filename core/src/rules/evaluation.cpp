// Scoring a rule set on a labelled set. The labelled files are small (hundreds of lines), so
// they are read whole; JSON Lines is parsed here rather than through the ingest readers
// because `also` is a JSON array, which a survey batch never holds.
#include "baro/evaluation.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cctype>
#include <fstream>

#include "baro/ingest.hpp"
#include "baro/normalize.hpp"

namespace baro {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string lower_extension(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

class LabelParser {
 public:
  explicit LabelParser(const RuleSet& rules) : rules_(rules) {}

  // A domain id as written in a labelled file; "", "null" and "none" mean no domain.
  std::optional<std::string> gold(std::string value, const SourceLocation& where) const {
    value = trim(value);
    if (value.empty() || value == "null" || value == "none" || value == "-") return std::nullopt;
    require_domain(value, where, "gold");
    return value;
  }

  std::vector<std::string> also_from_text(const std::string& value, const SourceLocation& where) const {
    std::vector<std::string> out;
    std::string word;
    const auto flush = [&] {
      const std::string id = trim(word);
      word.clear();
      if (id.empty()) return;
      require_domain(id, where, "also");
      out.push_back(id);
    };
    for (char c : value) {
      if (c == ';' || c == ',' || c == '|' || c == ' ' || c == '\t') {
        flush();
      } else {
        word += c;
      }
    }
    flush();
    return out;
  }

  void require_domain(const std::string& id, const SourceLocation& where, const char* field) const {
    if (rules_.find_domain(id)) return;
    std::string known;
    for (const auto& d : rules_.domains()) known += (known.empty() ? "" : ", ") + d.id;
    throw data_error("unknown domain \"" + id + "\" in `" + field + "`", where,
                     "the domains of rule set " + rules_.id() + " are: " + known);
  }

  static std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
  }

 private:
  const RuleSet& rules_;
};

// One line of a JSON Lines file, which must hold an object.
json parse_json_line(const std::string& line, const fs::path& file, std::uint64_t number) {
  const SourceLocation where{file.string(), number, 0};
  json record;
  try {
    record = json::parse(line);
  } catch (const json::parse_error& e) {
    std::string message = e.what();
    const auto colon = message.find("; ");
    if (colon != std::string::npos) message = message.substr(colon + 2);
    throw data_error("invalid JSON: " + message, {file.string(), number, e.byte}, "one JSON object per line");
  } catch (const json::out_of_range& e) {  // a number beyond a double ("1e999")
    std::string message = e.what();
    const auto bracket = message.find("] ");
    if (bracket != std::string::npos) message = message.substr(bracket + 2);
    throw data_error("invalid JSON: " + message, where, "one JSON object per line");
  }
  if (!record.is_object()) throw data_error("each line must be a JSON object", where);
  return record;
}

// Whether `file` is JSON Lines: by its extension, else by its first non-blank character.
bool is_json_lines(const fs::path& file) {
  const std::string ext = lower_extension(file);
  if (ext == ".jsonl" || ext == ".ndjson") return true;
  if (ext == ".csv") return false;
  std::ifstream in(file, std::ios::binary);
  std::string head(64, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.rfind("\xEF\xBB\xBF", 0) == 0) head.erase(0, 3);
  const auto first = head.find_first_not_of(" \t\r\n");
  return first != std::string::npos && head[first] == '{';
}

std::vector<LabelledText> load_jsonl(const fs::path& file, const LabelParser& labels) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw no_input_error("cannot open the labelled set", {file.string()});
  std::vector<LabelledText> out;
  std::string line;
  std::uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (LabelParser::trim(line).empty()) continue;
    const SourceLocation where{file.string(), number, 0};
    const json record = parse_json_line(line, file, number);
    const auto description = record.find("description");
    if (description == record.end() || !description->is_string()) {
      throw data_error("missing \"description\" (a string)", where,
                       "each line is {\"description\": …, \"gold\": \"domain\" or null, \"also\": […]}");
    }
    LabelledText item;
    item.description = description->get<std::string>();
    item.where = where;
    const auto id = record.find("id");
    item.id = id != record.end() && id->is_string() ? id->get<std::string>() : "#" + std::to_string(out.size() + 1);
    const auto gold = record.find("gold");
    if (gold == record.end()) throw data_error("missing \"gold\" (a domain id, or null)", where);
    if (!gold->is_null()) {
      if (!gold->is_string()) throw data_error("\"gold\" must be a domain id or null", where);
      item.gold = labels.gold(gold->get<std::string>(), where);
    }
    if (const auto also = record.find("also"); also != record.end() && !also->is_null()) {
      if (also->is_string()) {
        item.also = labels.also_from_text(also->get<std::string>(), where);
      } else if (also->is_array()) {
        for (const auto& a : *also) {
          if (!a.is_string()) throw data_error("\"also\" must be a list of domain ids", where);
          labels.require_domain(a.get<std::string>(), where, "also");
          item.also.push_back(a.get<std::string>());
        }
      } else {
        throw data_error("\"also\" must be a list of domain ids", where);
      }
    }
    out.push_back(std::move(item));
  }
  if (in.bad()) throw io_error("reading the labelled set failed", {file.string()});
  return out;
}

std::vector<LabelledText> load_csv(const fs::path& file, const LabelParser& labels) {
  auto reader = RecordReader::open(file);
  const auto column = [&](std::string_view name) -> std::optional<std::size_t> {
    const auto& columns = reader->source().columns;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (LabelParser::trim(fold(columns[i])) == name) return i;
    }
    return std::nullopt;
  };
  const auto description = column("description");
  const auto gold = column("gold");
  if (!description || !gold) {
    throw data_error("the labelled set needs the columns `description` and `gold`", {file.string(), 1, 0},
                     "columns: description, gold (a domain id or empty), also (optional), id (optional)");
  }
  const auto also = column("also");
  const auto id = column("id");
  std::vector<LabelledText> out;
  Record record;
  while (reader->next(record)) {
    const SourceLocation where{file.string(), record.line, record.column};
    if (!record.problem.empty()) throw data_error(record.problem, where);
    const auto value = [&](std::size_t i) { return i < record.values.size() ? record.values[i] : std::string(); };
    LabelledText item;
    item.where = {file.string(), record.line, 0};
    item.description = value(*description);
    item.gold = labels.gold(value(*gold), item.where);
    if (also) item.also = labels.also_from_text(value(*also), item.where);
    item.id = id && !value(*id).empty() ? value(*id) : "#" + std::to_string(record.number);
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

std::vector<LabelledText> load_labelled_set(const fs::path& file, const RuleSet& rules) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    throw no_input_error("no such labelled set", {file.string()},
                         "a CSV or JSON Lines file with `description`, `gold` and optionally `also`");
  }
  const LabelParser labels(rules);
  // No telling extension: JSON Lines starts with `{` (after a byte-order mark, if any).
  std::vector<LabelledText> set = is_json_lines(file) ? load_jsonl(file, labels) : load_csv(file, labels);
  if (set.empty()) throw data_error("the labelled set is empty", {file.string()});
  return set;
}

std::vector<TextToExplain> load_texts_to_explain(const fs::path& file, const RuleSet& rules) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    throw no_input_error("no such file of texts to explain", {file.string()},
                         "JSON Lines with `text` (or `description`) and optional `id` and `gold`, or plain text with one "
                         "description per line");
  }
  const bool jsonl = is_json_lines(file);
  const LabelParser labels(rules);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw no_input_error("cannot open the file of texts to explain", {file.string()});
  std::vector<TextToExplain> out;
  std::string line;
  std::uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (LabelParser::trim(line).empty()) continue;
    TextToExplain item;
    item.where = {file.string(), number, 0};
    item.id = "#" + std::to_string(number);
    if (!jsonl) {
      item.text = line;
      out.push_back(std::move(item));
      continue;
    }
    const json record = parse_json_line(line, file, number);
    auto text = record.find("text");
    if (text == record.end()) text = record.find("description");
    if (text == record.end() || !text->is_string()) {
      throw data_error("missing \"text\" (a string)", item.where,
                       "each line is {\"text\": …} with optional \"id\" and \"gold\" (\"description\" is read as \"text\")");
    }
    item.text = text->get<std::string>();
    if (const auto id = record.find("id"); id != record.end() && !id->is_null()) {
      if (id->is_string()) item.id = id->get<std::string>();
      else if (id->is_number_integer()) item.id = id->dump();
      else throw data_error("\"id\" must be a string or a whole number", item.where);
    }
    if (const auto gold = record.find("gold"); gold != record.end()) {
      item.has_gold = true;
      if (!gold->is_null()) {
        if (!gold->is_string()) throw data_error("\"gold\" must be a domain id or null", item.where);
        item.gold = labels.gold(gold->get<std::string>(), item.where);
      }
    }
    out.push_back(std::move(item));
  }
  if (in.bad()) throw io_error("cannot read the file of texts to explain", {file.string()});
  if (out.empty()) throw data_error("no text to explain in this file", {file.string()}, "it is empty or blank");
  return out;
}

double Evaluation::macro_f1() const {
  double sum = 0.0;
  std::size_t n = 0;
  for (const auto& d : domains) {
    if (d.gold == 0 && d.predicted == 0) continue;
    sum += d.f1;
    ++n;
  }
  return n == 0 ? 0.0 : sum / double(n);
}

ProportionInterval wilson_interval(std::uint64_t successes, std::uint64_t total) {
  if (total == 0) return {};
  constexpr double z = 1.959963984540054;  // the normal quantile of 97.5 %: a two-sided 95 % interval
  const double n = double(total);
  const double p = double(successes) / n;
  const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  const double half = z / (1 + z * z / n) * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Evaluation evaluate(const RuleEngine& engine, const std::vector<LabelledText>& set) {
  const RuleSet& rules = engine.rule_set();
  const std::size_t n_domains = rules.domains().size();
  Evaluation eval;
  eval.domains.resize(n_domains);
  for (std::size_t d = 0; d < n_domains; ++d) eval.domains[d].domain = d;
  eval.confusion.assign(n_domains + 1, std::vector<std::uint64_t>(n_domains + 1, 0));

  for (std::size_t i = 0; i < set.size(); ++i) {
    const LabelledText& item = set[i];
    EvalOutcome outcome;
    outcome.item = i;
    if (item.gold) outcome.gold = rules.find_domain(*item.gold);
    for (const auto& a : item.also) outcome.also.push_back(*rules.find_domain(a));
    outcome.classification = engine.classify(fold(item.description));
    const auto& predicted = outcome.classification.primary;
    outcome.correct = predicted == outcome.gold;

    ++eval.total;
    if (outcome.correct) ++eval.correct;
    if (outcome.classification.by_precedence) ++eval.decided_by_precedence;
    if (outcome.gold) {
      ++eval.labelled;
      if (predicted && (predicted == outcome.gold ||
                        std::find(outcome.also.begin(), outcome.also.end(), *predicted) != outcome.also.end()))
        ++eval.primary_in_gold_or_also;
      ++eval.domains[*outcome.gold].gold;
      if (!predicted) ++eval.unclassified;
    } else {
      ++eval.null_gold;
      if (predicted) ++eval.null_given_domain;
    }
    if (predicted) {
      ++eval.domains[*predicted].predicted;
      if (outcome.correct) ++eval.domains[*predicted].correct;
    }
    eval.confusion[outcome.gold.value_or(n_domains)][predicted.value_or(n_domains)]++;

    if (!outcome.correct) {
      const bool primary_in_also =
          predicted && std::find(outcome.also.begin(), outcome.also.end(), *predicted) != outcome.also.end();
      bool gold_among_labels = false;
      for (const auto& score : outcome.classification.domains) gold_among_labels |= outcome.gold == score.domain;
      outcome.severity = primary_in_also || gold_among_labels ? 1 : 2;
    }
    eval.outcomes.push_back(std::move(outcome));
  }

  for (auto& d : eval.domains) {
    d.precision = d.predicted == 0 ? 0.0 : double(d.correct) / double(d.predicted);
    d.recall = d.gold == 0 ? 0.0 : double(d.correct) / double(d.gold);
    d.f1 = d.precision + d.recall == 0.0 ? 0.0 : 2.0 * d.precision * d.recall / (d.precision + d.recall);
  }
  return eval;
}

}  // namespace baro
