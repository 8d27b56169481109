#include "http/session.hpp"

#include <limits>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http/request_failure.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

constexpr std::size_t kReadChunk = 4096;
// After answering on a connection we are about to close, keep reading (and discarding) what the
// client still sends for a moment: closing a socket with unread input sends a TCP reset, and a
// reset can destroy our 413/431/408 before the client reads it.
constexpr std::chrono::seconds kLingerTimeout{2};
// The tcp_stream expiry kept behind the request timer, so no read is ever unbounded even if the
// timer's cancel did not end it.
constexpr std::chrono::seconds kReadBackstop{1};

bool IsParseError(const boost::system::error_code& ec) noexcept {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

// Beast 1.74 speaks boost::string_view.
std::string_view Std(beast::string_view text) noexcept { return {text.data(), text.size()}; }

std::string ProtocolVersion(unsigned version) {
  return std::to_string(version / 10) + "." + std::to_string(version % 10);
}

}  // namespace

Session::Session(tcp::socket&& socket, ServerState& state)
    : state_(state), stream_(std::move(socket)), read_timer_(stream_.get_executor()) {
  ErrorCode ec;
  const auto remote = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    endpoints_.client_address = remote.address().to_string();
    endpoints_.client_port = remote.port();
  }
  const auto local = stream_.socket().local_endpoint(ec);
  if (!ec) {
    endpoints_.local_address = local.address().to_string();
    endpoints_.local_port = local.port();
  }
  // Responses are small and written at once; Nagle would only hold them back.
  stream_.socket().set_option(tcp::no_delay(true), ec);
}

Session::~Session() {
  {
    std::lock_guard lock(state_.mutex);
    state_.sessions.erase(this);
  }
  state_.changed.notify_all();
}

void Session::Start() {
  net::dispatch(stream_.get_executor(),
                [self = shared_from_this()] { self->Guarded([&] { self->WaitForRequest(); }); });
}

void Session::BeginShutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->Guarded([&] {
      if (self->phase_ == Phase::kIdle || self->phase_ == Phase::kClosing) self->Close();
    });
  });
}

void Session::ForceClose() noexcept {
  ErrorCode ignored;
  stream_.socket().close(ignored);
}

void Session::WaitForRequest() {
  phase_ = Phase::kIdle;
  if (state_.draining) {
    Close();
    return;
  }
  if (buffer_.size() > 0) {  // a pipelined request is already here
    BeginRequest();
    return;
  }
  stream_.expires_after(first_request_ ? state_.options.read_timeout
                                       : state_.options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](ErrorCode ec, std::size_t bytes) {
                            self->Guarded([&] { self->OnFirstBytes(ec, bytes); });
                          });
}

void Session::OnFirstBytes(ErrorCode ec, std::size_t bytes) {
  // Timeout, the client leaving, or shutdown closing an idle connection: nothing was asked,
  // so nothing is answered.
  if (ec || phase_ == Phase::kClosed) {
    Close();
    return;
  }
  buffer_.commit(bytes);
  BeginRequest();
}

void Session::BeginRequest() {
  phase_ = Phase::kReading;
  first_request_ = false;
  request_start_ = std::chrono::steady_clock::now();
  request_ = Request{};
  match_ = RouteMatch{};
  health_ = Health::kNone;
  traced_ = false;
  trace_ = telemetry::Context{};
  span_ = telemetry::Span{};
  status_ = 0;
  version_ = 11;  // what a refusal before the request line is parsed answers with
  keep_alive_ = false;
  read_timed_out_ = false;

  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_.options.max_header_bytes));
  // Content-Length is checked once the header is in (so the 413 has a span with a route);
  // the limit for chunked bodies is set then too. Not boost::none: Beast 1.74 compares the
  // Content-Length with the optional limit, and any number compares greater than none.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());

  ++read_generation_;
  read_timer_.expires_after(state_.options.read_timeout);
  read_timer_.async_wait(
      [self = shared_from_this(), generation = read_generation_](ErrorCode ec) {
        self->Guarded([&] { self->OnReadDeadline(ec, generation); });
      });
  stream_.expires_after(state_.options.read_timeout + kReadBackstop);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](ErrorCode ec, std::size_t) {
                             self->Guarded([&] { self->OnHeader(ec); });
                           });
}

void Session::OnReadDeadline(ErrorCode ec, std::uint64_t generation) {
  if (ec || generation != read_generation_ || phase_ != Phase::kReading) return;
  read_timed_out_ = true;
  ErrorCode ignored;
  stream_.socket().cancel(ignored);  // the pending read ends with operation_aborted
}

void Session::StopReadDeadline() noexcept {
  ++read_generation_;
  try {
    read_timer_.cancel();
  } catch (...) {
  }
}

