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
    server, base = start_fake(0.5)
    try:
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


# --- goals of issue 18: each ratio next to its target, measured side by side ------------

READ_AND_PARSE = """
import json, sys
import yaml
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as handle:
        text = handle.read()
    json.loads(text) if name.endswith(".json") else yaml.load(text, Loader=loader)
"""

HTTPX_FLOOR = """
import asyncio, json, sys
import httpx
base, key, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
async def main():
    async with httpx.AsyncClient(trust_env=False, limits=httpx.Limits(max_connections=200),
                                 timeout=30) as client:
        calls = []
        for i in range(count):
            if i % 2 == 0:
                calls.append(client.post(f"{base}/openai/eu/v1/chat/completions",
                    headers={"Authorization": f"Bearer {key}"},
                    json={"model": "gpt-4.1", "messages": [{"role": "user", "content": "ping"}],
                          "max_tokens": 16}))
            else:
                calls.append(client.post(f"{base}/anthropic/eu/v1/messages",
                    headers={"x-api-key": key, "anthropic-version": "2023-06-01"},
                    json={"model": "claude-sonnet-4-6-default", "max_tokens": 16,
                          "messages": [{"role": "user", "content": "ping"}]}))
        for route in ("openai", "anthropic")[:count]:
            calls.append(client.get(f"{base}/{route}/eu/v1/models",
                                    headers={"Authorization": f"Bearer {key}"}))
        await asyncio.gather(*calls)
asyncio.run(main())
"""


def goal_row(name: str, ours: float, peer_name: str, peer: float,
             target: float | None) -> list[str]:
    """One row: our time, the comparison, the ratio next to its target (if any), met or not."""
    ratio = ours / peer
    if target is None:  # a floor shown for reference: how far from the bare minimum
        return [name, ms(ours), f"{peer_name} {ms(peer)}", f"{ratio:.2f}x", "", ""]
    return [name, ms(ours), f"{peer_name} {ms(peer)}", f"{ratio:.2f}x", f"≤ {target:g}x",
            "✓" if ratio <= target else "✗"]


