#include "telemetry/key_value_list.hpp"

namespace hotorder::telemetry {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = HexDigit(text[i + 1]);
    const int lo = HexDigit(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
    i += 2;
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> ParseKeyValueList(
    std::string_view text) {
  std::vector<std::pair<std::string, std::string>> members;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view member = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (TrimSpaces(member).empty()) continue;
    const std::size_t equals = member.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const std::string_view key = TrimSpaces(member.substr(0, equals));
    if (key.empty()) return std::nullopt;
    auto value = PercentDecode(TrimSpaces(member.substr(equals + 1)));
    if (!value) return std::nullopt;
    members.emplace_back(std::string(key), std::move(*value));
  }
  return members;
}

}  // namespace hotorder::telemetry
