#include "store/commune_names.hpp"

#include "baro/normalize.hpp"

namespace baro {

std::string commune_name_key(std::string_view name) {
  const std::string folded = fold(name);
  std::string words;
  std::string word;
  const auto flush = [&] {
    if (word.empty()) return;
    // Agents abbreviate saints; the reference never does.
    if (word == "st") word = "saint";
    if (word == "ste") word = "sainte";
    if (!words.empty()) words += ' ';
    words += word;
    word.clear();
  };
  for (char c : folded) {
    if (c == ' ' || c == '-' || c == '\'' || c == '.' || c == ',') {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  return words;
}

}  // namespace baro
