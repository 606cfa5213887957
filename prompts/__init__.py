"""Prompt templates as editable text files, loaded by name by chat_app.

Each template is `prompts/<name>.txt` (UTF-8) next to this module. Templates are filled with
`str.format`, so `{placeholder}` is replaced and a literal brace is written doubled: `{{` / `}}`.
"""

from __future__ import annotations

from importlib.resources import files

_SUFFIX = ".txt"


class PromptNotFound(KeyError):
    """No template file with the requested name."""

    def __str__(self) -> str:
        # KeyError's default __str__ shows the repr of its argument, quotes and escapes included.
        return str(self.args[0])


def available_prompts() -> list[str]:
    """Names of the templates shipped next to this module, sorted."""
    return sorted(item.name.removesuffix(_SUFFIX) for item in files(__name__).iterdir() if item.name.endswith(_SUFFIX))


def load_prompt(name: str) -> str:
    """The text of template `name` (file name without `.txt`)."""
    available = available_prompts()
    # Checking against the listing (not just opening the file) keeps names like "../x" out of other folders.
    if name not in available:
        raise PromptNotFound(f"no prompt template named {name!r}; available: {', '.join(available)}")
    return files(__name__).joinpath(name + _SUFFIX).read_text(encoding="utf-8")
