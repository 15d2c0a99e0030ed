// Fuzz target for the text normaliser (baro/normalize.hpp).
//
// fold() runs on every description and every rule pattern, on bytes that come straight from
// municipal spreadsheets, so besides not crashing it must keep the promises its header
// makes for any input at all, valid UTF-8 or not:
//   - the fast path (a table for Latin text, utf8proc beyond) equals fold_reference();
//   - folding is idempotent: fold(fold(x)) == fold(x);
//   - fold_with_offsets() yields the same text, one offset per byte plus the end, never
//     decreasing and never past the input.
// A broken promise aborts, so libFuzzer keeps the input as a crash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "baro/normalize.hpp"

namespace {

[[noreturn]] void broken(const char* promise) {
  std::fprintf(stderr, "fuzz_normalize: broken promise: %s\n", promise);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string folded = baro::fold(input);
  if (folded != baro::fold_reference(input)) broken("fold() == fold_reference()");
  if (baro::fold(folded) != folded) broken("fold(fold(x)) == fold(x)");
  const baro::FoldedText with_offsets = baro::fold_with_offsets(input);
  if (with_offsets.text != folded) broken("fold_with_offsets().text == fold()");
  const auto& offsets = with_offsets.source_offsets;
  if (offsets.size() != folded.size() + 1) broken("one source offset per folded byte, plus the end");
  if (offsets.back() != size) broken("the last source offset is the input's length");
  for (std::size_t i = 1; i < offsets.size(); ++i) {
    if (offsets[i] < offsets[i - 1]) broken("source offsets never decrease");
  }
  return 0;
}
