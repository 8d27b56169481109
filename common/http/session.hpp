#pragma once
// One HTTP/1.1 connection, served start to end by one thread: it reads a request, runs the
// route's handler itself (the handler may block on Postgres or an upstream; nothing is handed to
// another thread), writes the response, and keeps the connection alive for the next request.
//
// Timeouts: waiting for a request to start is bounded by read_timeout on a new connection and
// idle_timeout on a kept-alive one (closed silently when it passes, or at once when the server
// begins to drain). From a request's first byte, read_timeout bounds the whole request (408 when
// it passes); write_timeout bounds writing the response.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/deadline_socket.hpp"
#include "http/http_error.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/server_span.hpp"
#include "http/server_state.hpp"
#include "telemetry/context.hpp"
#include "telemetry/span.hpp"

namespace hotorder::http {

class Session {
 public:
  // Takes ownership of the connected socket `fd`.
  Session(int fd, ConnectionEndpoints endpoints, ServerState& state);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Serves requests until the connection is to close. Never throws: what a step throws (only
  // allocation can) is logged and ends the connection. The socket closes with the session.
  void Serve() noexcept;

 private:
  enum class Health { kNone, kLive, kReady };
  using ErrorCode = boost::system::error_code;

  // Each returns true when the connection stays open for another request.
  bool WaitForRequest(bool first);
  bool ServeRequest();
  bool OnReadFailed(ErrorCode ec);
  bool Dispatch();
  bool Refuse(const HttpError& error, bool close);
  bool Reply(Response response, bool close);

  void BeginRequest();
  void ReadHead();
  // Starts the span for a request whose header has been read (not for /healthz, /readyz).
  void StartRequestSpan();
  Response Handle();
  Response CheckReadiness();
  void LogRequest(const ErrorCode& write_error) const;
  void LingerAfterResponse();
  void AbortRequest(std::string_view why);

  ServerState& state_;
  DeadlineSocket socket_;
  boost::beast::flat_buffer buffer_;
  const ConnectionEndpoints endpoints_;

  // Per request; reset by BeginRequest.
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
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
};

}  // namespace hotorder::http