def start_fake(delay: float) -> tuple[subprocess.Popen[str], str]:
    """Start the fake gateway on a free port; return it and its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "continue_setup.fake.server", "--port", str(port), "--delay", str(delay)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def entries_config(folder: Path, base: str, count: int) -> Path:
    """Write a config.json of ``count`` chat entries alternating the OpenAI and Anthropic routes."""
    folder.mkdir(parents=True, exist_ok=True)
    models = []
    for i in range(count):
        provider, model = (("openai", "gpt-4.1") if i % 2 == 0
                           else ("anthropic", "claude-sonnet-4-6-default"))
        models.append({"title": f"entry {i}", "provider": provider, "model": model,
                       "apiKey": KEY, "apiBase": f"{base}/{provider}/eu/v1"})
    path = folder / "config.json"
    path.write_text(json.dumps({"models": models}, indent=2))
    return path


def bench_goal_ping(work: Path, repeat: int, rows: list[list[str]]) -> None:
    """ping of 1-50 entries against a 0.5 s gateway: vs one probe, vs a bare httpx script."""
    server, base = start_fake(0.5)
    try:
        env = dict(os.environ, NO_PROXY="127.0.0.1")
        cli = tool("continue-setup")
        single = entries_config(work / "goal-ping-1", base, 1)
        for count in (3, 30, 50):
            many = entries_config(work / f"goal-ping-{count}", base, count)
            ours, one = side_by_side([cli, "ping", "--config-dir", str(many.parent)],
                                     [cli, "ping", "--config-dir", str(single.parent)],
                                     repeat, env)
            rows.append(goal_row(f"ping {count} entries, gateway 500 ms", ours.seconds,
                                 "one entry", one.seconds, 1.05))
            ours, floor = side_by_side([cli, "ping", "--config-dir", str(many.parent)],
                                       [PY, "-c", HTTPX_FLOOR, base, KEY, str(count)],
                                       repeat, env)
            rows.append(goal_row(f"ping {count} entries vs the httpx floor", ours.seconds,
                                 "asyncio+httpx script", floor.seconds, None))
    finally:
        server.terminate()
        server.wait(timeout=10)
    server, base = start_fake(0.0)
    try:
        latency = _first_latency(work, base, repeat)
        rows.append(["ping latency_ms of one probe (gateway 0 ms)", f"{latency[0]:.1f} ms",
                     f"bare httpx first request {latency[1]:.1f} ms",
                     f"+{latency[0] - latency[1]:.1f} ms", "≤ +5 ms",
                     "✓" if latency[0] - latency[1] <= 5 else "✗"])
    finally:
        server.terminate()
        server.wait(timeout=10)


def _first_latency(work: Path, base: str, repeat: int) -> tuple[float, float]:
    """Median latency_ms ping reports for one probe, and a bare httpx request's time."""
    config = entries_config(work / "goal-latency", base, 1)
    cli = tool("continue-setup")
    env = dict(os.environ, NO_PROXY="127.0.0.1")
    ours, floor = [], []
    probe = ("import asyncio, sys, time, httpx\n"
             "async def main():\n"
             "    async with httpx.AsyncClient(trust_env=False) as c:\n"
             "        body = {'model': 'gpt-4.1', 'messages': [{'role': 'user', "
             "'content': 'ping'}], 'max_tokens': 16}\n"
             "        start = time.perf_counter()\n"
             "        await c.post(sys.argv[1] + '/openai/eu/v1/chat/completions', json=body,\n"
             "                     headers={'Authorization': 'Bearer ' + sys.argv[2]})\n"
             "        print((time.perf_counter() - start) * 1000)\n"
             "asyncio.run(main())\n")
    for _ in range(max(3, repeat)):
        out = subprocess.run([cli, "ping", "--json", "--config-dir", str(config.parent)],
                             capture_output=True, text=True, env=env, check=False)
        ours.append(float(json.loads(out.stdout)["results"][0]["latency_ms"]))
        out = subprocess.run([PY, "-c", probe, base, KEY], capture_output=True, text=True,
                             env=env, check=False)
        floor.append(float(out.stdout))
    return statistics.median(ours), statistics.median(floor)


def bench_goal_init(work: Path, repeat: int, rows: list[list[str]]) -> None:
    """init --no-ping vs bare Python; an unchanged 1,000-entry config.yaml vs a fresh init."""
    cli = tool("continue-setup")
    env = dict(os.environ, LANGDOCK_API_KEY=KEY)
    fresh_dir = work / "goal-init-fresh"

    def fresh() -> list[str]:
        shutil.rmtree(fresh_dir, ignore_errors=True)
        return [cli, "init", "--yes", "--no-ping", "--config-dir", str(fresh_dir)]

    pairs = []
    for _ in range(repeat + 1):
        pairs.append((run_once(fresh(), env), run_once([PY, "-c", "pass"], env)))
    ours = statistics.median(a.seconds for a, _ in pairs[1:])
    bare = statistics.median(b.seconds for _, b in pairs[1:])
    rows.append(goal_row("init --no-ping, fresh home", ours, "bare python", bare, 5))
    big = work / "goal-init-big"
    run_once([cli, "init", "--yes", "--no-ping", "--format", "yaml", "--config-dir", str(big)],
             env)
    path = big / "config.yaml"
    extra = "".join(f"  - name: Extra {i}\n    provider: openai\n    model: gpt-4.1\n"
                    f"    apiBase: https://example.com/v1\n    roles:\n      - chat\n"
                    for i in range(1000))
    path.write_text(path.read_text().replace("models:\n", "models:\n" + extra, 1))
    unchanged = [cli, "init", "--yes", "--no-ping", "--config-dir", str(big)]
    run_once(unchanged, env)  # the first run may still change something; then it is stable
    pairs = []
    for _ in range(repeat + 1):
        pairs.append((run_once(unchanged, env), run_once(fresh(), env)))
    again = statistics.median(a.seconds for a, _ in pairs[1:])
    first = statistics.median(b.seconds for _, b in pairs[1:])
    rows.append(goal_row("init, unchanged 1,000-entry config.yaml", again, "fresh init", first,
                         1.5))


