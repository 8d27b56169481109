#include "support/service_stack.hpp"

#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "support/free_port.hpp"
#include "support/http_get.hpp"
#include "telemetry/attributes.hpp"

namespace hotorder::test {
namespace {

constexpr std::chrono::seconds kStartTimeout{30};
constexpr std::chrono::milliseconds kPollInterval{20};

std::string AttributeText(const telemetry::Attributes& attributes, std::string_view key) {
  const auto* value = telemetry::FindAttribute(attributes, key);
  if (value == nullptr) return "";
  if (const auto* text = std::get_if<std::string>(&value->variant())) return *text;
  return "";
}

}  // namespace

std::filesystem::path ServiceExecutable(const std::string& service) {
  if (const char* dir = std::getenv("HOTORDER_SERVICES_DIR")) return std::filesystem::path(dir) / service;
  return std::filesystem::path(HOTORDER_SERVICES_DIR) / service;
}

bool WaitForHttpOk(const std::string& url, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto response = HttpGet(url, {}, std::chrono::milliseconds(1000));
    if (response.ok() && response.status == 200) return true;
    // Polling a process that is starting: there is nothing to wait on but the port.
    std::this_thread::sleep_for(kPollInterval);
  }
  return false;
}

ServiceStack::ServiceStack(ServiceStackOptions options) : options_(std::move(options)) {
  log_dir_ = std::filesystem::temp_directory_path() /
             ("hotorder-stack-" + std::to_string(::getpid()) + "-" +
              std::to_string(FreeLoopbackPort()));
  std::filesystem::create_directories(log_dir_);
  for (const char* service : {kInventory, kOrders, kGateway}) ports_[service] = FreeLoopbackPort();
  for (const char* service : {kInventory, kOrders, kGateway}) Start(service);
}

ServiceStack::~ServiceStack() {
  for (const char* service : {kGateway, kOrders, kInventory}) Stop(service);
}

std::string ServiceStack::Url(const std::string& service) const {
  return "http://127.0.0.1:" + std::to_string(Port(service));
}

std::uint16_t ServiceStack::Port(const std::string& service) const { return ports_.at(service); }

std::filesystem::path ServiceStack::LogPath(const std::string& service) const {
  return log_dir_ / (service + ".log");
}

ChildProcess& ServiceStack::Process(const std::string& service) { return *processes_.at(service); }

ChildProcess::Env ServiceStack::EnvFor(const std::string& service) const {
  ChildProcess::Env env = {
      {"LISTEN_ADDR", "127.0.0.1"},
      {"PORT", std::to_string(Port(service))},
      {"OTEL_SERVICE_NAME", service},
      {"OTEL_EXPORTER_OTLP_ENDPOINT", options_.otlp_endpoint},
      {"OTEL_EXPORTER_OTLP_TIMEOUT", "2000"},
      // Short export delay: tests wait for spans with a deadline, and want them soon.
      {"OTEL_BSP_SCHEDULE_DELAY", "50"},
      {"LOG_LEVEL", "debug"},
      {"DATABASE_URL", options_.database_url},
      {"ORDER_SERVICE_URL", Url(kOrders)},
      {"INVENTORY_SERVICE_URL", Url(kInventory)},
      {"UPSTREAM_TIMEOUT_MS", "5000"},
      // Short enough for the slow-client test to see its request timed out.
      {"HTTP_READ_TIMEOUT_MS", "2000"},
  };
  for (const auto& entry : options_.extra_env) env.push_back(entry);
  return env;
}

void ServiceStack::Start(const std::string& service, bool wait_ready) {
  auto process = std::make_unique<ChildProcess>(ServiceExecutable(service),
                                                std::vector<std::string>{}, EnvFor(service),
                                                LogPath(service));
  auto probe = Url(service) + (wait_ready ? "/readyz" : "/healthz");
  if (!WaitForHttpOk(probe, kStartTimeout)) {
    auto log = TailOfFile(LogPath(service));
    process->Stop();
    throw std::runtime_error(service + " did not become ready (" + probe + "); log:\n" + log);
  }
  processes_[service] = std::move(process);
}

bool ServiceStack::Stop(const std::string& service) {
  auto found = processes_.find(service);
  if (found == processes_.end() || !found->second) return true;
  bool graceful = found->second->Stop();
  processes_.erase(found);
  return graceful;
}

std::vector<DecodedSpan> OtlpSink::Spans() const {
  std::vector<DecodedSpan> spans;
  for (const auto& request : server_.Requests()) {
    auto decoded = DecodeOtlpBody(request.decoded_body, request.Header("content-type").value_or(""));
    if (!decoded) continue;
    spans.insert(spans.end(), decoded->begin(), decoded->end());
  }
  return spans;
}

std::vector<DecodedSpan> OtlpSink::WaitForTrace(const std::string& trace_id_hex, std::size_t count,
                                                std::chrono::milliseconds timeout) const {
  return WaitForTrace(
      trace_id_hex, [count](const std::vector<DecodedSpan>& trace) { return trace.size() >= count; },
      timeout);
}

std::vector<DecodedSpan> OtlpSink::WaitForTrace(const std::string& trace_id_hex,
                                                const TraceCheck& done,
                                                std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<DecodedSpan> trace;
  for (;;) {
    trace.clear();
    for (auto& span : Spans()) {
      if (span.trace_id_hex == trace_id_hex) trace.push_back(std::move(span));
    }
    if (done(trace) || std::chrono::steady_clock::now() >= deadline) return trace;
    // Wake on the next export request rather than spin.
    server_.WaitForRequests(server_.RequestCount() + 1, std::chrono::milliseconds(200));
  }
}

std::string StringAttribute(const DecodedSpan& span, std::string_view key) {
  return AttributeText(span.attributes, key);
}

std::string ResourceAttribute(const DecodedSpan& span, std::string_view key) {
  return AttributeText(span.resource_attributes, key);
}

}  // namespace hotorder::test
