"""Follow-along lock: what a screen asks before it gives away an answer.

In presenter mode L locks the controls students must not touch while they follow
along (hints, Watch it learn, the reference solution). Screens take the app as
their `look`; `locked(look)` is True while the presenter's lock is on, and
`refused(look, toasts, what)` also says so in a toast. A look without a
presenter (an ordinary game, a test's `StaticLook`) is never locked. No state here.
"""

from __future__ import annotations

from typing import Protocol


class ToastShower(Protocol):
    def show(self, message: str, kind: str = "info", duration: float = 3.5) -> None: ...


def locked(look: object) -> bool:
    """The presenter's follow-along lock is on for this app."""
    presenter = getattr(look, "presenter", None)
    return bool(getattr(presenter, "locked", False))


def refused(look: object, toasts: ToastShower, what: str) -> bool:
    """True (with a toast naming `what`) when the lock forbids it; False when it may go on."""
    if not locked(look):
        return False
    toasts.show(f"{what} is locked by the presenter (L unlocks).", "error")
    return True


def solutions_hidden(look: object) -> bool:
    """Presenter mode: a reference solution stays hidden until the presenter asks (A)."""
    return getattr(look, "presenter", None) is not None
