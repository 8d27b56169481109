// The in-test HTTP server is the OTLP receiver of these tests and of later ones: its own
// behaviour (concurrency, partial reads, keep-alive, scripting) is checked here.
#include "support/test_http_server.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <string>

#include "support/http_get.hpp"

namespace hotorder::test {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

tcp::socket Connect(asio::io_context& ioc, std::uint16_t port) {
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  socket.set_option(tcp::no_delay(true));
  return socket;
}

// Reads one response with a Content-Length body from a raw socket.
std::string ReadResponse(tcp::socket& socket, std::string& buffer) {
  asio::read_until(socket, asio::dynamic_buffer(buffer), "\r\n\r\n");
  std::size_t header_end = buffer.find("\r\n\r\n") + 4;
  std::size_t pos = buffer.find("Content-Length: ");
  std::size_t length = std::stoul(buffer.substr(pos + 16));
  if (buffer.size() < header_end + length) {
    asio::read(socket, asio::dynamic_buffer(buffer),
               asio::transfer_exactly(header_end + length - buffer.size()));
  }
  std::string response = buffer.substr(0, header_end + length);
  buffer.erase(0, header_end + length);
  return response;
}

TEST(TestHttpServer, RecordsRequestsSentInTinyPiecesOverOneConnection) {
  TestHttpServer server;
  server.Enqueue({201, {{"X-Reply", "first"}}, "one", {}, false, false});
  asio::io_context ioc;
  tcp::socket socket = Connect(ioc, server.port());
  std::string request =
      "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
      "X-Custom: a b\r\nContent-Length: 11\r\n\r\nhello world";
  for (char c : request) asio::write(socket, asio::buffer(&c, 1));  // one byte per segment
  std::string buffer;
  std::string first = ReadResponse(socket, buffer);
  EXPECT_EQ(first.rfind("HTTP/1.1 201", 0), 0u) << first;
  EXPECT_NE(first.find("X-Reply: first"), std::string::npos);
  EXPECT_NE(first.find("\r\n\r\none"), std::string::npos);

  // Two pipelined requests in one write, on the same kept-alive connection.
  std::string two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
  asio::write(socket, asio::buffer(two));
  ReadResponse(socket, buffer);
  ReadResponse(socket, buffer);

  ASSERT_TRUE(server.WaitForRequests(3, milliseconds(5000)));
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/traces");
  EXPECT_EQ(requests[0].body, "hello world");
  EXPECT_EQ(requests[0].Header("x-custom"), "a b");
  EXPECT_EQ(requests[1].target, "/a");
  EXPECT_EQ(requests[2].target, "/b");
  for (const auto& r : requests) EXPECT_EQ(r.connection, 1u);
  EXPECT_EQ(server.AcceptedConnections(), 1u);
}

TEST(TestHttpServer, ServesConnectionsConcurrently) {
  TestHttpServer server;
  server.SetHandler([](const RecordedRequest& request) {
    ScriptedResponse response;
    response.body = request.target;
    if (request.target == "/slow") response.delay = milliseconds(3000);
    return response;
  });
  auto slow = std::async(std::launch::async, [&] { return HttpGet(server.Url("/slow")); });
  ASSERT_TRUE(server.WaitForRequests(1, milliseconds(5000)));
  auto start = Clock::now();
  std::vector<std::future<HttpResponse>> fast;
  for (int i = 0; i < 4; ++i) {
    fast.push_back(std::async(std::launch::async, [&] { return HttpGet(server.Url("/fast")); }));
  }
  for (auto& f : fast) {
    auto response = f.get();
    ASSERT_TRUE(response.ok()) << response.error;
    EXPECT_EQ(response.body, "/fast");
  }
  EXPECT_LT(Clock::now() - start, milliseconds(2500));  // not queued behind /slow
  EXPECT_EQ(slow.get().body, "/slow");
  EXPECT_EQ(server.AcceptedConnections(), 5u);
}

TEST(TestHttpServer, DefaultAnswerIsAnOtlpSuccessInTheRequestEncoding) {
  TestHttpServer server;
  auto proto = HttpPost(server.Url("/v1/traces"), "", "application/x-protobuf");
  EXPECT_EQ(proto.status, 200);
  EXPECT_EQ(proto.Header("Content-Type"), "application/x-protobuf");
  EXPECT_EQ(proto.body, "");
  auto json = HttpPost(server.Url("/v1/traces"), "{}", "application/json");
  EXPECT_EQ(json.status, 200);
  EXPECT_EQ(json.Header("Content-Type"), "application/json");
  EXPECT_EQ(json.body, "{}");
}

TEST(TestHttpServer, QueueThenDefaultResponse) {
  TestHttpServer server;
  server.Enqueue({503, {{"Retry-After", "1"}}, "", {}, false, false});
  server.SetDefaultResponse({404, {}, "none", {}, false, false});
  EXPECT_EQ(HttpGet(server.Url("/")).status, 503);
  EXPECT_EQ(HttpGet(server.Url("/")).status, 404);
  EXPECT_EQ(HttpGet(server.Url("/")).status, 404);
}

TEST(TestHttpServer, InflatesGzipBodies) {
  TestHttpServer server;
  std::string plain = "compressed payload";
  uLongf size = compressBound(plain.size()) + 32;
  std::string gz(size, '\0');
  z_stream zs{};
  ASSERT_EQ(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY),
            Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(plain.data());
  zs.avail_in = static_cast<uInt>(plain.size());
  zs.next_out = reinterpret_cast<Bytef*>(gz.data());
  zs.avail_out = static_cast<uInt>(gz.size());
  ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  gz.resize(zs.total_out);
  deflateEnd(&zs);

  HttpPost(server.Url("/"), gz, "application/x-protobuf", {{"Content-Encoding", "gzip"}});
  HttpPost(server.Url("/"), "not gzip", "application/x-protobuf", {{"Content-Encoding", "gzip"}});
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[0].body_decoded);
  EXPECT_EQ(requests[0].decoded_body, plain);
  EXPECT_EQ(requests[0].body, gz);
  EXPECT_FALSE(requests[1].body_decoded);
}

TEST(TestHttpServer, WaitForRequestsGivesUpAtItsDeadline) {
  TestHttpServer server;
  auto start = Clock::now();
  EXPECT_FALSE(server.WaitForRequests(1, milliseconds(100)));
  EXPECT_GE(Clock::now() - start, milliseconds(100));
}

TEST(TestHttpServer, StopsPromptlyWithAResponsePending) {
  auto server = std::make_unique<TestHttpServer>();
  server->SetDefaultResponse({200, {}, "", milliseconds(60000), false, false});
  auto pending = std::async(std::launch::async, [url = server->Url("/")] {
    return HttpGet(url, {}, milliseconds(10000));
  });
  ASSERT_TRUE(server->WaitForRequests(1, milliseconds(5000)));
  auto start = Clock::now();
  server.reset();
  EXPECT_LT(Clock::now() - start, milliseconds(1000));
  EXPECT_FALSE(pending.get().ok());  // the connection was closed, not answered
}

TEST(TestHttpServer, CanHangUpWithoutAnswering) {
  TestHttpServer server;
  ScriptedResponse hang_up;
  hang_up.close_without_response = true;
  server.Enqueue(hang_up);
  EXPECT_FALSE(HttpGet(server.Url("/")).ok());
  EXPECT_TRUE(HttpGet(server.Url("/")).ok());
  EXPECT_EQ(server.RequestCount(), 2u);
}

}  // namespace
}  // namespace hotorder::test
