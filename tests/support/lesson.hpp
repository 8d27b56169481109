#pragma once
// The classic "trace a microservices request" lesson's own inputs and the waterfall it draws,
// shared by the native lesson test (tests/e2e/lesson_test.cpp) and the compose one
// (tests/compose/compose_test.cpp): both follow the same lesson, verbatim.

#include <cstdint>
#include <utility>

#include <nlohmann/json.hpp>

#include "support/jaeger_json.hpp"

namespace hotorder::test {

// The lesson's curl body.
inline constexpr const char* kLessonBody =
    R"({"items":[{"sku":"SKU-001","qty":2},{"sku":"SKU-007","qty":1}],"tier":"gold"})";
// The lesson's fix for the missing index.
inline constexpr const char* kLessonFix = "CREATE INDEX CONCURRENTLY ON stock(sku);";
// A reservation of two lines through an index reads each line to lock it and again to update.
inline constexpr std::int64_t kHandfulOfRows = 20;

// The lesson's waterfall: (service, span name), parent first, below the gateway's root.
inline constexpr std::pair<const char*, const char*> kLessonWaterfall[] = {
    {"order-service", "POST /orders"},
    {"order-service", "validate-order"},
    {"order-service", "POST /reserve"},
    {"inventory-service", "POST /reserve"},
    {"inventory-service", "db.reserve-stock"},
};

// True once a Jaeger trace answer holds the gateway's root and every span of the waterfall. Each
// service exports its spans in its own batches, so one span arriving says nothing of the others
// (order-service's server span ends, and is exported, after inventory-service's spans).
inline bool HoldsTheWholeLessonTrace(const nlohmann::json& trace) {
  if (SpanOf(trace, "api-gateway", "POST /api/orders").is_null()) return false;
  for (const auto& [service, name] : kLessonWaterfall) {
    if (SpanOf(trace, service, name).is_null()) return false;
  }
  return true;
}

}  // namespace hotorder::test
