#!/usr/bin/env python3
"""Prints the p2p stream benchmark's table from its results (one JSON line per transfer).

  p2p_stream_table.py RESULTS.jsonl [--bytes N] [--private] [--json FILE]

Three paths, each the median over its runs: cluster-follow sends to Kubo Y, Kubo X sends to
Kubo Y, Kubo X sends to cluster-follow. Ratios compare each cluster-follow path with Kubo to
Kubo: for MB/s above 1 means cluster-follow is faster; for CPU below 1 means it uses less.
"""
import argparse
import datetime
import json
import os
import statistics

ROWS = [
    ("MB/s (10^6 bytes/s, first byte to EOF)", "mb_per_s", "{:,.1f}"),
    ("transfer time (s)", "seconds", "{:,.2f}"),
    ("sender CPU (s, user+sys)", "sender_cpu_s", "{:,.2f}"),
    ("receiver CPU (s, user+sys)", "receiver_cpu_s", "{:,.2f}"),
]
SENDS, KUBO, RECEIVES = "cluster-follow sends", "kubo", "cluster-follow receives"
PATHS = (SENDS, KUBO, RECEIVES)
COLUMNS = ("cf -> Kubo Y", "Kubo X -> Y", "Kubo X -> cf", "send ratio", "receive ratio")


def ratio(ours, theirs):
    return f"{ours / theirs:.2f}" if theirs else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results")
    parser.add_argument("--bytes", type=int, default=0)
    parser.add_argument("--private", action="store_true", help="the run used a swarm.key (pnet)")
    parser.add_argument("--json")
    args = parser.parse_args()
    with open(args.results) as f:
        transfers = [json.loads(line) for line in f if line.strip()]
    by_path = {p: [t for t in transfers if t["path"] == p] for p in PATHS}
    for p in PATHS:
        if not by_path[p]:
            raise SystemExit(f"{args.results}: no transfers for {p}")
    medians = {p: {key: statistics.median(t[key] for t in by_path[p]) for _, key, _ in ROWS} for p in PATHS}

    size = args.bytes or transfers[0]["bytes"]
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    network = "private network (swarm.key: pnet XSalsa20 under Noise)" if args.private else "no private network"
    print(f"p2p stream benchmark: {size:,} bytes over one libp2p stream (Noise, Yamux), median of "
          f"{len(by_path[KUBO])} runs, {network}, {when} UTC, {os.cpu_count()} CPUs")
    print("  cf -> Kubo Y: our host into Y's `ipfs p2p listen`;  Kubo X -> Y: TCP into X's `ipfs p2p forward`;")
    print("  Kubo X -> cf: the same forward to our host. Ratios: each cf path / Kubo X -> Y.")
    print()
    label_width = max(len(r[0]) for r in ROWS) + 2
    print(f"{'':{label_width}}" + "".join(f"{c:>15}" for c in COLUMNS))
    for label, key, fmt in ROWS:
        values = [medians[p][key] for p in PATHS]
        cells = [fmt.format(v) for v in values] + [ratio(values[0], values[1]), ratio(values[2], values[1])]
        print(f"{label:{label_width}}" + "".join(f"{c:>15}" for c in cells))
    print()
    print("each run (MB/s, sender CPU s, receiver CPU s):")
    for p in PATHS:
        runs = "; ".join(f"{t['mb_per_s']:.0f}, {t['sender_cpu_s']:.2f}, {t['receiver_cpu_s']:.2f}" for t in by_path[p])
        print(f"  {p:24} {runs}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"when": when, "bytes": size, "private": args.private, "medians": medians,
                       "transfers": transfers}, f, indent=2)


if __name__ == "__main__":
    main()
