from dockerls.rules.base import ERROR, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of, word_range
from dockerls.rules.dockerfile._rpm import mentions


class Sudo(Rule):
    """A RUN uses `sudo`.

    ## Why
    RUN already executes as the current `USER`.  `sudo` needs to be installed and configured,
    asks for a password when the user has none set up for it, keeps or drops environment
    variables depending on `sudoers`, and leaves a setuid program in the image that widens its
    attack surface.  What it does depends on configuration the Dockerfile does not show.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    USER app
    RUN sudo apt-get update
    ```

    ## Fix
    Switch users with `USER root` before the commands that need root and `USER app` after
    them.  To drop privileges at run time (in an entrypoint script), use `gosu` or `su-exec`.

    ## Compared with hadolint
    dockerls reports each `sudo` (hadolint the RUN once), and also those inside `sh -c "..."`.
    """

    code = "DL3004"
    name = "sudo"
    severity = ERROR
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None or not mentions(self.ctx, run, ("sudo",)):
            return None
        out = []
        for cmd in self.ctx.shell(run).commands:
            word = _sudo_word(cmd)
            if word is not None:
                out.append(self.finding(
                    word_range(self.ctx, run, word),
                    "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root, "
                    "or `USER root` around the commands that need it",
                ))
        return out


def _sudo_word(cmd):
    """The ``sudo`` word of ``sudo x``, ``env A=1 sudo x``, ``nice sudo x``..."""
    if not cmd.words:
        return None
    inner = cmd.unwrapped()
    limit = inner.words[0].start if inner is not cmd else cmd.words[0].end
    for word in cmd.words:
        if word.start >= limit:
            break
        if word.value.rsplit("/", 1)[-1] == "sudo":
            return word
    return None
