"""Errors every layer may raise and the command line turns into one sentence."""

from __future__ import annotations


class ConfigError(Exception):
    """A setting or path the user must fix; the message is one actionable sentence."""
