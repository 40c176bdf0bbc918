"""One exception tree: the CLI turns any ZwgkError into one line on stderr and exit status 2."""


class ZwgkError(Exception):
    """A problem the user can fix; the message says where and how."""


class ConfigError(ZwgkError):
    """A units file or configuration file that cannot be used."""
