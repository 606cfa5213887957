"""The start-up banner: what it says in each state, and that polling stops once start-up is over."""

from __future__ import annotations

import re

from chat_app.config import KzqaConfig
from chat_app.ui.service import AssistantService, StartupStatus
from chat_app.ui.startup_panel import StartupPanel, startup_html, waiting_html
from tests.support.fake_assistant import FakeAssistant
from tests.support.paths import CORPUS_DIR


def test_building_shows_counts_and_a_determinate_progress_bar():
    html = startup_html(StartupStatus(False, "embedding 118 new chunks", done=64, total=118))
    assert "Building the index: 64/118 passages embedded (54%)" in html
    assert re.search(r'<progress max="118" value="64">', html)


def test_building_says_what_its_time_depends_on_and_promises_no_duration():
    html = startup_html(StartupStatus(False, "embedding 118 new chunks", done=64, total=118))
    assert "depends on this machine's CPU and on how many passages there are" in html
    assert not re.search(r"\d+\s*(s|秒|seconds)\b", html.replace("118", ""))


def test_before_the_build_shows_the_current_step_escaped():
    html = startup_html(StartupStatus(False, "reading <e5-small-q4.bin>"))
    assert "Getting ready: reading &lt;e5-small-q4.bin&gt;" in html
    assert "<progress></progress>" in html  # no value: the browser shows it as indeterminate


def test_a_failure_replaces_the_progress_with_the_reason():
    html = startup_html(StartupStatus(True, "warming up", error="cannot write the index in /data: No space left"))
    assert "kz-error" in html and "No space left" in html and "<progress" not in html


def test_ready_hides_the_banner():
    assert startup_html(StartupStatus(True, "warming up")) == ""


def test_a_waiting_question_says_it_will_be_answered_with_the_progress():
    assert "(10/20)" in waiting_html(StartupStatus(False, "embedding", done=10, total=20))
    assert "answered as soon as the index is ready" in waiting_html(StartupStatus(False, "loading"))


def test_poll_keeps_the_timer_running_until_start_up_is_over(tmp_path):
    config = KzqaConfig(corpus_dir=CORPUS_DIR, data_dir=tmp_path)
    starting = StartupPanel(AssistantService(config, None, None))
    assert starting.poll()[1].active is True
    started = StartupPanel(AssistantService(config, FakeAssistant(), None))
    html, timer = started.poll()
    assert html == "" and timer.active is False
