// CSV through libcsv in strict mode. libcsv is fed one physical line at a time so that every
// record and every error has a line number; its default leniency is turned off: strict
// quoting (a stray quote is an error, not data), an unterminated quote at the end of the
// file is an error (by default libcsv silently drops the rest of the file), and no space
// trimming (values are kept exactly as written).
#include <csv.h>

#include <algorithm>
#include <deque>
#include <string>

#include "baro/error.hpp"
#include "ingest/readers.hpp"
#include "ingest/source.hpp"

namespace baro::ingest {
namespace {

int never_space(unsigned char) { return 0; }
int is_line_terminator(unsigned char c) { return c == '\n' || c == '\r' ? 1 : 0; }

char detect_delimiter(std::string_view header) {
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (char c : header) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ',') ++comma;
    if (c == ';') ++semicolon;
    if (c == '\t') ++tab;
  }
  // French exports favour ';' (',' is the decimal separator): it wins ties.
  if (semicolon >= comma && semicolon >= tab && semicolon > 0) return ';';
  if (tab > comma) return '\t';
  return ',';
}

std::string delimiter_name(char d) { return d == '\t' ? "tab" : std::string("'") + d + "'"; }

class CsvReader final : public RecordReader {
 public:
  CsvReader(SourceInfo source, const IngestOptions& options)
      : max_field_bytes_(options.max_field_bytes) {
    source_ = std::move(source);
    source_.format = SourceFormat::kCsv;
    stream_ = std::make_unique<DecodedStream>(source_);
    lines_ = std::make_unique<LineSplitter>(*stream_);
    max_record_bytes_ = std::max<std::size_t>(4 * max_field_bytes_, 4u << 20);
    const std::string_view first = lines_->peek_first_line();
    source_.delimiter = options.delimiter ? *options.delimiter : detect_delimiter(first);
    reset_parser();
    read_header();
  }


  bool next(Record& out) override {
    while (ready_.empty()) {
      if (!feed_next_line()) break;  // the last record may come from csv_fini
    }
    if (ready_.empty()) return false;
    out = std::move(ready_.front());
    ready_.pop_front();
    return true;
  }

