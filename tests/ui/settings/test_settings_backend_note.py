"""The settings screen says what "Fastest" runs on, and why not the GPU."""

import sys

from game.attention import gpu
from game.ui.settings.scene import fastest_backend_note
from tests.attention.fake_cupy import FakeCupy


def _forget_probe(monkeypatch):
    monkeypatch.delenv(gpu.DISABLE_ENV, raising=False)
    gpu._probe.cache_clear()


def test_without_cupy_the_note_says_cpu_and_why(monkeypatch):
    _forget_probe(monkeypatch)
    monkeypatch.setitem(sys.modules, "cupy", None)
    try:
        assert fastest_backend_note() == (
            "Fastest runs on the CPU (NumPy). No GPU: CuPy is not installed."
        )
    finally:
        gpu._probe.cache_clear()


def test_with_a_working_gpu_the_note_names_it(monkeypatch):
    _forget_probe(monkeypatch)
    monkeypatch.setitem(sys.modules, "cupy", FakeCupy())
    try:
        assert fastest_backend_note() == "Fastest runs on the GPU: Fake GPU (NumPy)"
    finally:
        gpu._probe.cache_clear()


def test_the_off_switch_is_named(monkeypatch):
    _forget_probe(monkeypatch)
    monkeypatch.setenv(gpu.DISABLE_ENV, "1")
    try:
        assert fastest_backend_note().endswith("No GPU: the GPU backend is turned off.")
    finally:
        gpu._probe.cache_clear()
