// Issue 16, "data goes in right or not at all", through the real binary: where outputs go
// (`--out -`, a regular file, a symbolic link, a FIFO, a device), reading a database nobody
// may write, CSV files safe to open in Excel, and batches read from standard input or a pipe.
// Each case checks the message, the exit code, and that the database and the files around it
// are as they should be.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>

#include <algorithm>

#include "support/test_support.hpp"

using baro::test::database_fingerprint;
using baro::test::read_file;
using baro::test::run_baro;
using baro::test::run_program;
using baro::test::RunResult;
using baro::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kRules = baro::test::mini_rules_dir().string();
const std::string kRulesV2 = (fs::path(BARO_TEST_DATA_DIR) / "rules" / "mini-v2").string();
const std::string kBatch = "id;code_insee;description\na1;69123;Inscription cantine en ligne\na2;75056;EPN\n";

// A database holding one batch classified once (run 1).
fs::path classified_db(const TempDir& dir) {
  const auto db = baro::test::fresh_db(dir);
  const auto batch = dir.write("batch.csv", kBatch);
  const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, batch.string()});
  REQUIRE(r.exit_code == 0);
  return db;
}

// `script` run by /bin/sh with BARO set to the binary: for pipes, redirections and FIFOs.
RunResult shell(const std::string& script, const fs::path& cwd) {
  return run_program({"/bin/sh", "-c", script}, cwd, {std::string("BARO=") + BARO_BINARY});
}

bool is_a_fifo(const fs::path& p) { return fs::symlink_status(p).type() == fs::file_type::fifo; }

// The names in a folder, to check that nothing else appeared (a file named `-`, a temporary).
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

// ---- item 3: safe output paths ------------------------------------------------------------

TEST_CASE("output: --out - is standard output, and no file named - is created", "[cli][out]") {
  TempDir dir;
  const auto db = classified_db(dir);
  const auto before = database_fingerprint(db);
  const auto names = names_in(dir.path());
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"report", "--db", db.string(), "--out", "-"},
        std::vector<std::string>{"report", "--db", db.string(), "-o", "-"},
        std::vector<std::string>{"export", "--db", db.string(), "--to", "jsonl", "--out", "-"}}) {
    const auto r = run_baro(args, dir.path());
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_FALSE(r.out.empty());
    CHECK(r.err.empty());
    CHECK_FALSE(fs::exists(dir / "-"));
  }
  const auto text = run_baro({"report", "--db", db.string()}, dir.path());
  CHECK(run_baro({"report", "--db", db.string(), "--out", "-"}, dir.path()).out == text.out);
  CHECK(database_fingerprint(db) == before);
  // Only the WAL files a reader may leave beside the database.
  for (const auto& name : names_in(dir.path())) {
    if (std::find(names.begin(), names.end(), name) == names.end()) CHECK_THAT(name, Catch::EndsWith("-wal") || Catch::EndsWith("-shm"));
  }
}

