#include "telemetry/otlp/otlp_http_exporter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/otlp_decode.hpp"
#include "support/test_http_server.hpp"
#include "telemetry/diagnostics.hpp"

namespace hotorder::telemetry::otlp {
namespace {

using ::testing::HasSubstr;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using test::RecordedRequest;
using test::ScriptedResponse;
using test::TestHttpServer;

using Batch = std::vector<std::unique_ptr<SpanData>>;

const Resource& TestResource() {
  static const Resource resource{{{"service.name", std::string("exporter-test")}}, ""};
  return resource;
}

const InstrumentationScope& TestScope() {
  static const InstrumentationScope scope{"exporter-test-scope", "1.0.0", ""};
  return scope;
}

Batch MakeBatch(std::size_t n) {
  Batch batch;
  for (std::size_t i = 0; i < n; ++i) {
    std::array<std::uint8_t, 16> trace{};
    std::array<std::uint8_t, 8> span{};
    trace[0] = 0xab;
    trace[15] = static_cast<std::uint8_t>(i + 1);
    span[7] = static_cast<std::uint8_t>(i + 1);
    auto data = std::make_unique<SpanData>();
    data->context = SpanContext(TraceId(trace), SpanId(span), TraceFlags::kSampled, false);
    data->name = "span-" + std::to_string(i);
    data->kind = SpanKind::kServer;
    data->start_time = Timestamp(std::chrono::seconds(1700000000));
    data->end_time = data->start_time + std::chrono::milliseconds(5);
    data->attributes = {{"http.request.method", std::string("POST")}};
    data->resource = &TestResource();
    data->scope = &TestScope();
    batch.push_back(std::move(data));
  }
  return batch;
}

ExportResult ExportBatch(OtlpHttpExporter& exporter, const Batch& batch) {
  return exporter.Export(std::span<const std::unique_ptr<SpanData>>(batch.data(), batch.size()));
}

// Options for a test server: short enough that a broken test fails fast, retries quick.
OtlpExporterOptions OptionsFor(const TestHttpServer& server) {
  OtlpExporterOptions options;
  options.endpoint_url = server.Url("/v1/traces");
  options.timeout = milliseconds(5000);
  options.retry.initial_backoff = milliseconds(20);
  options.retry.max_backoff = milliseconds(50);
  return options;
}

// Captures telemetry::Diagnose output for the duration of a test.
class DiagnosticsCapture {
 public:
  DiagnosticsCapture() {
    SetDiagnosticSink([this](DiagnosticLevel level, std::string_view message) {
      std::lock_guard lock(mutex_);
      messages_.emplace_back(level, std::string(message));
    });
  }
  ~DiagnosticsCapture() { SetDiagnosticSink(nullptr); }

