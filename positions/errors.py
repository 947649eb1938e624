"""Errors raised by positions. Messages name the thing at fault and the valid options."""


class PositionsError(Exception):
    """Base class for every error positions raises on purpose."""


class ConfigError(PositionsError):
    """A negotiation config or a setting is invalid (CLI exit code 2)."""


class InputError(PositionsError):
    """One input (file, URL, row) cannot be read; other inputs of the same run go on."""


class StoreError(PositionsError):
    """The store cannot be opened or written."""


def failure_line(label: str, reason: str) -> str:
    """'input: reason', the label in front once: a reason that already starts with the label, or with a file
    inside the labelled folder ('data/x/parties.yaml: ...' for 'data/x'), is kept as it is."""
    return reason if reason.startswith((f"{label}:", f"{label}/")) else f"{label}: {reason}"
