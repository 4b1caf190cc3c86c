#!/usr/bin/env python3
"""Checks deploy/ against the real server: the manifests parse (yamllint),
the systemd unit verifies (systemd-analyze), every flag they pass is one the
server accepts with that value, every port and probe they name is one it
serves, the memory they reserve covers the RSS measured under load, and the
server speaks systemd's notify protocol.

usage: deploy_test.py SERVER_BINARY PLUGIN_DIR LOADGEN_BINARY DEPLOY_DIR
"""
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import grpc
import yaml

SERVER, PLUGIN_DIR, LOADGEN, DEPLOY = map(os.path.abspath, sys.argv[1:5])
UNIT = os.path.join(DEPLOY, "systemd", "escalation-server.service")
KUBE = os.path.join(DEPLOY, "kubernetes")


def kube_objects():
    objects = {}
    for name in sorted(os.listdir(KUBE)):
        with open(os.path.join(KUBE, name)) as f:
            for doc in yaml.safe_load_all(f):
                objects[doc["kind"]] = doc
    return objects


def container(objects):
    return objects["Deployment"]["spec"]["template"]["spec"]["containers"][0]


def read(path):
    with open(path) as f:
        return f.read()


def unit_args():
    text = read(UNIT).replace("\\\n", " ")
    line = next(l for l in text.splitlines() if l.startswith("ExecStart="))
    return shlex.split(line[len("ExecStart="):])[1:]


def flag_value(args, name):
    for arg in args:
        if arg.startswith("--%s=" % name):
            return arg.split("=", 1)[1]
    raise AssertionError("no --%s in %s" % (name, args))


def port_of(address):
    return int(address.rsplit(":", 1)[1])


def local_args(args, tmp):
    """The same flags and values, made runnable here: free loopback ports, the
    build's plugins, files in a temporary directory."""
    out = []
    for arg in args:
        name, _, value = arg[2:].partition("=")
        if name in ("listen", "metrics_listen"):
            value = "127.0.0.1:0"
        elif name == "plugin_dir":
            value = PLUGIN_DIR
        elif name == "decision_log" and value != "-":
            value = os.path.join(tmp, "decisions.jsonl")
        out.append("--%s=%s" % (name, value))
    return out


class Server:
    """A real escalation-server; ports read from its JSON log lines."""

    def __init__(self, args, env=None):
        self.proc = subprocess.Popen([SERVER] + args, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, env=env)
        self.events = {}
        while "listening" not in self.events:
            line = self.proc.stderr.readline()
            if not line:
                raise AssertionError("server exited: %s" % self.proc.wait())
            event = json.loads(line)
            self.events[event["event"]] = event
        self.port = self.events["listening"]["port"]
        self.metrics_port = self.events.get("metrics_listening", {}).get("port")

    def stop(self):
        self.proc.terminate()
        self.proc.stderr.read()
        self.proc.stderr.close()
        return self.proc.wait(timeout=30)


def health(port, service):
    """grpc.health.v1.Health/Check over the wire: 1 is SERVING."""
    request = b"" if not service else b"\x0a" + bytes([len(service)]) + service.encode()
    with grpc.insecure_channel("127.0.0.1:%d" % port) as channel:
        response = channel.unary_unary("/grpc.health.v1.Health/Check")(request, timeout=5)
    return response[1] if len(response) >= 2 and response[0] == 0x08 else 0


