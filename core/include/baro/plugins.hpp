// The plugin host: finding, checking and loading plugins, and running them.
//
// Plugins are shared libraries (docs/plugins.md) found in, in this order: the --plugin-path
// folders, the folders of $BARO_PLUGIN_PATH (colon-separated), ~/.local/lib/baro/plugins, and
// <prefix>/lib/baro/plugins beside the executable (the build tree mirrors the install tree).
// Each `*.so` there is checked before it is loaded, then loaded with Boost.DLL, one at a time:
//   - refused without loading: a file or folder writable by others, a file owned by neither
//     the user nor root (loading runs the library's code);
//   - loaded with RTLD_NOW | RTLD_LOCAL, so an unresolved symbol fails the load instead of
//     killing the process at its first call, and plugins cannot see each other's symbols;
//   - its one entry symbol is called and the descriptor's API major must equal the host's and
//     its minor must not be newer, before anything else of the plugin is used;
//   - a second plugin with a name already taken is refused, naming both files.
// A plugin that fails is recorded with the reason (`baro plugins list` shows it) and the
// others still load. Libraries are never unloaded while the process runs: objects and
// function pointers from a plugin may outlive any handle to it.
//
// The built-in RE2 rules engine is registered explicitly as the classifier "rules".
//
// Thread-safety: load once at start-up, from one thread; afterwards the registry is
// read-only and may be shared.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "baro/classifier.hpp"
#include "baro/report.hpp"
#include "baro/rules.hpp"
#include "baro/store.hpp"

namespace baro {

enum class PluginKind { kExporter = 1, kClassifier = 2 };
std::string_view to_string(PluginKind kind);

struct PluginOptionInfo {
  std::string name;
  std::string type;  // "string", "bool", "int", "number", "choice"
  std::string default_value;
  std::string description;
  std::vector<std::string> choices;  // "choice": the allowed values
  std::string minimum, maximum;      // "int", "number": the bounds as written; empty: none
};

struct PluginInfo {
  std::string name;         // empty when the plugin failed before its name was known
  std::optional<PluginKind> kind;
  std::string version;
  std::string description;
  std::string api_version;  // "MAJOR.MINOR" the plugin was built against
  std::filesystem::path path;  // empty for built-ins
  bool built_in = false;
  bool loaded = false;      // usable; when false, `error` says why
  std::string error;
  std::vector<PluginOptionInfo> options;
};

struct PluginSearchOptions {
  std::vector<std::filesystem::path> plugin_path;  // --plugin-path folders, searched first
  // Also search $BARO_PLUGIN_PATH and ~/.local/lib/baro/plugins.
  bool use_environment = true;
  // <prefix>/lib/baro/plugins; empty: found from the running executable (/proc/self/exe).
  std::filesystem::path installed_dir;
};

// Plugin options as given on the command line, in order: ("excel", "true"), ("delimiter", ";").
using PluginOptionValues = std::vector<std::pair<std::string, std::string>>;

struct ExportRequest {
  std::string exporter;          // plugin name
  PluginOptionValues options;
  ReportOptions filters;         // which run, and which of its initiatives
  // Empty or "-": standard output. A regular file (or a new path) is written beside and
  // renamed into place once the export succeeded; a symbolic link is followed and its target
  // replaced; a FIFO or a device is written directly.
  std::filesystem::path out;
};

class PluginRegistry {
 public:
  // Registers the built-ins, then finds and loads every plugin of the search path. Never
  // throws for a bad plugin (it is recorded as failed); throws baro::Error (kNoInput) for a
  // --plugin-path folder that does not exist.
  static std::unique_ptr<PluginRegistry> load(const PluginSearchOptions& options = {});
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // The folders searched, in order (existing or not).
  const std::vector<std::filesystem::path>& search_path() const noexcept;
  // Built-ins first, then every plugin file found, loaded or not, in search order.
  const std::vector<PluginInfo>& plugins() const noexcept;
  // The loaded plugin called `name`, or the reason there is none: throws baro::Error
  // (kConfig) naming what is available, and why a file that might have been it failed.
  const PluginInfo& require(std::string_view name, PluginKind kind) const;

  // Checks `given` against the plugin's option table (unknown names and values that do not
  // fit the type are usage errors listing the valid options) and completes it with the
  // defaults, in table order.
  PluginOptionValues resolve_options(const PluginInfo& plugin, const PluginOptionValues& given) const;

  // Runs exporter `request.exporter` on `store`, which must be opened read-only. With
  // `request.out`, writes a temporary file beside it and renames it into place only when
  // the exporter succeeds; on any failure no file is left behind. Throws baro::Error: the
  // plugin's own failures are kConfig (bad option), kDataError, kIoError or kInternal,
  // named with the plugin and its file.
  void run_export(const Store& store, const ExportRequest& request) const;

  // A classifier by name: "rules" is the built-in engine over `engine`; any other name is a
  // loaded classifier plugin created for `engine`'s rule set with `options`.
  std::unique_ptr<Classifier> make_classifier(std::string_view name, const PluginOptionValues& options,
                                              const RuleEngine& engine) const;

 private:
  struct Impl;
  PluginRegistry();
  std::unique_ptr<Impl> impl_;
};

}  // namespace baro
