"""How the screens connect: title → level select → play → results, and back.

`game_flow.GameFlow` holds one run's state (registry, progress, settings) and
builds each screen with the callbacks that lead to the next; `run_game` is
`switchyard play`, `render_level` is `switchyard render`. The screens' own
folders (`title/`, `levels/`, `play/`, …) never import this package.
"""
