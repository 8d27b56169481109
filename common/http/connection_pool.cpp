#include "http/connection_pool.hpp"

namespace hotorder::http::detail {

void CloseStream(boost::beast::tcp_stream& stream) noexcept {
  boost::beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream.socket().close(ignored);
}

std::unique_ptr<ConnectionPool::Stream> ConnectionPool::Take(Clock::time_point now) {
  DropExpired(now);
  while (!idle_.empty()) {
    std::unique_ptr<Stream> stream = std::move(idle_.back().stream);
    idle_.pop_back();
    if (stream->socket().is_open()) return stream;
  }
  return nullptr;
}

void ConnectionPool::Put(std::unique_ptr<Stream> stream, Clock::time_point now) {
  DropExpired(now);
  if (!stream || !stream->socket().is_open()) return;
  if (max_idle_ == 0) {
    CloseStream(*stream);
    return;
  }
  while (idle_.size() >= max_idle_) {
    CloseStream(*idle_.front().stream);
    idle_.pop_front();
  }
  idle_.push_back({std::move(stream), now});
}

void ConnectionPool::Clear() noexcept {
  for (auto& entry : idle_) CloseStream(*entry.stream);
  idle_.clear();
}

void ConnectionPool::DropExpired(Clock::time_point now) noexcept {
  while (!idle_.empty() && now - idle_.front().since > max_idle_age_) {
    CloseStream(*idle_.front().stream);
    idle_.pop_front();
  }
}

}  // namespace hotorder::http::detail
