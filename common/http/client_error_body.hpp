#pragma once
// Reading the JSON error body HotOrder services answer with, for RaiseForUpstreamStatus and for
// the CLIENT span's status description.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hotorder::http::detail {

struct UpstreamErrorBody {
  std::string code;
  std::string message;
};

// {"error":{"code":"...","message":"..."}} with a snake_case code (at most 64 of [a-z0-9_]) and
// a string message; nullopt for anything else, including invalid JSON. Never throws.
std::optional<UpstreamErrorBody> ParseErrorBody(std::string_view body) noexcept;

// `text` cut to at most `max_bytes` (then "..." is appended) at a UTF-8 character boundary, with
// control characters made spaces and ill-formed UTF-8 replaced by U+FFFD: an upstream's text
// is quoted in our own answers and logs, so it must stay short, printable and valid.
std::string ShortenMessage(std::string_view text, std::size_t max_bytes);

}  // namespace hotorder::http::detail
