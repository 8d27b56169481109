#pragma once
// The `key1=value1,key2=value2` lists of OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS:
// whitespace around keys and values is trimmed and values are percent-decoded (the spec points at
// the W3C Baggage format for both).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hotorder::telemetry {

// Decodes %XX escapes; nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text);

// nullopt when any member is malformed (no '=', empty key, bad escape): the spec asks for the
// whole value to be discarded then, not a guess at which part was meant.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseKeyValueList(
    std::string_view text);

}  // namespace hotorder::telemetry
