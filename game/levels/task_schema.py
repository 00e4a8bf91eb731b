"""The `[task]` and `[readout]` tables of a circuits level (docs/levels.md, "Tasks").

A task level is scored on inputs the player never sees: `[task]` names a
registered task (`game.api.Task`) and how to draw its inputs (seed, lengths,
how many held out, the task's own settings); `[readout]` says how an answer
is read from the final residual stream at each scored token:

- `how = "argmax"`: `features = {next_a = "a", next_b = "b"}`, the label of
  the feature with the largest value;
- `how = "threshold"`: one `feature` and ascending cut points `at_least`
  (one number or a list); `labels` has one more entry than the cuts, and a
  value at or above cut k reads as `labels[k + 1]` (`labels = ["no", "yes"]`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from game.levels.fields import MAX_SENTENCES, MAX_TOKENS, Name, Number, RegistryName, StrictModel

Label = Annotated[str, StringConstraints(pattern=r"^\S+$", max_length=40)]
MIN_HELD_OUT, MAX_HELD_OUT = 200, 5000
TASK_KEYS = ("name", "seed", "lengths", "held_out", "shown")


class TaskTable(BaseModel):
    """`[task]`: the task's name, how its inputs are drawn; other keys are its settings."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    name: RegistryName
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    lengths: list[Annotated[int, Field(ge=2, le=MAX_TOKENS)]] = Field(
        default_factory=lambda: [8, 12], min_length=2, max_length=2
    )
    held_out: int = Field(default=MIN_HELD_OUT, ge=MIN_HELD_OUT, le=MAX_HELD_OUT)
    shown: int = Field(
        default=3,
        ge=1,
        le=MAX_SENTENCES,
        description="How many examples the board shows as sentences (when none are written).",
    )

    @property
    def settings(self) -> dict[str, Any]:
        """The task's own keywords from the level (`symbols = [...]`)."""
        return dict(self.model_extra or {})


class Readout(StrictModel):
    """`[readout]`: how the final residual stream at a token is read as an answer label."""

    how: Literal["argmax", "threshold"]
    features: dict[Name, Label] = Field(default_factory=dict, max_length=16)  # argmax
    feature: Name | None = None  # threshold
    at_least: Number | list[Number] | None = None  # threshold: ascending cut points
    labels: list[Label] = Field(default_factory=list, max_length=17)  # threshold

    @property
    def cuts(self) -> tuple[float, ...]:
        """The threshold's cut points, ascending (empty for argmax)."""
        if self.at_least is None:
            return ()
        if isinstance(self.at_least, list):
            return tuple(float(x) for x in self.at_least)
        return (float(self.at_least),)

    @property
    def all_labels(self) -> tuple[str, ...]:
        """Every label the readout can give."""
        if self.how == "argmax":
            return tuple(dict.fromkeys(self.features.values()))
        return tuple(self.labels)

    @property
    def read_features(self) -> tuple[str, ...]:
        """The features the readout looks at."""
        if self.how == "argmax":
            return tuple(self.features)
        return (self.feature,) if self.feature is not None else ()

    def read(self, stream: np.ndarray, features: Sequence[str]) -> list[str]:
        """The label at every token of `stream` (n, d_model), whose columns are `features`."""
        columns = [list(features).index(f) for f in self.read_features]
        values = stream[:, columns]  # (n, r)
        if self.how == "argmax":
            labels = list(self.features.values())
            return [labels[int(k)] for k in np.argmax(values, axis=1)]
        steps = np.searchsorted(np.array(self.cuts), values[:, 0], side="right")  # (n,)
        return [self.labels[int(k)] for k in steps]

    def problems(self, features: Sequence[str]) -> list[tuple[tuple, str]]:
        """(key path, message) for a readout that cannot read: unknown features, bad cuts."""
        out: list[tuple[tuple, str]] = []
        if self.how == "argmax":
            if len(self.features) < 2:
                out.append((("features",), "an argmax readout needs at least two features"))
            unknown = [name for name in self.features if name not in features]
            for name in unknown:
                out.append((("features", name), f'"{name}" is not one of the level\'s features'))
            return out
        if self.feature is None:
            return [(("feature",), "a threshold readout needs `feature`")]
        if self.feature not in features:
            out.append((("feature",), f'"{self.feature}" is not one of the level\'s features'))
        cuts = self.cuts
        if not cuts:
            out.append((("at_least",), "a threshold readout needs `at_least`"))
        elif any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
            out.append((("at_least",), "the cut points must rise"))
        if len(self.labels) != len(cuts) + 1:
            out.append(
                (("labels",), f"{len(cuts)} cut point(s) need {len(cuts) + 1} labels, "
                 f"not {len(self.labels)}")
            )  # fmt: skip
        if len(set(self.labels)) != len(self.labels):
            out.append((("labels",), "a label is listed twice"))
        return out
