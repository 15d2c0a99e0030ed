// Internal: every file Baro writes for people — a report or an export (`--out`), a
// validation sample, a rejects file — goes through OutputFile, which treats the path by the
// kind of thing it names:
//
//   "-"                    standard output.
//   a regular file, or a   the bytes go to a temporary file beside it (same folder, so the
//   path that does not     rename is atomic); commit() flushes them to the disk and renames
//   exist yet              it into place: the file appears whole or not at all, with the
//                          mode of the file it replaces.
//   a symbolic link        followed (through every link, even a dangling one) to its target,
//                          which is then treated as above: the link stays, its target is
//                          replaced.
//   anything else          (a FIFO, a character device such as /dev/null or a terminal, a
//                          socket), and a descriptor named by its path (/dev/stdout,
//                          /dev/fd/N, /proc/self/fd/N, whatever it is open on): written
//                          directly, never renamed over, so that its reader gets the bytes; a
//                          failure midway may leave it part of them. Opening a FIFO waits for
//                          its reader, as a shell redirection does.
//
// Destroying an OutputFile that was not committed removes its temporary file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace baro {

class OutputFile {
 public:
  // `option` names what gave the path, for the hints ("--out", "--rejects").
  // Throws baro::Error (kCannotCreate) when the path is a folder, its folder is missing or
  // not writable, or it cannot be opened.
  explicit OutputFile(std::filesystem::path target, std::string_view option = "--out");
  ~OutputFile();
  // A temporary file is an open descriptor and a name to remove: neither copied nor moved.
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Throws baro::Error (kIoError) when the bytes cannot be written.
  void write(std::string_view bytes);
  // Puts the file in place (or flushes the stream). Throws baro::Error (kIoError,
  // kCannotCreate); a regular target is untouched on failure.
  void commit();

  // Standard output, or a terminal named by its path (/dev/tty).
  bool is_terminal() const;
  bool is_standard_output() const noexcept { return kind_ == Kind::kStandardOutput; }

 private:
  enum class Kind { kStandardOutput = 1, kReplace, kDirect };
  [[noreturn]] void write_failed(int error) const;
  Kind kind_ = Kind::kReplace;
  std::filesystem::path target_;  // as given, for messages
  std::filesystem::path final_;   // what a kReplace output renames onto (the link's target)
  std::filesystem::path temp_;
  std::string option_;
  int fd_ = -1;
};

}  // namespace baro
