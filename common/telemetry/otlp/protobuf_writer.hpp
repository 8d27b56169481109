#pragma once
// A small protobuf wire-format writer (https://protobuf.dev/programming-guides/encoding/) for the
// OTLP encoder: varint, fixed32/fixed64 and length-delimited fields, with nested messages.
//
// Nested lengths are back-patched, so every byte is produced in one pass: BeginNested writes the
// tag and reserves `hint` bytes for the length varint; EndNested measures the body and writes its
// varint there. Only when the real length needs a different number of bytes than reserved is the
// body moved (memmove by the difference). Callers pick hints from the sizes they expect (a
// KeyValue: 1 byte, < 128; a Span: 2 bytes, < 16 KiB), so the move is rare, and when it happens it
// moves one body once. The output is canonical: lengths are always minimal varints. This avoids
// both a sizing pre-pass over the whole tree (which walks everything twice) and padded
// fixed-width lengths (valid protobuf, but larger and unusual on the wire).
//
// Small messages whose sizes are cheap to know up front (an attribute with a scalar value, a
// span's fixed fields) skip back-patching altogether: the encoder computes their lengths, reserves
// once with Ensure() and writes through a local cursor with the static Put* helpers, committing
// at the end. That path carries most of the bytes of a typical request.
//
// Bytes go straight into the caller's std::string: the string grows geometrically ahead of the
// cursor and Finish() trims it to what was written, so writes do one capacity check per field (or
// per group of fields) instead of one per byte.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "telemetry/utf8.hpp"

namespace hotorder::telemetry::otlp {

enum class WireType : std::uint8_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

constexpr std::uint32_t MakeTag(std::uint32_t field, WireType type) noexcept {
  return (field << 3) | static_cast<std::uint32_t>(type);
}

constexpr std::size_t VarintSize(std::uint64_t value) noexcept {
  // Lengths, tags and counts are nearly always below 2^14: test those before the general formula
  // (7 payload bits per byte; 0 still takes one byte).
  if (value < (1ULL << 7)) return 1;
  if (value < (1ULL << 14)) return 2;
  return static_cast<std::size_t>((std::bit_width(value) + 6) / 7);
}

class ProtobufWriter {
 public:
  static constexpr std::size_t kMaxVarintSize = 10;

  // Clears `out` and writes into it; call Finish() before reading `out`.
  explicit ProtobufWriter(std::string& out) noexcept : out_(out) { out_.clear(); }
  ProtobufWriter(const ProtobufWriter&) = delete;
  ProtobufWriter& operator=(const ProtobufWriter&) = delete;

  // Makes room for about `n` bytes up front, so a small request needs no growth steps. (Growth
  // zero-fills, as std::string::resize must; a rough estimate keeps that close to the output.)
  void SizeHint(std::size_t n) {
    if (out_.size() < n) out_.resize(n);
  }

  // Trims `out` to the bytes written.
  void Finish() noexcept { out_.resize(pos_); }

  std::size_t size() const noexcept { return pos_; }

  // --- fields ---------------------------------------------------------------------------------

  void VarintField(std::uint32_t field, std::uint64_t value) {
    char* p = Ensure(2 * kMaxVarintSize);
    p = PutVarint(p, MakeTag(field, WireType::kVarint));
    p = PutVarint(p, value);
    Commit(p);
  }

  // int64 fields use plain two's-complement varints (10 bytes when negative), not zigzag.
  void Int64Field(std::uint32_t field, std::int64_t value) {
    VarintField(field, static_cast<std::uint64_t>(value));
  }

  void BoolField(std::uint32_t field, bool value) { VarintField(field, value ? 1 : 0); }

  void Fixed64Field(std::uint32_t field, std::uint64_t value) {
    char* p = Ensure(kMaxVarintSize + 8);
    p = PutVarint(p, MakeTag(field, WireType::kFixed64));
    p = PutLittleEndian(p, value, 8);
    Commit(p);
  }

  void Fixed32Field(std::uint32_t field, std::uint32_t value) {
    char* p = Ensure(kMaxVarintSize + 4);
    p = PutVarint(p, MakeTag(field, WireType::kFixed32));
    p = PutLittleEndian(p, value, 4);
    Commit(p);
  }

  void DoubleField(std::uint32_t field, double value) {
    Fixed64Field(field, std::bit_cast<std::uint64_t>(value));
  }

  void BytesField(std::uint32_t field, const void* data, std::size_t size) {
    char* p = RawLengthDelimited(field, size);
    std::memcpy(p, data, size);
  }

  // proto3 `string`: bytes that are not well-formed UTF-8 are replaced with U+FFFD (see
  // utf8.hpp), since one invalid string would make a receiver reject the whole request.
  // The bytes are copied and checked for ASCII in the same pass; only non-ASCII text is validated
  // again, and only invalid text is rewritten.
  void StringField(std::uint32_t field, std::string_view s) {
    char* p = Ensure(2 * kMaxVarintSize + s.size());
    p = PutVarint(p, MakeTag(field, WireType::kLen));
    p = PutVarint(p, s.size());
    if (CopyCheckingAscii(p, s.data(), s.size()) || IsValidUtf8(s)) {
      Commit(p + s.size());
      return;
    }
    const std::size_t bad = FirstInvalidUtf8(s);
    const std::string_view tail = s.substr(bad);
    p = RawLengthDelimited(field, bad + SanitizedUtf8Size(tail));
    std::memcpy(p, s.data(), bad);
    WriteSanitizedUtf8(tail, p + bad);
  }

