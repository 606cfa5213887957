"""Documents private to their owner, in Debian's chromium with two browser contexts (two people):
one person's file is never listed, cited or removable in the other's page, not even through gradio's
raw API with the other person's own session; answers in both stay right while files come and go.
Then the same with logins (--auth), and an operator's shared library.

Screenshots go to test-artifacts/ui/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
import shutil
import uuid

import pytest

from chat_app.ui.service import AssistantService
from tests.support.browser import ANSWER_TIMEOUT_MS, ARTIFACTS, ask, last_reply, open_library
from tests.support.live_app import LiveApp, forget_private_documents
from tests.support.polling import eventually
from tests.support.ports import free_port

pytestmark = pytest.mark.browser

NOTES = "notes.md"  # both people name their file the same: each must get their own
ALICE_NOTES = "# 甲方备忘\n\n阿拉木图苹果节于2022年9月举行，共有三百个摊位参加。\n"
BOB_NOTES = "# 乙方备忘\n\n阿拉木图苹果节在2022年因暴雨取消，主办方改为线上直播活动。\n"
ALICE_FACT, BOB_FACT = "三百个摊位", "暴雨"
QUESTION = "阿拉木图苹果节的情况怎么样？"
BORDER = "俄哈边境线有多长？"  # a corpus question: right for everyone, whatever anyone adds


class Person:
    """One browser context (its own cookies and localStorage), with the gradio session ids its page used."""

    def __init__(self, chromium, app: LiveApp, name: str, *, login: tuple[str, str] | None = None):
        self.app, self.name = app, name
        self.context = chromium.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        if login:
            response = self.context.request.post(f"{app.url}login", form={"username": login[0], "password": login[1]})
            assert response.ok, response.text()
        self.sessions: list[str] = []
        self.page = self.context.new_page()
        self.page.on("request", self._note_session)
        self.open()

    def _note_session(self, request) -> None:
        if "/gradio_api/queue/join" in request.url and request.post_data:
            self.sessions.append(json.loads(request.post_data)["session_hash"])

    def open(self) -> None:
        self.page.goto(self.app.url, wait_until="load")  # gradio keeps a connection open: never "networkidle"
        self.page.locator("#kz-examples").wait_for()
        open_library(self.page)
        self.page.locator("#kz-library-note").wait_for()
        self.page.locator("#kz-documents").get_by_text("勾选后点", exact=False).or_(
            self.page.locator("#kz-documents").get_by_text("还没有添加文档", exact=False)
        ).first.wait_for()  # the page has loaded as this person

    def upload(self, tmp_path, text: str, name: str = NOTES) -> None:
        path = tmp_path / self.name / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.page.locator("#kz-library input[type=file]").set_input_files(path)
        self.page.locator("#kz-library-status .kz-note-ok").filter(has_text=name).wait_for(timeout=ANSWER_TIMEOUT_MS)

    def remove(self, name: str = NOTES) -> None:
        self.page.locator("#kz-documents").get_by_text(name).click()
        self.page.locator("#kz-library").get_by_text("删除所选 · Remove selected").click()
        self.page.locator("#kz-library-status").get_by_text("Removed").wait_for(timeout=ANSWER_TIMEOUT_MS)

    def listed(self) -> list[str]:
        return self.page.locator("#kz-documents label").all_inner_texts()

    def answer(self, question: str = QUESTION):
        """(the answer's text, the files its sources name)."""
        reply = ask(self.page, question)
        text = reply.locator(".kz-answer, .kz-refusal").first.inner_text()
        return text, {name.strip() for name in reply.locator(".kz-sources .kz-file").all_text_contents()}

    def read_in_article(self, name: str = NOTES) -> str:
        """The text "read in article" shows for the latest answer's card of `name`."""
        card = last_reply(self.page).locator(".kz-card").filter(has_text=name).first
        card.locator("summary").click()
        card.locator(".kz-read").click()
        viewer = self.page.locator("#kz-viewer .kz-viewer")
        viewer.wait_for(timeout=ANSWER_TIMEOUT_MS)
        text = viewer.locator(".kz-viewer-body").inner_text()
        viewer.locator(".kz-viewer-close").click()
        viewer.wait_for(state="detached")
        return text

    def header(self) -> str:
        return self.page.locator("#kz-header").inner_text()

    def screenshot(self, name: str) -> None:
        self.page.locator("#kz-chat .user-row").last.evaluate("row => row.scrollIntoView({block: 'start'})")
        self.page.screenshot(path=ARTIFACTS / name, full_page=True)

    def close(self) -> None:
        self.context.close()


def raw_remove(person: Person, names: list[str], session_hash: str) -> dict:
    """Ask the server to remove `names` the way the page does, but by hand: gradio's queue API, with
    `session_hash` (the person's own page session, or one that never loaded the page). The final message."""
    url = person.app.url
    config = person.context.request.get(f"{url}config").json()
    button = next(
        c["id"] for c in config["components"] if c.get("props", {}).get("value") == "删除所选 · Remove selected"
    )
    fn_index = next(d["id"] for d in config["dependencies"] if [button, "click"] in d["targets"])
    joined = person.context.request.post(
        f"{url}gradio_api/queue/join",
        data={"fn_index": fn_index, "data": [names, None], "session_hash": session_hash, "event_data": None,
              "trigger_id": button},
    )  # fmt: skip
    assert joined.ok, joined.text()
    stream = person.context.request.get(f"{url}gradio_api/queue/data?session_hash={session_hash}")
    messages = [json.loads(line[5:]) for line in stream.text().splitlines() if line.startswith("data:")]
    return next(m for m in messages if m.get("msg") == "process_completed")


def stored_notes(app: LiveApp) -> list[str]:
    return sorted(p.read_text(encoding="utf-8") for p in app.service.config.private_documents_dir.glob(f"*/{NOTES}"))


@pytest.fixture
def people(browser, live_app, embedder):
    made: list[Person] = []
    yield lambda name, **kw: made.append(Person(browser, live_app, name, **kw)) or made[-1]
    for person in made:
        person.close()
    forget_private_documents(live_app, embedder)


def test_one_persons_file_is_never_listed_cited_or_removable_in_the_others_page(people, live_app, tmp_path):
    alice, bob = people("alice"), people("bob")
    alice.upload(tmp_path, ALICE_NOTES)
    assert any(NOTES in item for item in alice.listed())
    assert "5 Chinese articles + 1 of your documents" in alice.header()
    assert "你添加的 1 篇文档" in alice.page.locator("#kz-about").inner_text()

    bob.open()  # a fresh look at the page: still nothing of alice's
    assert not any(NOTES in item for item in bob.listed())
    assert "5 Chinese articles, with sources" in bob.header()
    text, files = bob.answer()
    assert NOTES not in files and ALICE_FACT not in text
    text, files = alice.answer()
    assert ALICE_FACT in text and NOTES in files
    alice.screenshot("privacy-alice-own-document.png")

    bob.upload(tmp_path, BOB_NOTES)  # the same name: his own file, not a clash with alice's
    assert [sum(NOTES in item for item in person.listed()) for person in (alice, bob)] == [1, 1]
    text, files = bob.answer()
    assert BOB_FACT in text and ALICE_FACT not in text and NOTES in files
    bob.screenshot("privacy-bob-own-document.png")
    shown = bob.read_in_article()  # the whole document "read in article" shows: his, with nothing of hers
    assert BOB_FACT in shown and ALICE_FACT not in shown
    text, _ = alice.answer()
    assert ALICE_FACT in text and BOB_FACT not in text
    shown = alice.read_in_article()
    assert ALICE_FACT in shown and BOB_FACT not in shown
    assert stored_notes(live_app) == sorted([ALICE_NOTES, BOB_NOTES])

    # By hand through gradio's API: a session that never loaded the page can remove nothing …
    refused = raw_remove(bob, [NOTES], f"intruder{uuid.uuid4().hex[:8]}")
    assert refused["success"] is False and NOTES not in json.dumps(refused["output"].get("data", []))
    assert stored_notes(live_app) == sorted([ALICE_NOTES, BOB_NOTES])
    # … and bob's own session removes bob's file of that name, never alice's.
    raw_remove(bob, [NOTES], bob.sessions[-1])
    assert eventually(lambda: stored_notes(live_app) == [ALICE_NOTES], timeout=60), stored_notes(live_app)
    bob.open()
    assert not any(NOTES in item for item in bob.listed())

    text, files = alice.answer()
    assert ALICE_FACT in text and NOTES in files
    text, files = bob.answer()
    assert NOTES not in files and ALICE_FACT not in text and BOB_FACT not in text
    for person in (alice, bob):
        text, _ = person.answer(BORDER)
        assert "7,644" in text

    alice.open()  # a reload: the browser keeps its token, so the document is still hers
    assert any(NOTES in item for item in alice.listed())
    alice.remove()
    assert stored_notes(live_app) == []
    assert "5 Chinese articles, with sources" in alice.header()
    text, files = alice.answer()
    assert NOTES not in files and ALICE_FACT not in text
    alice.screenshot("privacy-alice-after-removal.png")


class Servers:
    """More kzqa UIs, each over its own copy of the session's index (or an earlier one's data dir)."""

    def __init__(self, config, embedder, folders):
        self._config, self._embedder, self._folders = config, embedder, folders
        self._apps: dict[str, object] = {}

    def start(self, *, credentials=None, data_dir=None, port=None, **overrides) -> LiveApp:
        """`data_dir`: an earlier app's, to start again on what it stored (default: a fresh copy)."""
        from chat_app.ui.app import build_app
        from chat_app.ui.server import launch

        if data_dir is None:
            data_dir = self._folders.mktemp("ui-privacy") / "data"
            shutil.copytree(self._config.data_dir, data_dir)
        config = self._config.with_overrides(data_dir=data_dir, **overrides)
        service = AssistantService.start(config, embedder=self._embedder)
        assert service.ready, service.startup_error
        app = build_app(service)
        url = launch(app, host="127.0.0.1", port=port or free_port(), credentials=credentials)
        self._apps[url] = app
        return LiveApp(url=url, service=service)

    def stop(self, live: LiveApp) -> None:
        self._apps.pop(live.url).close()

    def stop_all(self) -> None:
        for app in self._apps.values():
            app.close()


@pytest.fixture(scope="module")
def servers(kzqa_config, embedder, tmp_path_factory):
    made = Servers(kzqa_config, embedder, tmp_path_factory)
    yield made
    made.stop_all()


def test_with_logins_a_document_is_its_users_in_every_browser_and_nobody_elses(browser, servers, tmp_path):
    app = servers.start(credentials=[("alice", "apple-pie"), ("bob", "blueberry")])
    people = [Person(browser, app, "alice", login=("alice", "apple-pie"))]
    try:
        alice = people[0]
        alice.upload(tmp_path, ALICE_NOTES)
        assert "(in any browser you log in from)" in alice.page.locator("#kz-library-note").inner_text()
        alice_again = Person(browser, app, "alice-laptop", login=("alice", "apple-pie"))  # another browser
        bob = Person(browser, app, "bob", login=("bob", "blueberry"))
        people += [alice_again, bob]
        assert any(NOTES in item for item in alice_again.listed())
        assert not any(NOTES in item for item in bob.listed())
        text, files = alice_again.answer()
        assert ALICE_FACT in text and NOTES in files
        text, files = bob.answer()
        assert NOTES not in files and ALICE_FACT not in text
        alice_again.screenshot("privacy-login-second-browser.png")
    finally:
        for person in people:
            person.close()


def test_a_shared_library_is_everyones_and_the_page_says_so(browser, servers, tmp_path):
    app = servers.start(shared_library=True)
    alice, bob = Person(browser, app, "alice"), Person(browser, app, "bob")
    try:
        assert "Shared library" in alice.page.locator("#kz-library-note").inner_text()
        assert "shared with everyone on this server" in alice.header()
        alice.upload(tmp_path, ALICE_NOTES)
        bob.open()
        assert any(NOTES in item for item in bob.listed())
        assert "5 Chinese articles + 1 shared document" in bob.header()
        text, files = bob.answer()
        assert ALICE_FACT in text and NOTES in files
        bob.screenshot("shared-library.png")
        bob.remove()  # in a shared library anyone may remove
        alice.open()
        assert not any(NOTES in item for item in alice.listed())
    finally:
        alice.close()
        bob.close()


def test_a_browsers_documents_are_still_its_own_after_a_server_restart(browser, servers, tmp_path):
    port = free_port()  # the same address again: a browser keeps its token per address
    first = servers.start(port=port)
    alice, bob = Person(browser, first, "alice"), Person(browser, first, "bob")
    try:
        alice.upload(tmp_path, ALICE_NOTES)
        servers.stop(first)
        again = servers.start(port=port, data_dir=first.service.config.data_dir)
        assert again.url == first.url
        alice.open()
        bob.open()
        assert any(NOTES in item for item in alice.listed()) and not any(NOTES in item for item in bob.listed())
        text, files = alice.answer()
        assert ALICE_FACT in text and NOTES in files
    finally:
        alice.close()
        bob.close()
