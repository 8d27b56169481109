#pragma once
// An exporter that keeps copies of what it is given, for tests and for the demo's self-checks.
//
// The spans live in an InMemorySpanStore shared with the exporter, so a test can hand the
// exporter to a processor (which owns it from then on) and keep reading the store:
//
//   auto exporter = std::make_unique<InMemorySpanExporter>();
//   auto store = exporter->store();
//   BatchSpanProcessor processor(std::move(exporter), {});
//   ...
//   ASSERT_TRUE(store->WaitForSpans(3, std::chrono::steady_clock::now() + 5s));
//
// A stored SpanData's `resource` and `scope` pointers are copied as they are: they stay valid
// only while the TracerProvider that made the span lives.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "telemetry/span_exporter.hpp"

namespace hotorder::telemetry {

class InMemorySpanStore {
 public:
  // Copies of every span exported so far, in export order.
  std::vector<SpanData> GetSpans() const;
  std::size_t SpanCount() const noexcept;
  // Number of successful Export calls, and the size of each, in order.
  std::vector<std::size_t> BatchSizes() const;
  void Clear() noexcept;
  // True once at least `count` spans are stored; false if `deadline` passes first.
  bool WaitForSpans(std::size_t count, std::chrono::steady_clock::time_point deadline) const;

  // Exporter side: appends copies of a batch and wakes waiters.
  void Add(std::span<const std::unique_ptr<SpanData>> batch);

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable added_;
  std::vector<SpanData> spans_;
  std::vector<std::size_t> batch_sizes_;
};

class InMemorySpanExporter final : public SpanExporter {
 public:
  InMemorySpanExporter();

  // Stores copies of the batch; kFailure after Shutdown (spec: later Export calls fail).
  ExportResult Export(std::span<const std::unique_ptr<SpanData>> batch) noexcept override;
  bool ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  bool Shutdown(std::chrono::milliseconds timeout) noexcept override;

  const std::shared_ptr<InMemorySpanStore>& store() const noexcept { return store_; }

 private:
  std::shared_ptr<InMemorySpanStore> store_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace hotorder::telemetry
