#include "ingest/source.hpp"

#include <iconv.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "baro/error.hpp"
#include "util/hash.hpp"

namespace baro::ingest {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunkBytes = 1u << 20;
constexpr std::size_t kMinChunkBytes = 4096;

// A small file needs no 1 MiB buffer (reference files, tests and fuzzing read thousands of
// them); a file that grows after this is still read whole, in more chunks.
std::size_t chunk_bytes_for(std::uint64_t file_size) {
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(file_size + 1, kMinChunkBytes, kChunkBytes));
}

struct FileCloser {
  void operator()(std::FILE* f) const noexcept {
    if (f != nullptr) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

FilePtr open_for_reading(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) {
    throw no_input_error("no such file", {path.string()}, "check the path (it is relative to the current directory)");
  }
  if (fs::is_directory(status)) {
    throw no_input_error("is a directory, not a survey file", {path.string()},
                         "name the CSV, JSONL or JSON files inside it");
  }
  if (!fs::is_regular_file(status)) {
    // Pipes and character devices are spooled (scan_source); a socket or a block device is
    // not a batch.
    throw no_input_error("not a regular file, a pipe or standard input (a socket or a block device)",
                         {path.string()}, "save it to a file first");
  }
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    throw no_input_error(std::string("cannot open: ") + std::strerror(errno), {path.string()},
                         "check the file's permissions");
  }
  return file;
}

// Validates UTF-8 byte by byte across chunk boundaries (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF).
class Utf8Validator {
 public:
  // False when `b` makes the text invalid.
  bool feed(unsigned char b) noexcept {
    if (need_ == 0) {
      if (b < 0x80) return true;
      lo_ = 0x80;
      hi_ = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        need_ = 1;
      } else if (b == 0xE0) {
        need_ = 2, lo_ = 0xA0;
      } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
        need_ = 2;
      } else if (b == 0xED) {
        need_ = 2, hi_ = 0x9F;
      } else if (b == 0xF0) {
        need_ = 3, lo_ = 0x90;
      } else if (b >= 0xF1 && b <= 0xF3) {
        need_ = 3;
      } else if (b == 0xF4) {
        need_ = 3, hi_ = 0x8F;
      } else {
        return false;
      }
      return true;
    }
    if (b < lo_ || b > hi_) {
      need_ = 0;
      return false;
    }
    --need_;
    lo_ = 0x80;
    hi_ = 0xBF;
    return true;
  }
  bool complete() const noexcept { return need_ == 0; }

 private:
  int need_ = 0;
  unsigned char lo_ = 0x80, hi_ = 0xBF;
};

bool is_windows1252_undefined(unsigned char b) {
  return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
}

const char* iconv_name(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8: return "UTF-8";
    case TextEncoding::kWindows1252: return "WINDOWS-1252";
    case TextEncoding::kLatin1: return "ISO-8859-1";
    case TextEncoding::kLatin9: return "ISO-8859-15";
    case TextEncoding::kUtf16Le: return "UTF-16LE";
    case TextEncoding::kUtf16Be: return "UTF-16BE";
  }
  return "UTF-8";
}

std::string hex_byte(unsigned char b) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("0x") + kHex[b >> 4] + kHex[b & 0xF];
}

