#include <catch2/catch.hpp>

#include "baro/error.hpp"
#include "baro/ingest.hpp"
#include "support/test_support.hpp"

using baro::Record;
using baro::RecordReader;
using baro::TextEncoding;
using baro::test::TempDir;

namespace {
std::string first_description(RecordReader& reader) {
  Record r;
  REQUIRE(reader.next(r));
  return r.values.at(1);
}
}  // namespace

TEST_CASE("encoding: valid UTF-8 without BOM is UTF-8", "[ingest][encoding]") {
  TempDir dir;
  auto reader = RecordReader::open(dir.write("u.csv", "id;description\n1;Médiathèque\n"));
  CHECK(reader->source().encoding == TextEncoding::kUtf8);
  CHECK_FALSE(reader->source().has_bom);
  CHECK(first_description(*reader) == "Médiathèque");
}

TEST_CASE("encoding: a UTF-8 BOM is recognised and not glued to the first column", "[ingest][encoding]") {
  TempDir dir;
  auto reader = RecordReader::open(dir.write("b.csv", "\xEF\xBB\xBF\"id\";\"description\"\r\n\"1\";\"École\"\r\n"));
  CHECK(reader->source().has_bom);
  CHECK(reader->source().columns.at(0) == "id");
  CHECK(first_description(*reader) == "École");
}

TEST_CASE("encoding: bytes that are not UTF-8 are read as Windows-1252", "[ingest][encoding]") {
  TempDir dir;
  // "Médiathèque – l’œuvre" in Windows-1252: é=E9 è=E8 –=96 ’=92 œ=9C
  auto reader = RecordReader::open(dir.write("w.csv", "id;description\n1;M\xE9" "diath\xE8" "que \x96 l\x92\x9C" "uvre\n"));
  CHECK(reader->source().encoding == TextEncoding::kWindows1252);
  CHECK(first_description(*reader) == "Médiathèque – l’œuvre");
}

TEST_CASE("encoding: a byte undefined in Windows-1252 is reported with line and column", "[ingest][encoding]") {
  TempDir dir;
  const auto file = dir.write("x.csv", "id;description\n1;ok\n2;caf\xE9 \x81 bad\n");
  try {
    RecordReader::open(file);
    FAIL("expected an error");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kDataError);
    CHECK(e.where().line == 3);
    CHECK(e.where().column == 8);
    CHECK_THAT(e.message(), Catch::Contains("0x81"));
  }
}

TEST_CASE("encoding: --encoding forces one and is recorded", "[ingest][encoding]") {
  TempDir dir;
  baro::IngestOptions options;
  options.encoding = TextEncoding::kLatin9;
  auto reader = RecordReader::open(dir.write("l.csv", "id;description\n1;\xA4 co\xFBt\n"), options);
  CHECK(reader->source().encoding_forced);
  CHECK(first_description(*reader) == "€ coût");
}

TEST_CASE("encoding: forcing UTF-8 on Windows-1252 bytes names the position", "[ingest][encoding]") {
  TempDir dir;
  baro::IngestOptions options;
  options.encoding = TextEncoding::kUtf8;
  REQUIRE_THROWS_WITH(RecordReader::open(dir.write("w.csv", "id;description\n1;caf\xE9\n"), options),
                      Catch::Contains(":2:6: invalid UTF-8"));
}

TEST_CASE("encoding: UTF-16 with a BOM is converted", "[ingest][encoding]") {
  TempDir dir;
  const std::string utf8 = "id\tdescription\r\n1\tÉcole\r\n";
  std::string utf16 = "\xFF\xFE";
  // ASCII and Latin-1 only here, so UTF-16LE is each code point on two bytes.
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    unsigned cp = static_cast<unsigned char>(utf8[i]);
    if (cp == 0xC3) cp = 0xC0 | (static_cast<unsigned char>(utf8[++i]) & 0x3F);
    utf16 += static_cast<char>(cp & 0xFF);
    utf16 += '\0';
  }
  auto reader = RecordReader::open(dir.write("u16.txt", utf16));
  CHECK(reader->source().encoding == TextEncoding::kUtf16Le);
  CHECK(reader->source().delimiter == '\t');
  CHECK(first_description(*reader) == "École");
}

TEST_CASE("encoding: NUL bytes, a BOM in the middle and spreadsheets are refused", "[ingest][encoding]") {
  TempDir dir;
  REQUIRE_THROWS_WITH(RecordReader::open(dir.write("n.csv", std::string("id;description\n1;a\0b\n", 21))),
                      Catch::Contains("NUL byte"));
  REQUIRE_THROWS_WITH(RecordReader::open(dir.write("m.csv", "id;description\n\xEF\xBB\xBFid;description\n")),
                      Catch::Contains(":2:1: a byte-order mark in the middle"));
  REQUIRE_THROWS_WITH(RecordReader::open(dir.write("x.csv", std::string("PK\x03\x04 rest", 9))),
                      Catch::Contains("ZIP archive"));
}

TEST_CASE("encoding: missing files and directories are input errors", "[ingest][encoding]") {
  TempDir dir;
  try {
    RecordReader::open(dir / "absent.csv");
    FAIL("expected an error");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kNoInput);
  }
  try {
    RecordReader::open(dir.path());
    FAIL("expected an error");
  } catch (const baro::Error& e) {
    CHECK(e.code() == baro::ExitCode::kNoInput);
    CHECK_THAT(e.message(), Catch::Contains("directory"));
  }
}

TEST_CASE("encoding: the content hash identifies the bytes", "[ingest][encoding]") {
  TempDir dir;
  const auto a = RecordReader::open(dir.write("a.csv", "id;description\n1;x\n"))->source().content_hash;
  const auto b = RecordReader::open(dir.write("b.csv", "id;description\n1;x\n"))->source().content_hash;
  const auto c = RecordReader::open(dir.write("c.csv", "id;description\n1;y\n"))->source().content_hash;
  CHECK(a.size() == 32);
  CHECK(a == b);
  CHECK(a != c);
}
