#pragma once
// A JSON string literal, appended: RFC 8259 escaping, with ill-formed UTF-8 repaired to U+FFFD
// (utf8.hpp), so the output is always valid UTF-8 JSON whatever bytes came in. Shared by the
// OTLP/JSON encoder and the JSON-lines logger, both of which write text directly because a
// document model (nlohmann::json) costs an allocation per member.

#include <string>
#include <string_view>

namespace hotorder::telemetry {

// Appends `"` + escaped `s` + `"` to `out`.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace hotorder::telemetry
