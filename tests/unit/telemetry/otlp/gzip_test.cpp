#include "telemetry/otlp/gzip.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <random>
#include <string>

namespace hotorder::telemetry::otlp {
namespace {

// zlib's own inflate, set up independently of the code under test.
std::string Inflate(const std::string& gz) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 16 + MAX_WBITS), Z_OK);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

std::string RandomBytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

TEST(Gzip, CompressesToAGzipMember) {
  std::string input;
  for (int i = 0; i < 1000; ++i) input += "span name repeated to compress well ";
  std::string gz;
  ASSERT_TRUE(GzipCompress(input, gz));
  ASSERT_GE(gz.size(), 18u);
  // RFC 1952: ID1 ID2 CM(8 = deflate).
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_EQ(gz[2], 8);
  EXPECT_LT(gz.size(), input.size() / 10);
  EXPECT_EQ(Inflate(gz), input);
}

TEST(Gzip, TheGzipToolReadsIt) {
  std::string input = "hello OTLP\n" + RandomBytes(5000, 1);
  std::string gz;
  ASSERT_TRUE(GzipCompress(input, gz));
  char path[] = "/tmp/hotorder_gzip_test_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  FILE* f = fdopen(fd, "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(gz.data(), 1, gz.size(), f), gz.size());
  std::fclose(f);
  std::string command = std::string("gzip -dc < ") + path;
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(pipe), 0);
  std::remove(path);
  EXPECT_EQ(out, input);
}

TEST(Gzip, RoundTripsEmptySmallAndIncompressibleInput) {
  for (const std::string& input :
       {std::string(), std::string("x"), RandomBytes(300000, 7), std::string(1 << 20, 'a')}) {
    std::string gz, back;
    ASSERT_TRUE(GzipCompress(input, gz));
    ASSERT_TRUE(GzipDecompress(gz, back));
    EXPECT_EQ(back, input);
  }
}

TEST(Gzip, ReusedBuffersAreReplacedNotAppended) {
  std::string gz = "old contents";
  std::string back = "old contents";
  ASSERT_TRUE(GzipCompress("abc", gz));
  ASSERT_TRUE(GzipDecompress(gz, back));
  EXPECT_EQ(back, "abc");
}

TEST(Gzip, DecompressesConcatenatedMembers) {
  std::string a, b, back;
  ASSERT_TRUE(GzipCompress("first ", a));
  ASSERT_TRUE(GzipCompress("second", b));
  ASSERT_TRUE(GzipDecompress(a + b, back));
  EXPECT_EQ(back, "first second");
}

TEST(Gzip, RejectsInvalidOrTruncatedInput) {
  std::string gz, back = "x";
  ASSERT_TRUE(GzipCompress(RandomBytes(1000, 3), gz));
  EXPECT_FALSE(GzipDecompress(gz.substr(0, gz.size() - 4), back));
  EXPECT_TRUE(back.empty());
  EXPECT_FALSE(GzipDecompress("not gzip at all", back));
  EXPECT_FALSE(GzipDecompress("", back));
  std::string corrupt = gz;
  corrupt[corrupt.size() - 6] ^= 0x55;  // breaks the CRC-32 trailer
  EXPECT_FALSE(GzipDecompress(corrupt, back));
  EXPECT_FALSE(GzipDecompress(gz + "trailing junk", back));
}

TEST(Gzip, DecompressionIsBoundedByMaxOutput) {
  std::string input(100000, 'z');
  std::string gz, back;
  ASSERT_TRUE(GzipCompress(input, gz));
  EXPECT_FALSE(GzipDecompress(gz, back, 99999));
  EXPECT_TRUE(back.empty());
  EXPECT_TRUE(GzipDecompress(gz, back, 100000));  // exactly the limit is fine
  EXPECT_EQ(back.size(), 100000u);
}

}  // namespace
}  // namespace hotorder::telemetry::otlp
