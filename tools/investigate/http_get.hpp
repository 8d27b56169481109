#pragma once
// A small blocking HTTP/1.1 GET for talking to Jaeger's query API: one request per connection,
// one deadline over connect + write + read, every failure returned (never thrown). Deliberately
// not common/http's client, which records CLIENT spans: the investigation must not trace itself
// into the backend it is reading.

#include <string>
#include <string_view>
#include <variant>

#include "tools/investigate/duration.hpp"

namespace hotorder::investigate {

// http://host[:port][/prefix], the prefix kept for a Jaeger served under a base path.
struct BaseUrl {
  std::string text;  // as given, without a trailing slash; for messages
  std::string host;  // without IPv6 brackets
  std::string port = "80";
  std::string host_header;
  std::string path_prefix;  // "" or "/jaeger" (no trailing slash)
};

// A message saying what is wrong when the URL is not http://host[:port][/path].
std::variant<BaseUrl, std::string> ParseBaseUrl(std::string_view url);

struct HttpResult {
  enum class Outcome {
    kOk,           // an answer arrived, whatever its status
    kUnreachable,  // cannot resolve or connect
    kTimeout,      // no complete answer before the deadline
    kBadResponse,  // not HTTP, cut off, or too large
  };
  Outcome outcome = Outcome::kOk;
  int status = 0;
  std::string body;
  // For anything but kOk: the reason in a few words ("connection refused").
  std::string error;
};

// GET base.path_prefix + target ("/api/traces/..."), within `timeout`.
HttpResult HttpGet(const BaseUrl& base, std::string_view target, Micros timeout) noexcept;

// Percent-encodes a query parameter value (RFC 3986 unreserved characters stay).
std::string UrlEncode(std::string_view value);

}  // namespace hotorder::investigate
