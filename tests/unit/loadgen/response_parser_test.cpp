#include "loadgen/response_parser.hpp"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <string>

namespace hotorder::loadgen {
namespace {

constexpr std::string_view kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

// Feeds `wire` to a fresh parser in one piece; returns false on a parse error or leftovers.
bool Parse(ResponseParser& parser, std::string_view wire) {
  parser.eager(true);
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(wire.data(), wire.size()), ec);
  return !ec && used == wire.size() && parser.is_done();
}

TEST(TraceIdFromTraceresponse, TakesTheTraceIdOfAVersion00Value) {
  EXPECT_EQ(TraceIdFromTraceresponse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            kTraceId);
  EXPECT_EQ(TraceIdFromTraceresponse(" 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00 "),
            kTraceId);
  // A future version may append fields.
  EXPECT_EQ(
      TraceIdFromTraceresponse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"),
      kTraceId);
}

TEST(TraceIdFromTraceresponse, RejectsMalformedValues) {
  EXPECT_EQ(TraceIdFromTraceresponse(""), "");
  EXPECT_EQ(TraceIdFromTraceresponse("00-4bf92f3577b34da6a3ce929d0e0e4736"), "");
  EXPECT_EQ(TraceIdFromTraceresponse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(TraceIdFromTraceresponse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(TraceIdFromTraceresponse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(TraceIdFromTraceresponse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"),
            "");
  EXPECT_EQ(TraceIdFromTraceresponse("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "");
}

TEST(TraceIdFromXTraceId, AcceptsThirtyTwoHexDigits) {
  EXPECT_EQ(TraceIdFromXTraceId(" 4bf92f3577b34da6a3ce929d0e0e4736"), kTraceId);
  EXPECT_EQ(TraceIdFromXTraceId("4bf92f3577b34da6a3ce929d0e0e473"), "");
  EXPECT_EQ(TraceIdFromXTraceId("xbf92f3577b34da6a3ce929d0e0e4736"), "");
}

TEST(ResponseParser, KeepsStatusTraceIdAndBodyWhenAsked) {
  ResponseInfo info;
  ResponseParser parser(info, true);
  ASSERT_TRUE(Parse(parser,
                    "HTTP/1.1 201 Created\r\n"
                    "Content-Type: application/json\r\n"
                    "X-Trace-Id: 11111111111111111111111111111111\r\n"
                    "TraceResponse: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
                    "Content-Length: 17\r\n\r\n"
                    R"({"order_id":"a1"})"));
  EXPECT_EQ(info.status, 201);
  EXPECT_EQ(info.trace_id, kTraceId);  // traceresponse wins over X-Trace-Id
  EXPECT_EQ(info.body, R"({"order_id":"a1"})");
  EXPECT_TRUE(parser.keep_alive());
}

TEST(ResponseParser, SkipsTheBodyUnlessAskedAndReadsChunked) {
  ResponseInfo info;
  info.body = "stale";
  info.trace_id = "stale";
  ResponseParser parser(info, false);
  ASSERT_TRUE(Parse(parser,
                    "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n"
                    "Connection: close\r\n\r\n"
                    "5\r\nhello\r\n0\r\n\r\n"));
  EXPECT_EQ(info.status, 404);
  EXPECT_EQ(info.trace_id, "");
  EXPECT_EQ(info.body, "");
  EXPECT_FALSE(parser.keep_alive());

  ResponseParser chunked(info, true);
  ASSERT_TRUE(Parse(chunked,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                    "x-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736\r\n\r\n"
                    "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  EXPECT_EQ(info.body, "abcde");
  EXPECT_EQ(info.trace_id, kTraceId);
}

}  // namespace
}  // namespace hotorder::loadgen
