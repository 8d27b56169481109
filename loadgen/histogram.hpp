#pragma once
// A high-dynamic-range latency histogram: microsecond resolution, values up to one hour, a
// bounded relative error (3 significant decimal digits: each value lands in a bucket no wider
// than 1/1024 of it, sub-1024 µs values exactly). Fixed memory, O(1) record, mergeable.

#include <cstdint>
#include <vector>

namespace hotorder::loadgen {

class LatencyHistogram {
 public:
  static constexpr std::int64_t kMaxValueUs = 3'600'000'000;  // one hour; larger values clamp

  LatencyHistogram();

  void Record(std::int64_t value_us) noexcept;  // negative values record as 0
  void Merge(const LatencyHistogram& other) noexcept;
  void Reset() noexcept;

  std::uint64_t Count() const noexcept;
  std::int64_t Min() const noexcept;  // 0 when empty
  std::int64_t Max() const noexcept;  // exact, not bucketed; 0 when empty
  double Mean() const noexcept;
  // The smallest recorded value v such that at least `percentile`% of values are <= v (reported
  // as its bucket's upper edge, never above Max()). percentile in [0, 100]; 0 when empty.
  std::int64_t ValueAtPercentile(double percentile) const noexcept;

 private:
  // (layout is the implementer's: see histogram.cpp)
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace hotorder::loadgen
