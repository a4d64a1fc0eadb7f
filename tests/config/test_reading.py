"""Only regular files are read, without blocking, and never past their size cap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from continue_setup.config import keys, parsing, reading
from continue_setup.errors import InputError

POSIX_ONLY = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")


@POSIX_ONLY
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """A config that is a named pipe with nobody writing is refused at once, named as a FIFO."""
    fifo = tmp_path / "config.json"
    os.mkfifo(fifo)
    with pytest.raises(reading.RefusedFile) as refused:
        parsing.read_with_stat(fifo)
    assert "FIFO" in refused.value.message and str(fifo) in refused.value.message


@POSIX_ONLY
def test_a_link_to_dev_zero_is_refused_as_a_device(tmp_path: Path) -> None:
    """A config or .env linked to /dev/zero is refused as a character device, not read."""
    for name in ("config.yaml", ".env"):
        link = tmp_path / name
        link.symlink_to("/dev/zero")
    with pytest.raises(reading.RefusedFile, match="character device"):
        parsing.read_text(tmp_path / "config.yaml")
    with pytest.raises(reading.RefusedFile, match="character device"):
        keys.read_dotenv(tmp_path / ".env")


def test_a_file_past_its_cap_is_refused_naming_the_limit(tmp_path: Path) -> None:
    """A file one byte over its cap is refused naming the limit; a file at the cap reads."""
    key_file = tmp_path / "key"
    key_file.write_bytes(b"k" * reading.KEY_FILE_MAX_BYTES)
    assert len(reading.read_capped(key_file, limit=reading.KEY_FILE_MAX_BYTES)[0]) == (
        reading.KEY_FILE_MAX_BYTES
    )
    key_file.write_bytes(b"k" * (reading.KEY_FILE_MAX_BYTES + 1))
    with pytest.raises(reading.RefusedFile, match="64 KiB limit"):
        keys.read_key(env={}, file=key_file)
    dotenv = tmp_path / ".env"
    dotenv.write_bytes(b"# pad\n" * (reading.DOTENV_MAX_BYTES // 6 + 1))
    with pytest.raises(reading.RefusedFile, match="1 MiB limit"):
        keys.read_dotenv(dotenv)


def test_a_missing_or_unreadable_dotenv_is_empty(tmp_path: Path) -> None:
    """A .env that is absent (or a directory) reads as empty, as Continue takes it."""
    assert keys.read_dotenv(tmp_path / ".env") == {}
    (tmp_path / "dir.env").mkdir()
    assert keys.read_dotenv(tmp_path / "dir.env") == {}


def test_a_directory_is_named_as_one(tmp_path: Path) -> None:
    """A directory given as a config is refused as a directory, not as a strange file."""
    with pytest.raises(InputError, match="is a directory"):
        parsing.read_text(tmp_path)
