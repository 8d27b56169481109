#include "http/client_exchange.hpp"

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace hotorder::http::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// The ways a server hangs up on a connection: what a kept-alive connection closed while idle
// looks like when it is next used.
bool PeerClosed(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

}  // namespace

Exchange::Exchange(Connection& connection, bool reused, UpstreamIo& upstream, Request request,
                   std::chrono::milliseconds connect_timeout, Clock::time_point deadline)
    : connection_(connection),
      stream_(connection.stream),
      upstream_(upstream),
      request_(std::move(request)),
      connect_timeout_(connect_timeout),
      deadline_(deadline),
      resolver_(connection.ioc),
      resolve_timer_(connection.ioc),
      reused_(reused) {}

void Exchange::Begin() {
  if (reused_) {
    Write();
  } else {
    Connect();
  }
}

void Exchange::Connect() {
  connect_deadline_ = std::min(Clock::now() + connect_timeout_, deadline_);
  auto known = upstream_.endpoints();
  if (known.empty()) {
    Resolve();
  } else {
    ConnectTo(std::move(known));
  }
}

void Exchange::Resolve() {
  const UpstreamAddress& address = upstream_.address;
  error_code ec;
  auto ip = asio::ip::make_address(address.host, ec);
  if (!ec) {
    UpstreamIo::Endpoints endpoints{tcp::endpoint(ip, address.port)};
    upstream_.set_endpoints(endpoints);
    ConnectTo(std::move(endpoints));
    return;
  }
  // getaddrinfo cannot be interrupted (Asio runs it on a private thread): at the connect
  // deadline the lookup is cancelled, and its handler reports the timeout once getaddrinfo
  // returns. Native runs use addresses; compose's names resolve from Docker's local DNS.
  resolve_timer_.expires_at(connect_deadline_);
  resolve_timer_.async_wait([self = shared_from_this()](error_code wait_ec) {
    if (wait_ec) return;  // cancelled: the lookup finished first
    self->resolve_timed_out_ = true;
    self->resolver_.cancel();
  });
  resolver_.async_resolve(
      address.host, std::to_string(address.port), tcp::resolver::numeric_service,
      [self = shared_from_this()](error_code resolve_ec, tcp::resolver::results_type results) {
        self->resolve_timer_.cancel();
        if (self->resolve_timed_out_) {
          return self->Fail(self->connect_deadline_ < self->deadline_
                                ? ExchangeFailure::kConnectTimeout
                                : ExchangeFailure::kTimeout,
                            beast::error::timeout);
        }
        if (!resolve_ec && results.empty()) resolve_ec = asio::error::host_not_found;
        if (resolve_ec) return self->Fail(ExchangeFailure::kResolve, resolve_ec);
        UpstreamIo::Endpoints endpoints;
        for (const auto& entry : results) endpoints.push_back(entry.endpoint());
        self->upstream_.set_endpoints(endpoints);
        self->ConnectTo(std::move(endpoints));
      });
}

void Exchange::ConnectTo(UpstreamIo::Endpoints endpoints) {
  stream_.expires_at(connect_deadline_);
  stream_.async_connect(
      endpoints, [self = shared_from_this()](error_code ec, const tcp::endpoint&) {
        if (ec) {
          self->upstream_.set_endpoints({});
          if (ec == beast::error::timeout) {
            return self->Fail(self->connect_deadline_ < self->deadline_
                                  ? ExchangeFailure::kConnectTimeout
                                  : ExchangeFailure::kTimeout,
                              ec);
          }
          return self->Fail(ec == asio::error::connection_refused ? ExchangeFailure::kRefused
                                                                  : ExchangeFailure::kConnect,
                            ec);
        }
        // Requests are small and answered at once: Nagle's delay would only add latency.
        error_code ignored;
        self->stream_.socket().set_option(tcp::no_delay(true), ignored);
        self->Write();
      });
}

void Exchange::Write() {
  stream_.expires_at(deadline_);
  http::async_write(stream_, request_, [self = shared_from_this()](error_code ec, std::size_t) {
    if (ec) return self->OnTransportError(ec, /*got_bytes=*/false);
    self->Read();
  });
}

void Exchange::Read() {
  parser_.emplace();
  parser_->body_limit(kMaxResponseBytes);
  buffer_.clear();
  stream_.expires_at(deadline_);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](error_code ec, std::size_t) {
                     if (ec) {
                       bool got_bytes = self->parser_->got_some() || self->buffer_.size() > 0;
                       return self->OnTransportError(ec, got_bytes);
                     }
                     auto& response = self->parser_->get();
                     self->result_.status = response.result_int();
                     self->result_.content_type =
                         std::string(response[http::field::content_type]);
                     self->result_.body = std::move(response.body());
                     // Bytes past the answer mean the server is out of step with us: such a
                     // connection is not reused.
                     if (response.keep_alive() && self->buffer_.size() == 0) {
                       self->stream_.expires_never();
                       self->keep_connection_ = true;
                     }
                     self->Finish();
                   });
}

void Exchange::OnTransportError(error_code ec, bool got_bytes) {
  // A pooled connection the server closed while it sat idle: nothing reached the server's
  // application, so the request is sent once more on a fresh connection.
  if (reused_ && result_.resends == 0 && PeerClosed(ec) && !got_bytes &&
      Clock::now() < deadline_) {
    CloseStream(stream_);
    reused_ = false;
    result_.resends = 1;
    return Connect();
  }
  if (ec == beast::error::timeout) return Fail(ExchangeFailure::kTimeout, ec);
  // Beast's http errors are parse errors (and the body limit), except the two that only say
  // the connection ended early.
  const auto& http_category = http::make_error_code(http::error::end_of_stream).category();
  if (ec.category() == http_category && ec != http::error::end_of_stream &&
      ec != http::error::partial_message) {
    return Fail(ExchangeFailure::kMalformed, ec);
  }
  Fail(ExchangeFailure::kClosed, ec);
}

void Exchange::Fail(ExchangeFailure failure, error_code ec) {
  result_.failure = failure;
  result_.error = ec;
  Finish();
}

void Exchange::Finish() {
  if (finished_) return;
  finished_ = true;
  if (!keep_connection_) CloseStream(stream_);
}

}  // namespace hotorder::http::detail
