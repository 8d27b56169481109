#pragma once
// The BatchSpanProcessor's queue: a bounded, preallocated ring of span pointers that many threads
// push into and exactly one thread (the processor's worker) pops from.
//
// Why lock-free: OnEnd runs on request threads and must never block behind the worker (the
// SpanProcessor contract, and the spec's "OnEnd ... should not block"). Each slot carries a
// sequence number (the bounded-queue scheme described by Dmitry Vyukov): a producer claims a
// position with one CAS on `tail_`, writes the pointer, then publishes the slot by advancing its
// sequence; the consumer takes a slot only once it is published. Nothing is allocated after
// construction, and a full ring is detected exactly: a push fails iff `capacity` spans are in it.
//
// Positions are 64-bit and never wrap in practice (2^64 spans); slots are `position % capacity`,
// so any capacity works, not only powers of two.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>

#include "telemetry/span_data.hpp"

namespace hotorder::telemetry {

class SpanRing {
 public:
  // capacity >= 1. Allocates all slots now.
  explicit SpanRing(std::size_t capacity)
      : capacity_(capacity == 0 ? 1 : capacity), slots_(new Slot[capacity_]) {
    for (std::size_t i = 0; i < capacity_; ++i) {
      slots_[i].sequence.store(i, std::memory_order_relaxed);
    }
  }
  SpanRing(const SpanRing&) = delete;
  SpanRing& operator=(const SpanRing&) = delete;
  // Frees spans still queued; the owner counts them first if it wants to (see Size()).
  ~SpanRing() {
    while (SpanData* span = TryPop()) delete span;
  }

  // Any thread. On success the ring owns `span` and the result is the number of spans queued
  // right after this push, as seen by this producer (used to decide whether to wake the
  // consumer). Empty optional: the ring is full and the caller still owns `span`.
  std::optional<std::uint64_t> TryPush(SpanData* span) noexcept {
    std::uint64_t position = tail_.load(std::memory_order_relaxed);
    Slot* slot = nullptr;
    for (;;) {
      slot = &slots_[position % capacity_];
      const std::uint64_t sequence = slot->sequence.load(std::memory_order_acquire);
      const auto lag = static_cast<std::int64_t>(sequence - position);
      if (lag == 0) {
        // The slot is free for this position: claim it.
        if (tail_.compare_exchange_weak(position, position + 1, std::memory_order_relaxed)) break;
        // `position` now holds the current tail; retry with it.
      } else if (lag < 0) {
        // The slot still holds the span from one lap ago: the ring is full.
        return std::nullopt;
      } else {
        // Another producer claimed this position first.
        position = tail_.load(std::memory_order_relaxed);
      }
    }
    slot->span = span;
    slot->sequence.store(position + 1, std::memory_order_release);
    const std::uint64_t head = head_.load(std::memory_order_acquire);
    return position + 1 > head ? position + 1 - head : 0;
  }

  // Consumer thread only. The oldest published span, or nullptr if the next one is not yet
  // published (empty, or its producer is between claiming and publishing).
  SpanData* TryPop() noexcept {
    const std::uint64_t position = head_.load(std::memory_order_relaxed);
    Slot& slot = slots_[position % capacity_];
    if (slot.sequence.load(std::memory_order_acquire) != position + 1) return nullptr;
    SpanData* span = slot.span;
    slot.span = nullptr;
    // Hands the slot to the producer one lap ahead.
    slot.sequence.store(position + capacity_, std::memory_order_release);
    head_.store(position + 1, std::memory_order_release);
    return span;
  }

  // Positions claimed so far (pushed or being pushed). Spans claimed before a snapshot of this are
  // exactly those a flush must wait for.
  std::uint64_t ClaimedCount() const noexcept { return tail_.load(std::memory_order_acquire); }
  // Positions popped so far. Consumer-side.
  std::uint64_t PoppedCount() const noexcept { return head_.load(std::memory_order_acquire); }
  // Approximate under concurrent pushes; exact when no push is in progress.
  std::size_t Size() const noexcept {
    const std::uint64_t head = head_.load(std::memory_order_acquire);
    const std::uint64_t tail = tail_.load(std::memory_order_acquire);
    return tail > head ? static_cast<std::size_t>(tail - head) : 0;
  }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  // 64 bytes covers x86-64 and most ARM cores; std::hardware_destructive_interference_size
  // makes gcc warn (-Winterference-size) because its value may differ between compilations.
  static constexpr std::size_t kCacheLine = 64;

  struct Slot {
    std::atomic<std::uint64_t> sequence{0};
    SpanData* span = nullptr;
  };

  const std::size_t capacity_;
  std::unique_ptr<Slot[]> slots_;
  // Producers hammer tail_, the consumer owns head_: separate lines so neither stalls the other.
  alignas(kCacheLine) std::atomic<std::uint64_t> tail_{0};
  alignas(kCacheLine) std::atomic<std::uint64_t> head_{0};
};

}  // namespace hotorder::telemetry
