#pragma once
// Loopback TCP sockets, blocking. The floor measures what the kernel and Postgres cost, so it
// uses the plainest socket calls there are.

#include <string_view>

namespace hotorder::floor_chain {

// A socket listening on 127.0.0.1:port, or -1 (the reason on stderr).
int ListenLoopback(int port);

// A socket connected to 127.0.0.1:port, or -1. Reads time out after read_timeout_ms so a hop
// whose upstream hangs answers 502 instead of hanging its client forever.
int ConnectLoopback(int port, int read_timeout_ms);

// Disables Nagle: every message here is written with one send, and waiting for the ACK of the
// previous segment would add up to 40 ms to a keep-alive exchange.
void SetNoDelay(int fd);

// Sends all of `data`; false when the peer is gone. Never raises SIGPIPE.
bool SendAll(int fd, std::string_view data);

}  // namespace hotorder::floor_chain
