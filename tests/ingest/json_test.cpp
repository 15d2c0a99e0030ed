#include <catch2/catch.hpp>

#include "baro/error.hpp"
#include "baro/ingest.hpp"

#include <nlohmann/json.hpp>
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
  // A structured value is kept as its JSON text; the importer judges it only if it is mapped.
  CHECK(records[4].problem.empty());
  CHECK(records[4].structured == std::vector<std::size_t>{0});
  CHECK(value(*reader, records[4], "description") == "{\"nested\":true}");
}

TEST_CASE("JSON Lines whose first line is broken stay JSON Lines, whatever the extension", "[ingest][json]") {
  TempDir dir;
  auto reader = RecordReader::open(dir.write("b.json", "{\"description\": \"cut\n{\"description\": \"ok\"}\n"));
  CHECK(reader->source().format == SourceFormat::kJsonLines);
  const auto records = read_all(*reader);
  REQUIRE(records.size() == 2);
  CHECK_THAT(records[0].problem, Catch::Contains("invalid JSON"));
  CHECK(records[1].problem.empty());
}

TEST_CASE("the one array of records inside a JSON document is found and streamed", "[ingest][json]") {
  TempDir dir;
  const std::string pretty =
      "{\n"
      "  \"survey\": {\"id\": 4812, \"title\": \"Services num\u00e9riques\", \"tags\": [\"a\", \"b\"]},\n"
      "  \"responses\": [\n"
      "    {\"id\": 1, \"description\": \"Atelier [tablettes] {seniors}\", \"files\": [{\"name\": \"x.jpg\"}]},\n"
      "    {\"id\": 2, \"description\": \"Wifi \\\"public\\\"\"}\n"
      "  ],\n"
      "  \"total\": 2\n"
      "}\n";
  auto reader = RecordReader::open(dir.write("export.json", pretty));
  CHECK(reader->source().format == SourceFormat::kJsonArray);
  CHECK(reader->source().records_pointer == "/responses");
  const auto records = read_all(*reader);
  REQUIRE(records.size() == 2);
  CHECK(records[0].line == 4);
  CHECK(value(*reader, records[0], "description") == "Atelier [tablettes] {seniors}");
  CHECK(value(*reader, records[0], "files") == "[{\"name\":\"x.jpg\"}]");
  CHECK(value(*reader, records[1], "description") == "Wifi \"public\"");
  CHECK(records[1].line == 5);

  // The same document minified on one line is not one JSON Lines record.
  auto minified = RecordReader::open(dir.write("min", nlohmann::json::parse(pretty).dump()));
  CHECK(minified->source().records_pointer == "/responses");
  CHECK(read_all(*minified).size() == 2);
}

TEST_CASE("several arrays of records are listed; --records names one, with pointer escapes", "[ingest][json]") {
  TempDir dir;
  const auto file = dir.write("two.json",
                              "{\"form\": {\"items\": [{\"title\": \"Commune\"}, {\"title\": \"Description\"}]},\n"
                              " \"a/b\": [{\"description\": \"EPN\"}]}\n");
  REQUIRE_THROWS_WITH(RecordReader::open(file),
                      Catch::Contains("2 arrays of records: /form/items (2 records), /a~1b (1 record)") &&
                          Catch::Contains("--records /form/items"));
  baro::IngestOptions options;
  options.records = "/a~1b";
  auto reader = RecordReader::open(file, options);
  const auto records = read_all(*reader);
  REQUIRE(records.size() == 1);
  CHECK(value(*reader, records[0], "description") == "EPN");

  options.records = "/form";
  try {
    RecordReader::open(file, options);
    FAIL("an object is not an array of records");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kDataError);
    CHECK_THAT(e.message(), Catch::Contains("--records /form: no array of records there"));
    CHECK_THAT(e.hint(), Catch::Contains("/form/items (2 records), /a~1b (1 record)"));
  }
  options.records = "responses";
  try {
    RecordReader::open(file, options);
    FAIL("a pointer starts with '/'");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kUsage);
    CHECK_THAT(e.hint(), Catch::Contains("--records /responses"));
  }
}

TEST_CASE("a JSON document that is broken or holds no records is refused whole", "[ingest][json]") {
  TempDir dir;
  REQUIRE_THROWS_WITH(RecordReader::open(dir.write("cut.json", "{\n  \"responses\": [\n    {\"description\": \"a\"},\n")),
                      Catch::Contains("invalid JSON document") && Catch::Contains("line 4"));
  REQUIRE_THROWS_WITH(RecordReader::open(dir.write("none.json", "{\n  \"count\": 0,\n  \"results\": []\n}\n")),
                      Catch::Contains("holds no array of records"));
  baro::IngestOptions options;
  options.records = "/responses";
  REQUIRE_THROWS_WITH(RecordReader::open(dir.write("lines.jsonl", "{\"description\": \"a\"}\n"), options),
                      Catch::Contains("is read as JSON Lines"));
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
