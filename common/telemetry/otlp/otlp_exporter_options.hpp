#pragma once
// How the OTLP/HTTP span exporter reaches its collector, and how that is read from the
// standard OTEL_EXPORTER_OTLP_* environment variables (OpenTelemetry specification, "OTLP
// Exporter" configuration options and "Endpoint URLs for OTLP/HTTP").
//
// Limits of this SDK, by design (it teaches tracing, not TLS plumbing):
// - Only http:// endpoints: there is no TLS, so an https:// endpoint is refused with a warning
//   rather than silently downgraded (that would send headers such as API keys in clear text).
// - Only the OTLP/HTTP transports (http/protobuf, the default, and http/json); `grpc` is refused
//   with a warning and http/protobuf is used.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/env.hpp"
#include "telemetry/otlp/retry_policy.hpp"

namespace hotorder::telemetry::otlp {

enum class Protocol { kHttpProtobuf, kHttpJson };
enum class Compression { kNone, kGzip };

inline constexpr std::string_view kDefaultTracesEndpoint = "http://localhost:4318/v1/traces";
// The spec's Timeout type: 0 means "no limit", which may be a very long time instead (spec,
// configuration/common.md "Timeout"); this is the largest 32-bit count of milliseconds.
inline constexpr std::chrono::milliseconds kNoTimeout{2147483647};

struct OtlpExporterOptions {
  // The full URL requests are POSTed to, /v1/traces included.
  std::string endpoint_url{kDefaultTracesEndpoint};
  Protocol protocol = Protocol::kHttpProtobuf;
  // Extra request headers (e.g. an API key), sent as given. Names the exporter sets itself
  // (IsReservedOtlpHeader) are ignored; a User-Agent replaces the exporter's own.
  std::vector<std::pair<std::string, std::string>> headers;
  // Bounds a whole Export call, every retry and wait included (spec: "maximum time the OTLP
  // exporter will wait for each batch export").
  std::chrono::milliseconds timeout{10000};
  Compression compression = Compression::kNone;
  RetryPolicy retry;
  // OTLP/HTTP size limits, at the spec's recommended defaults: a bigger request is not sent at
  // all (measured before compression), a bigger response is a non-retryable failure.
  std::size_t max_request_bytes = 64 * 1024 * 1024;
  std::size_t max_response_bytes = 4 * 1024 * 1024;
};

// The parts of an http:// URL a request needs. `target` is the path (never empty: "/" for a URL
// without one, per the spec) plus any query; userinfo and fragment are dropped, as the spec lets
// an exporter ignore every component but scheme, host, port and path.
struct HttpEndpoint {
  std::string host;  // an IPv6 literal keeps no brackets
  std::uint16_t port = 80;
  std::string target;
  std::string host_header;  // the Host header value: host[:port], brackets kept for IPv6
};

// nullopt (with the reason in `error` when given) for anything but a well-formed http:// URL.
std::optional<HttpEndpoint> ParseHttpEndpoint(std::string_view url,
                                              std::string* error = nullptr) noexcept;

// Reads OTEL_EXPORTER_OTLP_[TRACES_]{ENDPOINT,HEADERS,TIMEOUT,COMPRESSION,PROTOCOL}. For each
// option the TRACES_ variable wins when it is set and valid; an invalid value is reported with
// env.Warn and ignored as if unset (spec: configuration/common.md), so the generic variable, and
// then the default, applies.
// - OTEL_EXPORTER_OTLP_ENDPOINT is a base URL: "v1/traces" is appended after exactly one '/',
//   keeping the base path ("http://c:4318/otel" -> "http://c:4318/otel/v1/traces").
//   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as is.
// - HEADERS: a W3C-Baggage-like list "k1=v1,k2=v2" with percent-decoded values; the TRACES_
//   list replaces the generic one as a whole. Members that are empty are skipped; members with an
//   invalid name, no '=', a bad %-escape, a control character, or ';' metadata (which the spec
//   says is not supported) are skipped one by one with a warning. Headers the exporter must set
//   itself (Content-Type, Content-Length, Content-Encoding, Transfer-Encoding, Host, Connection)
//   are refused with a warning.
// - TIMEOUT: milliseconds, non-negative; 0 means no limit (kNoTimeout).
// - COMPRESSION: gzip | none; PROTOCOL: http/protobuf | http/json (both case-insensitive).
OtlpExporterOptions OtlpOptionsFromEnv(const config::EnvReader& env);

// Parses one headers list as described above, warning through `env` with `variable` named.
std::vector<std::pair<std::string, std::string>> ParseOtlpHeaders(std::string_view list,
                                                                  std::string_view variable,
                                                                  const config::EnvReader& env);

// True for a header the exporter sets itself and a user may not override (see above).
bool IsReservedOtlpHeader(std::string_view name) noexcept;

}  // namespace hotorder::telemetry::otlp
