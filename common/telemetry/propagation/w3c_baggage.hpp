#pragma once
// W3C Baggage `baggage` header: parsing, formatting and the propagator.
//
// Reading: members are split on ',' (several headers are joined first, as RFC 9110 combines
// them); OWS around keys, values and '=' is dropped; keys must be RFC 7230 tokens; values must
// be baggage-octets or %XX escapes and are percent-decoded (decoded bytes that are not UTF-8
// become U+FFFD, as the spec requires); properties after the first ';' must follow the property
// grammar and are kept verbatim as metadata. A member breaking any rule (including a malformed
// %-escape) is skipped, the rest are kept. A repeated key keeps its first position and takes
// the last value. Members past the limits (64 members, 8192 bytes counted over the kept
// members and the commas between them) are ignored.
//
// Writing: values are percent-encoded (anything outside baggage-octet, and '%'); metadata is
// written verbatim after ';' unless it is not valid property syntax, in which case it is left
// off rather than corrupt the header. Members that would take the header past 64 members or
// 8192 bytes are dropped whole; later members that still fit are kept.

#include <string>
#include <string_view>
#include <vector>

#include "telemetry/baggage.hpp"
#include "telemetry/propagation/text_map.hpp"

namespace hotorder::telemetry {

inline constexpr std::string_view kBaggageHeader = "baggage";

// RFC 7230 section 3.2.6 token: the W3C Baggage key (and property key) grammar.
bool IsBaggageToken(std::string_view s) noexcept;

Baggage ParseBaggageHeader(std::string_view header) noexcept;
std::string FormatBaggageHeader(const Baggage& baggage);

class BaggagePropagator final : public TextMapPropagator {
 public:
  // Found baggage replaces context.baggage; no header, or no valid member, leaves it as it was.
  Context Extract(const TextMapReader& carrier, Context context) const noexcept override;
  // Writes nothing for empty baggage (or when no member fits the limits).
  void Inject(const Context& context, TextMapWriter& carrier) const noexcept override;
  std::vector<std::string> Fields() const override;
};

}  // namespace hotorder::telemetry
