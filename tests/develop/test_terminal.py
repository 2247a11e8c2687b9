"""The terminal progress: no raw escape codes when standard error is not a terminal."""

import io

from dockerls.develop.terminal import TerminalProgress


def test_escape_codes_are_removed_off_a_terminal():
    out = io.StringIO()
    progress = TerminalProgress(out, verbose=True)
    progress.on_log("\x1b[31mred\x1b[0m and \x1b]0;title\x07plain")
    progress.on_step("Step 1/2 : RUN \x1b[1mbold\x1b[0m", 50)
    assert "\x1b" not in out.getvalue()
    assert "red and plain" in out.getvalue() and "RUN bold" in out.getvalue()


def test_a_failure_is_left_to_the_command_s_error_line():
    out = io.StringIO()
    progress = TerminalProgress(out)
    progress.on_log("step output")
    progress.on_end("Failed: the build of x failed: RUN false")
    assert "the build of x failed" not in out.getvalue()
    assert "step output" in out.getvalue()


def test_the_ready_line_is_printed_without_verbose():
    from dockerls.develop.progress import Ready, report_ready

    out = io.StringIO()
    report_ready(TerminalProgress(out), Ready("abc", "dev-box", "updateContentCommand", ["postCreateCommand"]))
    assert out.getvalue() == "Ready (waitFor: updateContentCommand): dev-box (still to run: postCreateCommand)\n"
