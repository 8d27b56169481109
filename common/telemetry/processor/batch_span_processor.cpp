#include "telemetry/processor/batch_span_processor.hpp"

#include <algorithm>
#include <span>
#include <string>
#include <system_error>
#include <utility>

#include "telemetry/diagnostics.hpp"

namespace hotorder::telemetry {
namespace {

using Clock = std::chrono::steady_clock;

// A year is "forever" for a deadline; anything longer would overflow time_point arithmetic.
constexpr std::chrono::milliseconds kForever = std::chrono::hours(24 * 365);
// Sizes beyond this are configuration mistakes: the ring preallocates 16 bytes a slot.
constexpr std::int64_t kMaxQueueSize = std::int64_t{1} << 24;
// Queue-full drops are reported at most this often, so an overload does not flood stderr.
constexpr std::chrono::seconds kDropReportInterval{10};
// A schedule_delay of 0 means "export as soon as possible"; waiting at least this long between
// timer rounds keeps an idle worker from spinning.
constexpr std::chrono::milliseconds kMinTimerPeriod{1};
// The destructor's Shutdown budget when export_timeout says "no limit".
constexpr std::chrono::milliseconds kDefaultShutdownTimeout{30000};

Clock::time_point DeadlineAfter(std::chrono::milliseconds timeout) noexcept {
  return Clock::now() + std::clamp(timeout, std::chrono::milliseconds::zero(), kForever);
}

Clock::time_point NextTimer(std::chrono::milliseconds schedule_delay) noexcept {
  return DeadlineAfter(std::max(schedule_delay, kMinTimerPeriod));
}

std::chrono::milliseconds Remaining(Clock::time_point deadline) noexcept {
  const auto now = Clock::now();
  if (deadline <= now) return std::chrono::milliseconds::zero();
  return std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
}

BatchSpanProcessorOptions Validate(BatchSpanProcessorOptions options) {
  const BatchSpanProcessorOptions defaults;
  auto warn = [](const std::string& what) {
    Diagnose(DiagnosticLevel::kWarn, "BatchSpanProcessor: " + what);
  };
  if (options.max_queue_size == 0 ||
      options.max_queue_size > static_cast<std::size_t>(kMaxQueueSize)) {
    warn("max_queue_size " + std::to_string(options.max_queue_size) + " is invalid; using " +
         std::to_string(defaults.max_queue_size));
    options.max_queue_size = defaults.max_queue_size;
  }
  if (options.max_export_batch_size == 0) {
    warn("max_export_batch_size 0 is invalid; using " +
         std::to_string(defaults.max_export_batch_size));
    options.max_export_batch_size = defaults.max_export_batch_size;
  }
  // Spec: maxExportBatchSize must be less than or equal to maxQueueSize.
  options.max_export_batch_size = std::min(options.max_export_batch_size, options.max_queue_size);
  if (options.schedule_delay < std::chrono::milliseconds::zero()) {
    warn("negative schedule_delay; using the default");
    options.schedule_delay = defaults.schedule_delay;
  }
  options.schedule_delay = std::min(options.schedule_delay, kForever);
  if (options.export_timeout < std::chrono::milliseconds::zero()) {
    warn("negative export_timeout; using the default");
    options.export_timeout = defaults.export_timeout;
  }
  return options;
}

}  // namespace

BatchSpanProcessorOptions BatchOptionsFromEnv(const config::EnvReader& env) {
  BatchSpanProcessorOptions options;
  options.schedule_delay = env.Millis("OTEL_BSP_SCHEDULE_DELAY", options.schedule_delay);
  options.export_timeout = env.Millis("OTEL_BSP_EXPORT_TIMEOUT", options.export_timeout);
  options.max_queue_size = static_cast<std::size_t>(
      env.Int("OTEL_BSP_MAX_QUEUE_SIZE", static_cast<std::int64_t>(options.max_queue_size), 1,
              kMaxQueueSize));
  const bool batch_size_set = env.String("OTEL_BSP_MAX_EXPORT_BATCH_SIZE").has_value();
  options.max_export_batch_size = static_cast<std::size_t>(
      env.Int("OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
              static_cast<std::int64_t>(options.max_export_batch_size), 1, kMaxQueueSize));
  if (options.max_export_batch_size > options.max_queue_size) {
    // Spec: the batch size "must be less than or equal to" the queue size. Only an explicit
    // setting is a mistake worth a warning; the default 512 just follows a smaller queue.
    if (batch_size_set) {
      env.Warn("OTEL_BSP_MAX_EXPORT_BATCH_SIZE=" + std::to_string(options.max_export_batch_size) +
               " exceeds OTEL_BSP_MAX_QUEUE_SIZE=" + std::to_string(options.max_queue_size) +
               "; using " + std::to_string(options.max_queue_size));
    }
    options.max_export_batch_size = options.max_queue_size;
  }
  return options;
}

BatchSpanProcessor::BatchSpanProcessor(std::unique_ptr<SpanExporter>&& exporter,
                                       BatchSpanProcessorOptions options, SdkCounters* counters)
    : exporter_(std::move(exporter)),
      options_(Validate(options)),
      counters_(counters),
      ring_(options_.max_queue_size) {
  batch_.reserve(options_.max_export_batch_size);
  if (!exporter_) {
    Diagnose(DiagnosticLevel::kError, "BatchSpanProcessor: no exporter; every span is dropped");
    stopped_.store(true);
    worker_done_ = true;
    shutdown_ok_ = true;
    return;
  }
  try {
    worker_ = std::thread([this] { Run(); });
    worker_id_ = worker_.get_id();
  } catch (const std::system_error& e) {
    Diagnose(DiagnosticLevel::kError,
             std::string("BatchSpanProcessor: cannot start its worker thread (") + e.what() +
                 "); every span is dropped");
    stopped_.store(true);
    worker_done_ = true;
    shutdown_ok_ = exporter_->Shutdown(std::chrono::milliseconds::zero());
  }
}

BatchSpanProcessor::~BatchSpanProcessor() {
  const auto timeout = options_.export_timeout > std::chrono::milliseconds::zero()
                           ? options_.export_timeout
                           : kDefaultShutdownTimeout;
  Shutdown(timeout);
  // After a timed-out Shutdown the worker is still finishing (its deadline has passed, so it
  // drops what is queued once the running Export returns); it uses `this`, so wait for it.
  if (worker_.joinable()) worker_.join();
  DropLeftovers();
}

void BatchSpanProcessor::Count(std::atomic<std::uint64_t> SdkCounters::*counter,
                               std::uint64_t n) noexcept {
  if (counters_ != nullptr && n > 0) SdkCounters::Add(counters_->*counter, n);
}

void BatchSpanProcessor::OnEnd(std::unique_ptr<SpanData>&& span) noexcept {
  if (!span) return;
  Count(&SdkCounters::spans_ended, 1);
  if (stopped_.load(std::memory_order_acquire)) {
    Count(&SdkCounters::spans_dropped_after_shutdown, 1);
    span.reset();
    return;
  }
  const auto queued = ring_.TryPush(span.get());
  if (!queued) {
    Count(&SdkCounters::spans_dropped_queue_full, 1);
    unreported_queue_full_.fetch_add(1, std::memory_order_relaxed);
    span.reset();
    return;
  }
  static_cast<void>(span.release());  // the ring owns it now
  // Early export (spec: a full batch is exported without waiting for scheduledDelayMillis). The
  // relaxed load first keeps producers off the flag's cache line while a wake-up is pending.
  if (*queued >= options_.max_export_batch_size &&
      !wake_requested_.load(std::memory_order_relaxed) && !wake_requested_.exchange(true)) {
    WakeWorker();
  }
}

void BatchSpanProcessor::WakeWorker() noexcept {
  // Taking the mutex between setting the flag and notifying closes the window in which the
  // worker has checked its predicate but not yet blocked; it is held only for that check.
  { std::lock_guard lock(mutex_); }
  worker_cv_.notify_one();
}

bool BatchSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  // From inside Export (the worker's own thread) waiting for the worker would deadlock.
  if (std::this_thread::get_id() == worker_id_) return false;
  const auto deadline = DeadlineAfter(timeout);
  std::unique_lock lock(mutex_);
  if (stop_ || worker_done_) {
    // Shutdown is draining or done: that drain is the flush.
    return done_cv_.wait_until(lock, deadline, [&] { return worker_done_; });
  }
  const std::uint64_t generation = ++flush_requested_;
  flush_deadline_ = std::max(flush_deadline_, deadline);
  worker_cv_.notify_one();
  const bool done = done_cv_.wait_until(
      lock, deadline, [&] { return flush_done_ >= generation || worker_done_; });
  return done && last_flush_ok_;
}

