#pragma once
// What every integration test shares, started once per test process on first use: a private
// Postgres (1,000 SKUs), an in-test OTLP receiver, and the three services exporting to it.
// Each test leaves stock as it found it or uses SKUs of its own (see the comments there).

#include <string>

#include <nlohmann/json.hpp>

#include "support/http_get.hpp"
#include "support/postgres_instance.hpp"
#include "support/service_stack.hpp"

namespace hotorder::test {

struct IntegrationEnv {
  IntegrationEnv();

  PostgresInstance& postgres;
  OtlpSink sink;
  ServiceStack stack;

  static IntegrationEnv& Get();
};

// A valid order body for `sku` × `qty`.
std::string OrderBody(const std::string& sku, int qty, const std::string& tier = "standard");

// POST {gateway}/api/orders with a JSON body (and extra headers).
HttpResponse PostOrder(const std::string& body, const HttpHeaders& headers = {});

// The trace id a response names in its X-Trace-Id header ("" when absent).
std::string TraceIdOf(const HttpResponse& response);

// The error code of a JSON error body ("" when it is not one).
std::string ErrorCode(const std::string& body);

// Database facts for "changed nothing" checks.
struct DbSnapshot {
  std::string reserved_total;
  std::string orders;
  std::string reservations;
  friend bool operator==(const DbSnapshot&, const DbSnapshot&) = default;
};
DbSnapshot TakeSnapshot();
std::string ToString(const DbSnapshot& snapshot);

// Gives `sku` exactly `quantity` units, none reserved (tests that need a known stock level).
void SetStock(const std::string& sku, int quantity);

}  // namespace hotorder::test