// A pipe would be empty on the second pass and then look like a file that changed while it
// was read: its bytes are copied to a temporary file, read twice in its place.
std::shared_ptr<const fs::path> spool(const fs::path& path) {
  FilePtr in(std::fopen(path.c_str(), "rb"));
  if (!in) {
    throw no_input_error(std::string("cannot open: ") + std::strerror(errno), {path.string()},
                         "check the file's permissions");
  }
  std::error_code ec;
  fs::path dir = fs::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string pattern = (dir / "baro-input-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    throw io_error(std::string("cannot make a temporary copy of it: ") + std::strerror(errno), {path.string()},
                   "Baro reads a batch twice and copies a pipe first: set TMPDIR to a folder it can write");
  }
  std::shared_ptr<const fs::path> copy(new fs::path(pattern), [](const fs::path* p) {
    std::error_code ignored;
    fs::remove(*p, ignored);
    delete p;
  });
  FilePtr out(::fdopen(fd, "wb"));
  if (!out) {
    ::close(fd);
    throw io_error(std::string("cannot make a temporary copy of it: ") + std::strerror(errno), {path.string()});
  }
  std::string chunk(kChunkBytes, '\0');
  for (;;) {
    const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), in.get());
    if (n > 0 && std::fwrite(chunk.data(), 1, n, out.get()) != n) {
      throw io_error(std::string("copying it to a temporary file failed: ") + std::strerror(errno), {path.string()},
                     "nothing was imported; free some space in the temporary folder (TMPDIR)");
    }
    if (n < chunk.size()) {
      if (std::ferror(in.get())) {
        throw io_error(std::string("read failed: ") + std::strerror(errno), {path.string()}, "nothing was imported");
      }
      if (std::feof(in.get())) break;
    }
  }
  if (std::fclose(out.release()) != 0) {
    throw io_error(std::string("copying it to a temporary file failed: ") + std::strerror(errno), {path.string()},
                   "nothing was imported; free some space in the temporary folder (TMPDIR)");
  }
  return copy;
}

}  // namespace

SourceInfo scan_source(const fs::path& path, const IngestOptions& options) {
  SourceInfo info;
  info.path = path;
  std::error_code status_error;
  const auto type = fs::status(path, status_error).type();
  if (type == fs::file_type::fifo || type == fs::file_type::character) info.spool = spool(path);
  FilePtr file = open_for_reading(read_path(info));
  const std::string name = path.string();

  ContentHasher hasher;
  Utf8Validator utf8;
  bool utf8_valid = true;
  SourceLocation first_invalid_utf8, first_nul, first_undefined_1252, middle_bom;
  unsigned char undefined_byte = 0;
  std::uint64_t line = 1, line_start = 0, offset = 0;
  std::uint64_t crlf = 0, lf = 0, lone_cr = 0;
  unsigned char prev = 0, prev2 = 0;
  std::uint64_t utf8_sequence_start = 0;
  bool is_utf16 = false;

  std::error_code size_error;
  const std::uintmax_t size_hint = fs::file_size(read_path(info), size_error);
  std::string chunk(chunk_bytes_for(size_error ? kChunkBytes : size_hint), '\0');
  for (;;) {
    const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file.get());
    if (n == 0) {
      if (std::ferror(file.get())) {
        throw io_error(std::string("read failed: ") + std::strerror(errno), {name});
      }
      break;
    }
    hasher.update(std::string_view(chunk.data(), n));
    std::size_t i = 0;
    if (offset == 0) {
      const auto* b = reinterpret_cast<const unsigned char*>(chunk.data());
      if (n >= 4 && std::memcmp(b, "PK\x03\x04", 4) == 0) {
        throw data_error("this is a ZIP archive (an Excel .xlsx or OpenDocument file?), not CSV or JSON", {name},
                         "in the spreadsheet, use Save As › CSV UTF-8 (comma or semicolon delimited)");
      }
      if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        info.has_bom = true;
        info.encoding = TextEncoding::kUtf8;
        i = 3;
      } else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        info.has_bom = true, is_utf16 = true;
        info.encoding = TextEncoding::kUtf16Le;
      } else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        info.has_bom = true, is_utf16 = true;
        info.encoding = TextEncoding::kUtf16Be;
      }
    }
    if (!is_utf16) {
      for (; i < n; ++i) {
        const auto b = static_cast<unsigned char>(chunk[i]);
        const std::uint64_t at = offset + i;
        if (b == '\n') {
          if (prev == '\r') ++crlf; else ++lf;
        } else if (prev == '\r') {
          ++lone_cr;
        }
        if (b >= 0x80 || !utf8.complete()) {
          if (utf8.complete()) utf8_sequence_start = at;
          if (!utf8.feed(b) && utf8_valid) {
            utf8_valid = false;
            first_invalid_utf8 = {name, line, utf8_sequence_start - line_start + 1};
          }
          if (is_windows1252_undefined(b) && first_undefined_1252.line == 0) {
            first_undefined_1252 = {name, line, at - line_start + 1};
            undefined_byte = b;
          }
          if (b == 0xBF && prev == 0xBB && prev2 == 0xEF && at >= 3 && middle_bom.line == 0) {
            middle_bom = {name, line, at - 2 - line_start + 1};
          }
        } else if (b == 0 && first_nul.line == 0) {
          first_nul = {name, line, at - line_start + 1};
        }
        if (b == '\n') {
          ++line;
          line_start = at + 1;
        }
        prev2 = prev;
        prev = b;
      }
    }
    offset += n;
  }
  if (!utf8.complete() && utf8_valid) {
    utf8_valid = false;
    first_invalid_utf8 = {name, line, utf8_sequence_start - line_start + 1};
  }
  if (prev == '\r') ++lone_cr;

  info.size_bytes = offset;
  info.content_hash = hasher.hex_digest();
  const int kinds = (crlf > 0) + (lf > 0) + (lone_cr > 0);
  info.line_endings = kinds == 0 ? "none" : kinds > 1 ? "mixed" : crlf > 0 ? "CRLF" : lf > 0 ? "LF" : "CR";

  if (options.encoding) {
    info.encoding = *options.encoding;
    info.encoding_forced = true;
  } else if (!info.has_bom) {
    info.encoding = utf8_valid ? TextEncoding::kUtf8 : TextEncoding::kWindows1252;
  }
  const bool eight_bit = info.encoding != TextEncoding::kUtf16Le && info.encoding != TextEncoding::kUtf16Be;
  if (eight_bit && first_nul.line != 0) {
    throw data_error("NUL byte: this is a binary file, or UTF-16 text without a byte-order mark", first_nul,
                     "export the survey as CSV UTF-8, or name the encoding with --encoding utf-16le");
  }
  if (middle_bom.line != 0 && info.encoding == TextEncoding::kUtf8) {
    throw data_error("a byte-order mark in the middle of the file (two exports pasted together?)", middle_bom,
                     "remove it, and the second header line if there is one, then import again");
  }
  if (info.encoding == TextEncoding::kUtf8 && !utf8_valid) {
    throw data_error(std::string("invalid UTF-8") + (info.has_bom ? " although the file starts with a UTF-8 byte-order mark" : ""),
                     first_invalid_utf8,
                     "re-export the file as UTF-8, or name its real encoding with --encoding (e.g. windows-1252)");
  }
  if (info.encoding == TextEncoding::kWindows1252 && first_undefined_1252.line != 0) {
    Error error = data_error("byte " + hex_byte(undefined_byte) +
                                 " is neither valid UTF-8 nor a Windows-1252 character: the encoding is unknown",
                             first_undefined_1252,
                             "re-export the file as UTF-8, or name its encoding with --encoding");
    if (!info.encoding_forced && first_invalid_utf8.line != 0) {
      error.add_detail(first_invalid_utf8.to_string() + ": first byte that is not valid UTF-8");
    }
    throw error;
  }
  return info;
}

