"""Take a URL apart as ``urllib.parse.urlsplit`` does, without loading urllib.parse (and the
ipaddress module it loads) for the plain URLs configs hold: ``validate`` of a usual config
never needs them (issue 18)."""

from __future__ import annotations

import re

from continue_setup.records import NamedTuple


class Split(NamedTuple):
    """The parts of a URL the rules read, as ``urlsplit`` gives them."""

    scheme: str  # lower case
    netloc: str
    path: str
    hostname: str | None  # lower case, without port or user


# scheme://host[:port][/path] with no user, query, fragment, brackets, percent signs, spaces
# or non-ASCII: for these, urlsplit's answer is plain slicing (tests/config/test_urls.py
# compares the two). Anything else goes to urlsplit itself.
_PLAIN = re.compile(
    r"([A-Za-z][A-Za-z0-9+.-]*)://([A-Za-z0-9._-]+)(:[0-9]*)?(/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?"
)


def split(url: str) -> Split:
    """Return ``url``'s scheme, netloc, path and hostname; ``ValueError`` for a URL that
    urlsplit refuses (an unbalanced ``[``)."""
    match = _PLAIN.fullmatch(url)
    if match is not None:
        scheme, host, port, path = match.groups()
        return Split(scheme.lower(), host + (port or ""), path or "", host.lower())
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return Split(parts.scheme, parts.netloc, parts.path, parts.hostname)
