// `dta` (Stata 14 and later) and `sav` (SPSS): one row per initiative (initiative_table.hpp)
// for the researchers who work in Stata, SPSS or R (haven, pyreadstat), on ReadStat. The
// variables have French labels; the primary domain is also a numeric variable `primary`
// whose value labels are the domains' labels (0 « Non classé »), and the 0/1 variables (rural,
// one per domain) carry « non » / « oui ». Built twice from this file: BARO_READSTAT_FORMAT_dta
// or BARO_READSTAT_FORMAT_sav says which.
//
// The formats fix each string variable's width and the number of rows before the first row:
// the initiatives are read twice, once to measure, once to write (three times in a .dta with
// a text over 2,045 bytes, see below); the host reads them in one snapshot, so every pass
// sees the same rows.
#include <baro/sdk.hpp>
#include <readstat.h>
#include <sys/types.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "initiative_table.hpp"

namespace {

using baro::plugins::Cell;
using baro::plugins::CellType;

#if defined(BARO_READSTAT_FORMAT_dta)
constexpr const char* kFormat = "dta";
// Stata: names of at most 32 characters; a str variable holds up to 2,045 bytes, longer text
// goes to a strL (a "string reference").
constexpr std::size_t kMaxName = 32;
constexpr std::size_t kMaxStringWidth = 2045;
#else
constexpr const char* kFormat = "sav";
constexpr std::size_t kMaxName = 64;
constexpr std::size_t kMaxStringWidth = 32767;
#endif

// The variables' labels, in French, by column key (the domain columns get their domain's).
const std::map<std::string, std::string> kLabels = {
    {"id", "Identifiant Baro de l'initiative"},
    {"source_id", "Identifiant dans l'enquête"},
    {"batch_id", "Lot d'import"},
    {"commune_code", "Code INSEE de la commune"},
    {"commune_name", "Commune"},
    {"department", "Code du département"},
    {"department_name", "Département"},
    {"region", "Code de la région"},
    {"region_name", "Région"},
    {"population", "Population de la commune"},
    {"rural", "Commune rurale (seuil en vigueur ou attribut importé)"},
    {"year", "Année"},
    {"title", "Titre"},
    {"description", "Description"},
    {"primary_domain", "Domaine principal (identifiant)"},
    {"primary_label", "Domaine principal (libellé)"},
    {"domains", "Tous les domaines (identifiants)"},
    {"classifier", "Classifieur qui a attribué le domaine principal"},
};

// A variable name the formats accept: letters, digits and _, not starting with a digit, at
// most kMaxName characters, unique.
std::string variable_name(const std::string& key, std::set<std::string>& taken) {
  std::string name;
  for (const char c : key) name += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') ? c : '_';
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) != 0) name = "v_" + name;
  name.resize(std::min(name.size(), kMaxName));
  std::string unique = name;
  for (int n = 2; taken.count(unique) != 0; ++n) {
    const std::string suffix = "_" + std::to_string(n);
    unique = name.substr(0, kMaxName - suffix.size()) + suffix;
  }
  taken.insert(unique);
  return unique;
}

class ReadstatExporter final : public baro::sdk::Exporter {
 public:
  ReadstatExporter(const baro::sdk::Options&, const baro::sdk::Host&) {}

  void run(const baro::sdk::ExportInput& input, baro::sdk::Output& output) override {
    const baro::plugins::InitiativeTable table(input.domains(), input.report());
    const auto& columns = table.columns();

    // Pass 1: the rows and each string column's widest value.
    std::vector<std::size_t> widths(columns.size(), 1);
    long rows = 0;
    input.for_each_initiative([&](const baro::sdk::Initiative& item) {
      const auto cells = table.row(item);
      for (std::size_t c = 0; c < cells.size(); ++c) widths[c] = std::max(widths[c], cells[c].text.size());
      ++rows;
    });

    Writer writer(output);
    readstat_writer_t* w = writer.raw();
    readstat_writer_set_file_label(w, "Baromètre des services numériques locaux : initiatives");
#if defined(BARO_READSTAT_FORMAT_dta)
    // Stata 14's format: UTF-8 text.
    writer.check(readstat_writer_set_file_format_version(w, 118), "the file version");
#endif
    readstat_label_set_t* yes_no = readstat_add_label_set(w, READSTAT_TYPE_INT32, "oui_non");
    readstat_label_int32_value(yes_no, 0, "non");
    readstat_label_int32_value(yes_no, 1, "oui");
    readstat_label_set_t* domains = readstat_add_label_set(w, READSTAT_TYPE_INT32, "domaine");
    readstat_label_int32_value(domains, 0, "Non classé");
    for (std::size_t d = 0; d < table.domains().size(); ++d) {
      readstat_label_int32_value(domains, static_cast<std::int32_t>(d + 1), table.domain_labels()[d].c_str());
    }

    std::set<std::string> taken;
    std::vector<readstat_variable_t*> variables;
    std::vector<bool> references(columns.size(), false);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto& column = columns[c];
      const std::string name = variable_name(column.key, taken);
      readstat_variable_t* v = nullptr;
      if (column.type == CellType::kText) {
        references[c] = widths[c] > kMaxStringWidth;
        v = readstat_add_variable(w, name.c_str(), references[c] ? READSTAT_TYPE_STRING_REF : READSTAT_TYPE_STRING,
                                  references[c] ? 0 : widths[c]);
      } else {
        // Ids and populations fit in a double exactly; the flags and years in 32 bits.
        const bool wide = column.key == "id" || column.key == "population";
        v = readstat_add_variable(w, name.c_str(), wide ? READSTAT_TYPE_DOUBLE : READSTAT_TYPE_INT32, 0);
        // Shown as whole numbers, not "417.00".
#if defined(BARO_READSTAT_FORMAT_dta)
        if (wide) readstat_variable_set_format(v, "%12.0f");
#else
        if (wide) readstat_variable_set_format(v, "F12.0");
#endif
      }
      std::string label;
      if (c >= table.first_domain_column()) {
        label = "Domaine : " + table.domain_labels()[c - table.first_domain_column()];
        readstat_variable_set_label_set(v, yes_no);
      } else {
        label = kLabels.at(column.key);
        if (column.key == "rural") readstat_variable_set_label_set(v, yes_no);
      }
      readstat_variable_set_label(v, label.c_str());
      variables.push_back(v);
      if (c == baro::plugins::InitiativeTable::kPrimaryDomainColumn) {
        // Beside the id, the primary domain as a labelled number, for tabulate and crosstabs.
        readstat_variable_t* primary = readstat_add_variable(w, variable_name("primary", taken).c_str(), READSTAT_TYPE_INT32, 0);
        readstat_variable_set_label(primary, "Domaine principal");
        readstat_variable_set_label_set(primary, domains);
        primary_ = primary;
      }
    }

