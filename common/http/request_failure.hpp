#pragma once
// The one way a request fails, shared by the router (handler outcomes, 404, 405) and the server's
// own refusals (400, 408, 413, 431, 503): the JSON error body, the SERVER span marked ERROR with
// the exception recorded as an event, and exactly one log line (warn for 4xx, error for 5xx).
// Keeping it in one place is what makes every error look the same in Jaeger and in the logs.

#include <exception>
#include <string_view>

#include "http/http_error.hpp"
#include "http/message.hpp"
#include "log/logger.hpp"
#include "telemetry/span.hpp"

namespace hotorder::http {

// What the failure log line says about the request; views must outlive the call.
struct FailedRequest {
  std::string_view method;
  std::string_view target;
};

// `error`'s status, code and message as the response.
Response FailRequest(const HttpError& error, telemetry::Span& span, const log::Logger& log,
                     FailedRequest request);

// 500 "internal" with a generic message; the type and message of what was thrown go only to the
// span and the log (they may hold SQL text or internals a client must not see).
// `error` is null when what was thrown is not a std::exception.
Response FailInternal(const std::exception* error, telemetry::Span& span, const log::Logger& log,
                      FailedRequest request);

// A handler that returned an error status instead of throwing: the span is still ERROR and the
// line is still logged, but there is no exception to record.
void MarkErrorResponse(const Response& response, telemetry::Span& span, const log::Logger& log,
                       FailedRequest request);

}  // namespace hotorder::http
