"""The Gradio web UI (`kzqa chat`): streaming answers with sources, settings, and user documents.

Modules: service (the shared Assistant), app (page layout and events), chat_panel and library_panel
(event handlers), answer_html (how replies look), conversation (per-session turns), documents
(upload checks and storage), corpus_summary, errors, server (launch).
"""

import os

# Before gradio is imported anywhere: no version check, no telemetry; kzqa runs offline.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
