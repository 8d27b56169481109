#pragma once
// UTF-8 validation and repair, for OTLP string fields and decoded baggage values. Protobuf `string` fields MUST hold valid
// UTF-8 (proto3; receivers such as the Collector reject the whole request otherwise) and the
// OpenTelemetry spec says attribute strings MUST be valid Unicode, but instrumentation may still
// capture arbitrary bytes (header values, SQL). Encoders therefore repair rather than fail: each
// ill-formed subsequence becomes U+FFFD, using Unicode's "substitution of maximal subparts"
// practice (Unicode Standard ch. 3.9), so the result is the same as most decoders would show.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace hotorder::telemetry {

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Looks at the sequence starting at p[0] (n >= 1 bytes available). Returns the length of a
// well-formed sequence (1..4) or 0 when ill-formed; then *bad is the length of the maximal subpart
// (the longest prefix of some well-formed sequence, at least 1 byte) that one U+FFFD replaces.
// Well-formed sequences per Unicode Table 3-7.
inline std::size_t Utf8SequenceLength(const unsigned char* p, std::size_t n,
                                      std::size_t* bad) noexcept {
  const unsigned char lead = p[0];
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char second_lo = 0x80;
  unsigned char second_hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_lo = 0xA0;  // no overlong 3-byte forms
    if (lead == 0xED) second_hi = 0x9F;  // no UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_lo = 0x90;  // no overlong 4-byte forms
    if (lead == 0xF4) second_hi = 0x8F;  // nothing above U+10FFFF
  } else {
    *bad = 1;  // continuation byte without lead, C0, C1, F5..FF
    return 0;
  }
  std::size_t i = 1;
  for (; i < length; ++i) {
    if (i >= n) break;
    const unsigned char lo = i == 1 ? second_lo : 0x80;
    const unsigned char hi = i == 1 ? second_hi : 0xBF;
    if (p[i] < lo || p[i] > hi) break;
  }
  if (i == length) return length;
  *bad = i;
  return 0;
}

// Index of the first byte that is not part of a well-formed sequence, or s.size().
inline std::size_t FirstInvalidUtf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // Almost every string we export is ASCII: test eight bytes per step for a high bit.
    if (n - i >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    std::size_t bad = 0;
    const std::size_t len = Utf8SequenceLength(p + i, n - i, &bad);
    if (len == 0) return i;
    i += len;
  }
  return n;
}

// True when no byte has its high bit set. Branch-light: ORs the string together a word at a time
// (the last word overlapping the previous one) and tests once, since nearly all input is ASCII.
inline bool IsAscii(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t acc = 0;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      acc |= word;
    }
    std::uint64_t tail;
    std::memcpy(&tail, p + n - 8, 8);
    acc |= tail;
  } else if (n >= 4) {
    std::uint32_t head;
    std::uint32_t tail;
    std::memcpy(&head, p, 4);
    std::memcpy(&tail, p + n - 4, 4);
    acc = head | tail;
  } else {
    for (std::size_t i = 0; i < n; ++i) acc |= static_cast<unsigned char>(p[i]);
  }
  return (acc & 0x8080808080808080ULL) == 0;
}

inline bool IsValidUtf8(std::string_view s) noexcept {
  return IsAscii(s) || FirstInvalidUtf8(s) == s.size();
}

// Calls on_valid(string_view) for each well-formed run and on_invalid() once per maximal subpart
// to be replaced, in order.
template <typename OnValid, typename OnInvalid>
void ForEachUtf8Piece(std::string_view s, OnValid&& on_valid, OnInvalid&& on_invalid) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t run_start = 0;
  std::size_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    std::size_t bad = 0;
    const std::size_t len = Utf8SequenceLength(p + i, n - i, &bad);
    if (len != 0) {
      i += len;
      continue;
    }
    if (i > run_start) on_valid(s.substr(run_start, i - run_start));
    on_invalid();
    i += bad;
    run_start = i;
  }
  if (n > run_start) on_valid(s.substr(run_start));
}

// Byte length of s after replacing every ill-formed subsequence with U+FFFD.
inline std::size_t SanitizedUtf8Size(std::string_view s) noexcept {
  std::size_t size = 0;
  ForEachUtf8Piece(
      s, [&](std::string_view run) noexcept { size += run.size(); },
      [&]() noexcept { size += kReplacementCharacter.size(); });
  return size;
}

// Writes the repaired form of s (SanitizedUtf8Size(s) bytes) to out; returns the end.
inline char* WriteSanitizedUtf8(std::string_view s, char* out) noexcept {
  ForEachUtf8Piece(
      s,
      [&](std::string_view run) noexcept {
        std::memcpy(out, run.data(), run.size());
        out += run.size();
      },
      [&]() noexcept {
        std::memcpy(out, kReplacementCharacter.data(), kReplacementCharacter.size());
        out += kReplacementCharacter.size();
      });
  return out;
}

}  // namespace hotorder::telemetry
