#include "http/message.hpp"

#include <nlohmann/json.hpp>

#include "telemetry/utf8.hpp"

namespace hotorder::http {
namespace {

char AsciiLower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// nlohmann's dump throws on invalid UTF-8; messages may quote client input, so repair first.
std::string RepairUtf8(std::string_view text) {
  if (telemetry::IsValidUtf8(text)) return std::string(text);
  std::string repaired(telemetry::SanitizedUtf8Size(text), '\0');
  telemetry::WriteSanitizedUtf8(text, repaired.data());
  return repaired;
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers.items()) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

const std::string& Request::PathParam(const std::string& name) const {
  static const std::string kEmpty;
  auto it = path_params.find(name);
  return it == path_params.end() ? kEmpty : it->second;
}

Response Response::Json(unsigned status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

std::string ErrorBody(std::string_view code, std::string_view message) {
  nlohmann::json body;
  body["error"]["code"] = RepairUtf8(code);
  body["error"]["message"] = RepairUtf8(message);
  return body.dump();
}

}  // namespace hotorder::http