  std::vector<std::pair<DiagnosticLevel, std::string>> Messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<DiagnosticLevel, std::string>> messages_;
};

// A google.rpc.Status with `message` (field 2), the OTLP/HTTP failure body.
std::string StatusBody(const std::string& message) {
  return std::string("\x08\x03", 2) + "\x12" + static_cast<char>(message.size()) + message;
}

// ExportTraceServiceResponse{partial_success{rejected_spans, error_message}}.
std::string PartialSuccessBody(int rejected, const std::string& message) {
  std::string inner = std::string("\x08", 1) + static_cast<char>(rejected) + "\x12" +
                      static_cast<char>(message.size()) + message;
  return "\x0a" + std::string(1, static_cast<char>(inner.size())) + inner;
}

// Runs `protoc --decode_raw` on `body`: proves the bytes are well-formed protobuf wire format
// to a decoder that shares no code with ours. Returns its output, or nullopt if it failed.
std::optional<std::string> ProtocDecodeRaw(const std::string& body) {
  char path[] = "/tmp/hotorder_otlp_body_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return std::nullopt;
  FILE* file = fdopen(fd, "wb");
  std::fwrite(body.data(), 1, body.size(), file);
  std::fclose(file);
  std::string command = std::string("protoc --decode_raw < ") + path + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  std::remove(path);
  if (status != 0) return std::nullopt;
  return out;
}

TEST(OtlpHttpExporter, PostsProtobufWithTheRightPathTypeAndHeaders) {
  TestHttpServer server;
  auto options = OptionsFor(server);
  options.headers = {{"api-key", "secret=="}, {"X-Tenant", "workshop"}};
  SdkCounters counters;
  OtlpHttpExporter exporter(options, &counters);

  auto batch = MakeBatch(3);
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);

  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const RecordedRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/v1/traces");
  EXPECT_EQ(r.Header("Content-Type"), "application/x-protobuf");
  EXPECT_EQ(r.Header("Content-Length"), std::to_string(r.body.size()));
  EXPECT_EQ(r.Header("Host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(r.Header("User-Agent"), std::string(kOtlpUserAgent));
  EXPECT_EQ(r.Header("api-key"), "secret==");
  EXPECT_EQ(r.Header("x-tenant"), "workshop");
  EXPECT_FALSE(r.Header("Content-Encoding"));

  auto spans = hotorder::test::DecodeOtlpProtobuf(r.body);
  ASSERT_TRUE(spans);
  ASSERT_EQ(spans->size(), 3u);
  EXPECT_EQ((*spans)[0].name, "span-0");
  EXPECT_EQ((*spans)[2].name, "span-2");
  EXPECT_EQ((*spans)[1].trace_id_hex, "ab000000000000000000000000000002");
  EXPECT_EQ((*spans)[0].scope_name, "exporter-test-scope");

  auto raw = ProtocDecodeRaw(r.body);
  ASSERT_TRUE(raw) << "protoc --decode_raw rejected the body";
  EXPECT_THAT(*raw, HasSubstr("\"span-1\""));
  EXPECT_THAT(*raw, HasSubstr("\"exporter-test\""));

  auto c = counters.Snapshot();
  EXPECT_EQ(c.export_requests, 1u);
  EXPECT_EQ(c.export_retries, 0u);
  EXPECT_EQ(c.export_failures, 0u);
  EXPECT_EQ(c.spans_exported, 0u);  // span outcomes: the processor counts them
  EXPECT_EQ(c.spans_dropped_export_failed, 0u);  // span outcomes: the processor counts them
}

TEST(OtlpHttpExporter, PostsJsonWhenConfigured) {
  TestHttpServer server;
  auto options = OptionsFor(server);
  options.protocol = Protocol::kHttpJson;
  OtlpHttpExporter exporter(options, nullptr);

  auto batch = MakeBatch(2);
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/json");
  auto spans = hotorder::test::DecodeOtlpJson(requests[0].body);
  ASSERT_TRUE(spans);
  ASSERT_EQ(spans->size(), 2u);
  EXPECT_EQ((*spans)[1].name, "span-1");
}

TEST(OtlpHttpExporter, GzipsTheBodyWhenConfigured) {
  TestHttpServer server;
  auto options = OptionsFor(server);
  options.compression = Compression::kGzip;
  OtlpHttpExporter exporter(options, nullptr);

  auto batch = MakeBatch(20);
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].Header("Content-Encoding"), "gzip");
  ASSERT_TRUE(requests[0].body_decoded);
  EXPECT_LT(requests[0].body.size(), requests[0].decoded_body.size());
  auto spans = hotorder::test::DecodeOtlpProtobuf(requests[0].decoded_body);
  ASSERT_TRUE(spans);
  EXPECT_EQ(spans->size(), 20u);
}

TEST(OtlpHttpExporter, RetriesA503AfterItsRetryAfter) {
  TestHttpServer server;
  server.Enqueue({503, {{"Retry-After", "1"}}, StatusBody("overloaded"), {}, false, false});
  auto options = OptionsFor(server);
  SdkCounters counters;
  OtlpHttpExporter exporter(options, &counters);

  auto batch = MakeBatch(4);
  auto start = Clock::now();
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);
  auto elapsed = Clock::now() - start;

  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_GE(requests[1].received_at - requests[0].received_at, milliseconds(1000));
  EXPECT_GE(elapsed, milliseconds(1000));
  EXPECT_LT(elapsed, milliseconds(3000));
  EXPECT_EQ(requests[0].body, requests[1].body);  // the same request, sent again

