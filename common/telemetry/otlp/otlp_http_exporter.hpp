#pragma once
// SpanExporter over OTLP/HTTP (opentelemetry-proto docs/specification.md, "OTLP/HTTP"): each
// Export POSTs one ExportTraceServiceRequest, as binary protobuf or JSON, optionally gzipped,
// over one keep-alive HTTP/1.1 connection that is reopened when the collector closes it.
//
// Threads: the calling thread does all the I/O (a private io_context it runs itself); the
// exporter starts no thread of its own. Export is called by one thread at a time; ForceFlush and
// Shutdown may come from any thread, even while an Export is in flight.
//
// Counters (when given), per Export of a non-empty batch (an empty one sends nothing):
//   export_requests              +1 per Export call
//   export_retries               +1 per attempt after the first (reopening a keep-alive
//                                connection the collector had closed while idle is no retry)
//   export_failures              +1 per Export that failed for good
// What became of the spans (exported, dropped) is the span processor's to count, from the
// ExportResult (sdk_counters.hpp); spans a receiver rejects in a partial success are reported
// through Diagnose.
// The exporter never traces its own requests: it uses no tracer at all, so exporting can never
// produce spans that need exporting.

#include <chrono>
#include <memory>
#include <span>
#include <string_view>

#include "telemetry/otlp/otlp_exporter_options.hpp"
#include "telemetry/resource.hpp"
#include "telemetry/sdk_counters.hpp"
#include "telemetry/span_exporter.hpp"

namespace hotorder::telemetry::otlp {

// Spec (OTLP Exporter, "User Agent"): name the exporter, its language and its version.
inline constexpr std::string_view kOtlpUserAgent = "hotorder-otlp-exporter-cpp/0.1.0";
static_assert(kOtlpUserAgent.ends_with(kSdkVersion), "keep the User-Agent version in step");

class OtlpHttpExporter final : public SpanExporter {
 public:
  // `counters` may be null; when not, it must outlive the exporter.
  OtlpHttpExporter(OtlpExporterOptions options, SdkCounters* counters) noexcept;
  ~OtlpHttpExporter() override;

  // Encodes, sends and retries per options.retry, all within options.timeout. Success means a
  // 2xx response; a partial success is reported through telemetry::Diagnose (kWarn). A final
  // failure is reported through Diagnose (kError), repeated identical reasons at most once a
  // minute.
  ExportResult Export(std::span<const std::unique_ptr<SpanData>> batch) noexcept override;
  // Nothing is buffered here: waits (up to `timeout`) for an Export in flight to finish.
  bool ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  // Makes every later Export fail at once, cancels the one in flight (it fails), and waits up to
  // `timeout` for it to return. False when it did not return in time.
  bool Shutdown(std::chrono::milliseconds timeout) noexcept override;

  const OtlpExporterOptions& options() const noexcept;

 private:
  struct Impl;
  const OtlpExporterOptions options_;
  std::unique_ptr<Impl> impl_;  // null only if setting up I/O failed: every Export then fails
};

}  // namespace hotorder::telemetry::otlp
