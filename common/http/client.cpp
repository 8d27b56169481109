#include "http/client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "http/client_error_body.hpp"
#include "http/client_exchange.hpp"
#include "http/client_url.hpp"
#include "http/connection_pool.hpp"
#include "telemetry/span.hpp"

namespace hotorder::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using Clock = std::chrono::steady_clock;
using detail::Exchange;
using detail::ExchangeFailure;
using detail::ExchangeResult;
using telemetry::AttributeValue;
using telemetry::Span;
using telemetry::SpanKind;
using telemetry::StatusCode;

constexpr std::string_view kUserAgent = "hotorder-http-client/0.1.0";

beast::string_view Beast(std::string_view s) { return {s.data(), s.size()}; }

// Lets a propagator write its headers straight into the outgoing Beast request.
class RequestHeaderWriter final : public telemetry::TextMapWriter {
 public:
  explicit RequestHeaderWriter(Exchange::Request& request) : request_(request) {}
  void Set(std::string_view key, std::string_view value) override {
    request_.set(Beast(key), Beast(value));
  }

 private:
  Exchange::Request& request_;
};

Exchange::Request NewRequest(std::string_view method, std::string_view target,
                             const detail::UpstreamAddress& address) {
  Exchange::Request request;
  bhttp::verb verb = bhttp::string_to_verb(Beast(method));
  if (verb == bhttp::verb::unknown) {
    request.method_string(Beast(method));
  } else {
    request.method(verb);
  }
  request.target(Beast(target));
  request.version(11);
  request.set(bhttp::field::host, address.host_header);
  request.set(bhttp::field::user_agent, Beast(kUserAgent));
  request.keep_alive(true);
  return request;
}

// OpenTelemetry semantic conventions: error.type is a low-cardinality name of what went wrong.
std::string_view ErrorType(ExchangeFailure failure) {
  switch (failure) {
    case ExchangeFailure::kResolve:
      return "name_resolution_failed";
    case ExchangeFailure::kConnectTimeout:
      return "connect_timeout";
    case ExchangeFailure::kRefused:
      return "connection_refused";
    case ExchangeFailure::kConnect:
      return "connect_failed";
    case ExchangeFailure::kTimeout:
      return "timeout";
    case ExchangeFailure::kClosed:
      return "connection_closed";
    case ExchangeFailure::kMalformed:
      return "malformed_response";
    case ExchangeFailure::kNone:
      break;
  }
  return "_OTHER";
}

HttpError TransportError(const ExchangeResult& result, const UpstreamOptions& options,
                         const detail::UpstreamAddress& address) {
  const std::string& name = options.name;
  auto unavailable = [&](const std::string& why) {
    return HttpError(502, "upstream_unavailable", name + " is unavailable: " + why);
  };
  switch (result.failure) {
    case ExchangeFailure::kResolve:
      return unavailable("cannot resolve " + address.host + " (" + result.error.message() + ")");
    case ExchangeFailure::kConnectTimeout:
      return HttpError(504, "upstream_timeout",
                       name + " did not accept a connection within " +
                           std::to_string(options.connect_timeout.count()) + " ms");
    case ExchangeFailure::kRefused:
      return unavailable("connection refused");
    case ExchangeFailure::kConnect:
      return unavailable("cannot connect (" + result.error.message() + ")");
    case ExchangeFailure::kTimeout:
      return HttpError(504, "upstream_timeout",
                       name + " did not answer within " +
                           std::to_string(options.total_timeout.count()) + " ms");
    case ExchangeFailure::kClosed:
      if (result.error == asio::error::connection_reset) return unavailable("connection reset");
      return unavailable("connection closed before a complete answer");
    case ExchangeFailure::kMalformed:
      if (result.error == bhttp::error::body_limit) {
        return unavailable("answer larger than " + std::to_string(detail::kMaxResponseBytes) +
                           " bytes");
      }
      return unavailable("malformed answer (" + result.error.message() + ")");
    case ExchangeFailure::kNone:
      break;
  }
  return unavailable("unknown failure");
}

}  // namespace

// Runs exchanges on the calling thread: Send blocks its caller (a handler's thread) until the
// answer anyway, so that thread drives the connection's I/O itself instead of waking an I/O
// thread and being woken by it.
class HttpClient::Pool {
 public:
  explicit Pool(const UpstreamOptions& options)
      : upstream_(detail::ParseBaseUrl(options.base_url), options.max_idle_connections) {}

  ~Pool() { upstream_.pool.Clear(); }

  const detail::UpstreamAddress& address() const noexcept { return upstream_.address; }

