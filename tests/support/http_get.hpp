#pragma once
// A small synchronous HTTP/1.1 client for tests (query Jaeger, probe health endpoints, call a
// service): one request per connection, a deadline over connect + write + read, and every
// failure returned in the result, never thrown.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotorder::test {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  // Empty when a response arrived (whatever its status); otherwise what went wrong (bad URL,
  // connection refused, timeout, malformed response).
  std::string error;
  int status = 0;
  HttpHeaders headers;
  std::string body;

  bool ok() const noexcept { return error.empty(); }
  // The first header named `name` (case-insensitive), if any.
  std::optional<std::string> Header(std::string_view name) const;
};

inline constexpr std::chrono::milliseconds kDefaultHttpTimeout{5000};

// `url` is http://host[:port][/path][?query]; only http is supported.
HttpResponse HttpGet(std::string_view url, const HttpHeaders& headers = {},
                     std::chrono::milliseconds timeout = kDefaultHttpTimeout) noexcept;

HttpResponse HttpPost(std::string_view url, std::string body, std::string_view content_type,
                      const HttpHeaders& headers = {},
                      std::chrono::milliseconds timeout = kDefaultHttpTimeout) noexcept;

// Any method ("GET", "POST", "PUT", "DELETE", ...); `body` is sent when not empty.
HttpResponse HttpRequest(std::string_view method, std::string_view url, std::string body,
                         const HttpHeaders& headers = {},
                         std::chrono::milliseconds timeout = kDefaultHttpTimeout) noexcept;

}  // namespace hotorder::test
