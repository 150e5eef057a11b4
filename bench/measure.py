#!/usr/bin/env python3
"""Helpers of bench/pinning_bench.sh; they run inside the lab's namespace.

  measure.py pin --cids FILE [--rest URL] [--parallel P] [--wait S]
      pins every CID of FILE on the trusted peer (POST /pins/<cid>?replication-min=-1&...,
      P keep-alive connections), then waits until GET /allocations?filter=all lists them all.

  measure.py measure --cids FILE --lab-dir DIR --cf BIN --cf-config DIR [...]
      starts upstream's follower (Kubo B, through its proxy) and cluster-follow (Kubo C, through
      its proxy) at the same moment T0, samples every 0.5 s how many of the CIDs each Kubo has
      pinned (pin/ls?type=recursive, straight to Kubo, not through the proxies), snapshots each
      follower's proxy counters, CPU time and peak RSS when it reaches N, and prints the table.
"""
import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print("[bench] " + msg, file=sys.stderr, flush=True)


def read_cids(path):
    with open(path) as f:
        cids = [line.strip() for line in f if line.strip()]
    return cids


# --- pin ---------------------------------------------------------------------------------------

def allocations(rest):
    """CIDs in the trusted peer's pinset (GET /allocations?filter=all; NDJSON or a JSON array)."""
    with urllib.request.urlopen(rest + "/allocations?filter=all", timeout=120) as r:
        text = r.read().decode()
    items = []
    text = text.strip()
    if text.startswith("["):
        items = json.loads(text)
    else:
        items = [json.loads(line) for line in text.splitlines() if line.strip()]
    out = set()
    for it in items:
        c = it.get("cid")
        if isinstance(c, dict):
            c = c.get("/")
        out.add(c)
    return out


def cmd_pin(a):
    cids = read_cids(a.cids)
    host = a.rest.split("//", 1)[1]
    todo = list(cids)
    lock = threading.Lock()
    errors = []
    done = [0]

    def worker():
        conn = http.client.HTTPConnection(host, timeout=120)
        while True:
            with lock:
                if not todo:
                    break
                cid = todo.pop()
            for attempt in range(5):
                try:
                    conn.request("POST", "/pins/%s?replication-min=-1&replication-max=-1" % cid)
                    r = conn.getresponse()
                    body = r.read()
                    if r.status >= 300:
                        raise RuntimeError("HTTP %d: %s" % (r.status, body[:200]))
                    break
                except Exception as e:  # retry on a fresh connection
                    conn.close()
                    conn = http.client.HTTPConnection(host, timeout=120)
                    if attempt == 4:
                        with lock:
                            errors.append("%s: %s" % (cid, e))
                    time.sleep(0.2)
            with lock:
                done[0] += 1

    t = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(a.parallel)]
    for th in threads:
        th.start()
    last = 0
    while any(th.is_alive() for th in threads):
        time.sleep(1)
        if time.monotonic() - last >= 10:
            last = time.monotonic()
            log("pinned on the trusted peer: %d/%d" % (done[0], len(cids)))
    for th in threads:
        th.join()
    if errors:
        log("%d pin requests failed, e.g. %s" % (len(errors), errors[0]))
        return 1
    log("%d pin requests accepted in %.1f s" % (len(cids), time.monotonic() - t))
    want = set(cids)
    deadline = time.monotonic() + a.wait
    while True:
        have = len(want & allocations(a.rest))
        if have == len(want):
            log("the trusted peer's /allocations lists all %d after %.1f s" % (have, time.monotonic() - t))
            return 0
        if time.monotonic() > deadline:
            log("the trusted peer's /allocations lists only %d/%d" % (have, len(want)))
            return 1
        time.sleep(1)


# --- measure -----------------------------------------------------------------------------------

def pinned_count(api, want):
    """How many of `want` the Kubo at `api` has pinned recursively (-1 if Kubo does not answer)."""
    try:
        req = urllib.request.Request(api + "/api/v0/pin/ls?type=recursive", method="POST")
        with urllib.request.urlopen(req, timeout=30) as r:
            keys = json.load(r).get("Keys") or {}
        return sum(1 for k in keys if k in want)
    except Exception:
        return -1


