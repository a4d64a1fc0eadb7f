"""Where each Continue client finds ``${{ secrets.NAME }}``, in its own order.

The IDE core (``LocalPlatformClient.resolveFQSNs``): ``<global dir>/.env`` → workspace
``.continue/.env`` → workspace ``.env`` → the environment; ``.env`` files beat the
environment. cn (``CLIPlatformClient``, verified order): the environment (``<cwd>/.env`` is
loaded into it by dotenv at start, without overriding) → ``<global dir>/.env`` →
``<cwd>/.continue/.env``. Empty values count as not found. The workspace is taken to be the
current directory, where both clients are usually started.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from continue_setup.config import redact
from continue_setup.config.keys import read_dotenv

ENVIRONMENT = "the environment"


@dataclass(frozen=True)
class ClientSecrets:
    """The places a secret may come from, and each client's view of them."""

    global_dir: Path
    workspace: Path | None
    environ: Mapping[str, str]
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # label -> variables

    @classmethod
    def read(cls, global_dir: Path, workspace: Path | None, environ: Mapping[str, str]
             ) -> ClientSecrets:
        """Read the three ``.env`` files Continue may read (missing ones are empty)."""
        files = {str(global_dir / ".env"): read_dotenv(global_dir / ".env")}
        if workspace is not None:
            for path in (workspace / ".continue" / ".env", workspace / ".env"):
                files.setdefault(str(path), read_dotenv(path))
        # Values are registered as secrets where they are used (keys.substitute), not here:
        # a workspace .env also holds settings that are no secret.
        return cls(global_dir, workspace, environ, files)

    def order(self, client: str) -> list[str]:
        """Return the sources ``client`` ("ide" or "cn") tries, first hit wins."""
        glob = str(self.global_dir / ".env")
        local = [] if self.workspace is None else [
            str(self.workspace / ".continue" / ".env"), str(self.workspace / ".env")]
        if client == "cn":  # process env, then <cwd>/.env (via dotenv), global, .continue
            chain = [ENVIRONMENT, *local[1:], glob, *local[:1]]
        else:
            chain = [glob, *local, ENVIRONMENT]
        return list(dict.fromkeys(chain))

    def source(self, name: str, client: str) -> str | None:
        """Return where ``client`` finds ``name``, or None when it is set nowhere."""
        for label in self.order(client):
            values = self.environ if label == ENVIRONMENT else self.files[label]
            if values.get(name):
                return label
        return None

    def value(self, name: str, client: str) -> str | None:
        """Return the value ``client`` substitutes for ``name``, or None."""
        label = self.source(name, client)
        if label is None:
            return None
        return (self.environ if label == ENVIRONMENT else self.files[label])[name]

    def table(self, client: str) -> dict[str, str]:
        """Return every name with the value ``client`` resolves it to."""
        names = {n for values in (self.environ, *self.files.values()) for n in values}
        return {n: v for n in names if (v := self.value(n, client)) is not None}

    def looked(self, client: str) -> str:
        """Describe where ``client`` looks, in order, for messages."""
        return ", then ".join(self.order(client))

    def disagreement(self, name: str) -> str | None:
        """Say how the two clients resolve ``name`` apart, or None when they agree."""
        ide, cn = self.source(name, "ide"), self.source(name, "cn")
        if self.value(name, "ide") == self.value(name, "cn"):
            return None
        return (f"{name} differs between Continue's clients: the IDE extension takes it from "
                f"{ide or 'nowhere'}, cn from {cn or 'nowhere'} (values {redact.MASK}, not "
                "equal)")
