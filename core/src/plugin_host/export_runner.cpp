// Running an exporter: the read-only view it gets, and the output it writes through.
//
// The output is the host's, never the plugin's: an OutputFile (util/output_file.hpp), which
// for a regular --out is a temporary file beside it that replaces the target only after the
// exporter returned success and the bytes reached the disk. Any failure — the plugin's
// status, a write error, a database error — removes the temporary file.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "plugin_host/registry.hpp"
#include "stats/report_scope.hpp"
#include "store/initiative_filter.hpp"
#include "store/sqlite_errors.hpp"
#include "util/output_file.hpp"

namespace baro {
namespace fs = std::filesystem;
using plugin_host::str;

namespace {

// ---- the read-only view ----------------------------------------------------------------

std::string filters_json(std::int64_t run, const ReportOptions& f) {
  nlohmann::json out = {{"run", run}};
  if (f.batch_id) out["batch"] = *f.batch_id;
  if (f.year) out["year"] = *f.year;
  if (f.region) out["region"] = *f.region;
  if (f.department) out["department"] = *f.department;
  return out.dump();
}

struct ExportSession {
  const Store& store;
  SQLite::Database& db;
  std::int64_t run_id;
  const ReportOptions& filters;
  plugin_host::HostServices& host;
  OutputFile& destination;
  const stats::ReportScope& scope;
  std::optional<std::string> report_json;  // computed on the plugin's first get_report()
};

std::string text(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

// Streams the initiatives of the run, each with its labels (one query, grouped by id).
std::int32_t for_each_initiative(void* context, baro_initiative_fn fn, void* user) noexcept {
  auto& s = *static_cast<ExportSession*>(context);
  try {
    SQLite::Statement q(
        s.db,
        "SELECT i.id, i.batch_id, i.source_id, i.title, i.description, i.year, COALESCE(i.rural, m.rural), "
        "i.commune_code, m.name, m.department, m.region, m.population, c.primary_domain, c.classifier, i.extra, "
        "l.domain, rd.label, l.score, l.rules "
        "FROM classifications c JOIN initiatives i ON i.id = c.initiative_id JOIN communes m ON m.code = i.commune_code "
        "LEFT JOIN labels l ON l.run_id = c.run_id AND l.initiative_id = c.initiative_id "
        "LEFT JOIN run_domains rd ON rd.run_id = c.run_id AND rd.domain = l.domain "
        "WHERE " + store::initiative_filter_sql(s.filters) + " ORDER BY i.id, rd.position");
    store::bind_initiative_filter(q, s.run_id, s.filters);
    // The strings of the current initiative; baro_initiative points into them.
    std::string source_id, title, description, commune_code, commune_name, department, region, primary, classifier, extra;
    struct LabelText { std::string domain, label, evidence; double score; };
    std::vector<LabelText> labels;
    std::vector<baro_label> c_labels;
    baro_initiative item{};
    bool pending = false;
    auto emit = [&]() -> std::int32_t {
      c_labels.clear();
      for (const auto& l : labels) c_labels.push_back({str(l.domain), str(l.label), l.score, str(l.evidence)});
      item.labels = c_labels.data();
      item.label_count = c_labels.size();
      item.source_id = str(source_id);
      item.title = str(title);
      item.description = str(description);
      item.commune_code = str(commune_code);
      item.commune_name = str(commune_name);
      item.department = str(department);
      item.region = str(region);
      item.primary_domain = str(primary);
      item.classifier = str(classifier);
      item.extra_json = str(extra);
      return fn(user, &item);
    };
    while (q.executeStep()) {
      const std::int64_t id = q.getColumn(0).getInt64();
      if (!pending || id != item.id) {
        if (pending && emit() != 0) return BARO_STATUS_STOPPED;
        pending = true;
        item = baro_initiative{};
        item.struct_size = sizeof item;
        item.label_struct_size = sizeof(baro_label);
        item.id = id;
        item.batch_id = q.getColumn(1).getInt64();
        source_id = text(q.getColumn(2));
        title = text(q.getColumn(3));
        description = text(q.getColumn(4));
        item.year = q.getColumn(5).isNull() ? 0 : q.getColumn(5).getInt();
        item.rural = q.getColumn(6).isNull() ? -1 : q.getColumn(6).getInt();
        commune_code = text(q.getColumn(7));
        commune_name = text(q.getColumn(8));
        department = text(q.getColumn(9));
        region = text(q.getColumn(10));
        item.population = q.getColumn(11).isNull() ? -1 : q.getColumn(11).getInt64();
        primary = text(q.getColumn(12));
        classifier = text(q.getColumn(13));
        extra = q.getColumn(14).isNull() ? std::string("{}") : q.getColumn(14).getString();
        labels.clear();
      }
      if (!q.getColumn(15).isNull()) {
        labels.push_back({q.getColumn(15).getString(), text(q.getColumn(16)), text(q.getColumn(18)),
                          q.getColumn(17).getDouble()});
      }
    }
    if (pending && emit() != 0) return BARO_STATUS_STOPPED;
    return BARO_OK;
  } catch (const SQLite::Exception& e) {
    s.host.set_host_failure(store::translate(e, s.store.path(), "reading the initiatives for an export"));
  } catch (const Error& e) {
    s.host.set_host_failure(e);
  } catch (const std::exception& e) {
    s.host.set_host_failure(internal_error(std::string("reading the initiatives for an export: ") + e.what()));
  }
  return BARO_STATUS_DATA;
}

std::int32_t write_output(void* context, const char* data, std::size_t size) noexcept {
  auto& s = *static_cast<ExportSession*>(context);
  try {
    s.destination.write(std::string_view(data, size));
    return BARO_OK;
  } catch (const Error& e) {
    s.host.set_host_failure(e);
    return BARO_STATUS_IO;
  } catch (...) {
    s.host.set_host_failure(io_error("writing the export failed"));
    return BARO_STATUS_IO;
  }
}

// The report, computed at the first request only: most exporters that write rows never ask,
// and computing it reads the whole run again. Same snapshot as the initiatives.
std::int32_t get_report(void* context, baro_str* json) noexcept {
  auto& s = *static_cast<ExportSession*>(context);
  try {
    if (!s.report_json) s.report_json = report_to_json(stats::compute_report_in_snapshot(s.store, s.scope));
    *json = str(*s.report_json);
    return BARO_OK;
  } catch (const Error& e) {
    s.host.set_host_failure(e);
  } catch (const std::exception& e) {
    s.host.set_host_failure(internal_error(std::string("computing the report for an export: ") + e.what()));
  }
  *json = baro_str{nullptr, 0};
  return BARO_STATUS_DATA;
}

struct DomainText {
  std::string id, label;
};

std::vector<DomainText> read_domains(SQLite::Database& db, std::int64_t run) {
  std::vector<DomainText> out;
  SQLite::Statement q(db, "SELECT domain, label FROM run_domains WHERE run_id = ? ORDER BY position");
  q.bind(1, run);
  while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString()});
  return out;
}

// Ends the read transaction on every path out.
struct ReadTransaction {
  SQLite::Database& db;
  bool open = false;
  void begin() {
    db.exec("BEGIN");
    open = true;
  }
  void end() noexcept {
    if (!open) return;
    open = false;
    try {
      db.exec("ROLLBACK");
    } catch (...) {
    }
  }
  ~ReadTransaction() { end(); }
};

// Destroys the plugin's instance through the plugin, whatever happens.
struct Instance {
  const baro_exporter_vtable& vtable;
  void* pointer = nullptr;
  ~Instance() {
    if (pointer != nullptr) vtable.destroy(pointer);
  }
};

}  // namespace

