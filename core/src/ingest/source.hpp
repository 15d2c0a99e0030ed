// Internal: the byte layer under every reader. scan_source() is the first pass over a file
// (content hash, encoding, BOM, line endings, binary content); DecodedStream is the second
// pass, yielding UTF-8 text in chunks and checking that the file did not change in between;
// LineSplitter cuts that text into physical lines without holding more than one line.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "baro/ingest.hpp"
#include "util/hash.hpp"

namespace baro::ingest {

// Pass one. Fills everything in SourceInfo but `format`, `delimiter` and `columns`; a pipe
// or a character device is first copied to a temporary file (SourceInfo::spool).
// Throws baro::Error for a missing/unreadable file, binary content or an encoding error.
SourceInfo scan_source(const std::filesystem::path& path, const IngestOptions& options);

// Where the bytes are read from: the temporary copy of a pipe, else the path itself.
inline const std::filesystem::path& read_path(const SourceInfo& source) {
  return source.spool ? *source.spool : source.path;
}

class DecodedStream {
 public:
  explicit DecodedStream(const SourceInfo& source);
  ~DecodedStream();
  DecodedStream(const DecodedStream&) = delete;
  DecodedStream& operator=(const DecodedStream&) = delete;

  // Replaces `out` with the next chunk of UTF-8 text; false at the end. At the end, throws
  // baro::Error (kIoError) if the bytes differ from those scanned in pass one.
  bool read(std::string& out);
  std::uint64_t raw_bytes_read() const noexcept { return raw_read_; }

 private:
  void convert(const char* data, std::size_t size, std::string& out, bool flush);
  const SourceInfo& source_;
  std::FILE* file_ = nullptr;
  void* iconv_ = nullptr;  // iconv_t when the file is not UTF-8
  ContentHasher hasher_;  // re-hashes pass two to catch a file changed since pass one
  std::string carry_;      // an incomplete multi-byte sequence at the end of a chunk
  std::string raw_;
  std::uint64_t raw_read_ = 0;
  std::uint64_t decoded_lines_ = 1;
  bool skipped_bom_ = false;
  bool done_ = false;
};

// Physical lines of decoded text. A line longer than the chunk size comes in several pieces;
// `complete` says whether the piece ends the line (with its '\n' included).
class LineSplitter {
 public:
  explicit LineSplitter(DecodedStream& stream) : stream_(stream) {}
  bool next(std::string_view& piece, bool& complete);
  // The first line of the text (without consuming it), for delimiter detection.
  std::string_view peek_first_line();

 private:
  bool fill();
  DecodedStream& stream_;
  std::string chunk_;
  std::size_t pos_ = 0;
  bool eof_ = false;
};

// The number of characters (not bytes) in a UTF-8 prefix, for 1-based column numbers.
std::uint64_t utf8_columns(std::string_view text);

}  // namespace baro::ingest
