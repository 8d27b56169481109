#pragma once
// One request/response exchange of an HttpClient, run on the client's I/O thread as a chain of
// Beast completion handlers: take a pooled connection or resolve + connect, write, read. Every
// operation has a deadline (beast::tcp_stream expiry), so an exchange always ends; how it ended
// is reported as a plain value through a future, and the client turns that into a response, an
// HttpError and span attributes. No tracing or HTTP policy lives here.

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
#include <future>
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

// What the exchanges of one client share; lives on (and is only touched by) the I/O thread.
struct UpstreamIo {
  UpstreamAddress address;
  ConnectionPool pool;
  // Resolved once and reused; cleared after a failed connect, so a restarted upstream (a new
  // container address under the same name) is looked up again.
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;
};

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  using Clock = std::chrono::steady_clock;
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  Exchange(boost::asio::io_context& ioc, UpstreamIo& upstream, Request request,
           std::chrono::milliseconds connect_timeout, Clock::time_point deadline);

  // Call once, before Begin.
  std::future<ExchangeResult> Result() { return promise_.get_future(); }

  // Both run on the I/O thread (post them there). Abort ends the exchange as kTimeout: it is
  // the caller's last resort should a deadline somehow not fire.
  void Begin();
  void Abort();

 private:
  void Connect();
  void Resolve();
  void ConnectTo();
  void Write();
  void Read();
  void OnTransportError(boost::system::error_code ec, bool got_bytes);
  void Fail(ExchangeFailure failure, boost::system::error_code ec);
  void Finish();

  boost::asio::io_context& ioc_;
  UpstreamIo& upstream_;
  const Request request_;
  const std::chrono::milliseconds connect_timeout_;
  const Clock::time_point deadline_;
  Clock::time_point connect_deadline_;

  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer resolve_timer_;
  bool resolve_timed_out_ = false;
  std::unique_ptr<boost::beast::tcp_stream> stream_;
  bool reused_ = false;  // stream_ came from the pool
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser_;

  bool aborted_ = false;
  bool finished_ = false;
  ExchangeResult result_;
  std::promise<ExchangeResult> promise_;
};

}  // namespace hotorder::http::detail
