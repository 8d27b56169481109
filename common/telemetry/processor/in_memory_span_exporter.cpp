#include "telemetry/processor/in_memory_span_exporter.hpp"

#include <iterator>

namespace hotorder::telemetry {

std::vector<SpanData> InMemorySpanStore::GetSpans() const {
  std::lock_guard lock(mutex_);
  return spans_;
}

std::size_t InMemorySpanStore::SpanCount() const noexcept {
  std::lock_guard lock(mutex_);
  return spans_.size();
}

std::vector<std::size_t> InMemorySpanStore::BatchSizes() const {
  std::lock_guard lock(mutex_);
  return batch_sizes_;
}

void InMemorySpanStore::Clear() noexcept {
  std::lock_guard lock(mutex_);
  spans_.clear();
  batch_sizes_.clear();
}

bool InMemorySpanStore::WaitForSpans(std::size_t count,
                                     std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  return added_.wait_until(lock, deadline, [&] { return spans_.size() >= count; });
}

void InMemorySpanStore::Add(std::span<const std::unique_ptr<SpanData>> batch) {
  // Copy outside the lock so readers are not held up by a large batch.
  std::vector<SpanData> copies;
  copies.reserve(batch.size());
  for (const auto& span : batch) {
    if (span) copies.push_back(*span);
  }
  {
    std::lock_guard lock(mutex_);
    spans_.insert(spans_.end(), std::make_move_iterator(copies.begin()),
                  std::make_move_iterator(copies.end()));
    batch_sizes_.push_back(batch.size());
  }
  added_.notify_all();
}

InMemorySpanExporter::InMemorySpanExporter() : store_(std::make_shared<InMemorySpanStore>()) {}

ExportResult InMemorySpanExporter::Export(
    std::span<const std::unique_ptr<SpanData>> batch) noexcept {
  if (shut_down_.load(std::memory_order_acquire)) return ExportResult::kFailure;
  try {
    store_->Add(batch);
    return ExportResult::kSuccess;
  } catch (...) {
    return ExportResult::kFailure;  // out of memory copying: the batch is lost, as on a network
  }
}

bool InMemorySpanExporter::ForceFlush(std::chrono::milliseconds /*timeout*/) noexcept {
  return true;  // nothing is buffered
}

bool InMemorySpanExporter::Shutdown(std::chrono::milliseconds /*timeout*/) noexcept {
  shut_down_.store(true, std::memory_order_release);
  return true;
}

}  // namespace hotorder::telemetry
