from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of, word_range

_WHY = {
    "ssh": "there is no one to log in to during a build; copy files in or use a build secret",
    "vim": "nobody can type into an editor during a build; edit files with sed or COPY them in",
    "shutdown": "a build container has no system to shut down",
    "service": "a service started in a RUN dies when the RUN ends; start it from CMD/ENTRYPOINT",
    "ps": "the processes of a build step say nothing about the running container",
    "free": "the memory of the build machine says nothing about the running container",
    "top": "an interactive monitor has no terminal during a build",
    "kill": "processes of one RUN end with it; there is nothing left to kill",
    "mount": "mounts made in a RUN are gone when it ends; use RUN --mount or a volume",
    "ifconfig": "the network of a build step is not the network of the running container",
}

# Commands that run another command (`sudo service x start`); see Command.unwrapped().
_WRAPPERS = frozenset({"sudo", "doas", "env", "nice", "time", "exec", "command", "nohup", "stdbuf", "xargs"})


class PointlessCommand(Rule):
    """A RUN runs a command that makes no sense while building an image (`ssh`, `vim`, `service`...).

    ## Why
    Each RUN is a short-lived process in a throw-away container with no terminal.  An editor
    or `top` has no one to talk to, `service x start` starts something that dies with the RUN,
    `mount` and `kill` affect nothing that outlives the step, and `ps`, `free` or `ifconfig`
    describe the build machine, not the container that will run the image.  Such commands are
    usually left over from trying things out interactively.

    Commands checked: `free`, `ifconfig`, `kill`, `mount`, `ps`, `service`, `shutdown`, `ssh`,
    `top`, `vim`.  Only commands count, not arguments: `apt-get install -y vim` is fine.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN service nginx start
    ```

    ## Fix
    Remove the command.  Start services from `CMD`/`ENTRYPOINT`, edit files with `sed` or
    `COPY`, fetch remote files with `curl` or build secrets.

    ## Compared with hadolint
    hadolint names `ifconfig` in its message but does not check it; dockerls does.  dockerls
    reports each command (hadolint the RUN once), and also reads commands behind `sudo` and
    inside `sh -c "..."`.
    """

    code = "DL3001"
    name = "pointless-command"
    severity = INFO
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        out = []
        for cmd in self.ctx.shell(run).commands:
            program = cmd.program
            if program in _WRAPPERS:
                cmd = cmd.unwrapped()
                program = cmd.program
            why = _WHY.get(program or "")
            if why is not None:
                out.append(self.finding(
                    word_range(self.ctx, run, cmd.words[0]),
                    f"For some bash commands it makes no sense running them in a Docker container like "
                    f"`{program}`: {why}",
                ))
        return out
