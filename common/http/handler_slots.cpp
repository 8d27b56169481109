#include "http/handler_slots.hpp"

#include <algorithm>

namespace hotorder::http {

HandlerSlots::HandlerSlots(std::size_t slots, std::size_t max_waiting)
    : slots_(std::max<std::size_t>(slots, 1)), max_waiting_(max_waiting) {}

bool HandlerSlots::Acquire() {
  std::unique_lock lock(mutex_);
  if (stopped_) return false;
  if (running_ < slots_ && waiting_ == 0) {
    ++running_;
    return true;
  }
  if (waiting_ >= max_waiting_) return false;
  ++waiting_;
  freed_.wait(lock, [this] { return stopped_ || running_ < slots_; });
  --waiting_;
  if (stopped_) return false;
  ++running_;
  return true;
}

void HandlerSlots::Release() noexcept {
  {
    std::lock_guard lock(mutex_);
    --running_;
  }
  freed_.notify_one();
}

void HandlerSlots::Stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  freed_.notify_all();
}

std::size_t HandlerSlots::Waiting() {
  std::lock_guard lock(mutex_);
  return waiting_;
}

}  // namespace hotorder::http
