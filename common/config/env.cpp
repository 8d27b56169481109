#include "config/env.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace hotorder::config {
namespace {

std::string Trim(std::string_view s) {
  auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

EnvLookup FixedEnv(std::vector<std::pair<std::string, std::string>> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    for (const auto& [key, value] : values) {
      if (key == name) return value;
    }
    return std::nullopt;
  };
}

EnvReader::EnvReader(EnvLookup lookup) : lookup_(std::move(lookup)) {}

std::optional<std::string> EnvReader::String(std::string_view name) const {
  auto raw = lookup_(name);
  if (!raw) return std::nullopt;
  std::string value = Trim(*raw);
  if (value.empty()) return std::nullopt;
  return value;
}

std::string EnvReader::String(std::string_view name, std::string_view fallback) const {
  auto value = String(name);
  return value ? *value : std::string(fallback);
}

bool EnvReader::Bool(std::string_view name, bool fallback) const {
  auto value = String(name);
  if (!value) return fallback;
  std::string lower = Lower(*value);
  if (lower == "true") return true;
  if (lower == "false") return false;
  Warn(std::string(name) + "=\"" + *value + "\" is not true or false; using " +
       (fallback ? "true" : "false"));
  return fallback;
}

std::int64_t EnvReader::Int(std::string_view name, std::int64_t fallback, std::int64_t min,
                            std::int64_t max) const {
  auto value = String(name);
  if (!value) return fallback;
  std::int64_t parsed = 0;
  const char* end = value->data() + value->size();
  auto [ptr, ec] = std::from_chars(value->data(), end, parsed);
  if (ec != std::errc{} || ptr != end || parsed < min || parsed > max) {
    Warn(std::string(name) + "=\"" + *value + "\" is not an integer in [" + std::to_string(min) +
         ", " + std::to_string(max) + "]; using " + std::to_string(fallback));
    return fallback;
  }
  return parsed;
}

double EnvReader::Double(std::string_view name, double fallback, double min, double max) const {
  auto value = String(name);
  if (!value) return fallback;
  double parsed = 0;
  const char* end = value->data() + value->size();
  auto [ptr, ec] = std::from_chars(value->data(), end, parsed);
  if (ec != std::errc{} || ptr != end || !std::isfinite(parsed) || parsed < min || parsed > max) {
    Warn(std::string(name) + "=\"" + *value + "\" is not a number in [" + std::to_string(min) +
         ", " + std::to_string(max) + "]; using " + std::to_string(fallback));
    return fallback;
  }
  return parsed;
}

std::chrono::milliseconds EnvReader::Millis(std::string_view name,
                                            std::chrono::milliseconds fallback) const {
  return std::chrono::milliseconds(
      Int(name, fallback.count(), 0, std::int64_t{1} << 40));
}

void EnvReader::Warn(std::string message) const { warnings_.push_back(std::move(message)); }

}  // namespace hotorder::config
