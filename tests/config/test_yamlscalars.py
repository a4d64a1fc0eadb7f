"""Plain scalars resolve exactly as ruamel's YAML 1.2 resolver resolves them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continue_setup.config.yamlscalars import RULES, Unsure, plain, tag_of

TAG = "tag:yaml.org,2002:"
SAMPLES = [
    "", "~", "null", "Null", "NULL", "nul", "true", "True", "TRUE", "tRUE", "false", "yes",
    "no", "on", "off", "y", "n", "0", "12", "-3", "+4", "012", "0o17", "0x1F", "0b101",
    "1_000", "1.5", "1.", ".5", "-.5", "1e3", "1.0e-3", "1.0.0", ".inf", "-.Inf", ".nan",
    "2024-01-01", "2024-1-1 10:00:00", "<<", "=", "!", "&", "*", "gpt-4.1", "name",
    "https://example.com/v1", "${{ secrets.X }}", "3 things", "v1", "1:20", "1.2.3.4",
    "10.20.30", "1..2", "..", "1.2.3.", ".1.2", "1.2e3.4", "٣.٣.٣",
]


def ruamel_tag(value: str) -> str:
    """The tag ruamel's YAML 1.2 resolver gives a plain scalar."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    return str(VersionedResolver(version=(1, 2)).resolve(ScalarNode, value, (True, False)))


def test_the_rules_are_ruamels() -> None:
    """Each first character maps to ruamel's 1.2 patterns, in ruamel's order."""
    from ruamel.yaml.resolver import VersionedResolver

    theirs = {
        first: [(str(tag), rx.pattern, rx.flags) for tag, rx in rules]
        for first, rules in VersionedResolver(version=(1, 2)).versioned_resolver.items()
    }
    ours: dict[str, list[tuple[str, str, int]]] = {}
    for tag, pattern, flags, firsts in RULES:
        for first in firsts:
            compiled = re.compile(pattern, flags)
            ours.setdefault(first, []).append((TAG + tag, compiled.pattern, compiled.flags))
    assert ours == theirs


@pytest.mark.parametrize("value", SAMPLES)
def test_samples_get_ruamels_tag(value: str) -> None:
    """Nulls, booleans, numbers, timestamps and strings get the tag ruamel gives them."""
    assert TAG + tag_of(value) == ruamel_tag(value)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("0123456789+-._eExXoObB:tTrRuUfFaAlLsSnN~<= "), max_size=8))
def test_any_scalar_gets_ruamels_tag(value: str) -> None:
    """Any string of number-like and keyword characters gets ruamel's tag."""
    assert TAG + tag_of(value) == ruamel_tag(value)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("0123456789"), min_size=1, max_size=12) | st.sampled_from(
    ["0", "00", "0755", "007", "9" * 30, "0" * 20]))
def test_digits_read_as_ruamels_numbers(value: str) -> None:
    """Digits alone read as the number ruamel loads from them (leading zeros included)."""
    from ruamel.yaml import YAML

    assert plain(value) == YAML(typ="safe", pure=True).load(f"k: {value}\n")["k"]
    assert type(plain(value)) is int


def test_values_are_plain_python() -> None:
    """Strings stay strings; nulls, booleans and decimal numbers become Python values."""
    assert [plain(v) for v in ("gpt-4.1", "1.0.0", "", "~", "True", "false", "-3", "1.5")] == [
        "gpt-4.1", "1.0.0", None, None, True, False, -3, 1.5]
    assert type(plain("1e3")) is float


@pytest.mark.parametrize("value", ["0x1F", "0o17", "1_000", ".inf", "2024-01-01", "<<", "9" * 1001])
def test_what_only_ruamel_reads_is_refused(value: str) -> None:
    """Hex, octal, underscores, infinities, timestamps, merge keys, huge numbers: ruamel's."""
    with pytest.raises(Unsure):
        plain(value)


def test_resolving_does_not_import_ruamel() -> None:
    """Reading plain scalars leaves ruamel unimported (it costs ~8 ms at start-up)."""
    code = ("import sys; from continue_setup.config.yamlscalars import plain; "
            "plain('gpt-4.1'); plain('1.0.0'); plain('true'); plain('12'); "
            "print(any(m.startswith('ruamel') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "False"
