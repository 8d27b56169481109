#pragma once
// Where an HttpClient sends: the host and port of its upstream, from UpstreamOptions::base_url.

#include <cstdint>
#include <string>
#include <string_view>

namespace hotorder::http::detail {

struct UpstreamAddress {
  std::string host;         // "127.0.0.1", "inventory-service", "::1" (no brackets)
  std::uint16_t port = 80;
  std::string host_header;  // what the Host header carries: "127.0.0.1:8082", "[::1]:8082"
  std::string base_url;     // base_url without a trailing '/': url.full is base_url + target
};

// Parses "http://host[:port][/]". Throws std::invalid_argument naming the problem for anything
// else (https, a path, a bad port): a misconfigured upstream must stop the service at start-up,
// not fail every request later.
UpstreamAddress ParseBaseUrl(std::string_view url);

}  // namespace hotorder::http::detail
