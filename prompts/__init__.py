"""Prompt templates as editable text files, loaded by name by chat_app."""
