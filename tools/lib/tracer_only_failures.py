#!/usr/bin/env python3
"""Whether every test that failed in a ctest run failed only because
LeakSanitizer's own thread-stopping tracer crashed at exit: the test's checks
all passed, and no leak, sanitizer report or crash of the test itself was
reported. Exits 0 (and names them) when so, 1 otherwise.

  tracer_only_failures.py BUILD_DIR/Testing/Temporary/LastTest.log
"""
import re
import sys

TRACER = ("Tracer caught signal", "LeakSanitizer has encountered a fatal error")
FINDINGS = re.compile(
    r"ERROR: (LeakSanitizer: detected|AddressSanitizer)|runtime error:|\[  FAILED  \]")


def blocks(log):
    """(test name, its block of the log) for each test ctest ran."""
    parts = re.split(r"^\d+/\d+ Testing: (.*)$", log, flags=re.M)
    return zip(parts[1::2], parts[2::2])


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        log = f.read()
    failed = [(name, text) for name, text in blocks(log) if "Test Failed." in text]
    if not failed:
        return 1
    for name, text in failed:
        only_tracer = (all(t in text for t in TRACER) and "[  PASSED  ]" in text
                       and not FINDINGS.search(text))
        if not only_tracer:
            return 1
    for name, _ in failed:
        print(name.split("  #")[0].strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
