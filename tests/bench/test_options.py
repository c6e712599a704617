"""The harness writes where it is told, and leaves the committed bench/RESULTS.md alone
unless that is where it is told to write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.__main__ import ROOT, machine, options, write_results

COMMITTED = ROOT / "bench" / "RESULTS.md"
SCALE = {
    "scale": 1, "crises": 1, "passages": 32, "documents": 303, "load_s": 0.04, "build_s": 0.5,
    "passages_per_s": 70.0, "documents_per_s": 660.0, "index_mb": 1.0, "search_p50_ms": 5.2,
    "search_p99_ms": 13.3, "rss_mb": 40.2, "peak_rss_mb": 40.0,
    "start": {
        "searches": 24,
        "from_json": {"start_s": 1.9, "start_cpu_s": 1.5, "rss_ready_mb": 90.0, "rss_mb": 95.0},
        "from_snapshot": {"start_s": 1.2, "start_cpu_s": 1.0, "rss_ready_mb": 85.0, "rss_mb": 90.0},
    },
}  # fmt: skip


def results() -> dict[str, Any]:
    return {"connections": 2, "rounds": 1, "seconds": 3.0, "scales": [SCALE]}


def test_the_default_output_is_not_the_committed_record() -> None:
    out = options().parse_args([]).out
    assert out == Path("bench-results.md")
    assert out.resolve() != COMMITTED.resolve()
    assert options().parse_args(["--out", "x.md"]).out == Path("x.md")


def test_results_go_to_out_and_the_committed_record_is_untouched(tmp_path: Path) -> None:
    before = COMMITTED.read_bytes()
    out = tmp_path / "results.md"
    write_results(out, ".venv/bin/python -m bench --quick", machine(), results())
    text = out.read_text()
    assert text.startswith("# Benchmark results\n\n- command: `.venv/bin/python -m bench --quick`")
    assert "| 1x | 1 | 32 | 303 |" in text
    assert "| 1x | 1.9 (1.5) | 95.0 | 1.2 (1.0) | 90.0 |" in text
    assert COMMITTED.read_bytes() == before


def test_rewriting_a_record_keeps_its_hand_written_notes(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    out.write_text("# old numbers\n\n<!-- notes -->\n\n## Notes\n\nkept\n")
    write_results(out, "python -m bench", machine(), results())
    text = out.read_text()
    assert "old numbers" not in text
    assert text.endswith("<!-- notes -->\n\n## Notes\n\nkept\n")
