#pragma once
// Parses one HTTP/1.1 response keeping only what loadgen needs: the status, keep-alive, the
// trace id the server reported, and (when asked) the body. A Beast basic_parser with its own
// callbacks rather than response_parser<string_body>: Beast's fields container allocates one
// node per header, and at tens of thousands of responses a second that churn is measurable.
// The strings it fills belong to the caller and keep their capacity from one response to the
// next, so a steady-state response costs no allocation.

#include <boost/beast/http/basic_parser.hpp>
#include <string>
#include <string_view>

namespace hotorder::loadgen {

struct ResponseInfo {
  int status = 0;
  std::string trace_id;  // 32 lowercase hex, or empty
  std::string body;      // only when the parser was asked to capture it
};

// W3C Trace Context Level 2 `traceresponse`: "00-<32 hex trace id>-<16 hex>-<2 hex>". Returns
// the trace id, or empty when the value does not have that shape (or the id is all zeros).
std::string_view TraceIdFromTraceresponse(std::string_view value) noexcept;
// `X-Trace-Id`: 32 hex digits, surrounding whitespace ignored; empty otherwise.
std::string_view TraceIdFromXTraceId(std::string_view value) noexcept;

class ResponseParser final : public boost::beast::http::basic_parser<false> {
 public:
  // Clears `info` and fills it as the response arrives; `info` must outlive the parser.
  ResponseParser(ResponseInfo& info, bool capture_body) noexcept;

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb, string_view, string_view, int,
                       error_code&) override {}
  void on_response_impl(int code, string_view reason, int version, error_code& ec) override;
  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions,
                            error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body,
                                 error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  ResponseInfo& info_;
  bool capture_body_;
  bool have_traceresponse_ = false;
};

}  // namespace hotorder::loadgen
