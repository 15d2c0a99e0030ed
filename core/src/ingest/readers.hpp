// Internal: the concrete readers behind RecordReader::open().
#pragma once

#include <memory>

#include "baro/ingest.hpp"

namespace baro::ingest {

std::unique_ptr<RecordReader> make_csv_reader(SourceInfo source, const IngestOptions& options);
std::unique_ptr<RecordReader> make_json_lines_reader(SourceInfo source, const IngestOptions& options);
std::unique_ptr<RecordReader> make_json_array_reader(SourceInfo source, const IngestOptions& options);

// The JSON value of one record's field as Baro stores it: strings as they are, numbers and
// booleans as their JSON text. Shared by both JSON readers.
struct JsonRecordBuilder;

}  // namespace baro::ingest
