"""Limits on what a parsed config may cost: nesting depth, alias expansion, number length.

A few hundred bytes can otherwise cost minutes and gigabytes (YAML aliases nested nine deep
expand to hundreds of millions of values), or crash a recursive walk (JSON nested a thousand
deep). Each limit is far above any real config; past it the parser reports a parse error
at the place it stopped, like any other syntax error. Documented in the README.
"""

from __future__ import annotations

from functools import cache

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 100  # nesting of objects/arrays; real configs nest about 6 deep
MAX_ALIAS_EXPANSION = 100_000  # values that YAML aliases may add when expanded
MAX_VALUES = 500_000  # values in a JSON document (a 10 MB config of real entries: ~200,000)
# ruamel's round-trip nodes cost ~2 KB a value (a 1.8 MB file of 440,000 took 780 MB).
MAX_YAML_VALUES = 100_000
MAX_NUMBER_DIGITS = 1000  # Python refuses to convert integers past 4,300 digits anyway


def bounded_yaml(yaml: Any) -> Any:
    """Make the ruamel ``YAML`` instance refuse deep nesting, alias bombs and huge numbers."""
    yaml.Scanner, yaml.Composer, yaml.Constructor = _classes()
    yaml.max_depth = MAX_DEPTH
    return yaml


_BOUND_HINT = "Continue configs never need this; simplify the file there."


def yaml_limit_problem(error: Any) -> tuple[str, str] | None:
    """Return (problem, hint) when a ruamel error is one of these limits, else None."""
    if type(error).__name__ == "MaxDepthExceededError":
        return f"nested more than {MAX_DEPTH} levels deep", _BOUND_HINT
    problem = str(getattr(error, "problem", ""))
    if problem.startswith(("aliases expand", "the alias *", "a number with more", "more than")):
        return problem, _BOUND_HINT
    return None


@cache
def _classes() -> tuple[Any, Any, Any]:
    """Build the scanner, composer and constructor once (ruamel is imported only here)."""
    from ruamel.yaml import tokens
    from ruamel.yaml.composer import Composer, ComposerError
    from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
    from ruamel.yaml.events import AliasEvent
    from ruamel.yaml.nodes import MappingNode, SequenceNode
    from ruamel.yaml.scanner import RoundTripScanner

    class LinearScanner(RoundTripScanner):
        """ruamel's round-trip scanner, gathering a run of comment lines in linear time.

        ruamel 0.19 appends each further comment line to the first with ``str +``, which
        copies the whole run each time: a 1 MB block of comment lines took half a minute.
        This is its ``get_token`` with the run gathered in a list (``CommentToken`` joins a
        list value itself when read).
        """

        def get_token(self) -> Any:
            while self.need_more_tokens():
                self.fetch_more_tokens()
            self._gather_comments()
            if not self.tokens:
                return None
            first = self.tokens[0]
            if len(self.tokens) > 1 and isinstance(self.tokens[1], tokens.CommentToken):
                same_line = first.end_mark.line == self.tokens[1].start_mark.line
                ends = (tokens.ScalarToken, tokens.ValueToken, tokens.FlowSequenceEndToken,
                        tokens.FlowMappingEndToken)
                if same_line and isinstance(first, ends):
                    self.tokens_taken += 1
                    comment = self.tokens.pop(1)
                    self.fetch_more_tokens()
                    self._gather_run(comment)
                    first.add_post_comment(comment)
                elif not same_line and isinstance(first, tokens.ScalarToken):
                    self.tokens_taken += 1
                    comment = self.tokens.pop(1)
                    comment.value = (
                        "\n" * (comment.start_mark.line - first.end_mark.line)
                        + " " * comment.start_mark.column
                        + comment.value
                    )
                    first.add_post_comment(comment)
                    self.fetch_more_tokens()
                    self._gather_run(comment)
            self.tokens_taken += 1
            return self.tokens.pop(0)

        def _gather_run(self, comment: Any) -> None:
            parts = [comment.value]
            while len(self.tokens) > 1 and isinstance(self.tokens[1], tokens.CommentToken):
                self.tokens_taken += 1
                more = self.tokens.pop(1)
                parts.append(" " * more.start_mark.column + more.value)
                self.fetch_more_tokens()
            comment.value = parts if len(parts) > 1 else parts[0]

    def expanded_size(root: Any, sizes: dict[int, int]) -> int:
        """Count the values ``root`` stands for with every alias expanded, once per node."""
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:  # a loop, not recursion: the depth is the author's choice
            node, children_done = stack.pop()
            if id(node) in sizes:
                continue
            if isinstance(node, SequenceNode):
                children = list(node.value)
            elif isinstance(node, MappingNode):
                children = [part for pair in node.value for part in pair]
            else:
                sizes[id(node)] = 1
                continue
            if children_done:
                sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
            else:
                stack.append((node, True))
                stack.extend((c, False) for c in children if id(c) not in sizes)
        return sizes[id(root)]

    class BoundedComposer(Composer):
        """Count what aliases expand to, and refuse aliases to a node not yet complete."""

        def __init__(self, loader: Any = None) -> None:
            super().__init__(loader)
            self.complete: set[str] = set()
            self.sizes: dict[int, int] = {}
            self.expanded = 0
            self.values = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if not self.parser.check_event(AliasEvent):
                event = self.parser.peek_event()
                if not (index is None and isinstance(parent, MappingNode)):  # keys: not values
                    self.values += 1
                    if self.values > MAX_YAML_VALUES:
                        raise ComposerError(
                            None, None, f"more than {MAX_YAML_VALUES:,} values",
                            event.start_mark,
                        )
                node = super().compose_node(parent, index)
                if event.anchor is not None:
                    self.complete.add(event.anchor)
                return node
            event = self.parser.peek_event()
            if event.anchor in self.anchors and event.anchor not in self.complete:
                raise ComposerError(
                    None, None, f"the alias *{event.anchor} refers to a value that contains "
                    "it (a recursive structure)", event.start_mark,
                )
            node = super().compose_node(parent, index)
            self.expanded += expanded_size(node, self.sizes)
            if self.expanded > MAX_ALIAS_EXPANSION:
                raise ComposerError(
                    None, None, f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values "
                    "(an alias bomb); write the values out, or use fewer nested aliases",
                    event.start_mark,
                )
            return node

    class BoundedConstructor(RoundTripConstructor):
        """Turn a number too long to convert into an error at its place."""

        def construct_yaml_int(self, node: Any) -> Any:
            if len(str(node.value)) > MAX_NUMBER_DIGITS:
                raise ConstructorError(
                    None, None, f"a number with more than {MAX_NUMBER_DIGITS:,} digits",
                    node.start_mark,
                )
            return super().construct_yaml_int(node)

        def construct_yaml_float(self, node: Any) -> Any:
            if len(str(node.value)) > MAX_NUMBER_DIGITS:
                raise ConstructorError(
                    None, None, f"a number with more than {MAX_NUMBER_DIGITS:,} digits",
                    node.start_mark,
                )
            return super().construct_yaml_float(node)

    BoundedConstructor.add_constructor("tag:yaml.org,2002:int",
                                       BoundedConstructor.construct_yaml_int)
    BoundedConstructor.add_constructor("tag:yaml.org,2002:float",
                                       BoundedConstructor.construct_yaml_float)
    return LinearScanner, BoundedComposer, BoundedConstructor
