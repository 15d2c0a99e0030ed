#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <mutex>

#include "plugin_host/loaded_plugin.hpp"
#include "plugin_host/options.hpp"

namespace baro::plugin_host {
namespace fs = std::filesystem;

HostServices::HostServices(std::string name, fs::path path) : name_(std::move(name)), path_(std::move(path)) {
  host_.struct_size = sizeof(baro_host);
  host_.context = this;
  host_.log = &HostServices::log;
  host_.fail = &HostServices::fail;
  host_.add_vetoed = &add_vetoed_to_result;
  host_.option_struct_size = sizeof(baro_option);
}

void HostServices::log(void* context, std::int32_t level, baro_str message) noexcept {
  auto* self = static_cast<HostServices*>(context);
  // Instances on several pipeline threads may log at once: one line at a time.
  static std::mutex stderr_lines;
  try {
    const std::lock_guard lock(stderr_lines);
    std::cerr << "baro: plugin " << self->name_ << ": " << (level == BARO_LOG_WARNING ? "warning: " : "")
              << view(message) << '\n';
  } catch (...) {
    // A log line that cannot be written is not worth failing the plugin's work for.
  }
}

void HostServices::fail(void* context, baro_str message) noexcept {
  auto* self = static_cast<HostServices*>(context);
  try {
    self->failure_.assign(view(message));
  } catch (...) {
    self->failure_.clear();
  }
}

Error HostServices::error_for(std::int32_t status, const std::string& during) const {
  if (host_failure_) return *host_failure_;
  ExitCode code = ExitCode::kInternal;
  std::string hint;
  switch (status) {
    case BARO_STATUS_BAD_OPTION:
      code = ExitCode::kUsage;
      hint = "`baro plugins describe " + name_ + "` lists its options";
      break;
    case BARO_STATUS_DATA:
      code = ExitCode::kDataError;
      break;
    case BARO_STATUS_IO:
      code = ExitCode::kIoError;
      break;
    default:
      hint = "this is a bug in the plugin " + name_ + " (" + path_.string() + "); report it to its authors";
      break;
  }
  const std::string reason = failure_.empty() ? "failed with status " + std::to_string(status) + " and no message" : failure_;
  return Error(code, "plugin " + name_ + " failed " + during + ": " + reason, {path_.string()}, hint);
}

namespace {

// Reasons not to load a file at all: loading runs its code, so a file anyone could have
// replaced is as good as anyone's code.
std::string permission_problem(const fs::path& dir, const fs::path& path) {
  struct stat st {};
  for (const fs::path& folder : {dir, fs::path(path).parent_path()}) {
    if (::stat(folder.c_str(), &st) != 0) return "cannot inspect its folder " + folder.string() + ": " + std::strerror(errno);
    if ((st.st_mode & S_IWOTH) != 0) {
      return "its folder " + folder.string() + " is writable by every user, so anyone could have put it there; "
             "refused (chmod o-w the folder, or move the plugin)";
    }
  }
  if (::stat(path.c_str(), &st) != 0) return std::string("cannot inspect the file: ") + std::strerror(errno);
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  if (st.st_uid != ::geteuid() && st.st_uid != 0) {
    return "owned by user id " + std::to_string(st.st_uid) + ", neither you nor root; refused";
  }
  if ((st.st_mode & S_IWOTH) != 0) return "writable by every user; refused (chmod o-w it)";
  return {};
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

std::size_t option_spec_size(const baro_plugin_descriptor& d);

// The option table at the plugin's element size, copied into the host's struct; the fields
// an older plugin's element lacks stay zero (empty).
std::vector<baro_option_spec> read_option_specs(const baro_plugin_descriptor& d) {
  std::vector<baro_option_spec> out(d.option_count);
  const std::size_t size = option_spec_size(d);
  for (std::size_t i = 0; i < d.option_count; ++i) {
    std::memcpy(&out[i], reinterpret_cast<const char*>(d.options) + i * size, std::min(size, sizeof(baro_option_spec)));
  }
  return out;
}

// The step through the descriptor's option table: the size the plugin declares (API 1.2),
// else 1.1's.
std::size_t option_spec_size(const baro_plugin_descriptor& d) {
  const bool declared = d.struct_size >= offsetof(baro_plugin_descriptor, option_spec_struct_size) +
                                             sizeof d.option_spec_struct_size;
  return declared ? d.option_spec_struct_size : kOptionSpecSize11;
}

// Everything about the descriptor the host relies on, checked before any plugin call.
std::string descriptor_problem(const baro_plugin_descriptor& d) {
  const std::size_t expected = d.api_minor >= 2 ? sizeof(baro_plugin_descriptor) : kDescriptorSize11;
  if (d.struct_size < expected) {
    return "its descriptor is " + std::to_string(d.struct_size) + " bytes, smaller than API " +
           std::to_string(d.api_major) + "." + std::to_string(d.api_minor) + " defines";
  }
  if (d.option_count > 0 && option_spec_size(d) < kOptionSpecSize11) {
    return "its option table's element size " + std::to_string(option_spec_size(d)) + " is smaller than any API's";
  }
  if (!valid_name(view(d.name))) {
    return "its name \"" + std::string(view(d.name)) + "\" is not valid (lower-case letters, digits, '-' and '_', "
           "starting with a letter)";
  }
  if (view(d.version).empty()) return "it declares no version";
  if (d.option_count > 0 && d.options == nullptr) return "it declares options but no option table";
  for (const auto& o : read_option_specs(d)) {
    if (!valid_name(view(o.name))) return "its option \"" + std::string(view(o.name)) + "\" has an invalid name";
    if (auto problem = spec_problem(o); !problem.empty()) {
      return "its option \"" + std::string(view(o.name)) + "\" " + problem;
    }
  }
  if (d.kind == BARO_PLUGIN_EXPORTER) {
    const auto* v = d.exporter;
    if (v == nullptr || v->struct_size < sizeof(baro_exporter_vtable) || !v->create || !v->destroy || !v->run) {
      return "it is an exporter without a complete exporter table (create, destroy, run)";
    }
  } else if (d.kind == BARO_PLUGIN_CLASSIFIER) {
    const auto* v = d.classifier;
    if (v == nullptr || v->struct_size < sizeof(baro_classifier_vtable) || !v->create || !v->destroy || !v->classify) {
      return "it is a classifier without a complete classifier table (create, destroy, classify)";
    }
  } else {
    return "its kind " + std::to_string(d.kind) + " is neither an exporter nor a classifier";
  }
  return {};
}

std::string dl_error(const fs::path& path) {
  const char* text = ::dlerror();
  if (text == nullptr) return "the dynamic loader refused it without saying why";
  std::string message = text;
  // dlerror() starts with the path, which the caller already names.
  const std::string prefix = path.string() + ": ";
  if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
  return message;
}

}  // namespace

std::unique_ptr<LoadedPlugin> load_plugin_file(const fs::path& dir, const fs::path& path) {
  auto plugin = std::make_unique<LoadedPlugin>();
  PluginInfo& info = plugin->info;
  info.path = path;
  if (auto problem = permission_problem(dir, path); !problem.empty()) {
    info.error = problem;
    return plugin;
  }

  // RTLD_NOW: an unresolved symbol fails here, not at the plugin's first call (Boost.DLL
  // adds RTLD_LAZY unless told otherwise). RTLD_LOCAL: plugins do not see each other's
  // symbols. RTLD_NODELETE: the library stays mapped even after its handle is closed, so
  // nothing that came from it can dangle (OBS does not unload modules either).
  const auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                    static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
  auto library = std::make_unique<boost::dll::shared_library>();
  std::error_code ec;
  ::dlerror();  // clear any stale message
  library->load(path, mode, ec);
  if (ec || !library->is_loaded()) {
    info.error = "cannot be loaded as a shared library: " + dl_error(path);
    return plugin;
  }
  if (!library->has(BARO_PLUGIN_ENTRY_NAME)) {
    info.error = "not a Baro plugin: it does not export the entry symbol " BARO_PLUGIN_ENTRY_NAME
                 " (build it with baro_add_plugin() and BARO_EXPORTER/BARO_CLASSIFIER)";
    plugin->library = std::move(library);  // loaded code is never unloaded
    return plugin;
  }
  const auto entry = library->get<const baro_plugin_descriptor*()>(BARO_PLUGIN_ENTRY_NAME);
  plugin->library = std::move(library);
  const baro_plugin_descriptor* d = entry();
  if (d == nullptr) {
    info.error = "its entry symbol returned no descriptor";
    return plugin;
  }
  // The version first: nothing else of the descriptor is read before it is known.
  info.api_version = std::to_string(d->api_major) + "." + std::to_string(d->api_minor);
  const std::string host_api = std::to_string(BARO_PLUGIN_API_MAJOR) + "." + std::to_string(BARO_PLUGIN_API_MINOR);
  if (d->api_major != BARO_PLUGIN_API_MAJOR) {
    info.error = "built for plugin API " + info.api_version + ", but this baro speaks API " + host_api +
                 " (the major version must match): rebuild it against this Baro's SDK";
    return plugin;
  }
  if (d->api_minor > BARO_PLUGIN_API_MINOR) {
    info.error = "built for plugin API " + info.api_version + ", newer than this baro's " + host_api +
                 ": use a newer baro, or rebuild the plugin against this one's SDK";
    return plugin;
  }
  if (auto problem = descriptor_problem(*d); !problem.empty()) {
    info.error = problem;
    return plugin;
  }
  info.name = std::string(view(d->name));
  info.kind = d->kind == BARO_PLUGIN_EXPORTER ? PluginKind::kExporter : PluginKind::kClassifier;
  info.version = std::string(view(d->version));
  info.description = std::string(view(d->description));
  plugin->options = read_option_specs(*d);
  for (const auto& o : plugin->options) {
    info.options.push_back({std::string(view(o.name)), std::string(option_type_name(o.type)),
                            std::string(view(o.default_value)), std::string(view(o.description)),
                            o.type == BARO_OPTION_CHOICE ? option_choices(o) : std::vector<std::string>(),
                            std::string(view(o.minimum)), std::string(view(o.maximum))});
  }
  info.loaded = true;
  plugin->descriptor = d;
  plugin->host = std::make_unique<HostServices>(info.name, path);
  return plugin;
}

}  // namespace baro::plugin_host
