// The built-in exporters, each checked on a small classified database: CSV parses back to the
// stored rows, JSON Lines likewise, JSON has the documented shape (docs/report-json.md), and
// `baro report` goes through the text exporter.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <locale>
#include <map>
#include <optional>
#include <sstream>

#include "baro/ingest.hpp"
#include "baro/sdk/fields.hpp"
#include "support/test_support.hpp"

using baro::test::run_baro;
using baro::test::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A database with initiatives in three communes, one with a comma, quotes and a newline in
// its description, one unclassified, one with several domains.
struct Fixture {
  TempDir dir;
  fs::path db;
  Fixture() {
    db = baro::test::fresh_db(dir);
    const auto file = dir.write("s.csv",
                                "id;code_insee;annee;description\n"
                                "a1;69123;2025;Ouverture d'un EPN en mairie\n"
                                "a2;75056;2026;\"Budget participatif, \"\"vote\"\" en ligne\nsur deux lignes\"\n"
                                "a3;13055;2026;Rien de numérique ici\n"
                                "a4;2A004;;Inscription cantine en ligne\n");
    const auto r = run_baro({"classify", "--db", db.string(), "--rules", baro::test::mini_rules_dir().string(), file.string()});
    REQUIRE(r.exit_code == 0);
  }
  baro::test::RunResult run(std::vector<std::string> args) const {
    args.insert(args.end(), {"--db", db.string()});
    return run_baro(args, {}, {"HOME=" + dir.path().string()});
  }
  // What the database says, one line per initiative: the fields the CSV must carry.
  // `rural_below`: the threshold in force, for communes without a rural attribute.
  std::vector<std::vector<std::string>> stored_rows(std::int64_t rural_below = 2000) const {
    SQLite::Database sql(db.string());
    SQLite::Statement q(sql,
                        "SELECT i.id, i.source_id, i.batch_id, i.commune_code, m.name, m.department, coalesce(m.region, ''), "
                        "coalesce(m.population, ''), coalesce(i.rural, m.rural, m.population < :rural_below, ''), coalesce(i.year, ''), coalesce(i.title, ''), "
                        "i.description, coalesce(c.primary_domain, ''), "
                        "coalesce((SELECT group_concat(l.domain, ' ') FROM (SELECT l.domain FROM labels l JOIN run_domains d "
                        "ON d.run_id = l.run_id AND d.domain = l.domain WHERE l.run_id = c.run_id AND l.initiative_id = i.id "
                        "ORDER BY d.position) l), ''), coalesce(c.classifier, '') "
                        "FROM classifications c JOIN initiatives i ON i.id = c.initiative_id JOIN communes m ON m.code = i.commune_code "
                        "WHERE c.run_id = 1 ORDER BY i.id");
    q.bind(":rural_below", rural_below);
    std::vector<std::vector<std::string>> out;
    while (q.executeStep()) {
      std::vector<std::string> row;
      for (int i = 0; i < q.getColumnCount(); ++i) row.push_back(q.getColumn(i).getString());
      out.push_back(row);
    }
    return out;
  }
};

std::vector<std::vector<std::string>> read_csv(const fs::path& file, std::vector<std::string>& header) {
  auto reader = baro::RecordReader::open(file, {});
  header = reader->source().columns;
  std::vector<std::vector<std::string>> out;
  baro::Record record;
  while (reader->next(record)) out.push_back(record.values);
  return out;
}

// The initiatives CSV's columns before the 0/1 domain columns, for programs and in French.
const std::vector<std::string> kCsvColumns = {
    "id",     "source_id",      "batch_id",   "commune_code", "commune_name",   "department",
    "department_name", "region", "region_name", "population", "rural",        "year",
    "title",  "description",    "primary_domain", "primary_label", "domains", "classifier"};
const std::vector<std::string> kExcelColumns = {
    "id",          "identifiant_source", "lot",        "code_commune", "commune",           "code_département",
    "département", "code_région",        "région",     "population",   "rurale",            "année",
    "titre",       "description",        "domaine_principal", "libellé_domaine_principal", "domaines", "classifieur"};
