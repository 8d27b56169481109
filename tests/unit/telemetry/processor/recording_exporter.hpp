#pragma once
// A scriptable SpanExporter for processor tests: counts calls, checks that Export is never
// entered concurrently, can hold an export on a gate, fail, or take a while. Its state is shared
// so a test keeps it after the processor takes the exporter.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "telemetry/span_exporter.hpp"

namespace hotorder::telemetry::testing {

inline std::unique_ptr<SpanData> MakeSpan(std::string name) {
  auto span = std::make_unique<SpanData>();
  span->name = std::move(name);
  return span;
}

struct RecordingExporterState {
  using Clock = std::chrono::steady_clock;

  // --- script (set before spans flow) ---
  ExportResult result = ExportResult::kSuccess;
  std::chrono::microseconds export_latency{0};  // simulated network time inside Export
  bool keep_names = true;                       // stress tests turn this off

  // --- observations ---
  std::atomic<int> in_export{0};
  std::atomic<int> reentrancy_violations{0};
  std::atomic<int> export_calls{0};
  std::atomic<int> force_flush_calls{0};
  std::atomic<int> shutdown_calls{0};
  std::atomic<std::uint64_t> spans_seen{0};

  // Holds every Export until Release(); Export signals that it has been entered.
  void CloseGate() {
    std::lock_guard lock(mutex);
    gate_closed = true;
  }
  void Release() {
    {
      std::lock_guard lock(mutex);
      gate_closed = false;
    }
    changed.notify_all();
  }
  bool WaitForExportEntered(int calls, Clock::time_point deadline) {
    std::unique_lock lock(mutex);
    return changed.wait_until(lock, deadline, [&] { return entered >= calls; });
  }
  bool WaitForSpans(std::size_t count, Clock::time_point deadline) {
    std::unique_lock lock(mutex);
    return changed.wait_until(lock, deadline, [&] { return names.size() >= count; });
  }
  std::vector<std::string> Names() {
    std::lock_guard lock(mutex);
    return names;
  }
  std::vector<std::size_t> BatchSizes() {
    std::lock_guard lock(mutex);
    return batch_sizes;
  }

  std::mutex mutex;
  std::condition_variable changed;
  bool gate_closed = false;
  int entered = 0;
  std::vector<std::string> names;
  std::vector<std::size_t> batch_sizes;
};

class RecordingExporter final : public SpanExporter {
 public:
  explicit RecordingExporter(std::shared_ptr<RecordingExporterState> state)
      : state_(std::move(state)) {}

  ExportResult Export(std::span<const std::unique_ptr<SpanData>> batch) noexcept override {
    if (state_->in_export.fetch_add(1) != 0) state_->reentrancy_violations.fetch_add(1);
    state_->export_calls.fetch_add(1);
    {
      std::unique_lock lock(state_->mutex);
      ++state_->entered;
      state_->changed.notify_all();
      state_->changed.wait(lock, [&] { return !state_->gate_closed; });
    }
    // Plays a slow collector: the latency is the behaviour under test (how the processor copes
    // with exports that take time), not a wait for work to finish.
    if (state_->export_latency.count() > 0) std::this_thread::sleep_for(state_->export_latency);
    state_->spans_seen.fetch_add(batch.size());
    {
      std::lock_guard lock(state_->mutex);
      state_->batch_sizes.push_back(batch.size());
      if (state_->keep_names) {
        for (const auto& span : batch) state_->names.push_back(span->name);
      }
    }
    state_->changed.notify_all();
    state_->in_export.fetch_sub(1);
    return state_->result;
  }

  bool ForceFlush(std::chrono::milliseconds) noexcept override {
    state_->force_flush_calls.fetch_add(1);
    return true;
  }

  bool Shutdown(std::chrono::milliseconds) noexcept override {
    state_->shutdown_calls.fetch_add(1);
    return true;
  }

 private:
  std::shared_ptr<RecordingExporterState> state_;
};

}  // namespace hotorder::telemetry::testing
