#include "admin_access.hpp"

#include "http/http_error.hpp"

namespace hotorder::inventory {
namespace {

// Compares without returning early, so response times do not reveal how much of a guess was right.
bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return difference == 0;
}

}  // namespace

AdminPolicy AdminPolicyFromEnv(const config::EnvReader& env) {
  return {env.String("ADMIN_TOKEN")};
}

bool IsLoopbackAddress(std::string_view address) noexcept {
  if (address.starts_with("::ffff:")) address.remove_prefix(7);
  return address.starts_with("127.") || address == "::1";
}

void CheckAdminAccess(const AdminPolicy& policy, const http::Request& request) {
  if (!policy.token) {
    if (IsLoopbackAddress(request.client_address)) return;
    throw http::HttpError(403, "forbidden",
                          "admin endpoints accept only loopback callers while ADMIN_TOKEN is unset");
  }
  constexpr std::string_view kScheme = "Bearer ";
  auto authorization = request.Header("Authorization");
  if (!authorization.starts_with(kScheme)) {
    throw http::HttpError(401, "unauthorized",
                          "admin endpoints need the header Authorization: Bearer <ADMIN_TOKEN>");
  }
  if (!ConstantTimeEquals(authorization.substr(kScheme.size()), *policy.token)) {
    throw http::HttpError(401, "unauthorized", "wrong admin token");
  }
}

}  // namespace hotorder::inventory
