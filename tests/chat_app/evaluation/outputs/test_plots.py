"""The report's plots: PNG bytes, one per view of the run."""

from chat_app.evaluation.outputs.plots import render_plots


def test_plots_are_png(run):
    plots = render_plots(run)
    assert [p.name for p in plots] == ["hit_at_k", "latency", "pass_by_type"]
    assert all(p.png.startswith(b"\x89PNG\r\n\x1a\n") for p in plots)
