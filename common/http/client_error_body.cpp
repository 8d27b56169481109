#include "http/client_error_body.hpp"

#include <nlohmann/json.hpp>

#include "telemetry/utf8.hpp"

namespace hotorder::http::detail {
namespace {

constexpr std::size_t kMaxCodeLength = 64;

bool IsErrorCode(std::string_view code) {
  if (code.empty() || code.size() > kMaxCodeLength) return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::optional<UpstreamErrorBody> ParseErrorBody(std::string_view body) noexcept {
  try {
    auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) return std::nullopt;
    auto error = json.find("error");
    if (error == json.end() || !error->is_object()) return std::nullopt;
    auto code = error->find("code");
    auto message = error->find("message");
    if (code == error->end() || !code->is_string() || message == error->end() ||
        !message->is_string()) {
      return std::nullopt;
    }
    UpstreamErrorBody parsed{code->get<std::string>(), message->get<std::string>()};
    if (!IsErrorCode(parsed.code)) return std::nullopt;
    return parsed;
  } catch (...) {
    return std::nullopt;
  }
}

std::string ShortenMessage(std::string_view text, std::size_t max_bytes) {
  std::string repaired(telemetry::SanitizedUtf8Size(text), '\0');
  telemetry::WriteSanitizedUtf8(text, repaired.data());
  for (char& c : repaired) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  if (repaired.size() <= max_bytes) return repaired;
  std::size_t cut = max_bytes;
  // Back off over continuation bytes (10xxxxxx) to the start of the character that is cut.
  while (cut > 0 && (static_cast<unsigned char>(repaired[cut]) & 0xC0) == 0x80) --cut;
  repaired.resize(cut);
  repaired += "...";
  return repaired;
}

}  // namespace hotorder::http::detail
