#include <catch2/catch.hpp>

#include <random>

#include "baro/normalize.hpp"

using baro::fold;

TEST_CASE("fold strips accents and case so spellings agree", "[normalize]") {
  CHECK(fold("École numérique") == "ecole numerique");
  CHECK(fold("ECOLE NUMERIQUE") == "ecole numerique");
  CHECK(fold("Médiathèque") == "mediatheque");
  CHECK(fold("ÇA Ü Ï Ô") == "ca u i o");
}

TEST_CASE("fold expands the ligatures utf8proc leaves alone", "[normalize]") {
  CHECK(fold("cœur") == "coeur");
  CHECK(fold("Œuvre") == "oeuvre");
  CHECK(fold("ex æquo") == "ex aequo");
  CHECK(fold("ﬁbre") == "fibre");
  CHECK(fold("Straße") == "strasse");
}

TEST_CASE("fold turns typographic punctuation into ASCII", "[normalize]") {
  CHECK(fold("l’école") == "l'ecole");
  CHECK(fold("« Wi‑Fi » – gratuit") == "\" wi-fi \" - gratuit");
  CHECK(fold("a\u00A0b\u202Fc") == "a b c");
  CHECK(fold("ligne\r\nsuivante\tfin") == "ligne  suivante fin");
}

TEST_CASE("fold replaces invalid UTF-8 instead of dropping it", "[normalize]") {
  CHECK(fold(std::string("a\xFF" "b")) == "a\xEF\xBF\xBD" "b");
}

TEST_CASE("fold is idempotent", "[normalize]") {
  for (const char* s : {"Éducation & Jeunesse", "cœur d’œuvre", "ﬁ ß Ø Ł", "漢字 και ελληνικά"}) {
    CHECK(fold(fold(s)) == fold(s));
  }
}

TEST_CASE("fold_with_offsets maps every folded byte back to its source character", "[normalize]") {
  const std::string text = "Œuvre à l’école";
  const auto folded = baro::fold_with_offsets(text);
  REQUIRE(folded.text == "oeuvre a l'ecole");
  REQUIRE(folded.source_offsets.size() == folded.text.size() + 1);
  CHECK(folded.source_offsets[0] == 0);  // "o" of "oe" from Œ
  CHECK(folded.source_offsets[1] == 0);  // "e" of "oe" from Œ
  CHECK(folded.source_offsets[2] == 2);  // "u": Œ is two bytes
  const auto ecole = folded.text.find("ecole");
  CHECK(text.substr(folded.source_offsets[ecole]) == "école");
  CHECK(folded.source_offsets.back() == text.size());
}

TEST_CASE("the table fast path equals the utf8proc reference on generated text", "[normalize][property]") {
  // Code points from every block French text touches, plus random ones elsewhere.
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<int> pick_block(0, 5);
  std::uniform_int_distribution<int> len(0, 40);
  const auto encode = [](char32_t cp, std::string& out) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) { out += static_cast<char>(0xE0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
    else { out += static_cast<char>(0xF0 | (cp >> 18)); out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
  };
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    const int n = len(rng);
    for (int k = 0; k < n; ++k) {
      char32_t cp = 0;
      switch (pick_block(rng)) {
        case 0: cp = std::uniform_int_distribution<char32_t>(0x20, 0x7E)(rng); break;
        case 1: cp = std::uniform_int_distribution<char32_t>(0xA0, 0x24F)(rng); break;
        case 2: cp = std::uniform_int_distribution<char32_t>(0x2000, 0x206F)(rng); break;
        case 3: cp = std::uniform_int_distribution<char32_t>(0x300, 0x36F)(rng); break;  // combining marks
        case 4: cp = std::uniform_int_distribution<char32_t>(0x370, 0x52F)(rng); break;
        default: cp = std::uniform_int_distribution<char32_t>(0xFB00, 0xFB06)(rng); break;
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x';
      encode(cp, s);
    }
    INFO("input: " << s);
    REQUIRE(fold(s) == baro::fold_reference(s));
  }
}
