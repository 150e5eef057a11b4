#!/usr/bin/env python3
"""Helper of bench/crdt_sync_bench.sh; runs inside the lab's namespace.

  crdt_sync.py measure --cids FILE --lab-dir DIR --cf BIN --cf-config DIR --follow-config DIR
                       [--cluster-name NAME] [--timeout S] [--json FILE]
      runs cluster-follow (a fresh folder, Kubo C), then upstream's follower (a fresh folder,
      Kubo B), one after the other so that each has the machine to itself (--together: both
      at the same moment T0), both following the trusted peer over libp2p only, and samples
      until each has (1) the whole pinset known (its state lists all N CIDs: upstream's
      REST API on its unix socket, GET /allocations; ours `status --json`, in sync with every
      CID in `list`) and (2) all N pinned in its Kubo (pin/ls?type=recursive). Records the time
      of each, the CPU seconds and peak RSS (VmHWM) at each, and prints the table.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print("[bench] " + msg, file=sys.stderr, flush=True)


def proc_stats(pid):
    """(cpu seconds, VmHWM MiB) of a live process, or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK
        hwm = 0.0
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024.0
        return cpu, hwm
    except (OSError, IndexError, ValueError):
        return None


def pinned(api, want):
    try:
        req = urllib.request.Request(api + "/api/v0/pin/ls?type=recursive", method="POST")
        with urllib.request.urlopen(req, timeout=60) as r:
            keys = json.load(r).get("Keys") or {}
        return sum(1 for k in keys if k in want)
    except Exception:
        return -1


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=120):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def upstream_known(socket_path, want):
    """How many of `want` upstream's follower has in its state (its REST API), or -1."""
    try:
        conn = UnixHTTPConnection(socket_path)
        conn.request("GET", "/allocations?filter=all")
        r = conn.getresponse()
        n = 0
        for line in r.read().decode().splitlines():
            line = line.strip()
            if line.startswith("{") and json.loads(line).get("cid") in want:
                n += 1
        conn.close()
        return n
    except Exception:
        return -1


def ours_known(cf, config, name, want):
    try:
        st = json.loads(subprocess.run([cf, "--config", config, name, "status", "--json"], capture_output=True,
                                       timeout=60).stdout)
        crdt = st.get("source", {}).get("crdt") or {}
        if not crdt.get("in_sync"):
            return 0
        out = subprocess.run([cf, "--config", config, name, "list"], capture_output=True, timeout=120).stdout.decode()
        return sum(1 for line in out.splitlines() if len(line.split()) > 1 and line.split()[1] in want)
    except Exception:
        return -1


class Follower:
    def __init__(self, label, cmd, env, logfile, kubo_api, known):
        self.label, self.cmd, self.env, self.logfile = label, cmd, env, logfile
        self.kubo_api, self.known = kubo_api, known
        self.proc = None
        self.known_at = self.pinned_at = None
        self.stats_known = self.stats_pinned = None
        self.next_known_poll = 0.0

    def start(self, pidfile):
        self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=open(self.logfile, "w"), stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        with open(pidfile, "a") as f:
            f.write("%d bench-%s\n" % (self.proc.pid, self.label))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)


def measure(a):
    want = set(l.strip() for l in open(a.cids) if l.strip())
    n = len(want)
    env = dict(os.environ)
    env.pop("CLUSTER_IPFSHTTP_NODEMULTIADDRESS", None)
    up_env = dict(env, IPFS_CLUSTER_PATH=a.follow_config,
                  CLUSTER_IPFSHTTP_NODEMULTIADDRESS="/ip4/127.0.0.1/tcp/5011")
    cf_env = dict(env, CLUSTER_IPFSHTTP_NODEMULTIADDRESS="/ip4/127.0.0.1/tcp/5021")
    sock = os.path.join(a.follow_config, a.cluster_name, "api-socket")
    up = Follower("upstream", ["ipfs-cluster-follow", a.cluster_name, "run"], up_env,
                  os.path.join(a.lab_dir, "logs", "bench-upstream.log"), "http://127.0.0.1:5011",
                  lambda: upstream_known(sock, want))
    cf = Follower("cluster-follow", [a.cf, "--config", a.cf_config, "bench", "run"], cf_env,
                  os.path.join(a.lab_dir, "logs", "bench-cf.log"), "http://127.0.0.1:5021",
                  lambda: ours_known(a.cf, a.cf_config, "bench", want))
    groups = [[cf, up]] if a.together else [[cf], [up]]
    for group in groups:
        run_group(a, group, want)
    res = {"pins": n, "together": a.together, "followers": {}}
    for f in (cf, up):
        res["followers"][f.label] = {
            "known_s": f.known_at, "pinned_s": f.pinned_at,
            "cpu_s_at_known": f.stats_known[0] if f.stats_known else None,
            "peak_rss_mib_at_known": f.stats_known[1] if f.stats_known else None,
            "cpu_s_at_pinned": f.stats_pinned[0] if f.stats_pinned else None,
            "peak_rss_mib_at_pinned": f.stats_pinned[1] if f.stats_pinned else None,
        }
    if a.json:
        json.dump(res, open(a.json, "w"), indent=2)
    table(res)
    return 0


