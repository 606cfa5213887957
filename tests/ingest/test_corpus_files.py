"""The corpus folder holds the five shared articles byte for byte (citations name these files)."""

import pytest

from tests.support.paths import ALL_SOURCES, CORPUS_DIR, SHARED_CORPUS_DIR


def test_corpus_holds_exactly_the_five_articles():
    assert sorted(p.name for p in CORPUS_DIR.iterdir()) == sorted(ALL_SOURCES)


@pytest.mark.skipif(not SHARED_CORPUS_DIR.is_dir(), reason="../shared/corpus is not beside this checkout")
@pytest.mark.parametrize("name", ALL_SOURCES)
def test_each_article_is_a_byte_for_byte_copy_of_the_shared_one(name):
    assert (CORPUS_DIR / name).read_bytes() == (SHARED_CORPUS_DIR / name).read_bytes()
