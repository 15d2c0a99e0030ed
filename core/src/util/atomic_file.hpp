// Internal: a file that appears whole or not at all. Bytes go to a temporary file beside the
// target (same folder, so the rename is atomic); commit() flushes them to the disk and renames
// it onto the target; destroying an uncommitted AtomicFile removes the temporary file. The
// same discipline as the exporters' output (plugin_host/export_runner.cpp).
#pragma once

#include <filesystem>
#include <string_view>

namespace baro {

class AtomicFile {
 public:
  // Throws baro::Error (kCannotCreate) when the target is a folder or its folder is not writable.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Throws baro::Error (kIoError) when the disk refuses the bytes.
  void write(std::string_view bytes);
  // Throws baro::Error (kIoError, kCannotCreate); the target is untouched on failure.
  void commit();

 private:
  std::filesystem::path target_, temp_;
  int fd_ = -1;
};

}  // namespace baro
