#pragma once
// api-gateway owns no business rules: it checks that a body is a JSON object, forwards requests
// to the service that owns them, and answers with that service's answer. What is forwarded
// where is this table.

#include <string>
#include <string_view>

#include "http/client.hpp"
#include "http/message.hpp"
#include "telemetry/baggage.hpp"

namespace hotorder::gateway {

// The request to send upstream for a client's request: same method and body, the upstream's
// route (for the CLIENT span's name) and path, and the headers worth carrying over.
http::ClientRequest ForwardedRequest(const http::Request& request, std::string route,
                                     std::string target);

// The answer to give the client: an upstream 2xx as it is; anything else through
// RaiseForUpstreamStatus (4xx kept, upstream failures as 502/503/504).
http::Response ClientAnswer(const http::ClientResponse& upstream, std::string_view upstream_name);

// The baggage member that asks for a request's trace to be kept under tail sampling:
// hotorder.keep=true. The gateway records it on its root span as the boolean attribute
// hotorder.keep, which collector-config/otelcol-tail-sampling.yaml's "force-keep" policy keeps. `doctor`
// sends it; any client may.
inline constexpr std::string_view kKeepTraceKey = "hotorder.keep";
bool AsksToKeepTrace(const telemetry::Baggage& baggage) noexcept;

}  // namespace hotorder::gateway
