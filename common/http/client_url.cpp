#include "http/client_url.hpp"

#include <charconv>
#include <stdexcept>

namespace hotorder::http::detail {

UpstreamAddress ParseBaseUrl(std::string_view url) {
  auto fail = [url](std::string_view why) -> UpstreamAddress {
    throw std::invalid_argument("upstream URL \"" + std::string(url) + "\" is unusable: " +
                                std::string(why));
  };
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return fail("only http://host[:port] is supported");
  std::string_view rest = url.substr(kScheme.size());
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return fail("it may not have a path, query or user");
  }

  UpstreamAddress address;
  std::string_view port_text;
  if (rest.starts_with('[')) {  // an IPv6 literal
    auto close = rest.find(']');
    if (close == std::string_view::npos) return fail("unterminated [IPv6] host");
    address.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("junk after the [IPv6] host");
      port_text = after.substr(1);
      if (port_text.empty()) return fail("empty port");
    }
  } else {
    auto colon = rest.rfind(':');
    address.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return fail("empty port");
    }
  }
  if (address.host.empty()) return fail("no host");
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return fail("bad port");
    }
    address.port = static_cast<std::uint16_t>(port);
  }
  bool ipv6 = address.host.find(':') != std::string::npos;
  address.host_header = (ipv6 ? "[" + address.host + "]" : address.host) + ":" +
                        std::to_string(address.port);
  address.base_url = std::string(kScheme) + std::string(rest);
  return address;
}

}  // namespace hotorder::http::detail
