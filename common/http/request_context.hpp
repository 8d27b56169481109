#pragma once
// What a handler gets besides the request: the trace context of the SERVER span the middleware
// started for it (children are started from `trace`), the span itself for attributes, the tracer,
// and a logger already carrying the span's ids. Passed explicitly: handlers run on worker
// threads, never where the request was read.

#include "http/message.hpp"
#include "log/logger.hpp"
#include "telemetry/context.hpp"
#include "telemetry/span.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::http {

struct RequestContext {
  const Request& request;
  telemetry::Context trace;     // the SERVER span's context + incoming baggage
  telemetry::Span& server_span;
  const telemetry::Tracer& tracer;
  log::Logger log;
};

}  // namespace hotorder::http
