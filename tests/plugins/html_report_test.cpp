// The HTML page as a function of the report document: structure, figures, escaping, and
// self-containment. (tests/plugins/html_browser_test.cpp renders it in a real browser.)
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>

#include "baro/report.hpp"
#include "html_report.hpp"
#include "report_wording.hpp"
#include "stats/report_fixture.hpp"
#include "support/test_support.hpp"

using nlohmann::json;

namespace {

json fixture_report() {
  baro::test::TempDir dir;
  baro::test::make_report_fixture(dir / "baro.db", dir / "reference");
  const auto store = baro::Store::open(dir / "baro.db", {baro::OpenMode::kReadOnly});
  return json::parse(baro::report_to_json(baro::compute_report(*store)));
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// The data-value of the element whose data-figure is `key`.
std::string figure_value(const std::string& html, const std::string& key) {
  const std::regex pattern("data-figure=\"" + key + "\" data-value=\"([^\"]*)\"");
  std::smatch m;
  if (!std::regex_search(html, m, pattern)) return "<missing>";
  return m[1].str();
}

}  // namespace

TEST_CASE("the page has the three charts, each with a title, a description and an accessible name", "[html]") {
  const std::string html = baro::html::render_report(fixture_report());
  CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"fr\">"));
  for (const char* chart : {"chart-domains", "chart-scatter", "chart-rural"}) {
    INFO(chart);
    CHECK_THAT(html, Catch::Contains(std::string("<svg class=\"chart\" id=\"") + chart + "\""));
    CHECK_THAT(html, Catch::Contains(std::string("<title id=\"") + chart + "-title\">"));
    CHECK_THAT(html, Catch::Contains(std::string("<desc id=\"") + chart + "-desc\">"));
    CHECK_THAT(html, Catch::Contains(std::string("aria-labelledby=\"") + chart + "-title " + chart + "-desc\""));
  }
  CHECK(count(html, "\" r=\"4\" fill=") == 6);  // six communes with a population; Hameau cannot be placed
  CHECK(count(html, "<line class=\"fit\"") == 1);
  CHECK(count(html, "<g class=\"bar\"") == 10);  // nine domains and the unclassified row
  CHECK_THAT(html, Catch::Contains("id=\"table-bands\""));
  CHECK_THAT(html, Catch::Contains("id=\"table-regions\""));
  CHECK_THAT(html, Catch::Contains("id=\"table-departments\""));
  CHECK_THAT(html, Catch::Contains("<meta name=\"viewport\""));
  CHECK_THAT(html, Catch::Contains("@media print"));
  CHECK_THAT(html, Catch::Contains("@media (max-width: 40rem)"));
}

TEST_CASE("the key figures of the page carry the report's exact values", "[html]") {
  const json report = fixture_report();
  const std::string html = baro::html::render_report(report);
  CHECK(figure_value(html, "initiatives") == report["initiatives"].dump());
  CHECK(figure_value(html, "communes") == report["communes"].dump());
  CHECK(figure_value(html, "spearman") == report["size_effect"]["spearman"]["coefficient"].dump());
  CHECK(figure_value(html, "elasticity") == report["size_effect"]["loglog_fit"]["elasticity"].dump());
  CHECK(figure_value(html, "rural_rate_ratio") == report["rural"]["count_model"]["rate_ratio"].dump());
  CHECK(figure_value(html, "rural\\.ci95_low") == report["rural"]["count_model"]["ci95_low"].dump());
  CHECK(figure_value(html, "domain\\.acces\\.primary_count") == "26");
  CHECK(figure_value(html, "band\\.lt2k\\.initiatives") == "18");
  // Shown in French: 45 initiatives, rho 0,86, elasticity 0,50, half as many in rural communes
  // (rate ratio 0,50).
  CHECK_THAT(html, Catch::Contains("data-figure=\"initiatives\" data-value=\"45\">45</span>"));
  CHECK_THAT(html, Catch::Contains(">0,86</span>"));
  CHECK_THAT(html, Catch::Contains(">0,50</span>"));
  CHECK_THAT(html, Catch::Contains("data-figure=\"rural.rate_ratio\""));
  CHECK_THAT(html, Catch::Contains("une commune rurale déclare 50\u00A0% d'initiatives en moins"));
  CHECK_THAT(html, Catch::Contains("Plus de la moitié des initiatives (57,8\u00A0%)"));
}