  auto c = counters.Snapshot();
  EXPECT_EQ(c.export_requests, 1u);
  EXPECT_EQ(c.export_retries, 1u);
  EXPECT_EQ(c.export_failures, 0u);
  EXPECT_EQ(c.spans_exported, 0u);  // span outcomes: the processor counts them
}

TEST(OtlpHttpExporter, RetriesRetryableStatusesWithBackoff) {
  TestHttpServer server;
  server.Enqueue({502, {}, "", {}, false, false});
  server.Enqueue({429, {}, "", {}, false, false});
  server.Enqueue({504, {}, "", {}, false, false});
  SdkCounters counters;
  OtlpHttpExporter exporter(OptionsFor(server), &counters);

  auto batch = MakeBatch(1);
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 4u);
  // Jitter keeps each wait at >= 80% of the 20 ms, 30 ms, 45 ms back-off.
  EXPECT_GE(requests[1].received_at - requests[0].received_at, milliseconds(16));
  EXPECT_GE(requests[3].received_at - requests[2].received_at, milliseconds(36));
  EXPECT_EQ(counters.Snapshot().export_retries, 3u);
}

TEST(OtlpHttpExporter, DoesNotRetryA400AndReportsTheServerMessage) {
  DiagnosticsCapture diagnostics;
  TestHttpServer server;
  server.Enqueue({400, {{"Content-Type", "application/x-protobuf"}}, StatusBody("bad span data"),
                  {}, false, false});
  SdkCounters counters;
  OtlpHttpExporter exporter(OptionsFor(server), &counters);

  auto batch = MakeBatch(5);
  EXPECT_EQ(ExportBatch(exporter, batch), ExportResult::kFailure);
  EXPECT_EQ(server.RequestCount(), 1u);

  auto c = counters.Snapshot();
  EXPECT_EQ(c.export_requests, 1u);
  EXPECT_EQ(c.export_retries, 0u);
  EXPECT_EQ(c.export_failures, 1u);
  EXPECT_EQ(c.spans_exported, 0u);  // span outcomes: the processor counts them
  EXPECT_EQ(c.spans_dropped_export_failed, 0u);  // span outcomes: the processor counts them

  auto messages = diagnostics.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].first, DiagnosticLevel::kError);
  EXPECT_THAT(messages[0].second, HasSubstr("HTTP 400"));
  EXPECT_THAT(messages[0].second, HasSubstr("bad span data"));
  EXPECT_THAT(messages[0].second, HasSubstr("5 spans"));
}

TEST(OtlpHttpExporter, RepeatedIdenticalFailuresAreReportedOnce) {
  DiagnosticsCapture diagnostics;
  TestHttpServer server;
  server.SetDefaultResponse({500, {}, "", {}, false, false});
  SdkCounters counters;
  OtlpHttpExporter exporter(OptionsFor(server), &counters);

  auto batch = MakeBatch(1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ExportBatch(exporter, batch), ExportResult::kFailure);
  server.SetDefaultResponse({501, {}, "", {}, false, false});
  EXPECT_EQ(ExportBatch(exporter, batch), ExportResult::kFailure);

  EXPECT_EQ(counters.Snapshot().export_failures, 4u);
  auto messages = diagnostics.Messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_THAT(messages[0].second, HasSubstr("HTTP 500"));
  EXPECT_THAT(messages[1].second, HasSubstr("HTTP 501"));
  EXPECT_THAT(messages[1].second, HasSubstr("2 repeats"));
}

TEST(OtlpHttpExporter, GivesUpWithinTheTimeoutWhenTheServerIsSlow) {
  TestHttpServer server;
  ScriptedResponse slow;
  slow.delay = milliseconds(3000);
  server.SetDefaultResponse(slow);
  auto options = OptionsFor(server);
  options.timeout = milliseconds(400);
  SdkCounters counters;
  OtlpHttpExporter exporter(options, &counters);

  auto batch = MakeBatch(2);
  auto start = Clock::now();
  EXPECT_EQ(ExportBatch(exporter, batch), ExportResult::kFailure);
  auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, milliseconds(390));
  EXPECT_LT(elapsed, milliseconds(400 + 300));
  EXPECT_EQ(server.RequestCount(), 1u);  // no time was left for a retry

  auto c = counters.Snapshot();
  EXPECT_EQ(c.export_failures, 1u);
  EXPECT_EQ(c.spans_dropped_export_failed, 0u);  // span outcomes: the processor counts them
}

