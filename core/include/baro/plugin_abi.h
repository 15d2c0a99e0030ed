/* The binary boundary between Baro and its plugins, in plain C.
 *
 * A plugin is a shared library that exports exactly one symbol, `baro_plugin_entry`, a
 * function returning a pointer to a static baro_plugin_descriptor. Everything the host and
 * the plugin exchange goes through the structs below: fixed-size integers, doubles, function
 * pointers and strings as pointer + length (baro_str, not NUL-terminated). No C++ type, no
 * exception and no allocation crosses this line, so a plugin built with another compiler or
 * another standard library still works, and a plugin can be written in C.
 *
 * Partners do not normally use this header directly: baro/sdk.hpp wraps it in a C++ class
 * to derive from and one macro that generates the entry symbol (docs/plugins.md).
 *
 * Versioning. BARO_PLUGIN_API_MAJOR changes when anything here changes incompatibly (a field
 * removed, reordered or retyped, a meaning changed); the host refuses a plugin whose major
 * differs. BARO_PLUGIN_API_MINOR grows when something is appended (a field at the end of a
 * struct, a new callback, a new enum value); the host refuses a plugin built against a newer
 * minor than its own, and accepts older ones. Every struct that may grow begins with
 * `struct_size`, set by whoever fills it in, so the reader knows which fields exist.
 * Structs passed as arrays (baro_option_spec, baro_option, baro_label, baro_domain) cannot
 * begin with one, so since API 1.2 each array's element size travels beside it
 * (option_spec_struct_size, option_struct_size, label_struct_size, domain_struct_size): the
 * reader steps through the array by that size, never by its own sizeof, and reads a field
 * only when the element size covers it. baro_str is the one array element that never grows.
 * A host keeps giving a plugin built for an older minor the element sizes it knows.
 *
 * Ownership. Whoever allocates, frees: strings and arrays the host passes are valid only for
 * the duration of the call that receives them; the descriptor, option table and vtables a
 * plugin returns must live as long as the library (static storage); instances made by a
 * plugin's `create` are released by the same plugin's `destroy`.
 *
 * Errors. Every entry point returns a baro_status; on failure it first gives a message to
 * the host through baro_host.fail(). Entry points must not let an exception or a longjmp
 * escape: the SDK's wrapper catches everything at the boundary.
 */
#ifndef BARO_PLUGIN_ABI_H_
#define BARO_PLUGIN_ABI_H_

#include <stddef.h>
#include <stdint.h>

#define BARO_PLUGIN_API_MAJOR 1
#define BARO_PLUGIN_API_MINOR 2

/* The one symbol a plugin exports. */
#define BARO_PLUGIN_ENTRY_NAME "baro_plugin_entry"

#if defined(_WIN32)
#define BARO_PLUGIN_EXPORT __declspec(dllexport)
#else
#define BARO_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#define BARO_NOEXCEPT noexcept
#else
#define BARO_NOEXCEPT
#endif

/* UTF-8 text, not NUL-terminated. {NULL, 0} is the empty string. */
typedef struct baro_str {
  const char* data;
  size_t size;
} baro_str;

typedef enum baro_plugin_kind {
  BARO_PLUGIN_EXPORTER = 1,   /* writes the results somewhere (a format, a service) */
  BARO_PLUGIN_CLASSIFIER = 2  /* assigns domains to an initiative's text */
} baro_plugin_kind;

typedef enum baro_status {
  BARO_OK = 0,
  BARO_STATUS_BAD_OPTION = 1, /* an option value the plugin cannot use */
  BARO_STATUS_DATA = 2,       /* the data cannot be handled (e.g. an unknown domain) */
  BARO_STATUS_IO = 3,         /* writing the output or reading a resource failed */
  BARO_STATUS_INTERNAL = 4,   /* a bug, or an unexpected exception caught at the boundary */
  BARO_STATUS_STOPPED = 5     /* a host callback asked to stop (its own failure is reported) */
} baro_status;

typedef enum baro_option_type {
  BARO_OPTION_STRING = 1,
  BARO_OPTION_BOOL = 2,   /* values are exactly "true" or "false" when they reach the plugin */
  BARO_OPTION_INT = 3,    /* a decimal integer, checked by the host */
  BARO_OPTION_NUMBER = 4, /* a decimal number, checked by the host */
  BARO_OPTION_CHOICE = 5  /* since 1.2: one of the spec's `choices`, checked by the host */
} baro_option_type;

/* One entry of a plugin's static option table: `baro plugins describe` prints it, and the
 * host refuses options that are not in it or whose value does not fit the type. An array:
 * see baro_plugin_descriptor.option_spec_struct_size. */
typedef struct baro_option_spec {
  baro_str name;          /* lower-case, e.g. "delimiter"; given as --delimiter on the CLI */
  int32_t type;           /* baro_option_type */
  baro_str default_value; /* as text; what the plugin receives when the user gives none */
  baro_str description;
  /* Since API 1.2 (present when the element size covers them); empty means none: */
  baro_str choices;       /* BARO_OPTION_CHOICE: the allowed values, separated by '|' */
  baro_str minimum;       /* BARO_OPTION_INT / NUMBER: the lowest allowed value, as text */
  baro_str maximum;       /* BARO_OPTION_INT / NUMBER: the highest allowed value, as text */
} baro_option_spec;

