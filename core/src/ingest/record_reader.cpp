#include <algorithm>
#include <cctype>
#include <cstdio>

#include "baro/error.hpp"
#include "baro/ingest.hpp"
#include "ingest/json_document.hpp"
#include "ingest/readers.hpp"
#include "ingest/source.hpp"

namespace baro {
namespace {

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The first significant byte of the file (after a byte-order mark), or EOF.
int first_significant_byte(const SourceInfo& source) {
  std::FILE* file = std::fopen(ingest::read_path(source).c_str(), "rb");
  int first = EOF;
  if (file != nullptr) {
    for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) {
      if (c == 0xEF || c == 0xBB || c == 0xBF || c == 0xFF || c == 0xFE || std::isspace(c) || c == 0) continue;
      first = c;
      break;
    }
    std::fclose(file);
  }
  return first;
}

// The extension decides; a file with another extension is sniffed from its first byte, and
// text opening with '{' from its first lines (JSON Lines, or one document around an array).
SourceFormat detect_format(const SourceInfo& source, const IngestOptions& options) {
  const std::string ext = lower_ascii(source.path.extension().string());
  if (ext == ".jsonl" || ext == ".ndjson") return SourceFormat::kJsonLines;
  if (ext == ".csv" || ext == ".tsv" || ext == ".txt") return SourceFormat::kCsv;
  const int first = first_significant_byte(source);
  if (first == '[') return SourceFormat::kJsonArray;
  if (first == '{') {
    return options.records || !ingest::looks_like_json_lines(source) ? SourceFormat::kJsonArray
                                                                     : SourceFormat::kJsonLines;
  }
  if (ext == ".json") return SourceFormat::kJsonArray;
  return SourceFormat::kCsv;
}

}  // namespace

std::string to_string(SourceFormat format) {
  switch (format) {
    case SourceFormat::kCsv: return "csv";
    case SourceFormat::kJsonLines: return "jsonl";
    case SourceFormat::kJsonArray: return "json";
  }
  return "csv";
}

std::string to_string(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8: return "utf-8";
    case TextEncoding::kWindows1252: return "windows-1252";
    case TextEncoding::kLatin1: return "iso-8859-1";
    case TextEncoding::kLatin9: return "iso-8859-15";
    case TextEncoding::kUtf16Le: return "utf-16le";
    case TextEncoding::kUtf16Be: return "utf-16be";
  }
  return "utf-8";
}

std::optional<SourceFormat> parse_source_format(std::string_view name) {
  const std::string n = lower_ascii(name);
  if (n == "csv" || n == "tsv") return SourceFormat::kCsv;
  if (n == "jsonl" || n == "ndjson" || n == "json-lines") return SourceFormat::kJsonLines;
  if (n == "json") return SourceFormat::kJsonArray;
  return std::nullopt;
}

std::optional<TextEncoding> parse_text_encoding(std::string_view name) {
  const std::string n = lower_ascii(name);
  if (n == "utf-8" || n == "utf8") return TextEncoding::kUtf8;
  if (n == "windows-1252" || n == "cp1252" || n == "win1252") return TextEncoding::kWindows1252;
  if (n == "iso-8859-1" || n == "latin1" || n == "latin-1") return TextEncoding::kLatin1;
  if (n == "iso-8859-15" || n == "latin9" || n == "latin-9") return TextEncoding::kLatin9;
  if (n == "utf-16le" || n == "utf16le") return TextEncoding::kUtf16Le;
  if (n == "utf-16be" || n == "utf16be") return TextEncoding::kUtf16Be;
  return std::nullopt;
}

RecordReader::~RecordReader() = default;

std::unique_ptr<RecordReader> RecordReader::open(const std::filesystem::path& path, const IngestOptions& options) {
  SourceInfo source = ingest::scan_source(path, options);
  if (source.size_bytes == 0) {
    throw data_error("empty file (0 bytes)", {path.string()}, "export the survey again: the file has no content");
  }
  if (options.records) ingest::json_pointer_tokens(*options.records);  // malformed: refused before any reading
  source.format = options.format ? *options.format : detect_format(source, options);
  if (options.records && source.format != SourceFormat::kJsonArray) {
    throw usage_error("--records " + *options.records + " names the records of a JSON document, but " +
                          path.string() + " is read as " +
                          (source.format == SourceFormat::kCsv ? "CSV" : "JSON Lines (one record per line)"),
                      "leave --records out, or give --format json if the file is one JSON document");
  }
  if (source.format == SourceFormat::kJsonArray && first_significant_byte(source) == '{') {
    source.records_pointer = ingest::choose_record_array(source, options.records);
  } else if (options.records && !options.records->empty()) {
    throw data_error("--records " + *options.records + ": the document is an array, its records are at its top",
                     {path.string()}, "leave --records out (or give --records \"\")");
  }
  switch (source.format) {
    case SourceFormat::kCsv: return ingest::make_csv_reader(std::move(source), options);
    case SourceFormat::kJsonLines: return ingest::make_json_lines_reader(std::move(source), options);
    case SourceFormat::kJsonArray: return ingest::make_json_array_reader(std::move(source), options);
  }
  throw internal_error("unknown source format");
}

}  // namespace baro
