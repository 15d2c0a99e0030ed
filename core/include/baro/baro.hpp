// The Baro engine, in one include: read survey batches, classify their initiatives with a
// rule set, store them in SQLite and compute the barometer's aggregates.
// Headers under baro/ are the public API; everything under core/src/ is internal.
#pragma once

#include "baro/diagnostics.hpp"
#include "baro/display.hpp"
#include "baro/error.hpp"
#include "baro/evaluation.hpp"
#include "baro/fit.hpp"
#include "baro/import.hpp"
#include "baro/ingest.hpp"
#include "baro/lifecycle.hpp"
#include "baro/normalize.hpp"
#include "baro/report.hpp"
#include "baro/rules.hpp"
#include "baro/store.hpp"
#include "baro/validation.hpp"
#include "baro/version.hpp"
