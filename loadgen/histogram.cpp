#include "loadgen/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace hotorder::loadgen {
namespace {

// Log-linear buckets. Values below 2^11 each have their own bucket (exact). Above, every power of
// two [2^k, 2^(k+1)) is split into 1024 equal buckets of width 2^(k-10), so a bucket is never
// wider than 1/1024 of the values in it: reporting a bucket's upper edge is off by < 0.1%.
constexpr int kSubBucketBits = 10;
constexpr std::int64_t kSubBuckets = std::int64_t{1} << kSubBucketBits;  // per power of two
constexpr std::int64_t kExactLimit = kSubBuckets * 2;                    // 2048: below, exact
// One hour (< 2^32) has its top bit at 31: octaves 11..31 follow the 2048 exact buckets.
constexpr int kTopBit = std::bit_width(static_cast<std::uint64_t>(LatencyHistogram::kMaxValueUs)) - 1;
constexpr std::size_t kBucketCount =
    static_cast<std::size_t>(kExactLimit + (kTopBit - kSubBucketBits) * kSubBuckets);

std::size_t BucketOf(std::int64_t value) noexcept {
  if (value < kExactLimit) return static_cast<std::size_t>(value);
  int top_bit = std::bit_width(static_cast<std::uint64_t>(value)) - 1;  // >= 11
  int shift = top_bit - kSubBucketBits;
  std::int64_t sub = (value >> shift) - kSubBuckets;  // 0..1023
  return static_cast<std::size_t>(kExactLimit + (top_bit - kSubBucketBits - 1) * kSubBuckets + sub);
}

// The largest value that lands in `bucket`.
std::int64_t UpperEdge(std::size_t bucket) noexcept {
  auto index = static_cast<std::int64_t>(bucket);
  if (index < kExactLimit) return index;
  std::int64_t octave = (index - kExactLimit) / kSubBuckets;  // 0 for [2^11, 2^12)
  std::int64_t sub = (index - kExactLimit) % kSubBuckets;
  int shift = static_cast<int>(octave) + 1;
  return ((kSubBuckets + sub + 1) << shift) - 1;
}

}  // namespace

LatencyHistogram::LatencyHistogram() : counts_(kBucketCount, 0) {}

void LatencyHistogram::Record(std::int64_t value_us) noexcept {
  std::int64_t value = std::clamp<std::int64_t>(value_us, 0, kMaxValueUs);
  ++counts_[BucketOf(value)];
  if (total_ == 0 || value < min_) min_ = value;
  if (total_ == 0 || value > max_) max_ = value;
  ++total_;
  sum_ += static_cast<long double>(value);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) noexcept {
  if (other.total_ == 0) return;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  min_ = total_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = total_ == 0 ? other.max_ : std::max(max_, other.max_);
  total_ += other.total_;
  sum_ += other.sum_;
}

void LatencyHistogram::Reset() noexcept {
  if (total_ == 0) return;
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = 0;
  min_ = 0;
  max_ = 0;
  sum_ = 0;
}

std::uint64_t LatencyHistogram::Count() const noexcept { return total_; }
std::int64_t LatencyHistogram::Min() const noexcept { return min_; }
std::int64_t LatencyHistogram::Max() const noexcept { return max_; }

double LatencyHistogram::Mean() const noexcept {
  return total_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(total_));
}

std::int64_t LatencyHistogram::ValueAtPercentile(double percentile) const noexcept {
  if (total_ == 0) return 0;
  double clamped = std::isnan(percentile) ? 100.0 : std::clamp(percentile, 0.0, 100.0);
  // The rank of the wanted value (1-based). The small relative slack keeps 99.9% of 1000 at rank
  // 999 although 99.9 / 100 * 1000 is 999.0000000000001 in binary floating point.
  long double exact = static_cast<long double>(clamped) / 100.0L * static_cast<long double>(total_);
  auto rank = static_cast<std::uint64_t>(std::ceil(exact * (1.0L - 1e-12L)));
  rank = std::clamp<std::uint64_t>(rank, 1, total_);
  std::uint64_t seen = 0;
  for (std::size_t i = BucketOf(min_); i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(UpperEdge(i), max_);
  }
  return max_;
}

}  // namespace hotorder::loadgen
