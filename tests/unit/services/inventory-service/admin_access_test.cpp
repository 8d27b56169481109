#include "inventory-service/admin_access.hpp"

#include <gtest/gtest.h>

namespace hotorder::inventory {
namespace {

TEST(IsLoopbackAddress, KnowsLoopbackInEveryForm) {
  for (const char* address : {"127.0.0.1", "127.10.0.3", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
  for (const char* address : {"10.0.0.1", "192.168.1.127", "::ffff:10.0.0.1", "fe80::1", "",
                              "1127.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

TEST(AdminPolicyFromEnv, TokenComesFromAdminToken) {
  EXPECT_FALSE(AdminPolicyFromEnv(config::EnvReader(config::FixedEnv({}))).token);
  EXPECT_EQ(AdminPolicyFromEnv(config::EnvReader(config::FixedEnv({{"ADMIN_TOKEN", "t"}}))).token,
            "t");
}

TEST(CheckAdminAccess, ATokenPrefixIsNotTheToken) {
  http::Request request;
  request.client_address = "127.0.0.1";
  request.headers.Add("Authorization", "Bearer s3c");
  EXPECT_THROW(CheckAdminAccess({"s3cret"}, request), std::exception);
  http::Request longer;
  longer.headers.Add("Authorization", "Bearer s3cret-and-more");
  EXPECT_THROW(CheckAdminAccess({"s3cret"}, longer), std::exception);
}

}  // namespace
}  // namespace hotorder::inventory
