#include "ingest/json_document.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <istream>
#include <streambuf>

#include "baro/error.hpp"
#include "ingest/source.hpp"

namespace baro::ingest {
namespace {

using nlohmann::json;

// A document nested deeper than this is refused as a whole; records themselves are checked
// again, one by one, against the readers' tighter limit.
constexpr std::size_t kMaxDocumentDepth = 128;

// The longest first line worth testing as a JSON Lines record (the JSON Lines reader refuses
// longer lines anyway).
constexpr std::size_t kMaxFirstLineBytes = 4u << 20;

// Lets nlohmann's parser pull decoded UTF-8 from pass two's stream, chunk by chunk.
class DecodedStreamBuf final : public std::streambuf {
 public:
  explicit DecodedStreamBuf(DecodedStream& stream) : stream_(stream) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (!stream_.read(chunk_)) return traits_type::eof();
    setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  DecodedStream& stream_;
  std::string chunk_;
};

// Lists the arrays whose first element is an object, reached from the root through object
// members only (an array inside a record, such as a multiple-choice answer, is not a
// candidate: it sits under an array index).
class RecordArrayFinder final : public nlohmann::json_sax<json> {
 public:
  std::vector<RecordArray> arrays;
  bool too_deep = false;
  std::string error;

  bool null() override { return value(false); }
  bool boolean(bool) override { return value(false); }
  bool number_integer(number_integer_t) override { return value(false); }
  bool number_unsigned(number_unsigned_t) override { return value(false); }
  bool number_float(number_float_t, const string_t&) override { return value(false); }
  bool string(string_t&) override { return value(false); }
  bool binary(binary_t&) override { return value(false); }
  bool key(string_t& name) override {
    frames_.back().key = name;
    return true;
  }
  bool start_object(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error = e.what();
    return false;
  }

 private:
  struct Frame {
    bool array = false;
    bool through_objects = true;  // the path from the root crosses no array
    json::json_pointer pointer;
    std::string key;               // objects: the member being read
    std::uint64_t elements = 0;    // arrays: elements seen
    bool first_is_object = false;  // arrays
  };

  // Counts a value of the current array; says whether it was the array's first element.
  bool value(bool is_object) {
    if (!frames_.empty() && frames_.back().array) {
      Frame& array = frames_.back();
      if (array.elements++ == 0) array.first_is_object = is_object;
    }
    return true;
  }

  bool open(bool array) {
    if (frames_.size() >= kMaxDocumentDepth) {
      too_deep = true;
      return false;
    }
    value(!array);
    Frame frame;
    frame.array = array;
    if (!frames_.empty()) {
      const Frame& parent = frames_.back();
      frame.through_objects = parent.through_objects && !parent.array;
      frame.pointer = parent.array ? parent.pointer / (parent.elements - 1) : parent.pointer / parent.key;
    }
    frames_.push_back(std::move(frame));
    return true;
  }

  bool close() {
    const Frame& frame = frames_.back();
    // The root array is the plain `[ {…}, … ]` batch, read without looking for anything.
    if (frame.array && frame.first_is_object && frame.through_objects && frames_.size() > 1) {
      arrays.push_back({frame.pointer.to_string(), frame.elements});
    }
    frames_.pop_back();
    return true;
  }