TEST_CASE("output: --out to a regular file or a new path: written whole, with nothing left beside it", "[cli][out]") {
  TempDir dir;
  const auto db = classified_db(dir);
  const auto expected = run_baro({"report", "--db", db.string(), "--format", "markdown"}).out;
  const auto out = dir / "report.md";
  REQUIRE(run_baro({"report", "--db", db.string(), "--format", "markdown", "--out", out.string()}).exit_code == 0);
  CHECK(read_file(out) == expected);
  // An existing file is replaced, and keeps its mode.
  dir.write("old.md", "old content");
  fs::permissions(dir / "old.md", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  REQUIRE(run_baro({"report", "--db", db.string(), "--format", "markdown", "--out", (dir / "old.md").string()}).exit_code == 0);
  CHECK(read_file(dir / "old.md") == expected);
  CHECK(fs::status(dir / "old.md").permissions() ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  for (const auto& name : names_in(dir.path())) CHECK_THAT(name, !Catch::Contains(".baro-"));
}

TEST_CASE("output: --out through a symbolic link replaces the link's target and keeps the link", "[cli][out]") {
  TempDir dir;
  const auto db = classified_db(dir);
  const auto expected = run_baro({"report", "--db", db.string(), "--format", "markdown"}).out;
  fs::create_directory(dir / "site");
  dir.write("site/report.md", "stale");
  fs::create_symlink("site/report.md", dir / "link.md");
  const auto r = run_baro({"report", "--db", db.string(), "--format", "markdown", "--out", "link.md"}, dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::is_symlink(dir / "link.md"));
  CHECK(fs::read_symlink(dir / "link.md") == "site/report.md");
  CHECK(read_file(dir / "site" / "report.md") == expected);
  // A chain of links, the last one dangling: the file appears where it points.
  fs::create_symlink("link2.md", dir / "link1.md");
  fs::create_symlink("site/new.md", dir / "link2.md");
  REQUIRE(run_baro({"report", "--db", db.string(), "--format", "markdown", "--out", "link1.md"}, dir.path()).exit_code == 0);
  CHECK(fs::is_symlink(dir / "link1.md"));
  CHECK(fs::is_symlink(dir / "link2.md"));
  CHECK(read_file(dir / "site" / "new.md") == expected);
}

TEST_CASE("output: --out to a FIFO writes to its reader and leaves the FIFO in place", "[cli][out]") {
  TempDir dir;
  const auto db = classified_db(dir);
  const auto expected = run_baro({"report", "--db", db.string(), "--format", "markdown"}).out;
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  const auto r = shell("cat fifo > got & \"$BARO\" report --db '" + db.string() +
                           "' --format markdown --out fifo; status=$?; wait; exit $status",
                       dir.path());
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(is_a_fifo(dir / "fifo"));
  CHECK(read_file(dir / "got") == expected);
  // The same for the rejects file.
  dir.write("bad.csv", "id;code_insee;description\nb1;69123;EPN\nb2;99999;Budget\n");
  const auto c = shell("cat fifo > rejects & \"$BARO\" classify --db '" + db.string() + "' --rules '" + kRules +
                           "' --skip-bad --rejects fifo bad.csv; status=$?; wait; exit $status",
                       dir.path());
  INFO(c.err);
  CHECK(c.exit_code == 0);
  CHECK(is_a_fifo(dir / "fifo"));
  CHECK_THAT(read_file(dir / "rejects"), Catch::StartsWith("\xEF\xBB\xBFligne;motif;enregistrement\r\n3;"));
}

TEST_CASE("output: --out /dev/stdout and /dev/null are written through, never replaced", "[cli][out]") {
  TempDir dir;
  const auto db = classified_db(dir);
  const auto expected = run_baro({"report", "--db", db.string()}).out;
  const auto r = run_baro({"report", "--db", db.string(), "-o", "/dev/stdout"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == expected);
  CHECK(fs::is_symlink("/dev/stdout"));
  // Through a redirection into a file (the shell's `>`), and appended with `>>`.
  const auto s = shell("echo first > out.txt; \"$BARO\" report --db '" + db.string() + "' -o /dev/stdout >> out.txt",
                       dir.path());
  CHECK(s.exit_code == 0);
  CHECK(read_file(dir / "out.txt") == "first\n" + expected);
  const auto n = run_baro({"export", "--db", db.string(), "--to", "csv", "--out", "/dev/null"});
  CHECK(n.exit_code == 0);
  CHECK(fs::status("/dev/null").type() == fs::file_type::character);
  // A socket cannot be opened as a file: refused, and left as it is.
  TempDir sockets(fs::path("/tmp"));  // a socket's path must be short (108 bytes)
  const auto socket_path = sockets / "s";
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
  REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  const auto sock = run_baro({"report", "--db", db.string(), "--out", socket_path.string()});
  ::close(fd);
  CHECK(sock.exit_code == 73);
  CHECK_THAT(sock.err, Catch::StartsWith("baro: " + socket_path.string() + ": cannot open it for writing: "));
  CHECK(fs::symlink_status(socket_path).type() == fs::file_type::socket);
  // A folder is refused before any work.
  const auto folder = run_baro({"report", "--db", db.string(), "--out", dir.path().string()});
  CHECK(folder.exit_code == 73);
  CHECK_THAT(folder.err, Catch::Contains(dir.path().string() + ": is a folder, not a file") &&
                             Catch::Contains("hint: --out names the file to write"));
}

TEST_CASE("baro sample refuses --out - (its codes file goes beside it)", "[cli][out][validation]") {
  TempDir dir;
  const auto db = classified_db(dir);
  const auto before = database_fingerprint(db);
  const auto r = run_baro({"sample", "--db", db.string(), "--out", "-"}, dir.path());
  CHECK(r.exit_code == 64);
  CHECK_THAT(r.err, Catch::StartsWith("baro: the sample is written to a file, not to standard output"));
  CHECK(r.out.empty());
  CHECK_FALSE(fs::exists(dir / "-"));
  CHECK_FALSE(fs::exists(dir / "-.domaines.csv"));
  CHECK(database_fingerprint(db) == before);
}

// ---- item 5: read-only databases ---------------------------------------------------------

TEST_CASE("report, export, runs list, runs diff and rules stats read a database nobody may write",
          "[cli][store][readonly]") {
  // Root ignores permission bits: baro then runs as `nobody` (setpriv), which really is
  // refused writes, so the fall-back is exercised whoever runs the tests. What `nobody` needs
  // (the binary and its plugins, in the install layout; the rules) is copied where it can go.
  const bool as_root = ::geteuid() == 0;
  TempDir dir(as_root ? baro::test::temp_base_reachable_by_everyone() : fs::temp_directory_path());
  const auto data = dir / "data";
  fs::create_directory(data);
  const auto db = baro::test::fresh_db(dir, "data/baro.db");
  const auto batch = dir.write("batch.csv", kBatch);
  REQUIRE(run_baro({"classify", "--db", db.string(), "--rules", kRules, batch.string()}).exit_code == 0);
  REQUIRE(run_baro({"reclassify", "--db", db.string(), "--rules", kRulesV2}).exit_code == 0);
  REQUIRE(!fs::exists(db.string() + "-wal"));

  const auto binary = dir / "bin" / "baro";
  fs::create_directories(binary.parent_path());
  fs::copy_file(BARO_BINARY, binary);
  fs::create_directories(dir / "lib" / "baro");
  fs::copy(BARO_PLUGIN_DIR, dir / "lib" / "baro" / "plugins", fs::copy_options::recursive);
  fs::copy(kRules, dir / "rules", fs::copy_options::recursive);
  const auto everyone_reads = [](const fs::path& root) {
    const auto folder = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec;
    fs::permissions(root, folder);
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (e.is_directory()) fs::permissions(e.path(), folder);
      else fs::permissions(e.path(), fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
    }
  };
  // A copy whose -wal still holds a commit (copied while its writer had it open): an
  // immutable reader would not see that commit.
  const auto pending = dir / "pending";
  fs::create_directory(pending);
  fs::copy_file(db, dir / "w.db");
  {
    SQLite::Database w((dir / "w.db").string(), SQLite::OPEN_READWRITE);
    w.exec("PRAGMA journal_mode = WAL");
    w.exec("PRAGMA wal_autocheckpoint = 0");
    w.exec("CREATE TABLE scratch (x); INSERT INTO scratch VALUES (1)");
    fs::copy_file(dir / "w.db", pending / "baro.db");
    fs::copy_file(dir / "w.db-wal", pending / "baro.db-wal");
  }
  everyone_reads(dir.path());
  fs::permissions(binary, fs::perms::others_exec | fs::perms::group_exec, fs::perm_options::add);
  // The database and its folder: read-only for everyone.
  fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  const auto read_only_folder = fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec;
  fs::permissions(data, read_only_folder);
  fs::permissions(pending, read_only_folder);
  const std::string before = database_fingerprint(db);
  const auto names = names_in(data);

  const auto baro_as_reader = [&](std::vector<std::string> args) {
    std::vector<std::string> argv;
    if (as_root) argv = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
    argv.push_back(binary.string());
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, dir.path());
  };
  const std::string d = db.string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"report", "--db", d}, std::vector<std::string>{"export", "--db", d, "--to", "csv"},
        std::vector<std::string>{"runs", "list", "--db", d}, std::vector<std::string>{"runs", "diff", "1", "2", "--db", d},
        std::vector<std::string>{"rules", "stats", "--db", d}}) {
    DYNAMIC_SECTION(args[0] << ' ' << args[1]) {
      const auto r = baro_as_reader(args);
      INFO(r.err);
      CHECK(r.exit_code == 0);
      CHECK_FALSE(r.out.empty());
      CHECK(r.err.empty());  // nothing alarming: no warning at all
    }
  }
  // The writer still gets the read-only message (73), and nothing changed.
  const auto write = baro_as_reader({"classify", "--db", d, "--rules", (dir / "rules").string(), batch.string()});
  CHECK(write.exit_code == 73);
  CHECK_THAT(write.err, Catch::Contains("baro.db") && Catch::Contains("read-only"));
  CHECK(database_fingerprint(db) == before);
  CHECK(names_in(data) == names);  // no -wal, no -shm

  const auto stale = baro_as_reader({"report", "--db", (pending / "baro.db").string()});
  CHECK(stale.exit_code == 73);
  CHECK_THAT(stale.err, Catch::StartsWith("baro: " + (pending / "baro.db").string() +
                                          ": the database cannot be written here, and its -wal file holds changes "
                                          "not yet merged into it"));
  CHECK(stale.out.empty());
  for (const auto& folder : {data, pending}) fs::permissions(folder, fs::perms::owner_all, fs::perm_options::add);
}

