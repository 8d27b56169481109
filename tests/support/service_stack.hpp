#pragma once
// The three HotOrder services as real processes on free loopback ports, for integration tests:
// inventory-service and order-service on a given database, api-gateway in front, all exporting
// spans to `otlp_endpoint` (an in-test receiver, or the real Collector). Started and stopped
// through scripts/stack.sh (in a state directory of their own, see support/stack_script.hpp):
// in dependency order, each waited for on /readyz; stopped (SIGTERM) by the destructor.
//
// Also OtlpSink: an in-test OTLP/HTTP receiver that decodes what the services export.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/build_paths.hpp"
#include "support/child_process.hpp"
#include "support/otlp_decode.hpp"
#include "support/stack_script.hpp"
#include "support/test_http_server.hpp"

namespace hotorder::test {

struct ServiceStackOptions {
  std::string database_url;
  std::string otlp_endpoint;    // OTEL_EXPORTER_OTLP_ENDPOINT for all three
  ChildProcess::Env extra_env;  // added to every service's environment
};

class ServiceStack {
 public:
  static constexpr const char* kGateway = "api-gateway";
  static constexpr const char* kOrders = "order-service";
  static constexpr const char* kInventory = "inventory-service";

  // Throws std::runtime_error (with stack.sh's output) when a service cannot be started.
  explicit ServiceStack(ServiceStackOptions options);
  ~ServiceStack();
  ServiceStack(const ServiceStack&) = delete;
  ServiceStack& operator=(const ServiceStack&) = delete;

  std::string Url(const std::string& service) const;  // "http://127.0.0.1:<port>"
  std::uint16_t Port(const std::string& service) const;
  std::string GatewayUrl(const std::string& target) const { return Url(kGateway) + target; }

  // Stops one service (SIGTERM; true when it exited within the grace period) / starts it
  // again on the same port, waiting for /readyz (or, with wait_ready = false, only for
  // /healthz: its own dependencies may be down). Start throws when the service does not come up.
  bool Stop(const std::string& service);
  void Start(const std::string& service, bool wait_ready = true);
  std::filesystem::path LogPath(const std::string& service) const;

 private:
  std::map<std::string, std::uint16_t> ports_;
  StackScript stack_;
};

class OtlpSink {
 public:
  OtlpSink() = default;
  std::string Endpoint() const { return server_.BaseUrl(); }
  // Every span received so far, decoded.
  std::vector<DecodedSpan> Spans() const;
  // The spans of one trace once at least `count` have arrived (all of them after that), or
  // whatever arrived by the deadline.
  std::vector<DecodedSpan> WaitForTrace(const std::string& trace_id_hex, std::size_t count,
                                        std::chrono::milliseconds timeout) const;
  // The spans of one trace once `done` holds for them (services export independently, so a
  // trace's spans arrive in any order), or whatever arrived by the deadline.
  using TraceCheck = std::function<bool(const std::vector<DecodedSpan>&)>;
  std::vector<DecodedSpan> WaitForTrace(const std::string& trace_id_hex, const TraceCheck& done,
                                        std::chrono::milliseconds timeout) const;

 private:
  TestHttpServer server_;
};

// The value of a string attribute of a decoded span ("" when absent).
std::string StringAttribute(const DecodedSpan& span, std::string_view key);
// The value of a string resource attribute of a decoded span ("" when absent).
std::string ResourceAttribute(const DecodedSpan& span, std::string_view key);

}  // namespace hotorder::test
