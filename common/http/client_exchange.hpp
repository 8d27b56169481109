#pragma once
// One request/response exchange of an HttpClient, a chain of Beast completion handlers on one
// connection's io_context, which the calling thread runs: connect (resolving first when the
// host is a name) unless the connection is a kept-alive one, write, read. Every operation has a
// deadline (beast::tcp_stream expiry), so the io_context always runs dry; how the exchange
// ended is a plain value, which the client turns into a response, an HttpError and span
// attributes. No tracing or HTTP policy lives here.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/client_url.hpp"
#include "http/connection_pool.hpp"

namespace hotorder::http::detail {

// An answer beyond this is refused as malformed: every HotOrder answer is a small JSON document.
inline constexpr std::size_t kMaxResponseBytes = 8 * 1024 * 1024;

enum class ExchangeFailure {
  kNone,
  kResolve,         // the host name did not resolve
  kConnectTimeout,  // no connection within the connect timeout
  kRefused,         // connection refused
  kConnect,         // any other connect error
  kTimeout,         // the total deadline passed (or the exchange was abandoned at it)
  kClosed,          // the peer closed or reset the connection before a whole answer
  kMalformed,       // the answer was not parsable HTTP/1.1, or too large
};

struct ExchangeResult {
  ExchangeFailure failure = ExchangeFailure::kNone;
  boost::system::error_code error;  // the underlying error, for messages
  unsigned status = 0;
  std::string body;
  std::string content_type;
  int resends = 0;  // 1 when a stale pooled connection had to be replaced by a fresh one
};

// What the exchanges of one client share, from whichever threads send through it.
class UpstreamIo {
 public:
  using Endpoints = std::vector<boost::asio::ip::tcp::endpoint>;

  UpstreamIo(UpstreamAddress address, std::size_t max_idle_connections)
      : address(std::move(address)), pool(max_idle_connections) {}

  const UpstreamAddress address;
  ConnectionPool pool;

  // Resolved once and reused; forgotten after a failed connect, so a restarted upstream (a new
  // container address under the same name) is looked up again.
  Endpoints endpoints() const {
    std::lock_guard lock(mutex_);
    return endpoints_;
  }
  void set_endpoints(Endpoints endpoints) {
    std::lock_guard lock(mutex_);
    endpoints_ = std::move(endpoints);
  }

 private:
  mutable std::mutex mutex_;
  Endpoints endpoints_;
};

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  using Clock = std::chrono::steady_clock;
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  // `reused`: the connection is a kept-alive one from the pool (its socket is connected).
  Exchange(Connection& connection, bool reused, UpstreamIo& upstream, Request request,
           std::chrono::milliseconds connect_timeout, Clock::time_point deadline);

  // Starts the first operation; the caller then runs the connection's io_context until it
  // runs out of work, which happens once the exchange has finished.
  void Begin();

  bool finished() const noexcept { return finished_; }
  ExchangeResult& result() noexcept { return result_; }
  // Whether the connection may go back to the pool: a whole answer that kept it alive.
  bool keep_connection() const noexcept { return keep_connection_; }

 private:
  void Connect();
  void Resolve();
  void ConnectTo(UpstreamIo::Endpoints endpoints);
  void Write();
  void Read();
  void OnTransportError(boost::system::error_code ec, bool got_bytes);
  void Fail(ExchangeFailure failure, boost::system::error_code ec);
  void Finish();

  Connection& connection_;
  boost::beast::tcp_stream& stream_;
  UpstreamIo& upstream_;
  const Request request_;
  const std::chrono::milliseconds connect_timeout_;
  const Clock::time_point deadline_;
  Clock::time_point connect_deadline_;

  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer resolve_timer_;
  bool resolve_timed_out_ = false;
  bool reused_;  // the connection came from the pool
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser_;

  bool finished_ = false;
  bool keep_connection_ = false;
  ExchangeResult result_;
};

}  // namespace hotorder::http::detail
