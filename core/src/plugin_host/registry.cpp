#include "plugin_host/registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include "baro/version.hpp"
#include "plugin_host/options.hpp"

namespace baro {
namespace fs = std::filesystem;

std::string_view to_string(PluginKind kind) {
  return kind == PluginKind::kExporter ? "exporter" : "classifier";
}

namespace {

std::vector<fs::path> split_path_list(const char* list) {
  std::vector<fs::path> out;
  if (list == nullptr) return out;
  std::string_view rest(list);
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const auto part = rest.substr(0, colon);
    if (!part.empty()) out.emplace_back(part);
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return out;
}

fs::path installed_plugin_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path().parent_path() / "lib" / "baro" / "plugins";
}

// Built-ins are registered explicitly, as Fluent Bit registers its own: nothing depends on
// static initialisers that a linker may drop.
void register_builtin_plugins(std::vector<std::unique_ptr<plugin_host::LoadedPlugin>>& plugins) {
  auto rules = std::make_unique<plugin_host::LoadedPlugin>();
  rules->info.name = kRulesClassifierName;
  rules->info.kind = PluginKind::kClassifier;
  rules->info.version = kVersion;
  rules->info.description = "the RE2 keyword rules engine over the rule set (--rules); the default classifier";
  rules->info.api_version = std::to_string(BARO_PLUGIN_API_MAJOR) + "." + std::to_string(BARO_PLUGIN_API_MINOR);
  rules->info.built_in = true;
  rules->info.loaded = true;
  plugins.push_back(std::move(rules));
}

std::string available(const std::vector<PluginInfo>& infos, PluginKind kind) {
  std::string names;
  for (const auto& p : infos) {
    if (!p.loaded || p.kind != kind) continue;
    names += names.empty() ? "" : ", ";
    names += p.name;
  }
  return names.empty() ? "none" : names;
}

}  // namespace

const plugin_host::LoadedPlugin* PluginRegistry::Impl::find(const PluginInfo& info) const {
  for (const auto& p : plugins) {
    if (&p->info == &info || (p->info.loaded && p->info.name == info.name && p->info.path == info.path)) return p.get();
  }
  return nullptr;
}

PluginRegistry::PluginRegistry() : impl_(std::make_unique<Impl>()) {}
PluginRegistry::~PluginRegistry() = default;

std::unique_ptr<PluginRegistry> PluginRegistry::load(const PluginSearchOptions& options) {
  std::unique_ptr<PluginRegistry> registry(new PluginRegistry());
  Impl& impl = *registry->impl_;
  for (const auto& dir : options.plugin_path) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      throw no_input_error("no plugin folder here", {dir.string()}, "--plugin-path names a folder holding *.so plugins");
    }
    impl.search_path.push_back(dir);
  }
  if (options.use_environment) {
    for (auto& dir : split_path_list(std::getenv("BARO_PLUGIN_PATH"))) impl.search_path.push_back(std::move(dir));
    if (const char* home = std::getenv("HOME"); home != nullptr && *home) {
      impl.search_path.push_back(fs::path(home) / ".local" / "lib" / "baro" / "plugins");
    }
  }
  const fs::path installed = options.installed_dir.empty() ? installed_plugin_dir() : options.installed_dir;
  if (!installed.empty()) impl.search_path.push_back(installed);

  register_builtin_plugins(impl.plugins);
  std::set<fs::path> seen;  // the same file reached through two folders is one plugin
  for (const auto& dir : impl.search_path) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".so") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      const fs::path canonical = fs::weakly_canonical(file, ec);
      if (!seen.insert(ec ? file : canonical).second) continue;
      // One at a time, in a fixed order: a plugin's load-time code never races another's.
      auto plugin = plugin_host::load_plugin_file(dir, file);
      if (plugin->info.loaded) {
        for (const auto& other : impl.plugins) {
          if (!other->info.loaded || other->info.name != plugin->info.name) continue;
          const std::string where = other->info.built_in ? "the built-in one" : other->info.path.string();
          plugin->info.error = "another plugin is already called \"" + plugin->info.name + "\" (" + where +
                               ", found first); refused: rename or remove one of them";
          plugin->info.loaded = false;
          plugin->descriptor = nullptr;
          break;
        }
      }
      impl.plugins.push_back(std::move(plugin));
    }
  }
  for (const auto& p : impl.plugins) impl.infos.push_back(p->info);
  return registry;
}

