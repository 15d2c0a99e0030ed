// JSON Lines and JSON arrays of objects, both streamed: a JSON Lines file is parsed line by
// line, and a JSON array is cut into its top-level elements by a small scanner (strings,
// escapes and nesting only) so that each element is parsed alone with nlohmann::json and
// memory holds one element at a time.
#include <nlohmann/json.hpp>

#include <deque>
#include <string>

#include "baro/error.hpp"
#include "ingest/readers.hpp"
#include "ingest/source.hpp"

namespace baro::ingest {
namespace {

using nlohmann::json;

// Survey records are flat; anything nested deeper than this is not a record, and the limit
// keeps a hostile file (10,000 nested brackets) from costing stack or memory.
constexpr int kMaxDepth = 64;

struct TooDeep {};

// nlohmann's messages read "[json.exception.parse_error.101] parse error at line 1, column 7:
// syntax error while parsing value - invalid literal; last read: 'x'": keep what helps.
std::string clean_json_message(const std::string& what) {
  std::string message = what;
  if (message.rfind("[json.exception", 0) != 0) return message;
  // parse_error: "[…] parse error at …: the reason"; out_of_range: "[…] number overflow …".
  const auto colon = message.find(": ");
  const auto bracket = message.find("] ");
  if (colon != std::string::npos) return message.substr(colon + 2);
  if (bracket != std::string::npos) return message.substr(bracket + 2);
  return message;
}

// Appends the values of `object` to `record`, growing `columns` with keys never seen before.
void fill_record(const json& object, std::vector<std::string>& columns, Record& record) {
  record.values.assign(columns.size(), std::string());
  record.present.assign(columns.size(), false);
  for (const auto& [key, value] : object.items()) {
    std::size_t index = 0;
    while (index < columns.size() && columns[index] != key) ++index;
    if (index == columns.size()) {
      columns.push_back(key);
      record.values.emplace_back();
      record.present.push_back(false);
    }
    if (value.is_null()) continue;
    if (value.is_structured()) {
      record.problem = "the field \"" + key + "\" holds " + (value.is_array() ? "an array" : "an object") +
                       "; Baro expects flat records of strings and numbers";
      continue;
    }
    record.values[index] = value.is_string() ? value.get<std::string>() : value.dump();
    record.present[index] = true;
  }
}

// Parses one JSON document that must be an object; on failure sets record.problem.
void parse_object(std::string_view text, std::vector<std::string>& columns, Record& record) {
  json value;
  try {
    value = json::parse(
        text,
        [](int depth, json::parse_event_t, json&) {
          if (depth > kMaxDepth) throw TooDeep{};
          return true;
        },
        true, false);
  } catch (const TooDeep&) {
    record.problem = "JSON nested more than " + std::to_string(kMaxDepth) + " levels deep; a record is a flat object";
    return;
  } catch (const json::parse_error& e) {
    record.problem = "invalid JSON: " + clean_json_message(e.what());
    return;
  } catch (const json::out_of_range& e) {  // a number beyond a double ("1e999")
    record.problem = "invalid JSON: " + clean_json_message(e.what());
    return;
  }
  if (!value.is_object()) {
    record.problem = std::string("expected a JSON object (one record), found ") +
                     (value.is_array() ? "an array" : value.is_string() ? "a string" : value.is_number() ? "a number"
                                                      : value.is_boolean() ? "a boolean" : "null");
    return;
  }
  fill_record(value, columns, record);
}

class JsonLinesReader final : public RecordReader {
 public:
  JsonLinesReader(SourceInfo source, const IngestOptions& options)
      : max_record_bytes_(std::max<std::size_t>(4 * options.max_field_bytes, 4u << 20)) {
    source_ = std::move(source);
    source_.format = SourceFormat::kJsonLines;
    stream_ = std::make_unique<DecodedStream>(source_);
    lines_ = std::make_unique<LineSplitter>(*stream_);
  }

  bool next(Record& out) override {
    for (;;) {
      std::string line;
      bool complete = false;
      std::string_view piece;
      const std::uint64_t line_no = line_;
      bool any = false;
      while (!complete && lines_->next(piece, complete)) {
        any = true;
        line.append(piece);
        if (line.size() > max_record_bytes_) {
          throw data_error("a line is longer than " + std::to_string(max_record_bytes_ >> 20) + " MiB",
                           {source_.path.string(), line_no}, "one record per line: check the file is JSON Lines");
        }
      }
      if (!any) return false;
      ++line_;
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      out = Record{};
      out.number = ++records_;
      out.line = line_no;
      parse_object(line, source_.columns, out);
      out.raw = std::move(line);
      return true;
    }
  }

