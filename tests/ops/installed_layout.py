"""What the deploy tests share: `cmake --install` of a build tree into a
temporary prefix, the flags of deploy/ (the systemd unit, the Kubernetes
Deployment) with their paths moved under that prefix, and a real
escalation-server process started from it."""
import json
import os
import shlex
import socket
import subprocess

import grpc
import yaml

# Where deploy/ expects `cmake --install` to have put everything.
DEPLOY_PREFIX = "/usr/local"


def install(cmake, build_dir, prefix):
    """`cmake --install BUILD_DIR --prefix PREFIX`, as the docs print it."""
    result = subprocess.run([cmake, "--install", build_dir, "--prefix", prefix],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError("cmake --install failed (%d):\n%s%s" %
                             (result.returncode, result.stdout, result.stderr))
    return result.stdout


def departments(source_dir):
    """The department plugins: one per folder of plugins/ with a CMakeLists.txt."""
    plugins = os.path.join(source_dir, "plugins")
    return sorted(d for d in os.listdir(plugins)
                  if os.path.isfile(os.path.join(plugins, d, "CMakeLists.txt")))


def read(path):
    with open(path) as f:
        return f.read()


def unit_args(deploy_dir):
    """ExecStart= of the systemd unit: program and arguments."""
    text = read(os.path.join(deploy_dir, "systemd", "escalation-server.service"))
    text = text.replace("\\\n", " ")
    line = next(l for l in text.splitlines() if l.startswith("ExecStart="))
    return shlex.split(line[len("ExecStart="):])


def kube_objects(deploy_dir):
    kube = os.path.join(deploy_dir, "kubernetes")
    objects = {}
    for name in sorted(os.listdir(kube)):
        with open(os.path.join(kube, name)) as f:
            for doc in yaml.safe_load_all(f):
                objects[doc["kind"]] = doc
    return objects


def container(objects):
    return objects["Deployment"]["spec"]["template"]["spec"]["containers"][0]


def deployment_args(deploy_dir):
    return container(kube_objects(deploy_dir))["args"]


def flag_value(args, name):
    for arg in args:
        if arg.startswith("--%s=" % name):
            return arg.split("=", 1)[1]
    raise AssertionError("no --%s in %s" % (name, args))


def port_of(address):
    return int(address.rsplit(":", 1)[1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def moved_path(path, prefix, root):
    """/usr/local/X -> PREFIX/X (the install); any other absolute path ->
    ROOT/path (a scratch root for /var/log and the like), its folder made as
    systemd's LogsDirectory= would."""
    if path == DEPLOY_PREFIX or path.startswith(DEPLOY_PREFIX + "/"):
        return prefix + path[len(DEPLOY_PREFIX):]
    moved = root + path
    os.makedirs(os.path.dirname(moved), exist_ok=True)
    return moved


def local_args(args, prefix, root, listen="127.0.0.1:0", metrics_listen="127.0.0.1:0"):
    """The same flags and values with paths moved under PREFIX (or ROOT) and
    the listen addresses on loopback (port 0 unless given): nothing else."""
    out = []
    for arg in args:
        name, _, value = arg[2:].partition("=")
        if name == "listen":
            value = listen
        elif name == "metrics_listen":
            value = metrics_listen
        elif value.startswith("/"):
            value = moved_path(value, prefix, root)
        out.append("--%s=%s" % (name, value))
    return out


class Server:
    """A real escalation-server; its ports read from its JSON log lines."""

    def __init__(self, binary, args, env=None):
        self.proc = subprocess.Popen([binary] + args, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, env=env)
        self.events = {}
        self.lines = []
        while "listening" not in self.events:
            line = self.proc.stderr.readline()
            if not line:
                raise AssertionError("server exited %s:\n%s" %
                                     (self.proc.wait(), "".join(self.lines)))
            self.lines.append(line)
            event = json.loads(line)
            self.events[event["event"]] = event
        self.port = self.events["listening"]["port"]
        self.metrics_port = self.events.get("metrics_listening", {}).get("port")

    def stop(self):
        """SIGTERM; its exit status."""
        self.proc.terminate()
        self.lines.extend(self.proc.stderr.readlines())
        self.proc.stderr.close()
        return self.proc.wait(timeout=60)


def health(port, service, host="127.0.0.1"):
    """grpc.health.v1.Health/Check over the wire: 1 is SERVING."""
    request = b"" if not service else b"\x0a" + bytes([len(service)]) + service.encode()
    with grpc.insecure_channel("%s:%d" % (host, port)) as channel:
        response = channel.unary_unary("/grpc.health.v1.Health/Check")(request, timeout=5)
    return response[1] if len(response) >= 2 and response[0] == 0x08 else 0


# The README's example call, through the installed escalationctl.
EXAMPLE_ROUTE = ["route", "--department", "CUSTOMER_SERVICE", "--reason", "CANCEL_CONTRACT",
                 "--at", "2026-11-23T15:00:00Z"]


def escalationctl(prefix, port, *args):
    """The installed escalationctl against 127.0.0.1:PORT; (exit code, output)."""
    result = subprocess.run([os.path.join(prefix, "bin", "escalationctl"), *args,
                             "--server", "127.0.0.1:%d" % port, "--deadline", "10s"],
                            capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout + result.stderr
