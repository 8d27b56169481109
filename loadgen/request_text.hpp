#pragma once
// The bytes of one request, written by hand into a reused buffer (no Beast message, no
// per-request header containers: loadgen must stay far cheaper than what it measures), and the
// name of its client span.

#include <string>
#include <string_view>

#include "loadgen/mix.hpp"
#include "telemetry/propagation/text_map.hpp"

namespace hotorder::loadgen {

// Request line, `fixed_headers` (Host, User-Agent: each ending in CRLF), and Content-Type and
// Content-Length when there is a body (or the method expects one). The caller appends any
// further headers, the blank line and the body.
void AppendRequestHead(std::string& out, const RequestSpec& spec, std::string_view fixed_headers);

// Lets a propagator append its headers (traceparent, baggage) to the request being written.
class AppendHeaderWriter final : public telemetry::TextMapWriter {
 public:
  explicit AppendHeaderWriter(std::string& out) : out_(out) {}
  void Set(std::string_view key, std::string_view value) override {
    out_.append(key).append(": ").append(value).append("\r\n");
  }

 private:
  std::string& out_;
};

// Semantic conventions name a client span "{method} {url.template}"; the templates are those of
// the requests mix.cpp builds.
std::string ClientSpanName(const RequestSpec& spec);

}  // namespace hotorder::loadgen
