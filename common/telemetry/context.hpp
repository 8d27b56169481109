#pragma once
// What travels with one request: the span that is current for it and its baggage. Passed by
// value or reference through every call, never kept in a thread-local: handlers hop threads.

#include "telemetry/baggage.hpp"
#include "telemetry/span_context.hpp"

namespace hotorder::telemetry {

struct Context {
  SpanContext span;
  Baggage baggage;
};

}  // namespace hotorder::telemetry
