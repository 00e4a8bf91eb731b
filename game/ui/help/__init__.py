"""The help overlay: every keyboard shortcut, in sections, over the screen that opened it."""
