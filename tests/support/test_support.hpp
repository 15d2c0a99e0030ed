// Shared test fixtures: temporary folders, files written byte for byte, and running the
// real `baro` binary with its output captured.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace baro::test {

namespace fs = std::filesystem;

// A fresh folder under the system temp dir, removed (with its content) on destruction.
class TempDir {
 public:
  TempDir();
  // A fresh folder under `base` instead of the system temp dir.
  explicit TempDir(const fs::path& base);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  // Writes `bytes` exactly (no newline translation) and returns the path.
  fs::path write(const std::string& name, const std::string& bytes) const;

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path);

// A folder under which an unprivileged user (the read-only tests run baro as `nobody` when
// they run as root) can reach what a test puts there: the system temp dir when every folder
// on its path lets others through, else /tmp. TMPDIR may well be under /root.
fs::path temp_base_reachable_by_everyone();

// The test fixtures: a small rule set and the real commune reference.
fs::path mini_rules_dir();
fs::path reference_dir();

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs build/bin/baro with `args` (no shell), in `cwd`, with extra environment entries.
RunResult run_baro(const std::vector<std::string>& args, const fs::path& cwd = {},
                   const std::vector<std::string>& env = {});
// The same for any program: argv[0] is its path. BARO_* variables are not inherited.
RunResult run_program(const std::vector<std::string>& argv, const fs::path& cwd = {},
                      const std::vector<std::string>& env = {});

// `baro` running in the background (kill tests, concurrency tests), its output captured in
// files. The destructor kills (SIGKILL) and reaps it if it still runs.
class BaroProcess {
 public:
  explicit BaroProcess(const std::vector<std::string>& args, const fs::path& cwd = {});
  ~BaroProcess();
  BaroProcess(const BaroProcess&) = delete;
  BaroProcess& operator=(const BaroProcess&) = delete;
  pid_t pid() const { return pid_; }
  // True while the process has not exited (reaps it when it has).
  bool running();
  void kill(int signal);
  // Waits for the process to end; exit_code is 128 + the signal when it was killed.
  RunResult wait();

 private:
  std::unique_ptr<TempDir> capture_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

// Creates a database at `db` with the reference loaded (through the real binary).
void init_db(const fs::path& db);

// A copy of a database with the reference loaded, made once per test process and copied:
// loading 35,000 communes for every test case would dominate the suite's time.
fs::path fresh_db(const TempDir& dir, const std::string& name = "baro.db");

// The bytes of a database file and its WAL (when not empty), to check that a refused
// operation changed nothing.
std::string database_fingerprint(const fs::path& db);

}  // namespace baro::test
