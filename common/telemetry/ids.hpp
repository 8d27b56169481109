#pragma once
// Trace and span identifiers (W3C Trace Context: 16 and 8 bytes, all-zero means invalid).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotorder::telemetry {

template <std::size_t N>
class Id {
 public:
  static constexpr std::size_t kSize = N;
  static constexpr std::size_t kHexSize = 2 * N;

  constexpr Id() noexcept = default;
  constexpr explicit Id(const std::array<std::uint8_t, N>& bytes) noexcept : bytes_(bytes) {}

  constexpr bool IsValid() const noexcept {
    for (auto b : bytes_) {
      if (b != 0) return true;
    }
    return false;
  }
  constexpr const std::array<std::uint8_t, N>& Bytes() const noexcept { return bytes_; }

  // Writes exactly kHexSize lowercase hex digits to out.
  void ToHex(char* out) const noexcept {
    static constexpr char kDigits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < N; ++i) {
      out[2 * i] = kDigits[bytes_[i] >> 4];
      out[2 * i + 1] = kDigits[bytes_[i] & 0x0f];
    }
  }
  std::string ToHex() const {
    std::string s(kHexSize, '0');
    ToHex(s.data());
    return s;
  }

  // Parses exactly kHexSize hex digits. `lowercase_only` follows W3C traceparent, which forbids
  // uppercase; B3 and human input accept either. Validity (non-zero) is a separate question.
  static std::optional<Id> FromHex(std::string_view hex, bool lowercase_only = true) noexcept {
    if (hex.size() != kHexSize) return std::nullopt;
    std::array<std::uint8_t, N> bytes{};
    for (std::size_t i = 0; i < N; ++i) {
      int hi = HexValue(hex[2 * i], lowercase_only);
      int lo = HexValue(hex[2 * i + 1], lowercase_only);
      if (hi < 0 || lo < 0) return std::nullopt;
      bytes[i] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    return Id(bytes);
  }

  friend constexpr bool operator==(const Id&, const Id&) noexcept = default;

 private:
  static constexpr int HexValue(char c, bool lowercase_only) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (!lowercase_only && c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  std::array<std::uint8_t, N> bytes_{};
};

using TraceId = Id<16>;
using SpanId = Id<8>;

// Makes new ids. Implementations must be thread-safe and never return an all-zero id.
class IdGenerator {
 public:
  IdGenerator() = default;
  IdGenerator(const IdGenerator&) = delete;
  IdGenerator& operator=(const IdGenerator&) = delete;
  virtual ~IdGenerator() = default;

  virtual TraceId NewTraceId() noexcept = 0;
  virtual SpanId NewSpanId() noexcept = 0;
};

// Per-thread xoshiro256** seeded from std::random_device: no locks, no shared state, ~2 ns an id.
// Trace ids are fully random, so W3C Level 2's "random" trace flag may be set for them.
class RandomIdGenerator final : public IdGenerator {
 public:
  TraceId NewTraceId() noexcept override;
  SpanId NewSpanId() noexcept override;
};

}  // namespace hotorder::telemetry
