#pragma once
// A blocking HTTP/1.1 keep-alive server: one thread per accepted connection, each with its own
// handler. That is the simplest design whose concurrency grows with the client's: N client
// connections give N threads, N upstream connections and N database sessions, the way
// HotOrder's pools grow (up to their limits) under the same load.

#include <functional>
#include <memory>
#include <string>

#include "http_message.hpp"

namespace hotorder::floor_chain {

struct Reply {
  int status = 500;
  std::string body;
};

// Answers one connection's requests, one at a time, on that connection's thread; so it may own
// blocking resources (a socket to the next hop, a database session) without any locking.
class ConnectionHandler {
 public:
  ConnectionHandler() = default;
  virtual ~ConnectionHandler() = default;
  ConnectionHandler(const ConnectionHandler&) = delete;
  ConnectionHandler& operator=(const ConnectionHandler&) = delete;

  virtual Reply Handle(const HttpMessage& request) = 0;
};

using HandlerFactory = std::function<std::unique_ptr<ConnectionHandler>()>;

// Serves on 127.0.0.1:port until SIGTERM or SIGINT, then stops accepting, closes every
// connection and returns 0 (1 when it could not listen). Call it before starting any other
// thread: it blocks those signals so that only its own sigwait receives them.
int Serve(int port, const HandlerFactory& make_handler);

}  // namespace hotorder::floor_chain
