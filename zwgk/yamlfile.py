"""Reading the operator's YAML files (units, configuration, schedule) with one set of errors:
each names the file, the line when the YAML is broken, and what was expected.

These files are small and written by hand, so the loader is stricter than YAML: a duplicate key
(which YAML would silently resolve to the last one) is an error, keys are strings, nesting is
bounded, and anchors/aliases are capped, so a "billion laughs" file or a self-referencing alias
cannot exhaust memory or recursion in the validators behind it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

from zwgk.errors import ConfigError, echo

MAX_BYTES = 4 * 1024 * 1024  # a city's units file is well under 1 MB; PyYAML reads ~250 KB/s
MAX_DEPTH = 24  # the deepest legitimate path (units > unit > columns > column) is 5 levels
MAX_ALIASES = 32
MERGE_TAG = "tag:yaml.org,2002:merge"


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate and non-string keys, deep nesting, recursive aliases
    and more than MAX_ALIASES aliases."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._open: set[str] = set()  # anchors of nodes still being composed

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases (*name)", event.start_mark
                )
            if event.anchor in self._open:
                raise ComposerError(
                    None, None, "an alias refers to a node that contains it", event.start_mark
                )
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open.discard(anchor)

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        if isinstance(node, MappingNode):
            first: dict[str, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == MERGE_TAG:
                    continue  # `<<: *base` keys are overridden on purpose, not duplicates
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, str):
                    raise ConstructorError(
                        None,
                        None,
                        f"key {echo(key)} is not a string (quote it)",
                        key_node.start_mark,
                    )
                line = key_node.start_mark.line + 1
                if key in first:
                    raise ConstructorError(
                        None,
                        None,
                        f"duplicate key {echo(key)} (first on line {first[key]})",
                        key_node.start_mark,
                    )
                first[key] = line
        return super().construct_mapping(node, deep=deep)


def _yaml_error(path: Path, exc: yaml.YAMLError) -> ConfigError:
    if isinstance(exc, yaml.reader.ReaderError):
        return ConfigError(
            f"{path}: not valid YAML: character #x{exc.character:04x} at position "
            f"{exc.position} is not allowed"
        )
    mark = getattr(exc, "problem_mark", None)
    line = f"line {mark.line + 1}: " if mark else ""
    problem = getattr(exc, "problem", None) or "syntax error"
    return ConfigError(f"{path}: {line}not valid YAML: {problem}")


def parse_yaml(path: Path, text: str) -> Any:
    """The document in `text` (read from `path`), or one ConfigError naming the file."""
    loader = None
    try:
        loader = StrictLoader(text)  # the reader refuses unprintable characters right here
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from None
    except (ValueError, OverflowError) as exc:  # e.g. an int of 5000 digits, date 2026-13-45
        raise ConfigError(f"{path}: not valid YAML: {echo(str(exc))}") from None
    except RecursionError:  # the depth cap should stop this first; never a traceback
        raise ConfigError(f"{path}: not valid YAML: nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()


def read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    """The file's top-level mapping (an empty file is an empty mapping)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise ConfigError(f"{path}: {what} is larger than {MAX_BYTES // 1024 // 1024} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: cannot read {what}: not UTF-8 (byte {exc.start} is 0x{data[exc.start]:02x})"
        ) from None
    doc = parse_yaml(path, text)
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ConfigError(
            f"{path}: expected a mapping at the top of the {what}, got {type(doc).__name__}"
        )
    return doc
