#pragma once
// An HTTP/1.1 server for tests, on 127.0.0.1 and an ephemeral port, with its own thread: it
// records every request and answers from a script, so a test can play the OTLP collector (or any
// downstream service) and then assert exactly what a client sent.
//
// Connections are kept alive (unless the request or a scripted response says otherwise) and
// served concurrently; requests may arrive in any number of pieces. Responses come, in order of
// request arrival, from the queue of scripted responses, then from the handler if one is set,
// then from the default response. The default default is an empty OTLP success in the request's
// own encoding (spec: the server answers with the Content-Type it received): an empty body as
// application/x-protobuf, or "{}" as application/json.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotorder::test {

class TestHttpSession;

struct RecordedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // in arrival order
  std::string body;                                            // as received
  // The body with any "Content-Encoding: gzip" undone (inflated independently of the SDK's own
  // gzip code); equal to `body` when not gzipped; empty with body_decoded == false when the
  // gzip data is invalid.
  std::string decoded_body;
  bool body_decoded = true;
  std::size_t connection = 0;  // 1-based: which accepted connection carried it
  std::chrono::steady_clock::time_point received_at;

  // The first header named `name` (case-insensitive).
  std::optional<std::string> Header(std::string_view name) const;
};

struct ScriptedResponse {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Length is set for you
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long (a timer, not a sleep) before answering
  bool close_without_response = false;  // hang up instead of answering
  bool close_after_response = false;    // answer with "Connection: close" and hang up
};

// 200 with an empty ExportTraceServiceResponse as application/x-protobuf.
ScriptedResponse OtlpProtobufSuccess();
// 200 with `body` (an encoded ExportTraceServiceResponse) as application/x-protobuf.
ScriptedResponse OtlpProtobufResponse(std::string body);

class TestHttpServer {
 public:
  using Handler = std::function<ScriptedResponse(const RecordedRequest&)>;

  // Listens at once: port() is valid as soon as the constructor returns. Throws when it cannot
  // listen (a test cannot go on without its server).
  TestHttpServer();
  ~TestHttpServer();  // Stop()
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  std::uint16_t port() const noexcept;
  std::string BaseUrl() const;                   // "http://127.0.0.1:<port>"
  std::string Url(std::string_view target) const;  // BaseUrl() + target

  void Enqueue(ScriptedResponse response);
  // Called (on the server thread) for a request when no scripted response is queued.
  void SetHandler(Handler handler);
  void SetDefaultResponse(ScriptedResponse response);

  // True once at least `count` requests have been fully received, false at the deadline.
  bool WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const;
  std::vector<RecordedRequest> Requests() const;
  std::size_t RequestCount() const;
  std::size_t AcceptedConnections() const;

  // Closes the listener and every connection, cancels pending delays, joins the thread.
  // Idempotent.
  void Stop();

 private:
  friend class TestHttpSession;
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hotorder::test