TEST(OtlpHttpExporter, CountsAFailureWhenTheCollectorIsDown) {
  DiagnosticsCapture diagnostics;
  std::string url;
  {
    TestHttpServer closed;
    url = closed.Url("/v1/traces");
  }  // nothing listens there any more: connections are refused
  OtlpExporterOptions options;
  options.endpoint_url = url;
  options.timeout = milliseconds(5000);
  options.retry.max_attempts = 3;
  options.retry.initial_backoff = milliseconds(10);
  SdkCounters counters;
  OtlpHttpExporter exporter(options, &counters);

  auto batch = MakeBatch(7);
  EXPECT_EQ(ExportBatch(exporter, batch), ExportResult::kFailure);

  auto c = counters.Snapshot();
  EXPECT_EQ(c.export_requests, 1u);
  EXPECT_EQ(c.export_retries, 2u);
  EXPECT_EQ(c.export_failures, 1u);
  EXPECT_EQ(c.spans_exported, 0u);  // span outcomes: the processor counts them
  EXPECT_EQ(c.spans_dropped_export_failed, 0u);  // span outcomes: the processor counts them
  auto messages = diagnostics.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_THAT(messages[0].second, HasSubstr("cannot connect"));
  EXPECT_THAT(messages[0].second, HasSubstr("3 attempts"));
}

TEST(OtlpHttpExporter, ReusesOneKeepAliveConnection) {
  TestHttpServer server;
  OtlpHttpExporter exporter(OptionsFor(server), nullptr);
  auto batch = MakeBatch(1);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);
  EXPECT_EQ(server.AcceptedConnections(), 1u);
  for (const auto& r : server.Requests()) EXPECT_EQ(r.connection, 1u);
}

TEST(OtlpHttpExporter, ReconnectsAfterConnectionClose) {
  TestHttpServer server;
  ScriptedResponse closing = test::OtlpProtobufSuccess();
  closing.close_after_response = true;
  server.Enqueue(closing);
  SdkCounters counters;
  OtlpHttpExporter exporter(OptionsFor(server), &counters);
  auto batch = MakeBatch(1);
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].connection, 1u);
  EXPECT_EQ(requests[1].connection, 2u);
  EXPECT_EQ(counters.Snapshot().export_retries, 0u);
}

TEST(OtlpHttpExporter, ResendsAtOnceWhenAnIdleConnectionWasDropped) {
  TestHttpServer server;
  auto batch = MakeBatch(1);
  SdkCounters counters;
  OtlpHttpExporter exporter(OptionsFor(server), &counters);
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);

  // The server hangs up on the kept-alive connection instead of answering, as one that timed
  // the idle connection out would: the exporter resends on a new connection, and that is no
  // retry of a failed export.
  ScriptedResponse hang_up;
  hang_up.close_without_response = true;
  server.Enqueue(hang_up);
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);

  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].connection, 1u);
  EXPECT_EQ(requests[2].connection, 2u);
  EXPECT_EQ(counters.Snapshot().export_retries, 0u);
}

TEST(OtlpHttpExporter, RetriesWhenAFreshConnectionClosesWithoutResponse) {
  TestHttpServer server;
  ScriptedResponse hang_up;
  hang_up.close_without_response = true;
  server.Enqueue(hang_up);
  SdkCounters counters;
  OtlpHttpExporter exporter(OptionsFor(server), &counters);
  auto batch = MakeBatch(1);
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);
  EXPECT_EQ(server.RequestCount(), 2u);
  EXPECT_EQ(counters.Snapshot().export_retries, 1u);
}

