#pragma once
// Typed attribute values (OpenTelemetry common model: string, bool, int64, double and
// homogeneous arrays of each) and the key/value list spans, events, links and resources carry.

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace hotorder::telemetry {

using AttributeVariant =
    std::variant<bool, std::int64_t, double, std::string, std::vector<bool>,
                 std::vector<std::int64_t>, std::vector<double>, std::vector<std::string>>;

// A variant with constructors that do what a caller means: a string literal is a string (not a
// bool), any integer is an int64, any floating value a double.
struct AttributeValue : AttributeVariant {
  AttributeValue() : AttributeVariant(false) {}
  AttributeValue(bool v) : AttributeVariant(v) {}
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  AttributeValue(T v) : AttributeVariant(static_cast<std::int64_t>(v)) {}
  template <std::floating_point T>
  AttributeValue(T v) : AttributeVariant(static_cast<double>(v)) {}
  AttributeValue(const char* v) : AttributeVariant(std::string(v)) {}
  AttributeValue(std::string_view v) : AttributeVariant(std::string(v)) {}
  AttributeValue(std::string v) : AttributeVariant(std::move(v)) {}
  AttributeValue(std::vector<bool> v) : AttributeVariant(std::move(v)) {}
  AttributeValue(std::vector<std::int64_t> v) : AttributeVariant(std::move(v)) {}
  AttributeValue(std::vector<double> v) : AttributeVariant(std::move(v)) {}
  AttributeValue(std::vector<std::string> v) : AttributeVariant(std::move(v)) {}

  const AttributeVariant& variant() const noexcept { return *this; }
  AttributeVariant& variant() noexcept { return *this; }
};

struct KeyValue {
  std::string key;
  AttributeValue value;
  friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

using Attributes = std::vector<KeyValue>;

// Truncates string values (and each string of an array) to at most max_length bytes, backing off
// to a UTF-8 character boundary so a limit never produces invalid UTF-8.
void TruncateStrings(AttributeValue& value, std::size_t max_length) noexcept;

// Count and value-length limits for one attribute list (spec: Attribute Limits).
struct AttributeLimits {
  static constexpr std::uint32_t kUnlimited = 0xFFFFFFFFu;
  std::uint32_t count = 128;
  std::uint32_t value_length = kUnlimited;
};

// Sets `key` in `list` under `limits`: an existing key gets the new value (spec: keys are
// unique); a new key beyond the count limit is dropped and counted in `dropped`; strings longer
// than the length limit are truncated.
void SetAttribute(Attributes& list, std::string_view key, AttributeValue&& value,
                  const AttributeLimits& limits, std::uint32_t& dropped);
// The same for an item the caller gives up: its key string moves in instead of being copied.
void SetAttribute(Attributes& list, KeyValue&& item, const AttributeLimits& limits,
                  std::uint32_t& dropped);

// Finds the value of `key` in a list, or nullptr.
const AttributeValue* FindAttribute(const Attributes& attributes, std::string_view key) noexcept;

}  // namespace hotorder::telemetry
