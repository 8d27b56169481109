#pragma once
// A connected TCP socket read and written synchronously by the one thread serving it, where no
// wait outlasts a deadline: Beast's synchronous `http::read_header`, `http::read` and
// `http::write` run on it as a SyncReadStream / SyncWriteStream. The socket is non-blocking and
// each wait is a poll(2) bounded by the deadline, so a slow or silent client costs its thread
// at most the timeout, never forever. A wait may also watch a "stop" file descriptor (the
// server's shutdown event): an idle connection ends the moment the server begins to drain.
//
// Errors reported: `boost::beast::error::timeout` when the deadline passes,
// `boost::asio::error::operation_aborted` when the stop descriptor became readable, and the
// socket's own errors (`boost::asio::error::eof` when the peer closed).

#include <array>
#include <chrono>
#include <cstddef>

#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <sys/uio.h>

namespace hotorder::http {

class DeadlineSocket {
 public:
  using Clock = std::chrono::steady_clock;
  using ErrorCode = boost::system::error_code;

  // Takes ownership of `fd` (a connected TCP socket) and makes it non-blocking.
  explicit DeadlineSocket(int fd) noexcept;
  ~DeadlineSocket();  // closes the socket
  DeadlineSocket(const DeadlineSocket&) = delete;
  DeadlineSocket& operator=(const DeadlineSocket&) = delete;

  int fd() const noexcept { return fd_; }
  // The deadline for every read and write from now on.
  void ExpiresAt(Clock::time_point deadline) noexcept { deadline_ = deadline; }
  void ExpiresAfter(std::chrono::milliseconds timeout) noexcept {
    deadline_ = Clock::now() + timeout;
  }
  // Waits (until the deadline, or `stop_fd` becoming readable when it is not -1) for input;
  // true when there is some (or the peer closed: the next read says so).
  bool WaitReadable(int stop_fd, ErrorCode& ec) noexcept;
  // Half-closes the sending side: the peer reads end of file after our last byte.
  void ShutdownSend() noexcept;

  // SyncReadStream and SyncWriteStream, as Beast calls them.
  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, ErrorCode& ec) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      const boost::asio::mutable_buffer buffer(*it);
      if (buffer.size() > 0) return Receive(buffer.data(), buffer.size(), ec);
    }
    ec = {};
    return 0;
  }
  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    ErrorCode ec;
    return OrThrow(read_some(buffers, ec), ec);
  }
  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, ErrorCode& ec) {
    std::array<iovec, kMaxIovecs> iov{};
    std::size_t count = 0;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers) && count < iov.size(); ++it) {
      const boost::asio::const_buffer buffer(*it);
      if (buffer.size() == 0) continue;
      iov[count++] = iovec{const_cast<void*>(buffer.data()), buffer.size()};
    }
    if (count == 0) {
      ec = {};
      return 0;
    }
    return Send(iov.data(), count, ec);
  }
  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers) {
    ErrorCode ec;
    return OrThrow(write_some(buffers, ec), ec);
  }

 private:
  // A response is a handful of buffers (status line, fields, body); more are sent next time.
  static constexpr std::size_t kMaxIovecs = 16;

  static std::size_t OrThrow(std::size_t transferred, const ErrorCode& ec) {
    if (ec) throw boost::system::system_error(ec);
    return transferred;
  }
  std::size_t Receive(void* data, std::size_t size, ErrorCode& ec) noexcept;
  std::size_t Send(const iovec* iov, std::size_t count, ErrorCode& ec) noexcept;
  // Polls for `events` until the deadline (or `stop_fd`); false with `ec` set when it cannot.
  bool Wait(short events, int stop_fd, ErrorCode& ec) noexcept;

  int fd_;
  Clock::time_point deadline_ = Clock::time_point::max();
};

}  // namespace hotorder::http