DecodedStream::DecodedStream(const SourceInfo& source) : source_(source) {
  std::error_code ec;
  if (!fs::exists(read_path(source), ec)) {
    throw io_error("the file disappeared while it was being read", {source.path.string()},
                   "nothing was imported; make sure no other program moves or rewrites it, then try again");
  }
  file_ = std::fopen(read_path(source).c_str(), "rb");
  if (file_ == nullptr) {
    throw io_error(std::string("cannot open the file again: ") + std::strerror(errno), {source.path.string()},
                   "nothing was imported; check its permissions");
  }
  if (source.encoding != TextEncoding::kUtf8) {
    iconv_t cd = iconv_open("UTF-8", iconv_name(source.encoding));
    if (cd == reinterpret_cast<iconv_t>(-1)) {
      std::fclose(file_);
      throw internal_error(std::string("iconv cannot convert from ") + iconv_name(source.encoding));
    }
    iconv_ = cd;
  }
  raw_.resize(chunk_bytes_for(source.size_bytes));
}

DecodedStream::~DecodedStream() {
  if (file_ != nullptr) std::fclose(file_);
  if (iconv_ != nullptr) iconv_close(static_cast<iconv_t>(iconv_));
}

bool DecodedStream::read(std::string& out) {
  out.clear();
  while (out.empty()) {
    if (done_) return false;
    const std::size_t n = std::fread(raw_.data(), 1, raw_.size(), file_);
    if (n == 0) {
      if (std::ferror(file_)) {
        throw io_error(std::string("read failed: ") + std::strerror(errno), {source_.path.string()},
                       "nothing was imported");
      }
      done_ = true;
      if (raw_read_ != source_.size_bytes || hasher_.hex_digest() != source_.content_hash) {
        throw io_error("the file changed while it was being read", {source_.path.string()},
                       "nothing was imported; wait until the program writing it has finished, then try again");
      }
      if (iconv_ != nullptr) convert(nullptr, 0, out, true);
      return !out.empty();
    }
    hasher_.update(std::string_view(raw_.data(), n));
    std::size_t skip = 0;
    if (raw_read_ == 0 && source_.has_bom && !skipped_bom_) {
      skip = source_.encoding == TextEncoding::kUtf8 ? 3 : 2;
      skipped_bom_ = true;
      if (source_.encoding_forced) {
        // A forced encoding that disagrees with the BOM: keep the bytes, iconv will judge.
        const auto* b = reinterpret_cast<const unsigned char*>(raw_.data());
        const bool utf8_bom = n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF;
        const bool utf16_bom = n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
        if (!(source_.encoding == TextEncoding::kUtf8 ? utf8_bom : utf16_bom)) skip = 0;
      }
    }
    raw_read_ += n;
    if (iconv_ == nullptr) {
      out.assign(raw_.data() + skip, n - skip);
    } else {
      convert(raw_.data() + skip, n - skip, out, false);
    }
  }
  return true;
}

