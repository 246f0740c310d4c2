#!/usr/bin/env python3
"""Wall time of one-shot commands, measured alternately in one run.

Usage: alternate.py RUNS WARMUP NAME=COMMAND [NAME=COMMAND ...]

Each round starts every command once (the order rotating from round to
round), so a machine that gets busier or quieter during the run weighs on
every command alike. A command is started with posix_spawn (no shell) and
waited for; its output goes to /dev/null; a command that fails stops the
run. Prints per command the median, quartiles, minimum and mean in ms, and
each command's median against the first one's.
"""
import os
import shlex
import statistics
import sys
import time


def run_once(argv, devnull):
    t0 = time.perf_counter_ns()
    pid = os.posix_spawnp(argv[0], argv, os.environ,
                          file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1),
                                        (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status = os.waitpid(pid, 0)
    t1 = time.perf_counter_ns()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed (status {status}): {shlex.join(argv)}")
    return (t1 - t0) / 1e6


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    runs, warmup = int(sys.argv[1]), int(sys.argv[2])
    cmds = []
    for arg in sys.argv[3:]:
        name, _, command = arg.partition("=")
        cmds.append((name, shlex.split(command)))
    devnull = os.open(os.devnull, os.O_WRONLY)
    times = {name: [] for name, _ in cmds}
    for r in range(warmup + runs):
        k = r % len(cmds)
        for name, argv in cmds[k:] + cmds[:k]:
            t = run_once(argv, devnull)
            if r >= warmup:
                times[name].append(t)
    base = statistics.median(times[cmds[0][0]])
    print(f"{'command':<24} {'median':>8} {'q1':>8} {'q3':>8} {'min':>8} "
          f"{'mean':>8}  ratio (median / {cmds[0][0]})")
    for name, argv in cmds:
        t = sorted(times[name])
        q = statistics.quantiles(t, n=4)
        med = statistics.median(t)
        print(f"{name:<24} {med:8.2f} {q[0]:8.2f} {q[2]:8.2f} {t[0]:8.2f} "
              f"{statistics.fmean(t):8.2f}  {med / base:.2f}x")
    print(f"({runs} alternating rounds after {warmup} warm-up rounds; ms of "
          "wall time from posix_spawn to exit)")


if __name__ == "__main__":
    main()
