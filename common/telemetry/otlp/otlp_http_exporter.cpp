#include "telemetry/otlp/otlp_http_exporter.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/span.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "telemetry/diagnostics.hpp"
#include "telemetry/otlp/gzip.hpp"
#include "telemetry/otlp/otlp_encoding.hpp"
#include "telemetry/otlp/retry_policy.hpp"

namespace hotorder::telemetry::otlp {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

using Request = http::request<http::span_body<const char>>;
using ResponseParser = http::response_parser<http::string_body>;

// The same failure, again and again (a collector that is down), is reported once a minute.
constexpr auto kRepeatWindow = std::chrono::minutes(1);
// A server's error text is quoted in diagnostics up to this length.
constexpr std::size_t kMaxServerMessage = 256;
// Every socket operation expires at the export deadline on its own; this margin only covers a
// timer that somehow did not fire, after which the socket is closed to force completion.
constexpr auto kExpiryGrace = milliseconds(250);

// Beast 1.74 speaks boost::string_view.
std::string_view Std(beast::string_view s) { return {s.data(), s.size()}; }
beast::string_view Beast(std::string_view s) { return {s.data(), s.size()}; }

void Count(SdkCounters* counters, std::atomic<std::uint64_t> SdkCounters::*counter,
           std::uint64_t n = 1) noexcept {
  if (counters != nullptr) SdkCounters::Add(counters->*counter, n);
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

// Keeps server-provided text printable and short before it reaches a log line.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxServerMessage)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  if (text.size() > kMaxServerMessage) out += "...";
  return out;
}

// The failure body of OTLP/HTTP is a google.rpc.Status (spec: OTLP/HTTP "Failures"); its
// `message` (field 2, a string) is what a person needs to see. Binary protobuf is walked field by
// field so any other field is skipped whatever its wire type.
std::string StatusMessageFromProtobuf(std::string_view body) {
  std::size_t pos = 0;
  auto varint = [&](std::uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64 && pos < body.size(); shift += 7) {
      auto byte = static_cast<unsigned char>(body[pos++]);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  };
  while (pos < body.size()) {
    std::uint64_t key = 0;
    if (!varint(key)) return {};
    std::uint64_t field = key >> 3;
    std::uint64_t value = 0;
    switch (key & 7) {
      case 0:
        if (!varint(value)) return {};
        break;
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      case 2:
        if (!varint(value) || value > body.size() - std::min(pos, body.size())) return {};
        if (field == 2) return std::string(body.substr(pos, value));
        pos += value;
        break;
      default:
        return {};
    }
  }
  return {};
}

std::string StatusMessageFromJson(std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object()) {
    auto it = json.find("message");
    if (it != json.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

// Reports through telemetry::Diagnose, but a reason identical to the last one reported is held
// back for kRepeatWindow; the next report says how many were held back.
class RepeatLimiter {
 public:
  void Report(DiagnosticLevel level, const std::string& reason, const std::string& message) {
    auto now = Clock::now();
    if (reported_ && reason == last_reason_ && now - last_time_ < kRepeatWindow) {
      ++suppressed_;
      return;
    }
    std::string text = message;
    if (suppressed_ > 0) {
      text += " (" + std::to_string(suppressed_) + " repeats of the previous message suppressed)";
    }
    Diagnose(level, text);
    reported_ = true;
    last_reason_ = reason;
    last_time_ = now;
    suppressed_ = 0;
  }

 private:
  bool reported_ = false;
  std::string last_reason_;
  Clock::time_point last_time_{};
  std::uint64_t suppressed_ = 0;
};

// What one HTTP attempt came to.
struct Attempt {
  AttemptOutcome outcome = AttemptOutcome::kPermanent;
  std::string reason;  // why it failed, for diagnostics
  std::optional<milliseconds> retry_after;
  std::optional<PartialSuccess> partial_success;
};

// An asynchronous operation's result, filled in by its completion handler.
struct Completion {
  bool done = false;
  beast::error_code ec;
};

}  // namespace

struct OtlpHttpExporter::Impl {
  Impl(const OtlpExporterOptions& opts, SdkCounters* counters_in)
      : options(opts), counters(counters_in) {
    std::string why;
    endpoint = ParseHttpEndpoint(options.endpoint_url, &why);
    if (!endpoint) endpoint_error = "endpoint \"" + options.endpoint_url + "\" is unusable: " + why;
    try {
      std::random_device device;
      rng.seed((static_cast<std::uint64_t>(device()) << 32) ^ device());
    } catch (...) {
      rng.seed(static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()));
    }
  }

  ExportResult Export(std::span<const std::unique_ptr<SpanData>> batch) noexcept;
  // The export proper, once this thread owns the I/O state (exporting == true).
  ExportResult ExportOwned(std::span<const std::unique_ptr<SpanData>> batch) noexcept;

  // --- everything below runs on the exporting thread while `exporting` is true ---
  bool Run(const bool& done, Clock::time_point until);
  void Await(const bool& done, Clock::time_point deadline);
  beast::error_code Resolve(Clock::time_point deadline);
  beast::error_code Connect(Clock::time_point deadline);
  Attempt SendOnce(const Request& request, Clock::time_point deadline);
  Attempt FromResponse(http::response<http::string_body>& response) const;
  bool Wait(milliseconds delay);
  void CloseConnection() noexcept;
  // Closes the connection and cancels every wait: what Shutdown asks of an Export in flight.
  void CancelIo() noexcept;
  void Fail(std::size_t spans, const std::string& reason);

  const OtlpExporterOptions& options;
  SdkCounters* const counters;
  std::optional<HttpEndpoint> endpoint;
  std::string endpoint_error;

  asio::io_context ioc;  // run only by the thread inside Export
  beast::tcp_stream stream{ioc};
  tcp::resolver resolver{ioc};
  asio::steady_timer retry_timer{ioc};
  std::vector<tcp::endpoint> endpoints;  // resolved once, again after a failed connect
  beast::flat_buffer read_buffer;
  bool connection_used = false;  // a response already came over the open connection

  std::string encoded;  // reused across exports, as are their capacities
  std::string compressed;
  std::mt19937_64 rng;
  RepeatLimiter failure_reports;
  RepeatLimiter partial_reports;

  // `exporting` is true for the whole of an Export; ForceFlush and Shutdown wait (bounded) for it
  // to turn false. A mutex and condition variable rather than a timed_mutex held across the
  // export: the state stays inspectable, and ThreadSanitizer sees every acquisition.
  std::mutex state_mutex;
  std::condition_variable idle;
  bool exporting = false;         // guarded by state_mutex
  std::atomic<bool> shut_down{false};  // also read lock-free by the I/O code

  // Waits until no Export runs, up to `timeout`; returns with `lock` held either way.
  bool WaitIdle(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds timeout) {
    // Clamped so that "wait forever" (milliseconds::max()) cannot overflow the clock.
    timeout = std::clamp(timeout, milliseconds(0), milliseconds(kNoTimeout));
    return idle.wait_for(lock, timeout, [this] { return !exporting; });
  }
};

bool OtlpHttpExporter::Impl::Run(const bool& done, Clock::time_point until) {
  ioc.restart();
  while (!done) {
    if (ioc.run_one_until(until) == 0 && !done) {
      if (ioc.stopped() || Clock::now() >= until) return false;
    }
  }
  return true;
}

// Waits for an operation whose handler must run before its frame is left (the handler refers to
// it): the operation expires at `deadline` by itself; closing the socket is the fallback.
void OtlpHttpExporter::Impl::Await(const bool& done, Clock::time_point deadline) {
  if (Run(done, deadline + kExpiryGrace)) return;
  CancelIo();
  ioc.restart();
  while (!done && ioc.run_one() > 0) {
  }
}

beast::error_code OtlpHttpExporter::Impl::Resolve(Clock::time_point deadline) {
  beast::error_code ec;
  auto address = asio::ip::make_address(endpoint->host, ec);
  if (!ec) {
    endpoints = {tcp::endpoint(address, endpoint->port)};
    return {};
  }
  // getaddrinfo cannot be cancelled: Asio runs it on its internal resolver thread, and the
  // handler owns its state, so a lookup that outlives the deadline is simply abandoned.
  struct State {
    bool done = false;
    beast::error_code ec;
    std::vector<tcp::endpoint> found;
  };
  auto state = std::make_shared<State>();
  resolver.async_resolve(endpoint->host, std::to_string(endpoint->port),
                         tcp::resolver::numeric_service,
                         [state](beast::error_code error, tcp::resolver::results_type results) {
                           state->ec = error;
                           for (const auto& entry : results) state->found.push_back(entry.endpoint());
                           state->done = true;
                         });
  if (!Run(state->done, deadline)) {
    resolver.cancel();
    return asio::error::timed_out;
  }
  if (!state->ec && state->found.empty()) return asio::error::host_not_found;
  endpoints = std::move(state->found);
  return state->ec;
}

beast::error_code OtlpHttpExporter::Impl::Connect(Clock::time_point deadline) {
  if (endpoints.empty()) {
    if (auto ec = Resolve(deadline)) return ec;
  }
  Completion op;
  stream.expires_at(deadline);
  stream.async_connect(endpoints, [&op](beast::error_code ec, const tcp::endpoint&) {
    op.ec = ec;
    op.done = true;
  });
  Await(op.done, deadline);
  // Look the name up again next time: a restarted collector container may have a new address.
  if (op.ec) endpoints.clear();
  connection_used = false;
  return op.ec;
}

void OtlpHttpExporter::Impl::CloseConnection() noexcept {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.socket().close(ignored);
  read_buffer.consume(read_buffer.size());
  connection_used = false;
}

void OtlpHttpExporter::Impl::CancelIo() noexcept {
  CloseConnection();
  retry_timer.cancel();
  resolver.cancel();
}

Attempt OtlpHttpExporter::Impl::SendOnce(const Request& request, Clock::time_point deadline) {
  auto shut_down_attempt = [] {
    return Attempt{AttemptOutcome::kPermanent, "the exporter was shut down", {}, {}};
  };
  // A second pass happens only when a kept-alive connection turns out to have been closed by
  // the server while idle: that is no failure of the collector, just a stale socket.
  for (int pass = 0;; ++pass) {
    if (shut_down.load()) return shut_down_attempt();
    if (Clock::now() >= deadline) {
      return {AttemptOutcome::kRetryable, "no response within the export timeout", {}, {}};
    }
    bool reused = stream.socket().is_open();
    if (!reused) {
      if (auto ec = Connect(deadline)) {
        if (shut_down.load()) return shut_down_attempt();
        std::string why = ec == beast::error::timeout ? "timed out" : ec.message();
        return {AttemptOutcome::kRetryable,
                "cannot connect to " + endpoint->host_header + ": " + why, {}, {}};
      }
    }

    Completion write;
    stream.expires_at(deadline);
    http::async_write(stream, request, [&write](beast::error_code ec, std::size_t) {
      write.ec = ec;
      write.done = true;
    });
    Await(write.done, deadline);

    ResponseParser parser;
    parser.body_limit(options.max_response_bytes);
    Completion read;
    if (!write.ec && !shut_down.load()) {
      // The header first: Beast 1.74's eager parse (http::read of a whole message) skips the
      // body limit for a Content-Length body, so that limit is checked here before any of the
      // body is read.
      Completion header;
      stream.expires_at(deadline);
      http::async_read_header(stream, read_buffer, parser,
                              [&header](beast::error_code ec, std::size_t) {
                                header.ec = ec;
                                header.done = true;
                              });
      Await(header.done, deadline);
      read = header;
      if (!header.ec && parser.content_length() &&
          *parser.content_length() > options.max_response_bytes) {
        read.ec = http::error::body_limit;
      } else if (!header.ec && shut_down.load()) {
        read.ec = asio::error::operation_aborted;
      } else if (!header.ec) {
        read.done = false;
        stream.expires_at(deadline);
        http::async_read(stream, read_buffer, parser, [&read](beast::error_code ec, std::size_t) {
          read.ec = ec;
          read.done = true;
        });
        Await(read.done, deadline);
      }
    }
    beast::error_code ec = write.ec ? write.ec : read.ec;
    if (!ec && !read.done) ec = asio::error::operation_aborted;  // shut down between the two
    if (ec) {
      bool was_used = connection_used;
      CloseConnection();
      if (shut_down.load()) return shut_down_attempt();
      bool peer_closed = ec == http::error::end_of_stream || ec == asio::error::eof ||
                         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
      if (reused && was_used && pass == 0 && peer_closed && !parser.got_some()) continue;
      if (ec == http::error::body_limit) {
        // Spec (OTLP/HTTP Response): an oversized response is a non-retryable error.
        return {AttemptOutcome::kPermanent,
                "the response exceeded " + std::to_string(options.max_response_bytes) + " bytes",
                {}, {}};
      }
      if (ec == beast::error::timeout) {
        return {AttemptOutcome::kRetryable, "no response within the export timeout", {}, {}};
      }
      // Spec (OTLP/HTTP "All Other Responses"): a server that disconnects without a response
      // is retried.
      return {AttemptOutcome::kRetryable,
              "the connection to " + endpoint->host_header + " failed: " + ec.message(), {}, {}};
    }

    auto& response = parser.get();
    connection_used = true;
    if (!response.keep_alive()) CloseConnection();
    return FromResponse(response);
  }
}

Attempt OtlpHttpExporter::Impl::FromResponse(http::response<http::string_body>& response) const {
  Attempt attempt;
  unsigned status = response.result_int();
  attempt.outcome = ClassifyHttpStatus(status);

  std::string_view body = response.body();
  std::string inflated;
  if (StartsWithNoCase(Std(response[http::field::content_encoding]), "gzip")) {
    if (!GzipDecompress(body, inflated, options.max_response_bytes)) {
      if (attempt.outcome == AttemptOutcome::kSuccess) return attempt;  // the status is enough
      inflated.clear();
    }
    body = inflated;
  }
  std::string_view content_type = Std(response[http::field::content_type]);
  bool json = StartsWithNoCase(content_type, "application/json") ||
              (content_type.empty() && options.protocol == Protocol::kHttpJson);

  if (attempt.outcome == AttemptOutcome::kSuccess) {
    attempt.partial_success = json ? DecodeJsonResponse(body) : DecodeProtobufResponse(body);
    return attempt;
  }

  attempt.reason = "HTTP " + std::to_string(status);
  if (auto phrase = Std(response.reason()); !phrase.empty()) {
    attempt.reason += " " + std::string(phrase);
  }
  std::string message = json ? StatusMessageFromJson(body) : StatusMessageFromProtobuf(body);
  if (!message.empty()) attempt.reason += ": " + Printable(message);
  if (attempt.outcome == AttemptOutcome::kRetryable) {
    auto it = response.find(http::field::retry_after);
    if (it != response.end()) {
      attempt.retry_after = ParseRetryAfter(Std(it->value()), std::chrono::system_clock::now());
    }
  }
  return attempt;
}

bool OtlpHttpExporter::Impl::Wait(milliseconds delay) {
  if (shut_down.load()) return false;
  Completion op;
  retry_timer.expires_after(delay);
  retry_timer.async_wait([&op](beast::error_code ec) {
    op.ec = ec;
    op.done = true;
  });
  ioc.restart();
  while (!op.done && ioc.run_one() > 0) {
  }
  return !op.ec && !shut_down.load();
}

void OtlpHttpExporter::Impl::Fail(std::size_t spans, const std::string& reason) {
  Count(counters, &SdkCounters::export_failures);
  failure_reports.Report(DiagnosticLevel::kError, reason,
                         "OTLP export of " + std::to_string(spans) + " spans to " +
                             options.endpoint_url + " failed, spans dropped: " + reason);
}

ExportResult OtlpHttpExporter::Impl::Export(
    std::span<const std::unique_ptr<SpanData>> batch) noexcept {
  const std::size_t spans = batch.size();
  Count(counters, &SdkCounters::export_requests);
  bool refused = false;
  try {
    std::unique_lock lock(state_mutex);
    // Export is called by one thread at a time; should calls overlap anyway, they take turns.
    idle.wait(lock, [this] { return !exporting; });
    refused = shut_down.load();
    exporting = !refused;
  } catch (...) {
    refused = true;
  }
  if (refused) {
    Count(counters, &SdkCounters::export_failures);
    failure_reports.Report(DiagnosticLevel::kError, "shut down",
                           "OTLP export of " + std::to_string(spans) +
                               " spans refused: the exporter was shut down");
    return ExportResult::kFailure;
  }
  ExportResult result = ExportOwned(batch);
  {
    std::lock_guard lock(state_mutex);
    exporting = false;
  }
  idle.notify_all();
  return result;
}

ExportResult OtlpHttpExporter::Impl::ExportOwned(
    std::span<const std::unique_ptr<SpanData>> batch) noexcept {
  const std::size_t spans = batch.size();
  try {
    if (!endpoint) {
      Fail(spans, endpoint_error);
      return ExportResult::kFailure;
    }
    const auto deadline = Clock::now() + options.timeout;

    const bool json = options.protocol == Protocol::kHttpJson;
    if (json) {
      EncodeJson(batch, encoded);
    } else {
      EncodeProtobuf(batch, encoded);
    }
    if (encoded.size() > options.max_request_bytes) {
      // Spec (OTLP/HTTP Request): an oversized request MUST NOT be sent.
      Fail(spans, "the request of " + std::to_string(encoded.size()) + " bytes exceeds the " +
                      std::to_string(options.max_request_bytes) + "-byte limit, not sent");
      return ExportResult::kFailure;
    }
    std::string_view payload = encoded;
    bool gzipped = false;
    if (options.compression == Compression::kGzip) {
      gzipped = GzipCompress(encoded, compressed);
      if (gzipped) payload = compressed;  // else send it uncompressed: still correct OTLP
    }

    Request request{http::verb::post, Beast(endpoint->target), 11};
    request.set(http::field::host, Beast(endpoint->host_header));
    request.set(http::field::user_agent, Beast(kOtlpUserAgent));
    request.set(http::field::content_type, json ? "application/json" : "application/x-protobuf");
    if (gzipped) request.set(http::field::content_encoding, "gzip");
    for (const auto& [name, value] : options.headers) {
      if (IsReservedOtlpHeader(name)) continue;
      if (beast::iequals(name, "user-agent")) {
        request.set(http::field::user_agent, Beast(value));
      } else {
        request.insert(Beast(name), Beast(value));
      }
    }
    request.keep_alive(true);
    request.body() = beast::span<const char>(payload.data(), payload.size());
    request.prepare_payload();

    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (int attempts = 1;; ++attempts) {
      if (attempts > 1) Count(counters, &SdkCounters::export_retries);
      Attempt attempt = SendOnce(request, deadline);
      if (attempt.outcome == AttemptOutcome::kSuccess) {
        // Spec (trace_service.proto): a partial_success with nothing rejected and no message
        // is the same as none, and receivers such as the Collector send exactly that on full
        // success. Rejected spans are reported, not counted: span outcomes are the
        // processor's to count (sdk_counters.hpp), and it sees this export as delivered.
        if (attempt.partial_success && (attempt.partial_success->rejected_spans > 0 ||
                                        !attempt.partial_success->error_message.empty())) {
          const auto& partial = *attempt.partial_success;
          const auto rejected = static_cast<std::uint64_t>(
              std::clamp<std::int64_t>(partial.rejected_spans, 0, static_cast<std::int64_t>(spans)));
          std::string what = Printable(partial.error_message);
          // Spec (Partial Success): rejected == 0 with a message is a warning from the server.
          std::string text =
              rejected > 0 ? "OTLP receiver at " + options.endpoint_url + " rejected " +
                                 std::to_string(rejected) + " of " + std::to_string(spans) +
                                 " spans: " + what
                           : "OTLP receiver at " + options.endpoint_url + " warns: " + what;
          partial_reports.Report(DiagnosticLevel::kWarn,
                                 std::to_string(rejected) + "\n" + partial.error_message, text);
        }
        return ExportResult::kSuccess;
      }
      if (attempt.outcome == AttemptOutcome::kPermanent) {
        Fail(spans, attempt.reason);
        return ExportResult::kFailure;
      }
      auto time_left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      auto delay = NextRetryDelay(options.retry, attempts, attempt.retry_after, time_left,
                                  uniform(rng));
      if (!delay) {
        Fail(spans, attempt.reason + " (gave up after " + std::to_string(attempts) +
                        (attempts == 1 ? " attempt)" : " attempts)"));
        return ExportResult::kFailure;
      }
      if (!Wait(*delay)) {
        Fail(spans, "the exporter was shut down");
        return ExportResult::kFailure;
      }
    }
  } catch (const std::exception& e) {
    Fail(spans, std::string("unexpected error: ") + e.what());
  } catch (...) {
    Fail(spans, "unexpected error");
  }
  return ExportResult::kFailure;
}

OtlpHttpExporter::OtlpHttpExporter(OtlpExporterOptions options, SdkCounters* counters) noexcept
    : options_(std::move(options)) {
  try {
    impl_ = std::make_unique<Impl>(options_, counters);
  } catch (const std::exception& e) {
    Diagnose(DiagnosticLevel::kError,
             std::string("OTLP exporter cannot start, spans will be dropped: ") + e.what());
  } catch (...) {
    Diagnose(DiagnosticLevel::kError, "OTLP exporter cannot start, spans will be dropped");
  }
}

OtlpHttpExporter::~OtlpHttpExporter() = default;

const OtlpExporterOptions& OtlpHttpExporter::options() const noexcept { return options_; }

ExportResult OtlpHttpExporter::Export(std::span<const std::unique_ptr<SpanData>> batch) noexcept {
  if (batch.empty()) return ExportResult::kSuccess;  // nothing to send; no request is made
  if (!impl_) return ExportResult::kFailure;
  return impl_->Export(batch);
}

bool OtlpHttpExporter::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  if (!impl_) return true;
  try {
    std::unique_lock lock(impl_->state_mutex);
    return impl_->WaitIdle(lock, timeout);
  } catch (...) {
    return false;
  }
}

bool OtlpHttpExporter::Shutdown(std::chrono::milliseconds timeout) noexcept {
  if (!impl_) return true;
  try {
    Impl* impl = impl_.get();
    std::unique_lock lock(impl->state_mutex);
    impl->shut_down.store(true);
    if (impl->exporting) {
      // The exporting thread runs the io_context: a posted handler is how another thread
      // reaches its socket and timers safely. The Export also checks the flag before every
      // operation, so it cannot start new I/O after this.
      asio::post(impl->ioc, [impl] { impl->CancelIo(); });
      if (!impl->WaitIdle(lock, timeout)) return false;
    }
    // No Export runs, and none can start (the flag is set and checked under the mutex): release
    // the connection from this thread.
    impl->CancelIo();
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace hotorder::telemetry::otlp
