#include "domain/uuid.hpp"

#include <gtest/gtest.h>

#include <set>

namespace hotorder::domain {
namespace {

TEST(NewUuid, IsAVersionFourUuidAndDiffersEachTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = NewUuid();
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(IsUuid, AcceptsOnlyTheCanonicalShape) {
  EXPECT_TRUE(IsUuid("0b7c5a52-1f1e-4c1a-9d53-6f1c2b3a4d5e"));
  EXPECT_TRUE(IsUuid("0B7C5A52-1F1E-4C1A-9D53-6F1C2B3A4D5E"));
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("0b7c5a521f1e4c1a9d536f1c2b3a4d5e"));
  EXPECT_FALSE(IsUuid("0b7c5a52-1f1e-4c1a-9d53-6f1c2b3a4d5g"));
  EXPECT_FALSE(IsUuid("0b7c5a52-1f1e-4c1a-9d536-f1c2b3a4d5e"));
  EXPECT_FALSE(IsUuid("'; DROP TABLE orders; --"));
}

}  // namespace
}  // namespace hotorder::domain