// The mini rule set's domains, in its order.
const std::vector<std::string> kMiniDomains = {"acces",      "communication",   "culture",  "education", "demarches",
                                               "democratie", "vie_quotidienne", "economie", "solidarite"};

// An initiatives CSV checked against the database: the stored values in the columns that
// hold them (Fixture::stored_rows's order), the labels of the regions, departments and
// primary domains, and one 0/1 column per domain that agrees with `domains`.
void check_initiative_rows(const std::vector<std::vector<std::string>>& rows,
                           const std::vector<std::vector<std::string>>& stored) {
  // Fixture::stored_rows's columns among the CSV's.
  constexpr std::size_t kStoredAt[] = {0, 1, 2, 3, 4, 5, 7, 9, 10, 11, 12, 13, 14, 16, 17};
  const std::map<std::string, std::string> names = {{"69", "Rhône"}, {"75", "Paris"}, {"13", "Bouches-du-Rhône"},
                                                    {"2A", "Corse-du-Sud"}, {"84", "Auvergne-Rhône-Alpes"},
                                                    {"11", "Île-de-France"}, {"93", "Provence-Alpes-Côte d'Azur"},
                                                    {"94", "Corse"}};
  REQUIRE(rows.size() == stored.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    REQUIRE(row.size() == kCsvColumns.size() + kMiniDomains.size());
    for (std::size_t c = 0; c < std::size(kStoredAt); ++c) CHECK(row[kStoredAt[c]] == stored[r][c]);
    CHECK(row[6] == names.at(row[5]));
    CHECK(row[8] == names.at(row[7]));
    std::string flagged;
    for (std::size_t d = 0; d < kMiniDomains.size(); ++d) {
      const std::string& flag = row[kCsvColumns.size() + d];
      CHECK((flag == "0" || flag == "1"));
      if (flag == "1") flagged += (flagged.empty() ? "" : " ") + kMiniDomains[d];
    }
    CHECK(flagged == row[16]);
  }
}

}  // namespace

TEST_CASE("csv: one row per initiative that parses back to the stored values", "[plugins][exporters][csv]") {
  Fixture f;
  const auto out = f.dir / "export.csv";
  const auto r = f.run({"export", "--to", "csv", "--out", out.string()});
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> header;
  const auto rows = read_csv(out, header);
  auto expected = kCsvColumns;
  for (const auto& d : kMiniDomains) expected.push_back("domain_" + d);
  CHECK(header == expected);
  const auto stored = f.stored_rows();
  REQUIRE(stored.size() == 4);
  check_initiative_rows(rows, stored);
  CHECK(rows[1][13] == "Budget participatif, \"vote\" en ligne\nsur deux lignes");
  CHECK(rows[3][16] == "education demarches");
  CHECK(rows[3][15] == "Éducation et jeunesse");
  CHECK(rows[2][14].empty());  // unclassified
  CHECK(rows[2][15].empty());
  CHECK(rows[0][10] == "0");  // Lyon is not rural below 2,000 inhabitants
  const std::string bytes = baro::test::read_file(out);
  CHECK(bytes.rfind("id,source_id,", 0) == 0);
  CHECK(bytes.find('\r') == std::string::npos);

  // The threshold in force: below a million inhabitants, Lyon, Marseille and Ajaccio are rural.
  const auto millions = f.run({"export", "--to", "csv", "--rural-below", "1000000", "--out", out.string()});
  REQUIRE(millions.exit_code == 0);
  check_initiative_rows(read_csv(out, header), f.stored_rows(1000000));
}

TEST_CASE("csv --excel: semicolons, a UTF-8 BOM, CRLF and French headers, as French Excel expects", "[plugins][exporters][csv]") {
  Fixture f;
  const auto out = f.dir / "excel.csv";
  REQUIRE(f.run({"export", "--to", "csv", "--excel", "--out", out.string()}).exit_code == 0);
  const std::string bytes = baro::test::read_file(out);
  CHECK(bytes.rfind("\xEF\xBB\xBFid;identifiant_source;lot;code_commune;commune;code_département;département;"
                    "code_région;région;population;rurale;", 0) == 0);
  CHECK(bytes.find("\r\n") != std::string::npos);
  std::vector<std::string> header;
  const auto rows = read_csv(out, header);
  auto expected = kExcelColumns;
  for (const auto& d : kMiniDomains) expected.push_back("domaine_" + d);
  CHECK(header == expected);
  check_initiative_rows(rows, f.stored_rows());

  const auto tab = f.run({"export", "--to", "csv", "--delimiter", "tab"});
  REQUIRE(tab.exit_code == 0);
  CHECK(tab.out.rfind("id\tsource_id\t", 0) == 0);
  const auto bad = f.run({"export", "--to", "csv", "--delimiter", "ab"});
  CHECK(bad.exit_code == 64);
  CHECK_THAT(bad.err, Catch::Contains("--delimiter \"ab\""));
}

