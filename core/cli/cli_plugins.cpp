// What the plugin-using commands share: loading the registry, separating a plugin's options
// from the command's own, and describing a plugin.
#include <algorithm>
#include <iomanip>
#include <ostream>

#include "baro/error.hpp"
#include "cli.hpp"

namespace baro::cli {

void add_plugin_path_option(po::options_description& options, std::vector<std::string>& plugin_path) {
  options.add_options()("plugin-path", po::value(&plugin_path)->composing()->value_name("DIR"),
                        "also load plugins from DIR (repeatable; searched first)");
}

std::unique_ptr<PluginRegistry> load_plugins(const std::vector<std::string>& plugin_path) {
  PluginSearchOptions options;
  for (const auto& dir : plugin_path) options.plugin_path.emplace_back(dir);
  return PluginRegistry::load(options);
}

bool ClassifierChainSpec::rules_only() const {
  return options.empty() && (classifiers.empty() || (classifiers.size() == 1 && classifiers[0] == kRulesClassifierName));
}

void add_classifier_chain_options(po::options_description& options, ClassifierChainSpec& spec) {
  options.add_options()
      ("classifier", po::value(&spec.classifiers)->composing()->value_name("NAME"),
       "classify with this chain instead of the rules alone (repeatable, in order: a text the first "
       "leaves unclassified goes to the next; `rules` is the built-in engine)")
      ("classifier-option", po::value(&spec.options)->composing()->value_name("NAME.KEY=VALUE"),
       "an option of classifier NAME (`baro plugins describe NAME` lists them)");
  add_plugin_path_option(options, spec.plugin_path);
}

std::unique_ptr<ClassifierChain> build_classifier_chain(const ClassifierChainSpec& spec, const RuleEngine& engine,
                                                        std::unique_ptr<PluginRegistry>& registry) {
  if (!spec.options.empty() && spec.classifiers.empty()) {
    throw usage_error("--classifier-option without --classifier", "name the chain with --classifier NAME");
  }
  if (spec.rules_only()) return ClassifierChain::rules_only(engine);
  registry = load_plugins(spec.plugin_path);
  std::vector<std::unique_ptr<Classifier>> members;
  for (const auto& name : spec.classifiers) {
    for (const auto& other : members) {
      if (other->identity().name == name) throw usage_error("--classifier " + name + " is given twice", "name each classifier once");
    }
    const PluginInfo& plugin = registry->require(name, PluginKind::kClassifier);
    PluginOptionValues values;
    for (const auto& option : spec.options) {
      const auto dot = option.find('.'), eq = option.find('=');
      if (dot == std::string::npos || eq == std::string::npos || dot > eq || dot == 0) {
        throw usage_error("--classifier-option " + option + ": expected NAME.KEY=VALUE",
                          "e.g. --classifier-option mine.threshold=0.5");
      }
      if (option.substr(0, dot) == name) values.emplace_back(option.substr(dot + 1, eq - dot - 1), option.substr(eq + 1));
    }
    members.push_back(registry->make_classifier(plugin.name, values, engine));
  }
  for (const auto& option : spec.options) {
    const std::string owner = option.substr(0, option.find('.'));
    if (std::find(spec.classifiers.begin(), spec.classifiers.end(), owner) == spec.classifiers.end()) {
      throw usage_error("--classifier-option " + option + ": " + owner + " is not in the chain", "add --classifier " + owner);
    }
  }
  return std::make_unique<ClassifierChain>(engine.rule_set(), std::move(members));
}

bool parse_with_plugin_options(const char* name, const char* synopsis, const char* description,
                               const po::options_description& options, const Args& args, po::variables_map& vm,
                               std::vector<std::string>& rest) {
  return parse_command_line(name, synopsis, description, options, nullptr, args, vm, &rest);
}

PluginOptionValues plugin_options(const PluginInfo& plugin, const std::vector<std::string>& rest) {
  PluginOptionValues out;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& token = rest[i];
    if (token.rfind("--", 0) != 0 || token.size() == 2) {
      throw usage_error("unexpected argument \"" + token + "\"",
                        "plugin options are written --NAME VALUE or --NAME=VALUE; `baro plugins describe " + plugin.name +
                            "` lists them");
    }
    const std::string body = token.substr(2);
    const auto eq = body.find('=');
    if (eq != std::string::npos) {
      out.emplace_back(body.substr(0, eq), body.substr(eq + 1));
      continue;
    }
    const PluginOptionInfo* spec = nullptr;
    for (const auto& o : plugin.options) spec = o.name == body ? &o : spec;
    const bool takes_value = spec == nullptr || spec->type != "bool";
    if (!takes_value) {
      out.emplace_back(body, "true");
    } else if (i + 1 < rest.size() && (rest[i + 1].rfind("--", 0) != 0 || spec == nullptr)) {
      out.emplace_back(body, rest[++i]);
    } else if (spec != nullptr) {
      throw usage_error("--" + body + " needs a value (option of plugin " + plugin.name + ")",
                        "`baro plugins describe " + plugin.name + "` lists its options");
    } else {
      out.emplace_back(body, "");  // unknown: refused with the list of options by the registry
    }
  }
  return out;
}

void describe_plugin(std::ostream& out, const PluginInfo& p) {
  out << p.name << " — " << (p.kind ? to_string(*p.kind) : "plugin") << ' ' << p.version << " (plugin API "
      << p.api_version << ")\n"
      << (p.built_in ? std::string("built into baro") : "file: " + p.path.string()) << '\n';
  if (!p.description.empty()) out << '\n' << p.description << '\n';
  out << "\nusage: ";
  if (p.kind == PluginKind::kExporter) {
    out << "baro export --to " << p.name << " [--out FILE] [--run ID] [filters]";
  } else {
    out << "baro classify --classifier " << p.name;
  }
  const auto joined = [](const std::vector<std::string>& values, const char* separator) {
    std::string text;
    for (const auto& v : values) text += (text.empty() ? "" : separator) + v;
    return text;
  };
  for (const auto& o : p.options) {
    const std::string value = o.type == "choice" ? joined(o.choices, "|") : o.type == "string" ? "TEXT" : o.type == "int" ? "N" : "X";
    out << " [--" << o.name << (o.type == "bool" ? "" : " " + value) << ']';
  }
  out << '\n';
  if (p.kind == PluginKind::kClassifier && !p.options.empty()) {
    out << "(classifier options are given as --classifier-option " << p.name << ".NAME=VALUE)\n";
  }
  if (p.options.empty()) {
    out << "\nno options\n";
    return;
  }
  out << "\noptions:\n";
  std::size_t width = 0;
  std::vector<std::string> heads;
  for (const auto& o : p.options) {
    std::string rule = o.type;
    if (o.type == "choice") rule = "one of " + joined(o.choices, ", ") + ";";
    else if (!o.minimum.empty() || !o.maximum.empty()) {
      rule += !o.minimum.empty() && !o.maximum.empty() ? " from " + o.minimum + " to " + o.maximum
              : !o.minimum.empty()                      ? " at least " + o.minimum
                                                        : " at most " + o.maximum;
      rule += ',';
    } else {
      rule += ',';
    }
    heads.push_back("--" + o.name + " (" + rule + " default " + (o.default_value.empty() ? "empty" : "\"" + o.default_value + "\"") + ")");
    width = std::max(width, heads.back().size());
  }
  for (std::size_t i = 0; i < p.options.size(); ++i) {
    out << "  " << std::left << std::setw(static_cast<int>(width) + 2) << heads[i] << p.options[i].description << '\n';
  }
}

}  // namespace baro::cli