/* An option as the plugin receives it: every option of its table, in table order, with the
 * user's value or the default. An array: see baro_host.option_struct_size. */
typedef struct baro_option {
  baro_str name;
  baro_str value;
  /* Since API 1.2 (present when baro_host.option_struct_size covers it): */
  int32_t given;          /* 1 when the user gave the value, 0 when it is the default */
} baro_option;

typedef enum baro_log_level { BARO_LOG_INFO = 1, BARO_LOG_WARNING = 2 } baro_log_level;

/* What the host offers every call. `log` writes to stderr prefixed with the plugin's name
 * (stdout belongs to the CLI and the export). `fail` records the message of the failure the
 * call is about to return; the host prints it with the plugin's name and file. */
typedef struct baro_host {
  size_t struct_size;
  void* context;
  void (*log)(void* context, int32_t level, baro_str message) BARO_NOEXCEPT;
  void (*fail)(void* context, baro_str message) BARO_NOEXCEPT;
  /* Since API 1.1 (present when struct_size covers it): during a classifier's classify()
   * only, records the rules that matched but were vetoed (e.g. by an `unless`), as
   * space-separated ids; `result` is the pointer classify() received. The host stores them
   * in classifications.vetoed, as it does for the built-in rules engine. */
  void (*add_vetoed)(void* result, baro_str rule_ids) BARO_NOEXCEPT;
  /* Since API 1.2: the element size of the baro_option arrays create() receives. */
  size_t option_struct_size;
} baro_host;

/* ---- exporters ------------------------------------------------------------------------- */

/* The classification run being exported. */
typedef struct baro_run {
  size_t struct_size;
  int64_t id;
  baro_str ruleset_id;
  baro_str ruleset_version;
  baro_str ruleset_hash;     /* 32 hex digits */
  baro_str classifiers_json; /* [{"name": …, "version": …}], in chain order */
  baro_str engine_version;
  baro_str created_at;       /* ISO 8601 UTC */
  /* Since API 1.2 (present when struct_size covers it): */
  int64_t initiatives;       /* how many initiatives for_each_initiative gives (after the filters) */
} baro_run;

/* A domain of the run's rule set (API 1.2). Handed over as an array: step through it by the
 * element size given beside it (baro_export_input.domain_struct_size), not by sizeof, so that
 * a later minor can append fields. */
typedef struct baro_domain {
  baro_str id;    /* e.g. "acces" */
  baro_str label; /* e.g. "Accès et inclusion numérique" */
} baro_domain;

/* A domain an initiative touches in the run. An array: see baro_initiative.label_struct_size. */
typedef struct baro_label {
  baro_str domain;   /* e.g. "acces" */
  baro_str label;    /* e.g. "Accès et inclusion numérique" */
  double score;
  baro_str evidence; /* what fired: space-separated rule ids for the rules classifier */
} baro_label;

/* One initiative with its commune's attributes and its labels in the run. */
typedef struct baro_initiative {
  size_t struct_size;
  int64_t id;              /* Baro's id */
  int64_t batch_id;
  baro_str source_id;      /* the id in the survey file (else its record number) */
  baro_str title;          /* may be empty */
  baro_str description;
  int32_t year;            /* 0: not given */
  int32_t rural;           /* 1 rural, 0 urban, -1 not given (see docs/schema.md) */
  baro_str commune_code;   /* INSEE code */
  baro_str commune_name;
  baro_str department;     /* e.g. "69", "2A", "971" */
  baro_str region;         /* INSEE region code; may be empty */
  int64_t population;      /* municipal population; -1 unknown */
  baro_str primary_domain; /* empty: unclassified */
  baro_str classifier;     /* the classifier that produced the labels; empty if none did */
  const baro_label* labels;
  size_t label_count;
  baro_str extra_json;     /* the survey's other columns, a JSON object */
  /* Since API 1.2 (present when struct_size covers it): the element size of `labels`. */
  size_t label_struct_size;
} baro_initiative;

/* Called once per initiative; return 0 to go on, non-zero to stop the iteration.
 * for_each_initiative may be called several times during one run(): every pass gives the
 * same initiatives in the same order (the export reads one snapshot of the database). */
typedef int32_t (*baro_initiative_fn)(void* user, const baro_initiative* initiative) BARO_NOEXCEPT;

