#include "util/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "baro/error.hpp"

namespace baro {
namespace fs = std::filesystem;

AtomicFile::AtomicFile(fs::path target) : target_(std::move(target)) {
  std::error_code ec;
  if (fs::is_directory(target_, ec)) {
    throw Error(ExitCode::kCannotCreate, "is a folder, not a file", {target_.string()}, "name the file to write");
  }
  const fs::path dir = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
  std::string pattern = (dir / ("." + target_.filename().string() + ".baro-XXXXXX")).string();
  fd_ = ::mkstemp(pattern.data());
  if (fd_ < 0) {
    throw Error(ExitCode::kCannotCreate, std::string("cannot create a file in its folder: ") + std::strerror(errno),
                {target_.string()}, "check that the folder exists and is writable");
  }
  temp_ = pattern;
  // mkstemp makes 0600 files; the output is an ordinary file, so honour the umask.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty()) {
    std::error_code ec;
    fs::remove(temp_, ec);
  }
}

void AtomicFile::write(std::string_view bytes) {
  const char* data = bytes.data();
  std::size_t size = bytes.size();
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw io_error(std::string("writing failed: ") + std::strerror(errno), {target_.string()},
                     "nothing was written to it; free some space or choose another file");
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
    fd_ = -1;
    throw io_error(std::string("writing failed: ") + std::strerror(errno), {target_.string()},
                   "nothing was written to it; free some space or choose another file");
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    throw Error(ExitCode::kCannotCreate, std::string("cannot put the file in place: ") + std::strerror(errno),
                {target_.string()});
  }
  temp_.clear();
}

}  // namespace baro
