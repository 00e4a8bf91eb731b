"""The public attention functions of DESIGN §4, and the choice of backend.

    attention(q, k, v, ...)          -> out      (..., n_q, d_v)
    attention_weights(q, k, ...)     -> weights  (..., n_q, n_k)
    backends(registry=None)          -> ["reference", "tiled", ("cupy"), plugins' names…]
    resolve_backend(name, registry)  -> a name or a PluginBackend, for `backend=`

Every backend computes softmax(q·kᵀ·scale + bias + alibi, mask)·v with the
same conventions (see `game.attention.inputs` for the argument checks):
`scale` defaults to 1/√d; `causal` is aligned bottom-right; a fully masked
query row gives zeros.

`backend=` takes "auto", a built-in name, the name of a backend a plugin
registered, or a backend object. Built-in names always win over a plugin's;
plugin names are looked up in the plugin registry (see
`game.attention.registered`, which also checks a plugin backend's answers).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import numpy as np

from game.attention.inputs import AttentionInputs, prepare
from game.attention.reference import reference_attention
from game.attention.registered import (
    PluginBackend,
    describe,
    is_usable,
    registered_backends,
    run_checked,
)
from game.attention.tiled import tiled_attention

BUILTIN_BACKENDS = ("reference", "tiled")
logger = logging.getLogger("switchyard.attention")


def _run_reference(inputs: AttentionInputs) -> np.ndarray:
    out, _ = reference_attention(inputs)
    return out


def _run_cupy(inputs: AttentionInputs) -> np.ndarray:
    from game.attention import gpu  # lazily: cupy is optional

    return gpu.cupy_attention(inputs)


_RUNNERS: dict[str, Callable[[AttentionInputs], np.ndarray]] = {
    "reference": _run_reference,
    "tiled": tiled_attention,
    "cupy": _run_cupy,
}


def _cupy_usable() -> bool:
    """True when CuPy imports, a CUDA device answers and the GPU kernels pass their self-check."""
    from game.attention import gpu  # imports CuPy only inside usable()

    return gpu.usable()


def _run_auto(inputs: AttentionInputs) -> np.ndarray:
    """The GPU where it works, else the tiled kernel: a GPU failure never reaches the caller."""
    if _cupy_usable():
        from game.attention import gpu

        try:
            return gpu.cupy_attention(inputs)
        except Exception as exc:  # out of device memory, a driver fault: NumPy still answers
            _log_gpu_failure(f"{type(exc).__name__}: {exc}".splitlines()[0])
    return tiled_attention(inputs)


@functools.cache
def _log_gpu_failure(reason: str) -> None:
    logger.warning("attention: the GPU failed, computing this on the CPU instead (%s)", reason)


def backends(registry: object = None) -> list[str]:
    """Names of the usable backends: the built-ins first, then those plugins registered.

    `registry` is a loaded plugin registry; the default one when None (see
    `game.attention.registered`). A plugin backend is listed when its
    `usable()` says so and its name is not a built-in one.
    """
    names = list(BUILTIN_BACKENDS)
    if _cupy_usable():
        names.append("cupy")
    for name, backend in registered_backends(registry).items():
        if name not in _RUNNERS and name != "auto" and is_usable(backend):
            names.append(name)
    return names


def resolve_backend(name: str, registry: object = None) -> str | PluginBackend:
    """What `attention(backend=...)` should get for `name`: built-in names as they are,
    a plugin's name as its `PluginBackend` from `registry` (default: the default registry).

    Raises ValueError for a name nobody registered (listing the usable ones) and
    for a plugin backend that cannot run here.
    """
    if name == "auto" or name in _RUNNERS:
        return name
    found = registered_backends(registry).get(name)
    if found is None:
        available = ", ".join(["auto", *backends(registry)])
        raise ValueError(f"unknown attention backend {name!r}; available here: {available}")
    if not found.usable():
        raise ValueError(f"the {name!r} backend of plugin {found.plugin!r} is not usable here")
    return found


def _choose(backend: object) -> Callable[[AttentionInputs], np.ndarray]:
    if isinstance(backend, str):
        backend = resolve_backend(backend)
    if not isinstance(backend, str):
        # A plugin's backend (game.api.AttentionBackend): anything with run() and usable().
        if not callable(getattr(backend, "run", None)):
            raise ValueError(
                f"backend must be a name or have a run(inputs) method, got {backend!r}"
            )
        if not is_usable(backend):
            raise ValueError(
                f"the {getattr(backend, 'name', backend)!r} backend is not usable here "
                f"({describe(backend)})"
            )
        return functools.partial(run_checked, backend)
    if backend == "auto":
        return _run_auto
    if backend == "cupy" and not _cupy_usable():
        from game.attention import gpu

        raise ValueError(f"the 'cupy' backend cannot run here: {gpu.unusable_reason()}")
    return _RUNNERS[backend]


def attention(
    q: object,
    k: object,
    v: object,
    *,
    causal: bool = False,
    scale: float | None = None,
    bias: object = None,
    alibi_slopes: object = None,
    mask: object = None,
    backend: object = "auto",
) -> np.ndarray:
    """softmax(q·kᵀ·scale + bias − slope·(i−j), mask) · v, shape (..., n_q, d_v).

    q: (..., n_q, d); k: (..., n_k, d); v: (..., n_k, d_v); leading dims
    broadcast. `bias` and `mask` (bool, True = may attend) broadcast to
    (..., n_q, n_k). `alibi_slopes` has one slope per head (it broadcasts to
    the leading dims) and is applied tile by tile in the tiled backends.
    With `causal`, query i sees keys j <= i + n_k − n_q. Output dtype follows
    the inputs (float16/float32/float64; integers give float64). `backend` is
    "auto", a name from `backends()` (plugins' included), or a backend object
    (`resolve_backend(name, registry)`, a `game.api.AttentionBackend`). A
    plugin backend that fails raises `BackendFailure` naming its plugin.
    """
    inputs = prepare(
        q, k, v, causal=causal, scale=scale, bias=bias, alibi_slopes=alibi_slopes, mask=mask
    )
    out = _choose(backend)(inputs)
    return np.asarray(out).astype(inputs.out_dtype, copy=False)


def attention_weights(
    q: object,
    k: object,
    *,
    causal: bool = False,
    scale: float | None = None,
    bias: object = None,
    alibi_slopes: object = None,
    mask: object = None,
) -> np.ndarray:
    """The (..., n_q, n_k) attention probabilities, for the board and the inspector.

    Computed by the reference backend in float64 and returned in the inputs'
    floating dtype; each row sums to 1, or is all zeros where fully masked.
    """
    q = np.asarray(q)
    k = np.asarray(k)
    if k.ndim < 2:
        raise ValueError(f"k has shape {k.shape}; expected (..., n, d) with at least 2 dims")
    v = np.zeros((*k.shape[:-1], 0), dtype=np.result_type(q, k))  # weights need no values
    inputs = prepare(
        q, k, v, causal=causal, scale=scale, bias=bias, alibi_slopes=alibi_slopes, mask=mask
    )
    _, weights = reference_attention(inputs)
    return weights.astype(inputs.out_dtype, copy=False)
