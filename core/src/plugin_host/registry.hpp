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
// as the C array create() receives: baro_option with `given` (the user gave it, by name in
// `given`) for plugins of API 1.2 and later, 1.1's two-field struct for older ones, whose
// step through the array is their own sizeof. The strings live in `values`.
class COptions {
 public:
  COptions(const LoadedPlugin& plugin, const PluginOptionValues& values, const PluginOptionValues& given);
  const baro_option* data() const noexcept {
    return legacy_ ? reinterpret_cast<const baro_option*>(old_.data()) : full_.data();
  }
  std::size_t size() const noexcept { return full_.size(); }

 private:
  struct Option11 {  // baro_option as API 1.1 laid it out
    baro_str name, value;
  };
  static_assert(sizeof(Option11) == kOptionSize11);
  bool legacy_;
  std::vector<baro_option> full_;
  std::vector<Option11> old_;
};
std::unique_ptr<Classifier> make_plugin_classifier(const LoadedPlugin& plugin, const PluginOptionValues& options,
                                                   const PluginOptionValues& given, const RuleEngine& engine);
}  // namespace plugin_host

}  // namespace baro
