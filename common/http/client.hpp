#pragma once
// A blocking HTTP/1.1 client for one upstream service, called from handlers' threads, each of
// which drives its exchange's I/O itself. Keeps a pool of kept-alive connections; every call is
// a CLIENT span ("METHOD route") that carries the caller's context and baggage to the upstream.
// Transport failures become HttpError: 502 "upstream_unavailable" (refused, reset, malformed
// answer) or 504 "upstream_timeout" (connect or total timeout). Any status the upstream answers
// is returned as it is; see RaiseForUpstreamStatus for turning an error answer into the
// caller's own error.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/http_error.hpp"
#include "telemetry/context.hpp"
#include "telemetry/propagation/text_map.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::http {

struct UpstreamOptions {
  std::string name;      // "inventory-service": used in error messages
  std::string base_url;  // "http://127.0.0.1:8082" (http only; no path)
  std::chrono::milliseconds connect_timeout{1'000};
  std::chrono::milliseconds total_timeout{5'000};  // connect + send + whole answer
  std::size_t max_idle_connections = 64;
};

struct ClientRequest {
  std::string method;  // "POST"
  std::string route;   // low-cardinality template for the span name: "/orders/{id}"
  std::string target;  // what is sent: "/orders/0b7c..."
  std::string body;    // sent as application/json when not empty
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

struct ClientResponse {
  unsigned status = 0;
  std::string body;
  std::string content_type;
};

class HttpClient {
 public:
  // Throws std::invalid_argument for a base_url it cannot use
  // (not http://host[:port]), so a misconfigured service stops at start-up.
  HttpClient(UpstreamOptions options, const telemetry::Tracer& tracer,
             const telemetry::TextMapPropagator& propagator);
  // Closes the idle connections; no Send may be in progress.
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request as a child of `parent` and waits for the answer. Throws HttpError
  // (502/504) on transport failure; the CLIENT span is then ERROR with the exception recorded.
  ClientResponse Send(const telemetry::Context& parent, const ClientRequest& request);

  // GET /healthz on the upstream, untraced, within connect_timeout: for /readyz. True for a 2xx.
  bool Reachable() noexcept;

  const UpstreamOptions& options() const noexcept { return options_; }

 private:
  class Pool;
  UpstreamOptions options_;
  const telemetry::Tracer& tracer_;
  const telemetry::TextMapPropagator& propagator_;
  std::unique_ptr<Pool> pool_;
};

// Returns normally for 2xx. Otherwise throws the caller's HttpError for the upstream's answer:
// a 4xx keeps its status and the upstream's error code and message (the caller's client made
// the mistake; the message is not prefixed, so it does not grow a name at every hop); a 503 or
// 504 keeps its status with code "upstream_unavailable" / "upstream_timeout"; any other status
// becomes 502 "upstream_error". Messages are taken from the upstream's JSON error body,
// truncated to 200 bytes of valid UTF-8, and (except for 4xx) prefixed with the upstream's name;
// a body that is not the JSON error shape becomes 502 "upstream_bad_response".
void RaiseForUpstreamStatus(const ClientResponse& response, std::string_view upstream_name);

}  // namespace hotorder::http
