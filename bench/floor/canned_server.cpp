#include "canned_server.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>

#include "http_message.hpp"
#include "socket_util.hpp"

namespace hotorder::floor_chain {
namespace {

struct Connection {
  std::string in;     // bytes read, not yet a whole request
  std::string out;    // responses not yet written (the client may pipeline)
  bool closing = false;  // close once `out` is written (Connection: close, or a bad request)
};

class AnswerLoop {
 public:
  AnswerLoop(int epoll_fd, int listen_fd, const CannedAnswer& answer)
      : epoll_fd_(epoll_fd), listen_fd_(listen_fd), answer_(answer) {}
  ~AnswerLoop() {
    for (auto& [fd, connection] : connections_) ::close(fd);
  }
  AnswerLoop(const AnswerLoop&) = delete;
  AnswerLoop& operator=(const AnswerLoop&) = delete;

  std::uint64_t requests() const { return requests_; }
  std::uint64_t body_bytes() const { return body_bytes_; }

  void AcceptAll() {
    for (;;) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED) {
          std::fprintf(stderr, "floor_chain: accept: %s\n", std::strerror(errno));
        }
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;
      }
      SetNoDelay(fd);
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.fd = fd;
      if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
        ::close(fd);
        continue;
      }
      connections_[fd];
    }
  }

  void OnEvent(int fd, std::uint32_t events) {
    auto found = connections_.find(fd);
    if (found == connections_.end()) return;
    auto& connection = found->second;
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0 && !connection.closing) {
      if (!ReadAndAnswer(fd, connection)) return Close(fd);
    }
    if (!Flush(fd, connection)) Close(fd);
  }

 private:
  // Reads what is there and queues one response per whole request; false when the peer left.
  bool ReadAndAnswer(int fd, Connection& connection) {
    char chunk[16 * 1024];
    auto received = ::recv(fd, chunk, sizeof chunk, 0);
    if (received == 0) return false;
    if (received < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    connection.in.append(chunk, static_cast<std::size_t>(received));

    std::size_t consumed = 0;
    while (!connection.closing) {
      std::size_t length = 0;
      auto parsed = ParseMessage(std::string_view(connection.in).substr(consumed), request_, length);
      if (parsed == ParseResult::kNeedMore) break;
      if (parsed == ParseResult::kComplete) {
        connection.out +=
            FormatResponse(200, answer_.body, request_.keep_alive, answer_.content_type);
        connection.closing = !request_.keep_alive;
        ++requests_;
        body_bytes_ += request_.body.size();
        consumed += length;
      } else {
        int status = parsed == ParseResult::kTooLarge ? 413 : 400;
        connection.out += FormatResponse(status, R"({"error":"unreadable request"})", false);
        connection.closing = true;
      }
    }
    connection.in.erase(0, consumed);
    return true;
  }

  // Writes what it can. Waits for EPOLLOUT only while something is left, so an idle
  // connection never wakes the loop. False when the connection is done or broken.
  bool Flush(int fd, Connection& connection) {
    std::size_t written = 0;
    while (written < connection.out.size()) {
      auto sent = ::send(fd, connection.out.data() + written, connection.out.size() - written,
                         MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        return false;
      }
      written += static_cast<std::size_t>(sent);
    }
    connection.out.erase(0, written);
    if (connection.out.empty() && connection.closing) return false;
    epoll_event event{};
    event.events = connection.out.empty() ? EPOLLIN : (EPOLLIN | EPOLLOUT);
    event.data.fd = fd;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
    return true;
  }

  void Close(int fd) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    connections_.erase(fd);
  }

  int epoll_fd_;
  int listen_fd_;
  const CannedAnswer& answer_;
  std::unordered_map<int, Connection> connections_;
  HttpMessage request_;  // reused: its strings keep their capacity between requests
  std::uint64_t requests_ = 0;
  std::uint64_t body_bytes_ = 0;
};

// The signals arrive as a readable descriptor, so the loop's one epoll_wait sees them too.
int StopSignalFd() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
}

}  // namespace

int ServeCanned(int port, const CannedAnswer& answer) {
  int signal_fd = StopSignalFd();
  int listen_fd = ListenLoopback(port);
  int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (signal_fd < 0 || listen_fd < 0 || epoll_fd < 0) {
    std::fprintf(stderr, "floor_chain: cannot start the %.*s loop: %s\n",
                 static_cast<int>(answer.role.size()), answer.role.data(), std::strerror(errno));
    return 1;
  }
  ::fcntl(listen_fd, F_SETFL, ::fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
  for (int fd : {signal_fd, listen_fd}) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
  }
  std::fprintf(stderr, "floor_chain: %.*s listening on 127.0.0.1:%d\n",
               static_cast<int>(answer.role.size()), answer.role.data(), port);

  {
    AnswerLoop loop(epoll_fd, listen_fd, answer);
    epoll_event events[256];
    bool stopping = false;
    while (!stopping) {
      int ready = ::epoll_wait(epoll_fd, events, 256, -1);
      if (ready < 0 && errno != EINTR) {
        std::fprintf(stderr, "floor_chain: epoll_wait: %s\n", std::strerror(errno));
        break;
      }
      for (int i = 0; i < ready; ++i) {
        int fd = events[i].data.fd;
        if (fd == signal_fd) {
          stopping = true;
        } else if (fd == listen_fd) {
          loop.AcceptAll();
        } else {
          loop.OnEvent(fd, events[i].events);
        }
      }
    }
    std::fprintf(stderr,
                 "floor_chain: shutting down; %.*s answered %llu requests with %llu body bytes\n",
                 static_cast<int>(answer.role.size()), answer.role.data(),
                 static_cast<unsigned long long>(loop.requests()),
                 static_cast<unsigned long long>(loop.body_bytes()));
  }  // the loop closes every connection
  ::close(epoll_fd);
  ::close(listen_fd);
  ::close(signal_fd);
  return 0;
}

}  // namespace hotorder::floor_chain
