// The bad-input catalogue: hostile and broken survey batches, databases and rule sets,
// driven through the real `baro` binary.
//
// Every case of tests/data/bad/manifest.json is copied into a fresh folder beside a fresh
// database and given to `baro classify`. The case states the exit code and fragments of the
// message (which name the file, the line and the reason). A refused case must leave the
// database byte for byte as it was and no rejects file behind; a case whose problems are
// confined to some records (`rejected_lines`) is then imported again with --skip-bad, and
// its rejects file must hold exactly those lines, each with the record's original text.
//
// Cases too big to commit (a 1 MiB field, a 50 MiB line, JSON nested 10,000 deep) and cases
// that are states rather than files (a directory, a pipe, a read-only or newer database, a
// file changing while it is read) are built at test time below.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>

#include "baro/error.hpp"
#include "baro/import.hpp"
#include "support/test_support.hpp"

using baro::test::database_fingerprint;
using baro::test::run_baro;
using baro::test::RunResult;
using baro::test::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kBadDir = fs::path(BARO_TEST_DATA_DIR) / "bad";
const std::string kRules = baro::test::mini_rules_dir().string();

json manifest() {
  static const json cases = json::parse(baro::test::read_file(kBadDir / "manifest.json"))["cases"];
  return cases;
}

// The physical lines of a file, without their line endings (1-based: lines[0] is unused).
std::vector<std::string> physical_lines(const std::string& text) {
  std::vector<std::string> lines{""};
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// RFC 4180 records, as Baro writes its rejects files: CRLF, with commas, or in French Excel's
// dialect (a BOM and `;`) when the input was in it.
std::vector<std::vector<std::string>> parse_csv(std::string text) {
  const bool excel = text.rfind("\xEF\xBB\xBF", 0) == 0;
  if (excel) text.erase(0, 3);
  const char delimiter = excel ? ';' : ',';
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  return rows;
}

bool has_rejects_file(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().string().find(".rejects.csv") != std::string::npos) return true;
  }
  return false;
}

void check_message(const RunResult& r, const json& fragments) {
  for (const auto& fragment : fragments) {
    INFO("stderr: " << r.err);
    CHECK_THAT(r.err, Catch::Contains(fragment.get<std::string>()));
  }
  if (r.exit_code != 0) {
    CHECK_THAT(r.err, Catch::StartsWith("baro: "));
    CHECK_THAT(r.err, !Catch::Contains("internal error"));
  }
}

void copy_case(const std::string& name, const fs::path& dir) {
  const fs::path from = kBadDir / name;
  if (fs::is_directory(from)) {
    fs::copy(from, dir / name, fs::copy_options::recursive);
  } else {
    fs::copy_file(from, dir / name);
  }
}

std::int64_t count(const fs::path& db, const std::string& sql) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  return d.execAndGet(sql).getInt64();
}

}  // namespace

TEST_CASE("the bad-input catalogue has at least 30 committed files, each in the manifest", "[reliability][bad]") {
  std::set<std::string> listed;
  for (const auto& c : manifest()) {
    for (const char* key : {"file", "rules", "db"}) {
      if (c.contains(key)) listed.insert(c[key].get<std::string>());
    }
  }
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kBadDir)) {
    if (!entry.is_regular_file() || entry.path().filename() == "manifest.json" ||
        entry.path().filename() == "README.md")
      continue;
    ++files;
    const std::string top = fs::relative(entry.path(), kBadDir).begin()->string();
    INFO(entry.path());
    CHECK(listed.count(top) == 1);
  }
  CHECK(files >= 30);
}

