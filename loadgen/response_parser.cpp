#include "loadgen/response_parser.hpp"

#include <boost/beast/core/string.hpp>

namespace hotorder::loadgen {
namespace {

constexpr std::size_t kTraceIdHex = 32;

bool IsLowerHex(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool IsHex(char c) noexcept { return IsLowerHex(c) || (c >= 'A' && c <= 'F'); }

bool AllOf(std::string_view s, bool (*pred)(char) noexcept) noexcept {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool AllZero(std::string_view s) noexcept { return s.find_first_not_of('0') == std::string_view::npos; }

std::string_view Trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view View(boost::beast::string_view s) noexcept { return {s.data(), s.size()}; }

}  // namespace

std::string_view TraceIdFromTraceresponse(std::string_view value) noexcept {
  value = Trim(value);
  // version(2) '-' trace-id(32) '-' child-id(16) '-' flags(2); a future version may append
  // more after another '-', which Level 2 says to tolerate.
  constexpr std::size_t kMinSize = 2 + 1 + 32 + 1 + 16 + 1 + 2;
  if (value.size() < kMinSize) return {};
  if (value[2] != '-' || value[35] != '-' || value[52] != '-') return {};
  if (!AllOf(value.substr(0, 2), IsLowerHex) || value.substr(0, 2) == "ff") return {};
  if (value.size() > kMinSize && (value.substr(0, 2) == "00" || value[kMinSize] != '-')) return {};
  std::string_view trace_id = value.substr(3, kTraceIdHex);
  if (!AllOf(trace_id, IsLowerHex) || AllZero(trace_id)) return {};
  return trace_id;
}

std::string_view TraceIdFromXTraceId(std::string_view value) noexcept {
  value = Trim(value);
  if (value.size() != kTraceIdHex || !AllOf(value, IsHex) || AllZero(value)) return {};
  return value;
}

ResponseParser::ResponseParser(ResponseInfo& info, bool capture_body) noexcept
    : info_(info), capture_body_(capture_body) {
  info_.status = 0;
  info_.trace_id.clear();
  info_.body.clear();
}

void ResponseParser::on_response_impl(int code, string_view, int, error_code&) {
  info_.status = code;
}

void ResponseParser::on_field_impl(boost::beast::http::field, string_view name_string,
                                   string_view value, error_code&) {
  // traceresponse is authoritative; X-Trace-Id only fills in when it is absent.
  if (name_string.size() == 13 && boost::beast::iequals(name_string, "traceresponse")) {
    std::string_view id = TraceIdFromTraceresponse(View(value));
    if (!id.empty()) {
      info_.trace_id.assign(id);
      have_traceresponse_ = true;
    }
  } else if (!have_traceresponse_ && name_string.size() == 10 &&
             boost::beast::iequals(name_string, "x-trace-id")) {
    std::string_view id = TraceIdFromXTraceId(View(value));
    if (!id.empty()) info_.trace_id.assign(id);
  }
}

void ResponseParser::on_header_impl(error_code&) {}

void ResponseParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                       error_code&) {
  if (capture_body_ && content_length) info_.body.reserve(static_cast<std::size_t>(*content_length));
}

std::size_t ResponseParser::on_body_impl(string_view body, error_code&) {
  if (capture_body_) info_.body.append(body.data(), body.size());
  return body.size();
}

void ResponseParser::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

std::size_t ResponseParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  if (capture_body_) info_.body.append(body.data(), body.size());
  return body.size();
}

void ResponseParser::on_finish_impl(error_code&) {}

}  // namespace hotorder::loadgen
