#pragma once
// The real tracing backend for end-to-end tests: Jaeger v2 (in-memory storage) and HotOrder's
// OpenTelemetry Collector in front of it, both on free loopback ports, configured by the repo's
// own collector-config/ files (the same ones native runs use; every port there is an env var),
// started and stopped through scripts/stack.sh like every native run (support/stack_script.hpp).
//
// Binaries come from OTELCOL_BIN and JAEGER_BIN (`./hotorder test` exports them;
// scripts/build-otelcol.sh and scripts/build-jaeger.sh print them). A missing or non-executable
// binary makes Start fail with a message saying so: an e2e test must not silently pass by
// skipping its backend (nor build one: stack.sh would, were they unset).
//
// Nothing is written into the repo: logs go to the stack's fresh temp state directory, which is
// removed at the end unless a test failed (then its path is printed) or HOTORDER_KEEP_TEST_LOGS
// is set. Readiness (stack.sh's) and trace lookups poll with a deadline; nothing sleeps a fixed
// time.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/child_process.hpp"
#include "support/stack_script.hpp"

namespace hotorder::test {

struct TracingBackendOptions {
  // A file in collector-config/ (e.g. a tail-sampling variant).
  std::string collector_config = "otelcol-all.yaml";
  // Extra environment for the Collector (e.g. TAIL_SAMPLING_DECISION_WAIT), applied after the
  // ports this class chooses.
  ChildProcess::Env collector_env;
  // How long each process may take to become ready (HOTORDER_READY_TIMEOUT, whole seconds).
  std::chrono::milliseconds startup_timeout{30000};
};

class TracingBackend {
 public:
  using Clock = std::chrono::steady_clock;
  using TracePredicate = std::function<bool(const nlohmann::json&)>;

  explicit TracingBackend(TracingBackendOptions options = {});
  // Stops the Collector first (so it can flush to Jaeger), then Jaeger.
  ~TracingBackend();
  TracingBackend(const TracingBackend&) = delete;
  TracingBackend& operator=(const TracingBackend&) = delete;

  // `stack.sh start jaeger otelcol`: Jaeger, waited for until its query API answers, then the
  // Collector, waited for until its health check answers. A port found taken, or a process that
  // dies during start-up (say, a port taken in the moment between choosing it and binding it),
  // is retried on new ports. False, with error() set (log tails included), when the backend
  // could not be started.
  bool Start();
  const std::string& error() const noexcept { return error_; }

  // Collector (where an SDK sends spans).
  std::string collector_otlp_http_url() const;     // http://127.0.0.1:PORT (append /v1/traces)
  std::string collector_otlp_grpc_endpoint() const;  // 127.0.0.1:PORT
  // Span metrics for Prometheus: http://127.0.0.1:PORT/metrics (OpenMetrics, with exemplars,
  // when asked for with Accept: application/openmetrics-text).
  std::string collector_metrics_url() const;
  std::string collector_health_url() const;  // http://127.0.0.1:PORT/ (200 once running)
  // Jaeger's query API and UI: http://127.0.0.1:PORT.
  std::string jaeger_query_url() const;

  // Polls GET /api/traces/{id} (404 means "not stored yet") until the response parses and
  // `predicate` holds for it, then returns the whole response ({"data":[{...}]}). On timeout
  // records a gtest failure (ADD_FAILURE) with the last response and both processes' log tails,
  // and returns nullopt. A null predicate accepts any stored trace.
  std::optional<nlohmann::json> WaitForTrace(std::string_view trace_id_hex,
                                             const TracePredicate& predicate,
                                             std::chrono::milliseconds timeout);
  std::optional<nlohmann::json> WaitForTrace(std::string_view trace_id_hex,
                                             const TracePredicate& predicate,
                                             Clock::time_point deadline);
  // The same for GET /api/v3/traces/{id}, whose answer is OTLP/JSON under "result".
  std::optional<nlohmann::json> WaitForTraceV3(std::string_view trace_id_hex,
                                               const TracePredicate& predicate,
                                               std::chrono::milliseconds timeout);
  std::optional<nlohmann::json> WaitForTraceV3(std::string_view trace_id_hex,
                                               const TracePredicate& predicate,
                                               Clock::time_point deadline);

  // One GET of a Jaeger query path (e.g. "/api/services"), parsed; nullopt for anything but a
  // 200 with a JSON body. No failure is recorded: for checks that something is absent.
  std::optional<nlohmann::json> QueryJaeger(std::string_view path_and_query) const;

  // Where the logs are, and the last lines of each: for failure messages.
  std::string Diagnostics(std::size_t lines_per_log = 40) const;
  // The stack's logs/ folder (empty before Start); tests may put their own logs there.
  const std::filesystem::path& log_dir() const noexcept { return log_dir_; }

  // `stack.sh stop otelcol jaeger` (the Collector first); idempotent.
  void Stop();

 private:
  struct Ports {
    std::uint16_t jaeger_query = 0;
    std::uint16_t jaeger_query_grpc = 0;
    std::uint16_t jaeger_otlp_grpc = 0;
    std::uint16_t jaeger_otlp_http = 0;
    std::uint16_t jaeger_health = 0;
    std::uint16_t collector_otlp_grpc = 0;
    std::uint16_t collector_otlp_http = 0;
    std::uint16_t collector_health = 0;
    std::uint16_t collector_zpages = 0;
    std::uint16_t collector_metrics = 0;
  };

  // One attempt on fresh ports; false with error_ set, and `retryable` when another may work.
  bool StartOnce(bool& retryable);
  std::optional<nlohmann::json> WaitFor(std::string_view api_path, std::string_view trace_id_hex,
                                        const TracePredicate& predicate,
                                        Clock::time_point deadline);

  TracingBackendOptions options_;
  std::filesystem::path repo_root_;
  std::unique_ptr<StackScript> stack_;  // made by Start
  std::filesystem::path log_dir_;
  Ports ports_;
  std::string error_;
};

// Reads a binary path from `variable` (OTELCOL_BIN, JAEGER_BIN); nullopt with `error` set when
// it is unset, missing or not executable.
std::optional<std::filesystem::path> ExecutableFromEnv(std::string_view variable,
                                                       std::string& error);

}  // namespace hotorder::test
