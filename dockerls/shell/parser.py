"""Read the shell command of a Dockerfile ``RUN`` once, so that every rule can query it.

Design
------
A hand-written lexer and a lenient recursive-descent parser for POSIX ``sh`` plus the bash bits
people write in Dockerfiles.  ``shlex`` is not enough: it has no offsets, does not know the
operators (``&&``, ``|``, ``;``, redirections), and raises on an unbalanced quote.

The lexer works on offsets into one string and consumes runs of ordinary characters with compiled
regular expressions, so a typical RUN parses in well under a millisecond.  The parser never raises
and never goes back more than a bounded amount, so its time stays linear in the input:

* Errors (unterminated quote, missing ``fi`` ...) go to ``Script.errors``; parsing goes on.
* Nesting (``$(``, ``(``, ``{``, ``if`` ..., ``sh -c``) is capped at :data:`MAX_NESTING` (lower
  when the caller's stack is already deep, so ``RecursionError`` cannot happen); deeper constructs
  are skipped with a bracket-matching scan (no recursion) and reported.

Semantics worth knowing
-----------------------
* ``ShellWord.value`` has quotes removed and backslash escapes resolved; ``$VAR``, ``${..}``,
  ``$(..)``, ``$((..))`` and backticks are kept as written (nothing is expanded).
* Line continuations (backslash-newline) are removed everywhere, also inside single quotes, and the
  comment lines that follow one are dropped, as the Dockerfile parser does before the shell runs.
* A redirection is ONE word in ``Command.redirects``: ``raw`` spans the optional fd, the operator and
  the target (``2> /dev/null``); ``value`` is fd + operator + target value without the blanks
  (``2>/dev/null``).  ``<<EOF`` is just a redirection (heredoc bodies are given separately).
* ``Command.depth`` counts the enclosing ``$(..)``, backticks, ``<(..)``, ``( )``, ``{ }`` and
  ``sh -c`` strings; ``Command.context`` names them, outermost first.  Bodies of ``if``, ``for``,
  ``while`` and ``case`` do not add depth.
* ``sh -c STRING`` (also ``bash``/``dash``/... with any option cluster containing ``c``, ``su -c``,
  and behind ``sudo``/``env``/...) is parsed again as a script.  Its commands get offsets in the
  outer text: each character of the string maps back to where it was written, so a word's ``raw``
  is the outer text it came from (``\\"foo\\"`` for a word ``"foo"`` inside a double-quoted string).
  Text produced by an escape (``$'\\n'``) maps to the whole escape.  ``$(..)`` written in the outer
  quotes is run by the outer shell: it is parsed once, at the outer level, not again inside.
* ``separator_before`` is the operator before the command in its list: ``&&``, ``||``, ``;``, ``&``,
  ``|`` (also for ``|&``) or ``\\n``; ``None`` for the first command of a list (a script, a body of
  ``( )``, ``{ }``, ``$( )``, ``then``, ``do`` ...).
* Pipelines: a stage that is a compound command (``( a; b ) | c``) contributes all of its commands
  to the pipeline list, with the stage's ``pipeline_position``; a command keeps the position of the
  innermost pipeline of two or more stages it belongs to.  So ``len(pipeline)`` may exceed the
  number of stages.  Single-command pipelines are listed only for simple commands.
* ``Script.uses_pipes`` is true when a pipeline of two or more stages appears anywhere (subshells
  and substitutions included) except inside ``sh -c`` strings, the way hadolint sees pipes.
"""

from __future__ import annotations

import sys
from types import FrameType

from dockerls.shell.lexer import (
    _BLANKS, _BLANKS_NL, _COND_OP, _DELIMS, _FAST_WORD, _FUNC_PARENS, _IN, _KEYWORD, _KEYWORD_FIRST, _NO_STOPS,
    _OP, _REDIR, _REDIR_FIRST, _SPACES, _SPLIT_PLAIN, _SPLIT_SPACE, _ASSIGN, _BACKTICK_SCAN,
    MAX_NESTING, Lexer,
)
from dockerls.shell.model import _WRAPPERS, Command, Script, ShellWord
from dockerls.shell.remap import _SHELL_C_HOSTS, _Remap, _segments_to_map, _shell_c_argument

__all__ = ["MAX_NESTING", "Command", "Script", "ShellWord", "parse_shell", "split_words"]

_FRAMES_PER_LEVEL = 12  # Python frames one nesting level can use (e.g. "$(" inside double quotes)

