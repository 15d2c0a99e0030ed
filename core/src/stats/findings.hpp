// The report's summary in plain French, generated from its figures.
//
// Each sentence is built only when the figures it quotes exist (a correlation needs three
// communes, a rural/urban comparison needs both groups...), and every number it prints is
// one of the report's figures, rounded for reading: nothing is written that was not computed.
#pragma once

#include <vector>

#include "baro/report.hpp"

namespace baro::stats {

// Needs every other figure of `report` to be computed already.
std::vector<Finding> generate_findings(const Report& report);

}  // namespace baro::stats
