#pragma once
// JSON-lines logging: one object per line with ts, level, service, msg, the trace ids of the
// span a line belongs to, and structured fields. A Logger is a cheap value; `For(span)` gives one
// bound to a span (as HotROD's logger.For(ctx)), so a line can always be found from its trace.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "telemetry/span_context.hpp"

namespace hotorder::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

std::optional<Level> ParseLevel(std::string_view name) noexcept;
std::string_view LevelName(Level level) noexcept;

using FieldValue = std::variant<std::string_view, std::int64_t, double, bool>;

struct Field {
  std::string_view key;
  FieldValue value;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  Field(std::string_view k, T v) : key(k), value(static_cast<std::int64_t>(v)) {}
};

// Where lines go. Write receives one complete line without its newline; it must be thread-safe.
class Sink {
 public:
  Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  virtual ~Sink() = default;
  virtual void Write(std::string_view line) noexcept = 0;
};

// Standard output, one write per line under a lock so lines from threads never interleave.
std::shared_ptr<Sink> StdoutSink();

class Logger {
 public:
  Logger(std::string service, Level min_level, std::shared_ptr<Sink> sink);

  // The same logger, stamping every line with `span`'s ids.
  Logger For(const telemetry::SpanContext& span) const;

  bool Enabled(Level level) const noexcept { return level >= shared_->min_level; }
  // `fields` follow the standard members in the given order; their keys must differ from those
  // (ts, level, service, msg, trace_id, span_id, trace_flags) and from each other.
  void Log(Level level, std::string_view message,
           std::initializer_list<Field> fields = {}) const noexcept;
  void Debug(std::string_view m, std::initializer_list<Field> f = {}) const noexcept {
    Log(Level::kDebug, m, f);
  }
  void Info(std::string_view m, std::initializer_list<Field> f = {}) const noexcept {
    Log(Level::kInfo, m, f);
  }
  void Warn(std::string_view m, std::initializer_list<Field> f = {}) const noexcept {
    Log(Level::kWarn, m, f);
  }
  void Error(std::string_view m, std::initializer_list<Field> f = {}) const noexcept {
    Log(Level::kError, m, f);
  }

 private:
  struct Shared {
    std::string service;
    Level min_level;
    std::shared_ptr<Sink> sink;
  };
  std::shared_ptr<const Shared> shared_;
  telemetry::SpanContext span_;
};

}  // namespace hotorder::log
