#include "util/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "baro/error.hpp"

namespace baro {
namespace fs = std::filesystem;

namespace {

// The path a chain of symbolic links ends at (which may not exist: a dangling link is
// followed too, so that the file appears where the link points).
fs::path follow_links(fs::path path) {
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(path, ec))) return path;
    const fs::path next = fs::read_symlink(path, ec);
    if (ec) return path;
    path = next.is_absolute() ? next : path.parent_path() / next;
  }
  throw Error(ExitCode::kCannotCreate, "too many levels of symbolic links", {path.string()});
}

// /dev/stdout, /dev/fd/N, /proc/self/fd/N: a descriptor the caller opened (a shell
// redirection). Whatever it is, even a regular file, it is written through, never replaced.
bool names_a_descriptor(const fs::path& path) {
  const std::string p = path.lexically_normal().string();
  return p == "/dev/stdout" || p == "/dev/stderr" || p.rfind("/dev/fd/", 0) == 0 || p.rfind("/proc/", 0) == 0;
}

}  // namespace

OutputFile::OutputFile(fs::path target, std::string_view option) : target_(std::move(target)), option_(option) {
  if (target_.empty() || target_ == "-") {
    kind_ = Kind::kStandardOutput;
    std::cout.flush();
    fd_ = STDOUT_FILENO;
    return;
  }
  const std::string name = target_.string();
  struct stat st {};
  const bool exists = ::stat(target_.c_str(), &st) == 0;  // through the links
  if (exists && S_ISDIR(st.st_mode)) {
    throw Error(ExitCode::kCannotCreate, "is a folder, not a file", {name}, option_ + " names the file to write");
  }
  if (exists && (!S_ISREG(st.st_mode) || names_a_descriptor(target_))) {
    // A FIFO, a device, a socket: its reader is waiting for the bytes, not for a new file.
    // O_APPEND: a redirection's file (`>>` too) is added to, not overwritten from its start.
    fd_ = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | (S_ISREG(st.st_mode) ? O_APPEND : 0));
    if (fd_ < 0) {
      throw Error(ExitCode::kCannotCreate, std::string("cannot open it for writing: ") + std::strerror(errno), {name},
                  "name a file, a FIFO with a reader or a device (" + option_ + " - is standard output)");
    }
    kind_ = Kind::kDirect;
    return;
  }
  final_ = exists ? fs::path(target_) : follow_links(target_);
  if (exists) {
    std::error_code ec;
    const fs::path resolved = fs::canonical(target_, ec);
    if (!ec) final_ = resolved;
  }
  const fs::path dir = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
  std::string pattern = (dir / ("." + final_.filename().string() + ".baro-XXXXXX")).string();
  fd_ = ::mkstemp(pattern.data());
  if (fd_ < 0) {
    throw Error(ExitCode::kCannotCreate, std::string("cannot create a file in its folder: ") + std::strerror(errno),
                {name}, "check that the folder exists and is writable, or choose another " + option_);
  }
  temp_ = pattern;
  // mkstemp makes 0600 files: a replaced file keeps its mode, a new one honours the umask.
  mode_t mode = 0;
  if (exists) {
    mode = st.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  ::fchmod(fd_, mode);
}

OutputFile::~OutputFile() {
  if (fd_ >= 0 && kind_ != Kind::kStandardOutput) ::close(fd_);
  if (!temp_.empty()) {
    std::error_code ec;
    fs::remove(temp_, ec);
  }
}

void OutputFile::write_failed(int error) const {
  if (kind_ == Kind::kStandardOutput) throw io_error(std::string("writing to standard output failed: ") + std::strerror(error));
  throw io_error(std::string("writing failed: ") + std::strerror(error), {target_.string()},
                 kind_ == Kind::kDirect ? "its reader may have got part of the output"
                                        : "nothing was written to it; free some space or choose another " + option_);
}

void OutputFile::write(std::string_view bytes) {
  const char* data = bytes.data();
  std::size_t size = bytes.size();
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) write_failed(n < 0 ? errno : EIO);
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void OutputFile::commit() {
  if (kind_ == Kind::kStandardOutput) return;  // written as it came
  if (kind_ == Kind::kDirect) {
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0 && errno != EINTR) write_failed(errno);
    return;
  }
  if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
    const int error = errno;
    fd_ = -1;
    write_failed(error);
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), final_.c_str()) != 0) {
    throw Error(ExitCode::kCannotCreate, std::string("cannot put the file in place: ") + std::strerror(errno),
                {target_.string()});
  }
  temp_.clear();
}

bool OutputFile::is_terminal() const { return fd_ >= 0 && ::isatty(fd_) == 1; }

}  // namespace baro