TEST_CASE("every catalogue case gives its exit code and message and leaves the database untouched",
          "[reliability][bad]") {
  for (const auto& c : manifest()) {
    const std::string name = c.value("file", c.value("rules", c.value("db", std::string())));
    DYNAMIC_SECTION(name) {
      TempDir dir;
      fs::path db = baro::test::fresh_db(dir);
      std::vector<std::string> args{"classify", "--db", "baro.db"};
      std::string input = c.value("file", std::string());
      if (c.contains("rules")) {
        copy_case(c["rules"], dir.path());
        args.insert(args.end(), {"--rules", c["rules"].get<std::string>()});
        input = "good.csv";
        dir.write(input, "id;code_insee;description\na1;69123;Espace public numérique\n");
      } else {
        args.insert(args.end(), {"--rules", kRules});
      }
      if (c.contains("db")) {
        fs::remove(db);
        copy_case(c["db"], dir.path());
        db = dir / c["db"].get<std::string>();
        args[2] = c["db"].get<std::string>();
        input = "good.csv";
        dir.write(input, "id;code_insee;description\na1;69123;Espace public numérique\n");
      }
      if (c.contains("file")) copy_case(input, dir.path());
      for (const auto& extra : c.value("args", json::array())) args.push_back(extra.get<std::string>());
      args.push_back(input);

      const std::string before = database_fingerprint(db);
      const RunResult r = run_baro(args, dir.path());
      INFO("baro " << [&] {
        std::string s;
        for (const auto& a : args) s += a + ' ';
        return s;
      }() << "\nstdout: " << r.out << "\nstderr: " << r.err);
      CHECK(r.exit_code == c["exit"].get<int>());
      check_message(r, c.value("message", json::array()));
      if (c["exit"].get<int>() != 0) {
        CHECK(database_fingerprint(db) == before);
        CHECK_FALSE(has_rejects_file(dir.path()));
      } else {
        CHECK(count(db, "SELECT count(*) FROM initiatives") == c["imported"].get<std::int64_t>());
      }

      if (c.contains("rejected_lines")) {
        std::vector<std::string> skip_args = args;
        skip_args.insert(skip_args.end() - 1, "--skip-bad");
        const RunResult skipped = run_baro(skip_args, dir.path());
        INFO("with --skip-bad, stdout: " << skipped.out << "\nstderr: " << skipped.err);
        const auto& expected = c["rejected_lines"];
        REQUIRE(skipped.exit_code == 0);
        CHECK_THAT(skipped.out, Catch::Contains(std::to_string(expected.size()) + " rejected"));
        const auto rows = parse_csv(baro::test::read_file(dir / (input + ".rejects.csv")));
        REQUIRE(rows.size() == expected.size() + 1);
        const bool excel = baro::test::read_file(dir / (input + ".rejects.csv")).rfind("\xEF\xBB\xBF", 0) == 0;
        CHECK(rows[0] == (excel ? std::vector<std::string>{"ligne", "motif", "enregistrement"}
                                : std::vector<std::string>{"line", "reason", "record"}));
        const auto lines = physical_lines(baro::test::read_file(dir / input));
        for (std::size_t i = 0; i < expected.size(); ++i) {
          const auto line = expected[i].get<std::size_t>();
          REQUIRE(rows[i + 1].size() == 3);
          CHECK(rows[i + 1][0] == std::to_string(line));
          CHECK_FALSE(rows[i + 1][1].empty());
          // A record a spreadsheet would take for a formula is neutralised with a leading '.
          const std::string& record = lines.at(line);
          const bool formula = !record.empty() && std::string("=+-@\t\r").find(record[0]) != std::string::npos;
          CHECK(rows[i + 1][2] == (formula ? "'" + record : record));
        }
        CHECK(count(db, "SELECT count(*) FROM initiatives") == c["imported_with_skip_bad"].get<std::int64_t>());
        CHECK(count(db, "SELECT count(*) FROM initiatives WHERE line IN (" + [&] {
                std::string list;
                for (const auto& l : expected) list += (list.empty() ? "" : ",") + std::to_string(l.get<int>());
                return list;
              }() + ")") == 0);
      }
    }
  }
}

