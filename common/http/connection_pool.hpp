#pragma once
// The idle kept-alive connections of one HttpClient. Each connection carries the io_context
// its operations run on, and the thread that takes one from the pool runs that io_context
// itself: an exchange never hands work to another thread. The pool is shared by every thread
// that sends through the client, hence its lock.

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

namespace hotorder::http::detail {

// One connection to an upstream and its own event loop. An io_context per connection costs a
// few file descriptors; in exchange, the handler's thread that calls HttpClient::Send (and blocks
// until the answer anyway) drives the I/O itself, saving two thread wake-ups per call that a
// shared I/O thread would cost (measured at ~30 µs each on the benchmark VM).
struct Connection {
  boost::asio::io_context ioc{1};
  boost::beast::tcp_stream stream{ioc};  // declared after ioc: destroyed before it
};

class ConnectionPool {
 public:
  using Clock = std::chrono::steady_clock;

  // Servers close idle keep-alive connections after a while (Beast examples and most proxies:
  // tens of seconds); a connection idle longer than this is more likely closed than useful.
  static constexpr auto kDefaultMaxIdleAge = std::chrono::seconds(30);

  explicit ConnectionPool(std::size_t max_idle, Clock::duration max_idle_age = kDefaultMaxIdleAge)
      : max_idle_(max_idle), max_idle_age_(max_idle_age) {}

  // The most recently returned connection that is still fresh, or null. Most recent first: it
  // is the one least likely to have been closed by the server in the meantime.
  std::unique_ptr<Connection> Take(Clock::time_point now);
  // Keeps `connection` for reuse; when the pool is full the longest-idle one is closed.
  void Put(std::unique_ptr<Connection> connection, Clock::time_point now);
  void Clear() noexcept;

  std::size_t size() const noexcept;

 private:
  struct Idle {
    std::unique_ptr<Connection> connection;
    Clock::time_point since;
  };
  // Moves what is too old into `expired`, to be closed outside the lock.
  void DropExpired(Clock::time_point now, std::deque<Idle>& expired);

  const std::size_t max_idle_;
  const Clock::duration max_idle_age_;
  mutable std::mutex mutex_;
  std::deque<Idle> idle_;  // oldest at the front
};

// Closes a stream's socket, ignoring errors (it may already be closed by the peer).
void CloseStream(boost::beast::tcp_stream& stream) noexcept;

}  // namespace hotorder::http::detail
