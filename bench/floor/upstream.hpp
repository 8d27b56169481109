#pragma once
// One keep-alive connection to the next hop, owned by one thread: the floor's stand-in for
// HotOrder's client pool, without the pool (each downstream connection has its own).

#include <string>
#include <string_view>

#include "http_message.hpp"

namespace hotorder::floor_chain {

class Upstream {
 public:
  explicit Upstream(int port) : port_(port) {}
  ~Upstream();
  Upstream(const Upstream&) = delete;
  Upstream& operator=(const Upstream&) = delete;

  // Sends `request` (a whole HTTP message) and reads the response. When a kept-alive
  // connection fails, it is reopened once and the request sent again: the usual stale
  // keep-alive case, where the peer closed an idle connection. (The floor's peers close idle
  // connections only when they shut down, so a double send cannot skew a benchmark.) False
  // when no answer came.
  bool Exchange(std::string_view request, HttpMessage& response);

 private:
  void Close();

  int port_;
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace hotorder::floor_chain
