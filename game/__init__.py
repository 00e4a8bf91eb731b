"""Switchyard: a game that teaches Transformer attention by making you build heads."""

__version__ = "0.1.0"
