// Internal: where the records of a JSON document are.
//
// Form tools export their answers as one pretty-printed document whose records sit in an
// array inside an object: LimeSurvey's `{"responses": [ … ]}`, KoboToolbox's `{"count": …,
// "results": [ … ]}`, a Google Forms API dump's `{"responses": [ … ]}`. Pass one walks the
// whole document with nlohmann's SAX parser (constant memory, and the document is known to be
// well-formed before anything is imported) and lists the arrays of objects reachable through
// objects only; the reader then follows the chosen array's keys in pass two and streams its
// elements as it streams a top-level array.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "baro/ingest.hpp"

namespace baro::ingest {

// An array whose first element is an object, and how many elements it holds.
struct RecordArray {
  std::string pointer;  // JSON Pointer (RFC 6901), e.g. "/responses"
  std::uint64_t elements = 0;
};

// Whether text starting with '{' is JSON Lines rather than one JSON document: its first
// non-blank line is a JSON object by itself, unless that line is the whole file and wraps
// an array of objects (a minified `{"responses":[{…},{…}]}` on one line).
bool looks_like_json_lines(const SourceInfo& source);

// Pass one over a JSON document: the arrays of records it holds, in document order. Throws
// baro::Error (kDataError) with the line and column when the document is not valid JSON.
std::vector<RecordArray> find_record_arrays(const SourceInfo& source);

// The pointer of the array to read: `requested` when given (it must name one of the arrays
// find_record_arrays() lists), otherwise the only array of records the document holds.
// Throws baro::Error (kDataError) listing the arrays when there are none, several, or the
// requested one is not among them.
std::string choose_record_array(const SourceInfo& source, const std::optional<std::string>& requested);

// The unescaped reference tokens of a JSON Pointer ("/a~1b/c" → {"a/b", "c"}). Throws
// baro::Error (kUsage) when the pointer is malformed, with what a pointer looks like.
std::vector<std::string> json_pointer_tokens(const std::string& pointer);

}  // namespace baro::ingest
