#!/usr/bin/env python3
"""A counting HTTP/1.1 reverse proxy for Kubo's RPC API (bench/pinning_bench.sh).

Forwards every request to one Kubo API and records:
  - requests in flight at once: the maximum and the time integral (for a time-weighted average);
    a request is in flight from the moment its head is read until its response is fully sent;
  - the number of requests by path (/api/v0/pin/add -> "pin/add") and their total latency.

Responses are forwarded as they arrive: a chunked response (Kubo's NDJSON from
pin/add?progress=true) is relayed chunk by chunk, with its trailers (X-Stream-Error), and
flushed after each piece. Each request gets its own upstream connection (Connection: close to
Kubo); the client's keep-alive connection to the proxy is kept.

Stats on a second port: GET /stats (JSON), POST /reset (zero everything, restart the clock).

Usage: count_proxy.py --listen PORT --upstream HOST:PORT --stats PORT
"""
import argparse
import asyncio
import json
import sys
import time

HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"upgrade", b"expect"}


class Stats:
    def __init__(self):
        self.reset()

    def reset(self):
        now = time.monotonic()
        self.t0 = now
        self.last = now
        self.inflight = getattr(self, "inflight", 0)
        self.max_inflight = self.inflight
        self.integral = 0.0
        self.busy = 0.0  # time with at least one request in flight
        self.total = 0
        self.by_path = {}
        self.latency_by_path = {}
        self.errors = 0
        self.errors_by_kind = {}

    def _advance(self):
        now = time.monotonic()
        self.integral += self.inflight * (now - self.last)
        if self.inflight > 0:
            self.busy += now - self.last
        self.last = now
        return now

    def begin(self, path):
        now = self._advance()
        self.inflight += 1
        self.max_inflight = max(self.max_inflight, self.inflight)
        self.total += 1
        self.by_path[path] = self.by_path.get(path, 0) + 1
        return now

    def end(self, path, started):
        now = self._advance()
        self.inflight -= 1
        self.latency_by_path[path] = self.latency_by_path.get(path, 0.0) + (now - started)

    def snapshot(self):
        now = self._advance()
        elapsed = now - self.t0
        return {
            "elapsed_s": elapsed,
            "total": self.total,
            "by_path": dict(sorted(self.by_path.items())),
            "mean_latency_ms_by_path": {
                p: 1000.0 * self.latency_by_path.get(p, 0.0) / n for p, n in sorted(self.by_path.items())
            },
            "inflight_now": self.inflight,
            "max_inflight": self.max_inflight,
            "inflight_integral": self.integral,
            "avg_inflight": self.integral / elapsed if elapsed > 0 else 0.0,
            "busy_s": self.busy,
            "avg_inflight_while_busy": self.integral / self.busy if self.busy > 0 else 0.0,
            "proxy_errors": self.errors,
            "proxy_errors_by_kind": dict(sorted(self.errors_by_kind.items())),
        }


STATS = Stats()
UPSTREAM = ("127.0.0.1", 5001)


def parse_head(head):
    lines = head[:-4].split(b"\r\n")
    first = lines[0]
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        k, _, v = line.partition(b":")
        headers.append((k.strip(), v.strip()))
    return first, headers


def header(headers, name):
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


async def relay_chunked(src, dst):
    """Relays a chunked body (chunks and trailers) verbatim, flushing as it goes."""
    while True:
        line = await src.readuntil(b"\r\n")
        dst.write(line)
        size = int(line.split(b";")[0].strip(), 16)
        if size == 0:
            while True:  # trailers, then the empty line
                t = await src.readuntil(b"\r\n")
                dst.write(t)
                if t == b"\r\n":
                    break
            await dst.drain()
            return
        remaining = size + 2  # data + CRLF
        while remaining > 0:
            data = await src.read(min(remaining, 65536))
            if not data:
                raise ConnectionError("upstream closed mid-chunk")
            remaining -= len(data)
            dst.write(data)
            await dst.drain()


async def relay_length(src, dst, n):
    while n > 0:
        data = await src.read(min(n, 65536))
        if not data:
            raise ConnectionError("upstream closed mid-body")
        n -= len(data)
        dst.write(data)
        await dst.drain()


async def read_chunked_raw(src):
    out = bytearray()
    while True:
        line = await src.readuntil(b"\r\n")
        out += line
        size = int(line.split(b";")[0].strip(), 16)
        if size == 0:
            while True:
                t = await src.readuntil(b"\r\n")
                out += t
                if t == b"\r\n":
                    return bytes(out)
        out += await src.readexactly(size + 2)


class Phase:
    """Where a request is, for error accounting: request, upstream, or response (to the client)."""
    def __init__(self):
        self.name = "request"