const std::vector<fs::path>& PluginRegistry::search_path() const noexcept { return impl_->search_path; }
const std::vector<PluginInfo>& PluginRegistry::plugins() const noexcept { return impl_->infos; }

const PluginInfo& PluginRegistry::require(std::string_view name, PluginKind kind) const {
  for (const auto& p : impl_->infos) {
    if (!p.loaded || p.name != name) continue;
    if (p.kind != kind) {
      const auto with_article = [](PluginKind k) {
        return std::string(k == PluginKind::kExporter ? "an " : "a ") + std::string(to_string(k));
      };
      throw config_error("plugin " + std::string(name) + " is " + (p.kind ? with_article(*p.kind) : "of an unknown kind") +
                             ", not " + with_article(kind),
                         {p.path.string()},
                         "available " + std::string(to_string(kind)) + "s: " + available(impl_->infos, kind));
    }
    return p;
  }
  Error error = config_error("no " + std::string(to_string(kind)) + " plugin called \"" + std::string(name) + "\"", {},
                             "available " + std::string(to_string(kind)) + "s: " + available(impl_->infos, kind) +
                                 "; `baro plugins list` shows every plugin found and why any failed");
  for (const auto& p : impl_->infos) {
    if (p.loaded) continue;
    // A failed plugin might have been the one asked for: say why it failed.
    const bool same_name = p.name == name;
    const bool file_named_alike = p.path.stem().string().find(name) != std::string::npos;
    if (same_name || file_named_alike) error.add_detail(p.path.string() + ": " + p.error);
  }
  throw error;
}

PluginOptionValues PluginRegistry::resolve_options(const PluginInfo& plugin, const PluginOptionValues& given) const {
  const auto* loaded = impl_->find(plugin);
  static const std::vector<baro_option_spec> kNone;
  const std::vector<baro_option_spec>& specs = loaded != nullptr && loaded->descriptor != nullptr ? loaded->options : kNone;
  const std::size_t count = specs.size();
  auto known = [&] {
    std::string names;
    for (std::size_t i = 0; i < count; ++i) names += (names.empty() ? "--" : ", --") + std::string(plugin_host::view(specs[i].name));
    return names.empty() ? std::string("it takes no options") : "its options: " + names;
  };
  for (const auto& [name, value] : given) {
    bool found = false;
    for (std::size_t i = 0; i < count; ++i) found = found || plugin_host::view(specs[i].name) == name;
    if (!found) {
      throw usage_error("plugin " + plugin.name + " has no option --" + name,
                        known() + " (`baro plugins describe " + plugin.name + "`)");
    }
  }
  PluginOptionValues out;
  for (std::size_t i = 0; i < count; ++i) {
    const baro_option_spec& spec = specs[i];
    const std::string name(plugin_host::view(spec.name));
    std::string value(plugin_host::view(spec.default_value));
    for (const auto& [given_name, given_value] : given) {
      if (given_name == name) value = given_value;  // the last one given wins
    }
    if (auto problem = plugin_host::option_value_problem(spec, value); !problem.empty()) {
      throw usage_error("--" + name + " " + value + ": " + problem + " (option of plugin " + plugin.name + ")",
                        "`baro plugins describe " + plugin.name + "` lists its options");
    }
    out.emplace_back(name, plugin_host::normalize_option_value(spec, value));
  }
  return out;
}

std::unique_ptr<Classifier> PluginRegistry::make_classifier(std::string_view name, const PluginOptionValues& options,
                                                            const RuleEngine& engine) const {
  const PluginInfo& info = require(name, PluginKind::kClassifier);
  const PluginOptionValues resolved = resolve_options(info, options);
  if (info.built_in) return std::make_unique<RulesClassifier>(engine);
  return plugin_host::make_plugin_classifier(*impl_->find(info), resolved, options, engine);
}

namespace plugin_host {
COptions::COptions(const LoadedPlugin& plugin, const PluginOptionValues& values, const PluginOptionValues& given)
    : legacy_(plugin.descriptor != nullptr && plugin.descriptor->api_minor < 2) {
  for (const auto& [name, value] : values) {
    bool was_given = false;
    for (const auto& g : given) was_given = was_given || g.first == name;
    full_.push_back({str(name), str(value), was_given ? 1 : 0});
    old_.push_back({str(name), str(value)});
  }
}
}  // namespace plugin_host

}  // namespace baro
