#pragma once
// The real tracing backend for end-to-end tests: Jaeger v2 (in-memory storage) and HotOrder's
// OpenTelemetry Collector in front of it, both on free loopback ports, configured by the repo's
// own collector-config/ files (the same ones native runs use; every port there is an env var).
//
// Binaries come from OTELCOL_BIN and JAEGER_BIN (`./hotorder test` exports them;
// scripts/build-otelcol.sh and scripts/build-jaeger.sh print them). A missing or non-executable
// binary makes Start fail with a message saying so: an e2e test must not silently pass by
// skipping its backend.
//
// Nothing is written into the repo: logs go to a fresh temp directory, which is removed at the
// end unless a test failed (then its path is printed) or HOTORDER_KEEP_TEST_LOGS is set.
// Readiness and trace lookups poll with a deadline; nothing sleeps a fixed time.

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

#include "support/child_process.hpp"

namespace hotorder::test {

struct TracingBackendOptions {
  // A file in collector-config/ (e.g. a tail-sampling variant).
  std::string collector_config = "otelcol-dev.yaml";
  // Extra environment for the Collector (e.g. TAIL_SAMPLING_DECISION_WAIT), applied after the
  // ports this class chooses.
  ChildProcess::Env collector_env;
  // How long each process may take to become ready.
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

  // Starts Jaeger, waits until its query API answers, then starts the Collector and waits for
  // its health check. A process that dies during start-up (say, a port taken in the moment
  // between choosing it and binding it) is retried on new ports. False, with error() set (log
  // tails included), when the backend could not be started.
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
  const std::filesystem::path& log_dir() const noexcept { return log_dir_; }

  // Stops both processes (Collector first); idempotent.
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

  bool StartOnce(const std::filesystem::path& otelcol, const std::filesystem::path& jaeger,
                 bool& retryable);
  // Polls `url` until it answers 200, the process exits, or the deadline passes.
  bool WaitUntilReady(ChildProcess& process, std::string_view name, const std::string& url,
                      Clock::time_point deadline, bool& process_died);
  std::optional<nlohmann::json> WaitFor(std::string_view api_path, std::string_view trace_id_hex,
                                        const TracePredicate& predicate,
                                        Clock::time_point deadline);

  TracingBackendOptions options_;
  std::filesystem::path repo_root_;
  std::filesystem::path log_dir_;
  Ports ports_;
  int attempt_ = 0;
  std::unique_ptr<ChildProcess> jaeger_;
  std::unique_ptr<ChildProcess> collector_;
  std::string error_;
};

// The repository root, found from this file's own path (tests/support/ is two levels down).
std::filesystem::path RepoRoot();

// Reads a binary path from `variable` (OTELCOL_BIN, JAEGER_BIN); nullopt with `error` set when
// it is unset, missing or not executable.
std::optional<std::filesystem::path> ExecutableFromEnv(std::string_view variable,
                                                       std::string& error);

}  // namespace hotorder::test
