// The Baro plugin SDK, in one include: everything a partner needs to write an exporter or a
// classifier, and nothing else of the engine.
//
// A plugin is a shared library built with find_package(Baro) and baro_add_plugin() (see
// docs/plugins.md for the tutorial). It derives a class from baro::sdk::Exporter or
// baro::sdk::Classifier and names it once with BARO_EXPORTER or BARO_CLASSIFIER, which
// generate the library's one exported symbol. Under the classes, the boundary is the plain C
// of baro/plugin_abi.h: no exception, std::string, container or Boost type crosses it, so a
// plugin does not need the host's exact compiler.
#pragma once

#include "baro/plugin_abi.h"
#include "baro/sdk/classifier.hpp"
#include "baro/sdk/exporter.hpp"
#include "baro/sdk/fields.hpp"
#include "baro/sdk/plugin.hpp"
#include "baro/version.hpp"