    // A strL's text must be handed to ReadStat before the first row (a reference added later
    // makes a file that no reader opens): one more pass, only when a text needs it.
    std::vector<readstat_string_ref_t*> refs;
    if (std::find(references.begin(), references.end(), true) != references.end()) {
      input.for_each_initiative([&](const baro::sdk::Initiative& item) {
        const auto cells = table.row(item);
        for (std::size_t c = 0; c < cells.size(); ++c) {
          if (references[c]) refs.push_back(readstat_add_string_ref(w, cells[c].text.c_str()));
        }
      });
    }
    std::size_t next_ref = 0;

#if defined(BARO_READSTAT_FORMAT_dta)
    writer.check(readstat_begin_writing_dta(w, &writer, rows), "starting the file");
#else
    writer.check(readstat_begin_writing_sav(w, &writer, rows), "starting the file");
#endif
    // Pass 2: the rows.
    long written = 0;
    input.for_each_initiative([&](const baro::sdk::Initiative& item) {
      if (written == rows) throw baro::sdk::DataError("the initiatives changed between two passes");
      const auto cells = table.row(item);
      writer.check(readstat_begin_row(w), "a row");
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (references[c]) {
          if (next_ref == refs.size()) throw baro::sdk::DataError("the initiatives changed between two passes");
          writer.check(readstat_insert_string_ref(w, variables[c], refs[next_ref++]), "a value");
          continue;
        }
        insert(writer, variables[c], cells[c]);
        if (c == baro::plugins::InitiativeTable::kPrimaryDomainColumn) {
          writer.check(readstat_insert_int32_value(w, primary_, table.primary_code(item)), "a value");
        }
      }
      writer.check(readstat_end_row(w), "a row");
      ++written;
    });
    if (written != rows) throw baro::sdk::DataError("the initiatives changed between two passes");
    writer.check(readstat_end_writing(w), "finishing the file");
  }

 private:
  // The ReadStat writer, its bytes sent to the host's output.
  class Writer {
   public:
    explicit Writer(baro::sdk::Output& output) : output_(output), writer_(readstat_writer_init()) {
      if (writer_ == nullptr) throw std::bad_alloc();
      readstat_set_data_writer(writer_, &Writer::write);
    }
    ~Writer() { readstat_writer_free(writer_); }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    readstat_writer_t* raw() const noexcept { return writer_; }

    void check(readstat_error_t status, const char* what) {
      // An output failure comes back as a write error: the host's exception says why.
      if (error_) std::rethrow_exception(error_);
      if (status != READSTAT_OK) {
        throw baro::sdk::DataError(std::string("ReadStat (") + kFormat + "), " + what + ": " +
                                   readstat_error_message(status));
      }
    }

   private:
    static ssize_t write(const void* data, size_t size, void* context) {
      auto& self = *static_cast<Writer*>(context);
      try {
        self.output_.write(std::string_view(static_cast<const char*>(data), size));
        return static_cast<ssize_t>(size);
      } catch (...) {
        self.error_ = std::current_exception();
        return -1;
      }
    }

    baro::sdk::Output& output_;
    readstat_writer_t* writer_;
    std::exception_ptr error_;
  };

  static void insert(Writer& writer, readstat_variable_t* v, const Cell& cell) {
    readstat_writer_t* w = writer.raw();
    switch (cell.type) {
      case CellType::kText:
        writer.check(readstat_insert_string_value(w, v, cell.text.c_str()), "a value");
        return;
      case CellType::kEmpty:
        // A missing number; an empty string is "".
        writer.check(readstat_variable_get_type_class(v) == READSTAT_TYPE_CLASS_STRING
                         ? readstat_insert_string_value(w, v, "")
                         : readstat_insert_missing_value(w, v),
                     "a value");
        return;
      default:
        if (readstat_variable_get_type(v) == READSTAT_TYPE_DOUBLE) {
          writer.check(readstat_insert_double_value(w, v, cell.value), "a value");
        } else {
          writer.check(readstat_insert_int32_value(w, v, static_cast<std::int32_t>(cell.value)), "a value");
        }
    }
  }

  readstat_variable_t* primary_ = nullptr;
};

}  // namespace

#if defined(BARO_READSTAT_FORMAT_dta)
BARO_EXPORTER(ReadstatExporter, "dta", "1.0.0",
              "a Stata 14+ .dta file: one row per initiative, French variable labels, the domains as value labels")
#else
BARO_EXPORTER(ReadstatExporter, "sav", "1.0.0",
              "an SPSS .sav file: one row per initiative, French variable labels, the domains as value labels")
#endif
