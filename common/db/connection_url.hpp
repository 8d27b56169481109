#pragma once
// The few facts HotOrder needs from a libpq connection string, without linking libpq directly:
// where the server is (for server.address/server.port span attributes), which database
// (db.namespace), and the same string with a connect timeout added.
//
// Both libpq forms are understood: the URI (postgresql://user@host:port/db?key=value) and the
// keyword/value string (host=... port=... dbname=...). Query parameters and keywords override
// the URI parts as they do in libpq. With several hosts ("h1:5432,h2") the first one is named.

#include <chrono>
#include <string>
#include <string_view>

namespace hotorder::db {

struct ConnectionFacts {
  std::string host = "localhost";  // libpq's default would be a unix socket; named as localhost
  int port = 5432;
  std::string user;
  std::string database;  // libpq's default: the user name
};

ConnectionFacts ParseConnectionFacts(std::string_view url);

// `url` with connect_timeout=<seconds, rounded up, at least 1> appended in its own syntax; the
// appended value wins over one already in the string (libpq keeps the last occurrence).
std::string WithConnectTimeout(std::string_view url, std::chrono::milliseconds timeout);

}  // namespace hotorder::db
