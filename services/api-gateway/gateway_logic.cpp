#include "gateway_logic.hpp"

namespace hotorder::gateway {

http::ClientRequest ForwardedRequest(const http::Request& request, std::string route,
                                     std::string target) {
  http::ClientRequest forwarded{.method = request.method,
                                .route = std::move(route),
                                .target = std::move(target),
                                .body = request.body};
  // The one header with meaning beyond this hop: a retried POST must reach order-service with
  // its key. Trace context is not copied: the client injects its own CLIENT span's.
  auto key = request.Header("idempotency-key");
  if (!key.empty()) forwarded.headers.emplace_back("Idempotency-Key", std::string(key));
  return forwarded;
}

http::Response ClientAnswer(const http::ClientResponse& upstream, std::string_view upstream_name) {
  http::RaiseForUpstreamStatus(upstream, upstream_name);
  http::Response response{.status = upstream.status, .body = upstream.body};
  if (!upstream.content_type.empty()) response.content_type = upstream.content_type;
  return response;
}

bool AsksToKeepTrace(const telemetry::Baggage& baggage) noexcept {
  const auto value = baggage.Get(kKeepTraceKey);
  return value && (*value == "true" || *value == "1");
}

}  // namespace hotorder::gateway
