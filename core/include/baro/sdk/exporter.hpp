// Writing an exporter: derive from baro::sdk::Exporter, give it a constructor taking
// (const Options&, const Host&), implement run(), and name the class once in BARO_EXPORTER.
//
//   class Hello : public baro::sdk::Exporter {
//    public:
//     Hello(const baro::sdk::Options&, const baro::sdk::Host&) {}
//     void run(const baro::sdk::ExportInput& input, baro::sdk::Output& out) override {
//       out.stream() << "run " << input.run().id << ": " << input.run().initiatives << '\n';
//     }
//   };
//   BARO_EXPORTER(Hello, "hello", "1.0.0", "prints how many initiatives the run holds")
//
// An exporter reads a read-only view of one classification run: the run's identity and the
// rule set's domains (always at hand), the report's aggregates (docs/report-json.md; computed
// only if the exporter asks) and, one at a time, the initiatives with their commune and
// labels, as many times over as it likes. It writes to the Output the host gives it, never to a file of its
// own choosing: the host writes a temporary file beside the target and renames it only when
// run() returns normally, so a failing exporter leaves no partial file behind.
//
// Lifetime and threading: the host creates one instance per export, calls run() once from
// one thread, then destroys it. Views (Initiative, Run, string_views) are valid only during
// the call that hands them over.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "baro/sdk/plugin.hpp"

namespace baro::sdk {

// A classifier of the run's chain, as the run recorded it.
struct RunClassifier {
  std::string name;     // e.g. "rules"
  std::string version;  // the classifier's own version when the run was made
};

// The run being exported (views valid during run()).
struct Run {
  std::int64_t id = 0;
  std::string_view ruleset_id, ruleset_version, ruleset_hash;
  std::string_view classifiers_json;  // [{"name", "version"}], chain order
  std::string_view engine_version, created_at;  // created_at: ISO 8601 UTC
  // How many initiatives for_each_initiative() gives: the run's, after the filters.
  std::int64_t initiatives = 0;
  std::vector<RunClassifier> classifiers;  // classifiers_json, parsed; chain order
};

// A domain of the run's rule set. ExportInput::domains() lists them all, in rule-set order,
// including those no initiative has: the columns of a one-column-per-domain table.
struct Domain {
  std::string_view id;     // e.g. "acces": what Initiative::primary_domain() and Label::domain hold
  std::string_view label;  // e.g. "Accès et inclusion numérique"
  std::size_t position = 0;  // 0, 1, 2… in rule-set order (the order of the report's rows)
};

// The filters of the export (`--batch`, `--year`, `--region`, `--department`), as the host
// checked them: region and department codes are spelled as the commune reference spells them.
struct Filters {
  std::optional<std::int64_t> batch;
  std::optional<int> year;
  std::optional<std::string> region, department;
};

struct Label {
  std::string_view domain;  // e.g. "acces"
  std::string_view label;   // e.g. "Accès et inclusion numérique"
  double score = 0.0;
  std::string_view evidence;  // what fired (rule ids for the rules classifier)
};

// One initiative with its commune's attributes and its labels in the run.
class Initiative {
 public:
  explicit Initiative(const baro_initiative& raw) noexcept : raw_(raw) {}

