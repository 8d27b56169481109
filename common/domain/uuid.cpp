#include "domain/uuid.hpp"

#include <cctype>
#include <cstdint>
#include <random>

namespace hotorder::domain {

std::string NewUuid() {
  // One generator per thread, seeded from the OS: handlers run on many threads.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uint64_t high = generator();
  std::uint64_t low = generator();
  high = (high & ~0xf000ULL) | 0x4000ULL;                  // version 4
  low = (low & ~(0xc0ULL << 56)) | (0x80ULL << 56);        // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  auto append = [&text](std::uint64_t bits, int from_nibble, int count) {
    for (int i = from_nibble; i < from_nibble + count; ++i) {
      text += kHex[(bits >> (60 - 4 * i)) & 0xf];
    }
  };
  append(high, 0, 8);
  text += '-';
  append(high, 8, 4);
  text += '-';
  append(high, 12, 4);
  text += '-';
  append(low, 0, 4);
  text += '-';
  append(low, 4, 12);
  return text;
}

bool IsUuid(std::string_view text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace hotorder::domain
