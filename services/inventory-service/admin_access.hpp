#pragma once
// Who may read and change faults. With ADMIN_TOKEN set, only a request carrying
// `Authorization: Bearer <ADMIN_TOKEN>` (401 otherwise); without one, only callers on this
// machine (403 for any other address), so a workshop stack never lets the room toggle faults by
// accident and a laptop needs no setup.

#include <optional>
#include <string>

#include "config/env.hpp"
#include "http/message.hpp"

namespace hotorder::inventory {

struct AdminPolicy {
  std::optional<std::string> token;  // ADMIN_TOKEN; nullopt: loopback callers only
};

AdminPolicy AdminPolicyFromEnv(const config::EnvReader& env);

// Returns when `request` may use the admin API; throws HttpError 401 "unauthorized" or 403
// "forbidden" otherwise.
void CheckAdminAccess(const AdminPolicy& policy, const http::Request& request);

// 127.0.0.0/8, ::1, and IPv4-mapped 127.x (what a dual-stack listener reports).
bool IsLoopbackAddress(std::string_view address) noexcept;

}  // namespace hotorder::inventory
