from __future__ import annotations

import re

from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._packages import install_family
from dockerls.rules.dockerfile._instructions import basename
from dockerls.shell import parse_shell

# Process managers that exist to run several services.
_SUPERVISORS = frozenset({"supervisord", "runsvdir", "s6-svscan", "my_init", "systemd"})
_INIT_PATHS = frozenset({"/sbin/init", "/usr/sbin/init", "/lib/systemd/systemd", "/usr/lib/systemd/systemd"})
# Daemons that go to the background by themselves (nginx, sshd, cron...), so `a && b` runs both.
_FORKING = frozenset({"nginx", "sshd", "cron", "crond", "httpd", "apache2", "apachectl", "apache2ctl", "dovecot",
                      "rsyslogd", "syslog-ng", "squid", "named", "dnsmasq", "postfix", "pg_ctl", "pg_ctlcluster",
                      "vsftpd", "xinetd", "dbus-daemon", "avahi-daemon"})
# Daemons that fork only when asked: the flags that ask.
_FORK_FLAGS = {"php-fpm": ("-D", "--daemonize"), "memcached": ("-d", "--daemon"), "haproxy": ("-D",),
               "gunicorn": ("-D", "--daemon"), "uwsgi": ("--daemonize", "-d"), "redis-server": ("--daemonize",),
               "mysqld_safe": ("--daemonize",), "mongod": ("--fork",)}
_PHP_FPM = re.compile(r"php-?fpm[\d.]*$")
_VERSION_SEP = re.compile(r"[=<>~!]")
# Commands that finish quickly or only keep the container alive: not services.
_NOT_SERVICES = frozenset({
    "sleep", "tail", "wait", "echo", "true", "false", ":", "printf", "set", "export", "cd", "trap", "exec",
    "chown", "chmod", "mkdir", "rm", "ln", "cp", "mv", "touch", "sed", "envsubst", "cat", "test", "[", "[[",
    "source", ".", "ulimit", "umask", "sh", "bash", "eval", "unset", "shift", "wait-for-it", "wait-for-it.sh",
    "dockerize", "sysctl", "usermod", "groupmod", "logger", "date", "env", "id", "whoami",
})
_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh"})


class MultipleServicesInOneContainer(Rule):
    """The container starts several services: a process manager, daemons chained in `CMD`, or a
    service started in the background.

    ## Why
    A container is meant to hold one concern.  Docker (and Kubernetes, Compose, ECS...) watch the
    container's main process: they restart the container when it dies, stop it with a signal,
    collect its output as the container's logs, and scale the container as a unit.  With
    `supervisord`, `service nginx start && ...` or `nginx & php-fpm` in one container, none of that
    works for the other processes: a crashed daemon goes unnoticed while the container looks
    healthy, `docker stop` does not reach it (it gets killed after the timeout), its logs go to
    files inside the container, and the web server and the worker can no longer be scaled,
    updated or limited separately.  Two containers that talk over a network are simpler to run.

    Reported on the final stage:
    * `CMD`/`ENTRYPOINT` running a process manager (`supervisord`, `runsvdir`, `s6-svscan`,
      `my_init`, systemd as init), or installing the `supervisor` package when the process manager
      is started from a script;
    * `CMD`/`ENTRYPOINT` starting two long-running processes: a command sent to the background with
      `&`, a service started with `service x start`/`/etc/init.d/x start`/`rc-service`, a daemon
      that forks by itself (`nginx`, `sshd`, `cron`, `php-fpm -D`...) chained with `&&` or `;`,
      and the foreground command that follows, also when that is only `tail -f` or
      `sleep infinity` keeping the container alive.

    Short commands that prepare the start (`envsubst`, `chown`, `python manage.py migrate &&
    gunicorn ...`) are not services.

    ## Example
    ```Dockerfile
    FROM php:8.3-fpm
    RUN apt-get update && apt-get install -y nginx && rm -rf /var/lib/apt/lists/*
    CMD php-fpm -D && nginx -g "daemon off;"
    ```

    ## Fix
    Run each service in its own container, from its own image (`nginx` and `php:8.3-fpm`) or the
    same image with a different command, and connect them with a Compose file or a pod.  When the
    services really belong together, use a process manager set up to pass signals on and to stop
    the container when one of them dies (s6-overlay can do both), and ignore this rule for that
    Dockerfile; a plain `&` or `service start` gives neither.  There is no quick fix.
    """

    code = "DF106"
    name = "multiple-services-in-one-container"
    severity = INFO
    # What is reported follows from the final stage's own instructions (and how many stages there
    # are): a stage rule, whose findings come at the last instruction of the final stage.
    scope = "stage"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.starts: list = []  # CMD/ENTRYPOINT of the final stage
        self.supervisor_installs: list = []  # (instruction, word) installing supervisor in the final stage

    def check(self, ins):
        df = self.ctx.df
        if ins.stage_index != len(df.stages) - 1:
            return None
        if ins.keyword == "RUN":
            for cmd in self.ctx.shell(ins).commands:
                if install_family(cmd) in (None, "npm", "yarn"):
                    continue
                for word in cmd.unwrapped().positional()[1:]:
                    if _VERSION_SEP.split(word.value, 1)[0] == "supervisor":
                        self.supervisor_installs.append((ins, word))
        elif ins.keyword in ("CMD", "ENTRYPOINT"):
            self.starts.append(ins)
        following = ins.index + 1
        if following < len(df.instructions) and df.instructions[following].stage_index == ins.stage_index:
            return None
        return self._report()  # the final stage's last instruction

    def _report(self):
        out = []
        runs_supervisor = False
        for ins in self.starts:
            found = self._check_start(ins)
            if found is None:
                continue
            rng, message, supervisor = found
            runs_supervisor |= supervisor
            out.append(self.finding(rng, f"{ins.keyword} {message}"))
        if not runs_supervisor and self.supervisor_installs:
            ins, word = self.supervisor_installs[0]
            out.append(self.finding(
                self.ctx.shell_range(ins, word.start, word.end),
                "The final image installs supervisor to run several services in one container; run one service "
                "per container instead",
            ))
        return out

    def _check_start(self, ins):
        """(range, message, is a process manager) for a CMD/ENTRYPOINT that starts several services."""
        if ins.json is not None:
            argv = ins.json
            if not argv:
                return None
            if basename(argv[0]) in _SHELLS and len(argv) >= 3 and argv[1].startswith("-") and "c" in argv[1]:
                found = _analyse(parse_shell(argv[2]).commands)
                return (ins.words[2].range, found[0], found[1]) if found else None
            program = basename(argv[0])
            if program in _SUPERVISORS or argv[0] in _INIT_PATHS:
                return ins.words[0].range, _supervisor_message(program), True
            return None
        found = _analyse(self.ctx.shell(ins).commands)
        if not found:
            return None
        message, supervisor, first, last = found
        return self.ctx.shell_range(ins, first.start, last.end), message, supervisor