// ---- item 7: CSV files safe to open in Excel ---------------------------------------------

TEST_CASE("CSV for people: formulas neutralised, French Excel's dialect", "[cli][excel]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  // Cells that Excel would run: = + - @, a tab, a carriage return.
  const auto batch = dir.write(
      "formulas.csv",
      "id;code_insee;description\r\n"
      "=1+1;69123;\"=HYPERLINK(\"\"http://x\"\";\"\"EPN\"\")\"\r\n"
      "@f;75056;+33 EPN\r\n"
      "x3;75056;-EPN en ligne\r\n"
      "-x4;99999;@SUM(A1) EPN\r\n");
  const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, "--skip-bad", batch.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("3 initiatives, 1 rejected (see " + batch.string() + ".rejects.csv)"));

  SECTION("an --excel export") {
    const auto out = dir / "export.csv";
    REQUIRE(run_baro({"export", "--db", db.string(), "--to", "csv", "--excel", "--out", out.string()}).exit_code == 0);
    const auto bytes = read_file(out);
    CHECK_THAT(bytes, Catch::StartsWith("\xEF\xBB\xBFid;identifiant_source;lot;code_commune;commune;"));
    CHECK_THAT(bytes, Catch::Contains(";'=1+1;") && Catch::Contains(";'@f;"));
    CHECK_THAT(bytes, Catch::Contains(";\"'=HYPERLINK(\"\"http://x\"\";\"\"EPN\"\")\";"));
    CHECK_THAT(bytes, Catch::Contains(";'+33 EPN;") && Catch::Contains(";'-EPN en ligne;"));
    CHECK(bytes.find("\n") == bytes.find("\r\n") + 1);
    // Without --excel, for programs: the data as it is.
    const auto plain = run_baro({"export", "--db", db.string(), "--to", "csv"});
    CHECK_THAT(plain.out, Catch::Contains(",=1+1,") && Catch::Contains(",+33 EPN,"));
  }
  SECTION("the rejects file of an Excel input") {
    const auto rejects = read_file(batch.string() + ".rejects.csv");
    CHECK(rejects == "\xEF\xBB\xBFligne;motif;enregistrement\r\n"
                     "5;unknown commune code 99999 (not in the INSEE 2026 reference);\"'-x4;99999;@SUM(A1) EPN\"\r\n");
  }
  SECTION("a validation sample") {
    const auto out = dir / "echantillon.csv";
    const auto s = run_baro({"sample", "--db", db.string(), "--size", "3", "--seed", "1", "--out", out.string()});
    INFO(s.err);
    REQUIRE(s.exit_code == 0);
    const auto bytes = read_file(out);
    CHECK_THAT(bytes, Catch::StartsWith("\xEF\xBB\xBFid;commune;description;domaine_predit;codage;autres_domaines\r\n"));
    CHECK_THAT(bytes, Catch::Contains(";\"'=HYPERLINK(") && Catch::Contains(";'+33 EPN;") &&
                          Catch::Contains(";'-EPN en ligne;"));
    // `baro validate` reads the French header back: nothing coded yet.
    const auto v = run_baro({"validate", "--db", db.string(), out.string()});
    CHECK(v.exit_code == 65);
    CHECK_THAT(v.err, Catch::StartsWith("baro: " + out.string() + ": no row is coded: every `codage` is empty\n"));
  }
}

