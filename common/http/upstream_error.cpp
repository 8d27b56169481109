// RaiseForUpstreamStatus (declared in client.hpp): how a caller turns an upstream's error answer
// into its own.

#include <string>

#include "http/client.hpp"
#include "http/client_error_body.hpp"

namespace hotorder::http {
namespace {

// Long enough for any message a person should read in a response, short enough that a chain of
// services quoting each other cannot grow an answer without bound.
constexpr std::size_t kMaxUpstreamMessage = 200;

}  // namespace

void RaiseForUpstreamStatus(const ClientResponse& response, std::string_view upstream_name) {
  const unsigned status = response.status;
  if (status >= 200 && status < 300) return;
  const std::string name(upstream_name);
  const std::string status_text = std::to_string(status);

  auto error = detail::ParseErrorBody(response.body);
  if (!error) {
    throw HttpError(502, "upstream_bad_response",
                    name + " answered " + status_text + " without a JSON error body");
  }
  std::string message = detail::ShortenMessage(
      error->message.empty() ? error->code : error->message, kMaxUpstreamMessage);

  // The caller's own client made the mistake (unknown SKU, not enough stock): it gets the same
  // answer, unprefixed, so a message does not grow a service name at every hop.
  if (status >= 400 && status < 500) throw HttpError(status, error->code, message);
  if (status == 503) throw HttpError(503, "upstream_unavailable", name + ": " + message);
  if (status == 504) throw HttpError(504, "upstream_timeout", name + ": " + message);
  throw HttpError(502, "upstream_error", name + " answered " + status_text + ": " + message);
}

}  // namespace hotorder::http
