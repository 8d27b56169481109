#pragma once
// The echo role: 200 with a tiny body to every request, on one epoll thread.
//
// It exists to compare load generators (loadgen against wrk), so it must outrun any one client
// on a core of its own. A thread per connection cannot: with 64 connections every request
// costs a context switch, and the server saturates its core before the client does. One
// event loop answers every ready connection per wake-up instead.

namespace hotorder::floor_chain {

// Serves on 127.0.0.1:port until SIGTERM or SIGINT; returns the exit code (1 when it could not
// listen). Blocks those signals in the calling thread: call it before starting any thread.
int ServeEcho(int port);

}  // namespace hotorder::floor_chain
