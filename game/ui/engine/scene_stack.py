"""Scenes on a stack: the top scene gets input; every scene from the last opaque one up is drawn.

A pop-up (help overlay, math inspector) is a scene that is not `opaque`, so
the screen below it stays visible. Scenes never read the clock: `update` gets
`dt` in seconds, and `draw` must not change state — the same state draws the
same frame.
"""

from __future__ import annotations

import pygame


class Scene:
    """Base class: override what the scene needs."""

    opaque = True

    def enter(self, stack: SceneStack) -> None:
        """Called when pushed; `stack` lets the scene push or pop others later."""
        self.stack = stack

    def pause(self) -> None:
        """Another scene went on top of this one."""

    def resume(self) -> None:
        """The scene on top of this one was popped."""

    def exit(self) -> None:
        """Popped or replaced: release what the scene holds."""

    def handle(self, event: pygame.event.Event) -> None:
        """One input event, in logical coordinates."""

    def update(self, dt: float) -> None:
        """Advance animations by dt seconds."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the current state; never change it."""

    def interactive_rects(self) -> list[pygame.Rect]:
        """Where this scene's controls are: toasts never cover them."""
        return []

    def animating(self) -> bool:
        """True while something on this scene moves by itself (an animation, a toast,
        training): the app loop then draws every frame; otherwise it sleeps until
        the next event, so a still screen costs a laptop's battery nothing."""
        return False


class SceneStack:
    def __init__(self) -> None:
        self._scenes: list[Scene] = []

    def __len__(self) -> int:
        return len(self._scenes)

    def __contains__(self, scene: object) -> bool:
        return any(scene is shown for shown in self._scenes)

    @property
    def top(self) -> Scene | None:
        return self._scenes[-1] if self._scenes else None

    def push(self, scene: Scene) -> None:
        if self._scenes:
            self._scenes[-1].pause()
        self._scenes.append(scene)
        scene.enter(self)

    def pop(self) -> Scene:
        if not self._scenes:
            raise IndexError("pop from an empty scene stack")
        scene = self._scenes.pop()
        scene.exit()
        if self._scenes:
            self._scenes[-1].resume()
        return scene

    def replace(self, scene: Scene) -> None:
        """Swap the top scene for another (title -> level select) without a resume in between."""
        if self._scenes:
            self._scenes.pop().exit()
        self._scenes.append(scene)
        scene.enter(self)

    def handle(self, event: pygame.event.Event) -> None:
        if self._scenes:
            self._scenes[-1].handle(event)

    def update(self, dt: float) -> None:
        if self._scenes:
            self._scenes[-1].update(dt)

    def _shown(self) -> list[Scene]:
        """The scenes drawn this frame: from the last opaque one up."""
        first = 0
        for index in range(len(self._scenes) - 1, -1, -1):
            if self._scenes[index].opaque:
                first = index
                break
        return self._scenes[first:]

    def animating(self) -> bool:
        """True when a scene on screen is moving by itself (see `Scene.animating`)."""
        return any(scene.animating() for scene in self._shown())

    def draw(self, surface: pygame.Surface) -> None:
        for scene in self._shown():
            scene.draw(surface)
