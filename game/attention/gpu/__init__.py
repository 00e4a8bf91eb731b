"""The `cupy` attention backend: FlashAttention-2 on an NVIDIA GPU through CuPy.

    usable()                 -> bool          CuPy imports, a CUDA device answers,
                                              and the kernels pass a self-check
    unusable_reason()        -> str | None    why not, in one line
    cupy_attention(inputs)   -> np.ndarray    the runner `game.attention.functional` calls
    flash_forward(q, k, v)   -> (out, lse)    the tensor-core kernel on CuPy arrays
                                              (benchmarks and GPU tests)

CuPy is optional and imported only when one of these is first called. Anything
that stops the GPU path (no CuPy, no device, a compile error, a self-check
that disagrees with NumPy) is logged once and `usable()` answers False, so
`backend="auto"` quietly runs the NumPy tiled kernel instead. Setting
SWITCHYARD_NO_GPU=1 turns the GPU path off without probing at all.

Which kernel runs (see flash_attention.cu):
  - float16 inputs with no dense bias or mask, equal head dims d = d_v <= 128,
    on a device with tensor cores (compute capability 8.0 or newer):
    `flash_forward`, head dims padded with zeros up to 64 or 128;
  - everything else (the game's float64 and float32 boards, masks, biases):
    the row kernel, in float64 for float64 inputs and float32 otherwise.
"""

from __future__ import annotations

import functools
import logging
import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.attention.gpu.kernels import (
    Kernels,
    default_flash_config,
    padded_head_dim,
    row_per_lane,
)
from game.attention.inputs import AttentionInputs, prepare
from game.attention.reference import reference_attention

logger = logging.getLogger("switchyard.attention.gpu")

DISABLE_ENV = "SWITCHYARD_NO_GPU"
# Self-check tolerances against the float64 reference, relative to max |out|:
# float16 operands carry 2^-11 relative rounding, the float32 row kernel ~1e-7.
SELF_CHECK_TOLERANCE = {"float16": 2e-2, "float32": 1e-4, "float64": 1e-10}


class GpuUnavailable(RuntimeError):
    """The GPU path cannot run here; the message says why in one line."""


def _flash_head_dims(q: Any, k: Any, v: Any, dtype: str, storage: Any) -> tuple[int, int]:
    """(d, d padded to 64 or 128) when the tensor-core kernel takes q, k, v; ValueError else.

    It takes operands stored as `storage` (float16, or bfloat16 bits as uint16),
    equal head dims d = d_v up to 128, and as many values as keys.
    """
    for name, x in (("q", q), ("k", k), ("v", v)):
        if x.dtype != storage:
            raise ValueError(
                f"{name} has dtype {x.dtype}; the {dtype} kernel takes {np.dtype(storage)}"
            )
    d = q.shape[-1]
    if k.shape[-1] != d or v.shape[-1] != d or k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"q {q.shape}, k {k.shape}, v {v.shape}: the tensor-core kernel needs "
            "d_k = d_v and as many values as keys"
        )
    padded = padded_head_dim(d)
    if padded is None:
        raise ValueError(f"head dim {d} is larger than the tensor-core kernel takes (128)")
    return d, padded


