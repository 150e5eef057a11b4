#!/usr/bin/env python3
"""A synthetic ipfs-cluster REST API and a fake Kubo for bench/rest_memory_bench.sh.

  ndjson_pinset_server.py --pins N --rest-port P --kubo-port K --template FILE [--name-bytes B]

REST API (127.0.0.1:P), the way ipfs-cluster v1.1.6 streams a pinset (api/rest/restapi.go
allocationsHandler, api/common/api.go StreamResponse; see src/cluster/rest_source.hpp):
  GET /allocations?filter=all  200, chunked, `Trailer: X-Stream-Error`, one pin JSON per line
                               (api/types.go Pin, keys in Go's order), then an empty trailer.
                               N distinct pins: CIDv1 raw sha2-256 of the index, name
                               "bench-<i>" padded to B bytes, allocated to one other peer with
                               replication 1/1, so a follower records them as `remote` and never
                               asks its Kubo to pin them.
  GET /template.json           the follower template FILE, with node_multiaddress pointing at K.
  GET /stats                   JSON: polls started and finished.
Fake Kubo (127.0.0.1:K): /api/v0/id and /api/v0/version answer; pin/ls lists nothing; every
other call (pin/add, pin/rm, ...) is counted and refused with 500. GET /stats there returns the
counts, so the bench can check that no pin was ever sent.
Not a real cluster: a lab cluster cannot hold 1,000,000 pins in reasonable time.
"""
import argparse
import base64
import hashlib
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OTHER_PEER = "12D3KooWEqAP93RVeWkndtBsTTAmUUWvH2mLqLbptA3j1q2DyKKB"
KUBO_PEER = "12D3KooWEUYQBLbiKKrKT9jzrZpfH4XtckhrL9YXQvp9or7bokGn"
lock = threading.Lock()
stats = {"polls_started": 0, "polls_finished": 0, "kubo_calls": {}}


def cid_of(i):
    digest = hashlib.sha256(i.to_bytes(8, "little")).digest()
    raw = bytes([0x01, 0x55, 0x12, 0x20]) + digest
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


def pin_line(i, name_bytes):
    name = ("bench-%d" % i).ljust(name_bytes, "x")
    return ('{"replication_factor_min":1,"replication_factor_max":1,"name":%s,"mode":"recursive",'
            '"shard_size":0,"user_allocations":null,"expire_at":"0001-01-01T00:00:00Z","metadata":null,'
            '"pin_update":null,"origins":[],"cid":"%s","type":"pin","allocations":["%s"],"max_depth":-1,'
            '"reference":null,"timestamp":"2026-11-28T02:13:21Z"}\n'
            % (json.dumps(name), cid_of(i), OTHER_PEER))


class Rest(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, code, doc):
        body = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/stats":
            with lock:
                return self.send_json(200, stats)
        if self.path == "/template.json":
            return self.send_json(200, self.server.template)
        if not self.path.startswith("/allocations"):
            return self.send_json(404, {"code": 404, "message": "not found"})
        with lock:
            stats["polls_started"] += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Trailer", "X-Stream-Error")
        self.end_headers()
        buf = []
        size = 0
        for i in range(self.server.pins):
            line = pin_line(i, self.server.name_bytes)
            buf.append(line)
            size += len(line)
            if size >= 256 * 1024:
                self.chunk("".join(buf).encode())
                buf, size = [], 0
        if buf:
            self.chunk("".join(buf).encode())
        self.wfile.write(b"0\r\nX-Stream-Error: \r\n\r\n")
        self.wfile.flush()
        with lock:
            stats["polls_finished"] += 1

    def chunk(self, data):
        self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")


class Kubo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, code, doc):
        body = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/stats":
            with lock:
                return self.answer(200, stats["kubo_calls"])
        self.do_POST()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        command = self.path.split("?")[0].removeprefix("/api/v0/")
        with lock:
            stats["kubo_calls"][command] = stats["kubo_calls"].get(command, 0) + 1
        if command == "id":
            return self.answer(200, {"ID": KUBO_PEER, "AgentVersion": "kubo/0.0.0-fake", "Addresses": []})
        if command == "version":
            return self.answer(200, {"Version": "0.29.0", "Commit": "", "Repo": "15"})
        if command == "pin/ls":
            return self.answer(200, {"Keys": {}})
        self.answer(500, {"Message": "fake Kubo: %s refused (the bench never pins)" % command, "Code": 0})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pins", type=int, required=True)
    ap.add_argument("--rest-port", type=int, required=True)
    ap.add_argument("--kubo-port", type=int, required=True)
    ap.add_argument("--template", required=True)
    ap.add_argument("--name-bytes", type=int, default=0)
    args = ap.parse_args()
    with open(args.template) as f:
        template = json.load(f)
    template["ipfs_connector"]["ipfshttp"]["node_multiaddress"] = "/ip4/127.0.0.1/tcp/%d" % args.kubo_port
    template["cluster"]["listen_multiaddress"] = ["/ip4/127.0.0.1/tcp/0"]
    rest = ThreadingHTTPServer(("127.0.0.1", args.rest_port), Rest)
    rest.pins, rest.name_bytes, rest.template = args.pins, args.name_bytes, template
    kubo = ThreadingHTTPServer(("127.0.0.1", args.kubo_port), Kubo)
    threading.Thread(target=kubo.serve_forever, daemon=True).start()
    print("serving %d pins on 127.0.0.1:%d, fake Kubo on 127.0.0.1:%d" % (args.pins, args.rest_port, args.kubo_port),
          file=sys.stderr, flush=True)
    rest.serve_forever()


if __name__ == "__main__":
    main()
