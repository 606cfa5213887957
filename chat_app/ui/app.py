"""The page: chat on the left (below on a phone), corpus, settings and documents on the right.

The page scrolls as one: the chat grows with its answers instead of scrolling inside the page.
"""

from __future__ import annotations

import copy
from pathlib import Path

import gradio as gr

from chat_app.answer import GeneratorKind
from chat_app.ui.article_viewer import ArticleViewer
from chat_app.ui.chat_panel import ChatPanel
from chat_app.ui.corpus_summary import corpus_articles
from chat_app.ui.documents import ALLOWED_SUFFIXES
from chat_app.ui.identity import token_store
from chat_app.ui.library_panel import LibraryPanel
from chat_app.ui.page_copy import TITLE
from chat_app.ui.service import AssistantService
from chat_app.ui.startup_panel import POLL_SECONDS, StartupPanel

EXAMPLES = (
    "俄哈边境线有多长？",
    "哈萨克斯坦为什么没有支持俄罗斯对乌克兰的战争？",
    "托卡耶夫如何评价1月的骚乱？",
    "中国在哈萨克斯坦有哪些利益？",
    "How many troops did Russia send to Kazakhstan in January 2022?",
    "Did Kazakhstan recognize the Donetsk and Luhansk republics?",
)
PLACEHOLDER = "用中文或英文提问，或点下面的示例。<br>Ask in Chinese or English, or click an example below."
MAX_PASSAGES = 10  # beyond this the extra passages are noise for these short articles
# Questions share one slot: they queue instead of racing for 2 cores. Document updates have their
# own slot, so a slow upload (parsing, embedding) never holds up anyone's question.
ASSISTANT_QUEUE = {"concurrency_id": "assistant", "concurrency_limit": 1}
LIBRARY_QUEUE = {"concurrency_id": "library", "concurrency_limit": 1}
# Opening an article only reads the index: it never waits behind a question or an upload.
VIEWER_QUEUE = {"concurrency_id": "viewer", "concurrency_limit": 4}
PAGE_SCRIPT = Path(__file__).with_name("sources.js")  # markers, source cards, the viewer, the details setting
# Gradio keeps every upload in its cache. kzqa copies what it accepts and deletes the cached file at
# once; this cleans up files posted to /gradio_api/upload that no event ever used.
UPLOAD_CACHE_SECONDS = (300, 600)  # (how often to clean, how old a file must be to go)
LLM_MISSING = (
    "LLM 未配置 · No LLM endpoint is configured: set llm_base_url and llm_model in kzqa.toml "
    "(or KZQA_LLM_BASE_URL, KZQA_LLM_MODEL) to any OpenAI-compatible server, then restart."
)


