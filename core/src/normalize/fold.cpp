#include "baro/normalize.hpp"

#include <utf8proc.h>

#include <array>
#include <string>

namespace baro {
namespace {

constexpr utf8proc_option_t kFoldOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);

// Folds utf8proc leaves as they are. Applied to utf8proc's output code points.
bool extra_fold(utf8proc_int32_t cp, std::string& out) {
  switch (cp) {
    case 0x0153: out += "oe"; return true;  // œ (Œ case-folds to it)
    case 0x00E6: out += "ae"; return true;  // æ
    case 0x00F8: out += 'o'; return true;   // ø
    case 0x0142: out += 'l'; return true;   // ł
    case 0x0111: out += 'd'; return true;   // đ
    case 0x0131: out += 'i'; return true;   // dotless ı
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035:
    case 0x02BC: case 0x02B9: case 0x00B4: case 0x0060: case 0xFF07:
      out += '\''; return true;
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
    case 0x2033: case 0x2039: case 0x203A: case 0x3003:
      out += '"'; return true;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0x00AD: case 0xFE58: case 0xFE63: case 0xFF0D:
      out += '-'; return true;
    default: break;
  }
  if (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 ||
      cp == 0x2029) {
    out += ' ';
    return true;
  }
  if (cp > 0x7F && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS) {
    out += ' ';
    return true;
  }
  return false;
}

void append_utf8(utf8proc_int32_t cp, std::string& out) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// The fold of one code point, computed with utf8proc: the reference the table is built from.
std::string fold_code_point(utf8proc_int32_t cp) {
  std::string out;
  std::array<utf8proc_int32_t, 32> buf{};
  int last_boundclass = 0;
  const auto n = utf8proc_decompose_char(cp, buf.data(), static_cast<utf8proc_ssize_t>(buf.size()), kFoldOptions,
                                         &last_boundclass);
  if (n < 0 || n > static_cast<utf8proc_ssize_t>(buf.size())) {
    append_utf8(cp, out);
    return out;
  }
  for (utf8proc_ssize_t i = 0; i < n; ++i) {
    if (!extra_fold(buf[i], out)) append_utf8(buf[i], out);
  }
  return out;
}

// Latin-1 and Latin Extended-A/B cover nearly all French text; their folds are computed once
// from utf8proc so the common path is a table lookup (same output, ~20x faster).
constexpr utf8proc_int32_t kTableSize = 0x250;

const std::array<std::string, kTableSize>& fold_table() {
  static const std::array<std::string, kTableSize> table = [] {
    std::array<std::string, kTableSize> t;
    for (utf8proc_int32_t cp = 0; cp < kTableSize; ++cp) t[static_cast<std::size_t>(cp)] = fold_code_point(cp);
    return t;
  }();
  return table;
}

template <bool kWithOffsets>
void fold_into(std::string_view in, std::string& out, std::vector<std::uint32_t>* offsets) {
  const auto& table = fold_table();
  out.reserve(out.size() + in.size());
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(in.data());
  std::size_t pos = 0;
  while (pos < in.size()) {
    const std::size_t before = out.size();
    const unsigned char c = bytes[pos];
    std::size_t len = 1;
    if (c < 0x80) {
      // ASCII fast path: lower-case letters, whitespace controls to a space.
      if (c >= 'A' && c <= 'Z') {
        out += static_cast<char>(c + ('a' - 'A'));
      } else if (c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C) {
        out += ' ';
      } else if (c == '`') {
        out += '\'';
      } else {
        out += static_cast<char>(c);
      }
    } else {
      utf8proc_int32_t cp = -1;
      const auto n = utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(in.size() - pos), &cp);
      if (n <= 0 || cp < 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD for an invalid byte
      } else {
        len = static_cast<std::size_t>(n);
        if (cp < kTableSize) {
          out += table[static_cast<std::size_t>(cp)];
        } else {
          out += fold_code_point(cp);
        }
      }
    }
    if constexpr (kWithOffsets) {
      offsets->insert(offsets->end(), out.size() - before, static_cast<std::uint32_t>(pos));
    }
    pos += len;
  }
}

}  // namespace

std::string fold(std::string_view utf8) {
  std::string out;
  fold_into<false>(utf8, out, nullptr);
  return out;
}

FoldedText fold_with_offsets(std::string_view utf8) {
  FoldedText folded;
  folded.source_offsets.reserve(utf8.size() + 1);
  fold_into<true>(utf8, folded.text, &folded.source_offsets);
  folded.source_offsets.push_back(static_cast<std::uint32_t>(utf8.size()));
  return folded;
}

std::string fold_reference(std::string_view utf8) {
  // utf8proc_map on the whole string; invalid UTF-8 is replaced first, as fold() does.
  std::string valid;
  valid.reserve(utf8.size());
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
  for (std::size_t pos = 0; pos < utf8.size();) {
    utf8proc_int32_t cp = -1;
    const auto n = utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(utf8.size() - pos), &cp);
    if (n <= 0 || cp < 0) {
      valid += "\xEF\xBF\xBD";
      pos += 1;
    } else {
      valid.append(utf8.substr(pos, static_cast<std::size_t>(n)));
      pos += static_cast<std::size_t>(n);
    }
  }
  utf8proc_uint8_t* mapped = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(valid.data()),
                              static_cast<utf8proc_ssize_t>(valid.size()), &mapped, kFoldOptions);
  std::string out;
  if (n < 0) return out;
  const std::string_view decomposed(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
  const auto* dbytes = reinterpret_cast<const utf8proc_uint8_t*>(decomposed.data());
  for (std::size_t pos = 0; pos < decomposed.size();) {
    utf8proc_int32_t cp = -1;
    const auto len = utf8proc_iterate(dbytes + pos, static_cast<utf8proc_ssize_t>(decomposed.size() - pos), &cp);
    if (len <= 0) break;
    if (!extra_fold(cp, out)) append_utf8(cp, out);
    pos += static_cast<std::size_t>(len);
  }
  std::free(mapped);
  return out;
}

}  // namespace baro
