"""What one reader's questions are answered from: the articles, shared documents and their own.

Every place that tells a user what kzqa searches (the page's header, "About the articles", a
refusal) counts these for that user, so nobody is told "five articles" while their own two
documents are searched too, and nobody learns how many documents other people added.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from chat_app.answer import Answer
from chat_app.engine.resources import language


@dataclass(frozen=True)
class SearchScope:
    articles: int  # corpus articles
    shared_documents: int = 0  # documents everyone reads (a shared library)
    own_documents: int = 0  # this reader's private documents

    @property
    def has_documents(self) -> bool:
        return bool(self.shared_documents or self.own_documents)

    def zh(self) -> str:
        """e.g. 这 5 篇文章和你添加的 2 篇文档"""
        parts = [f"这 {self.articles} 篇文章"]
        if self.shared_documents:
            parts.append(f"共享的 {self.shared_documents} 篇文档")
        if self.own_documents:
            parts.append(f"你添加的 {self.own_documents} 篇文档")
        return _joined(parts, "、", "和")

    def en(self) -> str:
        """e.g. 5 articles and 2 of your documents"""
        parts = [_count(self.articles, "article")]
        if self.shared_documents:
            parts.append(_count(self.shared_documents, "shared document"))
        if self.own_documents:
            parts.append(f"{self.own_documents} of your documents" if self.own_documents > 1 else "1 of your documents")
        return _joined(parts, ", ", " and ")

    def fit(self, text: str) -> str:
        """`text` with the engine's fixed description of its scope ("这五篇文章", "its five articles")
        replaced by this reader's, when they search documents too."""
        if not self.has_documents:
            return text
        messages = language().messages
        return text.replace(messages["scope_zh"], self.zh()).replace(messages["scope_en"], f"its {self.en()}")

    def fit_answer(self, answer: Answer) -> Answer:
        """A refusal says what was searched: reword it for this reader (answers quote, and stay as they are)."""
        if not answer.refused or not self.has_documents:
            return answer
        return replace(answer, text=self.fit(answer.text))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _joined(parts: list[str], comma: str, last: str) -> str:
    return parts[0] if len(parts) == 1 else comma.join(parts[:-1]) + last + parts[-1]
