"""What a remote gateway's latency does to Continue's autocomplete, measured on the fake one.

Starts ``python -m continue_setup.fake --delay D`` for a few delays, streams a FIM request
the way Continue does (``POST .../mistral/eu/v1/fim/completions``, ``stream: true``) and
times the first chunk. Continue (continue-clients.md section 5) keeps only the first line of
a completion whose time passed ``modelTimeout``, and stops the stream at 2.5 x
``modelTimeout`` after the request started. Prints a Markdown table. Not part of the tests.

    python benchmarks/fim_latency.py [--delays 0,0.2,0.4,0.8] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import httpx

KEY = "sk-ld-benchmark-0000000000000000"
TIMEOUTS = (150, 1000)  # Continue's default modelTimeout (ms), and what init writes


def first_chunk_ms(client: httpx.Client, url: str) -> float:
    """Stream one FIM completion; return the milliseconds until its first data line."""
    body = {"model": "codestral-2501", "prompt": "def add(a, b):\n    return", "suffix": "\n",
            "max_tokens": 256, "temperature": 0.01, "stream": True}
    start = time.perf_counter()
    with client.stream("POST", f"{url}/mistral/eu/v1/fim/completions", json=body,
                       headers={"Authorization": f"Bearer {KEY}", "x-api-key": KEY}) as answer:
        answer.raise_for_status()
        for line in answer.iter_lines():
            if line.startswith("data: "):
                return (time.perf_counter() - start) * 1000
    raise RuntimeError("the fake sent no data line")


def verdict(ms: float, timeout: int) -> str:
    """Say what Continue keeps of a completion whose first chunk came after ``ms``."""
    if ms >= 2.5 * timeout:
        return "cut (stream stopped)"
    if ms >= timeout:
        return "first line only"
    return "whole completion"


def measure(delay: float, runs: int) -> float:
    """Return the median time to the first chunk with the fake at ``delay`` seconds."""
    fake = subprocess.Popen(
        [sys.executable, "-m", "continue_setup.fake", "--port", "0", "--delay", str(delay)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert fake.stdout is not None
        url = fake.stdout.readline().split()[-1]
        with httpx.Client(timeout=30, trust_env=False) as client:
            first_chunk_ms(client, url)  # warm up the connection
            return statistics.median(first_chunk_ms(client, url) for _ in range(runs))
    finally:
        fake.terminate()
        fake.wait(timeout=10)


def main() -> None:
    """Measure each delay and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delays", default="0,0.2,0.4,0.8")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    header = " | ".join(f"modelTimeout {t} ms" for t in TIMEOUTS)
    print(f"| fake --delay | first chunk (median) | {header} |")
    print("|---|---|" + "---|" * len(TIMEOUTS))
    for delay in (float(d) for d in args.delays.split(",")):
        ms = measure(delay, args.runs)
        cells = " | ".join(verdict(ms, t) for t in TIMEOUTS)
        print(f"| {delay:g} s | {ms:.0f} ms | {cells} |")


if __name__ == "__main__":
    main()
