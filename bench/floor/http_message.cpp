#include "http_message.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <charconv>

namespace hotorder::floor_chain {
namespace {

// The same limits as HotOrder's server, so neither side accepts what the other refuses.
constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
constexpr std::size_t kMaxBodyBytes = 1024 * 1024;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Appends whatever the socket has; false on close, error or read timeout.
bool ReadMore(int fd, std::string& buffer) {
  char chunk[16 * 1024];
  for (;;) {
    auto received = ::recv(fd, chunk, sizeof chunk, 0);
    if (received > 0) {
      buffer.append(chunk, static_cast<std::size_t>(received));
      return true;
    }
    if (received < 0 && errno == EINTR) continue;
    return false;
  }
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Internal Server Error";
  }
}

}  // namespace

ParseResult ParseMessage(std::string_view data, HttpMessage& message, std::size_t& length) {
  auto header_end = data.find("\r\n\r\n");
  if (header_end == std::string_view::npos) {
    return data.size() > kMaxHeaderBytes ? ParseResult::kTooLarge : ParseResult::kNeedMore;
  }
  if (header_end > kMaxHeaderBytes) return ParseResult::kTooLarge;

  auto head = data.substr(0, header_end);
  auto line_end = head.find("\r\n");
  auto start_line = head.substr(0, line_end);
  if (start_line.empty()) return ParseResult::kMalformed;
  bool keep_alive = start_line.find("HTTP/1.0") == std::string_view::npos;
  std::string_view reservation_id;
  std::size_t content_length = 0;

  while (line_end != std::string_view::npos) {
    head.remove_prefix(line_end + 2);
    line_end = head.find("\r\n");
    auto line = head.substr(0, line_end);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto name = line.substr(0, colon);
    auto value = Trim(line.substr(colon + 1));
    if (EqualsIgnoreCase(name, "content-length")) {
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), content_length);
      if (error != std::errc() || end != value.data() + value.size()) return ParseResult::kMalformed;
    } else if (EqualsIgnoreCase(name, "connection")) {
      if (EqualsIgnoreCase(value, "close")) keep_alive = false;
      if (EqualsIgnoreCase(value, "keep-alive")) keep_alive = true;
    } else if (EqualsIgnoreCase(name, "reservation-id")) {
      reservation_id = value;
    }
  }
  if (content_length > kMaxBodyBytes) return ParseResult::kTooLarge;

  auto body_start = header_end + 4;
  if (data.size() < body_start + content_length) return ParseResult::kNeedMore;
  message.start_line.assign(start_line);
  message.reservation_id.assign(reservation_id);
  message.body.assign(data.substr(body_start, content_length));
  message.keep_alive = keep_alive;
  length = body_start + content_length;
  return ParseResult::kComplete;
}

ReadResult ReadMessage(int fd, std::string& buffer, HttpMessage& message) {
  for (;;) {
    std::size_t length = 0;
    switch (ParseMessage(buffer, message, length)) {
      case ParseResult::kComplete:
        buffer.erase(0, length);
        return ReadResult::kOk;
      case ParseResult::kTooLarge:
        return ReadResult::kTooLarge;
      case ParseResult::kMalformed:
        return ReadResult::kMalformed;
      case ParseResult::kNeedMore:
        // Parsing again from the start after each read is cheap for messages of a few hundred
        // bytes, and keeps the parser free of state.
        if (!ReadMore(fd, buffer)) return ReadResult::kClosed;
        break;
    }
  }
}

int StatusCode(const HttpMessage& response) {
  // "HTTP/1.1 201 Created": the three digits after the first space.
  auto space = response.start_line.find(' ');
  if (space == std::string::npos || response.start_line.size() < space + 4) return 0;
  int status = 0;
  auto begin = response.start_line.data() + space + 1;
  auto [end, error] = std::from_chars(begin, begin + 3, status);
  return error == std::errc() && end == begin + 3 ? status : 0;
}

std::string_view Method(const HttpMessage& request) {
  std::string_view line = request.start_line;
  return line.substr(0, line.find(' '));
}

std::string_view Target(const HttpMessage& request) {
  std::string_view line = request.start_line;
  auto first = line.find(' ');
  if (first == std::string_view::npos) return {};
  line.remove_prefix(first + 1);
  return line.substr(0, line.find(' '));
}

std::string FormatResponse(int status, std::string_view body, bool keep_alive,
                           std::string_view content_type) {
  std::string response;
  response.reserve(128 + body.size());
  response += "HTTP/1.1 ";
  response += std::to_string(status);
  response += ' ';
  response += ReasonPhrase(status);
  response += "\r\nContent-Type: ";
  response += content_type;
  response += "\r\nContent-Length: ";
  response += std::to_string(body.size());
  response += keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
  response += body;
  return response;
}

std::string FormatPost(std::string_view target, std::string_view reservation_id,
                       std::string_view body) {
  std::string request;
  request.reserve(160 + body.size());
  request += "POST ";
  request += target;
  request += " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ";
  request += std::to_string(body.size());
  if (!reservation_id.empty()) {
    request += "\r\nReservation-Id: ";
    request += reservation_id;
  }
  request += "\r\n\r\n";
  request += body;
  return request;
}

}  // namespace hotorder::floor_chain