TEST_CASE("the page is self-contained: no script, no external resource", "[html]") {
  const std::string html = baro::html::render_report(fixture_report());
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  // The only URLs are the SVG namespace (an identifier, never fetched) and in-page references.
  const std::regex url("(https?:)?//[^\"]*");
  for (std::sregex_iterator it(html.begin(), html.end(), url), end; it != end; ++it) {
    INFO(it->str());
    CHECK(it->str() == "http://www.w3.org/2000/svg");
  }
  const std::regex css_url("url\\(([^)]*)\\)");
  for (std::sregex_iterator it(html.begin(), html.end(), css_url), end; it != end; ++it) CHECK((*it)[1].str() == "#plot-area");
}

TEST_CASE("every string from the report is escaped", "[html][escape]") {
  json report = fixture_report();
  const std::string evil = "<script>alert(\"x\")</script> & 'co'";
  report["domains"][0]["label"] = evil;
  report["commune_points"][0]["name"] = evil;
  report["findings"][0]["text"] = evil;
  report["breakdowns"]["regions"][0]["label"] = evil;
  report["run"]["ruleset"]["id"] = evil;
  const std::string html = baro::html::render_report(report);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find(evil) == std::string::npos);
  CHECK_THAT(html, Catch::Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"));
  CHECK(baro::html::escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
}

TEST_CASE("a report without the statistics still renders, saying what is missing", "[html]") {
  const json minimal = {{"schema", "baro-report/2"},
                        {"initiatives", 3},
                        {"communes", 1},
                        {"domains", {{{"domain", "acces"}, {"label", "Accès"}, {"primary_count", 3}, {"primary_share", 1.0}}}}};
  const std::string html = baro::html::render_report(minimal);
  CHECK_THAT(html, Catch::Contains("data-figure=\"spearman\" data-value=\"\">—</span>"));
  CHECK_THAT(html, Catch::Contains("Trop peu de communes"));
  CHECK_THAT(html, Catch::Contains("chart-domains"));
}

TEST_CASE("a document that is not a baro-report/2 is refused", "[html][errors]") {
  CHECK_THROWS_AS(baro::html::render_report(json::array()), std::invalid_argument);
  CHECK_THROWS_AS(baro::html::render_report(json{{"schema", "baro-report/1"}}), std::invalid_argument);
  CHECK_THROWS_AS(baro::html::render_report(json{{"schema", "baro-report/3"}}), std::invalid_argument);
}

TEST_CASE("the page's wording: plurals from counts, a classification not a ranking, small areas flagged, "
          "domains by share, the scatter's floor below one",
          "[html][wording]") {
  const std::string html = baro::html::render_report(fixture_report());
  CHECK(html.find("(s)") == std::string::npos);
  CHECK(html.find("Classement") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("Classification n<sup>o</sup>"));
  CHECK_THAT(html, Catch::Contains("1\u00A0commune sans population connue ne figure ni dans le nuage"));
  CHECK_THAT(html, Catch::Contains("Fanjac : 6\u00A0400 hab., 16\u00A0initiatives, urbaine"));
  // Both departments and both regions have fewer than five communes.
  CHECK(count(html, "data-small-sample=") == 4);
  // Bars from the largest share down: acces (26 of 45) first, the unclassified row last.
  const auto first_bar = html.find("<g class=\"bar\"");
  const std::string acces_bar = "<g class=\"bar\" data-domain=\"acces\">";
  CHECK(html.compare(first_bar, acces_bar.size(), acces_bar) == 0);
  CHECK(html.rfind("<g class=\"bar\"") == html.find("<g class=\"bar\" data-domain=\"\">"));
  CHECK_THAT(html, Catch::Contains(std::string(baro::plugins::kPerCapitaCaveat).substr(0, 40)));
}
