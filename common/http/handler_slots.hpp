#pragma once
// How many handlers may run at once. Every connection has its own thread, which runs its
// requests' handlers itself (no hand-off to another thread); this bound keeps the handlers that
// block on Postgres or an upstream from outnumbering what those can serve. A request that finds
// every slot taken waits its turn, but only behind a bounded number of others: beyond that the
// server answers 503 at once rather than letting requests wait until their clients have long
// given up.

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace hotorder::http {

class HandlerSlots {
 public:
  HandlerSlots(std::size_t slots, std::size_t max_waiting);
  HandlerSlots(const HandlerSlots&) = delete;
  HandlerSlots& operator=(const HandlerSlots&) = delete;

  // Takes a slot, waiting for one if max_waiting others are not already waiting; false (no
  // slot taken) when the wait would be too long or the slots are stopped.
  bool Acquire();
  void Release() noexcept;
  // Ends every wait (those requests are dropped) and refuses new ones; running handlers keep
  // their slots until they finish. For the end of a shutdown's grace period.
  void Stop() noexcept;
  // Requests waiting for a slot now.
  std::size_t Waiting();

 private:
  const std::size_t slots_;
  const std::size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t running_ = 0;
  std::size_t waiting_ = 0;
  bool stopped_ = false;
};

// Holds a slot for a scope.
class HandlerSlot {
 public:
  explicit HandlerSlot(HandlerSlots& slots) : slots_(slots), held_(slots.Acquire()) {}
  ~HandlerSlot() {
    if (held_) slots_.Release();
  }
  HandlerSlot(const HandlerSlot&) = delete;
  HandlerSlot& operator=(const HandlerSlot&) = delete;
  bool held() const noexcept { return held_; }

 private:
  HandlerSlots& slots_;
  const bool held_;
};

}  // namespace hotorder::http
