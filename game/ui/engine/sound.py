"""Short sound cues, synthesised at start-up: no audio files to ship or license.

Four cues, each a few sine partials under a soft envelope: `wire` (a wire or
route connected), `goal` (every goal turned green), `stars` (a level scored)
and `refused` (an intent the board refused). A machine without an audio
device, or a player who turned sound off, gets silence and nothing else.
"""

from __future__ import annotations

import numpy as np
import pygame

SAMPLE_RATE = 22050

# cue -> notes as (frequency Hz, start s, length s); gentle and short on purpose
CUES: dict[str, tuple[tuple[float, float, float], ...]] = {
    "wire": ((880.0, 0.0, 0.06),),
    "goal": ((659.3, 0.0, 0.12), (987.8, 0.09, 0.22)),
    "stars": ((523.3, 0.0, 0.12), (659.3, 0.1, 0.12), (784.0, 0.2, 0.3)),
    "refused": ((196.0, 0.0, 0.12), (185.0, 0.08, 0.14)),
}


def synthesise(notes: tuple[tuple[float, float, float], ...], volume: float = 0.25) -> np.ndarray:
    """int16 mono samples of the notes: sines with a quick attack and an exponential decay."""
    length = max(start + duration for _, start, duration in notes)
    t = np.arange(int(length * SAMPLE_RATE) + 1) / SAMPLE_RATE  # (samples,)
    wave = np.zeros_like(t)  # (samples,)
    for frequency, start, duration in notes:
        local = t - start  # (samples,)
        inside = (local >= 0) & (local <= duration)  # (samples,)
        attack = np.clip(local / 0.005, 0.0, 1.0)  # 5 ms fade-in: no click
        decay = np.exp(-np.maximum(local, 0.0) * 5.0 / duration)
        tone = np.sin(2 * np.pi * frequency * local) + 0.3 * np.sin(4 * np.pi * frequency * local)
        wave += np.where(inside, tone * attack * decay, 0.0)
    peak = max(1e-9, float(np.abs(wave).max()))
    return (wave / peak * volume * 32767).astype(np.int16)  # (samples,)


class Sounds:
    """The game's cues; `play(name)` does nothing when sound is off or there is no device."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.played: list[str] = []  # what was asked for, in order (tests read it)
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self.available = self._open()

    def _open(self) -> bool:
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=SAMPLE_RATE, size=-16, channels=1)
            frequency, _, channels = pygame.mixer.get_init()
            for name, notes in CUES.items():
                samples = synthesise(notes)  # (samples,)
                if frequency != SAMPLE_RATE:  # the device chose its own rate
                    index = np.arange(0, len(samples), SAMPLE_RATE / frequency).astype(int)
                    samples = samples[index]
                if channels > 1:
                    samples = np.repeat(samples[:, None], channels, axis=1)  # (samples, ch)
                self._sounds[name] = pygame.sndarray.make_sound(np.ascontiguousarray(samples))
        except (pygame.error, ValueError):
            self._sounds.clear()
            return False
        return True

    def play(self, name: str) -> None:
        if name not in CUES:
            raise KeyError(f"there is no sound cue {name!r}")
        if not self.enabled:
            return
        self.played.append(name)
        sound = self._sounds.get(name)
        if sound is not None:
            sound.play()
