#!/usr/bin/env python3
"""Runs every shell command that README.md and docs/*.md print in ```sh
blocks, as printed, from the repository root, and fails naming each one that
exits non-zero.

usage: docs_examples_test.py REPO_ROOT ESCALATIONCTL
       docs_examples_test.py --memory-figure REPO_ROOT
           (only checks that docs/operations.md and deploy/ give one figure
           for the server's peak RSS)

The commands of one document run in order in one bash session, so a `cd` or
a file one command makes carries to the next. Everything runs as root in
namespaces of its own (unshare): a private network, so the commands' fixed
ports (localhost:50051) are the test's alone, and private mounts, so the
prefixes the documents install to (/opt, /usr/local), /var/log, /tmp and
$HOME are scratch directories that vanish with the test.

A command that starts a server (`tools/run`, `escalation-server ...`) runs in
the background until it answers health SERVING (it passes) or exits (it
fails); it then serves the document's later commands. A command that talks
to a server (escalationctl, escalation-policy-test --server,
escalation-loadgen) gets the one tools/run starts, started by the test when
the document started none.

A block that cannot run here is marked on the line before its fence:
    <!-- docs_examples: not run: REASON -->
and is listed with its reason; a marker without a reason is an error.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

SKIP = re.compile(r"^<!--\s*docs_examples:\s*not run:(.*?)-->\s*$")
SERVER_WAIT_SECONDS = 600  # tools/run configures and builds first.


class Command:
    def __init__(self, doc, line, text, skip_reason):
        self.doc, self.line, self.text, self.skip_reason = doc, line, text, skip_reason

    def where(self):
        return "%s:%d" % (self.doc, self.line)

    def words(self):
        try:
            return shlex.split(self.text, comments=True)
        except ValueError:
            return self.text.split()

    def program(self):
        words = [w for w in self.words() if not re.match(r"^[A-Z_]+=", w)]
        return os.path.basename(words[0]) if words else ""

    def starts_server(self):
        words = self.words()
        if "--help" in words or "--version" in words:
            return False
        return self.program() in ("run", "escalation-server") and (
            self.program() == "escalation-server" or words[0].endswith("tools/run"))

    def needs_server(self):
        words = self.words()
        if "--help" in words or "-h" in words or "help" in words[1:2]:
            return False
        if self.program() == "escalationctl":
            return True
        if self.program() == "escalation-policy-test":
            return any(w.startswith("--server") for w in words)
        return self.program() == "escalation-loadgen"

    def runs_this_suite(self):
        words = self.words()
        return bool(words) and words[0].endswith("tools/test")

    def listen_port(self):
        for w in self.words():
            m = re.match(r"--listen=.*:(\d+)$", w)
            if m:
                return int(m.group(1))
        return 50051


def extract(root, name):
    """The commands of the ```sh blocks of one Markdown file."""
    commands, errors = [], []
    lines = open(os.path.join(root, name)).read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```sh":
            i += 1
            continue
        skip_reason = None
        marker = SKIP.match(lines[i - 1].strip()) if i > 0 else None
        if marker:
            skip_reason = marker.group(1).strip()
            if not skip_reason:
                errors.append("%s:%d: a not-run marker must give its reason" % (name, i))
        i += 1
        pending, first = "", 0
        while i < len(lines) and lines[i].strip() != "```":
            text = lines[i]
            if not pending and (not text.strip() or text.strip().startswith("#")):
                i += 1
                continue
            if not pending:
                first = i + 1
            if text.rstrip().endswith("\\"):
                pending += text.rstrip()[:-1] + " "
            else:
                commands.append(Command(name, first, pending + text.strip(), skip_reason))
                pending = ""
            i += 1
        if pending:
            errors.append("%s:%d: a command ends in a line continuation" % (name, first))
        i += 1
    return commands, errors


def documents(root):
    docs = ["README.md"]
    docs += sorted("docs/" + f for f in os.listdir(os.path.join(root, "docs"))
                   if f.endswith(".md"))
    return docs


BASH_PRELUDE = r"""
set +e
__server_pid=
__stop_server() {
  if [[ -n $__server_pid ]]; then
    kill -TERM -- -"$__server_pid" 2>/dev/null || kill -TERM "$__server_pid" 2>/dev/null
    wait "$__server_pid" 2>/dev/null
    __server_pid=
  fi
}
trap __stop_server EXIT
# __serve PORT: waits until the background server answers SERVING on PORT
# (0) or has exited (1).
__serve() {
  local deadline=$((SECONDS + %(wait)d))
  while ((SECONDS < deadline)); do
    if %(ctl)s health --server "127.0.0.1:$1" --deadline 2s >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$__server_pid" 2>/dev/null || { wait "$__server_pid"; __server_pid=; return 1; }
    sleep 0.5
  done
  echo "no answer on port $1 within %(wait)d s" >&2
  return 1
}
__report() { echo "__DOCS_EXAMPLES__ $1 $2"; }
"""


