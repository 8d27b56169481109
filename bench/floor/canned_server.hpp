#pragma once
// The roles that answer every request the same way, on one epoll thread:
// - echo: 200 with a tiny JSON body, to compare load generators (loadgen against wrk);
// - otlp-sink: 200 with an empty ExportTraceServiceResponse (full success) to every OTLP/HTTP
//   export, so `bench system` can measure the services' own cost of tracing without the
//   Collector's and Jaeger's CPU on the same cores. It keeps nothing; at shutdown it reports
//   how many requests and body bytes it acknowledged.
//
// The loop must outrun any one client on a core of its own. A thread per connection cannot:
// with 64 connections every request costs a context switch, and the server saturates its core
// before the client does. One event loop answers every ready connection per wake-up instead.

#include <string_view>

namespace hotorder::floor_chain {

struct CannedAnswer {
  std::string_view role;          // for log lines: "echo", "otlp-sink"
  std::string_view content_type;
  std::string_view body;
};

inline constexpr CannedAnswer kEchoAnswer{"echo", "application/json", R"({"ok":true})"};
// An empty protobuf message is zero bytes: ExportTraceServiceResponse without partial_success.
inline constexpr CannedAnswer kOtlpSinkAnswer{"otlp-sink", "application/x-protobuf", ""};

// Serves `answer` on 127.0.0.1:port until SIGTERM or SIGINT; returns the exit code (1 when it
// could not listen). Blocks those signals in the calling thread: call it before starting any
// thread.
int ServeCanned(int port, const CannedAnswer& answer);

}  // namespace hotorder::floor_chain
