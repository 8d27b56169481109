#include "support/test_http_server.hpp"

#include <zlib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace hotorder::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Big enough for any batch a test sends (the OTLP client limit is 64 MiB).
constexpr std::uint64_t kBodyLimit = 128ull * 1024 * 1024;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string Str(beast::string_view s) { return std::string(s.data(), s.size()); }

// Gunzip with zlib directly, independent of the SDK's gzip code under test. Concatenated gzip
// members are accepted (RFC 1952).
std::optional<std::string> Gunzip(std::string_view in) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char chunk[16384];
  int rc = Z_OK;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - zs.avail_out);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      if (inflateReset(&zs) != Z_OK) break;
      continue;
    }
    if (rc != Z_OK) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END || zs.avail_in != 0) return std::nullopt;
  return out;
}

ScriptedResponse SuccessFor(const RecordedRequest& request) {
  auto type = request.Header("Content-Type");
  if (type && type->rfind("application/json", 0) == 0) {
    return {200, {{"Content-Type", "application/json"}}, "{}", {}, false, false};
  }
  return OtlpProtobufSuccess();
}

}  // namespace

std::optional<std::string> RecordedRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (IEquals(key, name)) return value;
  }
  return std::nullopt;
}

ScriptedResponse OtlpProtobufSuccess() { return OtlpProtobufResponse({}); }

ScriptedResponse OtlpProtobufResponse(std::string body) {
  ScriptedResponse response;
  response.headers = {{"Content-Type", "application/x-protobuf"}};
  response.body = std::move(body);
  return response;
}

struct TestHttpServer::State {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  std::vector<std::weak_ptr<TestHttpSession>> sessions;  // server thread only

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::vector<RecordedRequest> requests;
  std::deque<ScriptedResponse> queue;
  Handler handler;
  std::optional<ScriptedResponse> default_response;
  std::size_t accepted = 0;

  void Accept();
  // Records the request and picks its answer.
  ScriptedResponse Answer(RecordedRequest request);
};

class TestHttpSession : public std::enable_shared_from_this<TestHttpSession> {
 public:
  TestHttpSession(tcp::socket socket, TestHttpServer::State& state, std::size_t id)
      : stream_(std::move(socket)), timer_(stream_.get_executor()), state_(state), id_(id) {}

  void Read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->OnRead(ec);
                     });
  }

  void Close() {
    beast::error_code ignored;
    timer_.cancel();
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec) {
      Close();
      return;
    }
    auto message = parser_->release();
    RecordedRequest request;
    request.method = Str(message.method_string());
    request.target = Str(message.target());
    for (const auto& field : message) {
      request.headers.emplace_back(Str(field.name_string()), Str(field.value()));
    }
    request.body = std::move(message.body());
    request.connection = id_;
    request.received_at = std::chrono::steady_clock::now();
    auto encoding = request.Header("Content-Encoding");
    if (encoding && IEquals(*encoding, "gzip")) {
      auto inflated = Gunzip(request.body);
      request.body_decoded = inflated.has_value();
      request.decoded_body = inflated.value_or("");
    } else {
      request.decoded_body = request.body;
    }
    bool keep_alive = message.keep_alive();

    ScriptedResponse response = state_.Answer(std::move(request));
    if (response.delay.count() > 0) {
      timer_.expires_after(response.delay);
      timer_.async_wait([self = shared_from_this(), response = std::move(response),
                         keep_alive](beast::error_code wait_ec) mutable {
        if (wait_ec) return;  // stopped
        self->Respond(std::move(response), keep_alive);
      });
    } else {
      Respond(std::move(response), keep_alive);
    }
  }

  void Respond(ScriptedResponse scripted, bool keep_alive) {
    if (scripted.close_without_response) {
      Close();
      return;
    }
    auto response = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(scripted.status), 11);
    for (const auto& [name, value] : scripted.headers) {
      response->insert(beast::string_view(name.data(), name.size()),
                       beast::string_view(value.data(), value.size()));
    }
    response->body() = std::move(scripted.body);
    response->keep_alive(keep_alive && !scripted.close_after_response);
    response->prepare_payload();
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                        if (ec || !response->keep_alive()) {
                          self->Close();
                          return;
                        }
                        self->Read();
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  asio::steady_timer timer_;
  TestHttpServer::State& state_;
  std::size_t id_;
};

void TestHttpServer::State::Accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;  // closed by Stop
    std::size_t id = 0;
    {
      std::lock_guard lock(mutex);
      id = ++accepted;
    }
    auto session = std::make_shared<TestHttpSession>(std::move(socket), *this, id);
    std::erase_if(sessions, [](const std::weak_ptr<TestHttpSession>& s) { return s.expired(); });
    sessions.push_back(session);
    session->Read();
    Accept();
  });
}

ScriptedResponse TestHttpServer::State::Answer(RecordedRequest request) {
  std::unique_lock lock(mutex);
  requests.push_back(request);
  changed.notify_all();
  if (!queue.empty()) {
    ScriptedResponse response = std::move(queue.front());
    queue.pop_front();
    return response;
  }
  if (handler) {
    Handler h = handler;
    lock.unlock();
    try {
      return h(request);
    } catch (const std::exception& e) {
      return {500, {{"Content-Type", "text/plain"}}, e.what(), {}, false, false};
    }
  }
  if (default_response) return *default_response;
  return SuccessFor(request);
}

TestHttpServer::TestHttpServer() : state_(std::make_unique<State>()) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(asio::socket_base::reuse_address(true));
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen(asio::socket_base::max_listen_connections);
  state_->Accept();
  State* state = state_.get();
  state_->thread = std::thread([state] { state->ioc.run(); });
}

TestHttpServer::~TestHttpServer() { Stop(); }

void TestHttpServer::Stop() {
  if (!state_->thread.joinable()) return;
  State* state = state_.get();
  asio::post(state->ioc, [state] {
    beast::error_code ignored;
    state->acceptor.close(ignored);
    for (auto& weak : state->sessions) {
      if (auto session = weak.lock()) session->Close();
    }
    state->ioc.stop();
  });
  state_->thread.join();
}

std::uint16_t TestHttpServer::port() const noexcept {
  beast::error_code ec;
  auto endpoint = state_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

std::string TestHttpServer::BaseUrl() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

std::string TestHttpServer::Url(std::string_view target) const {
  return BaseUrl() + std::string(target);
}

void TestHttpServer::Enqueue(ScriptedResponse response) {
  std::lock_guard lock(state_->mutex);
  state_->queue.push_back(std::move(response));
}

void TestHttpServer::SetHandler(Handler handler) {
  std::lock_guard lock(state_->mutex);
  state_->handler = std::move(handler);
}

void TestHttpServer::SetDefaultResponse(ScriptedResponse response) {
  std::lock_guard lock(state_->mutex);
  state_->default_response = std::move(response);
}

bool TestHttpServer::WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, timeout, [&] { return state_->requests.size() >= count; });
}

std::vector<RecordedRequest> TestHttpServer::Requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::size_t TestHttpServer::RequestCount() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests.size();
}

std::size_t TestHttpServer::AcceptedConnections() const {
  std::lock_guard lock(state_->mutex);
  return state_->accepted;
}

}  // namespace hotorder::test