def script_for(root, commands, ctl):
    out = [BASH_PRELUDE % {"wait": SERVER_WAIT_SECONDS, "ctl": shlex.quote(ctl)}]
    out.append("cd %s" % shlex.quote(root))
    for n, c in enumerate(commands):
        out.append("echo; echo %s" % shlex.quote("$ " + c.text + "    # " + c.where()))
        if c.runs_this_suite():
            out.append("echo 'refused: it runs the whole test suite, this test included; "
                       "mark its block not run' >&2; __report %d 125" % n)
            continue
        if c.starts_server():
            out.append("__stop_server")
            # Its own process group, so stopping it stops what it started.
            out.append("set -m\n(\n%s\n) &\n__server_pid=$!; set +m" % c.text)
            out.append("__serve %d; __report %d $?" % (c.listen_port(), n))
            continue
        if c.needs_server():
            build = shlex.quote(os.path.join(root, "build"))
            out.append('if [[ -z $__server_pid ]]; then '
                       'echo "(the test starts the server tools/run starts)"; set -m; '
                       '( %s/server/escalation-server --listen=localhost:50051 '
                       '--plugin_dir=%s/plugins ) & __server_pid=$!; set +m; '
                       '__serve 50051 || echo "the server did not start" >&2; fi' % (build, build))
        out.append(c.text)
        out.append("__report %d $?" % n)
    return "\n".join(out) + "\n"


def run_in_namespaces(root, ctl, commands_by_doc):
    """Re-runs this script inside fresh namespaces (see the docstring)."""
    if os.environ.get("DOCS_EXAMPLES_INSIDE") == "1":
        return run_inside(root, ctl, commands_by_doc)
    if os.geteuid() != 0:
        print("docs_examples: must run as root (it makes private mount and network namespaces)")
        return 1
    env = dict(os.environ, DOCS_EXAMPLES_INSIDE="1")
    return subprocess.call(["unshare", "--mount", "--net", "--fork", "--propagation", "private",
                            sys.executable, os.path.abspath(__file__), root, ctl], env=env)


def mount_scratch(scratch, mode, root):
    """Mounts an empty tmpfs on `scratch`; a repository `root` inside it (a
    clone under /tmp, as CI may make) is bound back in at the same path."""
    os.makedirs(scratch, exist_ok=True)
    inside = os.path.commonpath([root, scratch]) == scratch
    if inside:
        holder = "/run/docs_examples_root_%d" % os.getpid()
        os.makedirs(holder, exist_ok=True)
        subprocess.check_call(["mount", "--bind", root, holder])
    subprocess.check_call(["mount", "-t", "tmpfs", "-o", "mode=" + mode, "docs_examples",
                           scratch])
    if inside:
        os.makedirs(root, exist_ok=True)
        subprocess.check_call(["mount", "--move", holder, root])
        os.rmdir(holder)


def run_inside(root, ctl, commands_by_doc):
    subprocess.check_call(["ip", "link", "set", "lo", "up"])
    root = os.path.realpath(root)
    for scratch, mode in (("/opt", "0755"), ("/usr/local", "0755"), ("/var/log", "0755"),
                          ("/tmp", "1777")):
        mount_scratch(scratch, mode, root)
    home = tempfile.mkdtemp(prefix="home-", dir="/tmp")
    env = dict(os.environ, HOME=home, PATH="/usr/local/bin:" + os.environ.get("PATH", ""))
    env.pop("DOCS_EXAMPLES_INSIDE")
    failed, ran = [], 0
    for doc, commands in commands_by_doc:
        runnable = [c for c in commands if c.skip_reason is None]
        if not runnable:
            continue
        print("==== %s: %d commands" % (doc, len(runnable)), flush=True)
        proc = subprocess.run(["bash", "-c", script_for(root, runnable, ctl)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        status = {}
        for line in proc.stdout.splitlines():
            m = re.match(r"^__DOCS_EXAMPLES__ (\d+) (\d+)$", line)
            if m:
                status[int(m.group(1))] = int(m.group(2))
            else:
                print(line)
        for n, c in enumerate(runnable):
            ran += 1
            code = status.get(n)
            if code == 0:
                print("PASS %s: %s" % (c.where(), c.text))
            else:
                why = "did not run (an earlier command ended the session)" if code is None \
                    else "exit status %d" % code
                failed.append("%s: %s  -- %s" % (c.where(), c.text, why))
        print(flush=True)
    for f in failed:
        print("FAIL " + f)
    print("%d commands run, %d failed" % (ran, len(failed)))
    return 1 if failed or ran == 0 else 0


PEAK_RSS = re.compile(r"peak RSS[^.]*?about\s+(\d+(?:\.\d+)?)\s+MiB", re.S)


def memory_figures_agree(root):
    """docs/operations.md and deploy/kubernetes/deployment.yaml give one peak RSS."""
    figures = {}
    for name in ("docs/operations.md", "deploy/kubernetes/deployment.yaml"):
        found = PEAK_RSS.search(open(os.path.join(root, name)).read())
        figures[name] = found.group(1) if found else None
        print("%s: peak RSS about %s MiB" % (name, figures[name]))
    values = set(figures.values())
    if None in values or len(values) != 1:
        print("FAIL: the peak RSS figures differ or one is missing")
        return 1
    return 0


def main():
    if sys.argv[1] == "--memory-figure":
        return memory_figures_agree(os.path.abspath(sys.argv[2]))
    root, ctl = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    commands_by_doc, errors = [], []
    for doc in documents(root):
        commands, doc_errors = extract(root, doc)
        errors += doc_errors
        commands_by_doc.append((doc, commands))
    if os.environ.get("DOCS_EXAMPLES_INSIDE") != "1":
        for doc, commands in commands_by_doc:
            for c in commands:
                if c.skip_reason:
                    print("NOT RUN %s: %s  -- %s" % (c.where(), c.text, c.skip_reason))
    if errors:
        for e in errors:
            print("ERROR " + e)
        return 1
    return run_in_namespaces(root, ctl, commands_by_doc)


if __name__ == "__main__":
    sys.exit(main())
