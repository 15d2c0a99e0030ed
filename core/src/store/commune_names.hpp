// Internal: the key under which commune names are compared, so that "St-Etienne",
// "Saint Étienne" and "SAINT-ETIENNE" find the same commune.
#pragma once

#include <string>
#include <string_view>

namespace baro {

std::string commune_name_key(std::string_view name);

}  // namespace baro
