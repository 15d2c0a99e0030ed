#include "import/pipeline.hpp"

namespace baro {

unsigned default_pipeline_threads() {
  // hardware_concurrency() may return 0 when it cannot tell.
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace baro
