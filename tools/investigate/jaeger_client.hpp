#pragma once
// Jaeger's v1 query API (the JSON the Jaeger UI reads): one trace by id, and the trace search.
// Failures come back as a message a person can act on, never as an exception.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/investigate/duration.hpp"
#include "tools/investigate/http_get.hpp"
#include "tools/investigate/trace_model.hpp"

namespace hotorder::investigate {

struct TraceAnswer {
  enum class Status { kFound, kNotFound, kError };
  Status status = Status::kError;
  Trace trace;        // kFound
  std::string error;  // kError: one line, what went wrong and where
};

struct SearchQuery {
  std::string service;
  std::string operation;  // "" = any
  std::optional<Micros> min_duration;
  std::optional<Micros> max_duration;
  Micros lookback{std::chrono::hours(1)};
  int limit = 20;
};

struct SearchAnswer {
  bool ok = false;
  std::vector<Trace> traces;
  std::string error;
};

// /api/traces?service=...: the window is [now - lookback, now] in Jaeger's µs "start"/"end"
// (the API ignores "lookback", which only the UI reads).
std::string SearchTarget(const SearchQuery& query, std::int64_t now_us);

class JaegerClient {
 public:
  JaegerClient(BaseUrl base, Micros timeout) : base_(std::move(base)), timeout_(timeout) {}

  // `trace_id` is lowercase hex (16 or 32 digits). Jaeger answers 404 for a trace it does not
  // (yet) hold.
  TraceAnswer GetTrace(std::string_view trace_id) const;
  SearchAnswer Search(const SearchQuery& query, std::int64_t now_us) const;

  const BaseUrl& base() const noexcept { return base_; }

 private:
  // The error line for a failed request or a non-2xx answer.
  std::string Problem(const HttpResult& result) const;
  // The traces in a successful answer's body, or nothing with `error` saying what was wrong.
  std::optional<std::vector<Trace>> TracesIn(const HttpResult& result, std::string& error) const;

  BaseUrl base_;
  Micros timeout_;
};

}  // namespace hotorder::investigate
