"""Secret hygiene: one sentinel key through every command and every failure path.

Each case of ``CASES`` prepares a config dir and the fake Langdock, runs one command line,
and names the files that are meant to hold the key afterwards. ``check_hygiene`` asserts,
after every run (in-process, as a subprocess, with --debug), that the key is in no output,
in no file or directory name, in exactly the files meant to hold it, all mode 0600, and that
the run ended in the documented exit code without an internal error.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from continue_setup.fake.server import Behaviour, FakeServer
from tests.conftest import ROOT, SENTINEL, Result
from tests.fakeserver_fixtures import langdock_config

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")

# The key as it may show up: itself, JSON-escaped, URL-encoded, and cut short at either end.
NEEDLES = sorted({SENTINEL, json.dumps(SENTINEL)[1:-1], quote(SENTINEL, safe=""),
                  SENTINEL[:16], SENTINEL[-12:]})
DOCUMENTED_EXIT_CODES = {0, 1, 2, 3}
LANGDOCK = "https://api.langdock.com"


@dataclass
class Ctx:
    """What a case's setup may use: Continue's dir, the fake server, pytest's request."""

    cfg: Path
    fake: FakeServer
    request: pytest.FixtureRequest


Setup = Callable[[Ctx], None]


@dataclass(frozen=True)
class Case:
    """One scenario: its setup, its command line, and the files meant to hold the key."""

    id: str
    argv: tuple[str, ...]  # "{cfg}", "{home}" and "{url}" (the fake Langdock) are filled in
    setup: Setup | None = None
    holders: tuple[str, ...] = ()  # globs under the config dir ("~/": under home)
    code: int = 0  # the exit code the scenario ends in
    key: str = "env"  # the key given as LANGDOCK_API_KEY ("env"), on "stdin", or "none"
    secret: str = SENTINEL  # what is given as the key
    expect: str = ""  # words of the output that show the run took the path meant
    process: bool = False  # also run it as a real subprocess
    as_nobody: bool = False  # run it only as an unprivileged subprocess


def put(path: Path, text: str, mode: int = 0o600) -> None:
    """Write test input: 0600, as init leaves it, unless the command is to tighten it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


def files(name: str, text: str, mode: int = 0o600, env: str | None = None) -> Setup:
    """Set up ``name`` in the config dir with ``text``, and a .env with ``env`` if given."""
    def setup(c: Ctx) -> None:
        put(c.cfg / name, text, mode)
        if env is not None:
            put(c.cfg / ".env", env)
    return setup


def recipe(base: str | Callable[[Ctx], str] = LANGDOCK, mode: int = 0o600, **entry: Any
           ) -> Setup:
    """Set up Langdock's recipe (config.json) with the key, at ``base``; ``entry`` edits GPT."""
    def setup(c: Ctx) -> None:
        data = langdock_config(base(c) if callable(base) else base, key=SENTINEL)
        data["models"][0].update(entry)
        put(c.cfg / "config.json", json.dumps(data, indent=2), mode)
    return setup


def both(*setups: Setup) -> Setup:
    """Run ``setups`` one after the other."""
    def setup(c: Ctx) -> None:
        for each in setups:
            each(c)
    return setup


def fake_url(c: Ctx) -> str:
    return c.fake.url


def answering(mode: str, target: str = "*", **knobs: Any) -> Setup:
    """Make the fake Langdock answer ``target`` (model, kind, route or "*") in ``mode``."""
    return lambda c: c.fake.behaviours.update({target: Behaviour(mode, **knobs)})


def serving(mode: str, target: str = "*", then: Setup | None = None, **knobs: Any) -> Setup:
    """Point the recipe (or ``then``) at the fake Langdock, which answers in ``mode``."""
    def setup(c: Ctx) -> None:
        answering(mode, target, **knobs)(c)
        (then or recipe(fake_url))(c)
    return setup


def untrusted_tls(c: Ctx) -> str:
    server, _ca = c.request.getfixturevalue("tls_fake")
    return str(server.url)


