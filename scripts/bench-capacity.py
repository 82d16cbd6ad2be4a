#!/usr/bin/env python3
"""Trials and search of scripts/bench-capacity (see there): N live streams, one `facestream run`."""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SOURCE_FPS = 30.0
MAX_FPS = 5
WATCHDOG_SECONDS = 10
PACE_NEEDED = 0.95
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid):
    """utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_kib(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Threads"):
                values[key] = int(rest.split()[0])
    return values


def busy_seconds():
    """CPU time every process of the machine used so far: user, nice, system, irq, softirq (/proc/stat)."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6]) / TICKS


def load_average():
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


class NotifyListener:
    """The systemd notification socket: records (time, message) of every datagram."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.messages = []
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self.listen, daemon=True)
        self.thread.start()

    def listen(self):
        while self.running:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            now = time.monotonic()
            with self.lock:
                for line in data.decode(errors="replace").splitlines():
                    self.messages.append((now, line))

    def seen(self, text):
        with self.lock:
            return any(message == text for _, message in self.messages)

    def times(self, text):
        with self.lock:
            return [at for at, message in self.messages if message == text]

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def scrape(port):
    """Per stream: frames in, dropped, reconnects, from the Prometheus endpoint."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    streams = {}
    pattern = re.compile(r'^(facestream_\w+)\{stream="([^"]+)"\}\s+([0-9.e+-]+)$')
    for line in text.splitlines():
        match = pattern.match(line)
        if match:
            name, stream, value = match.groups()
            streams.setdefault(stream, {})[name] = float(value)
    return streams


def total(streams, metric):
    return sum(values.get(metric, 0) for values in streams.values())


def write_config(path, count, ports, metrics_port, folder, model, precision):
    lines = [
        f'model = "{model}"',
        f'precision = "{precision}"',
        'log_level = "warning"',
        f'metrics = "127.0.0.1:{metrics_port}"',
        "status_interval = 3600",
        "",
    ]
    for index in range(count):
        lines += [
            "[[stream]]",
            f'name = "cam{index}"',
            f'source = "http://127.0.0.1:{ports[index]}"',
            f"max_fps = {MAX_FPS}",
            f'output = "{folder}/cam{index}.jsonl"',
            "",
        ]
    with open(path, "w") as config:
        config.write("\n".join(lines))


def log_tail(folder, lines=3):
    """The last lines of the trial's facestream log, for a failure message (the folder goes)."""
    try:
        with open(os.path.join(folder, "facestream.log")) as log:
            return " | ".join(line.strip() for line in log.readlines()[-lines:]) or "its log is empty"
    except OSError:
        return "no log"


def stop(process, timeout=15):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def trial(options, count):
    """One run with `count` streams; returns a dict of figures and the verdict."""
    folder = tempfile.mkdtemp(prefix=f"bench-capacity-{count}-")
    # The load average counts facestream's own runnable threads during the trial, so the machine's
    # other work shows in the figure from before it.
    load_before = load_average()
    servers = []
    facestream = None
    listener = NotifyListener(os.path.join(folder, "notify"))
    try:
        ports = [free_port() for _ in range(count)]
        for port in ports:
            servers.append(
                subprocess.Popen(
                    ["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", options.clip,
                     "-c", "copy", "-f", "mpegts", "-listen", "1", f"http://127.0.0.1:{port}"],
                    stdout=subprocess.DEVNULL, stderr=open(os.path.join(folder, f"server{port}.log"), "w")))
        metrics_port = free_port()
        config = os.path.join(folder, "facestream.toml")
        write_config(config, count, ports, metrics_port, folder, options.model, options.precision)
        environment = dict(os.environ, NOTIFY_SOCKET=listener.path, WATCHDOG_USEC=str(WATCHDOG_SECONDS * 1_000_000))
        log = open(os.path.join(folder, "facestream.log"), "w")
        facestream = subprocess.Popen(
            [options.binary, "run", "--config", config], env=environment, stdout=log, stderr=log)
        deadline = time.monotonic() + 60 + count
        while not listener.seen("READY=1"):
            if facestream.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"facestream did not start (exit status {facestream.poll()}): {log_tail(folder)}")
            time.sleep(0.1)
        time.sleep(options.warmup)
        if facestream.poll() is not None:
            raise RuntimeError(f"facestream ended: {log_tail(folder)}")
        before = scrape(metrics_port)
        start = time.monotonic()
        cpu_start = cpu_seconds(facestream.pid)
        servers_start = sum(cpu_seconds(server.pid) for server in servers)
        machine_start = busy_seconds()
        time.sleep(options.seconds)
        if facestream.poll() is not None:
            raise RuntimeError(f"facestream ended: {log_tail(folder)}")
        elapsed = time.monotonic() - start
        cpu = cpu_seconds(facestream.pid) - cpu_start
        servers_cpu = sum(cpu_seconds(server.pid) for server in servers) - servers_start
        others_cpu = busy_seconds() - machine_start - cpu - servers_cpu
        memory = memory_kib(facestream.pid)
        after = scrape(metrics_port)
        end = time.monotonic()
        pings = [at for at in listener.times("WATCHDOG=1") if start <= at <= end]
        marks = [start] + pings + [end]
        longest_gap = max(b - a for a, b in zip(marks, marks[1:]))
        received = [
            after.get(f"cam{i}", {}).get("facestream_frames_in_total", 0)
            - before.get(f"cam{i}", {}).get("facestream_frames_in_total", 0)
            for i in range(count)
        ]
        slowest = min(received) / elapsed if received else 0
        result = {
            "count": count,
            "cpu_percent": 100 * cpu / elapsed,
            "servers_percent": 100 * servers_cpu / elapsed,
            "others_percent": max(0.0, 100 * others_cpu / elapsed),
            "rss_mib": memory.get("VmRSS", 0) / 1024,
            "hwm_mib": memory.get("VmHWM", 0) / 1024,
            "threads": memory.get("Threads", 0),
            "dropped": total(after, "facestream_frames_dropped_total") - total(before, "facestream_frames_dropped_total"),
            "reconnects": total(after, "facestream_reconnects_total") - total(before, "facestream_reconnects_total"),
            "analysed": (total(after, "facestream_frames_analysed_total")
                         - total(before, "facestream_frames_analysed_total")) / elapsed / count,
            "slowest_fps": slowest,
            "pings": len(pings),
            "longest_gap": longest_gap,
            "load": load_before,
        }
        problems = []
        if result["dropped"] > 0:
            problems.append(f"{result['dropped']:.0f} frames dropped")
        if result["reconnects"] > 0:
            problems.append(f"{result['reconnects']:.0f} reconnects")
        if slowest < PACE_NEEDED * SOURCE_FPS:
            problems.append(f"slowest stream {slowest:.1f} fps")
        if longest_gap >= WATCHDOG_SECONDS:
            problems.append(f"watchdog silent {longest_gap:.1f} s")
        result["problems"] = problems
        return result
    finally:
        if facestream is not None:
            stop(facestream)
        for server in servers:
            stop(server, timeout=5)
        listener.close()
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)