TEST_CASE("the rejects file of a comma CSV stays RFC 4180 with commas, formulas neutralised", "[cli][excel]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto batch = dir.write("commas.csv", "id,code_insee,description\nc1,69123,EPN\n=c2,99999,EPN\n");
  const auto r = run_baro({"classify", "--db", db.string(), "--rules", kRules, "--skip-bad", batch.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(batch.string() + ".rejects.csv") ==
        "line,reason,record\r\n3,unknown commune code 99999 (not in the INSEE 2026 reference),\"'=c2,99999,EPN\"\r\n");
}

// ---- item 8: standard input and pipes ----------------------------------------------------

TEST_CASE("baro classify - reads standard input, from a pipe or a redirection", "[cli][stdin]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  dir.write("batch.csv", kBatch);
  const std::string classify = "\"$BARO\" classify --db '" + db.string() + "' --rules '" + kRules + "'";
  const auto piped = shell("cat batch.csv | " + classify + " -", dir.path());
  INFO(piped.err);
  REQUIRE(piped.exit_code == 0);
  CHECK_THAT(piped.out, Catch::StartsWith("baro: imported /dev/stdin as batch 1: 2 initiatives; run 1"));
  CHECK(piped.err.empty());
  // The same bytes again, redirected: the content hash says it is the same batch.
  const auto again = shell(classify + " - < batch.csv", dir.path());
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::StartsWith("baro: /dev/stdin is already imported as batch 1"));
  // A pipe named as a file (`<(gunzip -c …)`), and --dry-run.
  const auto dry = shell("cat batch.csv | \"$BARO\" classify --rules '" + kRules + "' --dry-run -", dir.path());
  CHECK(dry.exit_code == 0);
  CHECK(dry.out == "a1\teducation demarches\na2\tacces\n");
  REQUIRE(::mkfifo((dir / "pipe.csv").c_str(), 0600) == 0);
  const auto fifo = shell("printf 'id;code_insee;description\\nf1;69123;EPN\\n' > pipe.csv & " + classify +
                              " pipe.csv; status=$?; wait; exit $status",
                          dir.path());
  INFO(fifo.err);
  CHECK(fifo.exit_code == 0);
  CHECK_THAT(fifo.out, Catch::StartsWith("baro: imported pipe.csv as batch 2: 1 initiatives"));
  CHECK(is_a_fifo(dir / "pipe.csv"));
  CHECK_FALSE(fs::exists(dir / "-"));
}

