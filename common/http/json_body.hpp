#pragma once
// Reading a JSON object from a request body, with the errors every service answers alike:
// 415 "unsupported_media_type" unless Content-Type is application/json, 400 "invalid_json"
// for a body that does not parse (including invalid UTF-8), 400 "not_an_object" for valid JSON
// that is not an object (an array, a string, ...).

#include <nlohmann/json.hpp>

#include "http/message.hpp"

namespace hotorder::http {

nlohmann::json ParseJsonObject(const Request& request);

// Response::Json(status, value.dump()) with invalid UTF-8 replaced rather than thrown on.
Response JsonResponse(unsigned status, const nlohmann::json& value);

}  // namespace hotorder::http
