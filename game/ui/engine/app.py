"""The application shell: the one place that owns the window, the clock and pygame's events.

Raw events are mapped into logical coordinates here (see `display.Viewport`)
and handed to the scene stack; scenes never call `pygame.event.get()` or read
a clock. `App.step(dt, events)` is one frame, so tests drive the game with
posted events and a fixed `dt` and no real time passes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import pygame

from game.ui.engine.display import LOGICAL_SIZE, Viewport
from game.ui.engine.scene_stack import Scene, SceneStack
from game.ui.engine.sound import Sounds
from game.ui.engine.text import TextCache
from game.ui.engine.theme import NORMAL, THEMES, Theme, themed
from game.ui.engine.toast import Toasts

if TYPE_CHECKING:
    from game.progress import Preferences
    from game.ui.presenter.layer import Presenter

MOUSE_EVENTS = {pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION}
# While nothing moves the loop sleeps in pygame.event.wait for at most this long
# (a slow heartbeat, so anything that changes outside the event queue still shows).
IDLE_WAIT_MS = 1000


class App:
    """Window, scene stack and shared services (theme, text cache) for one run of the game."""

    def __init__(
        self,
        window_size: tuple[int, int] = LOGICAL_SIZE,
        *,
        theme: Theme = NORMAL,
        fullscreen: bool = False,
        title: str = "Switchyard",
    ):
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption(title)
        self.window_size = window_size  # the windowed size to come back to from fullscreen
        self.window = self._set_mode(fullscreen)
        self.canvas = pygame.Surface(LOGICAL_SIZE)
        self.viewport = Viewport(self.window.get_size())
        self.theme = theme
        self.text = TextCache()
        self.scenes = SceneStack()
        self.toasts = Toasts()  # messages for whatever screen is open (a damaged save file…)
        self.sounds = Sounds()
        self.running = True
        self.fullscreen = fullscreen
        # Told the new state when F11 switches fullscreen, so the owner can save it.
        self.on_fullscreen: Callable[[bool], None] | None = None
        # Custom event types the owner handles itself, before any scene (hot reload's).
        self.handlers: dict[int, Callable[[pygame.event.Event], None]] = {}
        # Presenter mode (`switchyard demo`, game.ui.presenter.layer): sees every event
        # before the scenes (True: taken) and draws over them; None in an ordinary game.
        self.presenter: Presenter | None = None

    def set_theme(self, name: str) -> None:
        self.theme = THEMES[name]

    def apply_settings(self, settings: Preferences) -> None:
        """Theme, text size, sound and fullscreen from the player's settings, at once.

        The attention backend is the model's business: boards opened after the
        change use it.
        """
        self.theme = themed(settings.theme, settings.font_scale)
        self.sounds.enabled = settings.sound
        if settings.fullscreen != self.fullscreen:
            self.toggle_fullscreen()

    def _set_mode(self, fullscreen: bool) -> pygame.Surface:
        """Fullscreen at the desktop's own resolution (no mode change, so projectors and
        virtual displays keep their size), or a resizable window."""
        if fullscreen:
            return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        return pygame.display.set_mode(self.window_size, pygame.RESIZABLE)

    def toggle_fullscreen(self) -> None:
        self.fullscreen = not self.fullscreen
        try:
            self.window = self._set_mode(self.fullscreen)
        except pygame.error:
            self.fullscreen = not self.fullscreen  # a driver without fullscreen: stay put
        self.viewport = Viewport(self.window.get_size())

    def translate(self, event: pygame.event.Event) -> pygame.event.Event | None:
        """Window event -> logical event; None for events the scenes need not see."""
        if event.type in MOUSE_EVENTS:
            pos = self.viewport.to_logical(event.pos)
            if pos is None:
                return None  # on a letterbox bar
            attrs = dict(event.dict, pos=pos)
            if "rel" in attrs:
                scale = self.viewport.scale
                attrs["rel"] = (event.rel[0] / scale, event.rel[1] / scale)
            return pygame.event.Event(event.type, attrs)
        return event

    def handle_window_event(self, event: pygame.event.Event) -> bool:
        """Quit, resize and fullscreen; True when the event was the shell's own."""
        if event.type == pygame.QUIT:
            self.running = False
            return True
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            self.viewport = Viewport(self.window.get_size())
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
            if self.on_fullscreen is not None:
                self.on_fullscreen(self.fullscreen)
            return True
        return False

    def step(self, dt: float, events: Iterable[pygame.event.Event], *, draw: bool = True) -> None:
        """One frame: events, then update by dt seconds, then draw.

        `draw=False` skips the drawing (a frame nobody sees: long soak runs). Drawing
        never changes state, so skipping it changes nothing else."""
        for raw in events:
            if raw.type in self.handlers:
                self.handlers[raw.type](raw)
                continue
            if self.handle_window_event(raw):
                continue
            event = self.translate(raw)
            if event is not None and not (self.presenter and self.presenter.handle(event)):
                self.scenes.handle(event)
        if not len(self.scenes):
            self.running = False
            return
        self.scenes.update(dt)
        self.toasts.update(dt)
        if draw:
            self.draw()

    def draw(self) -> None:
        self.canvas.fill(self.theme.background)
        self.scenes.draw(self.canvas)
        top = self.scenes.top
        avoid = top.interactive_rects() if top is not None else []
        if self.presenter is not None:  # and the lock badge drawn over everything
            avoid = [*avoid, *self.presenter.overlays(self.canvas)]
        self.toasts.draw(self.canvas, self.canvas.get_rect(), self.theme, self.text, avoid)
        if self.presenter is not None:
            self.presenter.draw(self.canvas)
        x, y, width, height = self.viewport.rect
        if (x, y, width, height) != (0, 0, *self.window.get_size()):
            self.window.fill((0, 0, 0))  # the letterbox bars
        if (width, height) == LOGICAL_SIZE:
            self.window.blit(self.canvas, (x, y))
        else:
            self.window.blit(pygame.transform.smoothscale(self.canvas, (width, height)), (x, y))
        pygame.display.flip()

    def idle(self) -> bool:
        """Nothing on screen moves by itself: no toast, no animating scene (or the
        presenter blanked the screen: black does not move)."""
        if self.presenter is not None and self.presenter.blanked:
            return True
        return not self.toasts.items and not self.scenes.animating()

    def next_events(self) -> list[pygame.event.Event]:
        """The events of the next frame. While the app is idle this sleeps in the OS
        until an event comes (or IDLE_WAIT_MS passes) instead of drawing 60 still
        frames a second: a still screen then costs well under 5% of a core."""
        if not self.idle():
            return pygame.event.get()
        first = pygame.event.wait(IDLE_WAIT_MS)
        events = [] if first.type == pygame.NOEVENT else [first]
        return events + pygame.event.get()

    def run(self, first: Scene | None = None, fps: int = 60) -> None:
        """The real loop: the only caller of pygame's event queue and the clock.

        `first` is pushed when given; otherwise the stack the caller built is run."""
        if first is not None:
            self.scenes.push(first)
        clock = pygame.time.Clock()
        while self.running:
            events = self.next_events()
            dt = clock.tick(fps) / 1000.0
            self.step(min(dt, 0.1), events)
        pygame.quit()
