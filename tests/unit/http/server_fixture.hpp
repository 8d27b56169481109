#pragma once
// What the server tests share: a Server on 127.0.0.1 port 0 running Run() on its own thread,
// spans captured in memory (simple processor: a span is stored the moment it ends), log lines
// captured, and a raw-socket client for what a well-behaved HTTP client will not send.

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>
#include <vector>

#include "http/server.hpp"
#include "log/logger.hpp"
#include "telemetry/attributes.hpp"
#include "telemetry/processor/in_memory_span_exporter.hpp"
#include "telemetry/processor/simple_span_processor.hpp"
#include "telemetry/propagation/composite.hpp"
#include "telemetry/propagation/w3c_baggage.hpp"
#include "telemetry/propagation/w3c_trace_context.hpp"
#include "telemetry/tracer_provider.hpp"

namespace hotorder::http::test {

using namespace std::chrono_literals;

inline std::chrono::steady_clock::time_point Deadline(std::chrono::milliseconds in = 5s) {
  return std::chrono::steady_clock::now() + in;
}

// Polls `condition` until it holds or `timeout` passes: for states no condition variable
// announces (a connection's count in another process's view, a span the server ends later).
template <typename Condition>
bool Eventually(Condition condition, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = Deadline(timeout);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

class CapturingSink final : public log::Sink {
 public:
  void Write(std::string_view line) noexcept override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(line);
  }
  std::vector<std::string> Lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  std::vector<std::string> LinesContaining(std::string_view text) const {
    std::vector<std::string> found;
    for (auto& line : Lines()) {
      if (line.find(text) != std::string::npos) found.push_back(line);
    }
    return found;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

// A one-shot latch a handler can block on until the test releases it.
class Gate {
 public:
  void Open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    changed_.notify_all();
  }
  // Blocks until Open(); false if `timeout` passes first (so a failing test cannot hang).
  bool Wait(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return open_; });
  }
  bool IsOpen() const {
    std::lock_guard lock(mutex_);
    return open_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
};

// Counts arrivals and lets a test wait for the n-th.
class Counter {
 public:
  void Increment() {
    {
      std::lock_guard lock(mutex_);
      ++count_;
    }
    changed_.notify_all();
  }
  bool WaitFor(int count, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return count_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

class ServerFixture : public ::testing::Test {
 protected:
  ServerFixture() {
    auto exporter = std::make_unique<telemetry::InMemorySpanExporter>();
    spans_ = exporter->store();
    telemetry::TracerProviderOptions options;
    options.processor = std::make_unique<telemetry::SimpleSpanProcessor>(std::move(exporter));
    options.resource = telemetry::Resource{{{"service.name", "server-test"}}, {}};
    provider_ = std::make_unique<telemetry::TracerProvider>(std::move(options));
    std::vector<std::unique_ptr<telemetry::TextMapPropagator>> parts;
    parts.push_back(std::make_unique<telemetry::TraceContextPropagator>());
    parts.push_back(std::make_unique<telemetry::BaggagePropagator>());
    propagator_ = std::make_unique<telemetry::CompositePropagator>(std::move(parts));
    sink_ = std::make_shared<CapturingSink>();
  }

  ~ServerFixture() override { StopServer(); }

  void StartServer(Router router, ServerOptions options = {}, ReadinessCheck ready = {},
                   bool handle_signals = false) {
    ServerTelemetry telemetry{provider_->GetTracer("hotorder.http.test"), *propagator_,
                              log::Logger("server-test", log::Level::kDebug, sink_)};
    server_ = std::make_unique<Server>(std::move(options), std::move(router), telemetry,
                                       std::move(ready));
    runner_ = std::thread([this, handle_signals] {
      server_->Run(handle_signals);
      std::lock_guard lock(run_mutex_);
      run_returned_ = true;
      run_changed_.notify_all();
    });
  }

  // Shutdown() and wait for Run() to return.
  void StopServer() {
    if (!server_) return;
    server_->Shutdown();
    if (runner_.joinable()) runner_.join();
    server_.reset();
  }

  bool WaitForRunToReturn(std::chrono::milliseconds timeout) {
    std::unique_lock lock(run_mutex_);
    return run_changed_.wait_for(lock, timeout, [this] { return run_returned_; });
  }
  bool RunReturned() {
    std::lock_guard lock(run_mutex_);
    return run_returned_;
  }

  std::string Url(std::string_view target) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(target);
  }
  std::uint16_t port() const { return server_->port(); }

  // Spans named `name`, waiting up to 5 s for at least `count` of them.
  std::vector<telemetry::SpanData> SpansNamed(std::string_view name, std::size_t count = 1) {
    std::vector<telemetry::SpanData> found;
    Eventually([&] {
      found.clear();
      for (auto& span : spans_->GetSpans()) {
        if (span.name == name) found.push_back(span);
      }
      return found.size() >= count;
    });
    return found;
  }

  std::shared_ptr<telemetry::InMemorySpanStore> spans_;
  std::unique_ptr<telemetry::TracerProvider> provider_;
  std::unique_ptr<telemetry::TextMapPropagator> propagator_;
  std::shared_ptr<CapturingSink> sink_;
  std::unique_ptr<Server> server_;
  std::thread runner_;
  std::mutex run_mutex_;
  std::condition_variable run_changed_;
  bool run_returned_ = false;
};

inline const telemetry::AttributeValue* Attr(const telemetry::SpanData& span,
                                             std::string_view key) {
  return telemetry::FindAttribute(span.attributes, key);
}
inline std::string StringAttr(const telemetry::SpanData& span, std::string_view key) {
  const auto* value = Attr(span, key);
  if (value == nullptr) return "<absent>";
  if (const auto* s = std::get_if<std::string>(&value->variant())) return *s;
  return "<not a string>";
}
inline std::int64_t IntAttr(const telemetry::SpanData& span, std::string_view key) {
  const auto* value = Attr(span, key);
  if (value == nullptr) return -1;
  if (const auto* i = std::get_if<std::int64_t>(&value->variant())) return *i;
  return -2;
}

// A client over a plain socket with receive/send timeouts, for malformed, partial and slow
// requests and for watching what happens to one connection.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port, std::chrono::milliseconds timeout = 5s)
      : socket_(io_) {
    boost::system::error_code ec;
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    connected_ = !ec;
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }

  bool connected() const { return connected_; }

  bool Send(std::string_view bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size()), ec);
    return !ec;
  }

  // One response, or nullopt when the connection closed, reset or timed out first.
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> Read() {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    boost::system::error_code ec;
    boost::beast::http::read(socket_, buffer_, parser, ec);
    if (ec) {
      last_error_ = ec;
      return std::nullopt;
    }
    return parser.release();
  }

  // True when the server closed the connection (end of stream or reset) before the receive
  // timeout; false when it stayed open (or sent data).
  bool ClosedByServer() {
    char byte;
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(boost::asio::buffer(&byte, 1), ec);
    return n == 0 && (ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset);
  }

  void Close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

  boost::system::error_code last_error() const { return last_error_; }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
  boost::system::error_code last_error_;
};

inline std::string Get(std::string_view target, std::string_view extra_headers = {}) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         std::string(extra_headers) + "\r\n";
}

}  // namespace hotorder::http::test
