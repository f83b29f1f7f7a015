"""The GraphQL layer's prefetching reads: a relations page reads evidence for the page only,
and the entity cache never answers with what was true before a write."""

from __future__ import annotations

from chipkg.graph.model import Direction
from chipkg.graph.reads import PageRequest, fact_key

CKR = "https://w3id.org/chipkg/resource/"


def test_a_page_has_evidence_and_ends_for_its_facts_only(seed_kg):
    everything = seed_kg.relations("nvidia")
    [page] = seed_kg.relation_pages([PageRequest(CKR + "nvidia", None, Direction.BOTH, None, 3)])
    assert page.total == len(everything) > 3 and page.has_next and not page.has_previous
    assert [r.key for r in page.relations] == [r.key for r in everything[:3]]
    assert [r.evidence for r in page.relations] == [r.evidence for r in everything[:3]]
    ends = {iri for r in page.relations for iri in (r.subject, r.object)}
    sources = {e.source for r in page.relations for e in r.evidence}
    assert set(page.entities) == ends | sources  # nothing read for facts off the page
    [second] = seed_kg.relation_pages([PageRequest(CKR + "nvidia", None, Direction.BOTH,
                                                   fact_key(page.relations[-1].key), 3)])
    assert [r.key for r in second.relations] == [r.key for r in everything[3:6]] and second.has_previous


def test_facts_pages_through_a_predicate(seed_kg):
    first = seed_kg.facts("makes", None, 2)
    rest = seed_kg.facts("makes", fact_key(first.relations[-1].key), 100)
    keys = [r.key for r in first.relations + rest.relations]
    assert len(keys) == first.total >= 4 and keys == sorted(keys) and not rest.has_next


def test_the_entity_cache_is_emptied_by_a_write(fresh_kg):
    kg = fresh_kg()
    [before] = kg.cached_entities([CKR + "nvidia"])
    assert kg.entity_cache.peek(kg.version, [CKR + "nvidia"]) == [before]
    kg.add('@prefix skos: <http://www.w3.org/2004/02/skos/core#> . '
           '<https://w3id.org/chipkg/resource/nvidia> skos:altLabel "NVDA"@en .')
    assert kg.entity_cache.peek(kg.version, [CKR + "nvidia"]) is None
    [after] = kg.cached_entities([CKR + "nvidia"])
    assert "NVDA" in [a.value for a in after.alt_labels] and "NVDA" not in [a.value for a in before.alt_labels]
