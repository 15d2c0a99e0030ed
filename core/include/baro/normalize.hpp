// Text normalisation ("folding") shared by descriptions and rule patterns.
//
// Rules are written once and must match however a municipal agent typed a description:
// with or without accents, in capitals, with typographic apostrophes pasted from a word
// processor. Baro therefore matches on a folded form of both the text and the patterns:
//   - Unicode compatibility decomposition and case folding, combining marks stripped
//     (École → ecole, ﬁ → fi, ß → ss), via utf8proc;
//   - the letters utf8proc leaves alone folded too: œ → oe, æ → ae, ø → o, ł → l, đ → d;
//   - typographic apostrophes and primes → ', typographic quotes and guillemets → ",
//     hyphens and dashes → -, every Unicode space or line break → a single ASCII space each.
// Folding is deterministic and idempotent (fold(fold(x)) == fold(x)). Input must be valid
// UTF-8; an invalid byte becomes U+FFFD rather than being dropped silently.
//
// Thread-safety: all functions are safe to call concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace baro {

// The folded form of `utf8`.
std::string fold(std::string_view utf8);

// The folded form plus, for every byte of it, the byte offset in the original text of the
// character it came from (and one last entry: the original's length), so that a match on the
// folded text can be shown on the text the user wrote.
struct FoldedText {
  std::string text;
  std::vector<std::uint32_t> source_offsets;  // text.size() + 1 entries
};
FoldedText fold_with_offsets(std::string_view utf8);

// The reference implementation: utf8proc_map on the whole string followed by the extra folds.
// Slower; kept to check the fast path (tests compare the two on generated and real text).
std::string fold_reference(std::string_view utf8);

}  // namespace baro
