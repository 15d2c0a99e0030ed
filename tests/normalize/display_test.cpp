#include <catch2/catch.hpp>

#include "baro/display.hpp"

using baro::display_width;

TEST_CASE("display width counts columns, not bytes or code points", "[display]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("ecole") == 5);
  CHECK(display_width("école") == 5);                 // é precomposed: 2 bytes, 1 column
  CHECK(display_width("e\xCC\x81" "cole") == 5);      // e + combining acute: 0 columns for the mark
  CHECK(display_width("œuvre") == 5);
  CHECK(display_width("l’été") == 5);
  CHECK(display_width("日本") == 4);                  // wide
  CHECK(display_width("🎉") == 2);
  CHECK(display_width("a\tb") == 3);                  // a control still takes a column
  CHECK(display_width("\xFF" "a") == 2);              // an invalid byte is shown, not dropped
}

TEST_CASE("fitting to a width never cuts a character and marks the cut", "[display]") {
  CHECK(baro::fit_width("médiathèque", 20) == "médiathèque");
  CHECK(baro::fit_width("médiathèque", 5) == "médi…");
  CHECK(baro::fit_width("日本語", 4) == "日…");         // 日 (2) + … (1); 本 would overflow
  CHECK(baro::fit_width_from_end("médiathèque", 5) == "…èque");
  CHECK(baro::fit_width_from_end("日本語", 4) == "…語");
  // A combining mark is never left without its base at the start of the kept part.
  CHECK(baro::fit_width_from_end("xae\xCC\x81z", 2) == "…z");
  CHECK(baro::fit_width_from_end("xae\xCC\x81z", 3) == "…e\xCC\x81z");
  CHECK(display_width(baro::pad_left("été", 6)) == 6);
  CHECK(baro::pad_left("été", 6) == "   été");
  CHECK(baro::pad_right("日本", 5) == "日本 ");
  CHECK(baro::pad_right("trop long", 3) == "trop long");
}