void Session::OnHeader(ErrorCode ec) {
  if (ec) {
    OnReadFailed(ec);
    return;
  }
  const auto& head = parser_->get();
  version_ = head.version();
  keep_alive_ = head.keep_alive();
  request_.method = std::string(Std(head.method_string()));
  request_.target = std::string(Std(head.target()));
  request_.path = request_.target.substr(0, request_.target.find('?'));
  for (const auto& field : head) request_.headers.Add(Std(field.name_string()), Std(field.value()));
  request_.client_address = endpoints_.client_address;

  if (head.method() == bhttp::verb::get && request_.path == "/healthz") {
    health_ = Health::kLive;
  } else if (head.method() == bhttp::verb::get && request_.path == "/readyz") {
    health_ = Health::kReady;
  } else {
    StartRequestSpan();
  }

  const auto max_body = state_.options.max_body_bytes;
  if (const auto length = parser_->content_length(); length && *length > max_body) {
    RefuseAndClose(HttpError(413, "payload_too_large",
                             "the request body exceeds " + std::to_string(max_body) + " bytes"));
    return;
  }
  parser_->body_limit(max_body);
  if (parser_->is_done()) {
    OnBody({});
    return;
  }
  if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
    // curl and others wait for this before sending a body; answering it saves them a second.
    continue_ = {};
    continue_.version(version_);
    continue_.result(bhttp::status::continue_);
    bhttp::async_write(stream_, continue_,
                       [self = shared_from_this()](ErrorCode ec, std::size_t) {
                         self->Guarded([&] {
                           if (ec) {
                             self->OnReadFailed(ec);
                           } else {
                             self->ReadBody();
                           }
                         });
                       });
    return;
  }
  ReadBody();
}

void Session::ReadBody() {
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](ErrorCode ec, std::size_t) {
                      self->Guarded([&] { self->OnBody(ec); });
                    });
}

void Session::OnBody(ErrorCode ec) {
  if (ec) {
    OnReadFailed(ec);
    return;
  }
  StopReadDeadline();
  request_.body = std::move(parser_->get().body());
  if (traced_) span_.SetAttribute("http.request.body.size", request_.body.size());
  Dispatch();
}

void Session::OnReadFailed(ErrorCode ec) {
  StopReadDeadline();
  const auto& options = state_.options;
  if (read_timed_out_) {
    RefuseAndClose(HttpError(408, "request_timeout",
                             "the request was not complete within " +
                                 std::to_string(options.read_timeout.count()) + " ms"));
  } else if (ec == bhttp::error::header_limit) {
    RefuseAndClose(HttpError(431, "header_too_large",
                             "the request header exceeds " +
                                 std::to_string(options.max_header_bytes) + " bytes"));
  } else if (ec == bhttp::error::body_limit) {
    RefuseAndClose(HttpError(413, "payload_too_large",
                             "the request body exceeds " +
                                 std::to_string(options.max_body_bytes) + " bytes"));
  } else if (ec == bhttp::error::partial_message || ec == bhttp::error::end_of_stream ||
             !IsParseError(ec)) {
    // The client went away (or the backstop expiry closed the socket): nobody to answer.
    AbortRequest("the client closed the connection before the request was complete (" +
                 ec.message() + ")");
  } else {
    RefuseAndClose(HttpError(400, "bad_request", "malformed HTTP request: " + ec.message()));
  }
}

void Session::StartRequestSpan() {
  match_ = state_.router.Match(request_.method, request_.path);
  request_.path_params = match_.params;
  auto start = DescribeRequest(request_, ProtocolVersion(version_), match_.route, endpoints_);
  const telemetry::Context parent =
      state_.telemetry.propagator.Extract(request_.headers, telemetry::Context{});
  span_ = state_.telemetry.tracer.StartSpan(
      start.name, parent,
      {.kind = telemetry::SpanKind::kServer, .attributes = std::move(start.attributes)});
  trace_ = telemetry::ContextWithSpan(parent, span_);
  traced_ = true;
}

void Session::Dispatch() {
  phase_ = Phase::kHandling;
  if (health_ == Health::kLive) {
    Reply(Response::Json(200, R"({"status":"ok"})"), false);
    return;
  }
  if (health_ == Health::kReady) {
    DispatchReadiness();
    return;
  }
  // The worker reads request_, trace_, match_ and span_ while the strand leaves them alone: the
  // session does nothing else until the posted reply arrives.
  const bool queued = state_.pool.TryPost([self = shared_from_this()]() noexcept {
    Response response;
    try {
      RequestContext context{self->request_, self->trace_, self->span_,
                             self->state_.telemetry.tracer,
                             self->state_.telemetry.log.For(self->span_.context())};
      response = self->state_.router.Dispatch(self->match_, context);
    } catch (...) {
      response = Response{.status = 500};  // allocation failure building the context
    }
    PostReply(self, std::move(response));
  });
  if (!queued) {
    Refuse(HttpError(503, "overloaded", "the server is overloaded; try again later"), false);
  }
}

