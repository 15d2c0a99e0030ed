// Internal: a plugin as the host holds it once loaded, and the per-plugin host services
// (logging, the last failure message) that plugin calls receive.
#pragma once

#include <boost/dll/shared_library.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "baro/error.hpp"
#include "baro/plugin_abi.h"
#include "baro/plugins.hpp"

namespace baro::plugin_host {

// What a plugin's calls may use of the host. Its address is the baro_host context, so it
// never moves once made. Each classifier instance has its own (the import pipeline may run
// one instance per thread), so the failure message it keeps belongs to that instance's last
// call; exporters and `plugins describe` use the plugin's own (LoadedPlugin::host).
class HostServices {
 public:
  HostServices(std::string name, std::filesystem::path path);
  HostServices(const HostServices&) = delete;
  HostServices& operator=(const HostServices&) = delete;

  const baro_host* raw() const noexcept { return &host_; }
  // Clears the message of the last failure; call before each plugin call.
  void reset() noexcept { failure_.clear(); }
  const std::string& failure() const noexcept { return failure_; }
  // Host-side failures met while serving the plugin (e.g. a write error): kept so that the
  // error reported is the real cause, not the plugin's echo of it.
  void set_host_failure(Error error) { host_failure_ = std::make_unique<Error>(std::move(error)); }
  const Error* host_failure() const noexcept { return host_failure_.get(); }
  void clear_host_failure() noexcept { host_failure_.reset(); }

  // The baro::Error for a failed call: the host's own failure if there was one, else the
  // plugin's status and message, naming the plugin and its file.
  Error error_for(std::int32_t status, const std::string& during) const;

 private:
  static void log(void* context, std::int32_t level, baro_str message) noexcept;
  static void fail(void* context, baro_str message) noexcept;

  std::string name_;
  std::filesystem::path path_;
  std::string failure_;
  std::unique_ptr<Error> host_failure_;
  baro_host host_{};
};

// baro_host.add_vetoed (plugin API 1.1): `result` is the sink a classifier's classify() call
// received (plugin_classifier.cpp).
void add_vetoed_to_result(void* result, baro_str rule_ids) noexcept;

struct LoadedPlugin {
  PluginInfo info;
  const baro_plugin_descriptor* descriptor = nullptr;  // null for built-ins and failures
  // The descriptor's option table read at the plugin's element size into the host's struct
  // (fields a plugin built for an older minor lacks are zero: empty strings).
  std::vector<baro_option_spec> options;
  std::unique_ptr<boost::dll::shared_library> library;
  std::unique_ptr<HostServices> host;
};

// Checks, loads and validates the plugin file `path` found in folder `dir`. Never throws
// for a bad plugin: the result then has info.loaded == false and info.error set.
std::unique_ptr<LoadedPlugin> load_plugin_file(const std::filesystem::path& dir, const std::filesystem::path& path);

inline std::string_view view(baro_str s) noexcept {
  return s.size == 0 || s.data == nullptr ? std::string_view() : std::string_view(s.data, s.size);
}
inline baro_str str(std::string_view s) noexcept { return baro_str{s.data(), s.size()}; }

// Sizes of the structs as API 1.1 laid them out, for plugins built against it: the
// descriptor ended with `classifier`, option specs had four fields, options two.
inline constexpr std::size_t kDescriptorSize11 = offsetof(baro_plugin_descriptor, option_spec_struct_size);
inline constexpr std::size_t kOptionSpecSize11 = offsetof(baro_option_spec, choices);
inline constexpr std::size_t kOptionSize11 = offsetof(baro_option, given);

}  // namespace baro::plugin_host