/* What an exporter reads. The data comes from a read-only connection to the database. */
typedef struct baro_export_input {
  size_t struct_size;
  const baro_run* run;
  /* The report's aggregates: the JSON document of docs/report-json.md (baro-report/2).
   * Filled only for plugins built against API 1.0 or 1.1; since 1.2 it is {NULL, 0} and the
   * report comes from get_report(), computed only if the plugin asks. */
  baro_str report_json;
  /* The filters applied (run, batch, year, region, department) as a JSON object. */
  baro_str filters_json;
  void* context;
  /* Calls `fn` for every initiative of the run (after the filters), in id order. Returns
   * BARO_OK, BARO_STATUS_STOPPED when `fn` asked to stop, or another status when reading
   * the database failed (the host has then recorded the reason). */
  int32_t (*for_each_initiative)(void* context, baro_initiative_fn fn, void* user) BARO_NOEXCEPT;
  /* Since API 1.2 (present when struct_size covers them): */
  /* The run's domains, in rule-set order (the order of the report's rows), including those
   * no initiative has. Element i is at (const char*)domains + i * domain_struct_size. */
  const baro_domain* domains;
  size_t domain_count;
  size_t domain_struct_size;
  /* The report document (as report_json above), computed by the host on the first call of
   * the export, from the same read snapshot as the initiatives, and kept: later calls give
   * the same text at no cost. Sets *json (valid until run() returns) and returns BARO_OK, or
   * returns another status when computing it failed (the host has recorded the reason). */
  int32_t (*get_report)(void* context, baro_str* json) BARO_NOEXCEPT;
} baro_export_input;

/* Where an exporter writes: the host's stream (standard output, or a temporary file beside
 * the target that is renamed only when the export succeeds). */
typedef struct baro_output {
  size_t struct_size;
  void* context;
  /* Returns BARO_OK or BARO_STATUS_IO (the host has recorded the reason). */
  int32_t (*write)(void* context, const char* data, size_t size) BARO_NOEXCEPT;
  int32_t is_terminal; /* 1 when writing to a terminal (colour, widths), else 0 */
} baro_output;

typedef struct baro_exporter_vtable {
  size_t struct_size;
  /* Makes an instance from the options (see baro_option). */
  int32_t (*create)(const baro_option* options, size_t option_count, const baro_host* host,
                    void** instance) BARO_NOEXCEPT;
  void (*destroy)(void* instance) BARO_NOEXCEPT;
  /* Writes the export. Called at most once per instance. */
  int32_t (*run)(void* instance, const baro_export_input* input, const baro_output* output,
                 const baro_host* host) BARO_NOEXCEPT;
} baro_exporter_vtable;

/* ---- classifiers ----------------------------------------------------------------------- */

/* What a classifier is created for: the rule set of the run (its domains are the only ids a
 * classifier may return; a classifier may also read the rule files themselves). */
typedef struct baro_classifier_context {
  size_t struct_size;
  baro_str ruleset_dir;
  baro_str ruleset_id;
  baro_str ruleset_version;
  baro_str ruleset_hash;
  const baro_str* domains; /* domain ids, in rule-set order */
  size_t domain_count;
} baro_classifier_context;

/* Adds a domain to the result of one classify() call. `domain` must be one of the context's
 * domain ids; the domain with the highest score becomes the primary one (ties: rule-set
 * order); a score <= 0 is ignored. `evidence` says why (rule ids, a model's feature…). */
typedef void (*baro_add_domain_fn)(void* result, baro_str domain, double score,
                                   baro_str evidence) BARO_NOEXCEPT;

typedef struct baro_classifier_vtable {
  size_t struct_size;
  int32_t (*create)(const baro_option* options, size_t option_count,
                    const baro_classifier_context* context, const baro_host* host,
                    void** instance) BARO_NOEXCEPT;
  void (*destroy)(void* instance) BARO_NOEXCEPT;
  /* Classifies one text. `folded` is the same text as the rules engine matches it: Unicode
   * lower case, diacritics removed (é→e, ç→c), ligatures spelled out (œ→oe).
   * Adding nothing means "unclassified": the next classifier of the chain gets the text. */
  int32_t (*classify)(void* instance, baro_str text, baro_str folded, void* result,
                      baro_add_domain_fn add, const baro_host* host) BARO_NOEXCEPT;
} baro_classifier_vtable;

/* ---- the descriptor -------------------------------------------------------------------- */

typedef struct baro_plugin_descriptor {
  /* These three come first and never move: the host reads them before anything else. */
  uint32_t api_major;  /* BARO_PLUGIN_API_MAJOR the plugin was built against */
  uint32_t api_minor;  /* BARO_PLUGIN_API_MINOR the plugin was built against */
  size_t struct_size;  /* sizeof(baro_plugin_descriptor) the plugin was built with */
  int32_t kind;        /* baro_plugin_kind */
  baro_str name;       /* unique among loaded plugins: [a-z0-9_-], starts with a letter */
  baro_str version;    /* the plugin's own version; change it whenever its output changes */
  baro_str description;
  const baro_option_spec* options;
  size_t option_count;
  const baro_exporter_vtable* exporter;     /* set when kind == BARO_PLUGIN_EXPORTER */
  const baro_classifier_vtable* classifier; /* set when kind == BARO_PLUGIN_CLASSIFIER */
  /* Since API 1.2 (present when struct_size covers it): sizeof(baro_option_spec) the plugin
   * was built with, the step of `options`. Older descriptors have 1.1's four fields. */
  size_t option_spec_struct_size;
} baro_plugin_descriptor;

typedef const baro_plugin_descriptor* (*baro_plugin_entry_fn)(void) BARO_NOEXCEPT;

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* BARO_PLUGIN_ABI_H_ */
