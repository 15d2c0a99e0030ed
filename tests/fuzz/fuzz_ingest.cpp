// Fuzz target for the survey readers (baro/ingest.hpp): encoding detection, CSV through
// libcsv, JSON Lines and JSON arrays, and the column mapping built on top of them.
//
// Input layout: the first byte chooses how the file is read (bits 0-1: detected format,
// CSV, JSON Lines or JSON array; bit 2: force Windows-1252; bit 3: force UTF-16LE; bit 4:
// a 64-byte field limit so that the limit's paths are reached with small inputs); the rest
// is the file's content, written to a temporary file because RecordReader reads paths.
//
// Any input may be refused with baro::Error; anything else escaping (another exception, a
// crash, a sanitizer report) is a bug. Records must also keep the reader's promises: one
// `present` flag per value, and a CSV record without a problem has one value per column.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "baro/error.hpp"
#include "baro/import.hpp"
#include "baro/ingest.hpp"

namespace {

namespace fs = std::filesystem;

[[noreturn]] void broken(const char* promise) {
  std::fprintf(stderr, "fuzz_ingest: broken promise: %s\n", promise);
  std::abort();
}

const fs::path& scratch_file() {
  static const fs::path path = [] {
    const fs::path shm("/dev/shm");
    std::error_code ec;
    const fs::path dir = fs::is_directory(shm, ec) ? shm : fs::temp_directory_path();
    return dir / ("baro-fuzz-ingest-" + std::to_string(::getpid()) + ".dat");
  }();
  return path;
}

struct RemoveAtExit {
  ~RemoveAtExit() {
    std::error_code ec;
    fs::remove(scratch_file(), ec);
  }
} remove_at_exit;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  {
    std::ofstream out(scratch_file(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
  }
  baro::IngestOptions options;
  switch (mode & 3) {
    case 1: options.format = baro::SourceFormat::kCsv; break;
    case 2: options.format = baro::SourceFormat::kJsonLines; break;
    case 3: options.format = baro::SourceFormat::kJsonArray; break;
    default: break;  // detected: the scratch file has no extension, so it is sniffed
  }
  if (mode & 4) options.encoding = baro::TextEncoding::kWindows1252;
  if (mode & 8) options.encoding = baro::TextEncoding::kUtf16Le;
  if (mode & 16) options.max_field_bytes = 64;
  try {
    auto reader = baro::RecordReader::open(scratch_file(), options);
    const baro::SourceInfo& source = reader->source();
    try {
      (void)baro::ColumnMapping::resolve(source, {});
    } catch (const baro::Error&) {
      // No description column, duplicate headers…: refused, and the records are still read.
    }
    baro::Record record;
    std::uint64_t previous_line = 0;
    while (reader->next(record)) {
      if (record.values.size() != record.present.size()) broken("one present flag per value");
      if (record.line < previous_line) broken("records come in line order");
      previous_line = record.line;
      if (source.format == baro::SourceFormat::kCsv && record.problem.empty() &&
          record.values.size() != source.columns.size()) {
        broken("a CSV record without a problem has one value per column");
      }
      if (source.format != baro::SourceFormat::kCsv && record.values.size() > source.columns.size()) {
        broken("a JSON record has no more values than there are known keys");
      }
    }
  } catch (const baro::Error& e) {
    if (e.message().empty()) broken("an error says what is wrong");
  }
  return 0;
}
