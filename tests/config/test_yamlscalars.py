"""Plain YAML scalars resolve exactly as ruamel.yaml's YAML 1.2 resolver says, without it."""

from __future__ import annotations

import itertools
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers

from continue_setup.config.yamlscalars import RULES, plain_tag

RUAMEL = VersionedResolver(version=(1, 2))
TRICKY = [
    "", "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false", "no", "yes",
    "on", "off", "y", "n", "1.0.0", "1.0", "1.", ".5", "-.5", "+.5e+3", ".5e3", "1e3", "1E-3",
    "1_000", "0o17", "017", "0x1F", "0b101", "-0x1f", "+12", "-", "+", ".", ".inf", "-.Inf",
    ".NaN", ".nan", "-.nan", "2026-11-26", "2026-11-26T01:02:03Z", "2026-11-26 1:02:03.5 +1",
    "2026-1-2", "<<", "<", "=", "==", "!", "&", "*", "1:20", "12:30:45", "v1", "gpt-5.2",
    "sk-ld-0123", "https://api.langdock.com/openai/eu/v1", "0", "00", "-0", "1_", "_1", "1__2",
]


def ruamel_tag(value: str) -> str:
    """Return ruamel's tag for a plain scalar, without the ``tag:yaml.org,2002:`` prefix."""
    return str(RUAMEL.resolve(ScalarNode, value, (True, False))).rsplit(":", 1)[1]


def test_the_rules_are_ruamels_own_in_its_order() -> None:
    """Each copied rule has ruamel's tag, pattern, flags and first characters, in order: an
    upgrade of ruamel that changes one fails here."""
    theirs = [
        (tag.rsplit(":", 1)[1], regexp.pattern, regexp.flags, "".join(f for f in firsts if f))
        for versions, tag, regexp, firsts in implicit_resolvers
        if (1, 2) in versions
    ]
    import re

    ours = [
        (tag, pattern, re.compile(pattern, re.X if verbose else 0).flags, firsts)
        for tag, pattern, verbose, firsts in RULES
    ]
    assert ours == theirs


def test_tricky_scalars_resolve_as_in_ruamel() -> None:
    """Numbers, nulls, bools, timestamps, merge keys and look-alikes get ruamel's tag."""
    assert [plain_tag(v) for v in TRICKY] == [ruamel_tag(v) for v in TRICKY]


def test_every_short_scalar_over_the_telling_characters_resolves_as_in_ruamel() -> None:
    """All scalars of up to four characters from the characters the rules turn on."""
    alphabet = "019.-+_eExob:~nT<= "
    for length in range(5):
        for chars in itertools.product(alphabet, repeat=length):
            value = "".join(chars)
            assert plain_tag(value) == ruamel_tag(value), value


@given(st.text(alphabet="0123456789.-+_eExob:~ntf<=TZ ", max_size=24))
def test_any_scalar_resolves_as_in_ruamel(value: str) -> None:
    """Longer mixes of digits, signs, exponents and separators get ruamel's tag."""
    assert plain_tag(value) == ruamel_tag(value)


def test_reading_yaml_fast_never_imports_ruamel() -> None:
    """A config with strings, numbers, bools and nulls is read without loading ruamel.yaml
    (~10 ms and ~2.4 MB in each process that reads YAML)."""
    script = (
        "import sys\n"
        "from continue_setup.config.fastyaml import load_yaml\n"
        "doc = load_yaml('name: x\\nversion: 1.0.0\\nschema: v1\\nmodels:\\n  - name: a\\n'\n"
        "                '    defaultCompletionOptions: {contextLength: 8000, topP: 0.5}\\n'\n"
        "                '    useLegacyCompletionsEndpoint: false\\n    apiBase: ~\\n')\n"
        "print(doc.data['models'][0]['defaultCompletionOptions']['contextLength'],\n"
        "      [m for m in sys.modules if m.startswith('ruamel')])\n"
    )
    answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True).stdout
    assert answer == "8000 []\n"
