#include "log/logger.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>

namespace hotorder::log {
namespace {

class StdoutLineSink final : public Sink {
 public:
  void Write(std::string_view line) noexcept override {
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    // Lines are read live by `hotorder logs` and by tests: never leave one in a buffer.
    std::fflush(stdout);
  }

 private:
  std::mutex mutex_;
};

// RFC 3339 UTC with microseconds, e.g. 2026-11-22T11:30:00.123456Z.
std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + n, sizeof buffer - n, ".%06lldZ",
                static_cast<long long>(micros % 1'000'000));
  return buffer;
}

}  // namespace

std::optional<Level> ParseLevel(std::string_view name) noexcept {
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warn" || name == "warning") return Level::kWarn;
  if (name == "error") return Level::kError;
  return std::nullopt;
}

std::string_view LevelName(Level level) noexcept {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

std::shared_ptr<Sink> StdoutSink() {
  static auto sink = std::make_shared<StdoutLineSink>();
  return sink;
}

Logger::Logger(std::string service, Level min_level, std::shared_ptr<Sink> sink)
    : shared_(std::make_shared<const Shared>(Shared{std::move(service), min_level,
                                                    std::move(sink)})) {}

Logger Logger::For(const telemetry::SpanContext& span) const {
  Logger bound = *this;
  bound.span_ = span;
  return bound;
}

void Logger::Log(Level level, std::string_view message,
                 std::initializer_list<Field> fields) const noexcept {
  if (!Enabled(level)) return;
  try {
    nlohmann::ordered_json line;
    line["ts"] = NowRfc3339();
    line["level"] = LevelName(level);
    line["service"] = shared_->service;
    line["msg"] = message;
    if (span_.IsValid()) {
      char flags[3];
      std::snprintf(flags, sizeof flags, "%02x", span_.flags());
      line["trace_id"] = span_.trace_id().ToHex();
      line["span_id"] = span_.span_id().ToHex();
      line["trace_flags"] = flags;
    }
    for (const auto& field : fields) {
      std::visit([&](const auto& value) { line[std::string(field.key)] = value; }, field.value);
    }
    // Replace invalid UTF-8 rather than throw: log lines quote untrusted input.
    shared_->sink->Write(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } catch (...) {
    // A log line that cannot be built is lost; the request it describes goes on.
  }
}

}  // namespace hotorder::log
