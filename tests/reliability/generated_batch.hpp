// A large, valid survey batch written by the tests themselves, for the kill and concurrency
// tests: realistic French descriptions (several domains, accents, quoted semicolons), real
// commune codes taken from the bundled reference, ids unique within the batch. The same
// seed gives the same bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace baro::test {

inline const std::vector<std::string>& reference_commune_codes() {
  static const std::vector<std::string> codes = [] {
    std::vector<std::string> out;
    std::ifstream in(reference_dir() / "fr-communes-2026.csv");
    std::string line;
    std::getline(in, line);  // header: code_insee,nom,type,...
    for (std::size_t n = 0; std::getline(in, line); ++n) {
      if (line.find(",commune-actuelle,") != std::string::npos && n % 7 == 0) out.push_back(line.substr(0, 5));
    }
    if (out.size() < 100) throw std::runtime_error("cannot read commune codes from the reference");
    return out;
  }();
  return codes;
}

// Writes `records` records to `path` as a `;`-separated UTF-8 CSV; returns the path.
inline std::filesystem::path write_generated_batch(const std::filesystem::path& path, std::size_t records,
                                                   std::uint32_t seed, const std::string& id_prefix = "g") {
  static const char* const kWhat[] = {
      "Ateliers numériques pour les seniors à l'EPN",
      "Refonte du site internet de la commune",
      "Médiathèque : portail de ressources en ligne",
      "Tableaux numériques interactifs dans les écoles",
      "Inscription à la cantine et au périscolaire en ligne",
      "Budget participatif et consultation en ligne",
      "Application de signalement des anomalies sur la voirie",
      "Tiers-lieu et espace de coworking",
      "Wi-Fi public gratuit sur la place du marché",
      "Conseiller numérique en mairie; aide aux démarches",
      "Lettre d'information électronique mensuelle",
      "Paiement en ligne des factures de l'eau",
  };
  static const char* const kDetail[] = {
      "",
      " avec l'aide de la région",
      " (projet « Territoire connecté »)",
      ", ouvert le samedi matin",
      " pour les habitants et les associations",
      " — phase 2",
  };
  const auto& communes = reference_commune_codes();
  std::mt19937 random(seed);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << "id;code_insee;annee;description\n";
  for (std::size_t i = 0; i < records; ++i) {
    const std::string what = kWhat[random() % std::size(kWhat)];
    const std::string detail = kDetail[random() % std::size(kDetail)];
    std::string description = what + detail;
    const bool quote = description.find(';') != std::string::npos;
    out << id_prefix << i << ';' << communes[random() % communes.size()] << ';' << 2020 + random() % 7 << ';'
        << (quote ? "\"" + description + "\"" : description) << '\n';
  }
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return path;
}

}  // namespace baro::test
