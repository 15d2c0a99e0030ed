// Sentences the report's findings (in the engine) and the exporters (text, Markdown, HTML)
// print word for word, kept in one place so that they cannot drift apart. Header-only and
// standard C++ only, like french_number.hpp, for the same reason: the plugins cannot link
// the engine's internals.
#pragma once

namespace baro::plugins {

// Said wherever initiatives per 10,000 inhabitants are shown: small communes always come out
// ahead on such a rate when initiatives grow slower than population, so it is no evidence
// about the rural gap, which the count model measures at equal population.
inline constexpr const char* kPerCapitaCaveat =
    "Un taux par habitant avantage mécaniquement les petites communes dès que le nombre d'initiatives croît "
    "moins vite que la population (élasticité inférieure à 1) : il ne mesure pas l'écart à population égale.";

}  // namespace baro::plugins