TEST_CASE("a field over 1 MiB is refused naming its line and the limit", "[reliability][bad][limits]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  std::string text = "id;code_insee;description\na1;69123;EPN\na2;75056;\"";
  text.append((1u << 20) + 10, 'x');
  text += "\"\na3;13055;Wi-Fi\n";
  dir.write("huge-field.csv", text);
  const std::string before = database_fingerprint(db);
  const auto r = run_baro({"classify", "--db", "baro.db", "--rules", kRules, "huge-field.csv"}, dir.path());
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains("huge-field.csv:3") && Catch::Contains("longer than 1024 KiB") &&
                        Catch::Contains("--max-field-bytes"));
  CHECK(database_fingerprint(db) == before);

  // The limit is the user's to raise.
  const auto raised = run_baro(
      {"classify", "--db", "baro.db", "--rules", kRules, "--max-field-bytes", "2000000", "huge-field.csv"}, dir.path());
  CHECK(raised.exit_code == 0);
  CHECK(count(db, "SELECT max(length(description)) FROM initiatives") == (1 << 20) + 10);
}

TEST_CASE("a 50 MiB line without a newline is refused without reading it into memory", "[reliability][bad][limits]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  {
    std::ofstream out(dir / "one-line.csv", std::ios::binary);
    out << "id;code_insee;description\n";
    const std::string block(1 << 20, 'y');
    for (int i = 0; i < 50; ++i) out << block;
  }
  const std::string before = database_fingerprint(db);
  const auto r = run_baro({"classify", "--db", "baro.db", "--rules", kRules, "one-line.csv"}, dir.path());
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains("one-line.csv:2") && Catch::Contains("longer than"));
  CHECK(database_fingerprint(db) == before);

  dir.write("one-line.jsonl", "");
  {
    std::ofstream out(dir / "one-line.jsonl", std::ios::binary);
    out << "{\"description\": \"";
    const std::string block(1 << 20, 'y');
    for (int i = 0; i < 50; ++i) out << block;
  }
  const auto j = run_baro({"classify", "--db", "baro.db", "--rules", kRules, "one-line.jsonl"}, dir.path());
  CHECK(j.exit_code == 65);
  CHECK_THAT(j.err, Catch::Contains("one-line.jsonl:1") && Catch::Contains("longer than"));
  CHECK(database_fingerprint(db) == before);
}

TEST_CASE("JSON nested 10,000 deep is a bad record, not a stack overflow", "[reliability][bad][json]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  dir.write("deep.jsonl", "{\"id\": \"a1\", \"code_insee\": \"69123\", \"description\": \"EPN\"}\n" + deep + "\n" +
                              "{\"id\": \"a3\", \"code_insee\": \"75056\", \"description\": \"ENT\", \"x\": " + deep +
                              "}\n");
  dir.write("deep.json", "[{\"id\": \"a1\", \"code_insee\": \"69123\", \"description\": \"EPN\"},\n" + deep + "]\n");
  const std::string before = database_fingerprint(db);
  for (const std::string file : {"deep.jsonl", "deep.json"}) {
    const auto r = run_baro({"classify", "--db", "baro.db", "--rules", kRules, file}, dir.path());
    INFO(r.err);
    CHECK(r.exit_code == 65);
    CHECK_THAT(r.err, Catch::Contains(file + ":2") && Catch::Contains("nested more than 64 levels"));
    CHECK(database_fingerprint(db) == before);
  }
  const auto skipped = run_baro({"classify", "--db", "baro.db", "--rules", kRules, "--skip-bad", "deep.jsonl"}, dir.path());
  CHECK(skipped.exit_code == 0);
  CHECK_THAT(skipped.out, Catch::Contains("1 initiatives, 2 rejected"));
}

TEST_CASE("a directory given as a batch is refused as no input", "[reliability][bad]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  fs::create_directory(dir / "exports.csv");
  const std::string before = database_fingerprint(db);
  const auto r = run_baro({"classify", "--db", "baro.db", "--rules", kRules, "exports.csv"}, dir.path());
  CHECK(r.exit_code == 66);
  CHECK_THAT(r.err, Catch::Contains("exports.csv: is a directory"));
  CHECK(database_fingerprint(db) == before);
}

