#include "baro/error.hpp"

#include <utility>

namespace baro {

std::string SourceLocation::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

namespace {
std::string headline(const std::string& message, const SourceLocation& where) {
  const std::string place = where.to_string();
  return place.empty() ? message : place + ": " + message;
}
}  // namespace

Error::Error(ExitCode code, std::string message, SourceLocation where, std::string hint)
    : std::runtime_error(headline(message, where)),
      code_(code),
      message_(std::move(message)),
      where_(std::move(where)),
      hint_(std::move(hint)) {}

Error& Error::add_detail(std::string detail) {
  details_.push_back(std::move(detail));
  return *this;
}

Error& Error::set_details_omitted(std::uint64_t n) noexcept {
  details_omitted_ = n;
  return *this;
}

std::string Error::describe() const {
  std::string out = what();
  for (const auto& detail : details_) out += "\n  " + detail;
  if (details_omitted_ > 0) out += "\n  … and " + std::to_string(details_omitted_) + " more";
  if (!hint_.empty()) out += "\nhint: " + hint_;
  return out;
}

Error usage_error(std::string message, std::string hint) {
  return Error(ExitCode::kUsage, std::move(message), {}, std::move(hint));
}
Error data_error(std::string message, SourceLocation where, std::string hint) {
  return Error(ExitCode::kDataError, std::move(message), std::move(where), std::move(hint));
}
Error no_input_error(std::string message, SourceLocation where, std::string hint) {
  return Error(ExitCode::kNoInput, std::move(message), std::move(where), std::move(hint));
}
Error config_error(std::string message, SourceLocation where, std::string hint) {
  return Error(ExitCode::kConfig, std::move(message), std::move(where), std::move(hint));
}
Error io_error(std::string message, SourceLocation where, std::string hint) {
  return Error(ExitCode::kIoError, std::move(message), std::move(where), std::move(hint));
}
Error internal_error(std::string message) {
  return Error(ExitCode::kInternal, std::move(message), {},
               "this is a bug in Baro; please report it with the command that triggered it");
}

}  // namespace baro
