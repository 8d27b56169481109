#include "http/server_state.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace hotorder::http {

StopEvent::StopEvent() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (fd_ < 0) throw std::system_error(errno, std::system_category(), "eventfd");
}

StopEvent::~StopEvent() { ::close(fd_); }

void StopEvent::Signal() noexcept {
  // Never read back: the descriptor stays readable, so every later wait ends at once too.
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(fd_, &one, sizeof one);
}

}  // namespace hotorder::http
