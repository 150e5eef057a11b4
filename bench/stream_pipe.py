#!/usr/bin/env python3
"""TCP ends of the p2p stream benchmark (bench/p2p_stream_bench.sh).

  stream_pipe.py sink --port P
      accepts connections one at a time; for each, reads to EOF and prints one JSON line:
      {"bytes": N, "seconds": S} where S runs from the first byte to EOF
  stream_pipe.py source --port P --bytes N
      connects, writes N bytes, half-closes and waits for the peer to close
"""
import argparse
import json
import socket
import sys
import time

CHUNK = 1 << 20


def sink(port):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(4)
    print(f"stream_pipe: sink on 127.0.0.1:{port}", flush=True)
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while True:
        conn, _ = server.accept()
        with conn:
            total, first = 0, None
            while True:
                n = conn.recv_into(view)
                if n == 0:
                    break
                if first is None:
                    first = time.monotonic()
                total += n
            seconds = time.monotonic() - first if first is not None else 0.0
        print(json.dumps({"bytes": total, "seconds": round(seconds, 6)}), flush=True)


def source(port, count):
    payload = memoryview(bytes(range(256)) * (CHUNK // 256))
    with socket.create_connection(("127.0.0.1", port), timeout=300) as conn:
        sent = 0
        while sent < count:
            n = min(CHUNK, count - sent)
            conn.sendall(payload[:n])
            sent += n
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(CHUNK):
            pass
    print(json.dumps({"bytes": sent}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["sink", "source"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bytes", type=int, default=0)
    args = parser.parse_args()
    if args.mode == "sink":
        sink(args.port)
    elif args.bytes <= 0:
        sys.exit("source needs --bytes > 0")
    else:
        source(args.port, args.bytes)


if __name__ == "__main__":
    main()
