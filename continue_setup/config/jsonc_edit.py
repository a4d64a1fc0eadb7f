"""Edit JSONC text to hold new data, rewriting only what changed so comments survive."""

from __future__ import annotations

import json
import re

from continue_setup.config.jsonc import (
    LEXER_PATTERN,
    SKIP_PATTERN,
    Parsed,
    Span,
    escape_pointer_token,
)

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any


def same(a: Any, b: Any) -> bool:
    """Compare JSON values strictly: ``True`` is not ``1`` and ``1`` is not ``1.0``."""
    if a is b:
        return True  # a value merge left alone (shared, not copied): no need to walk it
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a) and list(a) == list(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _indent_unit(text: str) -> str:
    match = re.search(r"\n([ \t]+)\S", text)
    return match.group(1) if match else "  "


class _Patcher:
    def __init__(self, parsed: Parsed) -> None:
        self.text = parsed.text
        self.spans = parsed.spans
        self.unit = _indent_unit(parsed.text)
        self.edits: list[tuple[int, int, str]] = []

    def line_indent(self, offset: int) -> str:
        start = self.text.rfind("\n", 0, offset) + 1
        match = re.match(r"[ \t]*", self.text[start:offset])
        return match.group() if match else ""

    def dump(self, value: Any, indent: str) -> str:
        text = json.dumps(value, indent=self.unit, ensure_ascii=False)
        return text.replace("\n", "\n" + indent)

    def next_significant(self, offset: int) -> int:
        return re.compile(SKIP_PATTERN).match(self.text, offset).end()  # type: ignore[union-attr]

    def diff(self, pointer: str, old: Any, new: Any) -> None:
        if same(old, new):
            return
        span = self.spans[pointer]
        if (
            isinstance(old, dict)
            and isinstance(new, dict)
            and old
            and [k for k in old if k in new] == [k for k in new if k in old]
        ):
            self.diff_object(pointer, old, new, span)
        elif isinstance(old, list) and isinstance(new, list) and old and new:
            self.diff_array(pointer, old, new, span)
        else:
            self.edits.append((span.start, span.end, self.dump(new, self.line_indent(span.start))))

    def child_indent(self, first_child: str) -> str:
        first = self.spans[first_child]
        return self.line_indent(first.key_start if first.key_start >= 0 else first.start)

    def diff_object(
        self, pointer: str, old: dict[str, Any], new: dict[str, Any], span: Span
    ) -> None:
        keys = list(old)
        children = {k: f"{pointer}/{escape_pointer_token(k)}" for k in keys}
        kept = [k for k in keys if k in new]
        if not kept:
            self.edits.append((span.start, span.end, self.dump(new, self.line_indent(span.start))))
            return
        indent = self.child_indent(children[keys[0]])
        last_kept = keys.index(kept[-1])
        for key in keys[:last_kept]:
            if key in new:
                self.diff(children[key], old[key], new[key])
            else:
                self.remove(children[key])
        self.diff(children[kept[-1]], old[kept[-1]], new[kept[-1]])
        inline = "\n" not in self.text[span.start : span.end]
        members = "".join(
            f", {json.dumps(k, ensure_ascii=False)}: {json.dumps(new[k], ensure_ascii=False)}"
            if inline
            else f",\n{indent}{json.dumps(k, ensure_ascii=False)}: {self.dump(new[k], indent)}"
            for k in new
            if k not in old
        )
        anchor = self.spans[children[kept[-1]]]
        removed_tail = keys[last_kept + 1 :]
        if removed_tail:
            # Members after the last kept one go, with their commas; new ones take their place.
            gone = self.spans[children[removed_tail[-1]]]
            end = gone.comma_after + 1 if gone.comma_after >= 0 else gone.end
            self.edits.append((anchor.end, end, members))
        elif members:
            self.insert_after(anchor, members)

    def diff_array(self, pointer: str, old: list[Any], new: list[Any], span: Span) -> None:
        children = [f"{pointer}/{i}" for i in range(len(old))]
        indent = self.child_indent(children[0])
        for i in range(min(len(old), len(new))):
            self.diff(children[i], old[i], new[i])
        if len(new) > len(old):
            multiline = "\n" in self.text[span.start : span.end]
            sep = f",\n{indent}" if multiline else ", "
            items = "".join(f"{sep}{self.dump(v, indent)}" for v in new[len(old) :])
            self.insert_after(self.spans[children[-1]], items)
        elif len(new) < len(old):
            last_kept = self.spans[children[len(new) - 1]]
            end = self.spans[children[-1]]
            stop = end.comma_after + 1 if end.comma_after >= 0 else end.end
            start = last_kept.comma_after if last_kept.comma_after >= 0 else last_kept.end
            line_end = self.comment_line_end(last_kept)
            if line_end is not None and line_end < stop:
                # The inverse of insert_after: the comment on the kept item's line stays.
                if last_kept.comma_after >= 0:
                    self.edits.append((start, start + 1, ""))
                start = line_end
            self.edits.append((start, stop, ""))

    def comment_line_end(self, last: Span) -> int | None:
        """Return where the line of ``last`` ends if only a // comment follows it there."""
        anchor = last.comma_after + 1 if last.comma_after >= 0 else last.end
        line_end = self.text.find("\n", anchor)
        line_end = len(self.text) if line_end < 0 else line_end
        tail = self.text[anchor:line_end]
        if tail.strip() and re.fullmatch(r"[ \t]*//[^\n]*", tail):
            return line_end
        return None

    def insert_after(self, last: Span, members: str) -> None:
        """Insert ``members`` (each starting with a comma) after the member ``last``.

        A comment on the rest of the last member's line stays on that line.
        """
        anchor = last.comma_after + 1 if last.comma_after >= 0 else last.end
        line_end = self.text.find("\n", anchor)
        line_end = len(self.text) if line_end < 0 else line_end
        tail = self.text[anchor:line_end]
        has_comment = re.fullmatch(r"[ \t]*(//[^\n]*)?", tail) is not None and tail.strip() != ""
        at = line_end if has_comment else anchor
        if last.comma_after >= 0:
            self.edits.append((at, at, members[1:]))
        elif has_comment:
            self.edits.append((last.end, last.end, ","))
            self.edits.append((at, at, members[1:]))
        else:
            self.edits.append((at, at, members))

    def remove(self, child: str) -> None:
        """Remove a member that has a comma after it, and the line it stood on if it empties."""
        span = self.spans[child]
        start = span.key_start if span.key_start >= 0 else span.start
        end = self.next_significant(span.comma_after + 1)
        newline = self.text.find("\n", span.comma_after, end)
        end = newline if newline >= 0 else end
        line_start = self.text.rfind("\n", 0, start) + 1
        if line_start > 0 and self.text[line_start:start].strip() == "":
            start = line_start - 1
        self.edits.append((start, end, ""))

    def apply(self) -> str:
        text = self.text
        for start, end, replacement in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:start] + replacement + text[end:]
        return text


def patch(parsed: Parsed, new_value: Any) -> str:
    """Return ``parsed.text`` rewritten to hold ``new_value``, changing only what differs.

    A document written on one line with no comments was written by a program, not a person:
    it is laid out afresh rather than grown into one enormous line.
    """
    if "\n" not in parsed.text.strip() and not _has_comment(parsed.text):
        return dumps(new_value)
    patcher = _Patcher(parsed)
    patcher.diff("", parsed.value, new_value)
    return patcher.apply()


def _has_comment(text: str) -> bool:
    return any(m.lastgroup == "comment" for m in re.finditer(LEXER_PATTERN, text))


def dumps(value: Any) -> str:
    """Serialise a new config.json the way people write it: two-space indent, final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
