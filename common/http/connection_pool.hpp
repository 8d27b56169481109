#pragma once
// The idle kept-alive connections of one HttpClient. Touched only on the client's I/O thread, so
// it has no lock: a connection moves between the pool and an exchange inside handlers.

#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>

namespace hotorder::http::detail {

class ConnectionPool {
 public:
  using Clock = std::chrono::steady_clock;
  using Stream = boost::beast::tcp_stream;

  // Servers close idle keep-alive connections after a while (Beast examples and most proxies:
  // tens of seconds); a connection idle longer than this is more likely closed than useful.
  static constexpr auto kDefaultMaxIdleAge = std::chrono::seconds(30);

  explicit ConnectionPool(std::size_t max_idle, Clock::duration max_idle_age = kDefaultMaxIdleAge)
      : max_idle_(max_idle), max_idle_age_(max_idle_age) {}

  // The most recently returned connection that is still fresh, or null. Most recent first: it
  // is the one least likely to have been closed by the server in the meantime.
  std::unique_ptr<Stream> Take(Clock::time_point now);
  // Keeps `stream` for reuse; when the pool is full the longest-idle connection is closed.
  void Put(std::unique_ptr<Stream> stream, Clock::time_point now);
  void Clear() noexcept;

  std::size_t size() const noexcept { return idle_.size(); }

 private:
  struct Idle {
    std::unique_ptr<Stream> stream;
    Clock::time_point since;
  };
  void DropExpired(Clock::time_point now) noexcept;

  const std::size_t max_idle_;
  const Clock::duration max_idle_age_;
  std::deque<Idle> idle_;  // oldest at the front
};

// Closes a stream's socket, ignoring errors (it may already be closed by the peer).
void CloseStream(boost::beast::tcp_stream& stream) noexcept;

}  // namespace hotorder::http::detail