def proc_stats(pid):
    """(cpu seconds, VmRSS MiB, VmHWM MiB) of a live process, or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)
        rss = hwm = 0.0
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024.0
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024.0
        return cpu, rss, hwm
    except (OSError, IndexError, ValueError):
        return None


def proxy_stats(port, reset=False):
    req = urllib.request.Request("http://127.0.0.1:%d/%s" % (port, "reset" if reset else "stats"),
                                 method="POST" if reset else "GET")
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def count_errors(path, pattern):
    n = 0
    examples = []
    try:
        with open(path, errors="replace") as f:
            for line in f:
                if re.search(pattern, line):
                    n += 1
                    if len(examples) < 3:
                        examples.append(line.strip()[:300])
    except OSError:
        pass
    return n, examples


class Follower:
    def __init__(self, key, label, cmd, env, logfile, kubo_api, stats_port):
        self.key, self.label, self.cmd, self.env = key, label, cmd, env
        self.logfile, self.kubo_api, self.stats_port = logfile, kubo_api, stats_port
        self.proc = None
        self.done_at = None
        self.at_done = None  # snapshot when it reached N
        self.peak_rss_sampled = 0.0
        self.last_count = 0
        self.exited = None

    def start(self, pidfile):
        out = open(self.logfile, "w")
        self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        with open(pidfile, "a") as f:
            f.write("%d %s\n" % (self.proc.pid, self.key))

    def snapshot(self, t):
        ps = proc_stats(self.proc.pid)
        snap = {"t_s": t, "pinned": self.last_count, "proxy": proxy_stats(self.stats_port)}
        if ps:
            snap.update({"cpu_s": ps[0], "rss_mib": ps[1], "peak_rss_mib": ps[2]})
        return snap

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except OSError:
                    pass


def fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, int):
        return "{:,}".format(v)
    return "{:,.{d}f}".format(v, d=digits)


def ratio(a, b, digits=2):
    if a is None or b is None or b == 0:
        return "-"
    return "%.*f" % (digits, a / b)


def cmd_measure(a):
    cids = read_cids(a.cids)
    want = set(cids)
    n = len(want)
    lab = a.lab_dir
    base_env = dict(os.environ)
    up_env = dict(base_env, IPFS_CLUSTER_PATH=os.path.join(lab, "follow"),
                  CLUSTER_IPFSHTTP_NODEMULTIADDRESS="/ip4/127.0.0.1/tcp/%d" % a.proxy_b)
    cf_env = dict(base_env, CLUSTER_IPFSHTTP_NODEMULTIADDRESS="/ip4/127.0.0.1/tcp/%d" % a.proxy_c,
                  CLUSTER_FOLLOW_RESTAPI_URL=a.rest,
                  CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL=a.poll_interval)
    cf = Follower("cfbench", "cluster-follow",
                  [a.cf, "--config", a.cf_config, a.cf_name, "run"], cf_env,
                  os.path.join(lab, "logs", "cf-bench.log"), a.kubo_c, a.stats_c)
    up = Follower("follow", "upstream",
                  [a.follow_bin, a.cluster_name, "run"], up_env,
                  os.path.join(lab, "logs", "follow-bench.log"), a.kubo_b, a.stats_b)
    followers = [cf, up]
    for f in followers:
        if pinned_count(f.kubo_api, want) != 0:
            log("%s's Kubo already has some of the CIDs pinned; not a clean start" % f.label)
            return 1

    timeline = []
    proxy_stats(a.stats_b, reset=True)
    proxy_stats(a.stats_c, reset=True)
    t0 = time.monotonic()
    wall0 = time.time()
    for f in followers:
        f.start(os.path.join(lab, "pids"))
    log("T0: both followers started (cluster-follow pid %d, upstream pid %d); waiting for %d pins each"
        % (cf.proc.pid, up.proc.pid, n))
    last_log = 0.0
    try:
        while True:
            time.sleep(a.interval)
            t = time.monotonic() - t0
            row = {"t_s": round(t, 2)}
            for f in followers:
                if f.done_at is None:
                    c = pinned_count(f.kubo_api, want)
                    if c >= 0:
                        f.last_count = c
                    ps = proc_stats(f.proc.pid)
                    if ps:
                        f.peak_rss_sampled = max(f.peak_rss_sampled, ps[1])
                    tt = time.monotonic() - t0
                    if f.last_count >= n:
                        f.done_at = tt
                        f.at_done = f.snapshot(tt)
                        log("%s: all %d pinned at %.1f s" % (f.label, n, tt))
                    elif f.proc.poll() is not None and f.exited is None:
                        f.exited = {"t_s": tt, "code": f.proc.returncode}
                        log("%s exited with %s at %.1f s (%d/%d pinned)" % (f.label, f.proc.returncode, tt,
                                                                          f.last_count, n))
                row[f.key] = f.last_count
            timeline.append(row)
            if t - last_log >= 10:
                last_log = t
                log("%6.1f s: cluster-follow %d/%d, upstream %d/%d" % (t, cf.last_count, n, up.last_count, n))
            if all(f.done_at is not None or f.exited is not None for f in followers):
                break
            if t >= a.timeout:
                log("timeout after %.0f s" % t)
                break
        t_end = time.monotonic() - t0
        for f in followers:
            f.at_end = f.snapshot(t_end) if f.proc.poll() is None else {"t_s": t_end, "pinned": f.last_count,
                                                                        "proxy": proxy_stats(f.stats_port)}
    finally:
        for f in followers:
            f.stop()

    # --- results ---------------------------------------------------------------------------------
    res = {"date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(wall0)), "pins": n,
           "timeout_s": a.timeout, "sample_interval_s": a.interval, "cpus": os.cpu_count(),
           "followers": {}}
    for f in followers:
        snap = f.at_done or f.at_end
        proxy = snap["proxy"]
        t = f.done_at if f.done_at is not None else snap["t_s"]
        err_pat = r"\bERROR\b" if f.key == "follow" else r"(?i)\b(error|critical)\b"
        nerr, examples = count_errors(f.logfile, err_pat)
        res["followers"][f.key] = {
            "label": f.label,
            "reached_n": f.done_at is not None,
            "time_to_n_s": f.done_at,
            "pinned_at_stop": snap["pinned"],
            "elapsed_s": t,
            "pins_per_s": snap["pinned"] / t if t > 0 else None,
            "kubo_requests_total": proxy["total"],
            "kubo_requests_by_path": proxy["by_path"],
            "kubo_mean_latency_ms_by_path": proxy["mean_latency_ms_by_path"],
            "max_in_flight": proxy["max_inflight"],
            "avg_in_flight": proxy["inflight_integral"] / t if t > 0 else None,
            "kubo_busy_s": proxy["busy_s"],
            "avg_in_flight_while_busy": proxy["avg_inflight_while_busy"],
            "proxy_errors": proxy["proxy_errors"],
            "proxy_errors_by_kind": proxy.get("proxy_errors_by_kind", {}),
            "peak_rss_mib": snap.get("peak_rss_mib"),
            "peak_rss_sampled_mib": f.peak_rss_sampled,
            "cpu_s": snap.get("cpu_s"),
            "at_end": {"t_s": f.at_end["t_s"], "pinned": f.at_end["pinned"],
                       "kubo_requests_total": f.at_end["proxy"]["total"],
                       "kubo_requests_by_path": f.at_end["proxy"]["by_path"],
                       "cpu_s": f.at_end.get("cpu_s"), "peak_rss_mib": f.at_end.get("peak_rss_mib")},
            "exited": f.exited,
            "log_error_lines": nerr,
            "log_error_examples": examples,
            "log": f.logfile,
        }
    res["timeline"] = timeline
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(res, fh, indent=2)
    print_table(res)
    return 0


def print_table(res):
    n = res["pins"]
    c = res["followers"]["cfbench"]
    u = res["followers"]["follow"]

    def time_cell(r):
        if r["reached_n"]:
            return fmt(r["time_to_n_s"], 1)
        return "> %s (%d/%d)" % (fmt(r["elapsed_s"], 0), r["pinned_at_stop"], n)

    def speed_cell(r, bound=""):
        # upstream's time / cluster-follow's time; a bound when one side hit the timeout
        least = "at least " if bound else ""
        if r >= 1:
            return "%s%.2f× (cluster-follow %s%.2f× faster)" % (bound, r, least, r)
        return "%s%.2f× (cluster-follow %s%.2f× slower)" % (bound, r, least, 1 / r)

    speed = "-"
    if c["reached_n"] and u["reached_n"]:
        speed = speed_cell(u["time_to_n_s"] / c["time_to_n_s"])
    elif c["reached_n"] and not u["reached_n"]:
        speed = speed_cell(u["elapsed_s"] / c["time_to_n_s"], "≥ ")
    elif u["reached_n"] and not c["reached_n"]:
        speed = speed_cell(u["time_to_n_s"] / c["elapsed_s"], "≤ ")

    def per_pin(r):
        return r["kubo_requests_total"] / r["pinned_at_stop"] if r["pinned_at_stop"] else None

    rows = [
        ("time to %s pinned (s)" % fmt(n), time_cell(c), time_cell(u), speed),
        ("pins per second", fmt(c["pins_per_s"], 1), fmt(u["pins_per_s"], 1), ratio(c["pins_per_s"], u["pins_per_s"])),
        ("Kubo requests, total", fmt(c["kubo_requests_total"]), fmt(u["kubo_requests_total"]),
         ratio(c["kubo_requests_total"], u["kubo_requests_total"])),
    ]
    paths = sorted(set(c["kubo_requests_by_path"]) | set(u["kubo_requests_by_path"]))
    for p in paths:
        a, b = c["kubo_requests_by_path"].get(p, 0), u["kubo_requests_by_path"].get(p, 0)
        rows.append(("  " + p, fmt(a), fmt(b), ratio(a, b)))
    rows += [
        ("Kubo requests per pinned CID", fmt(per_pin(c), 2), fmt(per_pin(u), 2), ratio(per_pin(c), per_pin(u))),
        ("max Kubo requests in flight", fmt(c["max_in_flight"]), fmt(u["max_in_flight"]),
         ratio(c["max_in_flight"], u["max_in_flight"])),
        ("avg Kubo requests in flight", fmt(c["avg_in_flight"], 2), fmt(u["avg_in_flight"], 2),
         ratio(c["avg_in_flight"], u["avg_in_flight"])),
        ("avg in flight while >= 1 in flight", fmt(c["avg_in_flight_while_busy"], 2),
         fmt(u["avg_in_flight_while_busy"], 2), ratio(c["avg_in_flight_while_busy"], u["avg_in_flight_while_busy"])),
        ("time with >= 1 request in flight (s)", fmt(c["kubo_busy_s"], 1), fmt(u["kubo_busy_s"], 1),
         ratio(c["kubo_busy_s"], u["kubo_busy_s"])),
        ("peak RSS (MiB)", fmt(c["peak_rss_mib"], 1), fmt(u["peak_rss_mib"], 1), ratio(c["peak_rss_mib"], u["peak_rss_mib"])),
        ("CPU (s, user+sys)", fmt(c["cpu_s"], 2), fmt(u["cpu_s"], 2), ratio(c["cpu_s"], u["cpu_s"])),
        ("error lines in its log", fmt(c["log_error_lines"]), fmt(u["log_error_lines"]), ""),
        ("proxy errors (see the JSON)", fmt(c["proxy_errors"]), fmt(u["proxy_errors"]), ""),
    ]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows + [("", "cluster-follow")])
    w2 = max(len(r[2]) for r in rows + [("", "", "upstream")])
    print()
    print("Pinning benchmark: %s small pins, %s UTC, %s CPUs; counts until each follower had all N"
          " pinned (or the timeout)" % (fmt(n), res["date_utc"], res["cpus"]))
    print()
    print("%-*s  %*s  %*s  %s" % (w0, "", w1, "cluster-follow", w2, "upstream",
                                  "ratio cluster-follow / upstream (speed: upstream's time / ours)"))
    for r in rows:
        print("%-*s  %*s  %*s  %s" % (w0, r[0], w1, r[1], w2, r[2], r[3]))
    print()
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pin")
    p.add_argument("--cids", required=True)
    p.add_argument("--rest", default="http://127.0.0.1:9094")
    p.add_argument("--parallel", type=int, default=8)
    p.add_argument("--wait", type=float, default=600)
    m = sub.add_parser("measure")
    m.add_argument("--cids", required=True)
    m.add_argument("--lab-dir", required=True)
    m.add_argument("--cf", required=True)
    m.add_argument("--cf-config", required=True)
    m.add_argument("--cf-name", default="bench")
    m.add_argument("--follow-bin", default="ipfs-cluster-follow")
    m.add_argument("--cluster-name", default="cflab")
    m.add_argument("--rest", default="http://127.0.0.1:9094")
    m.add_argument("--poll-interval", default="1s")
    m.add_argument("--kubo-b", default="http://127.0.0.1:5011")
    m.add_argument("--kubo-c", default="http://127.0.0.1:5021")
    m.add_argument("--proxy-b", type=int, default=5012)
    m.add_argument("--proxy-c", type=int, default=5022)
    m.add_argument("--stats-b", type=int, default=5013)
    m.add_argument("--stats-c", type=int, default=5023)
    m.add_argument("--interval", type=float, default=0.5)
    m.add_argument("--timeout", type=float, default=1800)
    m.add_argument("--json")
    p2 = sub.add_parser("table")
    p2.add_argument("json")
    a = ap.parse_args()
    if a.cmd == "pin":
        return cmd_pin(a)
    if a.cmd == "table":
        with open(a.json) as f:
            print_table(json.load(f))
        return 0
    return cmd_measure(a)


if __name__ == "__main__":
    sys.exit(main())
