#include "order_fields.hpp"

#include <charconv>
#include <cstdint>
#include <random>

namespace hotorder::floor_chain {
namespace {

std::mt19937_64& Generator() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return generator;
}

// The position of the value of the first `"key":` at or after `from`, or npos.
std::size_t ValueStart(std::string_view body, std::string_view key, std::size_t from = 0) {
  std::string quoted = "\"" + std::string(key) + "\"";
  auto skip_blanks = [&](std::size_t position) {
    while (position < body.size() && (body[position] == ' ' || body[position] == '\t')) {
      ++position;
    }
    return position;
  };
  for (auto at = body.find(quoted, from); at != std::string_view::npos;
       at = body.find(quoted, at + 1)) {
    auto position = skip_blanks(at + quoted.size());
    if (position < body.size() && body[position] == ':') return skip_blanks(position + 1);
  }
  return std::string_view::npos;
}

// The quoted string starting at `start`, or nullopt.
std::optional<std::string_view> StringAt(std::string_view body, std::size_t start) {
  if (start >= body.size() || body[start] != '"') return std::nullopt;
  auto end = body.find('"', start + 1);
  if (end == std::string_view::npos) return std::nullopt;
  return body.substr(start + 1, end - start - 1);
}

bool IsSkuCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

constexpr char kHexDigits[] = "0123456789abcdef";

}  // namespace

std::optional<std::string_view> StringField(std::string_view body, std::string_view key) {
  auto start = ValueStart(body, key);
  if (start == std::string_view::npos) return std::nullopt;
  return StringAt(body, start);
}

std::optional<OrderLines> ParseOrderLines(std::string_view body) {
  OrderLines lines;
  lines.skus = "{";
  lines.quantities = "{";
  for (auto sku_start = ValueStart(body, "sku"); sku_start != std::string_view::npos;
       sku_start = ValueStart(body, "sku", sku_start)) {
    auto sku = StringAt(body, sku_start);
    if (!sku || sku->empty() || sku->size() > 64) return std::nullopt;
    for (char c : *sku) {
      if (!IsSkuCharacter(c)) return std::nullopt;
    }
    auto qty_start = ValueStart(body, "qty", sku_start);
    if (qty_start == std::string_view::npos) return std::nullopt;
    int qty = 0;
    auto [end, error] = std::from_chars(body.data() + qty_start, body.data() + body.size(), qty);
    if (error != std::errc() || end == body.data() + qty_start || qty < 1 || qty > 1000) {
      return std::nullopt;
    }
    if (lines.count > 0) {
      lines.skus += ',';
      lines.quantities += ',';
    }
    lines.skus += '"';
    lines.skus += *sku;
    lines.skus += '"';
    lines.quantities += std::to_string(qty);
    ++lines.count;
  }
  if (lines.count == 0) return std::nullopt;
  lines.skus += '}';
  lines.quantities += '}';
  return lines;
}

std::string NewUuid() {
  std::uint64_t high = Generator()();
  std::uint64_t low = Generator()();
  // Version 4 and the RFC 4122 variant, so Postgres and readers see a proper random UUID.
  high = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  std::string text;
  text.reserve(36);
  for (int shift = 60; shift >= 0; shift -= 4) {
    text += kHexDigits[(high >> shift) & 0xf];
    if (shift == 32 || shift == 16) text += '-';
  }
  text += '-';
  for (int shift = 60; shift >= 0; shift -= 4) {
    text += kHexDigits[(low >> shift) & 0xf];
    if (shift == 48) text += '-';
  }
  return text;
}

std::string RandomHex(int digits) {
  std::string text;
  text.reserve(static_cast<std::size_t>(digits));
  std::uint64_t bits = 0;
  for (int i = 0; i < digits; ++i) {
    if (i % 16 == 0) bits = Generator()();
    text += kHexDigits[bits & 0xf];
    bits >>= 4;
  }
  return text;
}

std::string Fnv1aHex(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) hex[static_cast<std::size_t>(i)] = kHexDigits[hash & 0xf];
  return hex;
}

}  // namespace hotorder::floor_chain
