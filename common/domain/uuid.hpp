#pragma once
// Order and reservation ids: random (version 4) UUIDs in their canonical lowercase text form,
// the form Postgres's uuid type prints, so ids compare equal as text everywhere.

#include <string>
#include <string_view>

namespace hotorder::domain {

std::string NewUuid();
// 8-4-4-4-12 hexadecimal digits, either case.
bool IsUuid(std::string_view text) noexcept;

}  // namespace hotorder::domain
