"""The board: what the player has built, changed only through intents, with undo.

The UI sends intents (`add_wire`, `set_temperature`, …); each checks the
level's controls and limits, then replaces the board's frozen `BoardState`
with a new one. History is the list of states, so undo and redo are moves
along it. `revision` counts changes: the UI redraws the heatmap when it moves.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any, TypeVar

from game.api import Catalog
from game.levels.schema import (
    MAX_MIX,
    MAX_STRENGTH,
    MAX_TEMPERATURE,
    MAX_WIRES,
    MIN_TEMPERATURE,
    Level,
)
from game.model.evaluate import Evaluation, evaluate_sentences
from game.model.first_states import (
    BoardError,
    architecture_of,
    default_parameter,
    scheme_of,
    solution_state,
    start_state,
)
from game.model.spec import BoardState, HeadSpec, Settings, ValueRoute, Wire

T = TypeVar("T")


def _finite(name: str, value: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BoardError(f"{name} must be a number, not {value!r}")
    value = float(value)
    if not math.isfinite(value) or not low <= value <= high:
        raise BoardError(f"{name} must lie in {low}..{high}, not {value}")
    return value


class Board:
    """One level being played: the current state, its history and its evaluation."""

    def __init__(
        self,
        level: Level,
        catalog: Catalog,
        state: BoardState | None = None,
        *,
        backend: object = "reference",
    ) -> None:
        self.level = level
        self.backend = backend  # computes the head outputs (see evaluate_sentences)
        self.catalog = catalog
        self.architecture = architecture_of(level, catalog)
        self.initial_state = start_state(level, catalog)
        self._history: list[BoardState] = [state if state is not None else self.initial_state]
        self._at = 0
        self._merge: object = None  # the merge key of the last change (see _commit)
        self.revision = 0
        self._cache_state: BoardState | None = None
        self._cache: dict[int | str, Any] = {}

    @classmethod
    def with_solution(cls, level: Level, catalog: Catalog) -> Board:
        """A board holding the level's reference solution (for `switchyard solve`)."""
        state = solution_state(level, catalog)
        if state is None:
            raise BoardError(f'level "{level.id}" has no reference solution')
        return cls(level, catalog, state)

    # -- reading -----------------------------------------------------------
    @property
    def state(self) -> BoardState:
        return self._history[self._at]

    @property
    def heads(self) -> tuple[HeadSpec, ...]:
        return self.state.heads

    @property
    def settings(self) -> Settings:
        return self.state.settings

    @property
    def wire_count(self) -> int:
        return self.state.wire_count

    # -- layers: global head h = layer·H + i, the slots in layer order --------------
    @property
    def layers(self) -> int:
        """L, the level's stacked layers (1 for a level without `layers`)."""
        return self.level.layers

    def layer_of(self, head: int) -> int:
        """The 0-based layer head `head` (a global index) is in."""
        return self._head(head).layer

    def heads_in_layer(self, layer: int) -> tuple[int, ...]:
        """The global indices of layer `layer`'s heads (0-based), in order."""
        if isinstance(layer, bool) or not isinstance(layer, int) or not 0 <= layer < self.layers:
            raise BoardError(f"there is no layer {layer!r}; layers are 0..{self.layers - 1}")
        return tuple(h for h, spec in enumerate(self.heads) if spec.layer == layer)

    def used_heads(self) -> int:
        """How many heads are in use: a head is used when it has a wire or a value route."""
        return sum(spec.used for spec in self.heads)

    def used_layers(self) -> int:
        """How many layers are in use: a layer is used when one of its heads is."""
        return len({spec.layer for spec in self.heads if spec.used})

    @property
    def can_undo(self) -> bool:
        return self._at > 0

    @property
    def can_redo(self) -> bool:
        return self._at < len(self._history) - 1

    def _cached(self, key: int | str, compute: Callable[[], T]) -> T:
        """Evaluations are kept until the state changes (the UI asks every frame)."""
        if self._cache_state is not self.state:
            self._cache_state, self._cache = self.state, {}
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def evaluate(self, sentence_index: int = 0, *, task_sample: int | None = None) -> Evaluation:
        """The board run on one sentence (0: the one the player sees), goals checked;
        `task_sample` scores a task level on only that many held-out inputs (the play
        screen while the player edits; `evaluation.task.is_sample` says when it did)."""
        if not 0 <= sentence_index < len(self.level.sentences):
            raise BoardError(
                f"sentence {sentence_index} is outside 0..{len(self.level.sentences) - 1}"
            )
        sample = task_sample if self.level.task is not None else None
        return self._cached(
            sentence_index if sample is None else f"{sentence_index} sample {sample}",
            lambda: evaluate_sentences(
                self.level,
                self.catalog,
                self.state,
                [sentence_index],
                backend=self.backend,
                task_sample=sample,
            )[0],
        )

    def evaluate_all(self) -> tuple[Evaluation, ...]:
        """Every sentence; one padded batch when the architecture has padding masks."""
        indices = list(range(len(self.level.sentences)))

        def compute() -> tuple[Evaluation, ...]:
            if self.architecture.padding_masks:
                return tuple(
                    evaluate_sentences(
                        self.level, self.catalog, self.state, indices, backend=self.backend
                    )
                )
            return tuple(self.evaluate(i) for i in indices)

        return self._cached("all", compute)

    # -- history -----------------------------------------------------------
    def _commit(self, state: BoardState, merge: object = None) -> None:
        """Make `state` current. With a `merge` key equal to the last change's, replace that
        change instead of adding one: a slider drag is one undo step, not a hundred."""
        if state == self.state:
            return
        if merge is not None and merge == self._merge and self._at > 0 and not self.can_redo:
            self._history[self._at] = state
        else:
            del self._history[self._at + 1 :]
            self._history.append(state)
            self._at += 1
        self._merge = merge
        self.revision += 1

    def undo(self) -> None:
        """Go back one change; does nothing at the start of history."""
        if self.can_undo:
            self._at -= 1
            self._merge = None
            self.revision += 1

    def redo(self) -> None:
        """Go forward one undone change; does nothing when none is undone."""
        if self.can_redo:
            self._at += 1
            self._merge = None
            self.revision += 1

    # -- checks --------------------------------------------------------------
    def _allow(self, control: str) -> None:
        if not getattr(self.level.controls, control):
            raise BoardError(f"this level does not let you change {control.replace('_', ' ')}")

    def _head(self, head: int) -> HeadSpec:
        if isinstance(head, bool) or not isinstance(head, int) or not 0 <= head < len(self.heads):
            raise BoardError(f"there is no head {head!r}; heads are 0..{len(self.heads) - 1}")
        return self.heads[head]

    def _feature(self, name: str) -> str:
        if name not in self.level.features:
            raise BoardError(f'"{name}" is not a feature of this level')
        return name

    def _with_head(self, index: int, head: HeadSpec, merge: object = None) -> None:
        heads = list(self.heads)
        heads[index] = head
        self._commit(BoardState(tuple(heads), self.settings), merge)

    def _with_settings(self, merge: object = None, **changes: object) -> None:
        settings = Settings(**{**self.settings.__dict__, **changes})
        self._commit(BoardState(self.heads, settings), merge)

    # -- intents: wires --------------------------------------------------------
    def replace_head(self, head: int, spec: HeadSpec) -> None:
        """Replace a head's wires and routes in one undoable change ("watch it learn").

        The new head must keep the old block and mix, and obey the same limits
        and controls as wiring it by hand.
        """
        old = self._head(head)
        if spec.block != old.block or spec.mix != old.mix or spec.layer != old.layer:
            raise BoardError("replace_head changes wires and value routes only")
        if spec.wires != old.wires:
            self._allow("wires")
        if spec.values != old.values:
            self._allow("values")
        for items in (spec.wires, spec.values):
            if len(items) > MAX_WIRES:
                raise BoardError(f"a head has at most {MAX_WIRES} wires and {MAX_WIRES} routes")
        pairs = [(w.query, w.key) for w in spec.wires] + [(r.key, r.out) for r in spec.values]
        for a, b in pairs:
            self._feature(a)
            self._feature(b)
        if len(set(pairs[: len(spec.wires)])) != len(spec.wires):
            raise BoardError("a head has at most one wire per query → key pair")
        if len(set(pairs[len(spec.wires) :])) != len(spec.values):
            raise BoardError("a head has at most one value route per key → out pair")
        for item in (*spec.wires, *spec.values):
            _finite("strength", item.strength, -MAX_STRENGTH, MAX_STRENGTH)
        self._with_head(head, spec)

    def add_wire(self, head: int, query: str, key: str, strength: float = 1.0) -> None:
        """Wire query feature → key feature on `head`; a pair has at most one wire."""
        self._allow("wires")
        spec = self._head(head)
        self._feature(query)
        self._feature(key)
        strength = _finite("strength", strength, -MAX_STRENGTH, MAX_STRENGTH)
        if spec.wire(query, key) is not None:
            raise BoardError(f"head {head} already has a wire {query} → {key}; change its strength")
        if len(spec.wires) >= MAX_WIRES:
            raise BoardError(f"a head has at most {MAX_WIRES} wires")
        wires = (*spec.wires, Wire(query, key, strength))
        self._with_head(head, dataclasses.replace(spec, wires=wires))

    def set_wire_strength(self, head: int, query: str, key: str, strength: float) -> None:
        """Change the strength of the wire query → key."""
        self._allow("wires")
        spec = self._head(head)
        strength = _finite("strength", strength, -MAX_STRENGTH, MAX_STRENGTH)
        if spec.wire(query, key) is None:
            raise BoardError(f"head {head} has no wire {query} → {key}")
        wires = tuple(
            Wire(w.query, w.key, strength) if (w.query, w.key) == (query, key) else w
            for w in spec.wires
        )
        self._with_head(head, dataclasses.replace(spec, wires=wires))

    def remove_wire(self, head: int, query: str, key: str) -> None:
        """Take away the wire query → key."""
        self._allow("wires")
        spec = self._head(head)
        if spec.wire(query, key) is None:
            raise BoardError(f"head {head} has no wire {query} → {key}")
        wires = tuple(w for w in spec.wires if (w.query, w.key) != (query, key))
        self._with_head(head, dataclasses.replace(spec, wires=wires))

    # -- intents: values and mix ---------------------------------------------------
    def add_value_route(self, head: int, key: str, out: str, strength: float = 1.0) -> None:
        """Let `head` copy key feature `key` into output feature `out`."""
        self._allow("values")
        spec = self._head(head)
        self._feature(key)
        self._feature(out)
        strength = _finite("strength", strength, -MAX_STRENGTH, MAX_STRENGTH)
        if any((r.key, r.out) == (key, out) for r in spec.values):
            raise BoardError(f"head {head} already routes {key} → {out}")
        if len(spec.values) >= MAX_WIRES:
            raise BoardError(f"a head has at most {MAX_WIRES} value routes")
        values = (*spec.values, ValueRoute(key, out, strength))
        self._with_head(head, dataclasses.replace(spec, values=values))

    def set_value_strength(self, head: int, key: str, out: str, strength: float) -> None:
        """Change how much of `key` the route key → out hands over (its W_V entry)."""
        self._allow("values")
        spec = self._head(head)
        strength = _finite("strength", strength, -MAX_STRENGTH, MAX_STRENGTH)
        if not any((r.key, r.out) == (key, out) for r in spec.values):
            raise BoardError(f"head {head} does not route {key} → {out}")
        values = tuple(
            ValueRoute(r.key, r.out, strength) if (r.key, r.out) == (key, out) else r
            for r in spec.values
        )
        self._with_head(head, dataclasses.replace(spec, values=values))

    def remove_value_route(self, head: int, key: str, out: str) -> None:
        """Stop `head` copying `key` into `out`."""
        self._allow("values")
        spec = self._head(head)
        if not any((r.key, r.out) == (key, out) for r in spec.values):
            raise BoardError(f"head {head} does not route {key} → {out}")
        values = tuple(r for r in spec.values if (r.key, r.out) != (key, out))
        self._with_head(head, dataclasses.replace(spec, values=values))

    def set_mix(self, head: int, mix: float, *, merge: object = None) -> None:
        """This head's weight in W_O. Changes passing the same `merge` key in a row (one
        slider drag) are one undo step."""
        self._allow("mix")
        spec = self._head(head)
        mix = _finite("mix", mix, -MAX_MIX, MAX_MIX)
        key = None if merge is None else ("mix", head, merge)
        self._with_head(head, dataclasses.replace(spec, mix=mix), key)

    # -- intents: settings -------------------------------------------------------
    def set_scale(self, on: bool) -> None:
        """Turn the 1/√d_k scale on or off."""
        self._allow("scale")
        if not isinstance(on, bool):
            raise BoardError(f"scale is on or off (True/False), not {on!r}")
        self._with_settings(scale=on)

    def set_causal(self, on: bool) -> None:
        """Put the causal mask of causal blocks on, or lift it (the decoder lets words peek)."""
        self._allow("mask")
        if not isinstance(on, bool):
            raise BoardError(f"the causal mask is on or off (True/False), not {on!r}")
        self._with_settings(causal=on)

    def set_temperature(self, temperature: float, *, merge: object = None) -> None:
        """The softmax temperature T: logits are divided by T.

        Changes passing the same `merge` key in a row (one slider drag) are one undo step.
        """
        self._allow("temperature")
        t = _finite("temperature", temperature, MIN_TEMPERATURE, MAX_TEMPERATURE)
        self._with_settings(merge=None if merge is None else ("temperature", merge), temperature=t)

    def choose_positional(self, name: str) -> None:
        """Pick a positional scheme from the level's list; its parameter goes to its default."""
        self._allow("positional")
        if name not in self.level.positional:
            raise BoardError(
                f'"{name}" is not one of this level\'s schemes: {", ".join(self.level.positional)}'
            )
        if name == self.settings.positional:
            return
        scheme = scheme_of(self.catalog, name)
        self._with_settings(positional=name, parameter=default_parameter(scheme))

    def set_knob(self, name: str, value: float, *, merge: object = None) -> None:
        """Set one of the level's knobs (tile sizes, model size…), rounded if it is whole.

        Changes passing the same `merge` key in a row (one slider drag) are one undo step.
        """
        knob = self.level.knob(name)
        if knob is None:
            known = ", ".join(k.name for k in self.level.knobs) or "none"
            raise BoardError(f'this level has no knob "{name}" (knobs: {known})')
        value = _finite(knob.title or name, value, knob.low, knob.high)
        if knob.integer:
            value = float(round(value))
        knobs = tuple((k, value if k == name else v) for k, v in self.settings.knobs)
        self._with_settings(merge=None if merge is None else ("knob", name, merge), knobs=knobs)

    def set_positional_parameter(self, value: float, *, merge: object = None) -> None:
        """Set the scheme's slider (RoPE base, ALiBi slope scale) within its range; one
        drag (the same `merge` key in a row) is one undo step."""
        self._allow("positional_parameter")
        scheme = scheme_of(self.catalog, self.settings.positional)
        if not scheme.parameters:
            raise BoardError(f'the "{scheme.name}" scheme has no parameter to set')
        p = scheme.parameters[0]
        value = _finite(p.title, value, p.low, p.high)
        self._with_settings(merge=None if merge is None else ("parameter", merge), parameter=value)

    def reset(self) -> None:
        """Back to how the level starts (undoable, like every intent)."""
        self._commit(self.initial_state)