TEST(OtlpHttpExporter, ReportsPartialSuccess) {
  DiagnosticsCapture diagnostics;
  TestHttpServer server;
  server.Enqueue(test::OtlpProtobufResponse(PartialSuccessBody(1, "span too large")));
  SdkCounters counters;
  OtlpHttpExporter exporter(OptionsFor(server), &counters);

  auto batch = MakeBatch(3);
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);
  EXPECT_EQ(server.RequestCount(), 1u);  // a partial success MUST NOT be retried

  auto messages = diagnostics.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].first, DiagnosticLevel::kWarn);
  EXPECT_THAT(messages[0].second, HasSubstr("rejected 1 of 3 spans"));
  EXPECT_THAT(messages[0].second, HasSubstr("span too large"));

  auto c = counters.Snapshot();
  EXPECT_EQ(c.export_failures, 0u);
  EXPECT_EQ(c.spans_exported, 0u);  // span outcomes: the processor counts them
  EXPECT_EQ(c.spans_dropped_export_failed, 0u);  // span outcomes: the processor counts them
}

TEST(OtlpHttpExporter, ShutdownMakesExportFailFast) {
  TestHttpServer server;
  SdkCounters counters;
  OtlpHttpExporter exporter(OptionsFor(server), &counters);
  EXPECT_TRUE(exporter.Shutdown(milliseconds(1000)));

  auto batch = MakeBatch(2);
  auto start = Clock::now();
  EXPECT_EQ(ExportBatch(exporter, batch), ExportResult::kFailure);
  EXPECT_LT(Clock::now() - start, milliseconds(100));
  EXPECT_EQ(server.RequestCount(), 0u);
  EXPECT_TRUE(exporter.Shutdown(milliseconds(0)));  // idempotent

  auto c = counters.Snapshot();
  EXPECT_EQ(c.export_requests, 1u);
  EXPECT_EQ(c.export_failures, 1u);
  EXPECT_EQ(c.spans_dropped_after_shutdown, 0u);  // span outcomes: the processor counts them
  EXPECT_EQ(c.spans_dropped_export_failed, 0u);  // span outcomes: the processor counts them
}

TEST(OtlpHttpExporter, ShutdownCancelsAnExportInFlight) {
  TestHttpServer server;
  ScriptedResponse slow;
  slow.delay = milliseconds(5000);
  server.SetDefaultResponse(slow);
  auto options = OptionsFor(server);
  options.timeout = milliseconds(8000);
  SdkCounters counters;
  OtlpHttpExporter exporter(options, &counters);

  auto batch = MakeBatch(3);
  auto result = std::async(std::launch::async, [&] { return ExportBatch(exporter, batch); });
  ASSERT_TRUE(server.WaitForRequests(1, milliseconds(5000)));

  auto start = Clock::now();
  EXPECT_TRUE(exporter.Shutdown(milliseconds(2000)));
  EXPECT_LT(Clock::now() - start, milliseconds(1000));
  ASSERT_EQ(result.wait_for(milliseconds(1000)), std::future_status::ready);
  EXPECT_EQ(result.get(), ExportResult::kFailure);
  EXPECT_EQ(counters.Snapshot().spans_dropped_export_failed, 0u);  // span outcomes: the processor counts them
}

TEST(OtlpHttpExporter, ShutdownCancelsARetryWait) {
  TestHttpServer server;
  server.SetDefaultResponse({503, {{"Retry-After", "4"}}, "", {}, false, false});
  auto options = OptionsFor(server);
  options.timeout = milliseconds(8000);
  OtlpHttpExporter exporter(options, nullptr);

  auto batch = MakeBatch(1);
  auto result = std::async(std::launch::async, [&] { return ExportBatch(exporter, batch); });
  ASSERT_TRUE(server.WaitForRequests(1, milliseconds(5000)));
  EXPECT_TRUE(exporter.Shutdown(milliseconds(2000)));
  ASSERT_EQ(result.wait_for(milliseconds(1000)), std::future_status::ready);
  EXPECT_EQ(result.get(), ExportResult::kFailure);
  EXPECT_EQ(server.RequestCount(), 1u);
}