@dataclass(frozen=True)
class Gpu:
    """A CuPy with a working device and the compiled kernels."""

    cupy: Any
    kernels: Kernels
    tensor_cores: bool  # compute capability >= 8.0: mma.sync m16n8k16 in fp16 and bf16
    device_name: str

    # ---- the tensor-core kernel -------------------------------------------------

    def flash_forward(
        self,
        q: Any,  # (..., n_q, d) float16, or bfloat16 bits as uint16
        k: Any,  # (..., n_k, d)
        v: Any,  # (..., n_k, d)
        *,
        causal: bool = False,
        scale: float | None = None,
        alibi_slopes: Any = None,  # broadcasts to the leading dims
        bfloat16: bool = False,
        config: Any = None,  # a kernels.FlashConfig; None picks the default
    ) -> tuple[Any, Any]:
        """(out (..., n_q, d) in q's dtype, lse (..., n_q) float32) from the tensor-core kernel."""
        cp = self.cupy
        if not self.tensor_cores:
            raise GpuUnavailable("this GPU has no fp16 tensor cores (compute capability < 8.0)")
        dtype = "bfloat16" if bfloat16 else "float16"
        storage = cp.uint16 if bfloat16 else cp.float16
        q, k, v = (cp.asarray(x) for x in (q, k, v))
        d, padded = _flash_head_dims(q, k, v, dtype, storage)
        lead = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
        bh = math.prod(lead)
        n_q = q.shape[-2]
        scale = 1.0 / math.sqrt(d) if scale is None else float(scale)
        out = cp.empty((bh, n_q, padded), dtype=storage)  # (bh, n_q, D)
        lse = cp.empty((bh, n_q), dtype=cp.float32)  # (bh, n_q)
        if bh and n_q:
            slopes = None if alibi_slopes is None else self._flat_slopes(alibi_slopes, lead)
            self.kernels.flash(
                config or default_flash_config(dtype, padded),
                self._flat_heads(q, lead, padded, storage),
                self._flat_heads(k, lead, padded, storage),
                self._flat_heads(v, lead, padded, storage),
                out,
                lse,
                slopes,
                scale=scale,
                causal=causal,
            )
        out = out[..., :d].reshape(*lead, n_q, d)  # (..., n_q, d)
        return out, lse.reshape(*lead, n_q)

    def _flat_heads(self, x: Any, lead: tuple[int, ...], padded: int, storage: Any) -> Any:
        """x (..., n, d) broadcast to `lead`, as (bh, n, padded): contiguous, zeros past d."""
        cp = self.cupy
        n, d = x.shape[-2:]
        bh = math.prod(lead)
        x = cp.broadcast_to(x, (*lead, n, d)).reshape(bh, n, d)
        if padded == d:
            return cp.ascontiguousarray(x)
        wide = cp.zeros((bh, n, padded), dtype=storage)
        wide[..., :d] = x
        return wide

    def _flat_slopes(self, alibi_slopes: Any, lead: tuple[int, ...]) -> Any:
        """ALiBi slopes broadcast to `lead`, as (bh,) contiguous float32."""
        cp = self.cupy
        slopes = cp.broadcast_to(cp.asarray(alibi_slopes, dtype=cp.float32), lead)  # lead
        return cp.ascontiguousarray(slopes.reshape(math.prod(lead)))

    # ---- any AttentionInputs --------------------------------------------------

    def forward(self, inputs: AttentionInputs) -> tuple[Any, Any]:
        """(out (*lead, n_q, d_v), lse (*lead, n_q)) as CuPy arrays, by whichever kernel fits."""
        if self._fits_flash(inputs):
            return self.flash_forward(
                self.cupy.asarray(inputs.q, dtype=self.cupy.float16),
                self.cupy.asarray(inputs.k, dtype=self.cupy.float16),
                self.cupy.asarray(inputs.v, dtype=self.cupy.float16),
                causal=inputs.causal,
                scale=inputs.scale,
                alibi_slopes=inputs.slopes,
            )
        return self._rows_forward(inputs)

    def _fits_flash(self, inputs: AttentionInputs) -> bool:
        return (
            self.tensor_cores
            and inputs.out_dtype == np.float16
            and inputs.bias is None
            and inputs.mask is None
            and inputs.d == inputs.d_v
            and inputs.d > 0
            and padded_head_dim(inputs.d) is not None
        )

    def _rows_forward(self, inputs: AttentionInputs) -> tuple[Any, Any]:
        cp = self.cupy
        lead, n_q, n_k, d, d_v = inputs.lead, inputs.n_q, inputs.n_k, inputs.d, inputs.d_v
        if row_per_lane(d, d_v) is None:
            raise GpuUnavailable(f"head dims {d}, {d_v} are larger than the GPU kernels take")
        dtype = np.float64 if inputs.compute_dtype == np.float64 else np.float32
        bh = math.prod(lead)

        def heads(x: np.ndarray, n: int, width: int) -> Any:  # (bh, n, width) on the device
            x = np.broadcast_to(x, (*lead, n, width)).reshape(bh, n, width)
            return cp.asarray(np.ascontiguousarray(x, dtype=dtype))

        out = cp.zeros((bh, n_q, d_v), dtype=dtype)  # (bh, n_q, d_v)
        lse = cp.full((bh, n_q), -np.inf, dtype=dtype)  # (bh, n_q)
        if bh and n_q and n_k:
            bias = _dense_bias(inputs, dtype)
            slopes = None
            if inputs.slopes is not None:
                slopes = cp.asarray(np.ascontiguousarray(inputs.slopes.reshape(bh), dtype=dtype))
            self.kernels.rows(
                heads(inputs.q, n_q, d),
                heads(inputs.k, n_k, d),
                heads(inputs.v, n_k, d_v),
                cp.asarray(bias) if bias is not None else None,
                slopes,
                out,
                lse,
                scale=inputs.scale,
                causal=inputs.causal,
            )
        return out.reshape(*lead, n_q, d_v), lse.reshape(*lead, n_q)


def _dense_bias(inputs: AttentionInputs, dtype: type) -> np.ndarray | None:
    """(bh, n_q, n_k) additive bias with −inf where the mask forbids, or None if neither."""
    if inputs.bias is None and inputs.mask is None:
        return None
    shape = (*inputs.lead, inputs.n_q, inputs.n_k)
    bias = np.zeros(shape, dtype=dtype) if inputs.bias is None else inputs.bias.astype(dtype)
    if inputs.mask is not None:
        bias = np.where(inputs.mask, bias, -np.inf).astype(dtype, copy=False)
    return np.ascontiguousarray(bias.reshape(-1, inputs.n_q, inputs.n_k))  # (bh, n_q, n_k)


