#pragma once
// One HTTP/1.1 connection: reads requests, hands them to the worker pool, writes the responses,
// keeps the connection alive between them. Every step runs on the connection's strand; each
// pending operation holds a shared_ptr to the session, which is what keeps it alive, so a
// session ends by simply having nothing pending.
//
// Timeouts: waiting for a request to start is bounded by the tcp_stream expiry (read_timeout on
// a new connection, idle_timeout on a kept-alive one; expiry closes silently). Once a request's
// first byte is in, a separate timer bounds the whole request by read_timeout; it cancels the
// read rather than closing the socket (the tcp_stream expiry would close it) so the client can
// still be told 408. Writes are bounded by write_timeout.

#include <chrono>
#include <exception>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/http_error.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/server_span.hpp"
#include "http/server_state.hpp"
#include "telemetry/context.hpp"
#include "telemetry/span.hpp"

namespace hotorder::http {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket&& socket, ServerState& state);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Begins serving; call once, after the session is registered in state.sessions.
  void Start();
  // Graceful shutdown: an idle connection closes now; a busy one closes after its response.
  void BeginShutdown();
  // Closes the socket from outside the strand; only when no I/O thread is running any more.
  void ForceClose() noexcept;

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kClosing, kClosed };
  enum class Health { kNone, kLive, kReady };
  using ErrorCode = boost::system::error_code;

  void WaitForRequest();
  void OnFirstBytes(ErrorCode ec, std::size_t bytes);
  void BeginRequest();
  void OnReadDeadline(ErrorCode ec, std::uint64_t generation);
  void StopReadDeadline() noexcept;
  void OnHeader(ErrorCode ec);
  void ReadBody();
  void OnBody(ErrorCode ec);
  void OnReadFailed(ErrorCode ec);
  void Dispatch();
  void DispatchReadiness();
  // From a worker thread: hands the response to the strand for writing.
  static void PostReply(const std::shared_ptr<Session>& self, Response response) noexcept;

  // Starts the span for a request whose header has been read (not for /healthz, /readyz).
  void StartRequestSpan();
  // Answers `error` and closes: for refusals made before a handler runs (400, 408, 413, 431,
  // 503); starts an "HTTP" span first when the request never got as far as having one.
  void RefuseAndClose(const HttpError& error);
  void Refuse(const HttpError& error, bool close);
  void Reply(Response response, bool close);
  void OnWritten(ErrorCode ec, bool close);
  void CloseAfterResponse();
  void DrainUntilEof();
  void Close() noexcept;
  void AbortRequest(std::string_view why);

  // Runs one completion step; nothing may leave a completion handler, so whatever a step throws
  // (only allocation can) is logged and the connection closed.
  template <typename Step>
  void Guarded(Step&& step) noexcept {
    try {
      step();
    } catch (const std::exception& error) {
      state_.telemetry.log.Error("closing a connection after an unexpected error",
                                 {{"error", error.what()}});
      Close();
    } catch (...) {
      Close();
    }
  }

  ServerState& state_;
  boost::beast::tcp_stream stream_;
  boost::asio::steady_timer read_timer_;
  boost::beast::flat_buffer buffer_;
  ConnectionEndpoints endpoints_;
  Phase phase_ = Phase::kIdle;
  bool first_request_ = true;

  // Per request; reset by BeginRequest.
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::uint64_t read_generation_ = 0;
  bool read_timed_out_ = false;
  std::chrono::steady_clock::time_point request_start_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  Health health_ = Health::kNone;
  Request request_;
  RouteMatch match_;
  bool traced_ = false;
  telemetry::Context trace_;
  telemetry::Span span_;
  unsigned status_ = 0;
  boost::beast::http::response<boost::beast::http::empty_body> continue_;
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> response_;
};

}  // namespace hotorder::http
