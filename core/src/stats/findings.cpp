#include "stats/findings.hpp"

#include <algorithm>
#include <cmath>

#include "report_wording.hpp"
#include "stats/french.hpp"

namespace baro::stats {
namespace {

constexpr double kSignificance = 0.05;

std::string quoted(const std::string& label) { return "«\u00A0" + label + "\u00A0»"; }

// The largest simple fraction the share exceeds, as a journalist would say it. The
// comparison is on the exact share: "plus d'un quart" is never said of 24.96 %.
std::string share_phrase(double share) {
  if (share > 0.5) return "Plus de la moitié des initiatives";
  if (share > 1.0 / 3.0) return "Plus d'un tiers des initiatives";
  if (share > 0.25) return "Plus d'un quart des initiatives";
  if (share > 0.2) return "Plus d'une initiative sur cinq";
  return "";
}

// Cohen's conventional words for the strength of a correlation, in French.
std::string strength(double r) {
  const double a = std::fabs(r);
  if (a >= 0.8) return "très étroite";
  if (a >= 0.6) return "étroite";
  if (a >= 0.4) return "modérée";
  if (a >= 0.2) return "faible";
  return "très faible";
}

std::string rural_definition(const RuralDefinition& d) {
  std::string text = "moins de " + fr_integer(d.threshold) + "\u00A0habitants";
  if (!d.population_vintage.empty()) text += ", population " + d.population_vintage;
  if (d.by_initiative_attribute + d.by_commune_attribute > 0) text += ", sauf attribut « rural » importé";
  return text;
}

void domain_findings(const Report& report, std::vector<Finding>& out) {
  if (report.initiatives == 0) return;
  std::vector<const DomainShare*> ranked;
  for (const auto& d : report.domains)
    if (!d.domain.empty() && d.primary_count > 0) ranked.push_back(&d);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const DomainShare* a, const DomainShare* b) { return a->primary_count > b->primary_count; });
  if (!ranked.empty()) {
    const DomainShare& top = *ranked.front();
    const std::string phrase = share_phrase(top.primary_share);
    if (!phrase.empty()) {
      const bool singular = phrase == "Plus d'une initiative sur cinq";
      out.push_back({"top_domain", phrase + " (" + fr_percent(top.primary_share) + ") " +
                                       (singular ? "relève" : "relèvent") + " du domaine " + quoted(top.label) + "."});
    } else {
      out.push_back({"top_domain", "Le domaine le plus fréquent est " + quoted(top.label) + " (" +
                                       fr_percent(top.primary_share) + " des initiatives)."});
    }
  }
  if (ranked.size() >= 2) {
    std::string text = "Suivent ";
    const std::size_t last = std::min<std::size_t>(ranked.size(), 4);
    for (std::size_t i = 1; i < last; ++i) {
      if (i > 1) text += i + 1 == last ? " et " : ", ";
      text += quoted(ranked[i]->label) + " (" + fr_percent(ranked[i]->primary_share) + ")";
    }
    out.push_back({"next_domains", text + "."});
  }
  if (report.domains.empty()) return;
  const DomainShare& none = report.domains.back();
  if (none.domain.empty() && none.primary_count > 0) {
    out.push_back({"unclassified", fr_percent(none.primary_share) + " des initiatives (" + fr_integer(none.primary_count) +
                                       ") ne relèvent d'aucun domaine reconnu par les règles."});
  }
}

void coverage_findings(const Report& report, std::vector<Finding>& out) {
  const Coverage& c = report.coverage;
  if (c.communes == 0) return;
  std::string text;
  if (c.communes == 1) {
    text = "Une seule commune est présente dans les données : " + c.max_commune_name + " (" + fr_integer(c.max) +
           (c.max > 1 ? "\u00A0initiatives)." : "\u00A0initiative).");
  } else {
    text = "Les " + fr_integer(c.communes) + " communes présentes déclarent en moyenne " + fr_decimal(c.mean, 1) +
           "\u00A0initiatives (médiane " + fr_decimal(c.median, 1) + ") ; " + c.max_commune_name +
           " en compte le plus (" + fr_integer(c.max) + ").";
  }
  out.push_back({"coverage", text});
  out.push_back({"scope", "Seules les communes ayant déclaré au moins une initiative sont prises en compte (" +
                              fr_integer(c.communes) + " sur " + fr_integer(c.reference_communes) +
                              " communes du référentiel) : une enquête ne voit que les communes qui ont répondu."});
}

// What an elasticity's 95 % interval allows one to say about how services follow population.
std::string elasticity_reading(double low, double high) {
  if (low > 1.0) return "le nombre de services croît plus vite que la population";
  if (low > 0.0 && high < 1.0) return "le nombre de services croît moins vite que la population";
  if (low > 0.0) return "le nombre de services croît avec la population, peut-être aussi vite qu'elle";
  if (high < 0.0) return "le nombre de services décroît quand la population augmente";
  if (high < 1.0) return "aucun lien entre population et nombre de services n'est établi";
  return "";  // the interval holds both 0 and 1: nothing can be said
}

