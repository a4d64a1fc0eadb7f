"""Acting with another user's rights, and the link check that comes first."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from continue_setup.errors import ExitCode, UnsafePathError
from continue_setup.setup.asuser import Owner, acting_as, refuse_links_out, target_owner
from tests.conftest import Stranger

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX ids and links")


def test_acting_as_takes_the_users_ids_and_gives_them_back(stranger: Stranger,
                                                           shared_tmp: Path) -> None:
    """Inside, files are made as the user and root's files are out of reach; after, root again,
    even when the block fails."""
    tmp_path = shared_tmp
    tmp_path.chmod(0o777)
    secret = tmp_path / "root-only"
    secret.write_text("root")
    secret.chmod(0o600)
    owner = Owner(stranger.uid, stranger.gid, tmp_path)
    before = (os.geteuid(), os.getegid(), os.getgroups())
    with pytest.raises(RuntimeError), acting_as(owner):
        assert (os.geteuid(), os.getegid(), os.getgroups()) == (owner.uid, owner.gid,
                                                                [owner.gid])
        with acting_as(owner):  # nests: already that user
            (tmp_path / "made").write_text("x")
        with pytest.raises(PermissionError):
            secret.read_text()
        raise RuntimeError("the block fails")
    assert (os.geteuid(), os.getegid(), os.getgroups()) == before
    made = (tmp_path / "made").stat()
    assert (made.st_uid, made.st_gid) == (owner.uid, owner.gid)


def test_without_an_owner_nothing_changes(tmp_path: Path) -> None:
    """No owner (not root, or root's own home): the block runs as the caller."""
    before = (os.geteuid(), os.getegid()) if hasattr(os, "geteuid") else None
    with acting_as(None):
        assert before is None or (os.geteuid(), os.getegid()) == before


@posix_only
def test_links_out_of_the_home_are_refused_links_in_it_are_not(tmp_path: Path) -> None:
    """A link (even dangling) leading out of the home is refused by name; one inside is fine."""
    home = tmp_path / "home"
    (home / "dotfiles").mkdir(parents=True)
    (home / "in").symlink_to(home / "dotfiles")
    (home / "out").symlink_to(tmp_path / "elsewhere" / "cron.d")
    owner = Owner(1, 1, home)
    refuse_links_out(owner, [home / "in", home / "in" / "config.json", home / "plain"])
    with pytest.raises(UnsafePathError) as caught:
        refuse_links_out(owner, [home / "in", home / "out" / "config.json"])
    assert str(home / "out" / "config.json") in caught.value.message
    assert str(tmp_path / "elsewhere" / "cron.d") in caught.value.message
    assert caught.value.exit_code == ExitCode.USAGE
    refuse_links_out(None, [home / "out"])  # no owner: the user's own run follows links


@posix_only
def test_a_planted_config_dir_link_is_owned_by_whoever_planted_it(stranger: Stranger,
                                                                  shared_tmp: Path) -> None:
    """--config-dir as root: a link counts as itself; the boundary is the user's topmost dir."""
    home = shared_tmp / "home"
    home.mkdir()
    os.chown(home, stranger.uid, stranger.gid)
    link = home / ".continue"
    link.symlink_to("/etc")
    os.chown(link, stranger.uid, stranger.gid, follow_symlinks=False)
    owner = target_owner(link)
    assert owner is not None and (owner.uid, owner.gid) == (stranger.uid, stranger.gid)
    assert owner.home == Path(os.path.realpath(home))
    with pytest.raises(UnsafePathError):
        refuse_links_out(owner, [link / "config.json"])