_COMPOUND = "compound"  # what parse_command returns for a compound command (a Command for a simple one)
_CLOSERS = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}"})
_PAREN_STOPS = frozenset({")"})
_IF_STOPS = frozenset({"then", "elif", "else", "fi"})
_LOOP_STOPS = frozenset({"do", "done"})
_CASE_STOPS = frozenset({";;", ";&", ";;&", "esac"})
_CASE_ENDS = (";;", ";&", ";;&")


class _Parser(Lexer):
    """State of one parse.  ``pos`` is the parser's cursor; lexing helpers take and return offsets."""

    def __init__(self, text: str, *, depth=0, context=(), nest=0, quiet=0, in_shell_c=False, skip=_NO_STOPS,
                 max_nest=MAX_NESTING):
        super().__init__(text, nest=nest, quiet=quiet, skip=skip, max_nest=max_nest)
        self.pos = 0
        self.depth = depth  # public depth of the commands being read
        self.context: tuple[str, ...] = context
        self.level = 0  # substitution nesting, to keep `$(..)` commands out of the outer pipeline
        self.in_shell_c = in_shell_c
        self.commands: list[Command] = []
        self.levels: list[int] = []
        self.pipelines: list[list[Command]] = []
        self.uses_pipes = False

    # ---- bookkeeping

    def add_command(self, cmd: Command) -> None:
        if not self.quiet:
            self.commands.append(cmd)
            self.levels.append(self.level)

    def enter(self, label: str) -> None:
        self.depth += 1
        self.nest += 1
        self.context = self.context + (label,)

    def leave(self) -> None:
        self.depth -= 1
        self.nest -= 1
        self.context = self.context[:-1]

    # ---- lists, and-or lists, pipelines

    def parse_all(self) -> None:
        while self.pos < self.n:
            self.parse_list(_NO_STOPS)

    def parse_list(self, stops: frozenset[str]) -> str | None:
        """Parse commands until EOF (``None``) or one of ``stops``, left under the cursor and returned."""
        text, n = self.text, self.n
        sep: str | None = None
        had_command = False
        while True:
            pos = _BLANKS.match(text, self.pos).end()
            self.pos = pos
            if pos >= n:
                return None
            c = text[pos]
            if c == "\n":
                self.pos = pos + 1
                if had_command and sep is None:
                    sep = "\n"
                continue
            if c in ";&|)":
                op = _OP.match(text, pos).group()
                if op in stops:
                    return op
                if not op.startswith("&>"):  # `&>file cmd` starts a command
                    self.pos = pos + len(op)
                    if op in ("&&", "||", "|", "|&"):
                        self.error(pos, f"unexpected {op!r}")
                        sep = "|" if op == "|&" else op
                    elif op in (";", "&"):
                        if had_command and sep is None:
                            sep = op
                    else:
                        self.error(pos, f"unexpected {op!r}")
                    continue
            elif c in _KEYWORD_FIRST:
                m = _KEYWORD.match(text, pos)
                if m:
                    kw = m.group()
                    if kw in stops:
                        return kw
                    if kw in _CLOSERS:
                        self.error(pos, f"unexpected {kw!r}")
                        self.pos = m.end()
                        continue
            sep = self.parse_and_or(stops, sep)
            had_command = True
            if self.pos == pos:  # cannot happen; never loop forever if it does
                self.error(pos, f"unexpected {text[pos]!r}")
                self.pos = pos + 1

    def parse_and_or(self, stops, sep: str | None) -> str | None:
        """Pipelines joined by ``&&``/``||``; returns the separator after them (``;``, ``&``, newline)."""
        text = self.text
        self.parse_pipeline(stops, sep)
        while True:
            pos = _BLANKS.match(text, self.pos).end()
            self.pos = pos
            if pos >= self.n:
                return None
            c = text[pos]
            if c == "\n":
                self.pos = pos + 1
                return "\n"
            if c not in ";&|":
                return None
            op = _OP.match(text, pos).group()
            if op in ("&&", "||"):
                self.pos = _BLANKS_NL.match(text, pos + 2).end()
                before = self.pos
                self.parse_pipeline(stops, op)
                if self.pos == before:
                    self.error(pos, f"missing command after {op!r}")
                    return None
                continue
            if op in (";", "&"):
                self.pos = pos + 1
                return op
            return None

    def parse_pipeline(self, stops, sep: str | None) -> None:
        text = self.text
        stages: list[tuple[int, int, Command | str]] = []
        while True:
            first = len(self.commands)
            before = self.pos
            stage = self.parse_command(stops, sep)
            if stage is None:
                if stages:
                    self.error(before, "missing command after '|'")
                break
            stages.append((first, len(self.commands), stage))
            pos = _BLANKS.match(text, self.pos).end()
            if pos < self.n and text[pos] == "|" and not text.startswith("||", pos):
                width = 2 if text.startswith("|&", pos) else 1
                self.pos = _BLANKS_NL.match(text, pos + width).end()
                sep = "|"
                continue
            break
        self.register_pipeline(stages)

    def register_pipeline(self, stages: list[tuple[int, int, Command | str]]) -> None:
        """``stages``: (first, end) indexes into ``commands``, and the stage's Command or ``_COMPOUND``."""
        if self.quiet or not stages:
            return
        if len(stages) == 1:
            if isinstance(stages[0][2], Command):
                self.pipelines.append([stages[0][2]])
            return
        flat = []
        for position, (first, end, stage) in enumerate(stages):
            for cmd in self.stage_commands(first, end, stage):
                if not cmd.in_pipeline:
                    cmd.in_pipeline = True
                    cmd.pipeline_position = position
                flat.append(cmd)
        self.pipelines.append(flat)
        if not self.in_shell_c:
            self.uses_pipes = True

    def stage_commands(self, first: int, end: int, stage: Command | str) -> list[Command]:
        if isinstance(stage, Command):
            return [stage]
        # Commands at a deeper level come from substitutions in the stage's words, not from the stage.
        level, levels = self.level, self.levels
        return [self.commands[i] for i in range(first, end) if levels[i] == level]

    # ---- commands

    def parse_command(self, stops, sep: str | None) -> Command | str | None:
        """One simple command (returned) or compound one (``_COMPOUND``); ``None``: nothing to read."""
        text, n = self.text, self.n
        pos = _BLANKS.match(text, self.pos).end()
        m = _KEYWORD.match(text, pos) if text[pos : pos + 1] in _KEYWORD_FIRST else None
        while m and m.group() == "!":  # `a | ! b`
            pos = _BLANKS.match(text, m.end()).end()
            m = _KEYWORD.match(text, pos)
        self.pos = pos
        if pos >= n:
            return None
        c = text[pos]
        if c == "(":
            end = self.arith_end(pos + 2) if text.startswith("((", pos) else None
            if end is not None:
                self.pos = end
            else:
                self.nested(pos, pos + 1, ")", "(", stops)
            self.trailing_redirects()
            return _COMPOUND
        if c in ";|)\n" or (c == "&" and not text.startswith("&>", pos)):
            return None
        if m:
            kw = m.group()
            if kw in stops or kw in _CLOSERS:
                return None
            if self.nest >= self.max_nest:
                self.error(pos, "nesting too deep; read as plain words")
            else:
                found = getattr(self, _HANDLERS[kw])(m.end(), stops, sep)
                if found == _COMPOUND:
                    self.trailing_redirects()
                return found
        return self.parse_simple(stops, sep)

    def parse_simple(self, stops, sep: str | None) -> Command | str | None:
        text, n = self.text, self.n
        words: list[ShellWord] = []
        assignments: list[ShellWord] = []
        redirects: list[ShellWord] = []
        pos = self.pos
        start = end = -1
        while True:
            m = _FAST_WORD.match(text, pos)
            if m:
                value, pos = m.group(1), m.end()
                word = ShellWord(value, value, m.start(1), pos)
                (assignments if not words and _ASSIGN.match(value) else words).append(word)
                if start < 0:
                    start = word.start
                end = pos
                continue
            pos = _BLANKS.match(text, pos).end()
            if pos >= n:
                break
            c = text[pos]
            m = _REDIR.match(text, pos) if c in _REDIR_FIRST else None
            if m:
                word, pos = self.read_redirect(pos, m.end())
                redirects.append(word)
            elif c in _DELIMS and not (c in "<>" and text.startswith("(", pos + 1)):
                if c == "(" and len(words) == 1 and not assignments and not redirects:
                    fm = _FUNC_PARENS.match(text, pos)
                    if fm:  # name() body
                        return self.function_body(fm.end(), stops)
                break
            else:
                word, pos = self.read_word(pos)
                if not words and _ASSIGN.match(word.raw):
                    assignments.append(word)
                else:
                    words.append(word)
            if start < 0:
                start = word.start
            end = word.end
        self.pos = pos
        if start < 0:
            return None
        cmd = Command(words, assignments, redirects, start, end, sep, depth=self.depth, context=self.context)
        self.add_command(cmd)
        if words and not self.quiet:
            self.parse_shell_c(cmd)
        return cmd

    def read_redirect(self, start: int, op_end: int) -> tuple[ShellWord, int]:
        text = self.text
        op = text[start:op_end]
        pos = _BLANKS.match(text, op_end).end()
        if pos >= self.n or (text[pos] in _DELIMS and not (text[pos] in "<>" and text.startswith("(", pos + 1))):
            self.error(start, f"missing target after {op!r}")
            return ShellWord(op, op, start, op_end), op_end
        target, pos = self.read_word(pos)
        return ShellWord(op + target.value, text[start:pos], start, pos, target.quoted, target.has_expansion), pos

    def trailing_redirects(self) -> list[ShellWord]:
        text = self.text
        found = []
        pos = self.pos
        while True:
            p = _BLANKS.match(text, pos).end()
            m = _REDIR.match(text, p)
            if not m:
                break
            word, pos = self.read_redirect(p, m.end())
            found.append(word)
        self.pos = pos
        return found

    # ---- compound commands (handlers get the offset after the keyword)

    def nested(self, open_pos: int, inner: int, closer: str, label: str, stops) -> None:
        """``( list )`` or ``{ list }``."""
        if self.nest >= self.max_nest:
            self.error(open_pos, "nesting too deep; not parsed")
            self.pos = self.skip_parens(inner, 1, open_pos) if closer == ")" else inner
            return
        self.enter(label)
        self.pos = inner
        found = self.parse_list(stops | {closer})
        if found == closer:
            self.pos += len(closer)
        else:
            self.error(open_pos, f"missing {closer!r}")
        self.leave()

    def parse_group(self, pos: int, stops, sep) -> str:
        self.nested(pos - 1, pos, "}", "{", stops)
        return _COMPOUND

    def parse_if(self, pos: int, stops, sep) -> str:
        self.nest += 1
        self.pos = pos
        inner = stops | _IF_STOPS
        found = self.parse_list(inner)
        while found in ("then", "elif", "else"):
            self.pos += len(found)
            found = self.parse_list(inner)
        if found == "fi":
            self.pos += 2
        else:
            self.error(pos - 2, "missing 'fi'")
        self.nest -= 1
        return _COMPOUND

    def parse_while(self, pos: int, stops, sep) -> str:
        self.nest += 1
        self.pos = pos
        self.loop_body(pos, stops)
        self.nest -= 1
        return _COMPOUND

    def parse_for(self, pos: int, stops, sep) -> str:
        """``for NAME [in WORDS]; do ..; done`` and ``for ((..)); do``: the header is no command."""
        text, n = self.text, self.n
        self.nest += 1
        open_pos = pos
        pos = _BLANKS.match(text, pos).end()
        if text.startswith("((", pos):
            pos = self.skip_parens(pos + 2, 2, pos)
        elif pos < n and text[pos] not in _DELIMS:
            _, pos = self.read_word(pos)
            pos = _BLANKS_NL.match(text, pos).end()
            m = _IN.match(text, pos)
            if m:
                pos = m.end()
                while True:
                    pos = _BLANKS.match(text, pos).end()
                    if pos >= n or text[pos] in _DELIMS:
                        break
                    _, pos = self.read_word(pos)
        self.pos = pos
        self.loop_body(open_pos, stops)
        self.nest -= 1
        return _COMPOUND

    def loop_body(self, open_pos: int, stops) -> None:
        inner = stops | _LOOP_STOPS
        found = self.parse_list(inner)
        seen_do = False
        while found == "do":
            if seen_do:
                self.error(self.pos, "unexpected 'do'")
            seen_do = True
            self.pos += 2
            found = self.parse_list(inner)
        if found == "done":
            self.pos += 4
            if not seen_do:
                self.error(open_pos, "missing 'do'")
        else:
            self.error(open_pos, "missing 'done'")

    def parse_case(self, pos: int, stops, sep) -> str:
        text, n = self.text, self.n
        self.nest += 1
        open_pos = pos - 4
        pos = _BLANKS.match(text, pos).end()
        if pos < n and text[pos] not in _DELIMS:
            _, pos = self.read_word(pos)
        pos = _BLANKS_NL.match(text, pos).end()
        m = _IN.match(text, pos)
        if m:
            pos = m.end()
        else:
            self.error(pos, "expected 'in'")
        body_stops = stops | _CASE_STOPS
        while True:
            pos = _BLANKS_NL.match(text, pos).end()
            self.pos = pos
            if pos >= n:
                self.error(open_pos, "missing 'esac'")
                break
            m = _KEYWORD.match(text, pos)
            if m and m.group() == "esac":
                self.pos = m.end()
                break
            if (m and m.group() in stops) or (text[pos] == ")" and ")" in stops):
                self.error(open_pos, "missing 'esac'")
                break
            self.pos = self.case_patterns(pos)
            found = self.parse_list(body_stops)
            if found in _CASE_ENDS:
                pos = self.pos + len(found)
                continue
            if found == "esac":
                self.pos += 4
            else:
                self.error(open_pos, "missing 'esac'")
            break
        self.nest -= 1
        return _COMPOUND

    def case_patterns(self, pos: int) -> int:
        """Skip ``[(] pattern [| pattern]... )``; returns the offset after ``)``."""
        text, n = self.text, self.n
        if text.startswith("(", pos):
            pos += 1
        while True:
            pos = _BLANKS.match(text, pos).end()
            if pos >= n:
                return pos
            c = text[pos]
            if c == ")":
                return pos + 1
            if c == "|":
                pos += 1
            elif c in _DELIMS:
                self.error(pos, "bad case pattern")
                return pos
            else:
                _, pos = self.read_word(pos)

    def parse_cond(self, pos: int, stops, sep) -> Command:
        """``[[ .. ]]``: one command whose words are everything up to ``]]`` (operators included)."""
        text, n = self.text, self.n
        start = pos - 2
        words = [ShellWord("[[", "[[", start, pos)]
        while True:
            pos = _BLANKS_NL.match(text, pos).end()
            if pos >= n:
                self.error(start, "missing ']]'")
                break
            if text.startswith("]]", pos) and (pos + 2 >= n or text[pos + 2] in _DELIMS):
                words.append(ShellWord("]]", "]]", pos, pos + 2))
                pos += 2
                break
            c = text[pos]
            if c == ";":
                self.error(start, "missing ']]'")
                break
            if c in _DELIMS and not (c in "<>" and text.startswith("(", pos + 1)):
                op = _COND_OP.match(text, pos).group()
                words.append(ShellWord(op, op, pos, pos + len(op)))
                pos += len(op)
            else:
                word, pos = self.read_word(pos)
                words.append(word)
        self.pos = pos
        redirects = self.trailing_redirects()
        end = max([words[-1].end] + [r.end for r in redirects])
        cmd = Command(words, [], redirects, start, end, sep, depth=self.depth, context=self.context)
        self.add_command(cmd)
        return cmd

    def parse_function(self, pos: int, stops, sep) -> str:
        """``function NAME [()] BODY``."""
        text = self.text
        pos = _BLANKS.match(text, pos).end()
        if pos < self.n and text[pos] not in _DELIMS:
            _, pos = self.read_word(pos)
        pos = _BLANKS.match(text, pos).end()
        m = _FUNC_PARENS.match(text, pos)
        return self.function_body(m.end() if m else pos, stops)

    def function_body(self, pos: int, stops) -> str:
        self.pos = _BLANKS_NL.match(self.text, pos).end()
        if self.nest >= self.max_nest:
            self.error(pos, "nesting too deep; function body read as plain commands")
            return _COMPOUND
        self.nest += 1
        self.parse_command(stops, None)
        self.nest -= 1
        return _COMPOUND

    # ---- substitutions

    def command_subst(self, inner: int, open_pos: int, label: str) -> int:
        """``$(..)``, ``<(..)``, ``>(..)`` parsed in place; returns the offset after ``)``."""
        if self.split_mode:
            return self.skip_parens(inner, 1, open_pos)
        if self.nest >= self.max_nest:
            self.error(open_pos, "nesting too deep; not parsed")
            return self.skip_parens(inner, 1, open_pos)
        quiet = open_pos in self.skip
        saved_pos = self.pos
        self.enter(label)
        self.level += 1
        self.quiet += quiet
        self.pos = inner
        if self.parse_list(_PAREN_STOPS) == ")":
            end = self.pos + 1
        else:
            self.error(open_pos, f"unterminated {label}")
            end = self.n
        self.quiet -= quiet
        self.level -= 1
        self.leave()
        self.pos = saved_pos
        return end

    def backtick(self, pos: int, in_dquote: bool) -> int:
        """A backtick substitution at ``pos``; its content is parsed as its own script."""
        text, n = self.text, self.n
        i = pos + 1
        escaped = False
        while True:
            i = _BACKTICK_SCAN.match(text, min(i, n)).end()
            if i >= n:
                self.error(pos, "unterminated backtick")
                content_end = end = n
                break
            if text[i] == "\\":
                escaped = True
                i += 2
                continue
            content_end, end = i, i + 1
            break
        if self.quiet or self.split_mode or pos in self.skip or content_end <= pos + 1:
            return end
        if self.nest >= self.max_nest:
            self.error(pos, "nesting too deep; not parsed")
            return end
        if escaped:
            segs = self.backtick_pieces(pos + 1, content_end, in_dquote)
            derived, starts, ends, _ = _segments_to_map(segs, 0)
            self.subparse(derived, (starts, ends), "`", pos + 1)
        else:
            self.subparse(text[pos + 1 : content_end], pos + 1, "`", pos + 1)
        return end

    def parse_shell_c(self, cmd: Command) -> None:
        """Parse the string of ``sh -c STRING`` (or ``su -c``) as a nested script."""
        program = cmd.program
        if program not in _SHELL_C_HOSTS and program not in _WRAPPERS:
            return
        found = _shell_c_argument(cmd.unwrapped())
        if found is None:
            return
        word, prefix = found
        if self.nest >= self.max_nest:
            self.error(word.start, "nesting too deep; sh -c string not parsed")
            return
        derived, starts, ends, skip = _segments_to_map(self.reread(word), prefix)
        self.subparse(derived, (starts, ends), "sh -c", word.start, skip=skip, shell_c=True)

    def reread(self, word: ShellWord) -> list:
        """Read ``word`` again, recording nothing, to get its value pieces with their offsets."""
        saved_pos = self.pos
        segs: list = []
        self.segs = segs
        self.quiet += 1
        self.read_word(word.start)
        self.quiet -= 1
        self.segs = None
        self.pos = saved_pos
        return segs

    def subparse(self, derived: str, mapping, label: str, fallback: int, *, skip=_NO_STOPS, shell_c=False) -> None:
        child = _Parser(
            derived, depth=self.depth + 1, context=self.context + (label,), nest=self.nest + 1,
            in_shell_c=self.in_shell_c or shell_c, skip=skip, max_nest=self.max_nest,
        )
        child.parse_all()
        remap = _Remap(self.text, mapping, fallback)
        level = self.level + 1
        for cmd in child.commands:
            remap.command(cmd)
            self.commands.append(cmd)
            self.levels.append(level)
        self.pipelines.extend(child.pipelines)
        for offset, message in child.errors:
            self.error(remap.start(offset), message)
        self.uses_pipes = self.uses_pipes or child.uses_pipes

