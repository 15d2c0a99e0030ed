#include <catch2/catch.hpp>

#include "baro/error.hpp"
#include "baro/ingest.hpp"
#include "support/test_support.hpp"

using baro::Record;
using baro::RecordReader;
using baro::SourceFormat;
using baro::test::TempDir;

namespace {
std::vector<Record> read_all(RecordReader& reader) {
  std::vector<Record> out;
  Record r;
  while (reader.next(r)) out.push_back(r);
  return out;
}
std::string value(const RecordReader& reader, const Record& r, const std::string& column) {
  const auto& cols = reader.source().columns;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == column) return i < r.values.size() ? r.values[i] : std::string();
  }
  return "<absent>";
}
}  // namespace

TEST_CASE("JSON Lines: one object per line, numbers kept as their text", "[ingest][json]") {
  TempDir dir;
  auto reader = RecordReader::open(dir.write("a.jsonl",
                                             "{\"id\": \"a1\", \"description\": \"EPN\", \"year\": 2026}\n"
                                             "\n"
                                             "{\"description\": \"Wifi\", \"commune\": \"01004\"}\n"));
  CHECK(reader->source().format == SourceFormat::kJsonLines);
  const auto records = read_all(*reader);
  REQUIRE(records.size() == 2);
  CHECK(value(*reader, records[0], "year") == "2026");
  CHECK(records[1].line == 3);
  CHECK(value(*reader, records[1], "commune") == "01004");
  CHECK(reader->source().columns == std::vector<std::string>{"description", "id", "year", "commune"});
}

TEST_CASE("JSON Lines: a broken line, an array and a number are per-record problems", "[ingest][json]") {
  TempDir dir;
  auto reader = RecordReader::open(dir.write("b.jsonl",
                                             "{\"description\": \"ok\"}\n"
                                             "{\"description\": \"broken\"\n"
                                             "[1, 2]\n"
                                             "42\n"
                                             "{\"description\": {\"nested\": true}}\n"));
  const auto records = read_all(*reader);
  REQUIRE(records.size() == 5);
  CHECK(records[0].problem.empty());
  CHECK_THAT(records[1].problem, Catch::Contains("invalid JSON"));
  CHECK(records[1].line == 2);
  CHECK_THAT(records[2].problem, Catch::Contains("found an array"));
  CHECK_THAT(records[3].problem, Catch::Contains("found a number"));
  CHECK_THAT(records[4].problem, Catch::Contains("flat records"));
}

TEST_CASE("JSON: deep nesting is refused without exhausting the stack", "[ingest][json]") {
  TempDir dir;
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  auto lines = RecordReader::open(dir.write("deep.jsonl", "{\"description\": " + deep + "}\n"));
  const auto records = read_all(*lines);
  REQUIRE(records.size() == 1);
  CHECK_THAT(records[0].problem, Catch::Contains("nested more than"));
  auto array = RecordReader::open(dir.write("deep.json", "[" + deep + "]"));
  const auto elements = read_all(*array);
  REQUIRE(elements.size() == 1);
  CHECK_THAT(elements[0].problem, Catch::Contains("nested more than"));
}

TEST_CASE("JSON array of objects is streamed element by element", "[ingest][json]") {
  TempDir dir;
  auto reader = RecordReader::open(dir.write("a.json",
                                             "[\n"
                                             "  {\"description\": \"a, [b] {c}\", \"id\": 1},\n"
                                             "  {\"description\": \"quote \\\" and \\\\\"},\n"
                                             "  17\n"
                                             "]\n"));
  CHECK(reader->source().format == SourceFormat::kJsonArray);
  const auto records = read_all(*reader);
  REQUIRE(records.size() == 3);
  CHECK(value(*reader, records[0], "description") == "a, [b] {c}");
  CHECK(records[0].line == 2);
  CHECK(value(*reader, records[1], "description") == "quote \" and \\");
  CHECK_THAT(records[2].problem, Catch::Contains("found a number"));
}

TEST_CASE("JSON array: unterminated and empty files are errors", "[ingest][json]") {
  TempDir dir;
  auto reader = RecordReader::open(dir.write("open.json", "[{\"description\": \"a\"},"));
  Record r;
  REQUIRE(reader->next(r));
  REQUIRE_THROWS_WITH(reader->next(r), Catch::Contains("never closed"));
  REQUIRE_THROWS_WITH(RecordReader::open(dir.write("empty.json", "")), Catch::Contains("empty file"));
}
