// Internal: the registry's state, shared by the loader, the export runner and the classifier
// adapter.
#pragma once

#include <memory>
#include <vector>

#include "baro/plugins.hpp"
#include "plugin_host/loaded_plugin.hpp"

namespace baro {

struct PluginRegistry::Impl {
  std::vector<std::filesystem::path> search_path;
  std::vector<std::unique_ptr<plugin_host::LoadedPlugin>> plugins;  // built-ins first
  std::vector<PluginInfo> infos;                                     // the same, for plugins()

  const plugin_host::LoadedPlugin* find(const PluginInfo& info) const;
};

namespace plugin_host {
// The descriptor's option table completed and checked (see PluginRegistry::resolve_options),
// as the C structs create() receives; the strings live in `values`.
std::vector<baro_option> to_c_options(const PluginOptionValues& values);
std::unique_ptr<Classifier> make_plugin_classifier(const LoadedPlugin& plugin, const PluginOptionValues& options,
                                                   const RuleEngine& engine);
}  // namespace plugin_host

}  // namespace baro