 private:
  void reset_parser() {
    if (parser_.initialised) csv_free(&parser_.state);
    csv_init(&parser_.state, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_delim(&parser_.state, static_cast<unsigned char>(source_.delimiter));
    csv_set_space_func(&parser_.state, never_space);
    csv_set_term_func(&parser_.state, is_line_terminator);
    // libcsv grows a field's buffer by a fixed block (128 bytes by default), with realloc:
    // cheap where realloc grows in place, quadratic where it copies (AddressSanitizer, some
    // allocators); a 1 MiB field took 23 s under ASan. 64 KiB blocks keep it linear enough.
    csv_set_blk_size(&parser_.state, 64 * 1024);
    parser_.initialised = true;
  }

  SourceLocation here(std::uint64_t line, std::uint64_t column = 0) const {
    return {source_.path.string(), line, column};
  }

  void read_header() {
    in_header_ = true;
    while (!header_done_) {
      if (!feed_next_line()) break;
    }
    if (!header_done_) {
      throw data_error("empty file: there is no header line", here(0),
                       "a survey file starts with a header line naming its columns (description, commune, …)");
    }
    if (!ready_.empty() && !ready_.front().problem.empty()) {
      const Record& bad = ready_.front();
      throw data_error("the header line is malformed: " + bad.problem, here(bad.line, bad.column),
                       "fix the header line's quoting");
    }
    ready_.clear();
    in_header_ = false;
  }

  static void on_field(void* data, std::size_t len, void* self) {
    auto* reader = static_cast<CsvReader*>(self);
    reader->fields_.emplace_back(data == nullptr ? std::string() : std::string(static_cast<char*>(data), len));
    if (len > reader->max_field_bytes_) reader->field_too_long_ = true;
  }

  static void on_record_end(int, void* self) { static_cast<CsvReader*>(self)->finish_record(); }

  void finish_record() {
    if (in_header_ && !header_done_) {
      source_.columns = std::move(fields_);
      fields_.clear();
      header_done_ = true;
      raw_.clear();
      return;
    }
    Record record;
    record.number = ++records_;
    record.line = record_line_;
    if (field_too_long_) {
      throw data_error("a field is longer than " + std::to_string(max_field_bytes_ >> 10) +
                           " KiB (most often a quote that is never closed)",
                       here(record_line_), "close the quote, or raise the limit with --max-field-bytes");
    }
    if (fields_.size() != source_.columns.size()) {
      record.problem = "the record has " + std::to_string(fields_.size()) + " field" +
                       (fields_.size() == 1 ? "" : "s") + " but the header has " +
                       std::to_string(source_.columns.size()) +
                       (fields_.size() > source_.columns.size()
                            ? " (an unquoted " + delimiter_name(source_.delimiter) + " inside a field?)"
                            : " (a missing delimiter, or a line break inside an unquoted field?)");
    }
    // Kept for every record, not only those the reader refuses: the importer may still
    // reject it (an unknown commune…) and its rejects file holds records as they were written.
    record.raw = strip_line_end(raw_);
    record.values = std::move(fields_);
    record.present.assign(record.values.size(), true);
    fields_.clear();
    raw_.clear();
    ready_.push_back(std::move(record));
  }

  static std::string strip_line_end(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    return std::string(text);
  }

  // Feeds one piece of a physical line; false at the end of the file.
  bool feed_next_line() {
    std::string_view piece;
    bool complete = false;
    if (!lines_->next(piece, complete)) {
      finish_file();
      return false;
    }
    const bool blank = piece.find_first_not_of("\r\n") == std::string_view::npos;
    if (raw_.empty()) {
      if (blank && complete) {
        ++line_;
        return true;
      }
      record_line_ = line_;
    }
    raw_.append(piece);
    if (raw_.size() > max_record_bytes_) {
      throw data_error("a record is longer than " + std::to_string(max_record_bytes_ >> 20) +
                           " MiB (a line without line breaks, or a quote that is never closed)",
                       here(record_line_), "check the file is really CSV; raise --max-field-bytes if the fields are that long");
    }
    const std::size_t piece_start = raw_.size() - piece.size();
    const std::size_t parsed = csv_parse(&parser_.state, piece.data(), piece.size(), on_field, on_record_end, this);
    if (parsed < piece.size() && csv_error(&parser_.state) == CSV_EPARSE) {
      // A stray quote. The record is unusable: report it and resynchronise on the next line.
      std::string_view line_text = std::string_view(raw_).substr(0, piece_start + parsed);
      const auto last_nl = line_text.rfind('\n');
      if (last_nl != std::string_view::npos) line_text.remove_prefix(last_nl + 1);
      Record record;
      record.number = ++records_;
      record.line = record_line_;
      record.column = utf8_columns(line_text) + 1;
      record.problem =
          "malformed quoting: a quote inside an unquoted field, or text right after a closing quote";
      record.raw = strip_line_end(raw_);
      // Swallow the rest of this physical line.
      bool line_complete = complete;
      while (!line_complete) {
        std::string_view rest;
        if (!lines_->next(rest, line_complete)) break;
        record.raw += strip_line_end(rest);
      }
      if (in_header_ && !header_done_) header_done_ = true;
      ready_.push_back(std::move(record));
      fields_.clear();
      raw_.clear();
      reset_parser();
    } else if (csv_get_buffer_size(&parser_.state) > max_field_bytes_ + 1024 || field_too_long_) {
      throw data_error("a field is longer than " + std::to_string(max_field_bytes_ >> 10) +
                           " KiB (most often a quote that is never closed)",
                       here(record_line_), "close the quote, or raise the limit with --max-field-bytes");
    }
    if (complete) ++line_;
    return true;
  }

  void finish_file() {
    if (finished_) return;
    finished_ = true;
    if (csv_fini(&parser_.state, on_field, on_record_end, this) != 0) {
      throw data_error("unterminated quoted field: a quote opened in this record is never closed", here(record_line_),
                       "close the quote (a quote inside a quoted field is written twice: \"\")");
    }
  }

  std::unique_ptr<DecodedStream> stream_;
  std::unique_ptr<LineSplitter> lines_;
  // libcsv's state owns a buffer. A member that frees it, not ~CsvReader: the constructor
  // reads the header and may throw, and then no destructor of CsvReader runs (the leak
  // fuzz_ingest found).
  struct Parser {
    csv_parser state{};
    bool initialised = false;
    Parser() = default;
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;
    ~Parser() {
      if (initialised) csv_free(&state);
    }
  };
  Parser parser_;
  std::size_t max_field_bytes_;
  std::size_t max_record_bytes_ = 0;
  std::vector<std::string> fields_;
  std::string raw_;
  std::deque<Record> ready_;
  std::uint64_t line_ = 1, record_line_ = 1, records_ = 0;
  bool in_header_ = false, header_done_ = false, field_too_long_ = false, finished_ = false;
};

}  // namespace

std::unique_ptr<RecordReader> make_csv_reader(SourceInfo source, const IngestOptions& options) {
  return std::make_unique<CsvReader>(std::move(source), options);
}

}  // namespace baro::ingest
