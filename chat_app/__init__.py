"""Stage 3: the answer engine and the ways to use it (Python API, CLI, Gradio UI, eval).

`from chat_app import Assistant` is the stable entry point; importing it loads nothing heavy until
an Assistant is created.
"""

from typing import TYPE_CHECKING

from index.offline import enforce_offline

# First thing on import: gradio and huggingface_hub read these when they are imported, and the UI
# imports gradio before anything else would.
enforce_offline()

if TYPE_CHECKING:
    from chat_app.answer import Answer, Citation
    from chat_app.assistant import Assistant, QuestionError

__all__ = ["Answer", "Assistant", "Citation", "QuestionError"]


def __getattr__(name: str):
    # Lazy: `kzqa ingest` and the config module must not pay for torch and chromadb imports.
    if name in ("Assistant", "QuestionError"):
        from chat_app import assistant

        return getattr(assistant, name)
    if name in ("Answer", "Citation"):
        from chat_app import answer

        return getattr(answer, name)
    raise AttributeError(f"module 'chat_app' has no attribute {name!r}")
