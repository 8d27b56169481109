#include "tools/investigate/duration.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace hotorder::investigate {
namespace {

// Ten years: far beyond any lookback, far from overflowing int64 microseconds.
constexpr double kMaxMicros = 10.0 * 365 * 24 * 3600 * 1e6;

}  // namespace

std::optional<Micros> ParseDuration(std::string_view text) {
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"us", 1.0}, {"µs", 1.0}, {"ms", 1e3}, {"s", 1e6}, {"m", 60e6}, {"h", 3600e6}};
  const auto number_end = text.find_first_not_of("0123456789.");
  if (number_end == 0 || number_end == std::string_view::npos) return std::nullopt;
  const std::string_view number = text.substr(0, number_end);
  const std::string_view unit = text.substr(number_end);
  double value = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
  for (const auto& [name, scale] : kUnits) {
    if (unit != name) continue;
    const double micros = value * scale;
    if (!std::isfinite(micros) || micros > kMaxMicros) return std::nullopt;
    return Micros(std::llround(micros));
  }
  return std::nullopt;
}

std::string FormatDuration(std::int64_t micros) {
  char buffer[48];
  const bool negative = micros < 0;
  const std::int64_t magnitude = negative ? -micros : micros;
  const char* sign = negative ? "-" : "";
  if (magnitude < 1000) {
    std::snprintf(buffer, sizeof buffer, "%s%lldus", sign, static_cast<long long>(magnitude));
  } else if (magnitude < 1'000'000) {
    std::snprintf(buffer, sizeof buffer, "%s%.2fms", sign, static_cast<double>(magnitude) / 1e3);
  } else if (magnitude < 60'000'000) {
    std::snprintf(buffer, sizeof buffer, "%s%.2fs", sign, static_cast<double>(magnitude) / 1e6);
  } else {
    const long long minutes = magnitude / 60'000'000;
    const double seconds = static_cast<double>(magnitude % 60'000'000) / 1e6;
    std::snprintf(buffer, sizeof buffer, "%s%lldm%04.1fs", sign, minutes, seconds);
  }
  return buffer;
}

std::string GoDuration(Micros duration) { return std::to_string(duration.count()) + "us"; }

std::string FormatPercent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", share * 100.0);
  return buffer;
}

}  // namespace hotorder::investigate