  std::int64_t id() const noexcept { return raw_.id; }
  std::int64_t batch_id() const noexcept { return raw_.batch_id; }
  std::string_view source_id() const noexcept { return detail::view(raw_.source_id); }
  std::string_view title() const noexcept { return detail::view(raw_.title); }
  std::string_view description() const noexcept { return detail::view(raw_.description); }
  std::optional<int> year() const noexcept { return raw_.year > 0 ? std::optional<int>(raw_.year) : std::nullopt; }
  // The survey's rural attribute, when it gave one.
  std::optional<bool> rural() const noexcept { return raw_.rural < 0 ? std::nullopt : std::optional<bool>(raw_.rural == 1); }
  std::string_view commune_code() const noexcept { return detail::view(raw_.commune_code); }
  std::string_view commune_name() const noexcept { return detail::view(raw_.commune_name); }
  std::string_view department() const noexcept { return detail::view(raw_.department); }
  std::string_view region() const noexcept { return detail::view(raw_.region); }
  std::optional<std::int64_t> population() const noexcept {
    return raw_.population < 0 ? std::nullopt : std::optional<std::int64_t>(raw_.population);
  }
  // Empty when no classifier assigned a domain.
  std::string_view primary_domain() const noexcept { return detail::view(raw_.primary_domain); }
  std::string_view classifier() const noexcept { return detail::view(raw_.classifier); }
  std::size_t label_count() const noexcept { return raw_.label_count; }
  Label label(std::size_t i) const noexcept {
    // Step by the host's element size (API 1.2), so that baro_label may grow in a minor.
    const bool sized = detail::holds(raw_.struct_size, offsetof(baro_initiative, label_struct_size),
                                     sizeof raw_.label_struct_size) &&
                       raw_.label_struct_size >= sizeof(baro_label);
    const baro_label& l = detail::element(raw_.labels, sized ? raw_.label_struct_size : sizeof(baro_label), i);
    return Label{detail::view(l.domain), detail::view(l.label), l.score, detail::view(l.evidence)};
  }
  std::vector<Label> labels() const {
    std::vector<Label> out;
    out.reserve(raw_.label_count);
    for (std::size_t i = 0; i < raw_.label_count; ++i) out.push_back(label(i));
    return out;
  }
  // The survey's other columns, as a JSON object text.
  std::string_view extra_json() const noexcept { return detail::view(raw_.extra_json); }
  const baro_initiative& raw() const noexcept { return raw_; }

 private:
  const baro_initiative& raw_;
};

// Everything an exporter reads. Valid during run() only, like everything it hands over.
class ExportInput {
 public:
  explicit ExportInput(const baro_export_input& raw) : raw_(raw) {
    const baro_run& r = *raw.run;
    run_.id = r.id;
    run_.ruleset_id = detail::view(r.ruleset_id);
    run_.ruleset_version = detail::view(r.ruleset_version);
    run_.ruleset_hash = detail::view(r.ruleset_hash);
    run_.classifiers_json = detail::view(r.classifiers_json);
    run_.engine_version = detail::view(r.engine_version);
    run_.created_at = detail::view(r.created_at);
    if (detail::holds(r.struct_size, offsetof(baro_run, initiatives), sizeof r.initiatives)) run_.initiatives = r.initiatives;
    if (!run_.classifiers_json.empty()) {
      for (const auto& c : nlohmann::json::parse(run_.classifiers_json)) {
        run_.classifiers.push_back({c.value("name", std::string()), c.value("version", std::string())});
      }
    }
    if (detail::holds(raw.struct_size, offsetof(baro_export_input, domain_struct_size), sizeof raw.domain_struct_size)) {
      for (std::size_t i = 0; i < raw.domain_count; ++i) {
        const baro_domain& d = detail::element(raw.domains, raw.domain_struct_size, i);
        domains_.push_back(Domain{detail::view(d.id), detail::view(d.label), i});
      }
    }
    const auto filters = nlohmann::json::parse(filters_json().empty() ? std::string_view("{}") : filters_json());
    if (filters.contains("batch")) filters_.batch = filters["batch"].get<std::int64_t>();
    if (filters.contains("year")) filters_.year = filters["year"].get<int>();
    if (filters.contains("region")) filters_.region = filters["region"].get<std::string>();
    if (filters.contains("department")) filters_.department = filters["department"].get<std::string>();
  }
  ExportInput(const ExportInput&) = delete;
  ExportInput& operator=(const ExportInput&) = delete;

  const Run& run() const noexcept { return run_; }

  // The rule set's domains, in rule-set order (see Domain). Cheap: no report is computed.
  const std::vector<Domain>& domains() const noexcept { return domains_; }
  // The domain called `id`, or nullptr.
  const Domain* domain(std::string_view id) const noexcept {
    for (const auto& d : domains_) {
      if (d.id == id) return &d;
    }
    return nullptr;
  }

