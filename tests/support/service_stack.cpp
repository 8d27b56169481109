#include "support/service_stack.hpp"

#include <stdexcept>

#include "support/free_port.hpp"
#include "telemetry/attributes.hpp"

namespace hotorder::test {
namespace {

std::string AttributeText(const telemetry::Attributes& attributes, std::string_view key) {
  const auto* value = telemetry::FindAttribute(attributes, key);
  if (value == nullptr) return "";
  if (const auto* text = std::get_if<std::string>(&value->variant())) return *text;
  return "";
}

std::map<std::string, std::uint16_t> FreePorts() {
  std::map<std::string, std::uint16_t> ports;
  for (const char* service : {ServiceStack::kInventory, ServiceStack::kOrders,
                              ServiceStack::kGateway}) {
    ports[service] = FreeLoopbackPort();
  }
  return ports;
}

// What stack.sh gives every service here: its ports and the settings of today's tests.
ChildProcess::Env StackEnv(const std::map<std::string, std::uint16_t>& ports,
                           ServiceStackOptions options) {
  ChildProcess::Env env = {
      {"INVENTORY_SERVICE_PORT", std::to_string(ports.at(ServiceStack::kInventory))},
      {"ORDER_SERVICE_PORT", std::to_string(ports.at(ServiceStack::kOrders))},
      {"GATEWAY_PORT", std::to_string(ports.at(ServiceStack::kGateway))},
      // Each service has HOTORDER_READY_TIMEOUT to answer, and HOTORDER_STOP_TIMEOUT to exit
      // on SIGTERM before it is killed.
      {"HOTORDER_READY_TIMEOUT", "30"},
      {"HOTORDER_STOP_TIMEOUT", "5"},
      // Everything else passes through stack.sh to the services.
      {"DATABASE_URL", options.database_url},
      {"OTEL_EXPORTER_OTLP_ENDPOINT", options.otlp_endpoint},
      {"OTEL_EXPORTER_OTLP_TIMEOUT", "2000"},
      // Short export delay: tests wait for spans with a deadline, and want them soon.
      {"OTEL_BSP_SCHEDULE_DELAY", "50"},
      {"LOG_LEVEL", "debug"},
      {"UPSTREAM_TIMEOUT_MS", "5000"},
      // Short enough for the slow-client test to see its request timed out.
      {"HTTP_READ_TIMEOUT_MS", "2000"},
  };
  for (auto& entry : options.extra_env) env.push_back(std::move(entry));
  return env;
}

}  // namespace

ServiceStack::ServiceStack(ServiceStackOptions options)
    : ports_(FreePorts()),
      stack_(StackEnv(ports_, std::move(options)), StackScript::Logs::kKeepOnTestFailure) {
  // A failure throws out of here: the stack's destructor stops whatever started.
  for (const char* service : {kInventory, kOrders, kGateway}) Start(service);
}

// The stack's destructor runs `stack.sh down`: the gateway first, inventory-service last.
ServiceStack::~ServiceStack() = default;

std::string ServiceStack::Url(const std::string& service) const {
  return "http://127.0.0.1:" + std::to_string(Port(service));
}

std::uint16_t ServiceStack::Port(const std::string& service) const { return ports_.at(service); }

std::filesystem::path ServiceStack::LogPath(const std::string& service) const {
  return stack_.LogPath(service);
}

void ServiceStack::Start(const std::string& service, bool wait_ready) {
  const auto run =
      stack_.Run({"start", service}, {{"HOTORDER_WAIT", wait_ready ? "readyz" : "healthz"}});
  if (run.exit_code != 0) {
    // stack.sh leaves a service that did not become ready running.
    stack_.Stop({service});
    throw std::runtime_error(service + " did not start (scripts/stack.sh start " + service + " " +
                             run.how + "):\n" + run.output);
  }
}

bool ServiceStack::Stop(const std::string& service) { return stack_.Stop({service}); }

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