def bench_goal_repair(work: Path, repeat: int, rows: list[list[str]]) -> None:
    """doctor --offline and migrate --dry-run vs validate of the same file."""
    cli = tool("continue-setup")
    folder = work / "goal-repair"
    folder.mkdir()
    config = folder / "config.json"
    config.write_text(json.dumps(RECIPE, indent=2))
    env = dict(os.environ, LANGDOCK_API_KEY=KEY)
    for name, argv in (("doctor --offline", ["doctor", "--offline"]),
                       ("migrate --dry-run", ["migrate", "--dry-run"])):
        ours, peer = side_by_side([cli, *argv, "--config-dir", str(folder)],
                                  [cli, "validate", str(config)], repeat, env)
        rows.append(goal_row(name, ours.seconds, "validate", peer.seconds, 1.5))


def bench_goal_validate(work: Path, repeat: int, count: int, rows: list[list[str]]) -> None:
    """validate of one file (valid, failing) vs bare Python; ``count`` files vs the floor."""
    cli = tool("continue-setup")
    folder = work / "goal-validate"
    folder.mkdir()
    good = folder / "good.json"
    good.write_text(json.dumps(RECIPE, indent=2))
    bad = folder / "bad.json"
    broken = json.loads(json.dumps(RECIPE))
    broken["models"][0]["contextLength"] = "long"  # a type error the schema explains
    broken["models"][1]["provider"] = 42
    bad.write_text(json.dumps(broken, indent=2))
    for name, path in (("validate one valid file", good), ("validate one failing file", bad)):
        ours, bare = side_by_side([cli, "validate", str(path)], [PY, "-c", "pass"], repeat)
        rows.append(goal_row(name, ours.seconds, "bare python", bare.seconds, 2.5))
    many = folder / "many"
    many.mkdir()
    files = []
    yaml_text = _recipe_yaml()
    for i in range(count):  # all JSON first, then all YAML: the order that unbalanced chunks
        if i < count // 2:
            path = many / f"config-{i:05d}.json"
            data = json.loads(json.dumps(RECIPE))
            data["models"][0]["title"] = f"GPT {i}"
            path.write_text(json.dumps(data, indent=2))
        else:
            path = many / f"config-{i:05d}.yaml"
            path.write_text(yaml_text.replace("name: GPT-5.2", f"name: GPT {i}"))
        files.append(str(path))
    ours, floor = side_by_side([cli, "validate", "--json", *files],
                               [PY, "-c", READ_AND_PARSE, *files], max(3, repeat // 2))
    rows.append(goal_row(f"validate {count} files (JSON then YAML), 2 cores", ours.seconds,
                         "one-process read+parse", floor.seconds, 1.5))
    peak = ours.peak_kib / 1024
    rows.append([f"peak memory, validate {count} files", f"{peak:.0f} MiB", "", "",
                 "< 40 MiB", "✓" if peak < 40 else "✗"])


def _recipe_yaml() -> str:
    """Langdock's recipe as a config.yaml (the key inline, as a benchmark may)."""
    lines = ["name: Langdock", "version: 1.0.0", "schema: v1", "models:"]
    for entry, roles in ((RECIPE["models"][0], ["chat", "edit", "apply"]),
                         (RECIPE["models"][1], ["chat", "edit", "apply"]),
                         (RECIPE["tabAutocompleteModel"], ["autocomplete"])):
        lines += [f"  - name: {entry['title']}", f"    provider: {entry['provider']}",
                  f"    model: {entry['model']}", f"    apiBase: {entry['apiBase']}",
                  f"    apiKey: {entry['apiKey']}", "    roles:"]
        lines += [f"      - {role}" for role in roles]
    return "\n".join(lines) + "\n"


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
        bench_goal_ping(work, repeat, rows)  # a ping varies by ~30 ms: 3 runs are too few
        bench_goal_init(work, repeat, rows)
        bench_goal_repair(work, repeat, rows)
        bench_goal_validate(work, repeat, 1000 if args.quick else 10000, rows)
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