bool BatchSpanProcessor::Shutdown(std::chrono::milliseconds timeout) noexcept {
  // Spec: Shutdown may be called once; later calls must not fail. stopped_ also turns OnEnd away.
  if (stopped_.exchange(true)) return true;
  const auto deadline = DeadlineAfter(timeout);
  std::unique_lock lock(mutex_);
  stop_ = true;
  shutdown_deadline_ = deadline;
  worker_cv_.notify_one();
  if (std::this_thread::get_id() == worker_id_) return false;  // from inside Export
  const bool done = done_cv_.wait_until(lock, deadline, [&] { return worker_done_; });
  const bool ok = done && shutdown_ok_;
  lock.unlock();
  if (done) {
    if (worker_.joinable()) worker_.join();
    DropLeftovers();
  }
  return ok;
}

void BatchSpanProcessor::Run() noexcept {
  auto next_export = NextTimer(options_.schedule_delay);
  std::uint64_t flush_handled = 0;
  std::unique_lock lock(mutex_);
  for (;;) {
    worker_cv_.wait_until(lock, next_export, [&] {
      return stop_ || flush_requested_ != flush_handled ||
             wake_requested_.load(std::memory_order_relaxed) ||
             ring_.Size() >= options_.max_export_batch_size;
    });
    const bool stop = stop_;
    const std::uint64_t flush_generation = flush_requested_;
    const auto flush_deadline = flush_deadline_;
    const auto shutdown_deadline = shutdown_deadline_;
    lock.unlock();
    // Cleared before reading the queue: a producer that fills a batch from here on wakes us again.
    wake_requested_.store(false);

    if (stop) {
      // Spec: Shutdown flushes what is queued, then shuts the exporter down, once.
      bool ok = ExportUpTo(ring_.ClaimedCount(), /*full_only=*/false, shutdown_deadline);
      ok = exporter_->Shutdown(Remaining(shutdown_deadline)) && ok;
      ReportDrops(/*force=*/true);
      lock.lock();
      worker_done_ = true;
      shutdown_ok_ = ok;
      flush_done_ = flush_requested_;
      done_cv_.notify_all();
      return;
    }

    if (flush_generation != flush_handled) {
      // Everything claimed now includes every span whose OnEnd returned before the request.
      ExportUpTo(ring_.ClaimedCount(), /*full_only=*/false, Clock::time_point::max());
      // Spec: after exporting, a processor's ForceFlush also flushes its exporter.
      const bool ok = exporter_->ForceFlush(Remaining(flush_deadline));
      flush_handled = flush_generation;
      next_export = NextTimer(options_.schedule_delay);
      ReportDrops(/*force=*/false);
      lock.lock();
      flush_done_ = flush_generation;
      last_flush_ok_ = ok;
      done_cv_.notify_all();
      continue;
    }

    const auto popped_before = ring_.PoppedCount();
    if (Clock::now() >= next_export) {
      ExportUpTo(ring_.ClaimedCount(), /*full_only=*/false, Clock::time_point::max());
    } else {
      ExportUpTo(ring_.ClaimedCount(), /*full_only=*/true, Clock::time_point::max());
    }
    // Spec: schedule_delay is the delay between two consecutive exports.
    if (ring_.PoppedCount() != popped_before || Clock::now() >= next_export) {
      next_export = NextTimer(options_.schedule_delay);
    }
    ReportDrops(/*force=*/false);
    lock.lock();
  }
}

