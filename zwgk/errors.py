"""One exception tree: the CLI turns any ZwgkError into one line on stderr and exit status 2."""


class ZwgkError(Exception):
    """A problem the user can fix; the message says where and how."""


class ConfigError(ZwgkError):
    """A units file or configuration file that cannot be used."""


ECHO_CHARS = 60
MESSAGE_CHARS = 300


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """A short repr of a user's value for an error message: bounded work and length, whatever
    the value (a 10 MB string, a deeply nested or alias-shared structure), so one mistake is
    one readable line and never an expanded YAML bomb."""
    try:
        text = _REPR.repr(value)
    except ValueError:  # an int too long to print (Python's 4300-digit limit)
        text = f"<{type(value).__name__} too long to show>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_line(message: str, limit: int = MESSAGE_CHARS) -> str:
    """The message on one line of at most `limit` characters (file, unit and field come first,
    so a cut keeps them)."""
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _make_repr():
    import reprlib

    r = reprlib.Repr()
    r.maxlevel, r.maxstring, r.maxother = 2, ECHO_CHARS, ECHO_CHARS
    r.maxlist = r.maxtuple = r.maxdict = r.maxset = r.maxfrozenset = 4
    r.maxlong = 40
    return r


_REPR = _make_repr()
