#pragma once
// The one exception type that carries an HTTP answer. Anything a handler (or a library it calls)
// throws is turned into a response by the router: an HttpError keeps its status, code and
// message; any other exception becomes 500 "internal" with no detail (no stack traces or SQL
// text ever reach a client).

#include <stdexcept>
#include <string>

namespace hotorder::http {

class HttpError : public std::runtime_error {
 public:
  HttpError(unsigned status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}

  unsigned status() const noexcept { return status_; }
  // Machine-readable, snake_case: "invalid_json", "unknown_sku", "upstream_timeout", ...
  const std::string& code() const noexcept { return code_; }

 private:
  unsigned status_;
  std::string code_;
};

}  // namespace hotorder::http
