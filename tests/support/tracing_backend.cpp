#include "support/tracing_backend.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <system_error>
#include <thread>

#include "support/free_port.hpp"
#include "support/http_get.hpp"

namespace hotorder::test {
namespace {

constexpr int kStartAttempts = 3;
constexpr std::chrono::milliseconds kPollInterval{50};
constexpr std::chrono::milliseconds kProbeTimeout{2000};
constexpr std::chrono::milliseconds kStopGrace{5000};
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

std::filesystem::path MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      (std::filesystem::path(base != nullptr && *base != '\0' ? base : "/tmp") /
       "hotorder-e2e-XXXXXX")
          .string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  return pattern;
}

std::string Truncated(const std::string& text) {
  if (text.size() <= kMaxBodyInReport) return text;
  return text.substr(0, kMaxBodyInReport) + "... (" + std::to_string(text.size()) + " bytes)";
}

}  // namespace

std::filesystem::path RepoRoot() {
  // __FILE__ is absolute under CMake's generators: <root>/tests/support/tracing_backend.cpp.
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
}

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

TracingBackend::~TracingBackend() {
  Stop();
  if (log_dir_.empty()) return;
  const bool keep = ::testing::UnitTest::GetInstance()->Failed() || !error_.empty() ||
                    std::getenv("HOTORDER_KEEP_TEST_LOGS") != nullptr;
  if (keep) {
    std::fprintf(stderr, "[tracing backend] logs kept in %s\n", log_dir_.c_str());
  } else {
    std::error_code ignored;
    std::filesystem::remove_all(log_dir_, ignored);
  }
}

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
  try {
    if (log_dir_.empty()) log_dir_ = MakeTempDir();
    for (int i = 0; i < kStartAttempts; ++i) {
      bool retryable = false;
      if (StartOnce(*otelcol, *jaeger, retryable)) return true;
      Stop();
      if (!retryable) break;
    }
  } catch (const std::exception& failure) {
    Stop();
    error_ = std::string("starting the tracing backend failed: ") + failure.what();
  }
  return false;
}

bool TracingBackend::StartOnce(const std::filesystem::path& otelcol,
                               const std::filesystem::path& jaeger, bool& retryable) {
  ++attempt_;
  retryable = false;
  collector_.reset();
  jaeger_.reset();
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

  const auto suffix = attempt_ == 1 ? std::string() : "-" + std::to_string(attempt_);
  const auto deadline = Clock::now() + options_.startup_timeout;
  bool died = false;

  jaeger_ = std::make_unique<ChildProcess>(
      jaeger,
      std::vector<std::string>{"--config=file:" +
                               (repo_root_ / "collector-config" / "jaeger.yaml").string()},
      ChildProcess::Env{
          {"JAEGER_HOST", "127.0.0.1"},
          {"JAEGER_QUERY_PORT", std::to_string(ports_.jaeger_query)},
          {"JAEGER_QUERY_GRPC_PORT", std::to_string(ports_.jaeger_query_grpc)},
          {"JAEGER_OTLP_GRPC_PORT", std::to_string(ports_.jaeger_otlp_grpc)},
          {"JAEGER_OTLP_HTTP_PORT", std::to_string(ports_.jaeger_otlp_http)},
          {"JAEGER_HEALTH_PORT", std::to_string(ports_.jaeger_health)},
          {"JAEGER_MAX_TRACES", "10000"},
      },
      log_dir_ / ("jaeger" + suffix + ".log"));
  if (!WaitUntilReady(*jaeger_, "Jaeger", jaeger_query_url() + "/api/services", deadline, died)) {
    retryable = died;
    return false;
  }

  ChildProcess::Env collector_env{
      {"COLLECTOR_HOST", "127.0.0.1"},
      {"COLLECTOR_OTLP_GRPC_PORT", std::to_string(ports_.collector_otlp_grpc)},
      {"COLLECTOR_OTLP_HTTP_PORT", std::to_string(ports_.collector_otlp_http)},
      {"COLLECTOR_HEALTH_PORT", std::to_string(ports_.collector_health)},
      {"COLLECTOR_ZPAGES_PORT", std::to_string(ports_.collector_zpages)},
      {"COLLECTOR_METRICS_PORT", std::to_string(ports_.collector_metrics)},
      {"JAEGER_OTLP_GRPC_ENDPOINT", "127.0.0.1:" + std::to_string(ports_.jaeger_otlp_grpc)},
  };
  for (const auto& entry : options_.collector_env) collector_env.push_back(entry);
  collector_ = std::make_unique<ChildProcess>(
      otelcol,
      std::vector<std::string>{"--config=file:" +
                               (repo_root_ / "collector-config" / options_.collector_config)
                                   .string()},
      std::move(collector_env), log_dir_ / ("otelcol" + suffix + ".log"));
  // The healthcheck extension answers 200 only once every pipeline has started.
  if (!WaitUntilReady(*collector_, "Collector", Url(ports_.collector_health) + "/", deadline,
                      died)) {
    retryable = died;
    return false;
  }
  return true;
}

bool TracingBackend::WaitUntilReady(ChildProcess& process, std::string_view name,
                                    const std::string& url, Clock::time_point deadline,
                                    bool& process_died) {
  process_died = false;
  std::string last;
  for (;;) {
    if (!process.IsRunning()) {
      process_died = true;
      error_ = std::string(name) + " " + process.ExitDescription() + " during start-up.\n" +
               Diagnostics();
      return false;
    }
    const auto response = HttpGet(url, {}, kProbeTimeout);
    if (response.ok() && response.status == 200) return true;
    last = response.ok() ? "HTTP " + std::to_string(response.status) : response.error;
    if (Clock::now() >= deadline) {
      error_ = std::string(name) + " was not ready within " +
               std::to_string(options_.startup_timeout.count()) + " ms (" + url + ": " + last +
               ").\n" + Diagnostics();
      return false;
    }
    PollPause(deadline);
  }
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
  std::string out = "tracing backend logs in " + log_dir_.string() + "\n";
  auto append = [&](const std::unique_ptr<ChildProcess>& process, std::string_view name) {
    if (!process) {
      out += "--- " + std::string(name) + ": not started\n";
      return;
    }
    out += "--- last lines of " + process->log_path().string() + ":\n";
    out += TailOfFile(process->log_path(), lines_per_log);
  };
  append(collector_, "Collector");
  append(jaeger_, "Jaeger");
  return out;
}

void TracingBackend::Stop() {
  // The Collector first: on SIGTERM it flushes its batch to Jaeger, which must still be up.
  if (collector_) collector_->Stop(kStopGrace);
  if (jaeger_) jaeger_->Stop(kStopGrace);
}

}  // namespace hotorder::test
