#include "telemetry/otlp/protobuf_writer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace hotorder::telemetry::otlp {
namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

std::string Varint(std::uint64_t value) {
  std::string out(ProtobufWriter::kMaxVarintSize, '\0');
  char* end = ProtobufWriter::PutVarint(out.data(), value);
  out.resize(static_cast<std::size_t>(end - out.data()));
  return out;
}

TEST(ProtobufWriter, EncodesVarintsPerWireFormat) {
  // Vectors from the protobuf encoding guide: 1 -> 01, 150 -> 96 01, 300 -> ac 02.
  EXPECT_EQ(Varint(0), Bytes({0x00}));
  EXPECT_EQ(Varint(1), Bytes({0x01}));
  EXPECT_EQ(Varint(127), Bytes({0x7f}));
  EXPECT_EQ(Varint(128), Bytes({0x80, 0x01}));
  EXPECT_EQ(Varint(150), Bytes({0x96, 0x01}));
  EXPECT_EQ(Varint(300), Bytes({0xac, 0x02}));
  EXPECT_EQ(Varint(std::numeric_limits<std::uint64_t>::max()),
            Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
}

TEST(ProtobufWriter, VarintSizeMatchesEncodedLength) {
  for (std::uint64_t v : {0ULL, 1ULL, 127ULL, 128ULL, 16383ULL, 16384ULL, 2097151ULL, 2097152ULL,
                          (1ULL << 63) - 1, 1ULL << 63, ~0ULL}) {
    EXPECT_EQ(VarintSize(v), Varint(v).size()) << v;
  }
}

TEST(ProtobufWriter, WritesScalarFieldsWithTags) {
  std::string out;
  ProtobufWriter w(out);
  w.VarintField(1, 150);                           // 08 96 01
  w.Int64Field(3, -1);                             // 18 + ten bytes, two's complement
  w.BoolField(2, true);                            // 10 01
  w.Fixed64Field(7, 0x0102030405060708ULL);        // 39 + little-endian
  w.Fixed32Field(16, 0x00000301);                  // field 16 needs a two-byte tag: 85 01
  w.DoubleField(4, 1.0);                           // 21 + 0x3ff0000000000000 little-endian
  w.StringField(2, "testing");                     // 12 07 "testing"
  w.Finish();
  const std::string expected =
      Bytes({0x08, 0x96, 0x01}) +
      Bytes({0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}) +
      Bytes({0x10, 0x01}) +
      Bytes({0x39, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01}) +
      Bytes({0x85, 0x01, 0x01, 0x03, 0x00, 0x00}) +
      Bytes({0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f}) +
      Bytes({0x12, 0x07}) + "testing";
  EXPECT_EQ(out, expected);
}

// Every combination of reserved length bytes and actual body size must produce the canonical
// (minimal) length varint, whether the body had to move left, right or not at all.
TEST(ProtobufWriter, BackPatchedNestedLengthsAreCanonical) {
  for (std::size_t hint : {1u, 2u, 3u, 5u}) {
    for (std::size_t size : {0u, 1u, 127u, 128u, 300u, 16383u, 16384u, 2097151u, 2097152u}) {
      std::string out;
      ProtobufWriter w(out);
      w.VarintField(1, 7);
      const auto nested = w.BeginNested(2, hint);
      char* p = w.Ensure(size);
      for (std::size_t i = 0; i < size; ++i) p[i] = static_cast<char>('a' + i % 26);
      w.Commit(p + size);
      w.EndNested(nested);
      w.VarintField(3, 9);
      w.Finish();

      std::string body(size, '\0');
      for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<char>('a' + i % 26);
      const std::string expected =
          Bytes({0x08, 0x07, 0x12}) + Varint(size) + body + Bytes({0x18, 0x09});
      ASSERT_EQ(out.size(), expected.size()) << "hint " << hint << " size " << size;
      EXPECT_TRUE(out == expected) << "hint " << hint << " size " << size;
    }
  }
}

TEST(ProtobufWriter, NestedMessagesInsideNestedMessages) {
  std::string out;
  ProtobufWriter w(out);
  const auto outer = w.BeginNested(1, 1);
  const auto inner = w.BeginNested(2, 1);
  w.StringField(1, std::string(200, 'x'));  // inner grows past 127: both lengths move
  w.EndNested(inner);
  w.VarintField(3, 1);
  w.EndNested(outer);
  w.Finish();

  const std::string inner_body = Bytes({0x0a}) + Varint(200) + std::string(200, 'x');
  const std::string outer_body =
      Bytes({0x12}) + Varint(inner_body.size()) + inner_body + Bytes({0x18, 0x01});
  EXPECT_EQ(out, Bytes({0x0a}) + Varint(outer_body.size()) + outer_body);
}

TEST(ProtobufWriter, ReplacesIllFormedUtf8InStringFields) {
  struct Case {
    std::string input;
    std::string expected;
  };
  const std::string fffd = "\xEF\xBF\xBD";
  const std::vector<Case> cases = {
      {"plain ascii", "plain ascii"},
      {"\xE2\x82\xAC \xF0\x9F\x98\x80 \xC3\xA9", "\xE2\x82\xAC \xF0\x9F\x98\x80 \xC3\xA9"},
      {"a\xFF" "b", "a" + fffd + "b"},
      {"\xC0\xAF", fffd + fffd},                   // overlong lead bytes are never valid
      {"\xE2\x82", fffd},                          // truncated 3-byte sequence: one subpart
      {"x\xE2\x82y", "x" + fffd + "y"},
      {"\xF0\x9F\x98", fffd},                      // truncated 4-byte sequence
      {"\xED\xA0\x80", fffd + fffd + fffd},        // surrogate: ED then stray continuations
      {"\xF4\x90\x80\x80", fffd + fffd + fffd + fffd},  // above U+10FFFF
      {"\x80\x80", fffd + fffd},                   // lone continuation bytes
      {"0123456789abcdef\xFE", "0123456789abcdef" + fffd},  // past the 8-byte ASCII fast path
  };
  for (const auto& c : cases) {
    std::string out;
    ProtobufWriter w(out);
    w.StringField(1, c.input);
    w.Finish();
    EXPECT_EQ(out, Bytes({0x0a}) + Varint(c.expected.size()) + c.expected) << c.input;
    EXPECT_TRUE(IsValidUtf8(out.substr(1 + VarintSize(c.expected.size()))));
  }
}

TEST(ProtobufWriter, ClearsAndTrimsAReusedBuffer) {
  std::string out(1000, 'z');
  ProtobufWriter w(out);
  EXPECT_TRUE(out.empty());
  w.VarintField(1, 1);
  w.Finish();
  EXPECT_EQ(out, Bytes({0x08, 0x01}));
  EXPECT_EQ(w.size(), 2u);
}

}  // namespace
}  // namespace hotorder::telemetry::otlp