bool BatchSpanProcessor::ExportUpTo(std::uint64_t target, bool full_only,
                                    Clock::time_point deadline) noexcept {
  const std::size_t batch_size = options_.max_export_batch_size;
  while (ring_.PoppedCount() < target) {
    const std::uint64_t left = target - ring_.PoppedCount();
    if (full_only && left < batch_size) return true;
    if (Clock::now() >= deadline) {
      std::uint64_t dropped = 0;
      while (ring_.PoppedCount() < target) {
        delete PopClaimed();
        ++dropped;
      }
      Count(&SdkCounters::spans_dropped_after_shutdown, dropped);
      Diagnose(DiagnosticLevel::kWarn, "BatchSpanProcessor: shutdown timed out; dropped " +
                                           std::to_string(dropped) + " queued spans");
      return false;
    }
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, batch_size));
    // Within the capacity reserved in the constructor: no allocation.
    for (std::size_t i = 0; i < n; ++i) batch_.emplace_back(PopClaimed());
    ExportBatch();
  }
  return true;
}

SpanData* BatchSpanProcessor::PopClaimed() noexcept {
  for (;;) {
    if (SpanData* span = ring_.TryPop()) return span;
    // A producer has claimed the slot and is a few instructions from publishing it.
    std::this_thread::yield();
  }
}