TEST_CASE("standard input gets the same messages as a file, and nothing is imported on error", "[cli][stdin]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const auto before = database_fingerprint(db);
  dir.write("bad.csv", "id;code_insee;description\nb1;69123;EPN\nb2;99999;Budget\n");
  const std::string classify = "\"$BARO\" classify --db '" + db.string() + "' --rules '" + kRules + "'";
  const auto from_file = run_baro({"classify", "--db", db.string(), "--rules", kRules, "bad.csv"}, dir.path());
  const auto piped = shell("cat bad.csv | " + classify + " -", dir.path());
  CHECK(piped.exit_code == 65);
  CHECK(from_file.exit_code == 65);
  std::string expected = from_file.err;
  for (std::size_t at; (at = expected.find("bad.csv")) != std::string::npos;) expected.replace(at, 7, "/dev/stdin");
  CHECK(piped.err == expected);
  CHECK_THAT(piped.err, Catch::Contains("/dev/stdin:3: unknown commune code 99999"));
  // Empty input.
  const auto empty = shell(classify + " - < /dev/null", dir.path());
  CHECK(empty.exit_code == 65);
  CHECK_THAT(empty.err, Catch::StartsWith("baro: /dev/stdin: empty file (0 bytes)"));
  // --skip-bad needs --rejects: there is no file to write them beside.
  const auto skip = shell("cat bad.csv | " + classify + " --skip-bad -", dir.path());
  CHECK(skip.exit_code == 64);
  CHECK_THAT(skip.err, Catch::StartsWith("baro: --skip-bad on standard input or a pipe needs --rejects FILE"));
  const auto twice = run_baro({"classify", "--db", db.string(), "--rules", kRules, "-", "-"});
  CHECK(twice.exit_code == 64);
  CHECK_THAT(twice.err, Catch::StartsWith("baro: standard input (-) is given twice"));
  CHECK(database_fingerprint(db) == before);
  CHECK_FALSE(fs::exists(dir / "-"));
  CHECK_FALSE(fs::exists(dir / "-.rejects.csv"));
  // With --rejects, the good rows go in and the bad one to the file.
  const auto rejected = shell("cat bad.csv | " + classify + " --skip-bad --rejects rejets.csv -", dir.path());
  CHECK(rejected.exit_code == 0);
  CHECK_THAT(rejected.out, Catch::Contains("1 initiatives, 1 rejected (see rejets.csv)"));
  CHECK_THAT(read_file(dir / "rejets.csv"), Catch::StartsWith("\xEF\xBB\xBFligne;motif;enregistrement\r\n3;"));
}
