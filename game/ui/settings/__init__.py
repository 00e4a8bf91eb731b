"""The settings screen: theme, text size, sound, fullscreen, attention backend."""
