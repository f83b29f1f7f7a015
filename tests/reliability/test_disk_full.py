"""A full disk: writes fail cleanly, reads go on, ``/healthz`` says degraded, and writes
come back by themselves once there is room again (no restart).

On a real small disk: a 16 MiB tmpfs mounted for the test (needs root and a kernel that
lets this container mount; skipped with the reason otherwise), filled with a ballast
file until the kernel answers ENOSPC. RocksDB's error after a failed WAL append is
sticky, so without ``OxigraphStore.recover`` the last write here fails.
"""

from __future__ import annotations

import errno
import gc
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from chipkg.api.app import create_app
from chipkg.api.settings import Settings
from chipkg.graph import KnowledgeGraph, StoreError
from chipkg.graph.store import OxigraphStore

from .support import in_process_client


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "disk"
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(disk: Path) -> Path:
    """Write a ballast file until the disk has not one byte left."""
    ballast = disk / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 20, 1 << 12, 1):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
                    break
    finally:
        os.close(fd)
    return ballast


def test_writes_recover_when_space_returns(small_disk: Path) -> None:
    path = small_disk / "store"
    kg = KnowledgeGraph(OxigraphStore(path))
    client = in_process_client(create_app(kg, Settings(token="t")))
    kg.add_entity("Company", "Before Co", "前社", entity_id="before-co")
    assert client.get("/healthz").json() == {"status": "ok", "version": 1, "writable": True}

    ballast = fill(small_disk)
    for attempt in range(2):  # the first write hits ENOSPC; the next finds the disk still full
        with pytest.raises(StoreError):
            kg.add_entity("Company", "Full Disk Co", "満杯社", entity_id="full-disk-co")
        health = client.get("/healthz").json()
        assert health["status"] == "degraded" and health["writable"] is False, (attempt, health)
        assert health["version"] == 1
    assert kg.entity("nvidia").label() == "Nvidia"  # reads are served meanwhile
    assert kg.entities(["full-disk-co"]) == [None]  # the refused write left nothing behind
    response = client.post("/graphql", headers={"Authorization": "Bearer t"}, json={
        "query": 'mutation { addEntity(input: {type: "Company", label: "Http Co", labelJa: "通信社"}) { id } }'})
    assert response.json()["errors"][0]["extensions"]["code"] != "INTERNAL_SERVER_ERROR", response.json()

    ballast.unlink()
    added = kg.add_entity("Company", "Full Disk Co", "満杯社", entity_id="full-disk-co")
    assert added.label() == "Full Disk Co"
    assert client.get("/healthz").json() == {"status": "ok", "version": 2, "writable": True}
    kg.add_fact("before-co", "competesWith", "full-disk-co", source_id="h20-article",
                evidence="Huaweiは、高度なAIシステムを駆動するNvidiaと直接競合するように設計された、多数のチップを展示しました。")
    assert kg.validate() == []
    client.close()
    kg.close()
    del kg, client
    gc.collect()  # the app and its client hold the graph; the old handle must be gone to reopen

    reopened = KnowledgeGraph(OxigraphStore(path))
    assert [e is not None for e in reopened.entities(["before-co", "full-disk-co"])] == [True, True]
    assert [r.object.rsplit("/", 1)[-1] for r in reopened.relations("before-co", ["competesWith"])] == ["full-disk-co"]
    assert reopened.version == 3  # the counter is in the store, so it survives the restart
    reopened.close()
