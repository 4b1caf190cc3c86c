#!/usr/bin/env python3
"""A rolling restart behind a real load balancer: Debian's HAProxy speaks
HTTP/2 (gRPC) to three replicas of the installed server on loopback, each
started with the systemd unit's flags (paths moved under the install prefix,
listen addresses on loopback); clients send a steady stream of Route calls
through HAProxy while each replica in turn gets SIGTERM, exits, is started
again on its port and is back in HAProxy's rotation before the next one
(twice round).
Every call is classified by its status: every one must be OK.

usage: rolling_restart_test.py CMAKE BUILD_DIR SOURCE_DIR
"""
import collections
import csv
import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import installed_layout as layout  # noqa: E402

CMAKE, BUILD_DIR, SOURCE_DIR = sys.argv[1], *map(os.path.abspath, sys.argv[2:4])
DEPLOY = os.path.join(SOURCE_DIR, "deploy")
REPLICAS = 3
ROUNDS = 2  # each replica is restarted this many times
CLIENT_THREADS = 8
CALL_DEADLINE_S = 10  # a loaded 2-core machine; a call slower than this fails
MAX_CALLS_PER_THREAD = 200000
MAX_TEST_SECONDS = 240

# HAProxy 2.6 (Debian 12): HTTP/2 on both sides. The replicas are checked at
# layer 4 (an HTTP check cannot send gRPC's binary framing). A request that
# found no connection, or whose connection closed before any answer, is
# retried on another replica (`option redispatch 1`): a Route call decides and
# changes nothing, so sending it again is safe.
HAPROXY_CONFIG = """\
global
    maxconn 4096
    stats socket {stats} level admin
    log stderr format raw local0 info

defaults
    mode http
    log global
    option httplog
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    timeout check 1s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response

frontend grpc
    bind 127.0.0.1:{port} proto h2
    default_backend replicas

backend replicas
    balance roundrobin
{servers}
"""
SERVER_LINE = "    server r{i} 127.0.0.1:{port} proto h2 check inter 300ms fall 1 rise 2\n"


def generate_messages(proto_root, out_dir):
    """Python messages from the installed .proto files alone."""
    protos = [os.path.join("escalation/v1", f)
              for f in sorted(os.listdir(os.path.join(proto_root, "escalation/v1")))]
    subprocess.run(["protoc", "-I" + proto_root, "-I/usr/include",
                    "--python_out=" + out_dir, *protos], check=True)
    sys.path.insert(0, out_dir)
    from escalation.v1 import call_pb2, service_pb2
    request = service_pb2.RouteRequest()
    request.call.department = call_pb2.CUSTOMER_SERVICE
    request.call.reasons.append(call_pb2.CANCEL_CONTRACT)
    request.evaluation_time.FromJsonString("2026-11-23T15:00:00Z")
    return request.SerializeToString()


class HAProxy:
    def __init__(self, work, replica_ports):
        self.port = layout.free_port()
        self.stats = os.path.join(work, "haproxy.sock")
        config = os.path.join(work, "haproxy.cfg")
        with open(config, "w") as f:
            f.write(HAPROXY_CONFIG.format(
                stats=self.stats, port=self.port,
                servers="".join(SERVER_LINE.format(i=i, port=p)
                                for i, p in enumerate(replica_ports))))
        subprocess.run(["haproxy", "-c", "-q", "-f", config], check=True)
        self.log = open(os.path.join(work, "haproxy.log"), "w+")
        self.proc = subprocess.Popen(["haproxy", "-db", "-f", config],
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def backend_stats(self):
        """HAProxy's `show stat` rows of the backend by name: r0.., BACKEND."""
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(self.stats)
                s.sendall(b"show stat\n")
                data = b"".join(iter(lambda: s.recv(65536), b""))
        except OSError:
            return {}
        rows = csv.DictReader(io.StringIO(data.decode().lstrip("# ")))
        return {r["svname"]: r for r in rows if r["pxname"] == "replicas"}

    def status(self):
        """Each server's status in HAProxy's view: {"r0": "UP", ...}."""
        return {name: row["status"] for name, row in self.backend_stats().items()
                if name != "BACKEND"}

    def wait_up(self, names, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status = self.status()
            if all(status.get(n) == "UP" for n in names):
                return
            time.sleep(0.1)
        raise AssertionError("HAProxy never saw %s UP: %s" % (names, self.status()))

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.seek(0)
        text = self.log.read()
        self.log.close()
        return text


class Callers:
    """CLIENT_THREADS threads, each with its own channel to HAProxy, sending
    Route calls back to back; every answer counted by status code."""

    def __init__(self, port, request):
        self.port = port
        self.request = request
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.codes = collections.Counter()
        self.failures = []  # (seconds since start, code, details), the first ones
        self.start_time = time.monotonic()
        self.threads = [threading.Thread(target=self.run) for _ in range(CLIENT_THREADS)]
        for t in self.threads:
            t.start()

    def run(self):
        with grpc.insecure_channel("127.0.0.1:%d" % self.port) as channel:
            route = channel.unary_unary("/escalation.v1.RoutingService/Route")
            for _ in range(MAX_CALLS_PER_THREAD):
                if self.stop_event.is_set():
                    return
                try:
                    route(self.request, timeout=CALL_DEADLINE_S)
                    code, details = "OK", ""
                except grpc.RpcError as error:
                    code, details = error.code().name, error.details()
                with self.lock:
                    self.codes[code] += 1
                    if code != "OK" and len(self.failures) < 20:
                        self.failures.append((round(time.monotonic() - self.start_time, 3),
                                              code, details))

    def ok_count(self):
        with self.lock:
            return self.codes["OK"]

    def stop(self):
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=CALL_DEADLINE_S + 5)


def requests_served(metrics_port):
    body = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % metrics_port,
                                  timeout=5).read().decode()
    return sum(float(v) for v in
               re.findall(r'^escalation_requests_total\{[^}]*method="[^"]*Route"[^}]*\} (\S+)$',
                          body, re.M))


