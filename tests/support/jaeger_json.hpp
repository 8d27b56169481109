#pragma once
// Reading Jaeger's query API answers (/api/traces/{id}: {"data":[{"traceID","spans":[...]}]})
// in end-to-end tests: a span by name, its tags, its events (Jaeger "logs") and its duration.

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hotorder::test {

// A tag or event field value from Jaeger's [{"key","value"}] list, or null.
inline nlohmann::json ValueOf(const nlohmann::json& key_values, std::string_view key) {
  for (const auto& entry : key_values) {
    if (entry["key"] == key) return entry["value"];
  }
  return nullptr;
}

// The span named `name` in a trace answer (the first, when several share it), or null.
inline nlohmann::json SpanNamed(const nlohmann::json& trace, std::string_view name) {
  for (const auto& span : trace["data"][0]["spans"]) {
    if (span["operationName"] == name) return span;
  }
  return nullptr;
}

// The span `name` of service `service` (several services name spans alike), or null.
inline nlohmann::json SpanOf(const nlohmann::json& trace, std::string_view service,
                             std::string_view name) {
  const auto& data = trace["data"][0];
  for (const auto& span : data["spans"]) {
    if (span["operationName"] != name) continue;
    const auto& process = data["processes"][span["processID"].get<std::string>()];
    if (process["serviceName"] == service) return span;
  }
  return nullptr;
}

// The span id of a span's CHILD_OF reference ("" for a root).
inline std::string ParentIdOf(const nlohmann::json& span) {
  for (const auto& reference : span["references"]) {
    if (reference["refType"] == "CHILD_OF") return reference["spanID"].get<std::string>();
  }
  return "";
}

// The fields of event `name` on a Jaeger span, or null.
inline nlohmann::json EventFields(const nlohmann::json& span, std::string_view name) {
  for (const auto& log : span["logs"]) {
    if (ValueOf(log["fields"], "event") == name) return log["fields"];
  }
  return nullptr;
}

inline std::int64_t DurationUs(const nlohmann::json& span) {
  return span["duration"].get<std::int64_t>();
}

}  // namespace hotorder::test
