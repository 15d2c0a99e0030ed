// Errors and exit codes.
//
// Baro reports every failure through one exception type, baro::Error, thrown inside the
// engine and caught exactly once, by the CLI, which prints `baro: <describe()>` and exits
// with code(). An Error says what is wrong, where (file, line, column, or a rule id), and
// what the user can do about it. Exceptions from third-party libraries (SQLiteCpp,
// nlohmann::json, Boost) are translated into Error where they are caught, so that no bare
// what() ever reaches a user.
//
// The exit codes follow the sysexits(3) convention; docs/exit-codes.md lists them.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace baro {

enum class ExitCode : int {
  kOk = 0,
  kUsage = 64,         // EX_USAGE: the command line is wrong
  kDataError = 65,     // EX_DATAERR: the input data is malformed; nothing was written
  kNoInput = 66,       // EX_NOINPUT: an input file is missing or unreadable
  kInternal = 70,      // EX_SOFTWARE: a bug in Baro or a plugin; please report it
  kCannotCreate = 73,  // EX_CANTCREAT: an output file or database cannot be created
  kIoError = 74,       // EX_IOERR: reading or writing failed midway
  kBusy = 75,          // EX_TEMPFAIL: the database is busy; retry later
  kConfig = 78,        // EX_CONFIG: a rule file, plugin or configuration is wrong
};

// Where a problem is. Any field may be empty/zero when unknown; line and column are 1-based.
struct SourceLocation {
  std::string file;
  std::uint64_t line = 0;
  std::uint64_t column = 0;

  // "FILE:LINE:COL", "FILE:LINE", "FILE" or "" (GNU style, so editors can jump to it).
  std::string to_string() const;
};

class Error : public std::runtime_error {
 public:
  // `message` says what is wrong (no trailing period); `hint` says what to do about it.
  Error(ExitCode code, std::string message, SourceLocation where = {}, std::string hint = {});

  ExitCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const SourceLocation& where() const noexcept { return where_; }
  const std::string& hint() const noexcept { return hint_; }

  // Further problems of the same kind (e.g. every bad row of a refused batch), each already
  // formatted as "FILE:LINE:COL: what".
  const std::vector<std::string>& details() const noexcept { return details_; }
  Error& add_detail(std::string detail);
  // How many details were dropped because the list would have been too long to read.
  std::uint64_t details_omitted() const noexcept { return details_omitted_; }
  Error& set_details_omitted(std::uint64_t n) noexcept;

  // The complete, multi-line text a user reads: "WHERE: message", the details indented,
  // then "hint: ..." when there is one.
  std::string describe() const;

 private:
  ExitCode code_;
  std::string message_;
  SourceLocation where_;
  std::string hint_;
  std::vector<std::string> details_;
  std::uint64_t details_omitted_ = 0;
};

// Convenience factories, one per exit code, so call sites read as what went wrong.
Error usage_error(std::string message, std::string hint = {});
Error data_error(std::string message, SourceLocation where = {}, std::string hint = {});
Error no_input_error(std::string message, SourceLocation where = {}, std::string hint = {});
Error config_error(std::string message, SourceLocation where = {}, std::string hint = {});
Error io_error(std::string message, SourceLocation where = {}, std::string hint = {});
Error internal_error(std::string message);

}  // namespace baro
