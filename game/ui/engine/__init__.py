"""The screen-independent machinery every screen stands on.

`app` (the window, the clock, pygame's events: the only code that polls them),
`scene_stack` (scenes and pop-ups on a stack), `display` (the 1280×720 logical
canvas, letterboxed into the window), `text` (the font and rendered-text cache),
`theme` (colours and sizes: normal, projector, high contrast), `look` (the theme
and text cache a scene draws with), `sound` (synthesised cues), `toast` (short
messages), `icons` (stars and locks), `failure` (one-line reports of plugin
failures) and `headless` (an App that draws to files, for `render`). Nothing here
knows a screen by name.
"""
