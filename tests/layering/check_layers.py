#!/usr/bin/env python3
"""Checks that the server's folders depend only downward.

Usage: check_layers.py <server dir> [<layers file>]

The layers file (server/layers.txt by default) lists the folders lowest first,
each as "folder: the folders it may include". Fails, naming the file, line and
folders, when
  - a folder under server/ is not in the layers file,
  - a folder may include one not listed above it,
  - a file includes "server/<other>/..." its folder may not include,
  - a folder's CMakeLists.txt links escalation_<other> its folder may not use,
  - folders include each other round (a cycle), declared or not.
"""

import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"server/([A-Za-z0-9_]+)/([^"]+)"')
LINKED = re.compile(r"\bescalation_([a-z0-9_]+)\b")


def read_layers(path):
    """Returns ([folders lowest first], {folder: allowed}, [errors])."""
    order, allowed, errors = [], {}, []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        folder, colon, deps = line.partition(":")
        folder = folder.strip()
        if not colon or not re.fullmatch(r"[a-z0-9_]+", folder):
            errors.append(f"{path}:{number}: expected \"folder: folders below it\", got {line!r}")
            continue
        if folder in allowed:
            errors.append(f"{path}:{number}: {folder} is listed twice")
        for dep in deps.split():
            if dep not in allowed:
                errors.append(f"{path}:{number}: {folder} may include {dep}, "
                              f"which is not listed above it")
        order.append(folder)
        allowed[folder] = set(deps.split())
    return order, allowed, errors


def find_cycle(edges):
    """A folder cycle in {folder: {folder: where}} as a list, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(edges.get(node, {})):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, path)
                if found:
                    return found
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    server = pathlib.Path(argv[1])
    layers_path = pathlib.Path(argv[2]) if len(argv) == 3 else server / "layers.txt"
    if not server.is_dir():
        print(f"{server}: not a directory", file=sys.stderr)
        return 2
    if not layers_path.is_file():
        print(f"{layers_path}: no layers file", file=sys.stderr)
        return 2
    order, allowed, errors = read_layers(layers_path)
    rank = {folder: i for i, folder in enumerate(order)}

    folders = sorted(p.name for p in server.iterdir() if p.is_dir())
    for folder in folders:
        if folder not in allowed:
            errors.append(f"{server / folder}: not in {layers_path}")

    edges = {}  # folder -> {included folder: first file:line}
    files = 0
    for path in sorted(server.rglob("*")):
        if path.suffix not in (".h", ".cc", ".c") or not path.is_file():
            continue
        files += 1
        folder = path.relative_to(server).parts[0]
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match or match.group(1) == folder:
                continue
            target = match.group(1)
            where = f"{path}:{number}"
            edges.setdefault(folder, {}).setdefault(target, where)
            if folder in allowed and target not in allowed.get(folder, set()):
                if target in rank and rank[target] > rank[folder]:
                    how = "a folder above it"
                elif target in rank:
                    how = "a folder it does not list"
                else:
                    how = "a folder not in the layers file"
                errors.append(f"{where}: {folder} includes {how}: server/{target}/{match.group(2)} "
                              f"({folder} may include: {' '.join(sorted(allowed[folder])) or 'nothing'})")

    for cmake in sorted(server.glob("*/CMakeLists.txt")):
        folder = cmake.parent.name
        if folder not in allowed:
            continue
        for number, line in enumerate(cmake.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            for target in LINKED.findall(code):
                if target in rank and target != folder and target not in allowed[folder]:
                    errors.append(f"{cmake}:{number}: {folder} links escalation_{target} "
                                  f"({folder} may use: {' '.join(sorted(allowed[folder])) or 'nothing'})")

    for a in sorted(edges):
        for b in sorted(edges[a]):
            if a < b and a in edges.get(b, {}):
                errors.append(f"{a} and {b} include each other: {edges[a][b]}, {edges[b][a]}")
    cycle = find_cycle(edges)
    if cycle:
        steps = [f"{a} -> {b} ({edges[a][b]})" for a, b in zip(cycle, cycle[1:])]
        errors.append("folders include each other round: " + "; ".join(steps))

    if files == 0:
        errors.append(f"{server}: no .h/.cc files found")
    for error in errors:
        print(error)
    if errors:
        print(f"FAILED: {len(errors)} layering error(s) in {server}")
        return 1
    print(f"OK: {files} files in {len(folders)} folders depend only downward ({layers_path})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
