"""Synthetic input for driving the game through `App.step`, as a player would.

Positions are logical (canvas) pixels; they are sent in window pixels, like
real events, so the letterbox transform is exercised too.
"""

import pygame

DT = 1 / 60


def press(app, key, mod=0, frames=1):
    app.step(DT, [pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod)])
    for _ in range(frames - 1):
        app.step(DT, [])


def presses(app, key, count, mod=0):
    for _ in range(count):
        press(app, key, mod)


def move(app, pos):
    app.step(
        DT,
        [
            pygame.event.Event(
                pygame.MOUSEMOTION, pos=app.viewport.to_window(pos), rel=(0, 0), buttons=(0, 0, 0)
            )
        ],
    )


def click(app, pos, button=1):
    window = app.viewport.to_window(pos)
    app.step(
        DT,
        [
            pygame.event.Event(pygame.MOUSEMOTION, pos=window, rel=(0, 0), buttons=(0, 0, 0)),
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=window, button=button),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=window, button=button),
        ],
    )


def drag(app, start, end, steps=4):
    a, b = app.viewport.to_window(start), app.viewport.to_window(end)
    events = [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=a, button=1)]
    for k in range(1, steps + 1):
        p = (a[0] + (b[0] - a[0]) * k // steps, a[1] + (b[1] - a[1]) * k // steps)
        events.append(pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(1, 0, 0)))
    events.append(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=b, button=1))
    for event in events:
        app.step(DT, [event])


def wheel(app, pos, notches):
    move(app, pos)
    for _ in range(abs(notches)):
        app.step(DT, [pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1 if notches > 0 else -1)])
