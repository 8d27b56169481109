#include "loadgen/arrival_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace hotorder::loadgen {

std::int64_t MicrosBetween(TimePoint from, TimePoint to) noexcept {
  return std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
}

ArrivalSchedule::ArrivalSchedule(TimePoint start, double rate, std::uint64_t limit) noexcept
    : start_(start), rate_(rate), limit_(limit) {}

TimePoint ArrivalSchedule::IntendedTime(std::uint64_t index) const noexcept {
  // Computed from the index rather than accumulated, and divided last (index × 1e9 is exact in
  // a long double's 64-bit mantissa), so the rounding never drifts over a long run.
  const long double offset = static_cast<long double>(index) * 1e9L / rate_;
  return start_ + std::chrono::nanoseconds(static_cast<std::int64_t>(std::llroundl(offset)));
}

std::uint64_t ArrivalSchedule::CountBefore(TimePoint t) const noexcept {
  if (t <= start_) return 0;
  const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(t - start_).count();
  auto count = static_cast<std::uint64_t>(static_cast<long double>(elapsed) * rate_ / 1e9L);
  // The estimate can be off by one either way after rounding; settle it against IntendedTime,
  // the one definition of when a request is due.
  while (IntendedTime(count) < t) ++count;
  while (count > 0 && IntendedTime(count - 1) >= t) --count;
  return count;
}

std::uint64_t ArrivalSchedule::DueCount(TimePoint now) const noexcept {
  // At or before `now` is strictly before now + 1 ns.
  return std::min(CountBefore(now + std::chrono::nanoseconds(1)), limit_);
}

std::uint64_t ArrivalSchedule::Backlog(TimePoint now) const noexcept {
  const std::uint64_t due = DueCount(now);
  return due > next_ ? due - next_ : 0;
}

}  // namespace hotorder::loadgen
