#include "loadgen/request_text.hpp"

#include <charconv>

namespace hotorder::loadgen {
namespace {

void AppendNumber(std::string& out, std::size_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace

void AppendRequestHead(std::string& out, const RequestSpec& spec, std::string_view fixed_headers) {
  out.append(spec.method).append(" ").append(spec.target).append(" HTTP/1.1\r\n");
  out.append(fixed_headers);
  if (!spec.body.empty()) out.append("Content-Type: application/json\r\n");
  if (!spec.body.empty() || (spec.method != "GET" && spec.method != "HEAD")) {
    out.append("Content-Length: ");
    AppendNumber(out, spec.body.size());
    out.append("\r\n");
  }
}

std::string ClientSpanName(const RequestSpec& spec) {
  std::string_view path = spec.target;
  path = path.substr(0, path.find('?'));
  if (path.starts_with("/api/orders/")) path = "/api/orders/{id}";
  if (path.starts_with("/api/inventory/")) path = "/api/inventory/{sku}";
  std::string name = spec.method;
  name += ' ';
  name += path;
  return name;
}

}  // namespace hotorder::loadgen
