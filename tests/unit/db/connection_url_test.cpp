#include "db/connection_url.hpp"

#include <gtest/gtest.h>

namespace hotorder::db {
namespace {

using namespace std::chrono_literals;

TEST(ParseConnectionFacts, ReadsAUri) {
  const auto facts = ParseConnectionFacts("postgresql://hotorder@127.0.0.1:55432/hotorder");
  EXPECT_EQ(facts.host, "127.0.0.1");
  EXPECT_EQ(facts.port, 55432);
  EXPECT_EQ(facts.user, "hotorder");
  EXPECT_EQ(facts.database, "hotorder");
}

TEST(ParseConnectionFacts, UsesLibpqDefaultsForMissingParts) {
  const auto facts = ParseConnectionFacts("postgres://svc:secret@db.internal");
  EXPECT_EQ(facts.host, "db.internal");
  EXPECT_EQ(facts.port, 5432);
  EXPECT_EQ(facts.user, "svc");
  EXPECT_EQ(facts.database, "svc");  // the database defaults to the user name
  EXPECT_EQ(ParseConnectionFacts("postgresql:///orders").host, "localhost");
}

TEST(ParseConnectionFacts, ReadsIpv6PercentEncodingAndQueryParameters) {
  auto facts = ParseConnectionFacts("postgresql://[::1]:6000/my%20db?connect_timeout=3");
  EXPECT_EQ(facts.host, "::1");
  EXPECT_EQ(facts.port, 6000);
  EXPECT_EQ(facts.database, "my db");
  facts = ParseConnectionFacts("postgresql:///x?host=%2Fvar%2Frun&port=7000&dbname=inventory");
  EXPECT_EQ(facts.host, "/var/run");
  EXPECT_EQ(facts.port, 7000);
  EXPECT_EQ(facts.database, "inventory");
}

TEST(ParseConnectionFacts, NamesTheFirstOfSeveralHosts) {
  const auto facts = ParseConnectionFacts("postgresql://a:5433,b:5434/db");
  EXPECT_EQ(facts.host, "a");
  EXPECT_EQ(facts.port, 5433);
}

TEST(ParseConnectionFacts, ReadsKeywordValueStrings) {
  const auto facts =
      ParseConnectionFacts("host=db port = 5544 user=svc dbname='order db' password='it''s'");
  EXPECT_EQ(facts.host, "db");
  EXPECT_EQ(facts.port, 5544);
  EXPECT_EQ(facts.user, "svc");
  EXPECT_EQ(facts.database, "order db");
}

TEST(ParseConnectionFacts, IgnoresAnInvalidPort) {
  EXPECT_EQ(ParseConnectionFacts("postgresql://h:notaport/db").port, 5432);
  EXPECT_EQ(ParseConnectionFacts("host=h port=99999").port, 5432);
}

TEST(WithConnectTimeout, AppendsWholeSecondsInTheStringsOwnSyntax) {
  EXPECT_EQ(WithConnectTimeout("postgresql://h/db", 2000ms), "postgresql://h/db?connect_timeout=2");
  EXPECT_EQ(WithConnectTimeout("postgresql://h/db?sslmode=disable", 1500ms),
            "postgresql://h/db?sslmode=disable&connect_timeout=2");
  EXPECT_EQ(WithConnectTimeout("host=h dbname=db", 0ms), "host=h dbname=db connect_timeout=1");
}

}  // namespace
}  // namespace hotorder::db
