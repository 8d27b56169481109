#pragma once
// Reading configuration from environment variables into plain values.
//
// Every service reads its environment once at start-up into an immutable options struct. An
// invalid value never stops a process: it produces a warning (collected here, logged by the
// caller once a logger exists) and the default is used, as the OpenTelemetry specification asks
// for its own variables.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotorder::config {

// Looks a variable up; an empty optional means "not set". Injectable so tests need no setenv.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The real process environment.
EnvLookup ProcessEnv();

// A lookup over fixed name/value pairs, for tests.
EnvLookup FixedEnv(std::vector<std::pair<std::string, std::string>> values);

class EnvReader {
 public:
  explicit EnvReader(EnvLookup lookup);

  // The raw value with surrounding whitespace trimmed; unset and empty are both "not set", as
  // the OpenTelemetry specification says an empty value means the default.
  std::optional<std::string> String(std::string_view name) const;
  std::string String(std::string_view name, std::string_view fallback) const;
  // "true"/"false", case-insensitive.
  bool Bool(std::string_view name, bool fallback) const;
  // A base-10 integer within [min, max].
  std::int64_t Int(std::string_view name, std::int64_t fallback, std::int64_t min,
                   std::int64_t max) const;
  // A finite number within [min, max].
  double Double(std::string_view name, double fallback, double min, double max) const;
  // A non-negative integer number of milliseconds (the OTEL_* duration convention).
  std::chrono::milliseconds Millis(std::string_view name, std::chrono::milliseconds fallback) const;

  // Records a problem found by a caller's own parsing of a value, so all warnings stay together.
  void Warn(std::string message) const;
  const std::vector<std::string>& Warnings() const { return warnings_; }

 private:
  EnvLookup lookup_;
  mutable std::vector<std::string> warnings_;
};

}  // namespace hotorder::config
