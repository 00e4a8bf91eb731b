"""One-line descriptions of failures in plugin code, for toasts the player can act on."""

from __future__ import annotations

import traceback

from game.plugin_calls import PluginCodeError


def describe_failure(error: BaseException) -> str:
    """What went wrong and the file:line it came from (usually a plugin's own code)."""
    if isinstance(error, PluginCodeError):  # the boundary already found the plugin's line
        return str(error)
    frames = traceback.extract_tb(error.__traceback__)
    where = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    text = str(error).strip()
    message = text.splitlines()[0] if text else ""
    return f"{type(error).__name__}: {message}{where}" if message else type(error).__name__ + where
