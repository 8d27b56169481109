#include "telemetry/propagation/text_map.hpp"

#include <algorithm>

namespace hotorder::telemetry {
namespace {

// HTTP field names are ASCII case-insensitive (RFC 9110 section 5.1); locale-free on purpose.
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

}  // namespace

HeaderMap::HeaderMap(std::initializer_list<std::pair<std::string, std::string>> headers) {
  items_.reserve(headers.size());
  for (const auto& [key, value] : headers) Add(key, value);
}

std::vector<std::string_view> HeaderMap::GetAll(std::string_view key) const {
  std::vector<std::string_view> values;
  for (const auto& [name, value] : items_) {
    if (EqualsIgnoreCase(name, key)) values.emplace_back(value);
  }
  return values;
}

void HeaderMap::Set(std::string_view key, std::string_view value) {
  std::erase_if(items_, [key](const auto& item) { return EqualsIgnoreCase(item.first, key); });
  Add(key, value);
}

void HeaderMap::Add(std::string_view key, std::string_view value) {
  items_.emplace_back(std::string(key), std::string(value));
}

}  // namespace hotorder::telemetry
