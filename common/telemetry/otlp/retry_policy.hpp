#pragma once
// When and how long an OTLP/HTTP exporter waits before sending a failed request again. Pure
// logic (no I/O, no clocks of its own) so every rule is testable with fixed inputs.
//
// Spec (opentelemetry-proto docs/specification.md, OTLP/HTTP "Failures", "Throttling", "All
// Other Responses", "Connection"; OpenTelemetry "OTLP Exporter" Retry):
// - 429, 502, 503 and 504 SHOULD be retried; every other 4xx/5xx MUST NOT be (400 included).
// - A server that disconnects without a response, or that cannot be reached, SHOULD be retried.
// - Retries use exponential back-off with jitter; a "Retry-After" header (delta-seconds or an
//   HTTP-date) SHOULD be honoured instead of the back-off when present.
// - The exporter's Timeout bounds the whole export, so no wait may outlast it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace hotorder::telemetry::otlp {

// The spec fixes none of these numbers. The defaults are the ones the OpenTelemetry Java SDK's
// RetryPolicy uses for OTLP (5 attempts, 1 s initial, 5 s max, multiplier 1.5): with waits of
// about 1 s, 1.5 s, 2.25 s and 3.4 s the last retry still starts inside the default 10 s export
// timeout, and a batch processor's next export is never starved for long.
struct RetryPolicy {
  int max_attempts = 5;  // the first attempt included; 1 disables retries
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{5000};
  double backoff_multiplier = 1.5;
  // Each wait is the back-off times a uniform factor in [1 - jitter, 1 + jitter), so exporters
  // that failed together do not retry together.
  double jitter = 0.2;
  // A Retry-After longer than this is shortened to it: a misconfigured proxy asking for an hour
  // must not freeze an exporter whose timeout was set to "no limit".
  std::chrono::milliseconds max_retry_after{30000};
};

enum class AttemptOutcome {
  kSuccess,    // 2xx
  kRetryable,  // transient: 429/502/503/504, connection refused/reset/closed, timeouts
  kPermanent,  // every other status, or a response we must not use (e.g. too large)
};

// Classifies an HTTP status code per the OTLP/HTTP rules above. 1xx/3xx are permanent: this
// exporter follows no redirects, and a 3xx means the endpoint is misconfigured.
AttemptOutcome ClassifyHttpStatus(unsigned status) noexcept;

// Parses a Retry-After value (RFC 9110 10.2.3): delta-seconds, or an HTTP-date in any of the
// three formats a recipient must accept (IMF-fixdate, RFC 850, asctime). A date in the past
// gives zero. nullopt when the value is malformed, which means "no Retry-After".
std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) noexcept;

// The jittered exponential back-off before retry number `retry` (1 for the first retry):
// min(initial * multiplier^(retry-1), max_backoff) scaled by 1 + jitter * (2 * uniform01 - 1).
// `uniform01` is a random draw in [0, 1), passed in so tests can fix it.
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry,
                                       double uniform01) noexcept;

// The wait before the next attempt after `attempts_made` attempts ended in a retryable outcome,
// or nullopt when the exporter must give up: attempts exhausted, or the wait would end at or
// after the export's deadline (`time_left` from now). A present `retry_after` replaces the
// back-off, capped by policy.max_retry_after.
std::optional<std::chrono::milliseconds> NextRetryDelay(
    const RetryPolicy& policy, int attempts_made,
    std::optional<std::chrono::milliseconds> retry_after, std::chrono::milliseconds time_left,
    double uniform01) noexcept;

}  // namespace hotorder::telemetry::otlp