void size_findings(const Report& report, std::vector<Finding>& out) {
  const SizeEffect& s = report.size;
  // A correlation or a slope on a handful of communes is noise with a number on it.
  if (s.communes < kMinCommunesForSizeFindings) return;
  if (s.spearman) {
    const auto& rho = *s.spearman;
    std::string text = "Corrélation " + strength(rho.coefficient) + (rho.coefficient < 0 ? " et négative" : "") +
                       " entre population et nombre de services (ρ de Spearman = " + fr_decimal(rho.coefficient, 2) +
                       ", n = " + fr_integer(rho.n) + " communes";
    text += rho.p_value < kSignificance ? ")." : " ; non significative, " + fr_p_value(rho.p_value) + ").";
    out.push_back({"size_correlation", text});
  }
  if (s.fit) {
    const auto& f = *s.fit;
    const std::string figures = "élasticité " + fr_decimal(f.elasticity, 2) + ", IC 95\u00A0% " +
                                fr_decimal(f.elasticity_ci_low, 2) + " à " + fr_decimal(f.elasticity_ci_high, 2) +
                                ", R² = " + fr_decimal(f.r_squared, 2);
    const std::string reading = elasticity_reading(f.elasticity_ci_low, f.elasticity_ci_high);
    if (reading.empty()) {
      out.push_back({"elasticity", "Le rythme auquel le nombre de services suit la population est indéterminé (" +
                                       figures + " : l'intervalle contient 0 et 1)."});
    } else {
      const double doubling = std::pow(2.0, f.elasticity);
      out.push_back({"elasticity", "Quand la population double, le nombre d'initiatives est multiplié par " +
                                       fr_decimal(doubling, 2) + " en moyenne (" + figures + ") : " + reading + "."});
    }
  }
}

void rural_findings(const Report& report, std::vector<Finding>& out) {
  const RuralEffect& r = report.rural;
  const std::int64_t communes = r.rural.communes + r.urban.communes;
  if (r.rural.communes == 0 || r.urban.communes == 0 || report.initiatives == 0) return;
  const double commune_share = static_cast<double>(r.rural.communes) / static_cast<double>(communes);
  const double initiative_share =
      static_cast<double>(r.rural.initiatives) / static_cast<double>(r.rural.initiatives + r.urban.initiatives);
  out.push_back({"rural_share", "Les communes rurales (" + rural_definition(r.definition) + ") représentent " +
                                    fr_percent(commune_share) + " des communes présentes mais " +
                                    fr_percent(initiative_share) + " des initiatives."});
  if (r.rural.per_10k_inhabitants && r.urban.per_10k_inhabitants) {
    out.push_back({"rural_rate", "Rapporté à leur population, elles déclarent " +
                                     fr_decimal(*r.rural.per_10k_inhabitants, 1) +
                                     "\u00A0initiatives pour 10\u00A0000\u00A0habitants, contre " +
                                     fr_decimal(*r.urban.per_10k_inhabitants, 1) + " pour les communes urbaines. " +
                                     plugins::kPerCapitaCaveat});
  }
  if (r.count_model && r.count_model->rural_communes >= kMinCommunesPerGroupForGap &&
      r.count_model->urban_communes >= kMinCommunesPerGroupForGap) {
    const RuralCountModel& m = *r.count_model;
    const std::string figures = "rapport de taux " + fr_decimal(m.rate_ratio, 2) + ", IC 95\u00A0% " +
                                fr_decimal(m.rate_ratio_ci_low, 2) + " à " + fr_decimal(m.rate_ratio_ci_high, 2) + ", " +
                                fr_p_value(m.rate_ratio_p_value) + " ; régression binomiale négative sur " +
                                fr_integer(m.communes) + " communes";
    if (m.rate_ratio_ci_low <= 1.0 && m.rate_ratio_ci_high >= 1.0) {
      out.push_back({"rural_gap", "À population égale, aucun écart entre communes rurales et urbaines n'est établi (" +
                                      figures + ")."});
    } else {
      const double gap = m.rate_ratio - 1.0;
      out.push_back({"rural_gap", "À population égale, les communes rurales déclarent " +
                                      fr_percent(std::fabs(gap), 0) +
                                      (gap < 0 ? " d'initiatives en moins" : " d'initiatives en plus") +
                                      " que les communes urbaines (" + figures + ")."});
    }
  }
}

}  // namespace

std::vector<Finding> generate_findings(const Report& report) {
  std::vector<Finding> out;
  domain_findings(report, out);
  coverage_findings(report, out);
  size_findings(report, out);
  rural_findings(report, out);
  return out;
}

}  // namespace baro::stats
