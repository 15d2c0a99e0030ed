#include "stats/report_fixture.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <fstream>
#include <string>
#include <vector>

#include "baro/store.hpp"

namespace baro::test {
namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

struct Initiative {
  const char* commune;
  int batch;
  int rural;  // -1: no attribute
  const char* primary;  // nullptr: unclassified
  const char* also = nullptr;  // a second label
};

}  // namespace

void make_report_fixture(const std::filesystem::path& db_path, const std::filesystem::path& reference_dir) {
  std::filesystem::create_directories(reference_dir);
  write(reference_dir / "fr-regions.csv", "code,nom\n32,Hauts-de-France\n84,Auvergne-Rhône-Alpes\n");
  write(reference_dir / "fr-departements.csv", "code,nom,region\n01,Ain,84\n02,Aisne,32\n");
  write(reference_dir / "fr-communes-2026.csv",
        "code_insee,nom,type,departement,region,zone,population,parent_code,epci_siren,anciens_codes,codes_postaux\n"
        "01001,Aubry,commune-actuelle,01,84,metro,400,,,,\n"
        "01002,Belval,commune-actuelle,01,84,metro,400,,,,\n"
        "01003,Cormes,commune-actuelle,01,84,metro,1600,,,,\n"
        "01004,Gresse,commune-actuelle,01,84,metro,50000,,,,\n"
        "02001,Dorne,commune-actuelle,02,32,metro,1600,,,,\n"
        "02002,Estrel,commune-actuelle,02,32,metro,6400,,,,\n"
        "02003,Fanjac,commune-actuelle,02,32,metro,6400,,,,\n"
        "02004,Hameau,commune-actuelle,02,32,metro,,,,,\n");
  auto store = Store::open(db_path, {OpenMode::kCreate});
  store->load_reference(reference_dir);

  std::vector<Initiative> initiatives;
  const auto add = [&](const char* commune, int batch, int n, const char* primary, int rural = -1,
                       const char* also = nullptr) {
    for (int i = 0; i < n; ++i) initiatives.push_back({commune, batch, rural, primary, also});
  };
  add("01001", 1, 2, "acces");
  add("01002", 1, 1, "acces", 1);
  add("01003", 1, 4, "acces");
  add("01002", 2, 1, "acces", 0);
  add("01002", 2, 2, "acces");
  add("02001", 2, 8, "acces");
  add("02002", 2, 8, "acces");
  add("02003", 2, 8, "communication", -1, "democratie");
  add("02003", 2, 4, "culture");
  add("02003", 2, 4, nullptr);
  add("02004", 2, 3, "education");

  auto& db = store->database();
  SQLite::Transaction transaction(db);
  db.exec("UPDATE communes SET rural = 1 WHERE code IN ('01001', '02002');"
          "UPDATE communes SET rural = 0 WHERE code = '02001';");
  for (int batch = 1; batch <= 2; ++batch) {
    db.exec("INSERT INTO batches (id, source, content_hash, format, encoding, delimiter, line_endings, column_map, "
            "records, imported, rejected, imported_at) VALUES (" +
            std::to_string(batch) + ", 'enquete-" + std::to_string(2024 + batch) + ".csv', 'hash" + std::to_string(batch) +
            "', 'csv', 'utf-8', ';', 'lf', '{}', 0, 0, 0, '2026-0" + std::to_string(batch) + "-01T00:00:00Z')");
  }
  const char* domains[] = {"acces", "communication", "culture", "education", "demarches",
                           "democratie", "vie_quotidienne", "economie", "solidarite"};
  const char* labels[] = {"Accès et inclusion numérique", "Communication et information", "Culture et patrimoine",
                          "Éducation et jeunesse", "Démarches et services en ligne",
                          "Démocratie locale et participation", "Vie quotidienne, mobilité et cadre de vie",
                          "Économie et emploi", "Solidarités, santé et accessibilité"};
  for (int run = 1; run <= 2; ++run) {
    db.exec("INSERT INTO runs (id, ruleset_id, ruleset_version, ruleset_hash, classifiers, engine_version, created_at) "
            "VALUES (" + std::to_string(run) + ", 'fixture', '1." + std::to_string(run) +
            ".0', '0123456789abcdef0123456789abcdef', '[{\"name\":\"rules\",\"version\":\"0.1.0\"}]', '0.1.0', "
            "'2026-0" + std::to_string(run + 2) + "-01T00:00:00Z')");
    SQLite::Statement domain(db, "INSERT INTO run_domains (run_id, position, domain, label) VALUES (?, ?, ?, ?)");
    for (int d = 0; d < 9; ++d) {
      domain.bind(1, run);
      domain.bind(2, d);
      domain.bind(3, domains[d]);
      domain.bind(4, labels[d]);
      domain.exec();
      domain.reset();
    }
  }
  SQLite::Statement initiative(db,
                               "INSERT INTO initiatives (id, batch_id, record_no, line, source_id, commune_code, "
                               "description, year, rural) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement classification(db, "INSERT INTO classifications (run_id, initiative_id, primary_domain) VALUES (?, ?, ?)");
  SQLite::Statement label(db, "INSERT INTO labels (run_id, initiative_id, domain, score, rules) VALUES (?, ?, ?, 1, 'r')");
  const auto insert_label = [&](int run, int id, const char* domain) {
    label.bind(1, run);
    label.bind(2, id);
    label.bind(3, domain);
    label.exec();
    label.reset();
  };
  int id = 0;
  for (const auto& i : initiatives) {
    ++id;
    initiative.bind(1, id);
    initiative.bind(2, i.batch);
    initiative.bind(3, id);
    initiative.bind(4, id + 1);
    initiative.bind(5, std::to_string(id));
    initiative.bind(6, i.commune);
    initiative.bind(7, "initiative " + std::to_string(id));
    initiative.bind(8, 2024 + i.batch);
    if (i.rural < 0) initiative.bind(9);
    else initiative.bind(9, i.rural);
    initiative.exec();
    initiative.reset();
    // Run 1, older: everything culture. Run 2: the primary domains above.
    classification.bind(1, 1);
    classification.bind(2, id);
    classification.bind(3, "culture");
    classification.exec();
    classification.reset();
    insert_label(1, id, "culture");
    classification.bind(1, 2);
    classification.bind(2, id);
    if (i.primary != nullptr) classification.bind(3, i.primary);
    else classification.bind(3);
    classification.exec();
    classification.reset();
    if (i.primary != nullptr) insert_label(2, id, i.primary);
    if (i.also != nullptr) insert_label(2, id, i.also);
  }
  transaction.commit();
}

}  // namespace baro::test
