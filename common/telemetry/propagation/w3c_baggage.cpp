#include "telemetry/propagation/w3c_baggage.hpp"

#include <algorithm>
#include <optional>

#include "telemetry/utf8.hpp"

namespace hotorder::telemetry {
namespace {

constexpr bool IsOws(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view TrimOws(std::string_view s) noexcept {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

// baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E: printable ASCII without
// space, DQUOTE, ',', ';' and '\'.
constexpr bool IsBaggageOctet(char ch) noexcept {
  const auto c = static_cast<unsigned char>(ch);
  return c >= 0x21 && c <= 0x7E && c != '"' && c != ',' && c != ';' && c != '\\';
}

constexpr int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes a header value made of baggage-octets. nullopt for a character outside
// baggage-octet or a '%' not followed by two hex digits (RFC 3986 section 2.1).
std::optional<std::string> DecodeValue(std::string_view raw) {
  bool needs_utf8_check = false;
  std::string bytes;
  bytes.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (!IsBaggageOctet(c)) return std::nullopt;
    if (c != '%') {
      bytes += c;
      continue;
    }
    if (i + 2 >= raw.size()) return std::nullopt;
    const int hi = HexValue(raw[i + 1]);
    const int lo = HexValue(raw[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    const auto byte = static_cast<unsigned char>((hi << 4) | lo);
    needs_utf8_check = needs_utf8_check || byte >= 0x80;
    bytes += static_cast<char>(byte);
    i += 2;
  }
  if (!needs_utf8_check) return bytes;
  // W3C Baggage: decoded octets that are not UTF-8 MUST become U+FFFD.
  std::string checked(SanitizedUtf8Size(bytes), '\0');
  WriteSanitizedUtf8(bytes, checked.data());
  return checked;
}

// property = key OWS "=" OWS value / key OWS, separated by OWS ";" OWS.
bool IsValidProperties(std::string_view properties) noexcept {
  while (true) {
    const std::size_t semi = properties.find(';');
    const std::string_view property = TrimOws(properties.substr(0, semi));
    const std::size_t eq = property.find('=');
    if (!IsBaggageToken(TrimOws(property.substr(0, eq)))) return false;
    if (eq != std::string_view::npos) {
      const std::string_view value = TrimOws(property.substr(eq + 1));
      if (!std::all_of(value.begin(), value.end(), IsBaggageOctet)) return false;
    }
    if (semi == std::string_view::npos) return true;
    properties.remove_prefix(semi + 1);
  }
}

std::optional<BaggageEntry> ParseMember(std::string_view member) {
  const std::size_t eq = member.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  const std::string_view key = TrimOws(member.substr(0, eq));
  if (!IsBaggageToken(key)) return std::nullopt;
  const std::string_view rest = member.substr(eq + 1);
  const std::size_t semi = rest.find(';');
  std::optional<std::string> value = DecodeValue(TrimOws(rest.substr(0, semi)));
  if (!value) return std::nullopt;
  std::string_view metadata;
  if (semi != std::string_view::npos) {
    metadata = TrimOws(rest.substr(semi + 1));
    if (!IsValidProperties(metadata)) return std::nullopt;
  }
  return BaggageEntry{std::string(key), std::move(*value), std::string(metadata)};
}

void AppendEncodedValue(std::string_view value, std::string& out) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (const char c : value) {
    if (IsBaggageOctet(c) && c != '%') {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kDigits[byte >> 4];
      out += kDigits[byte & 0x0F];
    }
  }
}

}  // namespace

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" /
//         "~" / DIGIT / ALPHA
bool IsBaggageToken(std::string_view s) noexcept {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

Baggage ParseBaggageHeader(std::string_view header) noexcept {
  Baggage baggage;
  try {
    std::size_t members = 0;
    std::size_t bytes = 0;
    while (true) {
      const std::size_t comma = header.find(',');
      const std::string_view member = TrimOws(header.substr(0, comma));
      if (!member.empty()) {
        if (auto entry = ParseMember(member)) {
          // The W3C limits apply to the baggage-string; count what is kept, with its commas.
          const std::size_t cost = member.size() + (members == 0 ? 0 : 1);
          if (members == Baggage::kMaxMembers || bytes + cost > Baggage::kMaxBytes) break;
          ++members;
          bytes += cost;
          baggage = baggage.Set(entry->key, entry->value, entry->metadata);
        }
      }
      if (comma == std::string_view::npos) break;
      header.remove_prefix(comma + 1);
    }
  } catch (...) {  // allocation failure: keep what was parsed so far
  }
  return baggage;
}

std::string FormatBaggageHeader(const Baggage& baggage) {
  std::string header;
  std::string member;
  std::size_t members = 0;
  for (const BaggageEntry& entry : baggage.entries()) {
    if (!IsBaggageToken(entry.key)) continue;
    member.assign(entry.key);
    member += '=';
    AppendEncodedValue(entry.value, member);
    if (!entry.metadata.empty() && IsValidProperties(entry.metadata)) {
      member += ';';
      member += entry.metadata;
    }
    const std::size_t cost = member.size() + (members == 0 ? 0 : 1);
    // W3C Baggage "Limits": drop whole members until both limits hold, never a partial one.
    if (members == Baggage::kMaxMembers) break;
    if (header.size() + cost > Baggage::kMaxBytes) continue;
    if (members != 0) header += ',';
    header += member;
    ++members;
  }
  return header;
}

Context BaggagePropagator::Extract(const TextMapReader& carrier, Context context) const noexcept {
  try {
    const std::vector<std::string_view> values = carrier.GetAll(kBaggageHeader);
    if (values.empty()) return context;
    Baggage baggage;
    if (values.size() == 1) {
      baggage = ParseBaggageHeader(values.front());
    } else {
      std::string joined;  // RFC 9110 section 5.3: repeated fields combine with ','
      for (const std::string_view value : values) {
        if (!joined.empty()) joined += ',';
        joined += value;
      }
      baggage = ParseBaggageHeader(joined);
    }
    if (!baggage.empty()) context.baggage = std::move(baggage);
  } catch (...) {  // a failing carrier or allocation: leave the context as it was
  }
  return context;
}

void BaggagePropagator::Inject(const Context& context, TextMapWriter& carrier) const noexcept {
  if (context.baggage.empty()) return;
  try {
    const std::string header = FormatBaggageHeader(context.baggage);
    if (!header.empty()) carrier.Set(kBaggageHeader, header);
  } catch (...) {  // instrumentation must never break the request
  }
}

std::vector<std::string> BaggagePropagator::Fields() const {
  return {std::string(kBaggageHeader)};
}

}  // namespace hotorder::telemetry
