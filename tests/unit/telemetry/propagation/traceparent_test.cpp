// ParseTraceparent / FormatTraceparent against the W3C Trace Context Level 2 rules. The cases
// come from the spec's "traceparent Header Field Values" and "Versioning of traceparent"
// sections and from the W3C test suite (test/test.py, test_traceparent_*).

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "telemetry/propagation/w3c_trace_context.hpp"

namespace hotorder::test {
long AllocationCount() noexcept;  // allocation_counter.cpp
}  // namespace hotorder::test

namespace hotorder::telemetry {
namespace {

constexpr char kTraceIdHex[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpanIdHex[] = "00f067aa0ba902b7";

std::string Header(std::string_view version, std::string_view flags,
                   std::string_view trace = kTraceIdHex, std::string_view span = kSpanIdHex) {
  return std::string(version) + "-" + std::string(trace) + "-" + std::string(span) + "-" +
         std::string(flags);
}

struct ValidCase {
  const char* name;
  std::string header;
  std::uint8_t flags;  // after dropping the bits Level 2 does not define
};

std::vector<ValidCase> ValidCases() {
  const std::string base = Header("00", "01");
  return {
      {"Sampled", base, 0x01},
      {"NotSampled", Header("00", "00"), 0x00},
      {"RandomFlag", Header("00", "02"), 0x02},
      {"SampledAndRandom", Header("00", "03"), 0x03},
      {"UnknownFlagBitsDropped", Header("00", "ff"), 0x03},
      {"OnlyUnknownFlagBits", Header("00", "fc"), 0x00},
      {"ReservedBit4Dropped", Header("00", "05"), 0x01},
      {"FutureVersionExact55", Header("cc", "01"), 0x01},
      {"FutureVersionWithTrailingFields", Header("cc", "01") + "-what-the-future-will-be-like",
       0x01},
      {"FutureVersionWithTrailingDash", Header("01", "01") + "-", 0x01},
      {"FutureVersionFe", Header("fe", "00"), 0x00},
      {"FutureVersionFlagsKeepRandom", Header("01", "03") + "-xyz", 0x03},
      {"LeadingSpace", " " + base, 0x01},
      {"LeadingTab", "\t" + base, 0x01},
      {"TrailingSpace", base + " ", 0x01},
      {"TrailingTab", base + "\t", 0x01},
      {"OwsBothSides", "\t " + base + " \t", 0x01},
      {"FutureVersionOwsAroundTrailingData", "  " + Header("cc", "01") + "-more  ", 0x01},
      {"W3cSuiteIds", "00-12345678901234567890123456789012-1234567890123456-01", 0x01},
      {"TraceIdHighHalfZero", Header("00", "01", "0000000000000000a3ce929d0e0e4736"), 0x01},
      {"TraceIdLowestBit",
       Header("00", "01", "00000000000000000000000000000001", "0000000000000001"), 0x01},
  };
}

class TraceparentValid : public testing::TestWithParam<ValidCase> {};

TEST_P(TraceparentValid, Parses) {
  const ValidCase& c = GetParam();
  const std::optional<SpanContext> parsed = ParseTraceparent(c.header);
  ASSERT_TRUE(parsed.has_value()) << "header: [" << c.header << "]";
  EXPECT_TRUE(parsed->IsValid());
  EXPECT_TRUE(parsed->IsRemote());
  EXPECT_EQ(parsed->flags(), c.flags);
  EXPECT_TRUE(parsed->trace_state().empty());
  // Every valid case is re-emitted as version 00 with the same ids (W3C: "downgrade the version").
  const std::string formatted = FormatTraceparent(*parsed);
  ASSERT_EQ(formatted.size(), kTraceparentSize);
  EXPECT_EQ(formatted.substr(0, 3), "00-");
  std::string_view trimmed = c.header;
  while (trimmed.front() == ' ' || trimmed.front() == '\t') trimmed.remove_prefix(1);
  EXPECT_EQ(formatted.substr(2, 50), trimmed.substr(2, 50));  // "-trace-span-"
}

INSTANTIATE_TEST_SUITE_P(W3c, TraceparentValid, testing::ValuesIn(ValidCases()),
                         [](const auto& info) { return std::string(info.param.name); });

struct InvalidCase {
  const char* name;
  std::string header;
};

std::vector<InvalidCase> InvalidCases() {
  const std::string base = Header("00", "01");
  const std::string trace = kTraceIdHex;
  std::string nul_inside = base;
  nul_inside[40] = '\0';
  return {
      {"Empty", ""},
      {"OnlyWhitespace", " \t "},
      {"VersionFf", Header("ff", "01")},
      {"VersionUppercase", Header("0A", "01")},
      {"VersionUppercaseFuture", Header("CC", "01")},
      {"VersionIllegalCharFirst", Header(".0", "01")},
      {"VersionIllegalCharSecond", Header("0.", "01")},
      {"VersionNonHex", Header("0g", "01")},
      {"VersionTooLong3", Header("000", "01")},
      {"VersionTooLong4", Header("0000", "01")},
      {"VersionTooShort", Header("0", "01")},
      {"TraceIdAllZero", Header("00", "01", "00000000000000000000000000000000")},
      {"ParentIdAllZero", Header("00", "01", kTraceIdHex, "0000000000000000")},
      {"BothIdsZero", Header("00", "01", "00000000000000000000000000000000", "0000000000000000")},
      {"FutureVersionTraceIdAllZero", Header("cc", "01", "00000000000000000000000000000000")},
      {"TraceIdUppercase", Header("00", "01", "4BF92F3577B34DA6A3CE929D0E0E4736")},
      {"TraceIdOneUppercase", Header("00", "01", "4bf92f3577b34da6a3ce929d0e0e473A")},
      {"ParentIdUppercase", Header("00", "01", kTraceIdHex, "00F067AA0BA902B7")},
      {"FlagsUppercase", Header("00", "0A")},
      {"FutureVersionUppercaseTraceId", Header("cc", "01", "4BF92F3577B34DA6A3CE929D0E0E4736")},
      {"TraceIdIllegalCharFirst", Header("00", "01", ".2345678901234567890123456789012")},
      {"TraceIdIllegalCharLast", Header("00", "01", "1234567890123456789012345678901.")},
      {"TraceIdNonHexG", Header("00", "01", "4bf92f3577b34da6a3ce929d0e0e473g")},
      {"TraceIdTooLong", Header("00", "01", "123456789012345678901234567890123")},
      {"TraceIdTooShort", Header("00", "01", "1234567890123456789012345678901")},
      {"ParentIdIllegalCharFirst", Header("00", "01", kTraceIdHex, ".234567890123456")},
      {"ParentIdIllegalCharLast", Header("00", "01", kTraceIdHex, "123456789012345.")},
      {"ParentIdTooLong", Header("00", "01", kTraceIdHex, "12345678901234567")},
      {"ParentIdTooShort", Header("00", "01", kTraceIdHex, "123456789012345")},
      {"FlagsIllegalCharFirst", Header("00", ".0")},
      {"FlagsIllegalCharSecond", Header("00", "0.")},
      {"FlagsNonHex", Header("00", "0z")},
      {"FlagsTooLong", Header("00", "001")},
      {"FlagsTooShort", Header("00", "1")},
      {"FlagsMissing", Header("00", "")},
      {"Version00TrailingDot", base + "."},
      {"Version00TrailingFields", base + "-what-the-future-will-be-like"},
      {"Version00TrailingDash", base + "-"},
      {"Version00TrailingChar", base + "0"},
      {"FutureVersionTrailingDot", Header("cc", "01") + ".what-the-future-will-be-like"},
      {"FutureVersionTrailingChar", Header("cc", "01") + "x"},
      {"FutureVersionTooShort", Header("cc", "1")},
      {"FutureVersionFlagsNonHex", Header("cc", "0x") + "-abc"},
      {"SeparatorUnderscoreAfterVersion", "00_" + trace + "-" + kSpanIdHex + "-01"},
      {"SeparatorUnderscoreAfterTraceId", "00-" + trace + "_" + kSpanIdHex + "-01"},
      {"SeparatorUnderscoreAfterParentId", "00-" + trace + "-" + kSpanIdHex + "_01"},
      {"SeparatorSpaces", "00 " + std::string(kTraceIdHex) + " " + kSpanIdHex + " 01"},
      {"NoSeparators", "00" + std::string(kTraceIdHex) + kSpanIdHex + "01---"},
      {"SpaceInsideField", "00- " + std::string(kTraceIdHex).substr(1) + "-" + kSpanIdHex + "-01"},
      {"NewlineIsNotOws", "\n" + base},
      {"TrailingCrLfIsNotOws", base + "\r\n"},
      {"TwoHeadersCombinedByProxy", base + "," + base},
      {"NulByteInside", nul_inside},
      {"NonAscii", "00-4bf92f3577b34da6a3ce929d0e0e47\xc3\xa9-00f067aa0ba902b7-01"},
  };
}

class TraceparentInvalid : public testing::TestWithParam<InvalidCase> {};

TEST_P(TraceparentInvalid, IsRejected) {
  EXPECT_FALSE(ParseTraceparent(GetParam().header).has_value())
      << "header: [" << GetParam().header << "]";
}

INSTANTIATE_TEST_SUITE_P(W3c, TraceparentInvalid, testing::ValuesIn(InvalidCases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Traceparent, ParsesFieldsOfSpecExample) {
  const auto parsed = ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->trace_id().ToHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(parsed->span_id().ToHex(), "00f067aa0ba902b7");
  EXPECT_EQ(parsed->trace_id().Bytes()[0], 0x4b);
  EXPECT_EQ(parsed->span_id().Bytes()[7], 0xb7);
  EXPECT_TRUE(parsed->IsSampled());
}

TEST(Traceparent, FormatWritesExactly55CharsAndNothingMore) {
  const SpanContext context(*TraceId::FromHex(kTraceIdHex), *SpanId::FromHex(kSpanIdHex),
                            TraceFlags::kSampled | TraceFlags::kRandom, false);
  char buffer[kTraceparentSize + 8];
  std::fill(std::begin(buffer), std::end(buffer), '#');
  FormatTraceparent(context, buffer);
  EXPECT_EQ(std::string_view(buffer, kTraceparentSize),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03");
  for (std::size_t i = kTraceparentSize; i < sizeof(buffer); ++i) EXPECT_EQ(buffer[i], '#');
}

TEST(Traceparent, FormatClearsUndefinedFlagBits) {
  // W3C "Other Flags": vendors MUST set them to zero.
  const SpanContext context(*TraceId::FromHex(kTraceIdHex), *SpanId::FromHex(kSpanIdHex), 0xFD,
                            false);
  EXPECT_EQ(FormatTraceparent(context), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
}

TEST(Traceparent, RoundTripsThroughFormat) {
  for (std::uint8_t flags : {0x00, 0x01, 0x02, 0x03}) {
    const SpanContext context(*TraceId::FromHex("0af7651916cd43dd8448eb211c80319c"),
                              *SpanId::FromHex("b7ad6b7169203331"), flags, false);
    const auto parsed = ParseTraceparent(FormatTraceparent(context));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->trace_id(), context.trace_id());
    EXPECT_EQ(parsed->span_id(), context.span_id());
    EXPECT_EQ(parsed->flags(), flags);
  }
}

TEST(Traceparent, EveryByteValueInEveryIdPosition) {
  // The id fields are decoded 16 digits at a time; check each position against each byte.
  const std::string base = Header("00", "01");
  auto is_lower_hex = [](int c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  int mismatches = 0;
  for (std::size_t pos = 3; pos < 52; ++pos) {
    if (pos == 35) continue;  // the separator
    for (int c = 0; c < 256; ++c) {
      std::string header = base;
      header[pos] = static_cast<char>(c);
      const auto parsed = ParseTraceparent(header);
      if (parsed.has_value() != is_lower_hex(c)) ++mismatches;
      if (parsed && FormatTraceparent(*parsed) != header) ++mismatches;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(Traceparent, FormatMatchesIdToHexForManyIds) {
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int i = 0; i < 1000; ++i) {
    std::array<std::uint8_t, 16> trace{};
    std::array<std::uint8_t, 8> span{};
    for (auto& b : trace) b = static_cast<std::uint8_t>(next());
    for (auto& b : span) b = static_cast<std::uint8_t>(next());
    span[0] |= 1;  // never all zero
    trace[0] |= 1;
    const SpanContext context{TraceId(trace), SpanId(span), 1, false};
    const std::string formatted = FormatTraceparent(context);
    ASSERT_EQ(formatted, "00-" + TraceId(trace).ToHex() + "-" + SpanId(span).ToHex() + "-01");
    const auto parsed = ParseTraceparent(formatted);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->trace_id(), TraceId(trace));
    EXPECT_EQ(parsed->span_id(), SpanId(span));
  }
}

TEST(Traceparent, ParseIsNoexceptAndAllocatesNothing) {
  static_assert(noexcept(ParseTraceparent(std::string_view())));
  static_assert(noexcept(FormatTraceparent(SpanContext(), static_cast<char*>(nullptr))));
  const std::string valid = Header("00", "01");
  const std::string future = Header("cc", "01") + "-extra";
  const std::string invalid = Header("00", "0.");
  char out[kTraceparentSize];
  int accepted = 0;
  const long before = test::AllocationCount();
  for (int i = 0; i < 100; ++i) {
    if (auto parsed = ParseTraceparent(valid)) {
      ++accepted;
      FormatTraceparent(*parsed, out);
    }
    accepted += ParseTraceparent(future).has_value() ? 1 : 0;
    accepted += ParseTraceparent(invalid).has_value() ? 1 : 0;
  }
  const long after = test::AllocationCount();
  EXPECT_EQ(accepted, 200);
  EXPECT_EQ(after - before, 0);
}

}  // namespace
}  // namespace hotorder::telemetry