TEST_CASE("regression: a pipe given as a batch is read whole, not reported as a file that changed",
          "[reliability][bad][regression]") {
  // `baro classify <(gunzip -c batch.csv.gz)` used to read the pipe once to scan it, find it
  // empty the second time and say "the file changed while it was being read"; then it was
  // refused up front. Now it is copied to a temporary file and read twice there (issue 16).
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  REQUIRE(mkfifo((dir / "pipe.csv").c_str(), 0600) == 0);
  const auto r = baro::test::run_program(
      {"/bin/sh", "-c",
       "printf 'id;code_insee;description\\na1;69123;EPN\\n' > pipe.csv & \"$BARO\" classify --db baro.db --rules '" +
           kRules + "' pipe.csv; status=$?; wait; exit $status"},
      dir.path(), {std::string("BARO=") + BARO_BINARY});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("baro: imported pipe.csv as batch 1: 1 initiatives"));
  CHECK(fs::symlink_status(dir / "pipe.csv").type() == fs::file_type::fifo);
}

TEST_CASE("a database from a newer schema version is refused and left untouched", "[reliability][bad][store]") {
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  {
    SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
    d.exec("PRAGMA user_version = " + std::to_string(baro::kSchemaVersion + 1));
  }
  dir.write("good.csv", "id;code_insee;description\na1;69123;EPN\n");
  const std::string before = database_fingerprint(db);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"classify", "--db", "baro.db", "--rules", kRules, "good.csv"},
        std::vector<std::string>{"report", "--db", "baro.db"}}) {
    const auto r = run_baro(args, dir.path());
    CHECK(r.exit_code == 65);
    CHECK_THAT(r.err, Catch::Contains("baro.db: this database was made by a newer Baro (schema version " +
                                      std::to_string(baro::kSchemaVersion + 1)));
    CHECK(database_fingerprint(db) == before);
  }
}