  std::vector<Frame> frames_;
};

std::string clean_parser_message(const std::string& what) {
  // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error …"
  const auto bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

std::string list_arrays(const std::vector<RecordArray>& arrays) {
  std::string out;
  for (const auto& a : arrays) {
    if (!out.empty()) out += ", ";
    out += (a.pointer.empty() ? std::string("(the document)") : a.pointer) + " (" + std::to_string(a.elements) +
           (a.elements == 1 ? " record)" : " records)");
  }
  return out;
}

// Whether `object` has a member holding a non-empty array whose first element is an object.
bool wraps_records(const json& object) {
  return std::any_of(object.begin(), object.end(), [](const json& member) {
    return member.is_array() && !member.empty() && member.front().is_object();
  });
}

}  // namespace

bool looks_like_json_lines(const SourceInfo& source) {
  DecodedStream stream(source);
  LineSplitter lines(stream);
  std::vector<std::string> firsts;  // the first two non-blank lines
  std::string line;
  std::string_view piece;
  bool complete = false;
  while (firsts.size() < 2 && lines.next(piece, complete)) {
    line.append(piece);
    if (line.size() > kMaxFirstLineBytes) return false;  // no record line is that long
    if (!complete) continue;
    if (line.find_first_not_of(" \t\r\n") != std::string::npos) firsts.push_back(line);
    line.clear();
  }
  if (!line.empty() && line.find_first_not_of(" \t\r\n") != std::string::npos) firsts.push_back(line);
  if (firsts.empty()) return false;
  const json first = json::parse(firsts[0], nullptr, /*allow_exceptions=*/false);
  if (first.is_discarded() || !first.is_object()) {
    // A broken first record of a JSON Lines file, or the opening of a pretty-printed
    // document: the second line tells them apart.
    if (firsts.size() < 2) return false;
    const json second = json::parse(firsts[1], nullptr, /*allow_exceptions=*/false);
    return !second.is_discarded() && second.is_object();
  }
  return firsts.size() > 1 || !wraps_records(first);
}

std::vector<RecordArray> find_record_arrays(const SourceInfo& source) {
  DecodedStream stream(source);
  DecodedStreamBuf buffer(stream);
  std::istream in(&buffer);
  RecordArrayFinder finder;
  const bool ok = json::sax_parse(in, &finder, json::input_format_t::json, /*strict=*/true);
  if (finder.too_deep) {
    throw data_error("JSON nested more than " + std::to_string(kMaxDocumentDepth) + " levels deep",
                     {source.path.string()}, "a batch is an array of flat records, possibly inside an object");
  }
  if (!ok) {
    throw data_error("invalid JSON document: " + clean_parser_message(finder.error), {source.path.string()},
                     "the file is one JSON document (it does not hold one record per line); check it is complete, "
                     "or export it again");
  }
  // Drain what the parser did not need (nothing, for a valid document) so that the stream
  // checks the file did not change since pass one.
  std::string rest;
  while (stream.read(rest)) {
  }
  return finder.arrays;
}

std::string choose_record_array(const SourceInfo& source, const std::optional<std::string>& requested) {
  if (requested) json_pointer_tokens(*requested);  // a malformed pointer is a usage error before any reading
  const auto arrays = find_record_arrays(source);
  const std::string where = source.path.string();
  if (requested) {
    for (const auto& a : arrays) {
      if (a.pointer == *requested) return a.pointer;
    }
    throw data_error("--records " + *requested + ": no array of records there", {where},
                     arrays.empty() ? "the document holds no array of objects"
                                    : "its arrays of records are: " + list_arrays(arrays));
  }
  if (arrays.size() == 1) return arrays.front().pointer;
  if (arrays.empty()) {
    throw data_error("the JSON document holds no array of records", {where},
                     "a batch is a JSON array of objects, JSON Lines (one object per line), or an object "
                     "holding one array of objects");
  }
  throw data_error("the JSON document holds " + std::to_string(arrays.size()) + " arrays of records: " +
                       list_arrays(arrays),
                   {where}, "name the one to import, e.g. --records " + arrays.front().pointer);
}

std::vector<std::string> json_pointer_tokens(const std::string& pointer) {
  json::json_pointer parsed;
  try {
    parsed = json::json_pointer(pointer);
  } catch (const json::parse_error&) {
    throw usage_error("--records " + pointer + ": not a JSON Pointer",
                      "a pointer starts with '/' and names the keys down to the array, e.g. --records /responses "
                      "(write ~1 for a '/' inside a key and ~0 for '~')");
  }
  std::vector<std::string> tokens;
  while (!parsed.empty()) {
    tokens.push_back(parsed.back());
    parsed.pop_back();
  }
  std::reverse(tokens.begin(), tokens.end());
  return tokens;
}

}  // namespace baro::ingest
