"""positions: who stands where in a negotiation, and how that moved over time."""

__version__ = "0.1.0"
