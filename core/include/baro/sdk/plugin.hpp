// What every plugin shares, on the plugin's side of the boundary: its option table, the
// options it was given, the host's logging, and the exceptions that become error statuses.
//
// Header-only on purpose: it compiles into the plugin with the plugin's own compiler, and
// only the plain structs of baro/plugin_abi.h reach the host. Include baro/sdk.hpp rather
// than this file.
#pragma once

#include <array>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "baro/plugin_abi.h"

namespace baro::sdk {

enum class OptionType : std::int32_t {
  kString = BARO_OPTION_STRING,
  kBool = BARO_OPTION_BOOL,
  kInt = BARO_OPTION_INT,
  kNumber = BARO_OPTION_NUMBER,
  kChoice = BARO_OPTION_CHOICE,  // one of Option::choices (plugin API 1.2)
};

// One line of a plugin's option table. Declare the table as a namespace-scope constexpr
// array and name it in BARO_EXPORTER / BARO_CLASSIFIER:
//
//   constexpr baro::sdk::Option kOptions[] = {
//       {"delimiter", baro::sdk::OptionType::kString, ",", "field separator"},
//       {"format", baro::sdk::OptionType::kChoice, "tsv", "file format", "tsv|csv"},
//       {"min-initiatives", baro::sdk::OptionType::kInt, "1", "smallest group", {}, "1"},
//   };
//
// The host checks every value before the plugin is created and refuses, naming the option,
// a value of the wrong type, outside [minimum, maximum], or not among the choices; so does
// `baro plugins list` with a table whose default breaks its own rule.
struct Option {
  std::string_view name;           // lower-case letters, digits and '-'
  OptionType type = OptionType::kString;
  std::string_view default_value;  // as text ("true"/"false" for kBool)
  std::string_view description;    // one line, printed by `baro plugins describe`
  std::string_view choices = {};   // kChoice: the allowed values, separated by '|' ("tsv|csv")
  std::string_view minimum = {};   // kInt, kNumber: the lowest allowed value, as text; empty: none
  std::string_view maximum = {};   // kInt, kNumber: the highest allowed value; empty: none
};

// Throw these from a plugin: the SDK catches them at the boundary and hands the host the
// matching status and the message. Any other std::exception becomes BARO_STATUS_INTERNAL.
class Error : public std::runtime_error {
 public:
  Error(baro_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  baro_status status() const noexcept { return status_; }

 private:
  baro_status status_;
};
// An option value the plugin cannot use ("--columns: unknown column 'x'").
struct OptionError : Error {
  explicit OptionError(const std::string& message) : Error(BARO_STATUS_BAD_OPTION, message) {}
};
// Data the plugin cannot handle.
struct DataError : Error {
  explicit DataError(const std::string& message) : Error(BARO_STATUS_DATA, message) {}
};
// A resource the plugin reads or writes failed.
struct IoError : Error {
  explicit IoError(const std::string& message) : Error(BARO_STATUS_IO, message) {}
};

namespace detail {
inline std::string_view view(baro_str s) noexcept { return s.size == 0 ? std::string_view() : std::string_view(s.data, s.size); }
inline baro_str str(std::string_view s) noexcept { return baro_str{s.data(), s.size()}; }

// Element i of an array of C structs whose element size the other side gave: structs passed
// as arrays may grow in a minor version, so the step is never sizeof(T).
template <class T>
const T& element(const T* base, std::size_t element_size, std::size_t i) noexcept {
  return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(base) + i * element_size);
}
// Whether a struct filled in as `size` bytes holds the member at `offset` of `member_size`
// bytes: how a reader knows a field appended in a later minor is there.
constexpr bool holds(std::size_t size, std::size_t offset, std::size_t member_size) noexcept {
  return size >= offset + member_size;
}
}  // namespace detail

// The options a plugin instance was created with: every option of its table, the user's
// value or the default, already checked by the host against the declared type, range and
// choices. Valid only during the constructor that receives it: copy what you keep.
class Options {
 public:
  Options(const baro_option* options, std::size_t count, const baro_host* host = nullptr) noexcept
      : options_(options), count_(count) {
    if (host != nullptr &&
        detail::holds(host->struct_size, offsetof(baro_host, option_struct_size), sizeof host->option_struct_size) &&
        host->option_struct_size >= kOptionSize11) {
      option_size_ = host->option_struct_size;
    }
  }