TEST_CASE("export --table: the report's aggregate tables as CSV, with the report's figures", "[plugins][exporters][csv]") {
  Fixture f;
  const auto r = f.run({"report", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const json report = json::parse(r.out);
  // Each table parsed back: a header, then rows of strings.
  const auto table = [&](std::vector<std::string> args, std::vector<std::string>& header) {
    const auto out = f.dir / "table.csv";
    args.insert(args.begin(), "export");
    args.insert(args.end(), {"--out", out.string()});
    const auto e = f.run(args);
    INFO(e.err);
    REQUIRE(e.exit_code == 0);
    return read_csv(out, header);
  };
  const auto number = [](const std::string& text) { return std::stod(text); };
  std::vector<std::string> header;

  // Without --to: the tables are the csv exporter's.
  auto rows = table({"--table", "domains"}, header);
  CHECK(header == std::vector<std::string>{"domain", "label", "primary_count", "primary_share", "touching_count",
                                           "touching_share", "corrected_share", "corrected_share_ci95_low",
                                           "corrected_share_ci95_high"});
  REQUIRE(rows.size() == report["domains"].size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json& d = report["domains"][i];
    CHECK(rows[i][0] == (d["domain"].is_null() ? "" : d["domain"].get<std::string>()));
    CHECK(rows[i][1] == d["label"]);
    CHECK(std::stoll(rows[i][2]) == d["primary_count"]);
    CHECK(number(rows[i][3]) == Approx(d["primary_share"].get<double>()).epsilon(1e-11));
    CHECK(std::stoll(rows[i][4]) == d["touching_count"]);
    CHECK(rows[i][6].empty());  // no coded sample
  }

  rows = table({"--to", "csv", "--table", "communes"}, header);
  CHECK(header == std::vector<std::string>{"code", "name", "department", "department_name", "region", "region_name",
                                           "population", "initiatives", "rural", "rural_source", "residual"});
  REQUIRE(rows.size() == report["commune_points"].size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json& p = report["commune_points"][i];
    CHECK(rows[i][0] == p["code"]);
    CHECK(std::stoll(rows[i][6]) == p["population"]);
    CHECK(std::stoll(rows[i][7]) == p["initiatives"]);
    CHECK(rows[i][8] == (p["rural"].get<bool>() ? "1" : "0"));
  }
  CHECK(rows[0][3] == "Paris");

  // bands, departments and regions: the groups of breakdowns, column for column.
  for (const auto& [name, list] : {std::pair{"bands", "population_bands"}, std::pair{"departments", "departments"},
                                   std::pair{"regions", "regions"}}) {
    INFO(name);
    rows = table({"--table", name}, header);
    const json& groups = report["breakdowns"][list];
    REQUIRE(rows.size() == groups.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      for (std::size_t c = 0; c < header.size(); ++c) {
        const json& value = groups[i][header[c]];
        INFO(header[c]);
        if (value.is_string()) CHECK(rows[i][c] == value.get<std::string>());
        if (value.is_number()) CHECK(number(rows[i][c]) == Approx(value.get<double>()).epsilon(1e-11));
        if (value.is_boolean()) CHECK(rows[i][c] == (value.get<bool>() ? "1" : "0"));
        if (value.is_null()) CHECK(rows[i][c].empty());
      }
    }
  }

  // domains-by-department in French Excel: one row per department and domain, decimal commas.
  rows = table({"--table", "domains-by-department", "--excel"}, header);
  CHECK(header == std::vector<std::string>{"code_département", "département", "domaine", "libellé", "initiatives",
                                           "part_du_département"});
  REQUIRE(rows.size() == 4 * report["domains"].size());
  std::int64_t total = 0;
  for (const auto& row : rows) {
    total += std::stoll(row[4]);
    CHECK(row[5].find('.') == std::string::npos);
  }
  CHECK(total == 4);
  CHECK(std::find(rows.begin(), rows.end(),
                  std::vector<std::string>{"69", "Rhône", "acces", "Accès et inclusion numérique", "1", "1"}) != rows.end());

  // Negative figures stay numbers in French Excel: no formula guard in front of them.
  rows = table({"--table", "communes", "--excel"}, header);
  for (const auto& row : rows) {
    CHECK(row[10].rfind('\'', 0) == std::string::npos);
    CHECK(row[10].find('.') == std::string::npos);
  }

  const auto bad = f.run({"export", "--table", "nope"});
  CHECK(bad.exit_code == 64);
  CHECK_THAT(bad.err, Catch::Contains("--table \"nope\": the tables are domains, communes, bands, departments, regions, "
                                      "domains-by-department"));
}

TEST_CASE("jsonl: one object per initiative with commune, labels and evidence", "[plugins][exporters][jsonl]") {
  Fixture f;
  const auto r = f.run({"export", "--to", "jsonl"});
  REQUIRE(r.exit_code == 0);
  std::istringstream in(r.out);
  std::vector<json> records;
  for (std::string line; std::getline(in, line);) records.push_back(json::parse(line));
  const auto stored = f.stored_rows();
  REQUIRE(records.size() == stored.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& j = records[i];
    INFO(j.dump());
    CHECK(j["run"] == 1);
    CHECK(std::to_string(j["id"].get<std::int64_t>()) == stored[i][0]);
    CHECK(j["source_id"] == stored[i][1]);
    CHECK(j["commune"]["code"] == stored[i][3]);
    CHECK(j["commune"]["name"] == stored[i][4]);
    CHECK(j["description"] == stored[i][11]);
    CHECK((j["primary"].is_null() ? std::string() : j["primary"].get<std::string>()) == stored[i][12]);
    std::string domains;
    for (const auto& l : j["labels"]) domains += (domains.empty() ? "" : " ") + l["domain"].get<std::string>();
    CHECK(domains == stored[i][13]);
    CHECK(j["extra"].is_object());
  }
  CHECK(records[0]["labels"][0]["evidence"] == "acces.epn");
  CHECK(records[0]["labels"][0]["label"] == "Accès et inclusion numérique");
  CHECK(records[0]["year"] == 2025);
  CHECK(records[3]["year"].is_null());
}

TEST_CASE("json: the report's aggregates in the documented baro-report/2 shape", "[plugins][exporters][json]") {
  Fixture f;
  const auto r = f.run({"report", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const json doc = json::parse(r.out);
  CHECK(doc["schema"] == "baro-report/2");
  CHECK(doc["engine_version"].is_string());
  const json& run = doc["run"];
  CHECK(run["id"] == 1);
  CHECK(run["ruleset"]["id"] == "test-mini");
  CHECK(run["ruleset"]["version"].is_string());
  CHECK(run["ruleset"]["hash"].get<std::string>().size() == 32);
  REQUIRE(run["classifiers"].is_array());
  CHECK(run["classifiers"][0]["name"] == "rules");
  CHECK(run["classifiers"][0]["version"].is_string());
  CHECK(run["created_at"].get<std::string>().size() == 20);
  CHECK(doc["initiatives"] == 4);
  CHECK(doc["communes"] == 4);
  REQUIRE(doc["domains"].size() == 10);
  double sum = 0;
  for (const auto& d : doc["domains"]) {
    CHECK((d["domain"].is_string() || d["domain"].is_null()));
    CHECK(d["label"].is_string());
    CHECK(d["primary_count"].is_number_integer());
    CHECK(d["touching_count"].is_number_integer());
    CHECK(d["primary_share"].is_number());
    CHECK(d["touching_share"].is_number());
    sum += d["primary_share"].get<double>();
  }
  CHECK(sum == Approx(1.0));
  CHECK(doc["domains"].back()["domain"].is_null());

  const auto compact = f.run({"export", "--to", "json", "--compact"});
  REQUIRE(compact.exit_code == 0);
  CHECK(std::count(compact.out.begin(), compact.out.end(), '\n') == 1);
  CHECK(json::parse(compact.out) == doc);
}

TEST_CASE("baro report prints the text exporter's tables, the same through every path", "[plugins][exporters][text]") {
  Fixture f;
  const auto report = f.run({"report"});
  REQUIRE(report.exit_code == 0);
  CHECK(f.run({"report", "--format", "text"}).out == report.out);
  CHECK(f.run({"export", "--to", "text"}).out == report.out);
  CHECK_THAT(report.out, Catch::StartsWith("Baromètre des services numériques locaux\nClassification n° 1 — règles test-mini "));
  CHECK_THAT(report.out, Catch::Contains("\n\ninitiatives  4\ncommunes     4\n\n"));
  // Labels are padded by characters, numbers right-aligned (the longest label has 41).
  const std::string label = "Accès et inclusion numérique";
  const std::string row = label + std::string(43 - 28, ' ') + "       1    25,0 %      25,0 %\n";
  CHECK_THAT(report.out, Catch::Contains(row));
  // The header as the report has always printed it (setw counts the bytes of "é").
  CHECK_THAT(report.out, Catch::Contains("domaine" + std::string(36, ' ') + "  nombre      part toutes étiq.\n"));
  // The unclassified row closes the domain table; the coverage section follows it.
  CHECK_THAT(report.out, Catch::Contains("Non classé" + std::string(33, ' ') + "       1    25,0 %            \n\n"
                                         "Communes présentes dans les données"));
}

TEST_CASE("markdown: the report as tables", "[plugins][exporters][markdown]") {
  Fixture f;
  const auto out = f.dir / "r.md";
  const auto r = f.run({"report", "--format", "markdown", "--out", out.string()});
  REQUIRE(r.exit_code == 0);
  const std::string md = baro::test::read_file(out);
  CHECK_THAT(md, Catch::StartsWith("# Baromètre des services numériques locaux\n"));
  CHECK_THAT(md, Catch::Contains("| initiatives | 4 |\n"));
  CHECK_THAT(md, Catch::Contains("| domaine | nombre | part | toutes étiquettes |\n|---|---:|---:|---:|\n"));
  CHECK_THAT(md, Catch::Contains("| Accès et inclusion numérique | 1 | 25,0 % | 25,0 % |\n"));
  CHECK_THAT(md, Catch::Contains("| Non classé | 1 | 25,0 % |  |\n"));
}

namespace {
// A global locale with a decimal comma, as a French desktop session may install.
struct CommaDecimals : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return ' '; }
  std::string do_grouping() const override { return "\3"; }
};
}  // namespace

TEST_CASE("the SDK's row writer quotes, marks absent values and writes C-locale numbers", "[plugins][sdk][fields]") {
  const std::locale previous = std::locale::global(std::locale(std::locale::classic(), new CommaDecimals));
  baro::sdk::Row tsv(baro::sdk::kTsv);
  tsv.text("plain").text("a\tb").text("say \"hi\"").text("two\nlines").text(" padded").text("=1+1");
  tsv.number(1234567).number(0.25).number(std::optional<std::int64_t>()).number(1.0 / 3.0, 3).number(1e20).missing();
  const std::string line = tsv.line();
  std::locale::global(previous);
  CHECK(line == "plain\t\"a\tb\"\t\"say \"\"hi\"\"\"\t\"two\nlines\"\t\" padded\"\t=1+1\t1234567\t0.25\tNA\t0.333\t1e+20\tNA\n");
  CHECK(tsv.fields() == 0);  // line() leaves the row empty for the next one

  baro::sdk::Row excel(baro::sdk::kExcelCsv);
  CHECK(excel.text("=SUM(A1)").text("a;b").number(0.5).number(std::nan("")).line() == "'=SUM(A1);\"a;b\";0,5;\r\n");
  CHECK(excel.bom() == "\xEF\xBB\xBF");
  CHECK(baro::sdk::Row(baro::sdk::kCsv).number(-0.000001).number(-12).line() == "-1e-06,-12\n");
}