def closed_port(c: Ctx) -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


class _Echo(BaseHTTPRequestHandler):
    """Redirects every request, with the caller's key in the Location, headers and body."""

    def _echo(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("x-api-key") or self.headers.get("Authorization", "")[7:]
        body = json.dumps({"error": {"message": f"bad key {key}"}}).encode()
        self.send_response(307)
        self.send_header("Location", f"http://127.0.0.1:1/login?key={quote(key)}")
        self.send_header("WWW-Authenticate", f'Bearer error="invalid_token", token="{key}"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _echo

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


def header_echo(c: Ctx) -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    c.request.addfinalizer(lambda: (server.shutdown(), server.server_close()))
    return f"http://127.0.0.1:{server.server_address[1]}"


def unwritable(c: Ctx) -> None:
    """A config dir only root may write to, holding a config anyone may read."""
    put(c.cfg / "config.json", '{"models": []}\n', 0o644)
    c.cfg.chmod(0o555)


def key_file(c: Ctx) -> None:
    put(c.cfg.parent / "langdock.key", SENTINEL + "\n")


BROKEN_JSON = '{"models": [ {"apiKey": "' + SENTINEL + '",'
HEADER_KEY = {"title": "GPT", "provider": "openai", "model": "gpt-5.2",
              "apiBase": f"{LANGDOCK}/openai/eu/v1", "requestOptions": {
                  "headers": {"Authorization": f"Bearer {SENTINEL}"}, "timeout": -1}}
YAML_INLINE = f"""name: Mine
version: 1.0.0
schema: v1
models:
  - name: GPT
    provider: openai
    model: gpt-5.2
    apiKey: {SENTINEL}
    apiBase: {LANGDOCK}/openai/eu/v1
"""
YAML_SECRET = YAML_INLINE.replace(SENTINEL, "${{ secrets.LANGDOCK_API_KEY }}")
DOTENV = f"LANGDOCK_API_KEY={SENTINEL}\n"
malformed = files("config.json", BROKEN_JSON)
header_config = files("config.json", json.dumps({"models": [HEADER_KEY]}))
yaml_and_dotenv = files("config.yaml", YAML_SECRET, env=DOTENV)


def fake_yaml(c: Ctx) -> None:
    files("config.yaml", YAML_SECRET.replace(LANGDOCK, c.fake.url), env=DOTENV)(c)


def fake_header_key(c: Ctx) -> None:
    """The key only in an Authorization header: no apiKey, as Continue allows."""
    header = {**HEADER_KEY, "apiBase": f"{c.fake.url}/openai/eu/v1",
              "requestOptions": {"headers": {"Authorization": f"Bearer {SENTINEL}"}}}
    files("config.json", json.dumps({"models": [header]}))(c)


def ours(key: str = SENTINEL, base: str | Callable[[Ctx], str] = LANGDOCK) -> Setup:
    """Set up the config init writes (its titles), holding ``key`` inline."""
    def setup(c: Ctx) -> None:
        data = langdock_config(base(c) if callable(base) else base, key=key)
        for entry in [*data["models"], data["tabAutocompleteModel"]]:
            entry["title"] = f"Langdock {entry['title']} ({entry['model']})"
        put(c.cfg / "config.json", json.dumps(data, indent=2))
    return setup


def old_backup(c: Ctx) -> None:
    """A backup from before, with another key in its first entry."""
    data = json.loads((c.cfg / "config.json").read_text())
    data["models"][0]["apiKey"] = SENTINEL[::-1]
    put(c.cfg / "config.json.bak-20250101-120000", json.dumps(data, indent=2))


INIT = ("init", "--yes", "--no-ping")
JSON_OUT = ("config.json", "config.json.bak-*")  # the config written and its backup
VERDICTS = [("auth", serving("unauthorized")), ("not_found", serving("not_found")),
            ("model_unavailable", serving("model_unavailable", "mistral")),
            ("rate_limited", serving("rate_limited", retry_after=SENTINEL)),  # in a header
            ("server_error", serving("server_error")), ("timeout", serving("stall")),
            ("tls", recipe(untrusted_tls)), ("network", recipe(closed_port)),
            ("bad_response", serving("garbage"))]
CASES = [
    # init: the key comes from the environment, stdin or a file, and goes into the config.
    Case("init-fresh-env", INIT, holders=("config.json",), process=True),
    Case("init-fresh-stdin", (*INIT, "--api-key-stdin", "--json"), key="stdin",
         holders=("config.json",), process=True),
    Case("init-key-file", (*INIT, "--api-key-file", "{home}/langdock.key"), key_file,
         ("config.json", "~/langdock.key"), key="none"),
    Case("init-key-with-space", (*INIT, "--api-key-stdin"), key="stdin",
         secret=f"{SENTINEL} x", code=2, expect="whitespace", process=True),
    Case("init-dry-run-existing", (*INIT, "--dry-run"), recipe(), ("config.json",),
         expect="********"),
    Case("init-diff-existing", (*INIT, "--diff"), recipe(), ("config.json",), expect="+++"),
    Case("init-yaml-diff-existing", (*INIT, "--format", "yaml", "--diff"), yaml_and_dotenv,
         (".env",), expect="+++"),
    Case("init-check-outdated", (*INIT, "--check"), recipe(), ("config.json",), code=1,
         expect="not up to date"),
    Case("init-key-del-stdin", (*INIT, "--api-key-stdin"), key="stdin", secret=f"{SENTINEL}\x7f",
         code=2, expect="control characters", process=True),
    Case("init-key-c0-env", INIT, secret=f"{SENTINEL[:8]}\x01{SENTINEL[8:]}", code=2,
         expect="control characters"),
    Case("init-bad-region", (*INIT, "--region", "mars"), code=2, expect="region",
         process=True),
    Case("init-not-a-url", (*INIT, "--base-url", "notaurl"), code=2, expect="URL"),
    Case("init-plain-http", (*INIT, "--base-url", "http://acme.example"), code=2,
         expect="plain http"),
    Case("init-unwritable-dir", (*INIT, "--config-dir", "{cfg}"), unwritable, code=2,
         expect="cannot", as_nobody=True),
    Case("init-malformed-kept", INIT, malformed, ("config.json",), code=1,
         expect="cannot parse", process=True),
    Case("init-malformed-forced", (*INIT, "--force"), files("config.json", BROKEN_JSON, 0o644),
         JSON_OUT, expect="kept as a backup"),
    Case("init-yaml-dotenv", (*INIT, "--format", "yaml"), holders=(".env",), process=True),
    Case("init-ping-echoed", ("init", "--yes", "--base-url", "{url}"), answering("echo_key"),
         code=3, expect="Incorrect API key"),
    # validate: keys read from configs and .env files are masked in every finding.
    Case("validate-malformed", ("validate",), malformed, ("config.json",), code=1,
         key="none", expect="parse-error", process=True),
    Case("validate-header-key", ("validate",), header_config, ("config.json",), code=1,
         key="none", expect="schema-"),
    Case("validate-header-key-json", ("validate", "--json"), header_config, ("config.json",),
         code=1, key="none", expect='"valid": false'),
    Case("validate-yaml-dotenv", ("validate", "--strict"), yaml_and_dotenv, (".env",),
         key="none", expect="valid"),
    # ping: every verdict the fake can produce; a key echoed in bodies and in headers.
    Case("ping-ok", ("ping",), recipe(fake_url), ("config.json",), key="none",
         expect="3 of 3 passed", process=True),
    # No Codestral (model_unavailable on the FIM route) is reported, not failed: exit 0.
    *[Case(f"ping-{verdict}", ("ping", "--timeout", "1", "--retries", "1"), setup,
           ("config.json",), code=0 if verdict == "model_unavailable" else 3, key="none",
           expect=f" {verdict} ")
      for verdict, setup in VERDICTS],
    Case("ping-body-echo", ("ping",), serving("echo_key"), ("config.json",), code=3,
         key="none", expect="Incorrect API key", process=True),
    Case("ping-header-echo-json", ("ping", "--json"), recipe(header_echo), ("config.json",),
         code=3, key="none", expect="redirected to"),
    Case("ping-header-auth-echo", ("ping",), serving("echo_key", then=fake_header_key),
         ("config.json",), code=3, key="none", expect="Incorrect API key"),
    Case("ping-dotenv-echo", ("ping", "--json"), serving("echo_key", then=fake_yaml),
         (".env",), code=3, key="none", expect="Incorrect API key"),
    # models: the key goes to the gateway only.
    Case("models-ok", ("models", "--base-url", "{url}"), expect="gpt-5.2"),
    Case("models-echoed", ("models", "--json", "--base-url", "{url}"), answering("echo_key"),
         code=3, expect="Incorrect API key"),
    Case("models-bad-region", ("models", "--region", "mars"), code=2, expect="region"),
    # doctor: offline, against the fake, and --fix putting the key where it belongs.
    Case("doctor-offline", ("doctor", "--offline"), recipe(), ("config.json",), key="none",
         expect="healthy"),
    Case("doctor-echoed", ("doctor", "--json"), serving("echo_key"), ("config.json",), code=3,
         key="none", expect="Incorrect API key", process=True),
    Case("doctor-malformed", ("doctor", "--offline"), malformed, ("config.json",), code=1,
         key="none", expect="parse-error"),
    Case("doctor-fix-placeholder", ("doctor", "--offline", "--fix", "--yes"),
         recipe(mode=0o644, apiKey="<YOUR_LANGDOCK_API_KEY>",
                apiBase=f"{LANGDOCK}/openai/eu/v1/chat/completions"),
         JSON_OUT, expect="Result: healthy"),
    Case("doctor-fix-yaml-stdin", ("doctor", "--offline", "--fix", "--yes", "--api-key-stdin"),
         files("config.yaml", YAML_INLINE.replace(SENTINEL, "<YOUR_LANGDOCK_API_KEY>")),
         (".env",), key="stdin", expect="Result: healthy"),
    Case("doctor-fix-to-dotenv",
         ("doctor", "--offline", "--fix", "--yes", "--key-storage", "dotenv"),
         files("config.yaml", YAML_INLINE, 0o644), (".env", "config.yaml.bak-*"), key="none",
         expect="Result: healthy"),
    # migrate: config.json stays as it is; the key moves to .env only when asked.
    Case("migrate-dry-run", ("migrate", "--dry-run"), recipe(), ("config.json",), key="none",
         expect="apiKey: ********"),
    Case("migrate-dotenv", ("migrate", "--key-storage", "dotenv"), recipe(),
         ("config.json", ".env"), key="none", expect="stored LANGDOCK_API_KEY", process=True),
    Case("migrate-malformed", ("migrate", "--key-storage", "dotenv"), malformed,
         ("config.json",), code=1, key="none", expect="cannot parse"),
    Case("migrate-over-yaml", ("migrate",), both(recipe(), yaml_and_dotenv),
         ("config.json", ".env"), code=2, key="none", expect="config.yaml"),
    # templates: a key in the environment is never rendered.
    # backups, restore, remove, rotate-key: the key stays in the files and their backups.
    Case("backups-list", ("backups",), both(ours(), old_backup),
         ("config.json", "config.json.bak-*"), key="none", expect="key changed"),
    Case("backups-json", ("backups", "--json"), both(ours(), old_backup),
         ("config.json", "config.json.bak-*"), key="none", expect="apiKey"),
    Case("restore-dry-run", ("restore", "--dry-run"), both(ours(), old_backup),
         ("config.json", "config.json.bak-*"), key="none", expect="would restore"),
    Case("restore", ("restore", "--json"), both(ours(), old_backup),
         ("config.json", "config.json.bak-*"), key="none", expect="previous_kept_as"),
    Case("remove-diff", ("remove", "--diff"), ours(), ("config.json",), key="none",
         expect="Langdock GPT"),
    Case("remove", ("remove", "--json"), ours(), ("config.json.bak-*",), key="none",
         expect="removed"),
    Case("rotate-key-away", ("rotate-key", "--yes", "--no-ping", "--json"), ours(),
         ("config.json.bak-*",), secret="sk-ld-brand-new-0123456789", expect="changed"),
    Case("rotate-key-in", ("rotate-key", "--yes", "--no-ping"), ours("sk-ld-old-0123456789"),
         ("config.json",), expect="key changed"),
    Case("rotate-key-check", ("rotate-key", "--yes", "--check", "--json"), ours(),
         ("config.json",), code=1, secret="sk-ld-brand-new-0123456789", expect="differs"),
    Case("rotate-key-probe-echoed", ("rotate-key", "--yes"), both(
        answering("echo_key"), ours("sk-ld-old-0123456789", fake_url)), (),
         code=3, expect="nothing written"),
    Case("templates-show", ("templates", "show", "gpt", "--format", "yaml"), expect="apiKey"),
    Case("templates-unknown", ("templates", "show", "nope"), code=2, expect="nope"),
]
assert len({c.id for c in CASES}) == len(CASES)


def runs() -> Iterator[Any]:
    """Every case in-process, the marked ones as a subprocess too; failures also --debug."""
    for case in CASES:
        for way in ["nobody"] if case.as_nobody else ["inproc"] + ["process"] * case.process:
            for debug in (False, True) if case.code else (False,):
                yield pytest.param(case, way, debug, id=f"{case.id}-{way}" + "-debug" * debug)


def check_hygiene(case: Case, result: Result, debug: bool, cfg: Path, areas: list[Path]
                  ) -> None:
    """Assert the four rules of secret hygiene for one run of ``case``."""
    where = f"{case.id}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    for needle in NEEDLES:  # 1. in no output
        assert needle not in result.stdout, f"key on stdout ({needle!r}) in {where}"
        assert needle not in result.stderr, f"key on stderr ({needle!r}) in {where}"
    holding = set()
    for area in areas:
        for path in sorted(area.rglob("*")):
            name = str(path.relative_to(area))  # 2. in no name: backups, temp and lock files
            assert not any(n in name for n in NEEDLES), f"{case.id}: key in a file name: {name}"
            if path.is_file() and any(n.encode() in path.read_bytes() for n in NEEDLES):
                holding.add(path)
    meant = {p for glob in case.holders
             for p in (cfg.parent.glob(glob[2:]) if glob.startswith("~/") else cfg.glob(glob))}
    assert holding == meant, f"{case.id}: the key is in {sorted(holding)}, meant {sorted(meant)}"
    for path in holding:  # 3. exactly in the files meant, and those private
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == 0o600, f"{case.id}: {path.name} holds the key with mode {mode:o}"
    # 4. the documented exit code meant, no internal error, no traceback unless --debug
    assert result.exit_code in DOCUMENTED_EXIT_CODES and result.exit_code == case.code, where
    assert "internal error" not in result.stderr, where
    assert debug or "Traceback" not in result.stdout + result.stderr, where
    assert case.expect in result.stdout + result.stderr, where


def run_as_nobody(prefix: list[str], home: Path, argv: list[str], env: dict[str, str]
                  ) -> Result:
    """Run the CLI as an unprivileged user, with ``home`` as its home."""
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "PYTHONPATH": str(ROOT),
           "NO_PROXY": "*", **env}
    proc = subprocess.run([*prefix, sys.executable, "-m", "continue_setup", *argv],
                          capture_output=True, text=True, env=env, timeout=60, check=False,
                          cwd="/")
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.parametrize(("case", "way", "debug"), list(runs()))
def test_the_key_stays_where_it_belongs(case: Case, way: str, debug: bool, run: Any,
                                        run_process: Any, fake: FakeServer, config_dir: Path,
                                        tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Whatever the command and however it ends, the key is only in its 0600 files."""
    areas = [tmp_path]
    if way == "nobody":
        prefix = request.getfixturevalue("as_nobody")
        areas.append(request.getfixturevalue("shared_tmp"))
        config_dir = areas[1] / "home" / ".continue"
    if case.setup is not None:
        case.setup(Ctx(config_dir, fake, request))
    argv = [a.format(cfg=config_dir, home=config_dir.parent, url=fake.url) for a in case.argv]
    if debug:
        argv.insert(1, "--debug")
    env = {"LANGDOCK_API_KEY": case.secret} if case.key == "env" else {}
    stdin = case.secret + "\n" if case.key == "stdin" else None
    if way == "nobody":
        result = run_as_nobody(prefix, config_dir.parent, argv, env)
    elif way == "process":
        result = run_process(*argv, input=stdin, env=env, timeout=60)
    else:
        result = run(*argv, input=stdin, env=env)
    check_hygiene(case, result, debug, config_dir, areas)


# --- previews: every secret a config dir holds, not only the key ---------------------------

OTHER_SECRETS = {
    "old": "sk-ld-OLDKEY-4711-abcdef",  # the key .env held before
    "github": "ghp_GITHUBTOKEN-4711-abcdef",  # another tool's token in the same .env
    "plain": "plain-value-4711",  # a .env value under a name that sounds harmless
    "proxy": "PROXYPASS-4711",  # the password of a proxy URL
    "apim": "APIM-4711-abcdef",  # header names that do not sound secret
    "acme": "ACME-4711-abcdef",
}
ODD_OPTIONS = {
    "proxy": f"http://alice:{OTHER_SECRETS['proxy']}@proxy.internal:3128",
    "headers": {"Ocp-Apim-Subscription-Key": OTHER_SECRETS["apim"],
                "X-Acme-Auth": OTHER_SECRETS["acme"]},
}
OLD_DOTENV = (f"LANGDOCK_API_KEY={OTHER_SECRETS['old']}\nGITHUB_TOKEN={OTHER_SECRETS['github']}\n"
              f"export SETTING='{OTHER_SECRETS['plain']}'\n")
YAML_ODD = YAML_INLINE + f"""    requestOptions:
      proxy: {ODD_OPTIONS["proxy"]}
      headers:
        Ocp-Apim-Subscription-Key: {OTHER_SECRETS["apim"]}
        X-Acme-Auth: {OTHER_SECRETS["acme"]}
"""


def _json_with_odd_options(cfg: Path) -> None:
    data = langdock_config(LANGDOCK, key=SENTINEL)
    data["models"][0]["requestOptions"] = ODD_OPTIONS
    put(cfg / "config.json", json.dumps(data, indent=2))


PREVIEWS = {
    "init-diff-dotenv": ((*INIT, "--format", "yaml", "--key-storage", "dotenv", "--diff"),
                         "yaml"),
    "init-diff-dotenv-json": ((*INIT, "--format", "yaml", "--key-storage", "dotenv", "--diff",
                               "--json"), "yaml"),
    "init-dry-run": ((*INIT, "--dry-run"), "json"),
    "init-diff": ((*INIT, "--diff"), "json"),
    "init-dry-run-json": ((*INIT, "--dry-run", "--json"), "json"),
    "doctor-fix-preview": (("doctor", "--offline", "--fix", "--key-storage", "dotenv"), "yaml"),
    "doctor-fix-json": (("doctor", "--offline", "--fix", "--key-storage", "dotenv", "--json"),
                        "yaml"),
    "migrate-dry-run": (("migrate", "--dry-run", "--key-storage", "dotenv"), "json"),
    "migrate-dry-run-json": (("migrate", "--dry-run", "--json"), "json"),
    "validate": (("validate",), "yaml"),
}


@pytest.mark.parametrize("name", sorted(PREVIEWS))
def test_previews_mask_every_secret_of_the_config_dir(run: Any, config_dir: Path, name: str
                                                      ) -> None:
    """--dry-run, --diff, doctor's preview and their JSON mask the new key, every .env value
    (old and new, whatever its name), a proxy URL's password and every header value."""
    argv, fmt = PREVIEWS[name]
    if fmt == "yaml":
        put(config_dir / "config.yaml", YAML_ODD)
    else:
        _json_with_odd_options(config_dir)
    # doctor moves an inline key only to a .env without another LANGDOCK_API_KEY
    put(config_dir / ".env", OLD_DOTENV.split("\n", 1)[1] if "doctor" in name else OLD_DOTENV)
    result = run(*argv, env={"LANGDOCK_API_KEY": SENTINEL}, input="")
    output = result.stdout + result.stderr
    assert "internal error" not in output and result.exit_code in DOCUMENTED_EXIT_CODES, output
    for secret in (SENTINEL, *OTHER_SECRETS.values()):
        assert secret not in output, f"{name}: {secret} shown in\n{output}"
    if name != "validate" and "json" not in name:
        assert "********" in output, output
    if name in ("init-diff-dotenv", "doctor-fix-preview"):  # the .env diff itself was shown
        assert "GITHUB_TOKEN=********" in output and "+LANGDOCK_API_KEY=********" in output
    if "proxy" in output:
        assert "alice:********@proxy.internal" in output  # the rest of the URL stays readable


@pytest.mark.parametrize("odd", ["\x7f", "\x01", "\x1b", '"\\'])
def test_a_key_with_control_characters_is_masked_in_yaml_previews(run: Any, config_dir: Path,
                                                                   odd: str) -> None:
    """An existing key holding DEL, C0 or quote characters, which YAML dumps escaped
    ("\\x7F"), is masked in migrate's preview like any other key, and flagged."""
    key = f"{SENTINEL[:10]}{odd}{SENTINEL[10:]}"
    data = langdock_config(LANGDOCK, key=key)
    put(config_dir / "config.json", json.dumps(data, indent=2))
    result = run("migrate", "--dry-run")
    assert result.exit_code in (0, 1), result.output
    assert "apiKey: ********" in result.stdout or 'apiKey: "********"' in result.stdout
    for piece in (SENTINEL[:10], SENTINEL[10:]):
        assert piece not in result.output
    if odd != '"\\':
        flagged = run("validate", str(config_dir / "config.json"))
        assert "key-control" in flagged.stdout


@pytest.mark.parametrize("odd", ["\x00", "\n", "\r", "\x7f", "\x01", "\t", "'\""])
@pytest.mark.parametrize("where", ["apiKey", "header"])
def test_a_key_no_header_can_carry_is_masked_in_ping(run: Any, config_dir: Path, odd: str,
                                                     where: str) -> None:
    """A key holding a character no header may carry never shows in ping's output, as the
    apiKey or in requestOptions.headers: ping reports validate's finding without sending it."""
    key = f"{SENTINEL[:10]}{odd}{SENTINEL[10:]}"
    with FakeServer() as fake:
        data = langdock_config(fake.url, key=key if where == "apiKey" else SENTINEL)
        if where == "header":
            for entry in [*data["models"], data["tabAutocompleteModel"]]:
                entry["requestOptions"] = {"headers": {"Authorization": f"Bearer {key}"}}
        put(config_dir / "config.json", json.dumps(data))
        for args in (("ping",), ("ping", "--json"), ("ping", "--debug")):
            result = run(*args, "--config-dir", str(config_dir))
            assert result.exit_code in (0, 3), result.output  # verdicts, not an internal error
            for piece in (SENTINEL[:10], SENTINEL[10:]):
                assert piece not in result.output, (args, result.output)
            if odd != "'\"":  # validate's finding, and nothing sent
                assert "key-" in result.output and not fake.recorded()
