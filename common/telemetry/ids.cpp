#include "telemetry/ids.hpp"

#include <cstring>
#include <random>

namespace hotorder::telemetry {
namespace {

// xoshiro256** (Blackman & Vigna): fast, 256-bit state, good statistical quality. Not
// cryptographic, which trace ids do not need to be.
class Xoshiro256 {
 public:
  Xoshiro256() noexcept {
    std::uint64_t seed = 0;
    try {
      std::random_device device;
      seed = (std::uint64_t{device()} << 32) ^ device();
    } catch (...) {
      seed = reinterpret_cast<std::uintptr_t>(this) ^ 0x9e3779b97f4a7c15ULL;
    }
    // SplitMix64 spreads one seed over the whole state, as the authors recommend.
    for (auto& word : state_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  std::uint64_t Next() noexcept {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

Xoshiro256& ThreadRandom() noexcept {
  thread_local Xoshiro256 random;
  return random;
}

// Draws until non-zero: the chance of a zero draw is 2^-64, but the rule is absolute.
std::uint64_t NonZero() noexcept {
  std::uint64_t value = 0;
  while (value == 0) value = ThreadRandom().Next();
  return value;
}

}  // namespace

TraceId RandomIdGenerator::NewTraceId() noexcept {
  std::array<std::uint8_t, 16> bytes;
  const std::uint64_t high = ThreadRandom().Next();
  const std::uint64_t low = NonZero();
  std::memcpy(bytes.data(), &high, 8);
  std::memcpy(bytes.data() + 8, &low, 8);
  return TraceId(bytes);
}

SpanId RandomIdGenerator::NewSpanId() noexcept {
  std::array<std::uint8_t, 8> bytes;
  const std::uint64_t value = NonZero();
  std::memcpy(bytes.data(), &value, 8);
  return SpanId(bytes);
}

}  // namespace hotorder::telemetry