# ---- probing ---------------------------------------------------------------------


def _self_check(gpu: Gpu) -> None:
    """Run each kernel once on small random inputs against the float64 reference."""
    rng = np.random.default_rng(0)
    cases = [
        # (dtype, n_q, n_k, d, d_v, causal, masked, alibi)
        ("float64", 5, 7, 3, 2, True, True, True),
        ("float32", 9, 9, 16, 16, False, True, False),
    ]
    if gpu.tensor_cores:
        cases += [
            ("float16", 37, 45, 64, 64, True, False, True),
            ("float16", 20, 70, 96, 96, False, False, False),
        ]
    for dtype, n_q, n_k, d, d_v, causal, masked, alibi in cases:
        q = rng.standard_normal((2, n_q, d)).astype(dtype)
        k = rng.standard_normal((2, n_k, d)).astype(dtype)
        v = rng.standard_normal((2, n_k, d_v)).astype(dtype)
        mask = rng.random((n_q, n_k)) < 0.8 if masked else None
        slopes = np.array([0.5, 0.25]) if alibi else None
        inputs = prepare(q, k, v, causal=causal, mask=mask, alibi_slopes=slopes)
        out = gpu.cupy.asnumpy(gpu.forward(inputs)[0]).astype(np.float64)
        expected, _ = reference_attention(inputs)
        error = float(np.max(np.abs(out - expected))) / max(1.0, float(np.max(np.abs(expected))))
        if not error <= SELF_CHECK_TOLERANCE[dtype]:  # also catches NaN
            raise GpuUnavailable(
                f"the GPU kernel for {dtype} disagrees with the NumPy reference "
                f"(relative error {error:.2e} on n_q={n_q}, n_k={n_k}, d={d})"
            )


@functools.cache
def _probe() -> Gpu | str:
    """The working GPU, or one line saying why there is none. Run once per process."""
    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        return f"the GPU backend is turned off ({DISABLE_ENV} is set)"
    try:
        import cupy
    except ImportError as exc:
        return f"CuPy is not installed ({exc})".splitlines()[0]
    except Exception as exc:  # installed, but a broken CUDA install under it
        return f"CuPy does not load ({type(exc).__name__}: {exc})".splitlines()[0]
    try:
        if cupy.cuda.runtime.getDeviceCount() == 0:
            return "CuPy found no CUDA device"
        device = cupy.cuda.Device()
        capability = int(device.compute_capability)  # "90" on an H100
        name = cupy.cuda.runtime.getDeviceProperties(device.id)["name"]
        name = name.decode() if isinstance(name, bytes) else str(name)
        gpu = Gpu(cupy=cupy, kernels=Kernels(cupy), tensor_cores=capability >= 80, device_name=name)
        _self_check(gpu)
    except GpuUnavailable as exc:
        return str(exc)
    except Exception as exc:  # driver, compile or launch failure: the CPU path still works
        first_line = (str(exc).strip().splitlines() or [""])[0]
        return f"the GPU could not run the attention kernels ({type(exc).__name__}: {first_line})"
    logger.info("attention: using the CuPy kernels on %s", name)
    return gpu


def _gpu() -> Gpu:
    state = _probe()
    if isinstance(state, str):
        raise GpuUnavailable(state)
    return state


def unusable_reason() -> str | None:
    """None when the GPU path works here; otherwise why not, in one line."""
    state = _probe()
    return state if isinstance(state, str) else None


@functools.cache
def _log_unusable(reason: str) -> None:
    logger.info("attention: using NumPy, not the GPU: %s", reason)


def usable() -> bool:
    """True when CuPy, a CUDA device and the compiled kernels all work here."""
    reason = unusable_reason()
    if reason is not None:
        _log_unusable(reason)
    return reason is None


def flash_forward(q: Any, k: Any, v: Any, **options: Any) -> tuple[Any, Any]:
    """The tensor-core kernel on CuPy arrays; see `Gpu.flash_forward`."""
    return _gpu().flash_forward(q, k, v, **options)


def forward(inputs: AttentionInputs) -> tuple[Any, Any]:
    """(out, lse) as CuPy arrays for validated inputs; see `Gpu.forward`."""
    return _gpu().forward(inputs)


def cupy_attention(inputs: AttentionInputs) -> np.ndarray:
    """The `cupy` backend: the GPU's output, copied back to a NumPy array.

    NaN and infinity follow the rules every backend keeps (docs/attention-notes.md):
    a non-finite value row takes the reference path (masked keys are never read),
    and scores past float32's range give the float64 answer."""
    if not np.isfinite(inputs.v).all():
        from game.attention.reference import reference_attention

        return reference_attention(inputs)[0].astype(inputs.out_dtype)
    gpu = _gpu()
    out, _ = gpu.forward(inputs)
    return inputs.unless_overflowed(gpu.cupy.asnumpy(out))


def device_name() -> str | None:
    state = _probe()
    return None if isinstance(state, str) else state.device_name