def _supervisor_message(program: str) -> str:
    return f"runs the process manager `{program}`: several services in one container; run one service per container"


def _analyse(commands):
    """(message, is a process manager, first command, last command) when ``commands`` start
    several services."""
    commands = [c for c in commands if not any(k in ("$(", "`", "<(", ">(") for k in c.context)]
    runs = [c.unwrapped() for c in commands]
    for cmd, run in zip(commands, runs):
        if run.program in _SUPERVISORS or (run.words and run.words[0].value in _INIT_PATHS):
            return _supervisor_message(run.program), True, cmd, cmd
    services: list[tuple[object, str]] = []  # (command, label)
    for i, (cmd, run) in enumerate(zip(commands, runs)):
        program = run.program
        if not program:
            continue
        if i == len(commands) - 1:
            if services and (program not in _NOT_SERVICES or _keeps_alive(run)):
                services.append((cmd, program))
            break
        label = _service_started(run)
        if label is not None:
            services.append((cmd, label))
        elif commands[i + 1].separator_before == "&" and program not in _NOT_SERVICES:
            services.append((cmd, program))
        elif _forks(run):
            services.append((cmd, program))
    if len(services) < 2:
        return None
    names = [label for _, label in services]
    if _keeps_alive(services[-1][0].unwrapped()):
        fg = names[-1]
        message = (f"starts {', '.join(f'`{n}`' for n in names[:-1])} in the background and keeps the container "
                   f"alive with `{fg}`: Docker watches `{fg}`, not the service; run the service in the foreground")
    else:
        message = (f"starts several long-running processes in one container ({', '.join(f'`{n}`' for n in names)}); "
                   "run one service per container")
    return message, False, services[0][0], services[-1][0]


def _keeps_alive(run) -> bool:
    if run.program == "tail":
        return run.has_any_flag("-f", "-F", "--follow")
    if run.program == "sleep":
        return any(w.value in ("infinity", "inf") or (w.value.isdigit() and len(w.value) >= 4) for w in run.args)
    return False


def _service_started(run) -> str | None:
    """The service a ``service x start``-like command starts in the background."""
    words = [w.value for w in run.words]
    if not words:
        return None
    program = basename(words[0])
    if program in ("service", "rc-service", "invoke-rc.d") and len(words) >= 3 and words[2] in ("start", "restart"):
        return words[1]
    if words[0].startswith("/etc/init.d/") and len(words) >= 2 and words[1] in ("start", "restart"):
        return program
    if program == "systemctl" and len(words) >= 3 and words[1] in ("start", "restart"):
        return words[2]
    return None


def _forks(run) -> bool:
    program = run.program or ""
    if program in _FORKING:
        return True
    key = "php-fpm" if _PHP_FPM.match(program) else program
    flags = _FORK_FLAGS.get(key)
    if not flags:
        return False
    if key in ("redis-server",):
        return any(w.value == "yes" for w in run.args) and run.has_any_flag(*flags)
    return run.has_any_flag(*flags)
