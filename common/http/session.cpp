#include "http/session.hpp"

#include <array>
#include <exception>
#include <limits>
#include <string>

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http/request_failure.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// After answering on a connection we are about to close, keep reading (and discarding) what the
// client still sends for a moment: closing a socket with unread input sends a TCP reset, and a
// reset can destroy our 413/431/408 before the client reads it.
constexpr std::chrono::seconds kLingerTimeout{2};

bool IsParseError(const boost::system::error_code& ec) noexcept {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

// Beast 1.74 speaks boost::string_view.
std::string_view Std(beast::string_view text) noexcept { return {text.data(), text.size()}; }

std::string ProtocolVersion(unsigned version) {
  return std::to_string(version / 10) + "." + std::to_string(version % 10);
}

}  // namespace

Session::Session(int fd, ConnectionEndpoints endpoints, ServerState& state)
    : state_(state), socket_(fd), endpoints_(std::move(endpoints)) {}

void Session::Serve() noexcept {
  try {
    for (bool first = true; WaitForRequest(first) && ServeRequest(); first = false) {
    }
  } catch (const std::exception& error) {
    state_.telemetry.log.Error("closing a connection after an unexpected error",
                               {{"error", error.what()}});
  } catch (...) {
    state_.telemetry.log.Error("closing a connection after an unexpected error");
  }
}

bool Session::WaitForRequest(bool first) {
  if (state_.draining) return false;
  if (buffer_.size() > 0) return true;  // a pipelined request is already here
  socket_.ExpiresAfter(first ? state_.options.read_timeout : state_.options.idle_timeout);
  // A timeout, or the server draining: nothing was asked, so nothing is answered. The client
  // leaving is seen by the read that follows.
  ErrorCode ec;
  return socket_.WaitReadable(state_.stop.fd(), ec);
}

bool Session::ServeRequest() {
  BeginRequest();
  ErrorCode ec;
  bhttp::read_header(socket_, buffer_, *parser_, ec);
  if (ec) return OnReadFailed(ec);
  ReadHead();

  const auto max_body = state_.options.max_body_bytes;
  if (const auto length = parser_->content_length(); length && *length > max_body) {
    return Refuse(HttpError(413, "payload_too_large",
                            "the request body exceeds " + std::to_string(max_body) + " bytes"),
                  true);
  }
  parser_->body_limit(max_body);
  if (!parser_->is_done()) {
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      // curl and others wait for this before sending a body; answering it saves them a second.
      bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, version_};
      bhttp::write(socket_, proceed, ec);
      if (ec) return OnReadFailed(ec);
    }
    bhttp::read(socket_, buffer_, *parser_, ec);
    if (ec) return OnReadFailed(ec);
  }
  request_.body = std::move(parser_->get().body());
  if (traced_) span_.SetAttribute("http.request.body.size", request_.body.size());
  return Dispatch();
}

void Session::BeginRequest() {
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

  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_.options.max_header_bytes));
  // Content-Length is checked once the header is in (so the 413 has a span with a route);
  // the limit for chunked bodies is set then too. Not boost::none: Beast 1.74 compares the
  // Content-Length with the optional limit, and any number compares greater than none.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  // The whole request, header and body, within read_timeout of its first byte.
  socket_.ExpiresAt(request_start_ + state_.options.read_timeout);
}

void Session::ReadHead() {
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
}

