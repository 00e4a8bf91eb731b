"""A one-paragraph description of the machine a benchmark ran on."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import numpy as np


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return None


def _blas() -> str:
    try:
        from threadpoolctl import threadpool_info

        libs = [
            f"{i['internal_api']} {i['version']} ({i['architecture']})"
            for i in threadpool_info()
            if i.get("user_api") == "blas"
        ]
        return ", ".join(libs) or "unknown BLAS"
    except Exception:  # the description must never stop a benchmark
        return "unknown BLAS"


def describe_machine() -> str:
    memory = _memory_gib()
    memory_text = f", {memory:.0f} GiB RAM" if memory else ""
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores{memory_text}; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{_blas()}"
    )
