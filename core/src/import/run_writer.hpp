// Internal: writing classifications into a run. A RunWriter joins the latest run when it was
// made with the same rule set (same content hash) and classifier chain (names and versions)
// and still covers every stored initiative, and otherwise opens a new run; it must be used
// inside the caller's write transaction.
//
// Classifying (CPU) and storing (SQLite, one connection) are separate steps so that a
// pipeline can classify on several threads and store on one: classify_stored() is the single
// loop over stored initiatives, used by both import and reclassification.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>

#include "baro/classifier.hpp"
#include "baro/rules.hpp"
#include "baro/store.hpp"
#include "import/pipeline.hpp"

namespace baro {

class RunWriter {
 public:
  // `force_new`: always open a new run (reclassification).
  RunWriter(Store& store, ClassifierChain& classifiers, bool force_new = false);

  std::int64_t run_id() const noexcept { return run_id_; }
  bool is_new() const noexcept { return is_new_; }

  // Classifies every stored initiative outside batch `except_batch` (0: none excepted) into
  // this run, through the pipeline; returns how many.
  std::int64_t classify_stored(std::int64_t except_batch, const PipelineOptions& pipeline = {});
  // Classifies one initiative and stores its classification (with the classifier that
  // decided) and labels.
  void add(std::int64_t initiative_id, std::string_view description);
  // Stores a classification made by this writer's chain.
  void write(std::int64_t initiative_id, const ClassifierChain::Result& result);

 private:
  Store& store_;
  ClassifierChain& classifiers_;
  ClassifierChain::Result result_;
  std::int64_t run_id_ = 0;
  bool is_new_ = false;
  std::unique_ptr<SQLite::Statement> insert_classification_;
  std::unique_ptr<SQLite::Statement> insert_label_;
};

}  // namespace baro
