"""The Gradio web UI (`kzqa chat`): streaming answers with sources, settings, and user documents.

Modules: service (the shared Assistant), app (page layout and events), chat_panel and library_panel
(event handlers), answer_html (how replies look), source_cards (one card per quoted passage),
retrieval_details (what the "show retrieval details" setting reveals), article_viewer (a quote in
its whole article), sources.js (the page script behind markers, cards and the viewer), conversation
(per-session turns), documents (upload checks and storage), corpus_summary, errors, server (launch).

Gradio's analytics switch is set with the other offline switches when `chat_app` is imported
(index.offline), before gradio is.
"""
