#pragma once
// One keep-alive HTTP/1.1 client connection: (connect if needed) → write the request bytes the
// engine serialised → read one response. Single-threaded by design: the engine's one
// io_context thread runs every handler, so there is no strand and no lock. A connection never
// completes synchronously; it reports through ConnectionListener from a handler.
//
// Deadlines are enforced by the engine's periodic sweep (ExpireIfDue) rather than one timer
// per request: arming a timer per request costs a timer-queue update and a timerfd syscall,
// and a timeout only needs sweep-period precision.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstddef>
#include <optional>
#include <string>

#include "loadgen/arrival_schedule.hpp"
#include "loadgen/response_parser.hpp"

namespace hotorder::loadgen {

enum class ExchangeError : std::uint8_t {
  kNone,
  kConnect,  // the connection could not be opened (refused, unreachable, or not within the deadline)
  kIo,       // writing or reading failed, or the server closed the connection
  kTimeout,  // the deadline passed while writing or reading
};

class Connection;

class ConnectionListener {
 public:
  // An exchange started with Start finished; the response is in connection.response().
  virtual void OnExchangeDone(Connection& connection, ExchangeError error) = 0;
  // An Open finished.
  virtual void OnOpened(Connection& connection, bool ok) = 0;
  // A Rest ended (not called when the connection is closed first).
  virtual void OnRested(Connection& connection) = 0;

 protected:
  ~ConnectionListener() = default;
};

class Connection {
 public:
  Connection(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint endpoint,
             ConnectionListener& listener, std::size_t index);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The next request's bytes: the engine clears and fills it, then calls Start.
  std::string& request_buffer() noexcept { return request_; }
  // Sends request_buffer() (connecting first if the connection is closed) and reads one
  // response; the body is kept only when `capture_body`.
  void Start(TimePoint now, TimePoint deadline, bool capture_body);
  // Connects without sending: warms the pool before the clock starts.
  void Open(TimePoint deadline);
  // Waits (after a connect error, so a dead server is not hammered) before OnRested.
  void Rest(Clock::duration pause);
  // Aborts the pending operation when its deadline has passed; it then reports kTimeout (or
  // kConnect while connecting) and the connection is closed, to be reopened by the next Start.
  void ExpireIfDue(TimePoint now) noexcept;
  // Closes the socket and cancels a rest; the engine calls it only when nothing is in flight.
  void Close() noexcept;

  bool busy() const noexcept { return phase_ != Phase::kIdle; }
  bool is_open() const noexcept { return open_; }
  std::size_t index() const noexcept { return index_; }
  const ResponseInfo& response() const noexcept { return response_; }

 private:
  enum class Phase : std::uint8_t { kIdle, kOpening, kConnecting, kWriting, kReading, kResting };

  void Connect();
  void OnConnect(const boost::system::error_code& ec);
  void Write();
  void OnWrite(const boost::system::error_code& ec);
  void Read();
  void OnRead(const boost::system::error_code& ec);
  void CloseSocket() noexcept;
  bool PeerClosedWhileIdle() noexcept;
  void Done(ExchangeError error);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer rest_timer_;
  boost::asio::ip::tcp::endpoint endpoint_;
  ConnectionListener& listener_;
  std::size_t index_;

  std::string request_;
  boost::beast::flat_buffer buffer_;  // reused: read leftovers stay for the next response
  std::optional<ResponseParser> parser_;  // a Beast parser is single-use: re-emplaced per response
  ResponseInfo response_;

  Phase phase_ = Phase::kIdle;
  bool open_ = false;
  bool capture_body_ = false;
  bool timed_out_ = false;
  TimePoint deadline_{};
  TimePoint idle_since_{};
};

}  // namespace hotorder::loadgen
