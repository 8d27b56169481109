#include "http/deadline_socket.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>

namespace hotorder::http {
namespace {

using ErrorCode = DeadlineSocket::ErrorCode;

ErrorCode FromErrno(int error) noexcept {
  return ErrorCode(error, boost::system::system_category());
}

// poll(2) takes milliseconds; rounding up never wakes before the deadline.
int MillisUntil(DeadlineSocket::Clock::time_point deadline) noexcept {
  const auto now = DeadlineSocket::Clock::now();
  if (deadline <= now) return 0;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
  return static_cast<int>(std::min<std::int64_t>(left, 24 * 3600 * 1000));
}

}  // namespace

DeadlineSocket::DeadlineSocket(int fd) noexcept : fd_(fd) {
  const int flags = ::fcntl(fd_, F_GETFL, 0);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

DeadlineSocket::~DeadlineSocket() {
  if (fd_ >= 0) ::close(fd_);
}

void DeadlineSocket::ShutdownSend() noexcept { ::shutdown(fd_, SHUT_WR); }

bool DeadlineSocket::WaitReadable(int stop_fd, ErrorCode& ec) noexcept {
  return Wait(POLLIN, stop_fd, ec);
}

bool DeadlineSocket::Wait(short events, int stop_fd, ErrorCode& ec) noexcept {
  for (;;) {
    std::array<pollfd, 2> fds{pollfd{fd_, events, 0}, pollfd{stop_fd, POLLIN, 0}};
    const nfds_t count = stop_fd >= 0 ? 2 : 1;
    const int ready = ::poll(fds.data(), count, MillisUntil(deadline_));
    if (ready < 0) {
      if (errno == EINTR) continue;
      ec = FromErrno(errno);
      return false;
    }
    if (count == 2 && (fds[1].revents & POLLIN) != 0) {
      ec = boost::asio::error::operation_aborted;
      return false;
    }
    // Errors and hang-ups count as ready: the read or write that follows reports them.
    if (fds[0].revents != 0) {
      ec = {};
      return true;
    }
    if (Clock::now() >= deadline_) {
      ec = boost::beast::error::timeout;
      return false;
    }
  }
}

std::size_t DeadlineSocket::Receive(void* data, std::size_t size, ErrorCode& ec) noexcept {
  for (;;) {
    const ssize_t n = ::recv(fd_, data, size, 0);
    if (n > 0) {
      ec = {};
      return static_cast<std::size_t>(n);
    }
    if (n == 0) {
      ec = boost::asio::error::eof;
      return 0;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      ec = FromErrno(errno);
      return 0;
    }
    if (!Wait(POLLIN, -1, ec)) return 0;
  }
}

std::size_t DeadlineSocket::Send(const iovec* iov, std::size_t count, ErrorCode& ec) noexcept {
  msghdr message{};
  message.msg_iov = const_cast<iovec*>(iov);
  message.msg_iovlen = count;
  for (;;) {
    // MSG_NOSIGNAL: a peer that left is an error to report, not a SIGPIPE to die of.
    const ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
    if (n >= 0) {
      ec = {};
      return static_cast<std::size_t>(n);
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      ec = FromErrno(errno);
      return 0;
    }
    if (!Wait(POLLOUT, -1, ec)) return 0;
  }
}

}  // namespace hotorder::http
