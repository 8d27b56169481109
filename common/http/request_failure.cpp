#include "http/request_failure.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <typeinfo>

namespace hotorder::http {
namespace {

constexpr std::string_view kInternalMessage = "internal error";

log::Level LevelFor(unsigned status) noexcept {
  return status >= 500 ? log::Level::kError : log::Level::kWarn;
}

// "std::runtime_error" rather than "St13runtime_error": the log line is read by people.
std::string TypeName(const std::exception& error) {
  const char* mangled = typeid(error).name();
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), &std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : std::string(mangled);
}

}  // namespace

Response FailRequest(const HttpError& error, telemetry::Span& span, const log::Logger& log,
                     FailedRequest request) {
  span.SetStatus(telemetry::StatusCode::kError, error.what());
  span.RecordException(error);
  log.Log(LevelFor(error.status()), "request failed",
          {{"http.method", request.method},
           {"http.target", request.target},
           {"status", error.status()},
           {"error.code", error.code()},
           {"error.message", error.what()}});
  return Response::Json(error.status(), ErrorBody(error.code(), error.what()));
}

Response FailInternal(const std::exception* error, telemetry::Span& span, const log::Logger& log,
                      FailedRequest request) {
  const std::string exception_type = error != nullptr ? TypeName(*error) : "unknown";
  const std::string_view exception_message =
      error != nullptr ? std::string_view(error->what())
                       : std::string_view("a value that is not a std::exception was thrown");
  span.SetStatus(telemetry::StatusCode::kError, exception_message);
  span.RecordException(exception_type, exception_message);
  log.Error("request failed",
            {{"http.method", request.method},
             {"http.target", request.target},
             {"status", 500},
             {"error.code", "internal"},
             {"exception.type", exception_type},
             {"exception.message", exception_message}});
  return Response::Json(500, ErrorBody("internal", kInternalMessage));
}

void MarkErrorResponse(const Response& response, telemetry::Span& span, const log::Logger& log,
                       FailedRequest request) {
  const std::string description = "HTTP " + std::to_string(response.status);
  span.SetStatus(telemetry::StatusCode::kError, description);
  log.Log(LevelFor(response.status), "request failed",
          {{"http.method", request.method},
           {"http.target", request.target},
           {"status", response.status}});
}

}  // namespace hotorder::http