_HANDLERS = {
    "if": "parse_if", "while": "parse_while", "until": "parse_while", "for": "parse_for",
    "select": "parse_for", "case": "parse_case", "{": "parse_group", "[[": "parse_cond",
    "function": "parse_function",
}



# --------------------------------------------------------------------------------------- API


def _nesting_budget() -> int:
    """MAX_NESTING, or less when the stack we are called on leaves too little room."""
    frame: FrameType | None = sys._getframe()
    used = 0
    while frame is not None:
        frame, used = frame.f_back, used + 1
    room = sys.getrecursionlimit() - used - 100
    return max(0, min(MAX_NESTING, room // _FRAMES_PER_LEVEL))


def parse_shell(text: str) -> Script:
    """Parse a shell script (the text of a ``RUN``).  Never raises; problems go to ``errors``."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    parser = _Parser(text, max_nest=_nesting_budget())
    try:
        parser.parse_all()
    except Exception as exc:  # a last guard: a linter must not die on one RUN
        parser.errors.append((min(parser.pos, len(text)), f"internal shell parser error: {exc!r}"))
    commands = sorted(parser.commands, key=lambda c: (c.start, c.depth))
    errors = sorted(parser.errors, key=lambda e: e[0])
    return Script(text, commands, parser.pipelines, errors, parser.uses_pipes)


def split_words(text: str) -> list[ShellWord]:
    """Split ``text`` at unquoted blanks and newlines; operators stay inside words.  Never raises."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    parser = _Parser(text, quiet=1)
    parser.plain, parser.delims, parser.split_mode = _SPLIT_PLAIN, _SPACES, True
    words: list[ShellWord] = []
    pos, n = 0, len(text)
    try:
        while True:
            pos = _SPLIT_SPACE.match(text, pos).end()
            if pos >= n:
                break
            word, pos = parser.read_word(pos)
            words.append(word)
    except Exception:
        pass
    return words
