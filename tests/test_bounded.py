"""Hostile inputs cost bounded time and memory, and a limit that is hit is reported at the place
(issue #13 §1b): doubling ARG/ENV chains, deeply nested substitutions, long dependency cycles,
deeply nested devcontainer.json."""

from __future__ import annotations

import time
import tracemalloc

from dockerls.check.files import lint_text
from dockerls.config import Config
from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.parse.dockerfile.scope import variables_at
from dockerls.parse.dockerfile.variables import MAX_VALUE, expand, is_too_long
from dockerls.services.dockerfile_index import build_index
from dockerls.services.hover import hover


def doubling(keyword: str, times: int = 26) -> str:
    lines = ["FROM alpine:3.20", f"{keyword} A0=xxxxxxxxxxxxxxxx"]
    lines += [f"{keyword} A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, times + 1)]
    return "\n".join([*lines, f"RUN echo $A{times}"]) + "\n"


def bounded(call):
    tracemalloc.start()
    start = time.process_time()
    try:
        result = call()
        return result, time.process_time() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_doubling_arg_and_env_hover_and_lint_are_bounded():
    for keyword in ("ARG", "ENV"):
        text = doubling(keyword)
        findings, seconds, peak = bounded(lambda text=text: lint_text(text, "dockerfile", Config(), None)[2])
        assert seconds < 2 and peak < 32 * 2**20, (keyword, seconds, peak)
        df = parse_dockerfile(text)
        index = build_index(df)
        shown, seconds, peak = bounded(lambda df=df, text=text, index=index: hover(df, text.index("$A26") + 2, lambda: index))
        assert seconds < 1 and peak < 8 * 2**20
        assert "too long to show" in shown.markdown and len(shown.markdown) < 200
        # below the cap the value is still computed exactly
        assert variables_at(df, df.instructions[-1])["A10"].value == "x" * 16 * 2**10


def test_expansion_cap_and_nesting():
    assert is_too_long(expand("$A$A", {"A": "x" * (MAX_VALUE // 2 + 1)}))
    assert expand("$A$A", {"A": "x" * 100}) == "x" * 200
    deep = "x"
    for _ in range(2000):
        deep = "${A:-" + deep + "}"
    assert is_too_long(expand(deep, {}))
    shallow = "x"
    for _ in range(20):
        shallow = "${A:-" + shallow + "}"
    assert expand(shallow, {}) == "x"


def compose_codes(text: str) -> list[str]:
    return [f.code for f in lint_text(text, "compose", Config(), None)[2]]


def test_deeply_nested_compose_substitution_is_reported_and_the_rest_still_checked():
    deep = "x"
    for _ in range(2000):
        deep = "${A:-" + deep + "}"
    text = f'services:\n  web:\n    image: nginx:1.27\n    command: "{deep}"\n    environment:\n      X: ${{1}}\n'
    codes = compose_codes(text)
    assert "DC006" in codes and "DC007" in codes


def test_long_dependency_cycle_is_reported():
    n = 2000
    lines = ["services:"]
    for i in range(n):
        lines += [f"  s{i}:", "    image: nginx:1.27", f"    depends_on: [s{(i + 1) % n}]"]
    findings = lint_text("\n".join(lines) + "\n", "compose", Config(), None)[2]
    cycles = [f for f in findings if f.code == "DC105"]
    assert len(cycles) == 1 and "more" in cycles[0].message and len(cycles[0].message) < 300


def test_deeply_nested_devcontainer_json_gets_a_finding():
    text = '{"image": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    findings = lint_text(text, "devcontainer", Config(), ".devcontainer/devcontainer.json")[2]
    assert any(f.code == "DV001" and "deeper than" in f.message for f in findings)
