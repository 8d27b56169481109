#include "http/client_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hotorder::http::detail {
namespace {

TEST(ParseBaseUrl, TakesHostAndPort) {
  UpstreamAddress address = ParseBaseUrl("http://127.0.0.1:8082");
  EXPECT_EQ(address.host, "127.0.0.1");
  EXPECT_EQ(address.port, 8082);
  EXPECT_EQ(address.host_header, "127.0.0.1:8082");
  EXPECT_EQ(address.base_url, "http://127.0.0.1:8082");
}

TEST(ParseBaseUrl, DefaultsToPort80AndDropsATrailingSlash) {
  UpstreamAddress address = ParseBaseUrl("http://inventory-service/");
  EXPECT_EQ(address.host, "inventory-service");
  EXPECT_EQ(address.port, 80);
  EXPECT_EQ(address.host_header, "inventory-service:80");
  EXPECT_EQ(address.base_url, "http://inventory-service");
}

TEST(ParseBaseUrl, AcceptsBracketedIpv6) {
  UpstreamAddress address = ParseBaseUrl("http://[::1]:9000");
  EXPECT_EQ(address.host, "::1");
  EXPECT_EQ(address.port, 9000);
  EXPECT_EQ(address.host_header, "[::1]:9000");
}

TEST(ParseBaseUrl, RejectsWhatItCannotUse) {
  for (const char* url : {"", "127.0.0.1:8082", "https://x:1", "http://", "http://:80",
                          "http://x:", "http://x:0", "http://x:65536", "http://x:8o",
                          "http://x:80/path", "http://x?q", "http://u@x", "http://[::1"}) {
    EXPECT_THROW(ParseBaseUrl(url), std::invalid_argument) << url;
  }
}

}  // namespace
}  // namespace hotorder::http::detail