def run_group(a, followers, want):
    n = len(want)
    t0 = time.monotonic()
    for f in followers:
        f.start(os.path.join(a.lab_dir, "pids"))
    log("T0: %s started; %d pins to learn and pin" % (" and ".join(f.label for f in followers), n))
    last_log = 0.0
    try:
        while True:
            time.sleep(0.5)
            t = time.monotonic() - t0
            for f in followers:
                if f.known_at is None and t >= f.next_known_poll:
                    began = time.monotonic()
                    k = f.known()
                    # Listing 100k pins takes a while: poll no more than half the time.
                    f.next_known_poll = t + max(0.5, 2 * (time.monotonic() - began))
                    if k >= n:
                        f.known_at = time.monotonic() - t0
                        f.stats_known = proc_stats(f.proc.pid)
                        log("%s: whole pinset known at %.1f s" % (f.label, f.known_at))
                if f.pinned_at is None and f.known_at is not None:
                    if pinned(f.kubo_api, want) >= n:
                        f.pinned_at = time.monotonic() - t0
                        f.stats_pinned = proc_stats(f.proc.pid)
                        log("%s: all %d pinned at %.1f s" % (f.label, n, f.pinned_at))
            if t - last_log >= 15:
                last_log = t
                log("%6.0f s: %s" % (t, ", ".join("%s known %s pinned %s" % (f.label, f.known_at, f.pinned_at)
                                                  for f in followers)))
            if all(f.pinned_at is not None for f in followers) or t > a.timeout:
                break
    finally:
        for f in followers:
            f.stop()


def table(res):
    c, u = res["followers"]["cluster-follow"], res["followers"]["upstream"]

    def cell(v, d=1):
        return "-" if v is None else "{:,.{d}f}".format(v, d=d)

    def ratio(x, y, invert=False):
        if x is None or y is None or x == 0 or y == 0:
            return "-"
        return "%.2f" % ((y / x) if invert else (x / y))

    rows = [
        ("whole pinset known (s)", c["known_s"], u["known_s"], ratio(c["known_s"], u["known_s"], True) + "x faster"),
        ("all pinned in Kubo (s)", c["pinned_s"], u["pinned_s"], ratio(c["pinned_s"], u["pinned_s"], True) + "x faster"),
        ("CPU s until known", c["cpu_s_at_known"], u["cpu_s_at_known"], ratio(c["cpu_s_at_known"], u["cpu_s_at_known"])),
        ("CPU s until pinned", c["cpu_s_at_pinned"], u["cpu_s_at_pinned"], ratio(c["cpu_s_at_pinned"], u["cpu_s_at_pinned"])),
        ("peak RSS MiB (until pinned)", c["peak_rss_mib_at_pinned"], u["peak_rss_mib_at_pinned"],
         ratio(c["peak_rss_mib_at_pinned"], u["peak_rss_mib_at_pinned"])),
    ]
    print()
    print("CRDT sync benchmark: %s pins, %s" % ("{:,}".format(res["pins"]),
                                              "both at once" if res["together"] else "one after the other"))
    print("%-30s %16s %16s  %s" % ("", "cluster-follow", "upstream", "ratio (ours/upstream; speed: theirs/ours)"))
    for r in rows:
        print("%-30s %16s %16s  %s" % (r[0], cell(r[1]), cell(r[2]), r[3]))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure")
    for k in ("--cids", "--lab-dir", "--cf", "--cf-config", "--follow-config"):
        m.add_argument(k, required=True)
    m.add_argument("--cluster-name", default="cflab")
    m.add_argument("--timeout", type=float, default=3600)
    m.add_argument("--json", default="")
    m.add_argument("--together", action="store_true")
    a = ap.parse_args()
    return measure(a)


if __name__ == "__main__":
    sys.exit(main())