TEST(OtlpHttpExporter, ForceFlushAndShutdownReturnAtOnceWhenIdle) {
  TestHttpServer server;
  OtlpHttpExporter exporter(OptionsFor(server), nullptr);
  EXPECT_TRUE(exporter.ForceFlush(milliseconds(0)));
  EXPECT_TRUE(exporter.Shutdown(milliseconds(0)));
}

TEST(OtlpHttpExporter, ForceFlushWaitsForTheExportInFlight) {
  TestHttpServer server;
  ScriptedResponse slow = test::OtlpProtobufSuccess();
  slow.delay = milliseconds(600);
  server.SetDefaultResponse(slow);
  OtlpHttpExporter exporter(OptionsFor(server), nullptr);

  auto batch = MakeBatch(1);
  auto result = std::async(std::launch::async, [&] { return ExportBatch(exporter, batch); });
  ASSERT_TRUE(server.WaitForRequests(1, milliseconds(5000)));
  auto start = Clock::now();
  EXPECT_FALSE(exporter.ForceFlush(milliseconds(50)));  // bounded by its timeout
  EXPECT_GE(Clock::now() - start, milliseconds(50));
  EXPECT_TRUE(exporter.ForceFlush(milliseconds(5000)));
  ASSERT_EQ(result.wait_for(milliseconds(1000)), std::future_status::ready);
  EXPECT_EQ(result.get(), ExportResult::kSuccess);
}

TEST(OtlpHttpExporter, EmptyBatchSendsNothing) {
  TestHttpServer server;
  SdkCounters counters;
  OtlpHttpExporter exporter(OptionsFor(server), &counters);
  Batch empty;
  EXPECT_EQ(ExportBatch(exporter, empty), ExportResult::kSuccess);
  EXPECT_EQ(server.RequestCount(), 0u);
  EXPECT_EQ(counters.Snapshot().export_requests, 0u);
}

TEST(OtlpHttpExporter, OversizedRequestIsNotSent) {
  TestHttpServer server;
  auto options = OptionsFor(server);
  options.max_request_bytes = 64;
  SdkCounters counters;
  OtlpHttpExporter exporter(options, &counters);
  auto batch = MakeBatch(3);
  EXPECT_EQ(ExportBatch(exporter, batch), ExportResult::kFailure);
  EXPECT_EQ(server.RequestCount(), 0u);
  EXPECT_EQ(counters.Snapshot().spans_dropped_export_failed, 0u);  // span outcomes: the processor counts them
}

TEST(OtlpHttpExporter, OversizedResponseIsAFailureNotRetried) {
  TestHttpServer server;
  server.SetDefaultResponse(test::OtlpProtobufResponse(std::string(1000, '\0')));
  auto options = OptionsFor(server);
  options.max_response_bytes = 100;
  OtlpHttpExporter exporter(options, nullptr);
  auto batch = MakeBatch(1);
  EXPECT_EQ(ExportBatch(exporter, batch), ExportResult::kFailure);
  EXPECT_EQ(server.RequestCount(), 1u);
}

TEST(OtlpHttpExporter, UnusableEndpointFailsEveryExport) {
  DiagnosticsCapture diagnostics;
  OtlpExporterOptions options;
  options.endpoint_url = "https://collector:4318/v1/traces";
  SdkCounters counters;
  OtlpHttpExporter exporter(options, &counters);
  auto batch = MakeBatch(1);
  EXPECT_EQ(ExportBatch(exporter, batch), ExportResult::kFailure);
  EXPECT_EQ(counters.Snapshot().export_failures, 1u);
  auto messages = diagnostics.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_THAT(messages[0].second, HasSubstr("https"));
}

TEST(OtlpHttpExporter, ResolvesHostNames) {
  TestHttpServer server;
  auto options = OptionsFor(server);
  options.endpoint_url = "http://localhost:" + std::to_string(server.port()) + "/v1/traces";
  OtlpHttpExporter exporter(options, nullptr);
  auto batch = MakeBatch(1);
  // localhost may resolve to ::1 first, where nothing listens: the next address is tried.
  ASSERT_EQ(ExportBatch(exporter, batch), ExportResult::kSuccess);
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].Header("Host"), "localhost:" + std::to_string(server.port()));
}

}  // namespace
}  // namespace hotorder::telemetry::otlp
