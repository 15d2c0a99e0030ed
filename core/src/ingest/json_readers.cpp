// JSON Lines and JSON arrays of objects, both streamed: a JSON Lines file is parsed line by
// line, and a JSON array is cut into its top-level elements by a small scanner (strings,
// escapes and nesting only) so that each element is parsed alone with nlohmann::json and
// memory holds one element at a time. An array inside a document ({"responses": [ … ]}) is
// reached by following its pointer's keys with the same scanner; pass one
// (json_document.cpp) has already checked that the document is valid and the array there.
#include <nlohmann/json.hpp>

#include <deque>
#include <optional>
#include <string>

#include "baro/error.hpp"
#include "ingest/json_document.hpp"
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
// Arrays and objects are kept as their JSON text (Record::structured says which).
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
    if (value.is_structured()) record.structured.push_back(index);
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
    path_ = json_pointer_tokens(source_.records_pointer);
    stream_ = std::make_unique<DecodedStream>(source_);
  }

  bool next(Record& out) override {
    if (state_ == State::kBeforeArray && !path_.empty()) follow_path();
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
          // After an array inside a document comes the rest of the document, checked in pass one.
          if (!is_space(c) && path_.empty()) {
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

  // The next character of the document, or nullopt at its end.
  std::optional<char> peek() {
    if (pos_ >= chunk_.size()) {
      if (!stream_->read(chunk_)) return std::nullopt;
      pos_ = 0;
    }
    return chunk_[pos_];
  }
  char take() {
    const auto c = peek();
    if (!c) throw lost_path("the document ends");
    ++pos_;
    if (*c == '\n') ++line_;
    return *c;
  }
  char take_non_space() {
    for (;;) {
      const char c = take();
      if (!is_space(c)) return c;
    }
  }
  // Pass one found the array there, so losing the path means the file changed in between.
  Error lost_path(const std::string& what) const {
    return data_error(what + " before the records at " + source_.records_pointer + " are reached",
                      {source_.path.string(), line_}, "the file may have changed while it was read; try again");
  }

  // A JSON string's text, the opening quote already taken, decoded by nlohmann.
  std::string take_string() {
    std::string raw = "\"";
    for (bool escaped = false;;) {
      const char c = take();
      raw += c;
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') break;
    }
    return nlohmann::json::parse(raw).get<std::string>();
  }

  // Skips one value whose first character is `first` (already taken).
  void skip_value(char first) {
    if (first == '"') {
      take_string();
      return;
    }
    if (first != '{' && first != '[') {  // a number, true, false or null
      for (auto c = peek(); c && !is_space(*c) && *c != ',' && *c != '}' && *c != ']'; c = peek()) take();
      return;
    }
    int depth = 1;
    while (depth > 0) {
      const char c = take();
      if (c == '"') take_string();
      else if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') --depth;
    }
  }

  // Walks from the document's start to just inside the array at records_pointer, through
  // one object per token: every member before the wanted one is skipped unread.
  void follow_path() {
    for (std::size_t depth = 0; depth < path_.size(); ++depth) {
      if (take_non_space() != '{') throw lost_path("an object is missing");
      for (;;) {
        char c = take_non_space();
        if (c == ',') c = take_non_space();
        if (c != '"') throw lost_path("the member \"" + path_[depth] + "\" is missing");
        const std::string key = take_string();
        if (take_non_space() != ':') throw lost_path("a member is malformed");
        if (key == path_[depth]) break;
        skip_value(take_non_space());
      }
    }
    if (take_non_space() != '[') throw lost_path("the array is missing");
    state_ = State::kBetween;
  }

  std::vector<std::string> path_;  // the pointer's keys; empty when the document is the array
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
