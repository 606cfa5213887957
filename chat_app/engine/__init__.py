"""The answer engine: read the question in its conversation, gather and rank evidence sentences,
judge whether they answer it, compose a cited answer (extractive, or through an optional LLM) and
check every citation. `pipeline.AnswerPipeline` runs the stages; `records` holds what passes
between them; `resources/` and `models/` are its data files."""
