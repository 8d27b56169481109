#include "support/http_get.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <exception>
#include <strings.h>

namespace hotorder::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct ParsedUrl {
  std::string host;  // without IPv6 brackets
  std::string port = "80";
  std::string host_header;
  std::string target = "/";
};

std::optional<ParsedUrl> ParseUrl(std::string_view url, std::string& error) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    error = "only http:// URLs are supported: " + std::string(url);
    return std::nullopt;
  }
  url.remove_prefix(kScheme.size());
  const auto authority_end = url.find_first_of("/?");
  const std::string_view authority = url.substr(0, authority_end);
  ParsedUrl parsed;
  if (authority_end != std::string_view::npos) {
    parsed.target = std::string(url.substr(authority_end));
    if (parsed.target.front() == '?') parsed.target.insert(parsed.target.begin(), '/');
  }
  parsed.host_header = std::string(authority);
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "bad IPv6 literal in " + std::string(authority);
      return std::nullopt;
    }
    parsed.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        error = "bad authority " + std::string(authority);
        return std::nullopt;
      }
      port = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.rfind(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (parsed.host.empty()) {
    error = "no host in URL";
    return std::nullopt;
  }
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      error = "bad port in URL: " + std::string(port);
      return std::nullopt;
    }
    parsed.port = std::string(port);
  }
  return parsed;
}

HttpResponse Fail(std::string message) {
  HttpResponse response;
  response.error = std::move(message);
  return response;
}

// Beast's stream timeouts only apply to asynchronous operations, so each step is started
// asynchronously and the io_context run until it completes or the stream's deadline fires.
HttpResponse DoRequest(std::string_view method, std::string_view url, std::string body,
                       const HttpHeaders& headers, std::chrono::milliseconds timeout) {
  std::string error;
  const auto parsed = ParseUrl(url, error);
  if (!parsed) return Fail(error);
  const http::verb verb = http::string_to_verb(beast::string_view(method.data(), method.size()));
  if (verb == http::verb::unknown) return Fail("unknown HTTP method " + std::string(method));

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;

  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(parsed->host, parsed->port, ec);
  if (ec) return Fail("resolve " + parsed->host + ": " + ec.message());

  auto run_step = [&](std::string_view step) -> std::string {
    io.run();
    io.restart();
    if (!ec) return "";
    if (ec == beast::error::timeout) {
      return std::string(step) + " " + std::string(url) + ": timed out after " +
             std::to_string(timeout.count()) + " ms";
    }
    return std::string(step) + " " + std::string(url) + ": " + ec.message();
  };

  stream.expires_at(deadline);
  stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  if (auto failure = run_step("connect"); !failure.empty()) return Fail(failure);

  http::request<http::string_body> request{verb, parsed->target, 11};
  request.set(http::field::host, parsed->host_header);
  request.set(http::field::user_agent, "hotorder-tests");
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || verb == http::verb::post || verb == http::verb::put) {
    request.body() = std::move(body);
    request.prepare_payload();
  }

  stream.expires_at(deadline);
  http::async_write(stream, request, [&](beast::error_code e, std::size_t) { ec = e; });
  if (auto failure = run_step("write"); !failure.empty()) return Fail(failure);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  stream.expires_at(deadline);
  http::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
  if (auto failure = run_step("read"); !failure.empty()) return Fail(failure);

  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  auto message = parser.release();
  HttpResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
  return response;
}

}  // namespace

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), key.size()) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

HttpResponse HttpRequest(std::string_view method, std::string_view url, std::string body,
                         const HttpHeaders& headers, std::chrono::milliseconds timeout) noexcept {
  try {
    return DoRequest(method, url, std::move(body), headers, timeout);
  } catch (const std::exception& error) {
    return Fail(std::string("HTTP request failed: ") + error.what());
  } catch (...) {
    return Fail("HTTP request failed with an unknown exception");
  }
}

HttpResponse HttpGet(std::string_view url, const HttpHeaders& headers,
                     std::chrono::milliseconds timeout) noexcept {
  return HttpRequest("GET", url, {}, headers, timeout);
}

HttpResponse HttpPost(std::string_view url, std::string body, std::string_view content_type,
                      const HttpHeaders& headers, std::chrono::milliseconds timeout) noexcept {
  try {
    HttpHeaders all = headers;
    all.emplace_back("Content-Type", std::string(content_type));
    return HttpRequest("POST", url, std::move(body), all, timeout);
  } catch (...) {
    return Fail("HTTP request failed with an unknown exception");
  }
}

}  // namespace hotorder::test