def describe(result):
    count = result["count"]
    verdict = "pass" if not result["problems"] else "FAIL (" + ", ".join(result["problems"]) + ")"
    return (
        f"N={count}: {verdict}; facestream {result['cpu_percent']:.0f} % CPU "
        f"({result['cpu_percent'] / count:.1f} % per stream), RSS {result['rss_mib']:.0f} MiB "
        f"({result['rss_mib'] / count:.1f} MiB per stream, peak {result['hwm_mib']:.0f}), "
        f"{result['threads']} threads, analysed {result['analysed']:.2f} fps per stream, "
        f"slowest stream {result['slowest_fps']:.1f} fps, dropped {result['dropped']:.0f}, "
        f"watchdog {result['pings']} pings (longest gap {result['longest_gap']:.1f} s); "
        f"servers {result['servers_percent']:.0f} % CPU; other processes {result['others_percent']:.0f} % CPU; "
        f"load average before the trial {result['load']}"
    )


def run_trial(options, count, results):
    try:
        result = trial(options, count)
    except RuntimeError as error:
        print(f"N={count}: FAIL ({error})", flush=True)
        return False
    results[count] = result
    print(describe(result), flush=True)
    return not result["problems"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--clip", required=True)
    parser.add_argument("--model", default="version-RFB-320.onnx")
    parser.add_argument("--precision", default="fp32", choices=["fp32", "int8"])
    parser.add_argument("--min", type=int, default=4)
    parser.add_argument("--max", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=8)
    parser.add_argument("--only", type=int)
    parser.add_argument("--keep", action="store_true", help="keep each trial's folder (config, logs)")
    options = parser.parse_args()
    if options.min < 1 or options.max < options.min or options.max > 64:
        sys.exit("bench-capacity: need 1 <= --min <= --max <= 64 (64 streams is the daemon's limit)")
    print(f"machine: {os.cpu_count()} cores; load average {load_average()}; window {options.seconds:g} s "
          f"after {options.warmup:g} s warm-up; {options.binary}", flush=True)
    results = {}
    if options.only:
        best = options.only if run_trial(options, options.only, results) else 0
    else:
        best, failed = 0, None
        count = options.min
        while True:
            if run_trial(options, count, results):
                best = count
                if count == options.max:
                    break
                count = min(2 * count, options.max)
            else:
                failed = count
                break
        while failed is not None and failed - best > 1 and best > 0:
            middle = (best + failed) // 2
            if run_trial(options, middle, results):
                best = middle
            else:
                failed = middle
    if best == 0:
        print("capacity: 0 streams (no trial passed)")
        sys.exit(1)
    figures = results[best]
    print(
        f"capacity: {best} streams, {figures['cpu_percent'] / best:.1f} % CPU per stream, "
        f"{figures['rss_mib'] / best:.1f} MiB per stream (facestream {figures['cpu_percent']:.0f} % CPU, "
        f"{figures['rss_mib']:.0f} MiB; servers {figures['servers_percent']:.0f} % CPU; "
        f"other processes {figures['others_percent']:.0f} % CPU; "
        f"window {options.seconds:g} s; load average before that trial {figures['load']})"
    )


if __name__ == "__main__":
    main()
