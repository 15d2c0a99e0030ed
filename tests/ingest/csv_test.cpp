#include <catch2/catch.hpp>

#include "baro/error.hpp"
#include "baro/ingest.hpp"
#include "support/test_support.hpp"

using baro::Record;
using baro::RecordReader;
using baro::test::TempDir;

namespace {

std::vector<Record> read_all(const std::filesystem::path& file, const baro::IngestOptions& options = {}) {
  auto reader = RecordReader::open(file, options);
  std::vector<Record> out;
  Record r;
  while (reader->next(r)) out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("CSV quoting: embedded delimiters, quotes and newlines survive", "[ingest][csv]") {
  TempDir dir;
  const auto file = dir.write("a.csv",
                              "id,description\n"
                              "1,\"Wifi, gratuit\"\n"
                              "2,\"Il dit \"\"bonjour\"\"\"\n"
                              "3,\"ligne un\nligne deux\"\n"
                              "4,fin\n");
  const auto records = read_all(file);
  REQUIRE(records.size() == 4);
  CHECK(records[0].values[1] == "Wifi, gratuit");
  CHECK(records[1].values[1] == "Il dit \"bonjour\"");
  CHECK(records[2].values[1] == "ligne un\nligne deux");
  CHECK(records[2].line == 4);
  CHECK(records[3].line == 6);  // the record after a two-line field
  for (const auto& r : records) CHECK(r.problem.empty());
}

TEST_CASE("CSV delimiter is detected from the header", "[ingest][csv]") {
  TempDir dir;
  SECTION("semicolon, as French Excel writes") {
    auto reader = RecordReader::open(dir.write("s.csv", "id;description\n1;Atelier, numérique\n"));
    CHECK(reader->source().delimiter == ';');
    Record r;
    REQUIRE(reader->next(r));
    CHECK(r.values == std::vector<std::string>{"1", "Atelier, numérique"});
  }
  SECTION("tab") {
    auto reader = RecordReader::open(dir.write("t.tsv", "id\tdescription\n1\tEPN\n"));
    CHECK(reader->source().delimiter == '\t');
  }
  SECTION("comma") {
    auto reader = RecordReader::open(dir.write("c.csv", "id,description\n1,EPN\n"));
    CHECK(reader->source().delimiter == ',');
  }
  SECTION("a delimiter inside a quoted header name does not count") {
    auto reader = RecordReader::open(dir.write("q.csv", "\"a;b;c\",description\n1,x\n"));
    CHECK(reader->source().delimiter == ',');
  }
}

TEST_CASE("CSV values are kept exactly as written: no trimming", "[ingest][csv]") {
  TempDir dir;
  const auto records = read_all(dir.write("a.csv", "id;description\n 1 ;  espaces autour  \n"));
  REQUIRE(records.size() == 1);
  CHECK(records[0].values[0] == " 1 ");
  CHECK(records[0].values[1] == "  espaces autour  ");
}

TEST_CASE("CSV accepts CRLF, LF and a missing final newline", "[ingest][csv]") {
  TempDir dir;
  auto reader = RecordReader::open(dir.write("crlf.csv", "id;description\r\n1;a\r\n2;b"));
  CHECK(reader->source().line_endings == "CRLF");
  Record r;
  REQUIRE(reader->next(r));
  CHECK(r.values[1] == "a");
  REQUIRE(reader->next(r));
  CHECK(r.values[1] == "b");
  CHECK(r.line == 3);
  CHECK_FALSE(reader->next(r));
  auto mixed = RecordReader::open(dir.write("mixed.csv", "id;description\r\n1;a\n2;b\r\n"));
  CHECK(mixed->source().line_endings == "mixed");
}

TEST_CASE("CSV blank lines between records are skipped", "[ingest][csv]") {
  TempDir dir;
  const auto records = read_all(dir.write("a.csv", "id;description\n\n1;a\n\r\n2;b\n"));
  REQUIRE(records.size() == 2);
  CHECK(records[0].line == 3);
  CHECK(records[1].line == 5);
}

TEST_CASE("CSV field count mismatches are reported per record with the line", "[ingest][csv]") {
  TempDir dir;
  const auto records = read_all(dir.write("a.csv", "id;description\n1;a;extra\n2\n3;ok\n"));
  REQUIRE(records.size() == 3);
  CHECK_THAT(records[0].problem, Catch::Contains("3 fields but the header has 2"));
  CHECK(records[0].line == 2);
  CHECK(records[0].raw == "1;a;extra");
  CHECK_THAT(records[1].problem, Catch::Contains("1 field but the header has 2"));
  CHECK(records[2].problem.empty());
}

TEST_CASE("CSV a stray quote is a per-record problem and reading resumes on the next line", "[ingest][csv]") {
  TempDir dir;
  const auto records = read_all(dir.write("a.csv", "id;description\n1;ab\"c\n2;fine\n"));
  REQUIRE(records.size() == 2);
  CHECK_THAT(records[0].problem, Catch::Contains("malformed quoting"));
  CHECK(records[0].line == 2);
  CHECK(records[0].column == 5);
  CHECK(records[1].problem.empty());
  CHECK(records[1].values[1] == "fine");
}

TEST_CASE("CSV an unterminated quote at the end of the file is an error naming its line", "[ingest][csv]") {
  TempDir dir;
  const auto file = dir.write("a.csv", "id;description\n1;ok\n2;\"never closed\n3;lost\n");
  try {
    read_all(file);
    FAIL("expected an error");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kDataError);
    CHECK(e.where().line == 3);
    CHECK_THAT(e.message(), Catch::Contains("unterminated quoted field"));
  }
}

TEST_CASE("CSV a field over the size limit is refused", "[ingest][csv]") {
  TempDir dir;
  baro::IngestOptions options;
  options.max_field_bytes = 1024;
  const auto file = dir.write("big.csv", "id;description\n1;" + std::string(5000, 'x') + "\n");
  REQUIRE_THROWS_WITH(read_all(file, options), Catch::Contains("longer than 1 KiB"));
}

TEST_CASE("CSV empty file and header-only file", "[ingest][csv]") {
  TempDir dir;
  REQUIRE_THROWS_WITH(RecordReader::open(dir.write("empty.csv", "")), Catch::Contains("empty file"));
  CHECK(read_all(dir.write("header.csv", "id;description\n")).empty());
}