void BatchSpanProcessor::ExportBatch() noexcept {
  if (batch_.empty()) return;
  const auto started = Clock::now();
  const ExportResult result =
      exporter_->Export(std::span<const std::unique_ptr<SpanData>>(batch_.data(), batch_.size()));
  const auto took = Clock::now() - started;
  Count(result == ExportResult::kSuccess ? &SdkCounters::spans_exported
                                         : &SdkCounters::spans_dropped_export_failed,
        batch_.size());
  if (options_.export_timeout > std::chrono::milliseconds::zero() &&
      took > options_.export_timeout) {
    Diagnose(DiagnosticLevel::kWarn,
             "BatchSpanProcessor: an export took " +
                 std::to_string(
                     std::chrono::duration_cast<std::chrono::milliseconds>(took).count()) +
                 " ms, over export_timeout " + std::to_string(options_.export_timeout.count()) +
                 " ms; set the exporter's own timeout lower (it is what bounds an export)");
  }
  batch_.clear();
}

void BatchSpanProcessor::ReportDrops(bool force) noexcept {
  if (unreported_queue_full_.load(std::memory_order_relaxed) == 0) return;
  const auto now = Clock::now();
  if (!force && now - last_drop_report_ < kDropReportInterval) return;
  last_drop_report_ = now;
  const auto dropped = unreported_queue_full_.exchange(0, std::memory_order_relaxed);
  if (dropped == 0) return;
  Diagnose(DiagnosticLevel::kWarn,
           "BatchSpanProcessor: dropped " + std::to_string(dropped) +
               " spans because the queue was full (max_queue_size " +
               std::to_string(options_.max_queue_size) +
               "); the exporter is slower than span production");
}

void BatchSpanProcessor::DropLeftovers() noexcept {
  std::uint64_t dropped = 0;
  while (SpanData* span = ring_.TryPop()) {
    delete span;
    ++dropped;
  }
  Count(&SdkCounters::spans_dropped_after_shutdown, dropped);
}

}  // namespace hotorder::telemetry
