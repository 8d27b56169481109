#include "support/tracing_backend.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <thread>

#include "support/free_port.hpp"
#include "support/http_get.hpp"

namespace hotorder::test {
namespace {

constexpr int kStartAttempts = 3;
constexpr std::chrono::milliseconds kPollInterval{50};
constexpr std::chrono::milliseconds kProbeTimeout{2000};
constexpr std::size_t kMaxBodyInReport = 4000;

std::string Url(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

// Waits one poll interval, or less when the deadline is nearer. Polling a process we do not
// control (is the trace stored yet?) has no event to wait on; the deadline bounds the loop.
void PollPause(TracingBackend::Clock::time_point deadline) {
  const auto now = TracingBackend::Clock::now();
  if (now >= deadline) return;
  const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
  std::this_thread::sleep_for(std::min(kPollInterval, remaining));
}

// What stack.sh says when a port was found taken, or a process died while starting (say, on a
// port taken after it was checked): worth another attempt on other ports.
bool PortClash(const std::string& output) {
  return output.find("is already in use") != std::string::npos ||
         output.find("exited during start-up") != std::string::npos;
}

std::string Truncated(const std::string& text) {
  if (text.size() <= kMaxBodyInReport) return text;
  return text.substr(0, kMaxBodyInReport) + "... (" + std::to_string(text.size()) + " bytes)";
}

}  // namespace

std::optional<std::filesystem::path> ExecutableFromEnv(std::string_view variable,
                                                       std::string& error) {
  const std::string name(variable);
  const char* value = std::getenv(name.c_str());
  const std::string hint = " (run the e2e tests through `./hotorder test`, or set it to the path "
                           "printed by scripts/build-otelcol.sh / scripts/build-jaeger.sh)";
  if (value == nullptr || *value == '\0') {
    error = name + " is not set" + hint;
    return std::nullopt;
  }
  std::filesystem::path path(value);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    error = name + "=" + path.string() + " is not a file" + hint;
    return std::nullopt;
  }
  if (::access(path.c_str(), X_OK) != 0) {
    error = name + "=" + path.string() + " is not executable" + hint;
    return std::nullopt;
  }
  return path;
}

TracingBackend::TracingBackend(TracingBackendOptions options)
    : options_(std::move(options)), repo_root_(RepoRoot()) {}

// The stack's destructor runs `stack.sh down` and removes its directory, or keeps the logs when a
// test failed (or HOTORDER_KEEP_TEST_LOGS is set).
TracingBackend::~TracingBackend() = default;

bool TracingBackend::Start() {
  error_.clear();
  std::string missing;
  const auto otelcol = ExecutableFromEnv("OTELCOL_BIN", missing);
  if (!otelcol) {
    error_ = missing;
    return false;
  }
  const auto jaeger = ExecutableFromEnv("JAEGER_BIN", missing);
  if (!jaeger) {
    error_ = missing;
    return false;
  }
  const auto collector_config = repo_root_ / "collector-config" / options_.collector_config;
  const auto jaeger_config = repo_root_ / "collector-config" / "jaeger.yaml";
  for (const auto& config : {collector_config, jaeger_config}) {
    if (!std::filesystem::is_regular_file(config)) {
      error_ = "configuration file " + config.string() + " not found";
      return false;
    }
  }
  const auto ready_seconds = (options_.startup_timeout.count() + 999) / 1000;
  try {
    if (!stack_) {
      stack_ = std::make_unique<StackScript>(
          ChildProcess::Env{{"OTELCOL_BIN", otelcol->string()},
                            {"JAEGER_BIN", jaeger->string()},
                            {"COLLECTOR_CONFIG", collector_config.string()},
                            {"JAEGER_HOST", "127.0.0.1"},
                            {"COLLECTOR_HOST", "127.0.0.1"},
                            {"HOTORDER_READY_TIMEOUT", std::to_string(ready_seconds)},
                            {"HOTORDER_STOP_TIMEOUT", "5"}},
          StackScript::Logs::kKeepOnTestFailure);
      log_dir_ = stack_->log_dir();
    }
    for (int i = 0; i < kStartAttempts; ++i) {
      bool retryable = false;
      if (StartOnce(retryable)) return true;
      Stop();
      if (!retryable) break;
    }
  } catch (const std::exception& failure) {
    Stop();
    error_ = std::string("starting the tracing backend failed: ") + failure.what();
  }
  return false;
}

bool TracingBackend::StartOnce(bool& retryable) {
  retryable = false;
  // Ten distinct ports: the kernel rarely hands out the same free port twice in a row, but a
  // clash would make one process fail to bind, so make sure.
  std::set<std::uint16_t> taken;
  auto next_port = [&taken] {
    for (;;) {
      const auto port = FreeLoopbackPort();
      if (taken.insert(port).second) return port;
    }
  };
  ports_ = Ports{next_port(), next_port(), next_port(), next_port(), next_port(),
                 next_port(), next_port(), next_port(), next_port(), next_port()};
  const std::pair<const char*, std::uint16_t> variables[] = {
      {"JAEGER_QUERY_PORT", ports_.jaeger_query},
      {"JAEGER_QUERY_GRPC_PORT", ports_.jaeger_query_grpc},
      {"JAEGER_OTLP_GRPC_PORT", ports_.jaeger_otlp_grpc},
      {"JAEGER_OTLP_HTTP_PORT", ports_.jaeger_otlp_http},
      {"JAEGER_HEALTH_PORT", ports_.jaeger_health},
      {"COLLECTOR_OTLP_GRPC_PORT", ports_.collector_otlp_grpc},
      {"COLLECTOR_OTLP_HTTP_PORT", ports_.collector_otlp_http},
      {"COLLECTOR_HEALTH_PORT", ports_.collector_health},
      {"COLLECTOR_ZPAGES_PORT", ports_.collector_zpages},
      {"COLLECTOR_METRICS_PORT", ports_.collector_metrics},
  };
  for (const auto& [name, port] : variables) stack_->SetEnv(name, std::to_string(port));

  // Jaeger first (ready once its query API answers), so the Collector has somewhere to export
  // to; the Collector's healthcheck answers 200 only once every pipeline has started. Each gets
  // its own extra environment.
  const std::pair<const char*, ChildProcess::Env> starts[] = {
      {"jaeger", {{"JAEGER_MAX_TRACES", "10000"}}},
      {"otelcol", options_.collector_env},
  };
  for (const auto& [name, env] : starts) {
    const auto run = stack_->Run({"start", name}, env);
    if (run.exit_code != 0) {
      retryable = PortClash(run.output);
      error_ = std::string("scripts/stack.sh start ") + name + " " + run.how + ":\n" +
               run.output + Diagnostics();
      return false;
    }
  }
  return true;
}

std::string TracingBackend::collector_otlp_http_url() const {
  return Url(ports_.collector_otlp_http);
}

std::string TracingBackend::collector_otlp_grpc_endpoint() const {
  return "127.0.0.1:" + std::to_string(ports_.collector_otlp_grpc);
}

std::string TracingBackend::collector_metrics_url() const {
  return Url(ports_.collector_metrics) + "/metrics";
}

std::string TracingBackend::collector_health_url() const {
  return Url(ports_.collector_health) + "/";
}

std::string TracingBackend::jaeger_query_url() const { return Url(ports_.jaeger_query); }

std::optional<nlohmann::json> TracingBackend::QueryJaeger(std::string_view path_and_query) const {
  const auto response =
      HttpGet(jaeger_query_url() + std::string(path_and_query), {}, kProbeTimeout);
  if (!response.ok() || response.status != 200) return std::nullopt;
  auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

std::optional<nlohmann::json> TracingBackend::WaitFor(std::string_view api_path,
                                                      std::string_view trace_id_hex,
                                                      const TracePredicate& predicate,
                                                      Clock::time_point deadline) {
  const std::string url = jaeger_query_url() + std::string(api_path) + std::string(trace_id_hex);
  std::string last = "no request made";
  for (;;) {
    const auto response = HttpGet(url, {}, kProbeTimeout);
    if (!response.ok()) {
      last = response.error;
    } else if (response.status == 404) {
      last = "404 (not stored yet): " + response.body;
    } else if (response.status != 200) {
      last = "HTTP " + std::to_string(response.status) + ": " + response.body;
    } else {
      auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) {
        last = "unparsable body: " + response.body;
      } else if (!predicate || predicate(parsed)) {
        return parsed;
      } else {
        last = "predicate not yet true for: " + response.body;
      }
    }
    if (Clock::now() >= deadline) break;
    PollPause(deadline);
  }
  ADD_FAILURE() << "trace " << trace_id_hex << " did not appear as expected at " << url
                << "\nlast answer: " << Truncated(last) << "\n"
                << Diagnostics();
  return std::nullopt;
}

std::optional<nlohmann::json> TracingBackend::WaitForTrace(std::string_view trace_id_hex,
                                                           const TracePredicate& predicate,
                                                           std::chrono::milliseconds timeout) {
  return WaitForTrace(trace_id_hex, predicate, Clock::now() + timeout);
}

std::optional<nlohmann::json> TracingBackend::WaitForTrace(std::string_view trace_id_hex,
                                                           const TracePredicate& predicate,
                                                           Clock::time_point deadline) {
  return WaitFor("/api/traces/", trace_id_hex, predicate, deadline);
}

std::optional<nlohmann::json> TracingBackend::WaitForTraceV3(std::string_view trace_id_hex,
                                                             const TracePredicate& predicate,
                                                             std::chrono::milliseconds timeout) {
  return WaitForTraceV3(trace_id_hex, predicate, Clock::now() + timeout);
}

std::optional<nlohmann::json> TracingBackend::WaitForTraceV3(std::string_view trace_id_hex,
                                                             const TracePredicate& predicate,
                                                             Clock::time_point deadline) {
  return WaitFor("/api/v3/traces/", trace_id_hex, predicate, deadline);
}

std::string TracingBackend::Diagnostics(std::size_t lines_per_log) const {
  if (!stack_) return "tracing backend not started\n";
  std::string out = "tracing backend logs in " + log_dir_.string() + "\n";
  for (const char* name : {"otelcol", "jaeger"}) {
    const auto log = stack_->LogPath(name);
    if (!std::filesystem::exists(log)) {
      out += "--- " + std::string(name) + ": not started\n";
      continue;
    }
    out += "--- last lines of " + log.string() + ":\n";
    out += TailOfFile(log, lines_per_log);
  }
  return out;
}

void TracingBackend::Stop() {
  // The Collector first: on SIGTERM it flushes its batch to Jaeger, which must still be up.
  if (stack_) stack_->Stop({"otelcol", "jaeger"});
}

}  // namespace hotorder::test