def build_app(service: AssistantService, *, delete_cache: tuple[int, int] = UPLOAD_CACHE_SECONDS) -> gr.Blocks:
    """`delete_cache`: (frequency, age) in seconds of gradio's cleaning of its upload cache."""
    chat = ChatPanel(service)
    library = LibraryPanel(service, corpus_articles(service.config.corpus_dir))
    startup = StartupPanel(service)
    viewer = ArticleViewer(service)
    with gr.Blocks(title=TITLE, fill_width=False, delete_cache=delete_cache) as app:
        turns = gr.State([])
        owner = gr.State(None)  # whose documents this session reads: set on load (identity.py), never by a client
        token = token_store()
        header = gr.HTML(library.header(None), elem_id="kz-header")
        banner = gr.HTML(startup.html(), elem_id="kz-startup")
        timer = gr.Timer(POLL_SECONDS, active=not service.started)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=340):
                chatbot = gr.Chatbot(
                    label="对话 · Conversation",
                    show_label=False,
                    elem_id="kz-chat",
                    height=None,  # grows with the conversation: the page is the only scroll
                    autoscroll=False,  # sources.js brings a new question to the top of the window instead
                    layout="panel",
                    min_height=360,
                    latex_delimiters=[],  # "$" in articles is money, not math
                    buttons=["copy"],
                    feedback_options=None,
                    placeholder=PLACEHOLDER,
                )
                question = gr.Textbox(
                    show_label=False,
                    placeholder="输入问题，回车发送 · Type a question, press Enter",
                    submit_btn="发送 Send",
                    lines=1,
                    max_lines=4,
                    max_length=service.config.max_question_chars,  # the engine reads no more than this
                    autofocus=False,  # sources.js focuses it on a desktop; on a phone it would scroll the page
                    elem_id="kz-question",
                )
                examples = gr.Dataset(
                    label="示例问题 · Example questions",
                    components=["textbox"],
                    samples=[[example] for example in EXAMPLES],
                    elem_id="kz-examples",
                )
                clear = gr.Button("清空对话 · Clear chat", size="sm", variant="secondary", elem_id="kz-clear")
            with gr.Column(scale=2, min_width=300):
                with gr.Accordion("关于这些文章 · About the articles", open=True):
                    about = gr.HTML(library.about(None), elem_id="kz-about")
                with gr.Accordion("设置 · Settings", open=False):
                    k = gr.Slider(
                        1,
                        MAX_PASSAGES,
                        value=min(service.config.top_k, MAX_PASSAGES),
                        step=1,
                        label="检索段落数 · Passages to retrieve",
                    )
                    generator = _generator_choice(service)
                    gr.Checkbox(
                        value=False,
                        label="显示检索细节 · Show retrieval details",
                        info="分数、排名、耗时和拒答原因 · scores, ranks, timings and why a question was refused",
                        elem_id="kz-details-toggle",
                    )  # sources.js shows or hides the details of every answer on the page at once
                with gr.Accordion("添加文档 · Add documents", open=False, elem_id="kz-library"):
                    upload = gr.UploadButton(
                        "上传文档 · Upload documents",
                        file_count="multiple",
                        file_types=list(ALLOWED_SUFFIXES),
                        elem_id="kz-upload",
                        interactive=False,  # until the page knows whose the upload is (enabled on load)
                    )
                    _schema_once(upload)
                    gr.Markdown(library.hint(), elem_classes="kz-hint")
                    library_note = gr.HTML(library.note(None), elem_id="kz-library-note")
                    library_status = gr.HTML(elem_id="kz-library-status")
                    documents = gr.CheckboxGroup(label="已添加的文档 · Added documents", elem_id="kz-documents")
                    remove = gr.Button("删除所选 · Remove selected", size="sm", variant="stop")
        article = gr.HTML("", elem_id="kz-viewer", js_on_load=PAGE_SCRIPT.read_text(encoding="utf-8"))

        ask = {
            "fn": chat.respond,
            "inputs": [question, turns, k, generator, owner],
            "outputs": [chatbot, turns, question],
            "show_progress": "minimal",
            **ASSISTANT_QUEUE,
        }
        question.submit(**ask, api_name="ask")
        examples.click(lambda sample: sample[0], examples, question, queue=False, api_visibility="private").then(
            **ask, api_visibility="private"
        )
        clear.click(lambda: ([], []), None, [chatbot, turns], queue=False, api_visibility="private")
        chatbot.clear(lambda: [], None, turns, queue=False, api_visibility="private")
        changed = [library_status, documents, library_note, header, about]
        upload.upload(library.add, [upload, owner], changed, api_visibility="private", **LIBRARY_QUEUE)
        remove.click(library.remove, [documents, owner], changed, api_visibility="private", **LIBRARY_QUEUE)
        app.load(
            library.open_page,
            token,
            [token, owner, header, about, library_note, documents, upload],
            api_visibility="private",
        )
        article.click(
            viewer.open, [turns, owner], article, show_progress="hidden", api_visibility="private", **VIEWER_QUEUE
        )
        timer.tick(startup.poll, None, [banner, timer], queue=False, api_visibility="private")
    return app


def _schema_once(component: gr.components.Component) -> None:
    """Gradio rebuilds the page's config for every new session, asking each component for its API schema
    three times. An upload button's is pydantic's JSON schema of its file model: 3.7 of the 6.5 ms a new
    session cost (benchmarks/gradio_floor.md). It never changes, so it is built once; a copy is handed out
    in case gradio edits what it gets."""
    schema = component.api_info()
    component.api_info = lambda: copy.deepcopy(schema)  # the instance's method, not the class's


def _generator_choice(service: AssistantService) -> gr.Radio:
    """The LLM choice stays visible but disabled, with the reason, when no endpoint is configured."""
    choices = [
        ("抽取式 · Extractive (quotes the articles)", GeneratorKind.EXTRACTIVE.value),
        ("LLM (OpenAI-compatible endpoint)", GeneratorKind.LLM.value),
    ]
    if service.llm_offered:
        value = service.config.generator.value  # the choice's plain value, as the radio's choices are
        info = "LLM answers are checked against the passages before they are shown"
    else:
        value, info = GeneratorKind.EXTRACTIVE.value, LLM_MISSING
    return gr.Radio(choices, value=value, label="生成方式 · Generator", info=info, interactive=service.llm_offered)
