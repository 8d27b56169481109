#include "http/json_body.hpp"

#include <cctype>
#include <string_view>

#include "http/http_error.hpp"

namespace hotorder::http {
namespace {

bool IsJsonMediaType(std::string_view content_type) {
  // "application/json", optionally with parameters ("; charset=utf-8"), case-insensitive.
  auto end = content_type.find(';');
  auto type = content_type.substr(0, end);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  constexpr std::string_view kJson = "application/json";
  if (type.size() != kJson.size()) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(type[i])) != kJson[i]) return false;
  }
  return true;
}

}  // namespace

nlohmann::json ParseJsonObject(const Request& request) {
  auto content_type = request.Header("content-type");
  if (!IsJsonMediaType(content_type)) {
    throw HttpError(415, "unsupported_media_type",
                    "Content-Type must be application/json");
  }
  auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    throw HttpError(400, "invalid_json", "the request body is not valid JSON (UTF-8)");
  }
  if (!body.is_object()) {
    throw HttpError(400, "not_an_object", "the request body must be a JSON object");
  }
  return body;
}

Response JsonResponse(unsigned status, const nlohmann::json& value) {
  return Response::Json(status, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace hotorder::http