  ExchangeResult Run(Exchange::Request request, std::chrono::milliseconds connect_timeout,
                     Clock::time_point deadline) {
    std::unique_ptr<detail::Connection> connection = upstream_.pool.Take(Clock::now());
    const bool reused = connection != nullptr;
    if (!connection) connection = std::make_unique<detail::Connection>();
    auto exchange = std::make_shared<Exchange>(*connection, reused, upstream_, std::move(request),
                                               connect_timeout, deadline);
    exchange->Begin();
    RunDry(connection->ioc);
    if (!exchange->finished()) {
      // Only a handler that threw can leave an exchange unfinished (every operation has a
      // deadline): the connection is in an unknown state and is not reused.
      return ExchangeResult{.failure = ExchangeFailure::kClosed,
                            .error = asio::error::operation_aborted};
    }
    if (exchange->keep_connection()) upstream_.pool.Put(std::move(connection), Clock::now());
    return std::move(exchange->result());
  }

 private:
  // Runs until no operation is pending. Handlers catch what they can throw; should one escape
  // anyway, the loop goes on with the rest.
  static void RunDry(asio::io_context& ioc) noexcept {
    ioc.restart();
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (...) {
      }
    }
  }

  detail::UpstreamIo upstream_;
};

HttpClient::HttpClient(UpstreamOptions options, const telemetry::Tracer& tracer,
                       const telemetry::TextMapPropagator& propagator)
    : options_(std::move(options)),
      tracer_(tracer),
      propagator_(propagator),
      pool_(std::make_unique<Pool>(options_)) {}

HttpClient::~HttpClient() = default;

ClientResponse HttpClient::Send(const telemetry::Context& parent, const ClientRequest& request) {
  const detail::UpstreamAddress& address = pool_->address();
  // Semantic conventions: "{method} {route}", or just the method when there is no route.
  std::string span_name = request.route.empty() ? request.method
                                                : request.method + " " + request.route;
  // Pushed one by one rather than listed in braces: an initializer list can only be copied,
  // which would allocate every key and value twice.
  telemetry::Attributes attributes;
  attributes.reserve(5);
  attributes.push_back({"http.request.method", request.method});
  attributes.push_back({"server.address", address.host});
  attributes.push_back({"server.port", address.port});
  attributes.push_back({"url.full", address.base_url + request.target});
  attributes.push_back({"network.protocol.version", "1.1"});
  Span span = tracer_.StartSpan(span_name, parent,
                                {.kind = SpanKind::kClient, .attributes = std::move(attributes)});

  Exchange::Request outgoing = NewRequest(request.method, request.target, address);
  for (const auto& [name, value] : request.headers) outgoing.insert(Beast(name), Beast(value));
  if (!request.body.empty()) {
    outgoing.set(bhttp::field::content_type, "application/json");
    outgoing.body() = request.body;
  }
  // After the caller's headers, so a stale traceparent of theirs cannot override the span's.
  RequestHeaderWriter writer(outgoing);
  propagator_.Inject(telemetry::ContextWithSpan(parent, span), writer);
  outgoing.prepare_payload();

  ExchangeResult result =
      pool_->Run(std::move(outgoing), options_.connect_timeout, Clock::now() + options_.total_timeout);
  if (result.resends > 0) span.SetAttribute("http.request.resend_count", result.resends);

  if (result.failure != ExchangeFailure::kNone) {
    HttpError error = TransportError(result, options_, address);
    span.SetAttribute("error.type", ErrorType(result.failure));
    span.RecordException(error);
    span.SetStatus(StatusCode::kError, error.what());
    span.End();
    throw error;
  }

  span.SetAttribute("http.response.status_code", result.status);
  // Semantic conventions: a CLIENT span is an error for any 4xx or 5xx answer.
  if (result.status >= 400) {
    span.SetAttribute("error.type", std::to_string(result.status));
    std::string description = options_.name + " answered " + std::to_string(result.status);
    if (auto body = detail::ParseErrorBody(result.body)) description += " " + body->code;
    span.SetStatus(StatusCode::kError, description);
  }
  span.End();
  return ClientResponse{result.status, std::move(result.body), std::move(result.content_type)};
}

bool HttpClient::Reachable() noexcept {
  try {
    Exchange::Request request = NewRequest("GET", "/healthz", pool_->address());
    request.prepare_payload();
    ExchangeResult result = pool_->Run(std::move(request), options_.connect_timeout,
                                       Clock::now() + options_.connect_timeout);
    return result.failure == ExchangeFailure::kNone && result.status >= 200 &&
           result.status < 300;
  } catch (...) {
    return false;
  }
}

}  // namespace hotorder::http
