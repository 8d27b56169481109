#include "fault_switch.hpp"

#include <random>

namespace hotorder::inventory {

SlowIndexScanSettings FaultSwitch::Get() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

SlowIndexScanSettings FaultSwitch::Set(const SlowIndexScanSettings& settings) {
  std::lock_guard lock(mutex_);
  auto previous = settings_;
  settings_ = settings;
  return previous;
}

FaultDecision FaultSwitch::Decide(const telemetry::Baggage& baggage) const {
  // One generator per thread: the draw needs no lock, and its quality hardly matters (a share).
  thread_local std::minstd_rand generator{std::random_device{}()};
  auto settings = Get();
  double uniform = 0;
  if (settings.enabled && settings.ratio < 1.0) {
    uniform = std::uniform_real_distribution<double>(0.0, 1.0)(generator);
  }
  return DecideSlowIndexScan(settings, baggage, uniform);
}

}  // namespace hotorder::inventory
