// Internal: writing classifications into a run. A RunWriter joins the latest run when it was
// made with the same rule set (same content hash) and classifiers, and otherwise opens a new
// run; it must be used inside the caller's write transaction.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>

#include "baro/rules.hpp"
#include "baro/store.hpp"
#include "import/pipeline.hpp"

namespace baro {

class RunWriter {
 public:
  // `force_new`: always open a new run (reclassification).
  RunWriter(Store& store, const RuleEngine& engine, bool force_new = false);

  std::int64_t run_id() const noexcept { return run_id_; }
  bool is_new() const noexcept { return is_new_; }

  // Classifies every stored initiative outside batch `except_batch` into this run, through
  // the pipeline (classification on worker threads, writing on this one); returns how many.
  std::int64_t classify_stored(std::int64_t except_batch, const PipelineOptions& pipeline = {});
  // Classifies one initiative and stores its classification and labels.
  void add(std::int64_t initiative_id, std::string_view description);
  // Stores the classification of one initiative, already made.
  void write(std::int64_t initiative_id, const Classification& classification);

  // The identity recorded with a run: [{"name": "rules", "version": …}].
  static std::string classifiers_json();

 private:
  Store& store_;
  const RuleEngine& engine_;
  std::int64_t run_id_ = 0;
  bool is_new_ = false;
  std::unique_ptr<SQLite::Statement> insert_classification_;
  std::unique_ptr<SQLite::Statement> insert_label_;
};

}  // namespace baro
