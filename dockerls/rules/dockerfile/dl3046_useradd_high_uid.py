from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of, word_range
from dockerls.rules.dockerfile._rpm import insert_flag_fix, mentions, word_values

_MAX_DIGITS = 5  # hadolint's threshold: UIDs of six digits and more


class UseraddHighUid(Rule):
    """`useradd -u <large uid>` without `-l` / `--no-log-init`.

    ## Why
    `useradd` records every user in `/var/log/lastlog` and `/var/log/faillog`, files indexed by
    UID.  On the host they are sparse, but image layers store them in full: a user with UID
    123456789 adds gigabytes of zeros to the image.  `-l` (`--no-log-init`) skips these records.

    A UID counts as large from six digits on.  UIDs given through ARG/ENV variables are looked
    up; a UID only known at build time is not judged.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN useradd -u 123456 app
    ```

    ## Fix
    Add `-l` / `--no-log-init`: `useradd --no-log-init -u 123456 app`.  The quick fix writes
    `--no-log-init` right after `useradd`; it is safe (the user just gets no lastlog/faillog
    records).

    ## Compared with hadolint
    hadolint measures only `-u`, and measures the text as written, so `-u ${USER_UID}` with
    `ARG USER_UID=1000` is reported and `--uid 123456` is not.  dockerls measures `-u` and `--uid`
    after looking up variables.  dockerls also reads commands behind `sudo` and in `sh -c "..."`.
    """

    code = "DL3046"
    name = "useradd-high-uid"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None or not mentions(self.ctx, run, ("useradd",)):
            return None
        out = []
        for cmd in self.ctx.shell(run).commands:
            if not cmd.words:
                continue
            cmd = cmd.unwrapped()
            if cmd.program != "useradd" or cmd.has_any_flag("-l", "--no-log-init"):
                continue
            word = _uid_word(cmd)
            if word is None:
                continue
            uid = _value(self.ctx, run, word)
            if uid is None or len(uid) <= _MAX_DIGITS:
                continue
            out.append(self.finding(
                word_range(self.ctx, run, word),
                f"`useradd` without flag `-l` and high UID will result in excessively large Image: UID {uid} "
                "makes /var/log/lastlog and faillog that large; add `--no-log-init`",
                fix=insert_flag_fix(self.ctx, run, cmd.words[0], "--no-log-init"),
            ))
        return out


def _uid_word(cmd):
    """The word holding the UID: ``-u 1000``, ``-u1000``, ``--uid 1000``, ``--uid=1000``."""
    args = cmd.args
    for i, word in enumerate(args):
        value = word.value
        if value == "--":
            return None
        if value in ("-u", "--uid"):
            return args[i + 1] if i + 1 < len(args) else None
        if value.startswith("--uid=") or (value.startswith("-u") and not value.startswith("--")):
            return word
    return None


def _value(ctx, run, word) -> str | None:
    values = word_values(ctx, run, word)
    if not values:
        return None
    value = values[0]
    for prefix in ("--uid=", "-u"):
        if value.startswith(prefix):
            return value[len(prefix):] or None
    return value
