"""Errors raised by positions. Messages name the thing at fault and the valid options."""


class PositionsError(Exception):
    """Base class for every error positions raises on purpose."""


class ConfigError(PositionsError):
    """A negotiation config or a setting is invalid (CLI exit code 2)."""


class InputError(PositionsError):
    """One input (file, URL, row) cannot be read; other inputs of the same run go on."""


class StoreError(PositionsError):
    """The store cannot be opened or written."""
