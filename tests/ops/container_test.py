#!/usr/bin/env python3
"""Builds deploy/container/Containerfile with Debian's podman from a Debian 12
base (mmdebstrap) and `cmake --install` of this build, tags it with the image
name deploy/kubernetes/deployment.yaml uses, runs it as the Deployment does
(its args, its user, a read-only root file system), and asks the Deployment's
liveness and readiness probes, its metrics port and a real call of the
running container; SIGTERM stops it with status 0.

podman runs with runc and explicit --ulimit values: crun cannot set the
default limits on these machines (hybrid cgroups, no CAP_SYS_RESOURCE).

usage: container_test.py CMAKE BUILD_DIR SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import installed_layout as layout  # noqa: E402

CMAKE, BUILD_DIR, SOURCE_DIR = sys.argv[1], *map(os.path.abspath, sys.argv[2:4])
DEPLOY = os.path.join(SOURCE_DIR, "deploy")
BASE_IMAGE = "localhost/debian12-base"
PODMAN = ["podman", "--runtime=runc"]
ULIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]


def run(*args, timeout=600):
    started = time.monotonic()
    result = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)
    print("%.1f s: %s -> %d" % (time.monotonic() - started, " ".join(args[:4]),
                                result.returncode), flush=True)
    if result.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s%s" % (" ".join(args), result.returncode,
                                                        result.stdout, result.stderr))
    return result.stdout


def ensure_base_image(work):
    """Debian 12 as a local image: no registry is reachable from CI. Kept
    between runs (it is the mirror's bookworm, nothing of this repository)."""
    if subprocess.run(["podman", "image", "exists", BASE_IMAGE]).returncode == 0:
        return
    tar = os.path.join(work, "base.tar")
    run("mmdebstrap", "--variant=minbase", "bookworm", tar)
    run("podman", "import", tar, BASE_IMAGE)


def wait_serving(port, service, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return layout.health(port, service)
        except Exception:  # grpc.RpcError while the container starts
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class ContainerTest(unittest.TestCase):
    def test_the_image_serves_as_the_deployment_runs_it(self):
        objects = layout.kube_objects(DEPLOY)
        spec = objects["Deployment"]["spec"]["template"]["spec"]
        c = layout.container(objects)
        security = c["securityContext"]
        grpc_port = {p["name"]: p["containerPort"] for p in c["ports"]}["grpc"]
        metrics_port = {p["name"]: p["containerPort"] for p in c["ports"]}["metrics"]
        host_grpc, host_metrics = layout.free_port(), layout.free_port()
        with tempfile.TemporaryDirectory(prefix="escalation-image-") as work:
            prefix = os.path.join(work, "prefix")
            layout.install(CMAKE, BUILD_DIR, prefix)
            ensure_base_image(work)
            run(*PODMAN, "build", "--network=host", *ULIMITS, "-f",
                os.path.join(DEPLOY, "container", "Containerfile"), "-t", c["image"], prefix)

            name = "escalation-container-test-%d" % os.getpid()
            user = "%d" % security["runAsUser"]
            read_only = ["--read-only"] if security["readOnlyRootFilesystem"] else []
            run(*PODMAN, "run", "-d", "--name", name, *ULIMITS, "--user", user, *read_only,
                "-p", "127.0.0.1:%d:%d" % (host_grpc, grpc_port),
                "-p", "127.0.0.1:%d:%d" % (host_metrics, metrics_port),
                c["image"], *c["args"])
            try:
                liveness = c["livenessProbe"]["grpc"]
                readiness = c["readinessProbe"]["grpc"]
                self.assertEqual(liveness["port"], grpc_port)
                self.assertEqual(readiness["port"], grpc_port)
                self.assertEqual(wait_serving(host_grpc, liveness.get("service", "")), 1)
                self.assertEqual(layout.health(host_grpc, readiness.get("service", "")), 1)

                annotations = objects["Deployment"]["spec"]["template"]["metadata"]["annotations"]
                self.assertEqual(int(annotations["prometheus.io/port"]), metrics_port)
                url = "http://127.0.0.1:%d%s" % (host_metrics, annotations["prometheus.io/path"])
                self.assertIn("escalation_build_info{",
                              urllib.request.urlopen(url, timeout=5).read().decode())

                code, listed = layout.escalationctl(prefix, host_grpc, "plugins")
                self.assertEqual(code, 0, listed)
                for department in layout.departments(SOURCE_DIR):
                    # ListPlugins names files, not where they are.
                    self.assertIn("config: %s.json\n" % department, listed)
                code, routed = layout.escalationctl(prefix, host_grpc, *layout.EXAMPLE_ROUTE)
                self.assertEqual(code, 0, routed)
                self.assertRegex(routed, r"\bcs\.")
                # The decision log (--decision_log=-) is the container's stdout.
                self.assertIn('"decision_id"', run("podman", "logs", name))

                grace = spec["terminationGracePeriodSeconds"]
                run(*PODMAN, "stop", "-t", str(grace), name, timeout=grace + 30)
                self.assertEqual(run("podman", "inspect", "-f", "{{.State.ExitCode}}",
                                     name).strip(), "0")
            except Exception:
                subprocess.run(["podman", "logs", name])
                raise
            finally:
                subprocess.run(["podman", "rm", "-f", name], capture_output=True)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
