"""The GraphQL layer's prefetching reads: a relations page reads evidence for the page only,
and the entity cache never answers with what was true before a write, yet keeps what a
write did not change."""

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


NVDA = ('@prefix skos: <http://www.w3.org/2004/02/skos/core#> . '
        '<https://w3id.org/chipkg/resource/nvidia> skos:altLabel "NVDA"@en .')


def test_a_write_makes_the_entity_cache_forget_what_it_changed_only(fresh_kg, store_kind):
    kg = fresh_kg()
    before, h20 = kg.cached_entities([CKR + "nvidia", CKR + "h20"])
    assert kg.entity_cache.peek(kg.version, [CKR + "nvidia", CKR + "h20"]) == [before, h20]
    kg.add(NVDA)
    assert kg.entity_cache.peek(kg.version, [CKR + "nvidia"]) is None
    # An entity the write did not change is still served, except on a store other
    # processes write to (nobody marks their changes here).
    assert kg.entity_cache.peek(kg.version, [CKR + "h20"]) == (None if store_kind == "sparql" else [h20])
    [after] = kg.cached_entities([CKR + "nvidia"])
    assert "NVDA" in [a.value for a in after.alt_labels] and "NVDA" not in [a.value for a in before.alt_labels]
    assert kg.entity_cache.peek(kg.version - 1, [CKR + "nvidia"]) is None  # read at a later version


def test_a_bulk_load_makes_the_cache_forget_everything(fresh_kg, tmp_path):
    kg = fresh_kg()
    [h20] = kg.cached_entities([CKR + "h20"])
    assert kg.entity_cache.peek(kg.version, [CKR + "h20"]) == [h20]
    data = tmp_path / "more.ttl"
    data.write_text(NVDA, encoding="utf-8")
    kg.bulk_load([data])
    assert kg.entity_cache.peek(kg.version, [CKR + "h20"]) is None


def test_a_page_read_again_comes_from_the_cache_alone(seed_kg, store_kind):
    """What a page shows is kept until the next write, so reading it again needs no store read
    (and no thread: ``cached_relation_pages`` runs on the event loop); a remote traversal never
    answers from there."""
    request = PageRequest(CKR + "nvidia", None, Direction.BOTH, None, 3)
    seed_kg.entity_cache.clear()
    assert seed_kg.cached_relation_pages([request]) is None  # nothing read yet
    [read] = seed_kg.relation_pages([request])
    cached = seed_kg.cached_relation_pages([request])
    assert cached is None if store_kind == "sparql" else cached == [read]


def test_a_write_makes_the_evidence_cache_forget_the_facts_it_touched_only(fresh_kg, store_kind):
    kg = fresh_kg()
    request = PageRequest(CKR + "nvidia", None, Direction.BOTH, None, 100)
    [before] = kg.relation_pages([request])
    facts = [r.key for r in before.relations]
    evidence = {r.key: r.evidence for r in before.relations}
    assert kg.entity_cache.peek_evidence(kg.version, facts) == evidence
    kg.add(NVDA)  # nvidia changes; no fact's evidence does
    assert kg.entity_cache.peek_evidence(kg.version, facts) == (None if store_kind == "sparql" else evidence)
    assert kg.cached_relation_pages([request]) is None  # it shows nvidia, which changed
    [after] = kg.relation_pages([request])
    assert after.relations == before.relations
    assert "NVDA" in [a.value for a in after.entities[CKR + "nvidia"].alt_labels]
    # A qualifier on one fact's statement changes that fact's evidence, and only that.
    touched = next(r for r in before.relations if r.evidence and CKR + "h20" not in r.evidence[0].concerning)
    others = [f for f in facts if f != touched.key]
    kg.add(f'<{touched.evidence[0].statement}> <https://w3id.org/chipkg/ontology#concerning> <{CKR}h20> .')
    assert kg.entity_cache.peek_evidence(kg.version, [touched.key]) is None
    if store_kind != "sparql":
        assert kg.entity_cache.peek_evidence(kg.version, others) == {f: evidence[f] for f in others}
    [qualified] = kg.relation_pages([request])
    assert [CKR + "h20" in r.evidence[0].concerning for r in qualified.relations if r.key == touched.key] == [True]
    assert [r for r in qualified.relations if r.key != touched.key] == \
        [r for r in before.relations if r.key != touched.key]
    if store_kind != "sparql":
        assert kg.cached_relation_pages([request]) == [qualified]


def test_a_large_page_is_never_assembled_on_the_loop(seed_kg, store_kind, monkeypatch):
    from chipkg.graph import reads

    request = PageRequest(CKR + "nvidia", None, Direction.BOTH, None, 3)
    seed_kg.relation_pages([request])
    monkeypatch.setattr(reads, "INLINE_FACTS", len(seed_kg.relations("nvidia")) - 1)
    assert seed_kg.cached_relation_pages([request]) is None


def test_try_read_gives_up_rather_than_wait():
    from chipkg.graph.seqlock import SeqLock

    lock = SeqLock()
    assert lock.try_read(lambda: 1) == 1

    def overlapped_by_a_commit() -> int:
        with lock.commit():
            pass
        return 2

    assert lock.try_read(overlapped_by_a_commit) is None
    with lock.commit():
        assert lock.try_read(lambda: 3) is None  # a commit is under way: not waited for