void Session::DispatchReadiness() {
  const bool queued = state_.pool.TryPost([self = shared_from_this()]() noexcept {
    bool ready = false;
    try {
      ready = !self->state_.ready || self->state_.ready();
    } catch (...) {
      ready = false;  // a check that throws is a check that failed
    }
    Response response;
    try {
      response = ready ? Response::Json(200, R"({"status":"ready"})")
                       : Response::Json(503, ErrorBody("not_ready", "the service is not ready"));
    } catch (...) {
      response = Response{.status = 503};
    }
    PostReply(self, std::move(response));
  });
  if (!queued) {
    Refuse(HttpError(503, "overloaded", "the server is overloaded; try again later"), false);
  }
}

void Session::PostReply(const std::shared_ptr<Session>& self, Response response) noexcept {
  try {
    net::post(self->stream_.get_executor(),
              [self, response = std::move(response)]() mutable {
                self->Guarded([&] { self->Reply(std::move(response), false); });
              });
  } catch (...) {
    // Could not even queue the reply: dropping `self` closes the connection.
  }
}

void Session::RefuseAndClose(const HttpError& error) { Refuse(error, true); }

void Session::Refuse(const HttpError& error, bool close) {
  const FailedRequest failed{request_.method, request_.target};
  if (health_ != Health::kNone) {
    telemetry::Span untraced;  // health checks stay out of traces, but the line is still logged
    Reply(FailRequest(error, untraced, state_.telemetry.log, failed), close);
    return;
  }
  if (!traced_) {
    // Bytes that never became a request still get a span, so bad input shows up in traces.
    auto start = DescribeUnparsedRequest(endpoints_);
    span_ = state_.telemetry.tracer.StartSpan(
        start.name, telemetry::Context{},
        {.kind = telemetry::SpanKind::kServer, .attributes = std::move(start.attributes)});
    trace_ = telemetry::Context{span_.context(), {}};
    traced_ = true;
  }
  Reply(FailRequest(error, span_, state_.telemetry.log.For(span_.context()), failed), close);
}

void Session::Reply(Response response, bool close) {
  StopReadDeadline();
  phase_ = Phase::kWriting;
  if (response.status < 200 || response.status > 599) {
    // 1xx would break the framing of this exchange, and Beast cannot write beyond 999.
    state_.telemetry.log.For(span_.context())
        .Error("handler returned an invalid status; answering 500",
               {{"status", response.status}, {"http.target", request_.target}});
    response = Response::Json(500, ErrorBody("internal", "internal error"));
    if (traced_) span_.SetStatus(telemetry::StatusCode::kError, "invalid response status");
  }
  status_ = response.status;
  if (traced_) {
    FinishServerSpan(span_, status_);
    AppendTraceHeaders(span_.context(), response.headers);
    // Ended as the answer is handed to the socket, not when the write completes: the caller's
    // CLIENT span ends once it has read the answer, and a child span must lie inside its parent.
    span_.End();
  }
  auto& out = response_.emplace();
  out.version(version_);
  out.result(response.status);
  if (!response.content_type.empty()) out.set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) out.insert(name, value);
  out.body() = std::move(response.body);
  const bool closing = close || !keep_alive_ || state_.draining;
  out.keep_alive(!closing);
  out.prepare_payload();

  stream_.expires_after(state_.options.write_timeout);
  bhttp::async_write(stream_, out,
                     [self = shared_from_this(), closing](ErrorCode ec, std::size_t) {
                       self->Guarded([&] { self->OnWritten(ec, closing); });
                     });
}

void Session::OnWritten(ErrorCode ec, bool closing) {
  const auto duration = std::chrono::steady_clock::now() - request_start_;
  const auto& log = state_.telemetry.log;
  if (log.Enabled(log::Level::kDebug)) {
    log.For(span_.context())
        .Debug("request", {{"method", request_.method},
                           {"route", match_.route != nullptr ? *match_.route : request_.path},
                           {"status", status_},
                           {"duration_ms",
                            std::chrono::duration<double, std::milli>(duration).count()},
                           {"write_error", ec ? ec.message() : std::string()}});
  }
  traced_ = false;
  response_.reset();
  if (ec) {
    Close();
  } else if (closing) {
    CloseAfterResponse();
  } else {
    WaitForRequest();
  }
}

void Session::CloseAfterResponse() {
  phase_ = Phase::kClosing;
  ErrorCode ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (state_.draining) {
    Close();
    return;
  }
  stream_.expires_after(kLingerTimeout);
  DrainUntilEof();
}

void Session::DrainUntilEof() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](ErrorCode ec, std::size_t) {
                            self->Guarded([&] {
                              if (ec || self->phase_ == Phase::kClosed) {
                                self->Close();
                              } else {
                                self->DrainUntilEof();
                              }
                            });
                          });
}

void Session::AbortRequest(std::string_view why) {
  if (traced_) {
    span_.SetStatus(telemetry::StatusCode::kError, why);
    span_.SetAttribute("error.type", "request_aborted");
    state_.telemetry.log.For(span_.context())
        .Debug("request aborted", {{"method", request_.method}, {"reason", why}});
    span_.End();
    traced_ = false;
  }
  Close();
}

void Session::Close() noexcept {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  StopReadDeadline();
  ErrorCode ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace hotorder::http
