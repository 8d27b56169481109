#include "http/connection_pool.hpp"

namespace hotorder::http::detail {
namespace {

template <class IdleEntries>
void CloseAll(IdleEntries& entries) noexcept {
  for (auto& entry : entries) CloseStream(entry.connection->stream);
  entries.clear();
}

}  // namespace

void CloseStream(boost::beast::tcp_stream& stream) noexcept {
  boost::beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream.socket().close(ignored);
}

std::unique_ptr<Connection> ConnectionPool::Take(Clock::time_point now) {
  std::deque<Idle> discarded;
  std::unique_ptr<Connection> taken;
  {
    std::lock_guard lock(mutex_);
    DropExpired(now, discarded);
    while (!idle_.empty() && !taken) {
      Idle entry = std::move(idle_.back());
      idle_.pop_back();
      if (entry.connection->stream.socket().is_open()) {
        taken = std::move(entry.connection);
      } else {
        discarded.push_back(std::move(entry));
      }
    }
  }
  CloseAll(discarded);
  return taken;
}

void ConnectionPool::Put(std::unique_ptr<Connection> connection, Clock::time_point now) {
  if (!connection || !connection->stream.socket().is_open()) return;
  std::deque<Idle> discarded;
  {
    std::lock_guard lock(mutex_);
    DropExpired(now, discarded);
    if (max_idle_ > 0) {
      while (idle_.size() >= max_idle_) {
        discarded.push_back(std::move(idle_.front()));
        idle_.pop_front();
      }
      idle_.push_back({std::move(connection), now});
    }
  }
  if (connection) CloseStream(connection->stream);  // not kept: max_idle is 0
  CloseAll(discarded);
}

void ConnectionPool::Clear() noexcept {
  std::deque<Idle> discarded;
  {
    std::lock_guard lock(mutex_);
    discarded.swap(idle_);
  }
  CloseAll(discarded);
}

std::size_t ConnectionPool::size() const noexcept {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

void ConnectionPool::DropExpired(Clock::time_point now, std::deque<Idle>& expired) {
  while (!idle_.empty() && now - idle_.front().since > max_idle_age_) {
    expired.push_back(std::move(idle_.front()));
    idle_.pop_front();
  }
}

}  // namespace hotorder::http::detail
