#include "support/test_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

extern char** environ;

namespace baro::test {

TempDir::TempDir() : TempDir(fs::temp_directory_path()) {}

TempDir::TempDir(const fs::path& base) {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = base / ("baro-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path_, ec);
}

fs::path TempDir::write(const std::string& name, const std::string& bytes) const {
  const fs::path p = path_ / name;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + p.string());
  return p;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path temp_base_reachable_by_everyone() {
  const fs::path temp = fs::absolute(fs::temp_directory_path());
  for (fs::path folder = temp;; folder = folder.parent_path()) {
    std::error_code ec;
    if ((fs::status(folder, ec).permissions() & fs::perms::others_exec) == fs::perms::none) return "/tmp";
    if (folder == folder.root_path()) return temp;
  }
}

fs::path mini_rules_dir() { return fs::path(BARO_TEST_DATA_DIR) / "rules" / "mini"; }
fs::path reference_dir() { return fs::path(BARO_SOURCE_DIR) / "data" / "reference"; }


namespace {

std::string_view variable_name(std::string_view entry) { return entry.substr(0, entry.find('=')); }

// The caller's environment, without BARO_* and NO_COLOR, with `extra` replacing any inherited
// variable of the same name. Replacing matters: getenv() returns the first entry of a name,
// so an appended XDG_CACHE_HOME would lose to the one the person running the tests has set.
std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  std::set<std::string_view> overridden;
  for (const std::string& entry : extra) overridden.insert(variable_name(entry));
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry = *e;
    if (entry.rfind("BARO_", 0) == 0 || entry.rfind("NO_COLOR=", 0) == 0) continue;
    if (overridden.count(variable_name(entry)) != 0) continue;
    env.emplace_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// Starts argv (no shell) with stdin from /dev/null and stdout/stderr into the given files.
pid_t spawn(const std::vector<std::string>& argv_in, const fs::path& cwd, const std::vector<std::string>& env_in,
            const std::string& out_path, const std::string& err_path) {
  std::vector<std::string> argv_storage = argv_in;
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = child_environment(env_in);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv_in.at(0));
  return pid;
}

int exit_code_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

RunResult run_program(const std::vector<std::string>& argv, const fs::path& cwd, const std::vector<std::string>& env) {
  // stdout and stderr go to temporary files: simple, and no pipe can fill up and deadlock.
  TempDir capture;
  const std::string out_path = (capture / "out").string(), err_path = (capture / "err").string();
  const pid_t pid = spawn(argv, cwd, env, out_path, err_path);
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult result;
  result.exit_code = exit_code_of(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

RunResult run_baro(const std::vector<std::string>& args, const fs::path& cwd, const std::vector<std::string>& env) {
  std::vector<std::string> argv{BARO_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, cwd, env);
}

BaroProcess::BaroProcess(const std::vector<std::string>& args, const fs::path& cwd)
    : capture_(std::make_unique<TempDir>()) {
  std::vector<std::string> argv{BARO_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = spawn(argv, cwd, {}, (*capture_ / "out").string(), (*capture_ / "err").string());
}

BaroProcess::~BaroProcess() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
}

bool BaroProcess::running() {
  if (reaped_) return false;
  const pid_t r = waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

void BaroProcess::kill(int signal) {
  if (!reaped_) ::kill(pid_, signal);
}

RunResult BaroProcess::wait() {
  if (!reaped_) {
    waitpid(pid_, &status_, 0);
    reaped_ = true;
  }
  RunResult result;
  result.exit_code = exit_code_of(status_);
  result.out = read_file(*capture_ / "out");
  result.err = read_file(*capture_ / "err");
  return result;
}

void init_db(const fs::path& db) {
  const auto r = run_baro({"init", "--db", db.string(), "--reference", reference_dir().string()});
  if (r.exit_code != 0) throw std::runtime_error("baro init failed: " + r.err);
}

fs::path fresh_db(const TempDir& dir, const std::string& name) {
  // ctest prepares the template once (a fixture); a test binary run by hand makes its own.
  static const fs::path template_db = [] {
    const fs::path prepared = BARO_TEST_TEMPLATE_DB;
    std::error_code ec;
    if (fs::exists(prepared, ec)) return prepared;
    static TempDir cache;
    const fs::path db = cache / "template.db";
    init_db(db);
    return db;
  }();
  const fs::path target = dir / name;
  fs::copy_file(template_db, target, fs::copy_options::overwrite_existing);
  return target;
}

std::string database_fingerprint(const fs::path& db) {
  std::string out = read_file(db);
  fs::path wal = db;
  wal += "-wal";
  std::error_code ec;
  // An empty WAL is no WAL: a read-only reader (a report) leaves one behind, by SQLite's
  // design, without changing a byte of the data.
  if (fs::exists(wal, ec) && fs::file_size(wal, ec) > 0) out += "\n--wal--\n" + read_file(wal);
  return out;
}

}  // namespace baro::test
