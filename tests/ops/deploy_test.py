#!/usr/bin/env python3
"""Checks deploy/ against the installed server: `cmake --install` of the build
into a temporary prefix lays out what deploy/ names; the manifests parse
(yamllint), the systemd unit verifies (systemd-analyze), every flag they pass
is one the server accepts; the installed server starts with exactly the flags
of the unit and of the Deployment (paths moved under the prefix, listen
addresses on loopback) and answers calls; every port and probe they name is
one it serves, the memory they reserve covers the RSS measured under load,
and it speaks systemd's notify protocol.

usage: deploy_test.py CMAKE BUILD_DIR SOURCE_DIR
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import installed_layout as layout  # noqa: E402
from installed_layout import Server, container, flag_value, health, kube_objects, port_of  # noqa: E402

CMAKE, BUILD_DIR, SOURCE_DIR = sys.argv[1], *map(os.path.abspath, sys.argv[2:4])
DEPLOY = os.path.join(SOURCE_DIR, "deploy")
UNIT = os.path.join(DEPLOY, "systemd", "escalation-server.service")
KUBE = os.path.join(DEPLOY, "kubernetes")
PREFIX_DIR = tempfile.TemporaryDirectory(prefix="escalation-install-")
PREFIX = PREFIX_DIR.name
SERVER = os.path.join(PREFIX, "bin", "escalation-server")
LOADGEN = os.path.join(PREFIX, "bin", "escalation-loadgen")


read = layout.read


def unit_args():
    program, *args = layout.unit_args(DEPLOY)
    return args


def local_args(args, root):
    return layout.local_args(args, PREFIX, root)


def start(args, root, env=None):
    return Server(SERVER, local_args(args, root), env=env)


class DeployTest(unittest.TestCase):
    def test_install_lays_out_what_deploy_names(self):
        unit = read(UNIT)
        doc = re.search(r"^Documentation=file://(\S+)$", unit, re.M).group(1)
        plugin_dir = flag_value(unit_args(), "plugin_dir")
        self.assertEqual(plugin_dir, flag_value(container(kube_objects(DEPLOY))["args"],
                                                "plugin_dir"))
        expected = [layout.unit_args(DEPLOY)[0], doc]
        for program in ("escalation-plugin-host", "escalationctl", "escalation-policy-test",
                        "escalation-loadgen"):
            expected.append("/usr/local/bin/" + program)
        for department in layout.departments(SOURCE_DIR):
            expected += [os.path.join(plugin_dir, department + ".so"),
                         os.path.join(plugin_dir, department + ".json")]
        expected += ["/usr/local/lib/cmake/EscalationSDK/EscalationSDKConfig.cmake",
                     "/usr/local/include/escalation/sdk/plugin.h",
                     "/usr/local/share/escalation/protos/escalation/v1/service.proto"]
        for path in expected:
            installed = layout.moved_path(path, PREFIX, "/nonexistent")
            self.assertTrue(os.path.isfile(installed), "not installed: " + installed)
        self.assertEqual(sorted(f for f in os.listdir(PREFIX + plugin_dir[len("/usr/local"):])
                                if f.endswith(".so")),
                         [d + ".so" for d in layout.departments(SOURCE_DIR)])

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
        for args in (unit_args(), container(kube_objects(DEPLOY))["args"]):
            for arg in args:
                self.assertIn(arg[2:].split("=")[0], known, arg)

    def test_the_installed_server_starts_with_exactly_these_flags_and_answers(self):
        for args in (unit_args(), container(kube_objects(DEPLOY))["args"]):
            with self.subTest(args=args), tempfile.TemporaryDirectory() as root:
                server = start(args, root)
                try:
                    self.assertEqual(health(server.port, ""), 1)
                    code, listed = layout.escalationctl(PREFIX, server.port, "plugins")
                    self.assertEqual(code, 0, listed)
                    for department in layout.departments(SOURCE_DIR):
                        # ListPlugins names files, not where they are.
                        self.assertIn(department + " ", listed)
                        self.assertIn("config: %s.json\n" % department, listed)
                    code, routed = layout.escalationctl(PREFIX, server.port,
                                                        *layout.EXAMPLE_ROUTE)
                    self.assertEqual(code, 0, routed)
                    self.assertRegex(routed, r"\bcs\.")
                finally:
                    self.assertEqual(server.stop(), 0, "".join(server.lines))
                log = flag_value(args, "decision_log")
                if log != "-":
                    lines = read(layout.moved_path(log, PREFIX, root)).splitlines()
                    self.assertEqual(len(lines), 1, lines)

    def test_ports_and_probes_are_the_ones_the_server_serves(self):
        objects = kube_objects(DEPLOY)
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
            server = start(c["args"], tmp)
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
        resources = container(kube_objects(DEPLOY))["resources"]
        mib = lambda q: int(q[:-2]) if q.endswith("Mi") else int(q[:-2]) * 1024
        with tempfile.TemporaryDirectory() as tmp:
            server = Server(SERVER, local_args(container(kube_objects(DEPLOY))["args"], tmp) +
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
            server = start(unit_args(), tmp, env=dict(os.environ, NOTIFY_SOCKET=path))
            self.assertEqual(sock.recv(4096), b"READY=1")
            self.assertEqual(health(server.port, ""), 1)
            server.proc.terminate()
            self.assertEqual(sock.recv(4096), b"STOPPING=1")
            self.assertEqual(server.stop(), 0)
            sock.close()


if __name__ == "__main__":
    installed = layout.install(CMAKE, BUILD_DIR, PREFIX)
    print("cmake --install: %d files into %s" % (installed.count("-- Installing:"), PREFIX))
    try:
        unittest.main(argv=sys.argv[:1], verbosity=2)
    finally:
        PREFIX_DIR.cleanup()
