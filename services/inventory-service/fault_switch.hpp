#pragma once
// The slow-index-scan fault's current settings, shared by every request thread and changed at
// runtime by the admin API: a copy under a mutex (a handful of bytes, read once per
// reservation), and the per-request draw against `ratio`.

#include <mutex>

#include "slow_index_scan.hpp"

namespace hotorder::inventory {

class FaultSwitch {
 public:
  explicit FaultSwitch(SlowIndexScanSettings initial) : settings_(initial) {}
  FaultSwitch(const FaultSwitch&) = delete;
  FaultSwitch& operator=(const FaultSwitch&) = delete;

  SlowIndexScanSettings Get() const;
  // Replaces the settings; returns the previous ones.
  SlowIndexScanSettings Set(const SlowIndexScanSettings& settings);
  // Whether this reservation is slowed (see DecideSlowIndexScan).
  FaultDecision Decide(const telemetry::Baggage& baggage) const;

 private:
  mutable std::mutex mutex_;
  SlowIndexScanSettings settings_;
};

}  // namespace hotorder::inventory
