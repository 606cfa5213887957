"""Stage 3: the answer engine and the ways to use it (Python API, CLI, Gradio UI, eval)."""
