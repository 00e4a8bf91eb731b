"""A level's concept against the catalog: registered ids only, or any id when none are declared."""

from __future__ import annotations

import pytest

from game.api import Concept
from game.levels import LevelError, load_level_text
from game.levels.registry import concept_title, in_campaign_order
from game.model import StaticCatalog
from tests.model.fixtures import CATALOG, GOOD


def with_concept(concept: str, level_id: str = "01_trophy") -> str:
    text = GOOD.replace('concept = "why-attention"', f'concept = "{concept}"')
    return text.replace('id = "01_trophy"', f'id = "{level_id}"')


def without_concepts(catalog: StaticCatalog = CATALOG) -> StaticCatalog:
    return StaticCatalog(catalog.positional, catalog.architectures, catalog.goal_types)


def test_a_catalog_without_concepts_accepts_any_concept_id():
    level = load_level_text(with_concept("anything-goes"), "x.toml", without_concepts())
    assert level.concept == "anything-goes"


def test_a_catalog_with_concepts_accepts_only_those():
    assert load_level_text(with_concept("qkv"), "x.toml", CATALOG).concept == "qkv"
    with pytest.raises(LevelError) as caught:
        load_level_text(with_concept("anything-goes"), "x.toml", CATALOG)
    assert "unknown concept 'anything-goes'" in str(caught.value)


def test_a_concept_must_still_be_an_identifier():
    with pytest.raises(LevelError) as caught:
        load_level_text(with_concept("two words"), "x.toml", without_concepts())
    assert "concept" in str(caught.value) and "not a valid name" in str(caught.value)


def test_from_items_sorts_concepts_by_order_then_id():
    catalog = StaticCatalog.from_items(
        concepts=[Concept("b", "B", 2), Concept("z", "Z", 1), Concept("a", "A", 2)]
    )
    assert list(catalog.concepts) == ["z", "a", "b"]


def test_campaign_order_follows_registered_order_and_puts_unregistered_concepts_last():
    loose = without_concepts()
    levels = [
        load_level_text(with_concept(concept, level_id), "x.toml", loose)
        for concept, level_id in (
            ("zeta", "l1"), ("qkv", "l2"), ("alpha", "l3"), ("why-attention", "l4"), ("qkv", "l0"),
        )
    ]  # fmt: skip
    order = in_campaign_order(levels, CATALOG.concepts)
    assert [level.id for level in order] == ["l4", "l0", "l2", "l3", "l1"]
    # With no concepts declared at all, levels group by concept id, then level id.
    assert [level.id for level in in_campaign_order(levels, {})] == ["l3", "l0", "l2", "l4", "l1"]


def test_concept_title_is_the_registered_title_or_the_id():
    concepts = {"qkv": Concept("qkv", "Query, key, value", 20)}
    assert concept_title(concepts, "qkv") == "Query, key, value"
    assert concept_title(concepts, "sparse") == "sparse"
