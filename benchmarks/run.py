"""Benchmarks: each figure is a ratio measured side by side in one run, so it holds on a
noisy machine. Prints a Markdown table. Not part of the test run.

    pip install -e '.[dev]' && python benchmarks/run.py [--quick]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
KEY = "sk-ld-benchmark-0000000000000000"
RECIPE = {
    "models": [
        {
            "title": "GPT-5.2",
            "provider": "openai",
            "model": "gpt-5.2",
            "apiKey": KEY,
            "apiBase": "https://api.langdock.com/openai/eu/v1",
        },
        {
            "title": "Claude Sonnet 4.6",
            "provider": "anthropic",
            "model": "claude-sonnet-4-6-default",
            "apiKey": KEY,
            "apiBase": "https://api.langdock.com/anthropic/eu/v1",
        },
    ],
    "tabAutocompleteModel": {
        "title": "Codestral",
        "provider": "mistral",
        "model": "codestral-2501",
        "apiKey": KEY,
        "apiBase": "https://api.langdock.com/mistral/eu/v1",
    },
}


@dataclass
class Run:
    seconds: float
    peak_kib: int
    code: int


def run_once(argv: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run a command, returning its wall time, peak memory (KiB) and exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(elapsed, usage.ru_maxrss, proc.returncode)


def median(argv: Sequence[str], repeat: int, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` ``repeat`` times (after one warm-up) and keep the median run."""
    run_once(argv, env)
    runs = [run_once(argv, env) for _ in range(repeat)]
    runs.sort(key=lambda r: r.seconds)
    middle = runs[len(runs) // 2]
    return Run(
        statistics.median(r.seconds for r in runs), max(r.peak_kib for r in runs), middle.code
    )


def side_by_side(
    ours: Sequence[str], peer: Sequence[str], repeat: int, env: dict[str, str] | None = None
) -> tuple[Run, Run]:
    """Run two commands turn about, ``repeat`` times each, and keep each one's median run.

    Alternating spreads the machine's changing load evenly over both sides.
    """
    run_once(ours, env)
    run_once(peer, env)
    pairs = [(run_once(ours, env), run_once(peer, env)) for _ in range(repeat)]

    def middle(runs: list[Run]) -> Run:
        runs = sorted(runs, key=lambda r: r.seconds)
        return Run(runs[len(runs) // 2].seconds, max(r.peak_kib for r in runs), runs[0].code)

    return middle([a for a, _ in pairs]), middle([b for _, b in pairs])


def tool(name: str) -> str:
    """Return the path of a console script installed beside this interpreter."""
    candidate = Path(PY).with_name(name)
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed: pip install -e '.[dev]'")
    return found


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def bench_startup(repeat: int, rows: list[list[str]]) -> None:
    cli = tool("continue-setup")
    env = dict(os.environ, COLUMNS="100")
    for args in (["--help"], ["--version"]):
        ours, bare = side_by_side([cli, *args], [PY, "-c", "pass"], repeat, env)
        delta = ours.seconds - bare.seconds
        rows.append(
            [
                f"start-up `continue-setup {args[0]}`",
                ms(ours.seconds),
                f"bare python {ms(bare.seconds)}",
                f"+{delta * 1000:.1f} ms",
                "≤ +40 ms",
                "✓" if delta <= 0.040 else "✗",
            ]
        )


def bench_validate_one(work: Path, repeat: int, rows: list[list[str]]) -> None:
    config = work / "one" / "config.json"
    config.parent.mkdir()
    config.write_text(json.dumps(RECIPE, indent=2))
    ours, peer = side_by_side(
        [tool("continue-setup"), "validate", str(config)],
        [
            tool("check-jsonschema"),
            "--schemafile",
            str(ROOT / "schemas" / "config-json.schema.json"),
            str(config),
        ],
        repeat,
    )
    ratio = ours.seconds / peer.seconds
    rows.append(
        [
            "validate the recipe (1 file)",
            ms(ours.seconds),
            f"check-jsonschema {ms(peer.seconds)}",
            f"{ratio:.2f}x",
            "≤ 0.4x",
            "✓" if ratio <= 0.4 else "✗",
        ]
    )


def bench_validate_many(work: Path, count: int, repeat: int, rows: list[list[str]]) -> None:
    folder = work / "many"
    folder.mkdir()
    files = []
    for i in range(count):
        data = json.loads(json.dumps(RECIPE))
        data["models"][0]["title"] = f"GPT {i}"
        path = folder / f"config-{i:04d}.json"
        path.write_text(json.dumps(data, indent=2))
        files.append(str(path))
    ours, peer = side_by_side(
        [tool("continue-setup"), "validate", "--json", *files],
        [
            tool("check-jsonschema"),
            "--schemafile",
            str(ROOT / "schemas" / "config-json.schema.json"),
            *files,
        ],
        repeat,
    )
    speedup = peer.seconds / ours.seconds
    per_file = ours.seconds / count
    good = speedup >= 3 and per_file < 0.002
    rows.append(
        [
            f"validate {count} files in one run",
            ms(ours.seconds),
            f"check-jsonschema {ms(peer.seconds)}",
            f"{speedup:.1f}x faster, {per_file * 1000:.2f} ms/file",
            "≥ 3x and < 2 ms/file",
            "✓" if good else "✗",
        ]
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_ping(work: Path, repeat: int, rows: list[list[str]]) -> None:
    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "continue_setup.fake.server", "--port", str(port), "--delay", "0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, LANGDOCK_API_KEY=KEY, NO_PROXY="127.0.0.1")
        cli = tool("continue-setup")
        whole = work / "ping-all"
        init = run_once(
            [cli, "init", "--yes", "--no-ping", "--base-url", base, "--config-dir", str(whole)], env
        )
        if init.code != 0:
            rows.append(["ping 3 entries (500 ms each)", "init failed", "", "", "", "✗"])
            return
        singles = []
        for entry in ("gpt", "claude", "codestral"):
            single = work / f"ping-{entry}"
            run_once(
                [
                    cli,
                    "init",
                    "--yes",
                    "--no-ping",
                    "--base-url",
                    base,
                    "--entries",
                    entry,
                    "--config-dir",
                    str(single),
                ],
                env,
            )
            singles.append(median([cli, "ping", "--config-dir", str(single)], repeat, env))
        together = median([cli, "ping", "--config-dir", str(whole)], repeat, env)
        slowest = max(s.seconds for s in singles)
        total = sum(s.seconds for s in singles)
        ratio = together.seconds / slowest
        rows.append(
            [
                "ping 3 entries, each answer delayed 500 ms",
                ms(together.seconds),
                f"slowest single {ms(slowest)}; sum {ms(total)}",
                f"{ratio:.2f}x slowest",
                "≤ 1.2x slowest",
                "✓" if ratio <= 1.2 else "✗",
            ]
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def bench_init_and_memory(work: Path, repeat: int, rows: list[list[str]]) -> None:
    cli = tool("continue-setup")
    env = dict(os.environ, LANGDOCK_API_KEY=KEY)
    target = work / "init"
    fresh = []
    for i in range(repeat):
        fresh.append(
            run_once([cli, "init", "--yes", "--no-ping", "--config-dir", str(target / str(i))], env)
        )
    again = median(
        [cli, "init", "--yes", "--no-ping", "--config-dir", str(target / "0")], repeat, env
    )
    first = statistics.median(r.seconds for r in fresh)
    rows.append(
        [
            "init end to end (--no-ping), new dir",
            ms(first),
            f"unchanged re-run {ms(again.seconds)}",
            "",
            "",
            "",
        ]
    )
    peaks = {
        "--version": median([cli, "--version"], 3).peak_kib,
        "init": max(r.peak_kib for r in fresh),
        "validate": median([cli, "validate", str(target / "0" / "config.json")], 3).peak_kib,
        "templates": median([cli, "templates"], 3).peak_kib,
    }
    rows.append(
        [
            "peak memory (max RSS)",
            ", ".join(f"{k} {v / 1024:.0f} MiB" for k, v in peaks.items()),
            "",
            "",
            "",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    repeat = 3 if args.quick else 9
    rows: list[list[str]] = []
    # A regular install compiles bytecode; an editable one may not (PYTHONDONTWRITEBYTECODE),
    # and the peers were installed from wheels: compile ours too, so start-ups compare fairly.
    compileall.compile_dir(ROOT / "continue_setup", quiet=1)
    with tempfile.TemporaryDirectory(prefix="continue-setup-bench-") as tmp:
        work = Path(tmp)
        os.environ["HOME"] = str(work / "home")
        os.environ["USERPROFILE"] = str(work / "home")
        os.environ.pop("CONTINUE_GLOBAL_DIR", None)
        bench_startup(repeat * 2, rows)
        bench_validate_one(work, repeat, rows)
        bench_validate_many(work, 1000, max(5, repeat), rows)
        bench_ping(work, max(3, repeat // 3), rows)
        bench_init_and_memory(work, repeat, rows)
    cpu = platform.processor() or platform.machine()
    print(
        f"Machine: {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {time.strftime('%Y-%m-%d')}\n"
    )
    print("| benchmark | ours | compared with | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
