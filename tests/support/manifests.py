"""A valid index manifest for a build id, for tests of what reads or swaps builds."""

from __future__ import annotations

from index.manifest import IndexManifest


def manifest(build_id: str) -> IndexManifest:
    return IndexManifest(
        build_id=build_id,
        collection=f"kzqa_{build_id}",
        model_fingerprint="model",
        tokenizer="search",
        chunk_size=300,
        chunk_overlap=0,
        chunk_count=1,
    )
