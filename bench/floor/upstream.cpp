#include "upstream.hpp"

#include <unistd.h>

#include "socket_util.hpp"

namespace hotorder::floor_chain {
namespace {

// Longer than any honest answer of the chain, shorter than a benchmark's patience.
constexpr int kReadTimeoutMs = 10'000;

}  // namespace

Upstream::~Upstream() { Close(); }

void Upstream::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool Upstream::Exchange(std::string_view request, HttpMessage& response) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = fd_ >= 0;
    if (!reused) {
      fd_ = ConnectLoopback(port_, kReadTimeoutMs);
      if (fd_ < 0) return false;
    }
    if (SendAll(fd_, request) && ReadMessage(fd_, buffer_, response) == ReadResult::kOk) {
      if (!response.keep_alive) Close();
      return true;
    }
    Close();
    // Only a reused connection may have been closed by the peer before our request: a fresh
    // one that fails means the next hop is down or broken, and retrying would not help.
    if (!reused) return false;
  }
  return false;
}

}  // namespace hotorder::floor_chain