  // Writes tag and length and returns where the caller must write exactly `size` body bytes.
  char* RawLengthDelimited(std::uint32_t field, std::size_t size) {
    char* p = Ensure(2 * kMaxVarintSize + size);
    p = PutVarint(p, MakeTag(field, WireType::kLen));
    p = PutVarint(p, size);
    Commit(p + size);
    return p;
  }

  // --- nested messages ------------------------------------------------------------------------

  struct Nested {
    std::size_t length_pos;
    std::size_t reserved;
  };

  // Starts a length-delimited field whose body the following calls write. `hint` is how many
  // bytes to reserve for the length varint (1: < 128 bytes, 2: < 16 KiB, 3: < 2 MiB).
  Nested BeginNested(std::uint32_t field, std::size_t hint = 1) {
    char* p = Ensure(kMaxVarintSize + hint);
    p = PutVarint(p, MakeTag(field, WireType::kLen));
    Nested nested{static_cast<std::size_t>(p - out_.data()), hint};
    Commit(p + hint);
    return nested;
  }

  void EndNested(Nested nested) {
    const std::size_t body_pos = nested.length_pos + nested.reserved;
    const std::size_t length = pos_ - body_pos;
    const std::size_t needed = VarintSize(length);
    if (needed != nested.reserved) {
      if (needed > nested.reserved) Ensure(needed - nested.reserved);
      char* base = out_.data();
      std::memmove(base + nested.length_pos + needed, base + body_pos, length);
      pos_ = nested.length_pos + needed + length;
    }
    PutVarint(out_.data() + nested.length_pos, length);
  }

  // --- raw access for hot paths ---------------------------------------------------------------

  // Returns a cursor with at least n writable bytes; Commit(end) then publishes up to `end`.
  [[gnu::always_inline]] char* Ensure(std::size_t n) {
    if (out_.size() - pos_ < n) [[unlikely]] Grow(n);
    return out_.data() + pos_;
  }
  void Commit(char* end) noexcept { pos_ = static_cast<std::size_t>(end - out_.data()); }

  static char* PutVarint(char* p, std::uint64_t value) noexcept {
    while (value >= 0x80) {
      *p++ = static_cast<char>(static_cast<std::uint8_t>(value) | 0x80);
      value >>= 7;
    }
    *p++ = static_cast<char>(value);
    return p;
  }

  // Copies n bytes and reports whether all of them are ASCII. Short strings (keys and most
  // values) are copied with overlapping 8-byte moves instead of a memcpy call, and the moved words
  // are ORed together for the ASCII test, so the text is read once.
  [[gnu::always_inline]] static bool CopyCheckingAscii(char* dst, const char* src,
                                                       std::size_t n) noexcept {
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    std::uint64_t acc = 0;
    if (n >= 8) {
      if (n <= 16) {
        std::uint64_t a;
        std::uint64_t b;
        std::memcpy(&a, src, 8);
        std::memcpy(&b, src + n - 8, 8);
        std::memcpy(dst, &a, 8);
        std::memcpy(dst + n - 8, &b, 8);
        acc = a | b;
      } else if (n <= 32) {
        std::uint64_t a[4];
        std::memcpy(a, src, 16);
        std::memcpy(a + 2, src + n - 16, 16);
        std::memcpy(dst, a, 16);
        std::memcpy(dst + n - 16, a + 2, 16);
        acc = a[0] | a[1] | a[2] | a[3];
      } else {
        std::memcpy(dst, src, n);
        return IsAscii(std::string_view(src, n));
      }
    } else if (n >= 4) {
      std::uint32_t a;
      std::uint32_t b;
      std::memcpy(&a, src, 4);
      std::memcpy(&b, src + n - 4, 4);
      std::memcpy(dst, &a, 4);
      std::memcpy(dst + n - 4, &b, 4);
      acc = a | b;
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        dst[i] = src[i];
        acc |= static_cast<unsigned char>(src[i]);
      }
    }
    return (acc & kHighBits) == 0;
  }

  // Protobuf fixed-width values are little-endian regardless of the host.
  static char* PutLittleEndian(char* p, std::uint64_t value, std::size_t bytes) noexcept {
    if constexpr (std::endian::native == std::endian::little) {
      if (bytes == 8) {
        std::memcpy(p, &value, 8);
        return p + 8;
      }
      if (bytes == 4) {
        const auto low = static_cast<std::uint32_t>(value);
        std::memcpy(p, &low, 4);
        return p + 4;
      }
    }
    for (std::size_t i = 0; i < bytes; ++i) {
      p[i] = static_cast<char>(static_cast<std::uint8_t>(value >> (8 * i)));
    }
    return p + bytes;
  }

 private:
  [[gnu::noinline]] void Grow(std::size_t n) {
    std::size_t target = out_.size() * 2;
    if (target < pos_ + n) target = pos_ + n;
    if (target < 256) target = 256;
    out_.resize(target);
  }

  std::string& out_;
  std::size_t pos_ = 0;
};

}  // namespace hotorder::telemetry::otlp