def haproxy_requests(log):
    """HAProxy's HTTP log lines grouped by (status, bytes, termination state),
    most frequent first: an answer unlike the others (a gRPC error in the
    trailers, a reset stream) stands out by its size or state."""
    groups = {}
    for line in log.splitlines():
        fields = line.split()
        if len(fields) < 10 or "/" not in fields[3]:
            continue  # not a request line (a server state change, an alert)
        key = (fields[5], fields[6], fields[9])
        count, example = groups.get(key, (0, line))
        groups[key] = (count + 1, example)
    return sorted(groups.items(), key=lambda item: -item[1][0])


class RollingRestartTest(unittest.TestCase):
    def test_no_call_fails_while_each_replica_restarts_behind_haproxy(self):
        with tempfile.TemporaryDirectory(prefix="escalation-rolling-") as work:
            prefix = os.path.join(work, "prefix")
            layout.install(CMAKE, BUILD_DIR, prefix)
            request = generate_messages(
                os.path.join(prefix, "share", "escalation", "protos"), work)
            program, *unit_args = layout.unit_args(DEPLOY)
            server = layout.moved_path(program, prefix, work)
            ports = [layout.free_port() for _ in range(REPLICAS)]

            def start(i):
                root = os.path.join(work, "replica%d" % i)
                return layout.Server(server, layout.local_args(
                    unit_args, prefix, root, listen="127.0.0.1:%d" % ports[i]))

            replicas = [start(i) for i in range(REPLICAS)]
            haproxy = HAProxy(work, ports)
            callers = None
            timeline = []
            exits = []
            try:
                names = ["r%d" % i for i in range(REPLICAS)]
                haproxy.wait_up(names)
                callers = Callers(haproxy.port, request)
                time.sleep(2)
                for i in list(range(REPLICAS)) * ROUNDS:
                    self.assertLess(time.monotonic() - callers.start_time, MAX_TEST_SECONDS)
                    at = lambda: round(time.monotonic() - callers.start_time, 3)
                    timeline.append((at(), "SIGTERM r%d" % i, callers.ok_count()))
                    exits.append(replicas[i].stop())
                    timeline.append((at(), "r%d exited %d" % (i, exits[-1]),
                                     callers.ok_count()))
                    replicas[i] = start(i)
                    timeline.append((at(), "r%d listening" % i, callers.ok_count()))
                    haproxy.wait_up(names)
                    timeline.append((at(), "r%d UP in HAProxy" % i, callers.ok_count()))
                    time.sleep(2)
            finally:
                if callers:
                    callers.stop()
                served = [requests_served(r.metrics_port) for r in replicas]
                # Requests HAProxy sent again (wretr) and to another replica
                # (wredis): what a client without the balancer would have seen.
                stats = haproxy.backend_stats()
                resent = {name: (row["wretr"], row["wredis"]) for name, row in stats.items()}
                for r in replicas:
                    r.stop()
                haproxy_log = haproxy.stop()

            print("timeline (s, event, OK calls so far):")
            for event in timeline:
                print("  %8.3f  %-22s %d" % event)
            print("calls by status: %s" % dict(callers.codes))
            print("Route calls answered by each restarted replica: %s" % served)
            print("replica exit statuses: %s" % exits)
            print("HAProxy retries, redispatches by server: %s" % resent)
            for failure in callers.failures:
                print("failed call at %.3f s: %s %s" % failure)
            print("HAProxy's requests by HTTP status, response bytes and "
                  "termination state (one example of each):")
            for (status, size, state), (count, line) in haproxy_requests(haproxy_log):
                print("  %s %s %s: %d, e.g. %s" % (status, size, state, count, line))
            self.assertEqual(exits, [0] * REPLICAS * ROUNDS)
            self.assertTrue(all(n > 0 for n in served), served)
            self.assertGreater(callers.codes["OK"], 0)
            # A call that reaches a draining replica before its GOAWAY is
            # evaluated (not refused UNAVAILABLE, which no balancer can resend)
            # and its answer must reach the caller whole, not reset by HAProxy
            # when the replica closes the connection (docs/operations.md,
            # "Upgrade a plugin (rolling restart)").
            failed = {code: n for code, n in callers.codes.items() if code != "OK"}
            self.assertEqual(failed, {}, "failed calls: %s" % dict(callers.codes))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
