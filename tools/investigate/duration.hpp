#pragma once
// Durations as a person types and reads them. Jaeger keeps microseconds, so everything here is
// in microseconds too: no rounding between what Jaeger stores and what is printed.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotorder::investigate {

using Micros = std::chrono::microseconds;

// "300ms", "1.5s", "2m", "1h", "250us" (or "250µs"); a unit is required, negatives are not
// durations. nullopt for anything else.
std::optional<Micros> ParseDuration(std::string_view text);

// Fixed, compact, ASCII only (so columns line up byte for byte): "850us", "350.21ms", "1.50s",
// "2m03.0s".
std::string FormatDuration(std::int64_t micros);

// The form Go's time.ParseDuration reads (Jaeger's minDuration/maxDuration): "300000us".
std::string GoDuration(Micros duration);

// "91.8%" (one decimal) of a 0..1 share.
std::string FormatPercent(double share);

}  // namespace hotorder::investigate
