"""The built-in architectures (plugins/arch_*): names, blocks, level packs, and no peeking."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.api import Architecture, AttentionBlock
from game.attention import attention
from tests.plugins.util import collect, load_builtin

PACKAGES = {
    "encoder": "arch_encoder",
    "decoder": "arch_decoder",
    "encoder-decoder": "arch_encoder_decoder",
}


def architecture(name: str) -> Architecture:
    (arch,) = collect(load_builtin(PACKAGES[name]), "switchyard_register_architectures")
    return arch


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_each_package_registers_one_architecture(name):
    module = load_builtin(PACKAGES[name])
    registered = collect(module, "switchyard_register_architectures")
    assert len(registered) == 1
    arch = registered[0]
    assert isinstance(arch, Architecture)
    assert arch.name == name
    assert arch.title.strip() and arch.description.strip()
    assert module.__doc__ and module.__doc__.strip()
    for block in arch.blocks:
        assert isinstance(block, AttentionBlock)
        assert block.queries in arch.sequences and block.keys in arch.sequences
    assert len({block.name for block in arch.blocks}) == len(arch.blocks)


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_each_package_registers_its_level_folder(name):
    registered = collect(load_builtin(PACKAGES[name]), "switchyard_register_levels")
    assert len(registered) == 1
    folder = Path(registered[0])
    assert folder.is_dir()
    assert folder.name == "levels"
    assert folder.parent.name == PACKAGES[name]


def test_encoder():
    arch = architecture("encoder")
    assert arch.sequences == ("tokens",)
    assert arch.blocks == (AttentionBlock("self", "tokens", "tokens", causal=False),)
    assert arch.layout == "row"
    assert arch.padding_masks is True


def test_decoder():
    arch = architecture("decoder")
    assert arch.sequences == ("tokens",)
    assert arch.blocks == (AttentionBlock("self", "tokens", "tokens", causal=True),)
    assert arch.layout == "row"
    assert arch.padding_masks is False


def test_encoder_decoder():
    arch = architecture("encoder-decoder")
    assert arch.sequences == ("source", "target")
    assert arch.blocks == (
        AttentionBlock("encoder self", "source", "source", causal=False),
        AttentionBlock("decoder self", "target", "target", causal=True),
        AttentionBlock("cross", "target", "source", causal=False),
    )
    assert arch.layout == "two-rows"


def _perturb_from(x: np.ndarray, t: int, rng: np.random.Generator) -> np.ndarray:
    """A copy of x (n, d) with rows t… replaced by fresh random rows."""
    y = x.copy()
    y[t:] = rng.normal(size=y[t:].shape) * 5.0  # (n - t, d)
    return y


def _outputs_before_t_change(block: AttentionBlock, n: int, d: int, t: int, seed: int) -> bool:
    rng = np.random.default_rng(seed)
    q, k, v = rng.normal(size=(3, n, d))  # (n, d) each
    before = attention(q, k, v, causal=block.causal, backend="reference")  # (n, d)
    q2, k2, v2 = (_perturb_from(x, t, rng) for x in (q, k, v))
    for backend in ("reference", "tiled"):
        after = attention(q2, k2, v2, causal=block.causal, backend=backend)  # (n, d)
        if not np.allclose(after[:t], before[:t], rtol=0, atol=1e-12):
            return True
    return False


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 24), d=st.integers(1, 6), data=st.data())
def test_decoder_never_lets_a_later_token_change_an_earlier_output(n, d, data):
    (block,) = architecture("decoder").blocks
    t = data.draw(st.integers(1, n - 1), label="first perturbed token")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    assert not _outputs_before_t_change(block, n, d, t, seed)


def test_decoder_self_attention_of_encoder_decoder_is_causal_too():
    block = architecture("encoder-decoder").blocks[1]
    for seed in range(20):
        assert not _outputs_before_t_change(block, 9, 3, 4, seed)


def test_the_leak_check_catches_a_bidirectional_block():
    # The same check on the encoder's block must see the later tokens leak in,
    # or the decoder test above proves nothing.
    (block,) = architecture("encoder").blocks
    assert all(_outputs_before_t_change(block, 9, 3, 4, seed) for seed in range(20))