  // The report's aggregates, schema baro-report/2 (docs/report-json.md). The host computes
  // the report only when an exporter first asks for it (it reads the whole run: an exporter
  // that needs only the domains and the initiatives does not pay for it), from the same
  // snapshot as the initiatives; the text and the parsed document are then kept, so calling
  // these again costs nothing. Throws Error when computing it failed (the host reports why).
  std::string_view report_json() const {
    if (!report_text_) {
      if (detail::holds(raw_.struct_size, offsetof(baro_export_input, get_report), sizeof raw_.get_report) &&
          raw_.get_report != nullptr) {
        baro_str json{};
        const std::int32_t status = raw_.get_report(raw_.context, &json);
        // The host has recorded why; this only unwinds the plugin.
        if (status != BARO_OK) throw Error(static_cast<baro_status>(status), "computing the report failed");
        report_text_ = detail::view(json);
      } else {
        report_text_ = detail::view(raw_.report_json);
      }
    }
    return *report_text_;
  }
  const nlohmann::json& report() const {
    if (!report_) report_ = nlohmann::json::parse(report_json());
    return *report_;
  }

  // The filters applied, e.g. {"run": 3, "department": "69"}; filters() is the same, parsed.
  std::string_view filters_json() const noexcept { return detail::view(raw_.filters_json); }
  const Filters& filters() const noexcept { return filters_; }

  // Calls fn(const Initiative&) for every initiative of the run after the filters, in id
  // order; fn may return void, or bool (false stops). It may be called several times (to
  // count first, then write): each pass gives the same initiatives in the same order, since
  // the export reads one snapshot. An exception thrown by fn stops the iteration and
  // propagates out of this call once the host's frames are left behind.
  template <class Fn>
  void for_each_initiative(Fn&& fn) const {
    using Returned = std::invoke_result_t<Fn&, const Initiative&>;
    // An int (or anything else) returned by mistake would be silently ignored: refuse it.
    static_assert(std::is_void_v<Returned> || std::is_same_v<Returned, bool>,
                  "for_each_initiative: the callback must return void, or bool (false stops the iteration)");
    struct Context {
      Fn* fn;
      std::exception_ptr error;
    } context{&fn, nullptr};
    const baro_initiative_fn trampoline = [](void* user, const baro_initiative* raw) noexcept -> std::int32_t {
      auto& c = *static_cast<Context*>(user);
      try {
        const Initiative item(*raw);
        if constexpr (std::is_same_v<Returned, bool>) {
          return (*c.fn)(item) ? 0 : 1;
        } else {
          (*c.fn)(item);
          return 0;
        }
      } catch (...) {
        c.error = std::current_exception();
        return 1;
      }
    };
    const std::int32_t status = raw_.for_each_initiative(raw_.context, trampoline, &context);
    if (context.error) std::rethrow_exception(context.error);
    if (status != BARO_OK && status != BARO_STATUS_STOPPED) {
      // The host has recorded why; this only unwinds the plugin.
      throw Error(static_cast<baro_status>(status), "reading the initiatives failed");
    }
  }

  const baro_export_input& raw() const noexcept { return raw_; }

 private:
  const baro_export_input& raw_;
  Run run_;
  std::vector<Domain> domains_;
  Filters filters_;
  mutable std::optional<std::string_view> report_text_;
  mutable std::optional<nlohmann::json> report_;
};

// The export's destination. write() and stream() may be mixed; output is buffered and
// flushed when run() returns.
class Output {
 public:
  explicit Output(const baro_output& raw) : buffer_(raw), stream_(&buffer_) {}
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void write(std::string_view bytes) {
    stream_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    check();
  }
  std::ostream& stream() noexcept { return stream_; }
  // True when the output is a terminal (and not a file or a pipe).
  bool is_terminal() const noexcept { return buffer_.raw().is_terminal != 0; }

