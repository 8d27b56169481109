#pragma once
// The SDK's own messages (export failures, partial success, dropped spans): the SDK cannot use
// the service logger (the logger depends on the SDK), so it reports through one process-wide
// sink, as OpenTelemetry SDKs do with their internal logger. The default writes to stderr.

#include <functional>
#include <string_view>

namespace hotorder::telemetry {

enum class DiagnosticLevel { kDebug, kInfo, kWarn, kError };

using DiagnosticSink = std::function<void(DiagnosticLevel, std::string_view message)>;

// Replaces the sink (nullptr restores the default). Set it once at start-up, before spans flow.
void SetDiagnosticSink(DiagnosticSink sink);
// Never throws; a throwing sink is ignored.
void Diagnose(DiagnosticLevel level, std::string_view message) noexcept;

}  // namespace hotorder::telemetry
