#include "telemetry/diagnostics.hpp"

#include <cstdio>
#include <mutex>

namespace hotorder::telemetry {
namespace {

std::mutex& SinkMutex() {
  static std::mutex mutex;
  return mutex;
}

DiagnosticSink& Sink() {
  static DiagnosticSink sink;
  return sink;
}

const char* LevelName(DiagnosticLevel level) {
  switch (level) {
    case DiagnosticLevel::kDebug: return "debug";
    case DiagnosticLevel::kInfo: return "info";
    case DiagnosticLevel::kWarn: return "warn";
    case DiagnosticLevel::kError: return "error";
  }
  return "?";
}

}  // namespace

void SetDiagnosticSink(DiagnosticSink sink) {
  std::lock_guard lock(SinkMutex());
  Sink() = std::move(sink);
}

void Diagnose(DiagnosticLevel level, std::string_view message) noexcept {
  try {
    std::lock_guard lock(SinkMutex());
    if (Sink()) {
      Sink()(level, message);
    } else {
      std::fprintf(stderr, "hotorder-telemetry %s: %.*s\n", LevelName(level),
                   static_cast<int>(message.size()), message.data());
    }
  } catch (...) {
  }
}

}  // namespace hotorder::telemetry
