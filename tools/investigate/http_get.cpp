#include "tools/investigate/http_get.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <exception>

namespace hotorder::investigate {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// A search for many long traces is a few MB; anything far beyond is not Jaeger talking.
constexpr std::uint64_t kMaxBody = 256ull * 1024 * 1024;

HttpResult Failure(HttpResult::Outcome outcome, std::string error) {
  HttpResult result;
  result.outcome = outcome;
  result.error = std::move(error);
  return result;
}

std::string Reason(const beast::error_code& ec) {
  if (ec == asio::error::connection_refused) return "connection refused";
  if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable) {
    return "host unreachable";
  }
  if (ec == asio::error::connection_reset) return "connection reset";
  if (ec == http::error::end_of_stream || ec == asio::error::eof) {
    return "connection closed before an answer";
  }
  return ec.message();
}

}  // namespace

std::variant<BaseUrl, std::string> ParseBaseUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  const std::string quoted = "\"" + std::string(url) + "\"";
  if (url.substr(0, kScheme.size()) != kScheme) {
    if (url.substr(0, 8) == "https://") return quoted + ": only http:// is supported";
    return quoted + " is not an http:// URL";
  }
  BaseUrl base;
  std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.find_first_of("?#") != std::string_view::npos ||
      authority.find_first_of("@?#") != std::string_view::npos) {
    return quoted + ": only http://host[:port][/path] is accepted";
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return quoted + ": unclosed [ in the host";
    base.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return quoted + ": bad host";
      port = after.substr(1);
      if (port.empty()) return quoted + ": empty port";
    }
  } else {
    const auto colon = authority.find(':');
    base.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return quoted + ": empty port";
    }
  }
  if (base.host.empty()) return quoted + ": no host";
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return quoted + ": bad port \"" + std::string(port) + "\"";
    }
    base.port = std::string(port);
  }
  base.host_header = std::string(authority);
  base.path_prefix = std::string(path);
  base.text = "http://" + std::string(authority) + base.path_prefix;
  return base;
}

// Beast's stream timeouts only apply to asynchronous operations, so each step is started
// asynchronously and the io_context run until it completes or the deadline fires.
HttpResult HttpGet(const BaseUrl& base, std::string_view target, Micros timeout) noexcept {
  try {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    asio::io_context io;
    beast::tcp_stream stream(io);
    beast::error_code ec;

    tcp::resolver resolver(io);
    const auto endpoints = resolver.resolve(base.host, base.port, ec);
    if (ec) return Failure(HttpResult::Outcome::kUnreachable, "cannot resolve " + base.host);

    auto run = [&io] {
      io.run();
      io.restart();
    };
    auto timed_out = [&]() {
      return Failure(HttpResult::Outcome::kTimeout,
                     "no answer within " + FormatDuration(timeout.count()));
    };

    stream.expires_at(deadline);
    stream.async_connect(endpoints, [&ec](beast::error_code e, const tcp::endpoint&) { ec = e; });
    run();
    if (ec == beast::error::timeout) return timed_out();
    if (ec) return Failure(HttpResult::Outcome::kUnreachable, Reason(ec));

    http::request<http::empty_body> request{http::verb::get, base.path_prefix + std::string(target),
                                            11};
    request.set(http::field::host, base.host_header);
    request.set(http::field::user_agent, "hotorder-investigate");
    request.set(http::field::accept, "application/json");
    request.set(http::field::connection, "close");
    http::async_write(stream, request, [&ec](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec == beast::error::timeout) return timed_out();
    if (ec) return Failure(HttpResult::Outcome::kUnreachable, Reason(ec));

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    http::async_read(stream, buffer, parser, [&ec](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec == beast::error::timeout) return timed_out();
    if (ec) return Failure(HttpResult::Outcome::kBadResponse, Reason(ec));

    HttpResult result;
    result.status = static_cast<int>(parser.get().result_int());
    result.body = std::move(parser.get().body());
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return result;
  } catch (const std::exception& error) {
    return Failure(HttpResult::Outcome::kBadResponse, error.what());
  }
}

std::string UrlEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const unsigned char c : value) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0xF]);
    }
  }
  return encoded;
}

}  // namespace hotorder::investigate
