"""Shared by the PyTorch CPU peers in bench/peers (files starting with '_' are not run as peers):
the row filter, bench/harness.ts's timing (with both thread counts), the row printer and the bench
cases' seeded LCG weights."""
import json
import os
import sys
import time

import numpy as np
import torch

FILTER = sys.argv[1] if len(sys.argv) > 1 else ''
REPS = 5
# Every row is timed with os.cpu_count() intra-op threads and with 1; the faster is the row's ms
# (both are in the row as msByThreads). On this shared 2-core machine a second OpenMP thread that
# is not scheduled stalls every parallel op at its barrier (a 64 x 255 tanh: 0.08 ms on 1 thread,
# 6 ms on 2 under load), so a fixed thread count can make the peer look far slower than it is.
THREAD_COUNTS = sorted({os.cpu_count() or 1, 1}, reverse=True)


def lcg(n, seed, scale):
    """bench/cases/wavenet.ts tensor(): s = s * 1664525 + 1013904223 (mod 2^32); (s / 2^31 - 1) * scale."""
    out = np.empty(n, dtype=np.float64)
    s = seed & 0xFFFFFFFF
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = s
    return ((out / 2 ** 31 - 1) * scale).astype(np.float32)


def tensor(shape, seed, scale):
    return torch.from_numpy(lcg(int(np.prod(shape)), seed, scale)).view(*shape)


def median(v):
    return sorted(v)[len(v) // 2]


def time_runs(run, reps=REPS):
    """(best median ms, threads it used, {threads: median ms})."""
    by = {}
    for th in THREAD_COUNTS:
        torch.set_num_threads(th)
        by[th] = time_runs1(run, reps)
    best = min(by, key=by.get)
    return by[best], best, by


def time_runs1(run, reps):
    run()                                                       # warm-up
    t0 = time.perf_counter()
    run()
    single = (time.perf_counter() - t0) * 1e3
    batch = max(1, min(50, int(np.ceil(30 / max(single, 0.01)))))
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(batch):
            run()
        samples.append((time.perf_counter() - t0) * 1e3 / batch)
    return median(samples)


def wanted(family, name, peer_of):
    return FILTER in f'{family} {name}' or FILTER in f'{family} {peer_of}'


def emit(family, name, peer_of, ms, audio_seconds=None, flops=None, **extra):
    row = {'family': family, 'name': name, 'platform': 'pytorch-cpu', 'runtime': 'pytorch-cpu', 'peerOf': peer_of, 'ms': ms}
    if audio_seconds:
        row['realtime'] = audio_seconds / (ms / 1e3)
    if flops:
        row['gflops'] = flops / (ms / 1e3) / 1e9
    row.update(extra)
    print('__BENCH_ROW__ ' + json.dumps(row), flush=True)
