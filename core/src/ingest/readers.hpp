// Internal: the concrete readers behind RecordReader::open().
#pragma once

#include <memory>

#include "baro/ingest.hpp"

namespace baro::ingest {

std::unique_ptr<RecordReader> make_csv_reader(SourceInfo source, const IngestOptions& options);
std::unique_ptr<RecordReader> make_json_lines_reader(SourceInfo source, const IngestOptions& options);
// Reads the array at source.records_pointer ("" for a document that is the array).
std::unique_ptr<RecordReader> make_json_array_reader(SourceInfo source, const IngestOptions& options);

}  // namespace baro::ingest
