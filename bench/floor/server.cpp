#include "server.hpp"

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include "socket_util.hpp"

namespace hotorder::floor_chain {
namespace {

// How long shutdown waits for connection threads to notice their closed sockets. They only
// block in recv, which shutdown(2) ends at once, or on the next hop, whose reads time out.
constexpr auto kDrainDeadline = std::chrono::seconds(5);

// The open connections, so shutdown can wake every thread blocked reading one.
class Connections {
 public:
  // False once stopping: the caller closes the socket instead of serving it.
  bool Add(int fd) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    fds_.insert(fd);
    return true;
  }
  void Remove(int fd) {
    std::lock_guard lock(mutex_);
    fds_.erase(fd);
    if (fds_.empty()) drained_.notify_all();
  }
  bool Stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
  }
  void StopAccepting() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  // Wakes every connection thread (their recv returns 0) and waits for them to finish.
  bool CloseAllAndWait() {
    std::unique_lock lock(mutex_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    return drained_.wait_for(lock, kDrainDeadline, [this] { return fds_.empty(); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable drained_;
  std::set<int> fds_;
  bool stopping_ = false;
};

Reply HandleSafely(ConnectionHandler& handler, const HttpMessage& request) {
  try {
    return handler.Handle(request);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "floor_chain: request failed: %s\n", error.what());
  } catch (...) {
    std::fprintf(stderr, "floor_chain: request failed with an unknown exception\n");
  }
  return {500, R"({"error":"internal"})"};
}

void ServeConnection(int fd, const HandlerFactory& make_handler, Connections& connections) {
  {
    // Made on this thread, so the handler's upstream socket and database session belong to it.
    std::unique_ptr<ConnectionHandler> handler;
    try {
      handler = make_handler();
    } catch (const std::exception& error) {
      std::fprintf(stderr, "floor_chain: cannot create a handler: %s\n", error.what());
    }
    std::string buffer;
    HttpMessage request;
    while (handler) {
      auto read = ReadMessage(fd, buffer, request);
      if (read == ReadResult::kClosed) break;
      if (read != ReadResult::kOk) {
        int status = read == ReadResult::kTooLarge ? 413 : 400;
        SendAll(fd, FormatResponse(status, R"({"error":"unreadable request"})", false));
        break;
      }
      auto reply = HandleSafely(*handler, request);
      if (!SendAll(fd, FormatResponse(reply.status, reply.body, request.keep_alive)) ||
          !request.keep_alive) {
        break;
      }
    }
  }
  connections.Remove(fd);
  ::close(fd);
}

void AcceptLoop(int listen_fd, const HandlerFactory& make_handler, Connections& connections) {
  for (;;) {
    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (connections.Stopping()) return;
      if (errno == EINTR || errno == ECONNABORTED) continue;
      std::fprintf(stderr, "floor_chain: accept: %s\n", std::strerror(errno));
      // Out of descriptors or memory: back off instead of spinning on the same error.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    if (!connections.Add(fd)) {
      ::close(fd);
      return;
    }
    SetNoDelay(fd);
    try {
      std::thread(ServeConnection, fd, std::cref(make_handler), std::ref(connections)).detach();
    } catch (const std::system_error& error) {
      std::fprintf(stderr, "floor_chain: cannot start a connection thread: %s\n", error.what());
      connections.Remove(fd);
      ::close(fd);
    }
  }
}

}  // namespace

int Serve(int port, const HandlerFactory& make_handler) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  // Blocked here, inherited by every thread started later: only sigwait below sees them.
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  int listen_fd = ListenLoopback(port);
  if (listen_fd < 0) return 1;
  std::fprintf(stderr, "floor_chain: listening on 127.0.0.1:%d\n", port);

  // Static: a connection thread that misses the drain deadline may still touch it while main
  // returns, and a static outlives that.
  static Connections connections;
  std::thread acceptor(AcceptLoop, listen_fd, std::cref(make_handler), std::ref(connections));

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "floor_chain: %s, shutting down\n", strsignal(signal_number));

  // Stop accepting first: closing the listening socket also refuses (RST) connections still
  // in its backlog, so a client or upstream hop reconnecting now fails fast instead of
  // waiting for an answer that never comes. shutdown(2) makes Linux fail the blocked accept.
  connections.StopAccepting();
  ::shutdown(listen_fd, SHUT_RDWR);
  acceptor.join();
  ::close(listen_fd);
  bool drained = connections.CloseAllAndWait();
  if (!drained) std::fprintf(stderr, "floor_chain: some connections did not close in time\n");
  return 0;
}

}  // namespace hotorder::floor_chain