async def handle_one(creader, cwriter, first, headers, phase):
    """Forwards one request; returns True if the client connection may be kept alive."""
    method, target, version = first.split(b" ", 2)
    client_close = (header(headers, b"connection") or b"").lower() == b"close" or version == b"HTTP/1.0"
    if (header(headers, b"expect") or b"").lower() == b"100-continue":
        cwriter.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await cwriter.drain()
    te = (header(headers, b"transfer-encoding") or b"").lower()
    cl = header(headers, b"content-length")
    if b"chunked" in te:
        body = await read_chunked_raw(creader)
    elif cl is not None:
        body = await creader.readexactly(int(cl))
    else:
        body = b""

    phase.name = "upstream"
    ureader, uwriter = await asyncio.open_connection(*UPSTREAM)
    try:
        out = [first]
        for k, v in headers:
            if k.lower() not in HOP_BY_HOP:
                out.append(k + b": " + v)
        out.append(b"Connection: close")
        uwriter.write(b"\r\n".join(out) + b"\r\n\r\n" + body)
        await uwriter.drain()

        while True:
            rhead = await ureader.readuntil(b"\r\n\r\n")
            rfirst, rheaders = parse_head(rhead)
            status = int(rfirst.split(b" ", 2)[1])
            if status >= 200 or status == 101:
                break  # drop interim 1xx answers (we already answered Expect ourselves)
        rte = (header(rheaders, b"transfer-encoding") or b"").lower()
        rcl = header(rheaders, b"content-length")
        no_body = method == b"HEAD" or status in (204, 304)
        framed = no_body or b"chunked" in rte or rcl is not None
        keep = framed and not client_close
        out = [rfirst]
        for k, v in rheaders:
            if k.lower() not in (b"connection", b"keep-alive"):
                out.append(k + b": " + v)
        out.append(b"Connection: keep-alive" if keep else b"Connection: close")
        phase.name = "response"
        cwriter.write(b"\r\n".join(out) + b"\r\n\r\n")
        await cwriter.drain()
        if no_body:
            pass
        elif b"chunked" in rte:
            await relay_chunked(ureader, cwriter)
        elif rcl is not None:
            await relay_length(ureader, cwriter, int(rcl))
        else:  # delimited by close
            while True:
                data = await ureader.read(65536)
                if not data:
                    break
                cwriter.write(data)
                await cwriter.drain()
        return keep
    finally:
        uwriter.close()


async def handle_client(creader, cwriter):
    try:
        while True:
            try:
                head = await creader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            first, headers = parse_head(head)
            path = first.split(b" ")[1].split(b"?")[0].decode("latin1")
            if path.startswith("/api/v0/"):
                path = path[len("/api/v0/"):]
            started = STATS.begin(path)
            phase = Phase()
            try:
                keep = await handle_one(creader, cwriter, first, headers, phase)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
                # "response" errors are mostly the client closing its connection before the end
                # of a stream (the trailer chunk); "upstream" errors are Kubo failing.
                STATS.errors += 1
                kind = "%s %s %s" % (phase.name, path, type(e).__name__)
                STATS.errors_by_kind[kind] = STATS.errors_by_kind.get(kind, 0) + 1
                print("count_proxy: error in %s of %s: %r" % (phase.name, path, e), file=sys.stderr, flush=True)
                if phase.name == "response":
                    STATS.end(path, started)
                    return
                try:
                    msg = ("proxy error: %s\n" % e).encode()
                    cwriter.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: %d\r\n"
                                  b"Connection: close\r\n\r\n" % len(msg) + msg)
                    await cwriter.drain()
                except OSError:
                    pass
                keep = False
            STATS.end(path, started)
            if not keep:
                return
    finally:
        try:
            cwriter.close()
        except OSError:
            pass


async def handle_stats(reader, writer):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        first, _ = parse_head(head)
        method, target = first.split(b" ")[:2]
        if method == b"POST" and target.startswith(b"/reset"):
            STATS.reset()
        body = json.dumps(STATS.snapshot()).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n" % len(body) + body)
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    global UPSTREAM
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--upstream", required=True, help="HOST:PORT of the Kubo API")
    ap.add_argument("--stats", type=int, required=True)
    a = ap.parse_args()
    host, _, port = a.upstream.rpartition(":")
    UPSTREAM = (host, int(port))
    proxy = await asyncio.start_server(handle_client, "127.0.0.1", a.listen, limit=1 << 20, backlog=1024)
    stats = await asyncio.start_server(handle_stats, "127.0.0.1", a.stats)
    print("count_proxy: 127.0.0.1:%d -> %s:%d, stats on 127.0.0.1:%d" % (a.listen, host, UPSTREAM[1], a.stats),
          flush=True)
    async with proxy, stats:
        await asyncio.gather(proxy.serve_forever(), stats.serve_forever())


if __name__ == "__main__":
    asyncio.run(main())
