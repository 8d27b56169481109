#include "telemetry/trace_state.hpp"

#include <algorithm>

namespace hotorder::telemetry {
namespace {

// W3C Trace Context: limits from the key and value ABNF.
constexpr std::size_t kMaxKeySize = 256;
constexpr std::size_t kMaxValueSize = 256;

constexpr bool IsLcAlpha(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool IsOws(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view TrimOws(std::string_view s) noexcept {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

// The current W3C text (Level 2 and the editors' draft) replaced Level 1's separate simple and
// multi-tenant key rules with one rule:
//   key     = ( lcalpha / DIGIT ) 0*255( keychar )
//   keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"
// Every key valid under Level 1 is still valid, so accepting the wider set loses nothing.
bool TraceState::IsValidKey(std::string_view key) noexcept {
  if (key.empty() || key.size() > kMaxKeySize) return false;
  if (!IsLcAlpha(key[0]) && !IsDigit(key[0])) return false;
  return std::all_of(key.begin() + 1, key.end(), [](char c) {
    return IsLcAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '*' || c == '/' || c == '@';
  });
}

// value = 0*255( chr ) nblk-chr; chr = %x20 / nblk-chr;
// nblk-chr = %x21-2B / %x2D-3C / %x3E-7E (printable ASCII without ',' and '=').
bool TraceState::IsValidValue(std::string_view value) noexcept {
  if (value.empty() || value.size() > kMaxValueSize) return false;
  if (value.back() == ' ') return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return c >= 0x20 && c <= 0x7E && c != ',' && c != '=';
  });
}

TraceState TraceState::FromHeader(std::string_view header) noexcept {
  try {
    TraceState state;
    std::size_t members = 0;
    while (true) {
      const std::size_t comma = header.find(',');
      // Spaces and tabs around a member are OWS; trailing spaces of a value are OWS too, leading
      // ones belong to the value (W3C "Value").
      const std::string_view member = TrimOws(header.substr(0, comma));
      if (!member.empty()) {  // empty and whitespace-only members are allowed
        if (++members > kMaxMembers) return {};
        const std::size_t eq = member.find('=');
        if (eq == std::string_view::npos) return {};
        const std::string_view key = member.substr(0, eq);
        const std::string_view value = member.substr(eq + 1);
        if (!IsValidKey(key) || !IsValidValue(value)) return {};
        // A sender must not repeat a key; a receiver MAY drop the duplicates (W3C "Mutating the
        // tracestate Field"). The left-most entry is the most recent position, so it stays.
        if (!state.Get(key)) state.entries_.emplace_back(key, value);
      }
      if (comma == std::string_view::npos) break;
      header.remove_prefix(comma + 1);
    }
    return state;
  } catch (...) {  // allocation failure: behave as for an unusable header
    return {};
  }
}

std::string TraceState::ToHeader() const {
  std::string out;
  std::size_t size = 0;
  for (const auto& [key, value] : entries_) size += key.size() + value.size() + 2;
  out.reserve(size);
  for (const auto& [key, value] : entries_) {
    if (!out.empty()) out += ',';
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

std::optional<std::string_view> TraceState::Get(std::string_view key) const noexcept {
  for (const auto& [k, v] : entries_) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

TraceState TraceState::Set(std::string_view key, std::string_view value) const {
  if (!IsValidKey(key) || !IsValidValue(value)) return *this;
  TraceState result;
  result.entries_.reserve(std::min(entries_.size() + 1, kMaxMembers));
  result.entries_.emplace_back(key, value);
  for (const auto& entry : entries_) {
    // W3C: adding must not exceed 32 members; the right-most member is removed to make room.
    if (result.entries_.size() == kMaxMembers) break;
    if (entry.first != key) result.entries_.push_back(entry);
  }
  return result;
}

TraceState TraceState::Delete(std::string_view key) const {
  TraceState result = *this;
  std::erase_if(result.entries_, [key](const auto& entry) { return entry.first == key; });
  return result;
}

}  // namespace hotorder::telemetry
