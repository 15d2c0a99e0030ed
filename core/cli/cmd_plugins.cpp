// `baro plugins list [--json]` and `baro plugins describe NAME`.
#include <nlohmann/json.hpp>

#include <iostream>

#include "baro/error.hpp"
#include "cli.hpp"

namespace baro::cli {
namespace {

std::string status_of(const PluginInfo& p) {
  if (!p.loaded) return "failed";
  return p.built_in ? "built-in" : "loaded";
}

nlohmann::json to_json(const PluginInfo& p) {
  using nlohmann::json;
  json options = json::array();
  for (const auto& o : p.options) {
    json option = {{"name", o.name}, {"type", o.type}, {"default", o.default_value}, {"description", o.description}};
    if (o.type == "choice") option["choices"] = o.choices;
    if (!o.minimum.empty()) option["minimum"] = o.minimum;
    if (!o.maximum.empty()) option["maximum"] = o.maximum;
    options.push_back(std::move(option));
  }
  return {{"name", p.name.empty() ? json(nullptr) : json(p.name)},
          {"kind", p.kind ? json(std::string(to_string(*p.kind))) : json(nullptr)},
          {"version", p.version.empty() ? json(nullptr) : json(p.version)},
          {"api_version", p.api_version.empty() ? json(nullptr) : json(p.api_version)},
          {"path", p.built_in ? json(nullptr) : json(p.path.string())},
          {"built_in", p.built_in},
          {"status", status_of(p)},
          {"error", p.loaded ? json(nullptr) : json(p.error)},
          {"description", p.description},
          {"options", options}};
}

int list(const std::vector<std::string>& plugin_path, bool as_json) {
  const auto registry = load_plugins(plugin_path);
  const auto& plugins = registry->plugins();
  if (as_json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : plugins) out.push_back(to_json(p));
    std::cout << out.dump(2) << '\n';
    return 0;
  }
  std::size_t name_width = 4, version_width = 7;
  for (const auto& p : plugins) {
    name_width = std::max(name_width, p.name.size());
    version_width = std::max(version_width, p.version.size());
  }
  auto column = [](const std::string& text, std::size_t width) { return text + std::string(width + 2 - text.size(), ' '); };
  std::cout << column("name", name_width) << column("kind", 10) << column("version", version_width) << column("api", 3)
            << column("status", 8) << "path\n";
  std::size_t failed = 0;
  for (const auto& p : plugins) {
    std::cout << column(p.name.empty() ? "?" : p.name, name_width) << column(p.kind ? std::string(to_string(*p.kind)) : "?", 10)
              << column(p.version.empty() ? "?" : p.version, version_width)
              << column(p.api_version.empty() ? "?" : p.api_version, 3) << column(status_of(p), 8)
              << (p.built_in ? std::string("(built in)") : p.path.string()) << '\n';
    if (!p.loaded) {
      std::cout << "    error: " << p.error << '\n';
      ++failed;
    }
  }
  std::cout << "\nsearched:";
  for (const auto& dir : registry->search_path()) std::cout << ' ' << dir.string();
  std::cout << '\n';
  if (failed > 0) std::cout << failed << (failed == 1 ? " plugin" : " plugins") << " could not be loaded; the others work\n";
  return 0;
}

int describe(const std::vector<std::string>& plugin_path, const std::string& name) {
  const auto registry = load_plugins(plugin_path);
  for (const auto& p : registry->plugins()) {
    if (p.loaded && p.name == name) {
      describe_plugin(std::cout, p);
      return 0;
    }
  }
  Error error(ExitCode::kConfig, "no plugin called \"" + name + "\"", {},
              "`baro plugins list` shows every plugin found and why any failed");
  for (const auto& p : registry->plugins()) {
    // A plugin that failed to load may be the one meant: say why it failed.
    if (!p.loaded && (p.name == name || p.path.stem().string().find(name) != std::string::npos)) {
      error.add_detail(p.path.string() + ": " + p.error);
    }
  }
  throw error;
}

}  // namespace

int run_plugins(const Args& args) {
  std::vector<std::string> plugin_path;
  std::string action, name;
  po::options_description options("options");
  add_plugin_path_option(options, plugin_path);
  options.add_options()("json", "list: one JSON array, for machines")
      ("action", po::value(&action), "list or describe")
      ("name", po::value(&name), "the plugin to describe");
  po::positional_options_description positional;
  positional.add("action", 1).add("name", 1);
  po::variables_map vm;
  if (!parse("plugins", "list [--json] | describe NAME",
             "Lists the plugins found (built-in, loaded or failed, with the reason), or describes\n"
             "one plugin: what it does, its version and its options. Search order: --plugin-path,\n"
             "$BARO_PLUGIN_PATH, ~/.local/lib/baro/plugins, then <prefix>/lib/baro/plugins.",
             options, positional, args, vm))
    return 0;
  if (action == "list") {
    if (!name.empty()) throw usage_error("baro plugins list takes no name", "`baro plugins describe NAME` describes one");
    return list(plugin_path, vm.count("json") > 0);
  }
  if (action == "describe") {
    if (name.empty()) throw usage_error("baro plugins describe: which plugin?", "usage: baro plugins describe NAME");
    return describe(plugin_path, name);
  }
  throw usage_error(action.empty() ? "baro plugins: list or describe?" : "baro plugins: unknown action \"" + action + "\"",
                    "usage: baro plugins list [--json] | describe NAME");
}

}  // namespace baro::cli
