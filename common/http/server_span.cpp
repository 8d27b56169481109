#include "http/server_span.hpp"

#include <array>
#include <charconv>

#include "telemetry/propagation/w3c_trace_context.hpp"

namespace hotorder::http {
namespace {

// Host header "name:port" or "[v6]:port" → name and port; no port: 0.
std::pair<std::string_view, std::uint16_t> SplitHost(std::string_view host) noexcept {
  std::string_view name = host;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return {host, 0};
    name = host.substr(1, close - 1);
    if (close + 1 < host.size() && host[close + 1] == ':') port = host.substr(close + 2);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    port = host.substr(colon + 1);
  }
  std::uint16_t number = 0;
  if (!port.empty()) {
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (ec != std::errc{} || ptr != port.data() + port.size()) number = 0;
  }
  return {name, number};
}

void AddConnectionAttributes(telemetry::Attributes& attributes,
                             const ConnectionEndpoints& endpoints) {
  attributes.push_back({"url.scheme", "http"});
  attributes.push_back({"client.address", endpoints.client_address});
  attributes.push_back({"client.port", endpoints.client_port});
}

}  // namespace

bool IsKnownMethod(std::string_view method) noexcept {
  static constexpr std::array<std::string_view, 9> kKnown = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  for (auto known : kKnown) {
    if (method == known) return true;
  }
  return false;
}

ServerSpanStart DescribeRequest(const Request& request, std::string_view protocol_version,
                                const std::string* route, const ConnectionEndpoints& endpoints) {
  ServerSpanStart start;
  auto& attributes = start.attributes;
  attributes.reserve(14);
  if (IsKnownMethod(request.method)) {
    start.name = request.method;
    if (route != nullptr) start.name += " " + *route;
    attributes.push_back({"http.request.method", request.method});
  } else {
    start.name = "HTTP";
    attributes.push_back({"http.request.method", "_OTHER"});
    attributes.push_back({"http.request.method_original", request.method});
  }
  attributes.push_back({"url.path", request.path});
  if (const auto question = request.target.find('?');
      question != std::string::npos && question + 1 < request.target.size()) {
    attributes.push_back({"url.query", request.target.substr(question + 1)});
  }
  if (route != nullptr) attributes.push_back({"http.route", *route});
  AddConnectionAttributes(attributes, endpoints);

  // server.address/port name the server as the client addressed it (the Host header), falling
  // back to the socket's local address.
  const auto [host, host_port] = SplitHost(request.Header("Host"));
  if (!host.empty()) {
    attributes.push_back({"server.address", host});
    attributes.push_back({"server.port", host_port != 0 ? host_port : endpoints.local_port});
  } else {
    attributes.push_back({"server.address", endpoints.local_address});
    attributes.push_back({"server.port", endpoints.local_port});
  }
  if (const auto agent = request.Header("User-Agent"); !agent.empty()) {
    attributes.push_back({"user_agent.original", agent});
  }
  attributes.push_back({"network.protocol.version", protocol_version});
  return start;
}

ServerSpanStart DescribeUnparsedRequest(const ConnectionEndpoints& endpoints) {
  ServerSpanStart start;
  start.name = "HTTP";
  AddConnectionAttributes(start.attributes, endpoints);
  start.attributes.push_back({"server.address", endpoints.local_address});
  start.attributes.push_back({"server.port", endpoints.local_port});
  return start;
}

void FinishServerSpan(telemetry::Span& span, unsigned status) noexcept {
  span.SetAttribute("http.response.status_code", status);
  if (status >= 500) {
    try {
      span.SetAttribute("error.type", std::to_string(status));
    } catch (...) {
    }
  }
}

void AppendTraceHeaders(const telemetry::SpanContext& context,
                        std::vector<std::pair<std::string, std::string>>& headers) {
  if (!context.IsValid()) return;
  headers.emplace_back("traceresponse", telemetry::FormatTraceparent(context));
  headers.emplace_back("X-Trace-Id", context.trace_id().ToHex());
}

}  // namespace hotorder::http
