#include "log/logger.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "telemetry/json_string.hpp"

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
void AppendNowRfc3339(std::string& out) {
  const auto now = std::chrono::system_clock::now();
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  const int m = std::snprintf(buffer + n, sizeof buffer - n, ".%06lldZ",
                              static_cast<long long>(micros % 1'000'000));
  out.append(buffer, n + static_cast<std::size_t>(std::max(m, 0)));
}

// Field values. Strings are quoted and repaired (log lines quote untrusted input); a double that
// JSON cannot hold (NaN, infinity) becomes null.
void AppendValue(std::string& out, std::string_view value) {
  telemetry::AppendJsonString(out, value);
}
void AppendValue(std::string& out, bool value) { out += value ? "true" : "false"; }
void AppendValue(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}
void AppendValue(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
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
    // Written directly, in this order: a line costs one string instead of a JSON document.
    std::string line;
    line.reserve(256);
    line += "{\"ts\":\"";
    AppendNowRfc3339(line);
    line += "\",\"level\":\"";
    line += LevelName(level);
    line += "\",\"service\":";
    telemetry::AppendJsonString(line, shared_->service);
    line += ",\"msg\":";
    telemetry::AppendJsonString(line, message);
    if (span_.IsValid()) {
      char ids[32 + 16];
      span_.trace_id().ToHex(ids);
      span_.span_id().ToHex(ids + 32);
      static constexpr char kHex[] = "0123456789abcdef";
      const char flags[2] = {kHex[span_.flags() >> 4], kHex[span_.flags() & 0x0F]};
      line += ",\"trace_id\":\"";
      line.append(ids, 32);
      line += "\",\"span_id\":\"";
      line.append(ids + 32, 16);
      line += "\",\"trace_flags\":\"";
      line.append(flags, 2);
      line += '"';
    }
    for (const auto& field : fields) {
      line += ',';
      telemetry::AppendJsonString(line, field.key);
      line += ':';
      std::visit([&](const auto& value) { AppendValue(line, value); }, field.value);
    }
    line += '}';
    shared_->sink->Write(line);
  } catch (...) {
    // A log line that cannot be built is lost; the request it describes goes on.
  }
}

}  // namespace hotorder::log