void PluginRegistry::run_export(const Store& store, const ExportRequest& request) const {
  // Exporters read; a read-only connection makes sure that no plugin bug can write.
  if (!store.read_only()) throw internal_error("exporters must be given a read-only store");
  const PluginInfo& info = require(request.exporter, PluginKind::kExporter);
  const PluginOptionValues options = resolve_options(info, request.options);
  const auto& plugin = *impl_->find(info);
  auto& db = const_cast<SQLite::Database&>(store.database());

  // The destination first: an --out in a missing or read-only folder fails before any work.
  // An empty --out or "-" is standard output; a FIFO or a device is written directly.
  auto destination = std::make_unique<OutputFile>(request.out, "--out");

  // One read snapshot for everything the plugin sees: the run, its domains, the initiatives
  // (however many passes) and the report if it asks for one, even while an import commits.
  ReadTransaction snapshot{db};
  std::vector<DomainText> domain_text;
  try {
    snapshot.begin();
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "reading the run to export");
  }
  // The run and the filters, checked and spelled as the reference does ("2a" is "2A").
  const stats::ReportScope scope = stats::resolve_report_scope(store, request.filters);
  try {
    domain_text = read_domains(db, scope.run.id);
  } catch (const SQLite::Exception& e) {
    throw store::translate(e, store.path(), "reading the run to export");
  }

  const std::string filters = filters_json(scope.run.id, scope.options);
  const std::string classifiers = [&] {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : scope.run.classifiers) out.push_back({{"name", c.name}, {"version", c.version}});
    return out.dump();
  }();
  const RunInfo& r = scope.run;
  baro_run run{sizeof(baro_run),          r.id,
               str(r.ruleset_id),         str(r.ruleset_version),
               str(r.ruleset_hash),       str(classifiers),
               str(r.engine_version),     str(r.created_at),
               scope.initiatives};
  std::vector<baro_domain> domains;
  for (const auto& d : domain_text) domains.push_back({str(d.id), str(d.label)});

  auto& host = *plugin.host;
  host.clear_host_failure();
  ExportSession session{store, db, r.id, scope.options, host, *destination, scope, std::nullopt};
  baro_export_input input{};
  input.struct_size = sizeof(baro_export_input);
  input.run = &run;
  input.filters_json = str(filters);
  input.context = &session;
  input.for_each_initiative = &for_each_initiative;
  input.domains = domains.data();
  input.domain_count = domains.size();
  input.domain_struct_size = sizeof(baro_domain);
  input.get_report = &get_report;
  // Plugins built against API 1.0 or 1.1 read report_json directly: they get it computed.
  if (plugin.descriptor->api_minor < 2) {
    session.report_json = report_to_json(stats::compute_report_in_snapshot(store, scope));
    input.report_json = str(*session.report_json);
  }
  baro_output output{sizeof(baro_output), &session, &write_output, destination->is_terminal() ? 1 : 0};

  const auto& vtable = *plugin.descriptor->exporter;
  const plugin_host::COptions c_options(plugin, options, request.options);
  Instance instance{vtable};
  host.reset();
  std::int32_t status = vtable.create(c_options.data(), c_options.size(), host.raw(), &instance.pointer);
  if (status != BARO_OK || instance.pointer == nullptr) {
    throw host.error_for(status == BARO_OK ? BARO_STATUS_INTERNAL : status, "to start");
  }
  host.reset();
  status = vtable.run(instance.pointer, &input, &output, host.raw());
  if (status != BARO_OK) throw host.error_for(status, "to export");
  if (host.host_failure() != nullptr) throw *host.host_failure();  // a failure the plugin ignored
  snapshot.end();
  destination->commit();
}

}  // namespace baro
