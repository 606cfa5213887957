"""sentence-transformers, imported without importing scikit-learn.

sentence-transformers 6 imports scikit-learn's `pairwise_distances` as it is imported
(sentence_transformers/util/similarity.py: a similarity for sparse tensors that kzqa never computes),
and scikit-learn brings scipy.stats with it: ~35 MB of a chat server's memory and 1-2 s of every
start (benchmarks/results/serving_latency.md). While sentence-transformers is imported here,
`sklearn.metrics` is a stand-in whose functions import the real module when first called, so
everything sentence-transformers offers still works; the stand-in leaves sys.modules as soon as the
import is done, so any other `import sklearn.metrics` gets the real one. kzqa imports
sentence-transformers only through this module (tests/index/test_sentence_transformers_lean.py).
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager

DEFERRED = "sklearn.metrics"


class _ImportedOnFirstCall(types.ModuleType):
    """A module whose every attribute is a function that imports the real module and calls its namesake."""

    def __getattr__(self, name: str) -> Callable:
        if name.startswith("__"):
            raise AttributeError(name)
        module_name = self.__name__

        def call_the_real_one(*args, **kwargs):
            return getattr(importlib.import_module(module_name), name)(*args, **kwargs)

        call_the_real_one.__name__ = call_the_real_one.__qualname__ = name
        return call_the_real_one


@contextmanager
def _stand_in(module_name: str) -> Iterator[None]:
    if module_name in sys.modules:  # already imported for real: nothing to save
        yield
        return
    sys.modules[module_name] = _ImportedOnFirstCall(module_name)
    try:
        yield
    finally:
        if isinstance(sys.modules.get(module_name), _ImportedOnFirstCall):
            del sys.modules[module_name]


if "sentence_transformers" not in sys.modules:
    with _stand_in(DEFERRED):
        import sentence_transformers  # noqa: F401

from sentence_transformers import SentenceTransformer  # noqa: E402
from sentence_transformers.base.modules import InputModule  # noqa: E402
from sentence_transformers.sentence_transformer.modules import Normalize, Pooling  # noqa: E402

__all__ = ["InputModule", "Normalize", "Pooling", "SentenceTransformer"]
