#pragma once
// The reachability check before a run: resolve the target and connect once, bounded by a
// timeout, so an unreachable target is reported at once instead of as a run of errors.

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace hotorder::loadgen {

struct Preflight {
  std::optional<boost::asio::ip::tcp::endpoint> endpoint;  // set when the connect succeeded
  std::string error;                                       // why not, otherwise
};

Preflight CheckReachable(const std::string& host, std::uint16_t port,
                         std::chrono::milliseconds timeout);

}  // namespace hotorder::loadgen
