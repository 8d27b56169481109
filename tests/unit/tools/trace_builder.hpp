#pragma once
// Handmade traces in Jaeger's /api/traces JSON, so tests exercise the same parser the tool runs.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/investigate/trace_model.hpp"

namespace hotorder::investigate::testing {

// Times are µs after kEpochUs (2023-11-14T22:13:20Z).
inline constexpr std::int64_t kEpochUs = 1'700'000'000'000'000;
inline constexpr const char* kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

struct SpanSpec {
  std::string id;      // 16 hex digits
  std::string parent;  // "" for a root
  std::string service;
  std::string name;
  std::int64_t start_us = 0;
  std::int64_t duration_us = 0;
  nlohmann::json tags = nlohmann::json::array();
  nlohmann::json logs = nlohmann::json::array();
};

inline nlohmann::json Tag(const std::string& key, const nlohmann::json& value) {
  std::string type = "string";
  if (value.is_boolean()) type = "bool";
  if (value.is_number_integer()) type = "int64";
  if (value.is_number_float()) type = "float64";
  return {{"key", key}, {"type", type}, {"value", value}};
}

// A Jaeger log for an OpenTelemetry event: the name as field "event", then the attributes.
inline nlohmann::json Log(std::int64_t at_us, const std::string& name,
                          const std::vector<nlohmann::json>& fields = {}) {
  nlohmann::json all = nlohmann::json::array({Tag("event", name)});
  for (const auto& field : fields) all.push_back(field);
  return {{"timestamp", kEpochUs + at_us}, {"fields", all}};
}

inline nlohmann::json TraceJson(const std::vector<SpanSpec>& specs,
                                const std::string& trace_id = kTraceId) {
  nlohmann::json spans = nlohmann::json::array();
  nlohmann::json processes = nlohmann::json::object();
  std::map<std::string, std::string> process_ids;
  for (const SpanSpec& spec : specs) {
    auto [it, added] =
        process_ids.emplace(spec.service, "p" + std::to_string(process_ids.size() + 1));
    if (added) processes[it->second] = {{"serviceName", spec.service}, {"tags", nlohmann::json::array()}};
    nlohmann::json references = nlohmann::json::array();
    if (!spec.parent.empty()) {
      references.push_back({{"refType", "CHILD_OF"}, {"traceID", trace_id}, {"spanID", spec.parent}});
    }
    spans.push_back({{"traceID", trace_id},
                     {"spanID", spec.id},
                     {"operationName", spec.name},
                     {"references", references},
                     {"startTime", kEpochUs + spec.start_us},
                     {"duration", spec.duration_us},
                     {"tags", spec.tags},
                     {"logs", spec.logs},
                     {"processID", it->second},
                     {"warnings", nullptr}});
  }
  return {{"traceID", trace_id}, {"spans", spans}, {"processes", processes}};
}

inline Trace ParseOrFail(const nlohmann::json& trace_json) {
  auto parsed = ParseJaegerTrace(trace_json);
  if (auto* error = std::get_if<ParseError>(&parsed)) {
    ADD_FAILURE() << error->message;
    return {};
  }
  return std::get<Trace>(std::move(parsed));
}

// The trace HotOrder makes with the slow-index-scan fault on: db.reserve-stock takes 350 ms of
// the 380 ms request (the order's trace in docs/architecture.md).
inline std::vector<SpanSpec> HotOrderSpecs() {
  return {
      {"a000000000000001", "", "api-gateway", "POST /api/orders", 0, 380'000,
       {Tag("span.kind", "server"), Tag("http.request.method", "POST"),
        Tag("http.response.status_code", 201)}},
      {"a000000000000002", "a000000000000001", "api-gateway", "POST /orders", 1'000, 377'000,
       {Tag("span.kind", "client")}},
      {"b000000000000001", "a000000000000002", "order-service", "POST /orders", 2'000, 374'000,
       {Tag("span.kind", "server")}},
      {"b000000000000002", "b000000000000001", "order-service", "validate-order", 3'000, 1'000,
       {Tag("span.kind", "internal"), Tag("order.item_count", 1)}},
      {"b000000000000003", "b000000000000001", "order-service", "POST /reserve", 5'000, 360'000,
       {Tag("span.kind", "client")}},
      {"c000000000000001", "b000000000000003", "inventory-service", "POST /reserve", 6'000,
       358'000, {Tag("span.kind", "server")}},
      {"c000000000000002", "c000000000000001", "inventory-service", "db.reserve-stock", 7'000,
       350'000,
       {Tag("span.kind", "client"), Tag("db.system", "postgresql"),
        Tag("db.operation.name", "UPDATE"), Tag("demo.fault", "slow-index-scan"),
        Tag("otel.scope.name", "hotorder")},
       {Log(10'000, "slow-index-scan-detected",
            {Tag("db.index", "stock_sku_idx"), Tag("db.rows_scanned", 100000)})}},
      {"b000000000000004", "b000000000000001", "order-service", "INSERT orders", 366'000, 8'000,
       {Tag("span.kind", "client"), Tag("db.system", "postgresql")}},
  };
}

}  // namespace hotorder::investigate::testing
