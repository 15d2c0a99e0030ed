// A small database whose report is known by construction, for the report's tests.
//
// Its own reference: 8 communes in 2 departments (01 in region 84, 02 in region 32),
// population vintage 2026. Seven communes declare initiatives, in two batches (2025, 2026),
// classified by two runs (run 2, the latest, is the one described below):
//
//   commune          dept pop    initiatives  rural status (source)
//   01001 Aubry      01   400    2            rural  (communes.rural = 1)
//   01002 Belval     01   400    4            urban  (initiatives: rural=1 in batch 1, rural=0 in batch 2: the latest wins)
//   01003 Cormes     01   1600   4            rural  (population < 2000)
//   02001 Dorne      02   1600   8            urban  (communes.rural = 0)
//   02002 Estrel     02   6400   8            rural  (communes.rural = 1)
//   02003 Fanjac     02   6400   16           urban  (population >= 2000)
//   02004 Hameau     02   —      3            unknown (no population, no attribute)
//   01004 Gresse     01   50000  0            (not present in the data)
//
// Initiatives = 2 sqrt(pop / 400), doubled for the urban commune of each population: the
// log-log fit has elasticity 0.5 exactly, every rural residual is -ln 2 / 2 and every urban
// one +ln 2 / 2, so a rural commune declares half as many initiatives at equal size.
// Primary domains in run 2: everything `acces`, except Fanjac (8 communication, each also
// labelled democratie; 4 culture; 4 unclassified) and Hameau (3 education).
// Batch 1 (year 2025): Aubry 2, Belval 1, Cormes 4. Batch 2 (year 2026): the rest.
#pragma once

#include <filesystem>

namespace baro::test {

// Creates the database at `db`, with its reference in `reference_dir` (created).
void make_report_fixture(const std::filesystem::path& db, const std::filesystem::path& reference_dir);

}  // namespace baro::test