TEST_CASE("a batch on a read-only database fails with exit 73 and changes nothing", "[reliability][bad][store]") {
  // Root ignores permission bits: baro then runs as `nobody`, on files it may only read. The
  // checkout (the binary, the rules) and TMPDIR may sit where `nobody` cannot go (/root), so
  // what it needs is copied into a folder it can reach.
  const bool as_root = ::geteuid() == 0;
  TempDir dir(as_root ? baro::test::temp_base_reachable_by_everyone() : fs::temp_directory_path());
  const auto db = baro::test::fresh_db(dir);
  dir.write("good.csv", "id;code_insee;description\na1;69123;EPN\n");
  fs::path binary = BARO_BINARY, rules = kRules;
  if (as_root) {
    binary = dir / "baro";
    rules = dir / "rules";
    fs::copy_file(BARO_BINARY, binary);
    fs::copy(kRules, rules, fs::copy_options::recursive);
  }
  const std::string before = database_fingerprint(db);
  std::vector<std::string> argv;
  if (as_root) argv = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
  argv.insert(argv.end(), {binary.string(), "classify", "--db", db.string(), "--rules", rules.string(),
                           (dir / "good.csv").string()});
  fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  const auto readable_folder = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec;
  fs::permissions(dir.path(), readable_folder);
  if (as_root) {
    for (const auto& entry : fs::recursive_directory_iterator(rules)) {
      if (entry.is_directory()) fs::permissions(entry.path(), readable_folder);
      else fs::permissions(entry.path(), fs::perms::others_read | fs::perms::group_read, fs::perm_options::add);
    }
    fs::permissions(rules, readable_folder);
    fs::permissions(binary, fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
    fs::permissions(dir / "good.csv", fs::perms::others_read, fs::perm_options::add);
  }
  const auto r = baro::test::run_program(argv, dir.path());
  INFO(r.err);
  CHECK(r.exit_code == 73);
  CHECK_THAT(r.err, Catch::Contains("baro.db") && Catch::Contains("read-only"));
  CHECK_THAT(r.err, !Catch::Contains("internal error"));
  CHECK(database_fingerprint(db) == before);
}

TEST_CASE("a batch that changes while it is read is refused with exit 74 and nothing imported",
          "[reliability][bad][io]") {
  // Pass two re-hashes the bytes. The progress callback (every 4,096 records) runs while the
  // first 1 MiB chunk is being parsed: the moment another program rewrites or truncates the
  // file, before the reader has seen the rest of it (~3 MiB of ~100-byte records).
  TempDir dir;
  const auto db_path = baro::test::fresh_db(dir);
  std::string text = "id;code_insee;description\n";
  const std::string description(80, 'n');
  for (int i = 0; i < 30000; ++i) text += "a" + std::to_string(i) + ";69123;EPN " + description + "\n";
  const auto rules = baro::RuleSet::load(kRules);
  const baro::RuleEngine engine(*rules);
  for (const std::string change : {"truncated", "rewritten", "removed"}) {
    DYNAMIC_SECTION(change) {
      const auto file = dir.write("batch.csv", text);
      const std::string before = database_fingerprint(db_path);
      auto store = baro::Store::open(db_path);
      baro::ImportOptions options;
      bool changed = false;
      options.progress = [&](std::uint64_t, std::uint64_t) {
        if (changed) return;
        changed = true;
        if (change == "truncated") fs::resize_file(file, text.size() / 2);
        if (change == "rewritten") {
          std::string other = text;
          other[other.size() - 5] = 'X';
          dir.write("batch.csv", other);
        }
        if (change == "removed") fs::remove(file);
      };
      if (change == "removed") {
        // The open file keeps its bytes: the import is whole and exactly what was hashed.
        const auto result = baro::import_batch(*store, engine, file, options);
        CHECK(result.batch.imported == 30000);
        continue;
      }
      try {
        baro::import_batch(*store, engine, file, options);
        FAIL("the import should have been refused");
      } catch (const baro::Error& e) {
        CHECK(e.code() == baro::ExitCode::kIoError);
        CHECK(e.where().file == file.string());
        CHECK_THAT(e.message(), Catch::Contains("changed while it was being read"));
      }
      store.reset();
      CHECK(changed);
      CHECK(database_fingerprint(db_path) == before);
    }
  }
}

TEST_CASE("a disk that fills up during an import fails with exit 74 and leaves the database as it was",
          "[reliability][bad][io]") {
  // The file-size limit (ulimit -f, with SIGXFSZ ignored so that the write fails with EFBIG
  // instead of killing the process) stands in for a full disk: SQLite's write-ahead log
  // cannot grow past it in the middle of the batch's transaction.
  TempDir dir;
  const auto db = baro::test::fresh_db(dir);
  std::string text = "id;code_insee;description\n";
  for (int i = 0; i < 20000; ++i) text += "a" + std::to_string(i) + ";69123;Espace public numérique " + std::to_string(i) + "\n";
  dir.write("batch.csv", text);
  const std::string before = database_fingerprint(db);
  const std::string command = "trap '' XFSZ; ulimit -f 256; exec \"$0\" classify --db baro.db --rules \"$1\" batch.csv";
  const auto r = baro::test::run_program({"/bin/bash", "-c", command, BARO_BINARY, kRules}, dir.path());
  INFO(r.err);
  CHECK(r.exit_code == 74);
  CHECK_THAT(r.err, Catch::StartsWith("baro: baro.db: ") && Catch::Contains("while importing batch.csv") &&
                        Catch::Contains("nothing was changed"));
  CHECK(database_fingerprint(db) == before);
  // With room again, the same import goes through.
  CHECK(run_baro({"classify", "--db", "baro.db", "--rules", kRules, "batch.csv"}, dir.path()).exit_code == 0);
  CHECK(count(db, "SELECT count(*) FROM initiatives") == 20000);
}