 private:
  std::unique_ptr<DecodedStream> stream_;
  std::unique_ptr<LineSplitter> lines_;
  std::size_t max_record_bytes_;
  std::uint64_t line_ = 1, records_ = 0;
};

class JsonArrayReader final : public RecordReader {
 public:
  JsonArrayReader(SourceInfo source, const IngestOptions& options)
      : max_record_bytes_(std::max<std::size_t>(4 * options.max_field_bytes, 4u << 20)) {
    source_ = std::move(source);
    source_.format = SourceFormat::kJsonArray;
    stream_ = std::make_unique<DecodedStream>(source_);
  }

  bool next(Record& out) override {
    std::string element;
    std::uint64_t element_line = 0;
    int depth = 0;
    bool in_string = false, escaped = false, too_deep = false;
    for (;;) {
      if (pos_ >= chunk_.size()) {
        if (!stream_->read(chunk_)) {
          if (state_ == State::kDone) return false;
          throw data_error(state_ == State::kBeforeArray ? "empty file: expected a JSON array of records"
                                                         : "the JSON array is never closed (missing ']')",
                           {source_.path.string(), state_ == State::kBeforeArray ? 0 : line_},
                           "a JSON batch is [ {record}, {record}, … ]; check the file is complete");
        }
        pos_ = 0;
      }
      const char c = chunk_[pos_++];
      if (c == '\n') ++line_;
      switch (state_) {
        case State::kBeforeArray:
          if (is_space(c)) break;
          if (c != '[') {
            throw data_error(std::string("expected '[' to open a JSON array, found '") + c + "'",
                             {source_.path.string(), line_}, "a JSON batch is [ {record}, {record}, … ]");
          }
          state_ = State::kBetween;
          break;
        case State::kBetween:
          if (is_space(c) || c == ',') break;
          if (c == ']') {
            state_ = State::kDone;
            break;
          }
          state_ = State::kInElement;
          element_line = line_ - (c == '\n');
          [[fallthrough]];
        case State::kInElement: {
          const bool scalar = element.empty() ? (c != '{' && c != '[') : (element[0] != '{' && element[0] != '[');
          if (scalar && !in_string && (c == ',' || c == ']')) {
            // A scalar element (a number, a string…) ends at the next ',' or at the array's ']'.
            state_ = c == ']' ? State::kDone : State::kBetween;
            return emit(out, element, element_line, false);
          }
          if (!too_deep) element += c;
          if (element.size() > max_record_bytes_) {
            throw data_error("a record is longer than " + std::to_string(max_record_bytes_ >> 20) + " MiB",
                             {source_.path.string(), element_line}, "check the file is a JSON array of flat records");
          }
          if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
          } else if (c == '"') {
            in_string = true;
          } else if (c == '{' || c == '[') {
            if (++depth > kMaxDepth) too_deep = true;
          } else if ((c == '}' || c == ']') && --depth == 0) {
            state_ = State::kBetween;
            return emit(out, element, element_line, too_deep);
          }
          break;
        }
        case State::kDone:
          if (!is_space(c)) {
            throw data_error("text after the end of the JSON array", {source_.path.string(), line_},
                             "a JSON batch holds exactly one array");
          }
          break;
      }
    }
  }

 private:
  enum class State { kBeforeArray = 1, kBetween, kInElement, kDone };

  bool emit(Record& out, std::string& element, std::uint64_t line, bool too_deep) {
    out = Record{};
    out.number = ++records_;
    out.line = line;
    if (too_deep) {
      out.problem = "JSON nested more than " + std::to_string(kMaxDepth) + " levels deep; a record is a flat object";
      out.raw = "(deeply nested JSON)";
      return true;
    }
    while (!element.empty() && is_space(element.back())) element.pop_back();
    parse_object(element, source_.columns, out);
    out.raw = std::move(element);
    return true;
  }
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

  std::unique_ptr<DecodedStream> stream_;
  std::string chunk_;
  std::size_t pos_ = 0;
  std::size_t max_record_bytes_;
  State state_ = State::kBeforeArray;
  std::uint64_t line_ = 1, records_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> make_json_lines_reader(SourceInfo source, const IngestOptions& options) {
  return std::make_unique<JsonLinesReader>(std::move(source), options);
}
std::unique_ptr<RecordReader> make_json_array_reader(SourceInfo source, const IngestOptions& options) {
  return std::make_unique<JsonArrayReader>(std::move(source), options);
}

}  // namespace baro::ingest
