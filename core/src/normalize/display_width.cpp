#include <utf8proc.h>

#include <vector>

#include "baro/display.hpp"

namespace baro {
namespace {

// A character of the text: where it starts, its length in bytes, and its width in columns.
struct Glyph {
  std::size_t begin = 0, size = 0, columns = 0;
};

std::vector<Glyph> glyphs(std::string_view text) {
  std::vector<Glyph> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                                    static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
    if (n <= 0) {  // an invalid byte: shown as one replacement column
      out.push_back({pos, 1, 1});
      ++pos;
      continue;
    }
    int width = utf8proc_charwidth(cp);
    // Controls (tab, newline) report 0 but a terminal shows something; count them as one.
    if (width == 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_CC) width = 1;
    out.push_back({pos, static_cast<std::size_t>(n), static_cast<std::size_t>(width < 0 ? 1 : width)});
    pos += static_cast<std::size_t>(n);
  }
  return out;
}

constexpr std::string_view kEllipsis = "…";

}  // namespace

std::size_t display_width(std::string_view utf8) {
  std::size_t columns = 0;
  for (const auto& g : glyphs(utf8)) columns += g.columns;
  return columns;
}

std::string fit_width(std::string_view utf8, std::size_t columns) {
  if (display_width(utf8) <= columns) return std::string(utf8);
  if (columns == 0) return {};
  const auto all = glyphs(utf8);
  std::size_t used = 0, end = 0;
  for (const auto& g : all) {
    if (used + g.columns > columns - 1) break;  // keep one column for the ellipsis
    used += g.columns;
    end = g.begin + g.size;
  }
  // A combining mark that fits with zero columns stays with its base; one whose base was cut
  // cannot occur since the loop stops at the first glyph that does not fit.
  return std::string(utf8.substr(0, end)) + std::string(kEllipsis);
}

std::string fit_width_from_end(std::string_view utf8, std::size_t columns) {
  if (display_width(utf8) <= columns) return std::string(utf8);
  if (columns == 0) return {};
  const auto all = glyphs(utf8);
  std::size_t used = 0, begin = utf8.size();
  for (auto g = all.rbegin(); g != all.rend(); ++g) {
    if (used + g->columns > columns - 1) break;
    used += g->columns;
    begin = g->begin;
  }
  // Do not start on a combining mark separated from its base character.
  std::size_t first = 0;
  while (first < all.size() && all[first].begin < begin) ++first;
  while (first < all.size() && all[first].columns == 0) {
    begin = all[first].begin + all[first].size;
    ++first;
  }
  return std::string(kEllipsis) + std::string(utf8.substr(begin));
}

std::string pad_right(std::string_view utf8, std::size_t columns) {
  const std::size_t width = display_width(utf8);
  return std::string(utf8) + std::string(width < columns ? columns - width : 0, ' ');
}

std::string pad_left(std::string_view utf8, std::size_t columns) {
  const std::size_t width = display_width(utf8);
  return std::string(width < columns ? columns - width : 0, ' ') + std::string(utf8);
}

}  // namespace baro