  // The value of option `name` as text. Throws OptionError if `name` is not in the table
  // (a typo in the plugin, caught the first time that code runs).
  std::string_view get(std::string_view name) const { return detail::view(find(name).value); }
  // Whether the user gave option `name` (else it holds the table's default): e.g. to let an
  // explicit --delimiter win over what --excel implies.
  bool given(std::string_view name) const {
    const baro_option& o = find(name);
    return option_size_ >= offsetof(baro_option, given) + sizeof o.given && o.given != 0;
  }
  bool get_bool(std::string_view name) const { return get(name) == "true"; }
  std::int64_t get_int(std::string_view name) const {
    const std::string_view v = get(name);
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec == std::errc::result_out_of_range) {
      throw OptionError("--" + std::string(name) + ": " + std::string(v) + " is out of range (a 64-bit integer)");
    }
    if (ec != std::errc() || end != v.data() + v.size()) {
      throw OptionError("--" + std::string(name) + ": \"" + std::string(v) + "\" is not an integer");
    }
    return out;
  }
  double get_number(std::string_view name) const {
    const std::string value(get(name));
    char* end = nullptr;
    errno = 0;
    // strtod reads the C locale's decimal point only while the global C locale is "C", which
    // a plugin must not change (the host never does).
    const double out = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size()) {
      throw OptionError("--" + std::string(name) + ": \"" + value + "\" is not a number");
    }
    if (errno == ERANGE) throw OptionError("--" + std::string(name) + ": " + value + " is out of range");
    return out;
  }

 private:
  // 1.1's baro_option: name and value.
  static constexpr std::size_t kOptionSize11 = 2 * sizeof(baro_str);
  const baro_option& find(std::string_view name) const {
    for (std::size_t i = 0; i < count_; ++i) {
      const baro_option& o = detail::element(options_, option_size_, i);
      if (detail::view(o.name) == name) return o;
    }
    throw OptionError("the plugin asked for option \"" + std::string(name) + "\", which its option table lacks");
  }
  const baro_option* options_;
  std::size_t count_;
  std::size_t option_size_ = kOptionSize11;
};

// The host's services. Valid for the life of the plugin instance that received it.
class Host {
 public:
  explicit Host(const baro_host* host) noexcept : host_(host) {}
  // Lines on stderr, prefixed with the plugin's name. stdout is not the plugin's.
  void info(std::string_view message) const noexcept { log(BARO_LOG_INFO, message); }
  void warning(std::string_view message) const noexcept { log(BARO_LOG_WARNING, message); }
  const baro_host* raw() const noexcept { return host_; }

 private:
  void log(std::int32_t level, std::string_view message) const noexcept {
    if (host_ != nullptr && host_->log != nullptr) host_->log(host_->context, level, detail::str(message));
  }
  const baro_host* host_;
};

namespace detail {

inline void fail(const baro_host* host, std::string_view message) noexcept {
  if (host != nullptr && host->fail != nullptr) host->fail(host->context, str(message));
}

// Runs `body` and turns whatever it throws into a status and a message for the host: the
// one place where exceptions stop.
template <class Body>
std::int32_t guard(const baro_host* host, Body&& body) noexcept {
  try {
    body();
    return BARO_OK;
  } catch (const Error& e) {
    fail(host, e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    fail(host, "out of memory");
    return BARO_STATUS_INTERNAL;
  } catch (const std::exception& e) {
    fail(host, std::string("unexpected exception: ") + e.what());
    return BARO_STATUS_INTERNAL;
  } catch (...) {
    fail(host, "unexpected exception of a non-standard type");
    return BARO_STATUS_INTERNAL;
  }
}

// The option table as the C structs the descriptor points to. Storage is a function-local
// static per plugin, trivially destructible.
template <std::size_t N>
std::array<baro_option_spec, N> to_specs(const Option (&options)[N]) noexcept {
  std::array<baro_option_spec, N> out{};
  for (std::size_t i = 0; i < N; ++i) {
    out[i] = baro_option_spec{str(options[i].name), static_cast<std::int32_t>(options[i].type),
                              str(options[i].default_value), str(options[i].description),
                              str(options[i].choices), str(options[i].minimum), str(options[i].maximum)};
  }
  return out;
}

inline baro_plugin_descriptor make_descriptor(baro_plugin_kind kind, std::string_view name, std::string_view version,
                                              std::string_view description, const baro_option_spec* options,
                                              std::size_t option_count) noexcept {
  baro_plugin_descriptor d{};
  d.api_major = BARO_PLUGIN_API_MAJOR;
  d.api_minor = BARO_PLUGIN_API_MINOR;
  d.struct_size = sizeof(baro_plugin_descriptor);
  d.kind = kind;
  d.name = str(name);
  d.version = str(version);
  d.description = str(description);
  d.options = options;
  d.option_count = option_count;
  d.option_spec_struct_size = sizeof(baro_option_spec);
  return d;
}

}  // namespace detail
}  // namespace baro::sdk
