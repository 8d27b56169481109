#pragma once
// The open-loop schedule: request i is intended to be sent at start + i/rate, whether or not the
// server kept up. Requests that are due while every connection is busy wait in a FIFO of
// intended times; because the rate is constant that FIFO is just the range [next, due) of
// indices, so queueing costs nothing per request. Pure: every call takes `now` from the caller,
// so tests drive it with made-up time points.

#include <chrono>
#include <cstdint>
#include <limits>

namespace hotorder::loadgen {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

// `to - from` in whole microseconds (negative when `to` is earlier).
std::int64_t MicrosBetween(TimePoint from, TimePoint to) noexcept;

class ArrivalSchedule {
 public:
  static constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

  // rate > 0 requests per second; `limit` caps the number of requests ever issued.
  ArrivalSchedule(TimePoint start, double rate, std::uint64_t limit = kUnlimited) noexcept;

  TimePoint IntendedTime(std::uint64_t index) const noexcept;
  // How many requests are intended at or before `now` (capped by the limit).
  std::uint64_t DueCount(TimePoint now) const noexcept;
  // How many requests are intended strictly before `t` (uncapped): the warm-up's share.
  std::uint64_t CountBefore(TimePoint t) const noexcept;

  // Due but not yet issued: the FIFO's length.
  std::uint64_t Backlog(TimePoint now) const noexcept;
  // The hot-path question, asked after every completion: one multiplication.
  bool HasDue(TimePoint now) const noexcept {
    return next_ < limit_ && IntendedTime(next_) <= now;
  }
  // Takes the oldest queued request's index; only valid when HasDue(now).
  std::uint64_t Pop() noexcept { return next_++; }
  // The intended time of the next request to issue (it may already be due).
  TimePoint NextIntendedTime() const noexcept { return IntendedTime(next_); }
  // True once every request up to the limit has been issued.
  bool Exhausted() const noexcept { return next_ >= limit_; }

  void SetLimit(std::uint64_t limit) noexcept { limit_ = limit; }
  std::uint64_t issued() const noexcept { return next_; }
  TimePoint start() const noexcept { return start_; }
  double rate() const noexcept { return static_cast<double>(rate_); }

 private:
  TimePoint start_;
  long double rate_;
  std::uint64_t limit_;
  std::uint64_t next_ = 0;
};

}  // namespace hotorder::loadgen
