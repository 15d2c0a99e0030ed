// Display width of UTF-8 text in a terminal, for tables and concordances that stay aligned
// with French accents, decomposed accents, CJK and emoji.
//
// A byte count is wrong for every non-ASCII character and a code point count is wrong for
// combining marks (zero columns) and wide characters (two columns); these functions count
// columns as utf8proc_charwidth does (East Asian width, Unicode 15), treating control
// characters and invalid bytes as one column each so that nothing is silently dropped.
//
// Thread-safety: all functions are safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace baro {

// Columns `utf8` occupies on a terminal.
std::size_t display_width(std::string_view utf8);

// The longest prefix of `utf8` that fits in `columns`, never cutting a character or
// separating a base character from its combining marks; ends with "…" when cut.
std::string fit_width(std::string_view utf8, std::size_t columns);

// The longest suffix of `utf8` that fits in `columns`, starting with "…" when cut.
std::string fit_width_from_end(std::string_view utf8, std::size_t columns);

// `utf8` followed (pad_right) or preceded (pad_left) by spaces up to `columns`; unchanged
// when already as wide or wider.
std::string pad_right(std::string_view utf8, std::size_t columns);
std::string pad_left(std::string_view utf8, std::size_t columns);

}  // namespace baro
