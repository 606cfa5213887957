"""Password guessing on /login slows down per client: the logic with a fake clock, then a real
server hit with 20 wrong passwords from one address while another address still logs in."""

from __future__ import annotations

import os

import httpx
import pytest

from chat_app.ui.login_throttle import FREE_TRIES, MAX_WAIT_S, LoginThrottle
from tests.support.ports import free_port


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TestLoginThrottleWithAFakeClock:
    def test_a_few_mistakes_cost_nothing(self):
        throttle = LoginThrottle(clock=FakeClock())
        for _ in range(FREE_TRIES):
            throttle.failed("10.0.0.1")
        assert throttle.wait_seconds("10.0.0.1") == 0

    def test_each_further_failure_doubles_the_wait_up_to_the_cap(self):
        clock = FakeClock()
        throttle = LoginThrottle(clock=clock)
        waits = []
        for _ in range(FREE_TRIES + 12):
            throttle.failed("10.0.0.1")
            waits.append(throttle.wait_seconds("10.0.0.1"))
        assert waits[FREE_TRIES : FREE_TRIES + 4] == [1, 2, 4, 8]
        assert waits[-1] == MAX_WAIT_S
        clock.now += MAX_WAIT_S
        assert throttle.wait_seconds("10.0.0.1") == 0

    def test_clients_are_counted_apart_and_a_success_forgets_the_failures(self):
        throttle = LoginThrottle(clock=FakeClock())
        for _ in range(FREE_TRIES + 1):
            throttle.failed("10.0.0.1")
        assert throttle.wait_seconds("10.0.0.1") > 0 and throttle.wait_seconds("10.0.0.2") == 0
        throttle.succeeded("10.0.0.1")
        assert throttle.wait_seconds("10.0.0.1") == 0


@pytest.fixture(scope="module")
def server_with_a_password():
    import gradio as gr

    from chat_app.ui.server import launch

    os.environ["HF_HUB_OFFLINE"] = "1"
    with gr.Blocks() as app:
        box = gr.Textbox()
        box.submit(lambda text: text, box, box, api_name="echo")
    url = launch(app, host="127.0.0.1", port=free_port(), credentials=[("ann", "secret")])
    yield url
    app.close()


def login(url: str, password: str, *, source: str = "127.0.0.1") -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=source)  # another loopback address is another client
    with httpx.Client(transport=transport, timeout=30) as client:
        return client.post(f"{url}login", data={"username": "ann", "password": password})


@pytest.fixture
def slow_first_wait(monkeypatch):
    """A first lock-out of a minute instead of a second, so a slow machine cannot outlast it mid-test."""
    from chat_app.ui import login_throttle

    monkeypatch.setattr(login_throttle, "FIRST_WAIT_S", 60.0)


def test_a_guesser_is_locked_out_and_told_when_to_retry(server_with_a_password, slow_first_wait):
    url = server_with_a_password
    statuses = [login(url, f"guess{i}").status_code for i in range(20)]
    # gradio's "incorrect credentials" for the free tries and the one that triggers the lock, then 429
    assert statuses == [400] * (FREE_TRIES + 1) + [429] * (20 - FREE_TRIES - 1)
    locked = login(url, "secret")
    assert locked.status_code == 429  # not even the right password gets through while locked
    assert 1 <= int(locked.headers["retry-after"]) <= 60 and "try again in" in locked.json()["detail"]


def test_another_client_still_logs_in(server_with_a_password, slow_first_wait):
    for i in range(FREE_TRIES + 3):
        login(server_with_a_password, f"guess{i}", source="127.0.0.3")
    assert login(server_with_a_password, "secret", source="127.0.0.4").status_code == 200
