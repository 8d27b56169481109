#include "loadgen/connection.hpp"

#include <sys/socket.h>

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <cerrno>

namespace hotorder::loadgen {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

namespace {
// A server closes kept-alive connections that sat idle too long (HotOrder's after 60 s); a
// request written to such a connection would fail as a read error that is no fault of the run.
// Checking costs a syscall, so only connections idle this long are checked.
constexpr auto kIdleCheckAfter = std::chrono::seconds(1);
}  // namespace

Connection::Connection(asio::io_context& io, tcp::endpoint endpoint,
                       ConnectionListener& listener, std::size_t index)
    : socket_(io),
      rest_timer_(io),
      endpoint_(std::move(endpoint)),
      listener_(listener),
      index_(index) {}

void Connection::Start(TimePoint now, TimePoint deadline, bool capture_body) {
  deadline_ = deadline;
  capture_body_ = capture_body;
  timed_out_ = false;
  if (open_ && now - idle_since_ >= kIdleCheckAfter && PeerClosedWhileIdle()) CloseSocket();
  if (open_) {
    Write();
  } else {
    phase_ = Phase::kConnecting;
    Connect();
  }
}

void Connection::Open(TimePoint deadline) {
  deadline_ = deadline;
  timed_out_ = false;
  phase_ = Phase::kOpening;
  Connect();
}

void Connection::Connect() {
  buffer_.clear();  // bytes from the previous connection mean nothing on this one
  socket_.async_connect(endpoint_, [this](const error_code& ec) { OnConnect(ec); });
}

void Connection::OnConnect(const error_code& ec) {
  const bool opening = phase_ == Phase::kOpening;
  if (ec || timed_out_) {
    CloseSocket();
    if (opening) {
      phase_ = Phase::kIdle;
      listener_.OnOpened(*this, false);
    } else {
      Done(ExchangeError::kConnect);
    }
    return;
  }
  error_code ignored;
  // Requests are written whole; Nagle would only hold the next one back.
  socket_.set_option(tcp::no_delay(true), ignored);
  open_ = true;
  if (opening) {
    phase_ = Phase::kIdle;
    listener_.OnOpened(*this, true);
  } else {
    Write();
  }
}

void Connection::Write() {
  phase_ = Phase::kWriting;
  asio::async_write(socket_, asio::buffer(request_),
                    [this](const error_code& ec, std::size_t) { OnWrite(ec); });
}

void Connection::OnWrite(const error_code& ec) {
  if (timed_out_) return Done(ExchangeError::kTimeout);
  if (ec) return Done(ExchangeError::kIo);
  Read();
}

void Connection::Read() {
  phase_ = Phase::kReading;
  parser_.emplace(response_, capture_body_);
  http::async_read(socket_, buffer_, *parser_,
                   [this](const error_code& ec, std::size_t) { OnRead(ec); });
}

void Connection::OnRead(const error_code& ec) {
  // A response that raced the deadline still lost: the socket is already closed.
  if (timed_out_) return Done(ExchangeError::kTimeout);
  if (ec) return Done(ExchangeError::kIo);
  // Honours "Connection: close" (and HTTP/1.0 without keep-alive): the next Start reconnects.
  const bool keep_alive = parser_->keep_alive();
  parser_.reset();
  if (!keep_alive) CloseSocket();
  Done(ExchangeError::kNone);
}

bool Connection::PeerClosedWhileIdle() noexcept {
  char byte = 0;
  const ssize_t n = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  // 0: the peer's FIN is queued. -1 with EAGAIN: still open, nothing to read. Anything else (an
  // error, or bytes nobody asked for) also means the connection is not worth reusing.
  return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
}

void Connection::Done(ExchangeError error) {
  if (error != ExchangeError::kNone) CloseSocket();
  idle_since_ = Clock::now();
  phase_ = Phase::kIdle;
  listener_.OnExchangeDone(*this, error);
}

void Connection::Rest(Clock::duration pause) {
  phase_ = Phase::kResting;
  rest_timer_.expires_after(pause);
  rest_timer_.async_wait([this](const error_code& ec) {
    if (ec || phase_ != Phase::kResting) return;
    phase_ = Phase::kIdle;
    listener_.OnRested(*this);
  });
}

void Connection::ExpireIfDue(TimePoint now) noexcept {
  if (timed_out_ || now < deadline_) return;
  if (phase_ == Phase::kIdle || phase_ == Phase::kResting) return;
  timed_out_ = true;
  // Closing aborts the pending operation; its handler reports the timeout.
  CloseSocket();
}

void Connection::Close() noexcept {
  if (phase_ == Phase::kResting) phase_ = Phase::kIdle;
  rest_timer_.cancel();
  CloseSocket();
}

void Connection::CloseSocket() noexcept {
  open_ = false;
  error_code ignored;
  socket_.close(ignored);
}

}  // namespace hotorder::loadgen