  // Called by the SDK after run(): pushes the buffer out, throws if any write failed.
  void finish() {
    stream_.flush();
    check();
  }

 private:
  class Buffer : public std::streambuf {
   public:
    explicit Buffer(const baro_output& raw) : raw_(raw) { setp(data_, data_ + sizeof data_); }
    const baro_output& raw() const noexcept { return raw_; }
    bool failed() const noexcept { return failed_; }

   protected:
    int_type overflow(int_type c) override {
      if (!drain()) return traits_type::eof();
      if (!traits_type::eq_int_type(c, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
      }
      return traits_type::not_eof(c);
    }
    int sync() override { return drain() ? 0 : -1; }

   private:
    bool drain() noexcept {
      const std::size_t n = static_cast<std::size_t>(pptr() - pbase());
      if (n > 0 && !failed_ && raw_.write(raw_.context, pbase(), n) != BARO_OK) failed_ = true;
      setp(data_, data_ + sizeof data_);
      return !failed_;
    }
    const baro_output& raw_;
    char data_[1 << 16];
    bool failed_ = false;
  };

  void check() const {
    // The host has recorded the reason (e.g. "No space left on device"); this unwinds.
    if (buffer_.failed() || !stream_) throw IoError("writing the output failed");
  }

  Buffer buffer_;
  std::ostream stream_;
};

class Exporter {
 public:
  virtual ~Exporter() = default;
  // Writes the export. Throw OptionError, DataError, IoError (or anything else: it becomes an
  // internal error) to fail; the output written so far is then discarded by the host.
  virtual void run(const ExportInput& input, Output& out) = 0;
};

namespace detail {

template <class T>
struct ExporterGlue {
  static std::int32_t create(const baro_option* options, std::size_t count, const baro_host* host,
                             void** instance) noexcept {
    *instance = nullptr;
    return guard(host, [&] { *instance = static_cast<Exporter*>(new T(Options(options, count, host), Host(host))); });
  }
  static void destroy(void* instance) noexcept { delete static_cast<Exporter*>(instance); }
  static std::int32_t run(void* instance, const baro_export_input* input, const baro_output* output,
                          const baro_host* host) noexcept {
    return guard(host, [&] {
      Output out(*output);
      static_cast<Exporter*>(instance)->run(ExportInput(*input), out);
      out.finish();
    });
  }
  static constexpr baro_exporter_vtable kVtable = {sizeof(baro_exporter_vtable), &create, &destroy, &run};
};

template <class T>
const baro_plugin_descriptor* exporter_descriptor(std::string_view name, std::string_view version,
                                                  std::string_view description) noexcept {
  static const baro_plugin_descriptor d = [&] {
    auto out = make_descriptor(BARO_PLUGIN_EXPORTER, name, version, description, nullptr, 0);
    out.exporter = &ExporterGlue<T>::kVtable;
    return out;
  }();
  return &d;
}

template <class T, std::size_t N>
const baro_plugin_descriptor* exporter_descriptor(std::string_view name, std::string_view version,
                                                  std::string_view description, const Option (&options)[N]) noexcept {
  static const std::array<baro_option_spec, N> specs = to_specs(options);
  static const baro_plugin_descriptor d = [&] {
    auto out = make_descriptor(BARO_PLUGIN_EXPORTER, name, version, description, specs.data(), N);
    out.exporter = &ExporterGlue<T>::kVtable;
    return out;
  }();
  return &d;
}

}  // namespace detail
}  // namespace baro::sdk

// Generates the plugin's one exported symbol for exporter class CLASS. NAME, VERSION and
// DESCRIPTION are string literals; the optional last argument is the option table.
#define BARO_EXPORTER(CLASS, NAME, VERSION, DESCRIPTION, ...)                                    \
  extern "C" BARO_PLUGIN_EXPORT const baro_plugin_descriptor* baro_plugin_entry(void) noexcept { \
    return ::baro::sdk::detail::exporter_descriptor<CLASS>(NAME, VERSION, DESCRIPTION __VA_OPT__(, ) __VA_ARGS__); \
  }
