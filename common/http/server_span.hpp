#pragma once
// The SERVER span's shape, following the OpenTelemetry HTTP semantic conventions (stable
// v1.23+): its name, the attributes known when a request's header has been read, and what is
// added when the response is known. Kept apart from the session so the conventions are in one
// readable place and the socket code stays about sockets.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.hpp"
#include "telemetry/attributes.hpp"
#include "telemetry/span.hpp"

namespace hotorder::http {

struct ConnectionEndpoints {
  std::string client_address;
  std::uint16_t client_port = 0;
  std::string local_address;
  std::uint16_t local_port = 0;
};

struct ServerSpanStart {
  std::string name;
  telemetry::Attributes attributes;
};

// GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH (RFC 9110 + RFC 5789).
bool IsKnownMethod(std::string_view method) noexcept;

// "METHOD route" when a route matched, "METHOD" when none did, "HTTP" for a method outside the
// known set (semantic conventions: a span name must stay low-cardinality).
ServerSpanStart DescribeRequest(const Request& request, std::string_view protocol_version,
                                const std::string* route, const ConnectionEndpoints& endpoints);

// For bytes that never became a request (malformed, header too large, timed out before the
// header ended): named "HTTP", with what the connection tells.
ServerSpanStart DescribeUnparsedRequest(const ConnectionEndpoints& endpoints);

// http.response.status_code, and error.type for 5xx (the span's ERROR status is set by whoever
// produced the error response; see request_failure.hpp).
void FinishServerSpan(telemetry::Span& span, unsigned status) noexcept;

// `traceresponse` (W3C Trace Context Level 2) and `X-Trace-Id`, when `context` is valid.
void AppendTraceHeaders(const telemetry::SpanContext& context,
                        std::vector<std::pair<std::string, std::string>>& headers);

}  // namespace hotorder::http