class DeployTest(unittest.TestCase):
    def test_manifests_pass_yamllint_strict(self):
        result = subprocess.run(["yamllint", "-s", KUBE], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_systemd_unit_verifies_without_a_warning(self):
        with tempfile.TemporaryDirectory() as tmp:
            text = read(UNIT).replace("/usr/local/bin/escalation-server", SERVER)
            path = os.path.join(tmp, "escalation-server.service")
            with open(path, "w") as f:
                f.write(text)
            result = subprocess.run(["systemd-analyze", "verify", "--man=no", path],
                                    capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout + result.stderr, "")

    def test_every_flag_is_one_the_server_lists(self):
        help_text = subprocess.run([SERVER, "--help"], capture_output=True, text=True).stdout
        known = set(re.findall(r"^\s+--(\w+) \(", help_text, re.M))
        self.assertIn("listen", known)
        for args in (unit_args(), container(kube_objects())["args"]):
            for arg in args:
                self.assertIn(arg[2:].split("=")[0], known, arg)

    def test_the_server_starts_with_exactly_these_flags_and_values(self):
        for args in (unit_args(), container(kube_objects())["args"]):
            with tempfile.TemporaryDirectory() as tmp:
                server = Server(local_args(args, tmp))
                self.assertEqual(health(server.port, ""), 1)
                self.assertEqual(server.stop(), 0)

    def test_ports_and_probes_are_the_ones_the_server_serves(self):
        objects = kube_objects()
        c = container(objects)
        grpc_port = port_of(flag_value(c["args"], "listen"))
        metrics_port = port_of(flag_value(c["args"], "metrics_listen"))
        ports = {p["name"]: p["containerPort"] for p in c["ports"]}
        self.assertEqual(ports, {"grpc": grpc_port, "metrics": metrics_port})
        self.assertEqual(c["livenessProbe"]["grpc"]["port"], grpc_port)
        self.assertEqual(c["readinessProbe"]["grpc"]["port"], grpc_port)
        annotations = objects["Deployment"]["spec"]["template"]["metadata"]["annotations"]
        self.assertEqual(int(annotations["prometheus.io/port"]), metrics_port)
        service = objects["Service"]["spec"]
        self.assertEqual(service["clusterIP"], "None")
        for p in service["ports"]:
            self.assertIn(p["targetPort"], ports)
        labels = objects["Deployment"]["spec"]["template"]["metadata"]["labels"]
        self.assertEqual(service["selector"], labels)
        self.assertEqual(objects["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"], labels)
        self.assertLess(objects["PodDisruptionBudget"]["spec"]["minAvailable"],
                        objects["Deployment"]["spec"]["replicas"])

        with tempfile.TemporaryDirectory() as tmp:
            server = Server(local_args(c["args"], tmp))
            try:
                for probe in (c["livenessProbe"], c["readinessProbe"]):
                    self.assertEqual(health(server.port, probe["grpc"].get("service", "")), 1,
                                     probe)
                url = "http://127.0.0.1:%d%s" % (server.metrics_port,
                                                  annotations["prometheus.io/path"])
                body = urllib.request.urlopen(url, timeout=5).read().decode()
                self.assertIn("escalation_build_info{", body)
            finally:
                self.assertEqual(server.stop(), 0)

    def test_memory_reserved_covers_the_rss_measured_under_load(self):
        resources = container(kube_objects())["resources"]
        mib = lambda q: int(q[:-2]) if q.endswith("Mi") else int(q[:-2]) * 1024
        with tempfile.TemporaryDirectory() as tmp:
            server = Server(local_args(container(kube_objects())["args"], tmp) +
                            ["--decision_log=" + os.path.join(tmp, "d.jsonl")])
            subprocess.run([LOADGEN, "--server=127.0.0.1:%d" % server.port,
                            "--concurrency=32", "--duration=2s"], check=True,
                           capture_output=True)
            status = read("/proc/%d/status" % server.proc.pid)
            peak_kib = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
            self.assertEqual(server.stop(), 0)
        peak_mib = peak_kib / 1024
        print("measured peak RSS under load: %.1f MiB; request %s, limit %s" %
              (peak_mib, resources["requests"]["memory"], resources["limits"]["memory"]))
        self.assertGreaterEqual(mib(resources["requests"]["memory"]), peak_mib)
        self.assertGreaterEqual(mib(resources["limits"]["memory"]), 2 * peak_mib)

    def test_the_server_tells_systemd_when_it_is_ready_and_when_it_stops(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "notify")
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sock.bind(path)
            sock.settimeout(10)
            server = Server(["--listen=127.0.0.1:0", "--plugin_dir=" + PLUGIN_DIR],
                            env=dict(os.environ, NOTIFY_SOCKET=path))
            self.assertEqual(sock.recv(4096), b"READY=1")
            self.assertEqual(health(server.port, ""), 1)
            server.proc.terminate()
            self.assertEqual(sock.recv(4096), b"STOPPING=1")
            self.assertEqual(server.stop(), 0)
            sock.close()


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
