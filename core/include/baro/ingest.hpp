// Reading survey batches: CSV (any of , ; or tab, RFC 4180 quoting), JSON Lines, and a
// JSON array of objects (alone, or inside an object as form tools export it), in UTF-8,
// Windows-1252, ISO-8859-1/15 or UTF-16.
//
// Municipal agents export their answers from Excel (`;`, Windows-1252), LimeSurvey (a BOM,
// `;`, CRLF, everything quoted) or a web form (JSON). A RecordReader turns any of these into
// a stream of records of UTF-8 strings, exactly as written (no trimming, no mapping), and
// says what it detected (SourceInfo), so that `baro inspect` can show it and a batch
// records how it was read.
//
// Encoding detection: a byte-order mark decides; otherwise a file that is valid UTF-8 is
// UTF-8; otherwise it is Windows-1252 (the five bytes Windows-1252 leaves undefined are
// reported with their line and column). IngestOptions::encoding forces one.
//
// Streaming: a reader holds one record at a time plus fixed-size buffers; memory does not
// grow with the size of the file. The file is read twice: once to detect the encoding and
// compute its content hash, once to parse. A pipe or standard input is copied to a temporary
// file first (SourceInfo::spool), so that both passes see the same bytes.
//
// Errors: problems that make the whole file unreadable (missing file, a directory, binary
// content, an encoding error, an unterminated quote at the end) throw baro::Error with the
// file, line and column. Problems confined to one record (wrong number of fields, a stray
// quote in an unquoted field, a JSON line that is not an object) are returned as a Record
// whose `problem` is set, so that the caller can refuse the batch or skip the row.
//
// Thread-safety: a RecordReader is used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace baro {

enum class SourceFormat { kCsv = 1, kJsonLines, kJsonArray };
enum class TextEncoding { kUtf8 = 1, kWindows1252, kLatin1, kLatin9, kUtf16Le, kUtf16Be };

// "csv", "jsonl", "json"; "utf-8", "windows-1252", "iso-8859-1", "iso-8859-15", "utf-16le", "utf-16be".
std::string to_string(SourceFormat format);
std::string to_string(TextEncoding encoding);
// Accepts the names above and the usual aliases (cp1252, latin1, utf8…); nullopt if unknown.
std::optional<SourceFormat> parse_source_format(std::string_view name);
std::optional<TextEncoding> parse_text_encoding(std::string_view name);

struct IngestOptions {
  std::optional<TextEncoding> encoding;  // default: detected
  std::optional<SourceFormat> format;    // default: from the extension, else from the content
  std::optional<char> delimiter;         // CSV only; default: detected from the header line
  // JSON documents only: a JSON Pointer (RFC 6901) to the array of records, e.g.
  // "/responses". Default: the document itself when it is an array, else the only array of
  // objects it holds (several, or none, is an error that lists them).
  std::optional<std::string> records;
  // A field longer than this is an error: real descriptions are a few kilobytes, and a
  // runaway field is almost always a quote that was never closed.
  std::size_t max_field_bytes = 1u << 20;  // 1 MiB
};

// What was detected about a source before and while reading it.
struct SourceInfo {
  std::filesystem::path path;    // as given: every message names the file by it
  // A pipe or a character device (`baro classify -` reads /dev/stdin; `<(gunzip -c f.gz)`)
  // can be read only once: it is first copied to a temporary file, read twice in its place,
  // and removed when the last SourceInfo that refers to it goes. Null for a file read in place.
  std::shared_ptr<const std::filesystem::path> spool;
  SourceFormat format = SourceFormat::kCsv;
  TextEncoding encoding = TextEncoding::kUtf8;
  bool encoding_forced = false;
  bool has_bom = false;
  char delimiter = ',';          // CSV only
  std::string records_pointer;   // JSON documents: where the records are ("": the document is the array)
  std::string line_endings;      // "CRLF", "LF", "CR", "mixed" or "none"
  std::uint64_t size_bytes = 0;
  std::string content_hash;      // XXH3-128 of the raw bytes, 32 hex digits
  // Column names: the CSV header, or for JSON the keys in order of first appearance (the
  // list grows while reading).
  std::vector<std::string> columns;
};

struct Record {
  std::uint64_t number = 0;  // 1-based record number (header excluded)
  std::uint64_t line = 0;    // physical line where the record starts
  // One value per entry of SourceInfo::columns at the time the record was read; a JSON key
  // absent from this record, or null, is an empty string and `present[i]` is false.
  std::vector<std::string> values;
  std::vector<bool> present;
  // JSON only: the columns whose value is an array or an object (a form tool's attachments,
  // geolocation, tags…), kept in `values` as compact JSON text. Only a column mapped onto
  // one of Baro's fields must hold text; the importer refuses the record then.
  std::vector<std::size_t> structured;
  // Set when the record cannot be used as read; `column` locates the problem when known.
  std::string problem;
  std::uint64_t column = 0;
  // The record's text as written (decoded to UTF-8, without its final line ending), for a
  // rejects file: a record the importer refuses later (an unknown commune…) is kept verbatim.
  std::string raw;
};

class RecordReader {
 public:
  // Opens and pre-scans `path`. Throws baro::Error (kNoInput, kDataError, kIoError).
  static std::unique_ptr<RecordReader> open(const std::filesystem::path& path,
                                            const IngestOptions& options = {});
  virtual ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  const SourceInfo& source() const noexcept { return source_; }

  // Reads the next record into `out`; false at the end of the file. Throws baro::Error when
  // the rest of the file cannot be read.
  virtual bool next(Record& out) = 0;

 protected:
  RecordReader() = default;
  SourceInfo source_;
};

}  // namespace baro