void DecodedStream::convert(const char* data, std::size_t size, std::string& out, bool flush) {
  std::string input = std::move(carry_);
  carry_.clear();
  input.append(data, size);
  char* in = input.data();
  std::size_t in_left = input.size();
  std::size_t produced = out.size();
  out.resize(produced + in_left * 4 + 16);
  while (in_left > 0) {
    char* dst = out.data() + produced;
    std::size_t out_left = out.size() - produced;
    const std::size_t rc = iconv(static_cast<iconv_t>(iconv_), &in, &in_left, &dst, &out_left);
    produced = out.size() - out_left;
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    // Where in the text: count the lines decoded so far.
    std::uint64_t line = decoded_lines_;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < produced; ++i) {
      if (out[i] == '\n') ++line, line_start = i + 1;
    }
    const SourceLocation where{source_.path.string(), line,
                               utf8_columns(std::string_view(out.data() + line_start, produced - line_start)) + 1};
    if (errno == EINVAL) {
      if (!flush) {
        carry_.assign(in, in_left);
        break;
      }
      throw data_error("the file ends in the middle of a " + to_string(source_.encoding) + " character", where,
                       "the file is truncated or not in " + to_string(source_.encoding));
    }
    throw data_error("byte " + hex_byte(static_cast<unsigned char>(*in)) + " is not valid " +
                         to_string(source_.encoding),
                     where, "name the file's real encoding with --encoding, or re-export it as UTF-8");
  }
  out.resize(produced);
  for (char c : out) {
    if (c == '\n') ++decoded_lines_;
  }
}

bool LineSplitter::fill() {
  if (eof_) return false;
  pos_ = 0;
  if (!stream_.read(chunk_)) {
    eof_ = true;
    chunk_.clear();
    return false;
  }
  return true;
}

bool LineSplitter::next(std::string_view& piece, bool& complete) {
  if (pos_ >= chunk_.size() && !fill()) return false;
  const char* begin = chunk_.data() + pos_;
  const std::size_t left = chunk_.size() - pos_;
  const void* nl = std::memchr(begin, '\n', left);
  if (nl != nullptr) {
    const std::size_t len = static_cast<const char*>(nl) - begin + 1;
    piece = std::string_view(begin, len);
    complete = true;
    pos_ += len;
  } else {
    piece = std::string_view(begin, left);
    complete = false;
    pos_ = chunk_.size();
  }
  return true;
}

std::string_view LineSplitter::peek_first_line() {
  if (pos_ >= chunk_.size() && !fill()) return {};
  std::string_view rest(chunk_.data() + pos_, chunk_.size() - pos_);
  const auto nl = rest.find('\n');
  return nl == std::string_view::npos ? rest : rest.substr(0, nl);
}

std::uint64_t utf8_columns(std::string_view text) {
  std::uint64_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace baro::ingest
