"""The page as built (not served): settings reflect what is configured; start-up failures are on the page."""

from __future__ import annotations

import gradio as gr
import pytest

from chat_app.config import KzqaConfig
from chat_app.ui.app import LLM_MISSING, build_app
from chat_app.ui.library_panel import LibraryPanel
from chat_app.ui.service import AssistantService
from tests.support.fake_assistant import FakeAssistant
from tests.support.paths import CORPUS_DIR


@pytest.fixture
def config(tmp_path):
    return KzqaConfig(corpus_dir=CORPUS_DIR, data_dir=tmp_path)


def components(app: gr.Blocks, kind: type) -> list:
    return [block for block in app.blocks.values() if isinstance(block, kind)]


def generator_radio(app: gr.Blocks) -> gr.Radio:
    (radio,) = components(app, gr.Radio)
    return radio


def test_llm_choice_is_disabled_and_explained_without_an_endpoint(config):
    radio = generator_radio(build_app(AssistantService(config, FakeAssistant(), None)))
    assert radio.interactive is False
    assert radio.value == "extractive"
    assert radio.info == LLM_MISSING


def test_llm_choice_is_offered_when_an_endpoint_is_configured(config):
    assistant = FakeAssistant()
    assistant.llm_available = True
    radio = generator_radio(build_app(AssistantService(config.with_overrides(generator="llm"), assistant, None)))
    assert radio.interactive is True
    assert radio.value == "llm"


def test_a_start_up_failure_is_shown_on_the_page(config):
    app = build_app(AssistantService(config, None, "the embedding model could not be loaded: file missing"))
    banner = next(block for block in components(app, gr.HTML) if block.elem_id == "kz-startup")
    assert "kz-error" in banner.value and "file missing" in banner.value


def test_a_started_service_shows_no_start_up_banner_and_no_polling(config):
    app = build_app(AssistantService(config, FakeAssistant(), None))
    banner = next(block for block in components(app, gr.HTML) if block.elem_id == "kz-startup")
    assert banner.value == ""
    assert [timer.active for timer in components(app, gr.Timer)] == [False]


def test_a_starting_service_polls_and_offers_a_configured_llm(config):
    configured = config.with_overrides(llm_base_url="http://127.0.0.1:9/v1", llm_model="m", generator="llm")
    app = build_app(AssistantService(configured, None, None))  # neither ready nor failed yet
    assert [timer.active for timer in components(app, gr.Timer)] == [True]
    banner = next(block for block in components(app, gr.HTML) if block.elem_id == "kz-startup")
    assert "Getting ready" in banner.value
    assert generator_radio(app).interactive is True


def test_describes_the_five_articles_with_titles_and_dates(config):
    app = build_app(AssistantService(config, FakeAssistant(), None))
    corpus = next(block.value for block in components(app, gr.HTML) if "kz-corpus" in str(block.value))
    assert corpus.count("<li>") == 5
    assert "《哈萨克斯坦骚乱：俄罗斯战略后院和中国一带一路重要伙伴》" in corpus and "2022-01-13" in corpus


def test_only_the_question_endpoint_is_public(config):
    app = build_app(AssistantService(config, FakeAssistant(), None))
    public = [d.api_name for d in app.fns.values() if d.api_visibility == "public"]
    assert public == ["ask"]


def html_block(app: gr.Blocks, elem_id: str) -> str:
    return next(block.value for block in components(app, gr.HTML) if block.elem_id == elem_id)


def test_a_shared_library_says_so_on_the_page(config):
    app = build_app(AssistantService(config.with_overrides(shared_library=True), FakeAssistant(), None))
    assert "Shared library" in html_block(app, "kz-library-note")
    assert "shared with everyone on this server" in html_block(app, "kz-header")


def test_by_default_the_page_says_added_documents_are_private(config):
    app = build_app(AssistantService(config, FakeAssistant(), None))
    assert "Documents you add are private" in html_block(app, "kz-library-note")
    assert "shared" not in html_block(app, "kz-header")


def test_the_sessions_owner_is_server_side_state_not_an_api_parameter(config):
    app = build_app(AssistantService(config, FakeAssistant(), None))
    (ask,) = [d for d in app.fns.values() if d.api_name == "ask"]
    owner = ask.inputs[-1]
    assert isinstance(owner, gr.State) and owner.skip_api  # a client cannot name an owner


def test_a_new_session_builds_the_upload_buttons_api_schema_from_the_one_made_with_the_page(config, monkeypatch):
    """Every new session rebuilds the page's config (gradio's SessionState), asking each component for
    its API schema; the upload button's is pydantic's JSON schema, built once with the page instead."""
    from gradio.state_holder import SessionState

    app = build_app(AssistantService(config, FakeAssistant(), None))
    (upload,) = components(app, gr.UploadButton)
    built = []
    real = gr.UploadButton.api_info
    monkeypatch.setattr(gr.UploadButton, "api_info", lambda self: built.append(self) or real(self))
    first, second = SessionState(app), SessionState(app)
    assert built == []  # neither session asked pydantic again
    assert first.config_values[upload._id]["api_info"] == real(upload)  # still the button's real schema
    first.config_values[upload._id]["api_info"]["edited"] = True
    assert "edited" not in second.config_values[upload._id]["api_info"]  # each session has its own copy


def test_the_upload_button_is_enabled_only_by_the_page_load_that_gives_the_session_its_owner(config):
    app = build_app(AssistantService(config, FakeAssistant(), None))
    (button,) = components(app, gr.UploadButton)
    assert button.interactive is False  # a file sent before the session has an owner could not be stored
    (load,) = [fn for fn in app.fns.values() if fn.name == "open_page"]
    assert button in load.outputs
    outputs = LibraryPanel(AssistantService(config, FakeAssistant(), None), []).open_page(None, gr.Request())
    assert outputs[1] is not None and outputs[-1] == gr.update(interactive=True)