bool Session::OnReadFailed(ErrorCode ec) {
  const auto& options = state_.options;
  if (ec == beast::error::timeout) {
    return Refuse(HttpError(408, "request_timeout",
                            "the request was not complete within " +
                                std::to_string(options.read_timeout.count()) + " ms"),
                  true);
  }
  if (ec == bhttp::error::header_limit) {
    return Refuse(HttpError(431, "header_too_large",
                            "the request header exceeds " +
                                std::to_string(options.max_header_bytes) + " bytes"),
                  true);
  }
  if (ec == bhttp::error::body_limit) {
    return Refuse(HttpError(413, "payload_too_large",
                            "the request body exceeds " +
                                std::to_string(options.max_body_bytes) + " bytes"),
                  true);
  }
  if (ec == bhttp::error::partial_message || ec == bhttp::error::end_of_stream ||
      !IsParseError(ec)) {
    // The client went away: nobody to answer.
    AbortRequest("the client closed the connection before the request was complete (" +
                 ec.message() + ")");
    return false;
  }
  return Refuse(HttpError(400, "bad_request", "malformed HTTP request: " + ec.message()), true);
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

bool Session::Dispatch() {
  if (health_ == Health::kLive) return Reply(Response::Json(200, R"({"status":"ok"})"), false);
  if (health_ == Health::kReady) return Reply(CheckReadiness(), false);
  std::optional<Response> response;
  {
    // Held while the handler runs, not while its answer is written.
    const HandlerSlot slot(state_.slots);
    if (slot.held()) response = Handle();
  }
  if (!response) {
    return Refuse(HttpError(503, "overloaded", "the server is overloaded; try again later"),
                  false);
  }
  return Reply(std::move(*response), false);
}

Response Session::Handle() {
  try {
    RequestContext context{request_, trace_, span_, state_.telemetry.tracer,
                           state_.telemetry.log.For(span_.context())};
    return state_.router.Dispatch(match_, context);
  } catch (...) {
    return Response{.status = 500};  // allocation failure building the context
  }
}

Response Session::CheckReadiness() {
  bool ready = false;
  try {
    ready = !state_.ready || state_.ready();
  } catch (...) {
    ready = false;  // a check that throws is a check that failed
  }
  return ready ? Response::Json(200, R"({"status":"ready"})")
               : Response::Json(503, ErrorBody("not_ready", "the service is not ready"));
}

bool Session::Refuse(const HttpError& error, bool close) {
  const FailedRequest failed{request_.method, request_.target};
  if (health_ != Health::kNone) {
    telemetry::Span untraced;  // health checks stay out of traces, but the line is still logged
    return Reply(FailRequest(error, untraced, state_.telemetry.log, failed), close);
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
  return Reply(FailRequest(error, span_, state_.telemetry.log.For(span_.context()), failed),
               close);
}

bool Session::Reply(Response response, bool close) {
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
    traced_ = false;
  }
  bhttp::response<bhttp::string_body> out;
  out.version(version_);
  out.result(response.status);
  if (!response.content_type.empty()) out.set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) out.insert(name, value);
  out.body() = std::move(response.body);
  const bool closing = close || !keep_alive_ || state_.draining;
  out.keep_alive(!closing);
  out.prepare_payload();

  socket_.ExpiresAfter(state_.options.write_timeout);
  ErrorCode ec;
  bhttp::write(socket_, out, ec);
  LogRequest(ec);
  if (ec) return false;
  if (closing) {
    LingerAfterResponse();
    return false;
  }
  return true;
}

void Session::LogRequest(const ErrorCode& write_error) const {
  const auto& log = state_.telemetry.log;
  if (!log.Enabled(log::Level::kDebug)) return;
  const auto duration = std::chrono::steady_clock::now() - request_start_;
  log.For(span_.context())
      .Debug("request",
             {{"method", request_.method},
              {"route", match_.route != nullptr ? *match_.route : request_.path},
              {"status", status_},
              {"duration_ms", std::chrono::duration<double, std::milli>(duration).count()},
              {"write_error", write_error ? write_error.message() : std::string()}});
}

void Session::LingerAfterResponse() {
  socket_.ShutdownSend();
  if (state_.draining) return;
  socket_.ExpiresAfter(kLingerTimeout);
  std::array<char, 4096> discard;
  ErrorCode ec;
  while (socket_.WaitReadable(state_.stop.fd(), ec) && !ec) {
    socket_.read_some(boost::asio::buffer(discard), ec);
  }
}

void Session::AbortRequest(std::string_view why) {
  if (!traced_) return;
  span_.SetStatus(telemetry::StatusCode::kError, why);
  span_.SetAttribute("error.type", "request_aborted");
  state_.telemetry.log.For(span_.context())
      .Debug("request aborted", {{"method", request_.method}, {"reason", why}});
  span_.End();
  traced_ = false;
}

}  // namespace hotorder::http
