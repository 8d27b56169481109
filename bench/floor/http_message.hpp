#pragma once
// Just enough HTTP/1.1 for a keep-alive chain whose every peer sends Content-Length: a message
// is a start line, headers up to a blank line, and Content-Length bytes of body. No chunked
// encoding, no header folding: HotOrder's own peers never send them, and the floor should not
// pay for generality it does not use.

#include <string>
#include <string_view>

namespace hotorder::floor_chain {

struct HttpMessage {
  std::string start_line;      // "POST /orders HTTP/1.1" or "HTTP/1.1 201 Created"
  std::string reservation_id;  // the Reservation-Id header, passed from middle to back
  std::string body;
  bool keep_alive = true;      // false after "Connection: close" or on HTTP/1.0
};

enum class ParseResult {
  kComplete,   // a whole message is at the start of the data
  kNeedMore,   // not yet: read more bytes
  kTooLarge,   // headers over 8 KiB or body over 1 MiB: answer 431/413 and close
  kMalformed,  // no parsable start line or Content-Length: answer 400 and close
};

// Parses the message at the start of `data`. On kComplete, fills `message` and sets `length`
// to the bytes it spans (head and body), so the caller can drop them and find the next one.
ParseResult ParseMessage(std::string_view data, HttpMessage& message, std::size_t& length);

enum class ReadResult {
  kOk,
  kClosed,     // the peer closed (or the read timed out) before a whole message arrived
  kTooLarge,   // headers over 8 KiB or body over 1 MiB: answer 431/413 and close
  kMalformed,  // no parsable start line or Content-Length: answer 400 and close
};

// Reads one message from fd. `buffer` carries bytes read past the end of this message (a
// pipelined next one) between calls, so give each connection its own buffer.
ReadResult ReadMessage(int fd, std::string& buffer, HttpMessage& message);

// The status code of a response's start line, or 0.
int StatusCode(const HttpMessage& response);

// "POST" and "/orders" of a request's start line.
std::string_view Method(const HttpMessage& request);
std::string_view Target(const HttpMessage& request);

// A complete response / request as one buffer, written with one send.
std::string FormatResponse(int status, std::string_view body, bool keep_alive,
                           std::string_view content_type = "application/json");
std::string FormatPost(std::string_view target, std::string_view reservation_id,
                       std::string_view body);

}  // namespace hotorder::floor_chain
