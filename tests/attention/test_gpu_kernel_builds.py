"""The CUDA source builds for Ampere and Hopper, every variant, the tensor-core ones unspilled.

Needs `nvcc` (no GPU): where it is missing the test skips. This is the part
of the kernel a CPU machine can check; the numbers are checked in
test_gpu.py on a GPU.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from game.attention.gpu.kernels import COMPILE_OPTIONS, FLASH_VARIANTS, ROW_VARIANTS, SOURCE_PATH

NVCC = shutil.which("nvcc")


@pytest.mark.slow  # nvcc builds 18 variants
@pytest.mark.skipif(NVCC is None, reason="nvcc (the CUDA compiler) is not installed")
@pytest.mark.parametrize("arch", ["sm_80", "sm_90"])
def test_every_kernel_variant_compiles_without_spills(tmp_path, arch):
    names = [config.name for config in FLASH_VARIANTS] + list(ROW_VARIANTS)
    # Taking each instantiation's address makes nvcc build it, as NVRTC's name expressions do.
    wrapper = tmp_path / "variants.cu"
    wrapper.write_text(
        f'#include "{SOURCE_PATH}"\n'
        "void* const instantiated[] = {\n"
        + "".join(f"    (void*)&{name},\n" for name in names)
        + "};\n",
        encoding="utf-8",
    )
    number = arch.removeprefix("sm_")
    result = subprocess.run(
        [NVCC, *COMPILE_OPTIONS, f"-gencode=arch=compute_{number},code={arch}", "-cubin",
         "-Xptxas", "-v", str(wrapper), "-o", str(tmp_path / "variants.cubin")],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    # One (name, stack, spill stores, spill loads) per kernel, in ptxas's order.
    kernels = re.findall(
        r"Compiling entry function '(\w+)'.*?(\d+) bytes stack frame, "
        r"(\d+) bytes spill stores, (\d+) bytes spill loads",
        result.stderr,
        re.DOTALL,
    )
    assert len(kernels) == len(names)
    for name, stack, stores, loads in kernels:
        if "flash_forward" in name:  # the hot loop: every array must stay in registers
            assert stack == stores == loads == "0", (name, stack, stores, loads)
        else:  # the row kernel: fp64 exp's slow path may keep a few bytes on the stack
            assert int(stores) <= 64 and int(loads) <= 64, (name, stack, stores, loads)


def _nvrtc_compiler():
    """CuPy's NVRTC front end where CuPy and libnvrtc load (no GPU needed), else None."""
    try:
        from cupy.cuda import compiler
        from cupy_backends.cuda.libs import nvrtc

        nvrtc.getVersion()
    except Exception:  # no CuPy, or no libnvrtc: nothing to compile with
        return None
    return compiler


@pytest.mark.skipif(_nvrtc_compiler() is None, reason="CuPy with libnvrtc is not installed")
@pytest.mark.parametrize("arch", ["sm_80", "sm_90"])
def test_nvrtc_compiles_every_variant(monkeypatch, arch):
    """NVRTC, which CuPy uses at run time, lacks the host headers nvcc has (math.h, ...)."""
    compiler = _nvrtc_compiler()
    # CuPy asks the device for its architecture; name one so that no device is needed.
    monkeypatch.setattr(
        compiler, "_get_arch_for_options_for_nvrtc", lambda arch=None: (f"-arch={arch}", "cubin")
    )
    names = [config.name for config in FLASH_VARIANTS] + list(ROW_VARIANTS)
    binary, mangled = compiler.compile_using_nvrtc(
        SOURCE_PATH.read_text(encoding="utf-8"),
        options=COMPILE_OPTIONS,  # no include path: the source needs no CUDA headers
        arch=arch,
        name_expressions=names,
    )
    assert len(binary) > 0 and set(mangled) == set(names)
