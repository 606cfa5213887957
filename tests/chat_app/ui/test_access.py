"""Binding beyond loopback needs authentication; credentials are parsed strictly and enforced."""

import os
import socket

import pytest

from chat_app.cli import EXIT_ERROR, main
from chat_app.ui.access import AccessError, check_access, is_loopback, parse_credentials


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.53", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("192.168.1.5", False), ("::", False), ("example.org", False)],
)  # fmt: skip
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_a_network_address_without_credentials_is_refused():
    with pytest.raises(AccessError, match=r"refusing to serve on 0\.0\.0\.0 without authentication"):
        check_access("0.0.0.0", [])
    check_access("0.0.0.0", [("ann", "secret")])
    check_access("127.0.0.1", [])


def test_credentials_from_the_option_and_a_file(tmp_path):
    users = tmp_path / "users.txt"
    users.write_text("# team\nbo:pass:with:colons\n\ncy:x\n", encoding="utf-8")
    assert parse_credentials("ann:secret", users) == [("ann", "secret"), ("bo", "pass:with:colons"), ("cy", "x")]


@pytest.mark.parametrize("bad", ["nopassword", ":secret", "ann:"])
def test_malformed_credentials_are_refused(bad):
    with pytest.raises(AccessError, match="user:password"):
        parse_credentials(bad, None)


def test_kzqa_chat_on_a_network_address_without_auth_refuses_before_loading_anything(capsys):
    assert main(["chat", "--host", "0.0.0.0", "--port", "7999"]) == EXIT_ERROR
    assert "without authentication" in capsys.readouterr().err


def test_a_server_launched_with_credentials_rejects_anonymous_clients():
    import gradio as gr
    from gradio_client import Client

    from chat_app.ui.server import launch

    os.environ["HF_HUB_OFFLINE"] = "1"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with gr.Blocks() as app:
        box = gr.Textbox()
        out = gr.Textbox()
        box.submit(lambda text: text.upper(), box, out, api_name="echo")
    url = launch(app, host="127.0.0.1", port=port, credentials=[("ann", "secret")])
    try:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a version-specific error type
            Client(url, verbose=False)
        assert Client(url, auth=("ann", "secret"), verbose=False).predict("kz", api_name="/echo") == "KZ"
    finally:
        app.close()
