from __future__ import annotations

from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of
from dockerls.rules.dockerfile._practices import tool
from dockerls.shell import positional_words


class BuildTimeDatabaseMigration(Rule):
    """A RUN migrates or seeds a database: the build has no database to talk to.

    ## Why
    An image is built once and run in many places: on a laptop, in CI, in staging, in production,
    each with its own database.  A build step has none of them: no network path to the database, no
    credentials (they must not be baked into the image), and no idea which environment the image is
    for.  `python manage.py migrate`, `rails db:migrate`, `alembic upgrade head`, `prisma migrate
    deploy`... in a RUN either fail the build, or worse, migrate whatever database the build
    machine happens to reach, once, at build time instead of at each deployment.  The result is
    also cached: the next build skips the migration entirely.

    Detected through the usual runners and interpreters: `python -m`, `bundle exec`, `npx`,
    `poetry run`, `php artisan`, `bin/rails`, `sh -c "..."`.  Also inside `ONBUILD RUN`.

    ## Example
    ```Dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install -r requirements.txt && python manage.py migrate
    CMD ["gunicorn", "mysite.wsgi"]
    ```

    ## Fix
    Run migrations when the application is deployed, where the database and its credentials are:
    in the entrypoint before starting the server (`python manage.py migrate && exec gunicorn ...`),
    as a release step of the platform (Heroku `release`, a Kubernetes `Job` or init container, a
    Compose service that runs once), or from the CI/CD pipeline.  There is no quick fix.
    """

    code = "DF105"
    name = "build-time-database-migration"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        out = []
        for cmd in self.ctx.shell(run).commands:
            what = migration(cmd)
            if what:
                out.append(self.finding(
                    self.ctx.shell_range(run, cmd.start, cmd.end),
                    f"`{what}` needs the database at build time; run migrations when the container is "
                    "deployed (entrypoint or release step), not in the image build",
                ))
        return out


def _first(args) -> str | None:
    pos = positional_words(args)
    return pos[0].value if pos else None


def _second(args) -> str | None:
    pos = positional_words(args)
    return pos[1].value if len(pos) > 1 else None


_RAILS_SAFE = frozenset({"db:schema:dump", "db:structure:dump", "db:system:change", "db:encryption:init"})
_GOOSE = frozenset({"up", "up-by-one", "up-to", "down", "down-to", "redo", "reset", "status", "fix"})
_MIGRATE = frozenset({"up", "down", "goto", "force", "drop"})
_FLYWAY = frozenset({"migrate", "clean", "baseline", "repair", "validate", "undo", "info"})


# First words worth a closer look: the tools, their runners, interpreters and command wrappers.
_CANDIDATES = frozenset({
    "manage.py", "django-admin", "rails", "rake", "alembic", "flask", "flyway", "liquibase", "prisma",
    "sequelize", "sequelize-cli", "knex", "artisan", "console", "goose", "migrate", "typeorm", "dotnet", "mix",
    "diesel", "sqlx", "dbmate", "atlas", "npm", "pnpm", "yarn", "bun", "npx", "pnpx", "bunx", "uvx", "pipx",
    "bundle", "poetry", "pipenv", "uv", "pdm", "hatch", "rye", "php", "node", "ruby",
    "sudo", "doas", "env", "nice", "time", "exec", "command", "nohup", "stdbuf", "xargs",
})


def migration(cmd) -> str | None:
    """A short label of the database migration ``cmd`` runs, or None."""
    program = cmd.program
    if program is None or (program not in _CANDIDATES and not program.startswith(("python", "typeorm"))):
        return None
    found = tool(cmd)
    if found is None:
        return None
    name, args = found
    first = _first(args)
    if first is None:
        return None
    second = _second(args)
    values = [a.value for a in args]
    if name in ("manage.py", "django-admin") and first in ("migrate", "flush", "loaddata", "createsuperuser"):
        return f"{name} {first}"
    if name in ("rails", "rake"):
        tasks = [v for v in values if v.startswith("db:") and v not in _RAILS_SAFE]
        return f"{name} {tasks[0]}" if tasks else None
    if name == "alembic" and first in ("upgrade", "downgrade", "stamp"):
        return f"alembic {first}"
    if name == "flask" and first == "db" and second in ("upgrade", "downgrade", "migrate", "stamp"):
        return f"flask db {second}"
    if name == "flyway" and first in _FLYWAY:
        return f"flyway {first}"
    if name == "liquibase" and (first.startswith(("update", "rollback")) or first in ("drop-all", "dropAll")):
        return f"liquibase {first}"
    if name == "prisma" and ((first == "migrate" and second in ("deploy", "dev", "reset", "resolve"))
                             or (first == "db" and second in ("push", "seed", "execute"))):
        return f"prisma {first} {second}"
    if name in ("sequelize", "sequelize-cli") and first.startswith("db:"):
        return f"sequelize {first}"
    if name == "knex" and first.startswith(("migrate:", "seed:run")):
        return f"knex {first}"
    if name == "artisan" and (first.startswith("migrate") or first.startswith("db:")):
        return f"artisan {first}"
    if name == "console" and first.startswith(("doctrine:migrations:migrate", "doctrine:schema:update",
                                               "doctrine:database:create", "doctrine:fixtures:load")):
        return f"console {first}"
    if name == "goose" and any(v in _GOOSE for v in values):
        return "goose " + next(v for v in values if v in _GOOSE)
    if name == "migrate" and any(v.split("=", 1)[0] in ("-path", "-source", "-database") for v in values) \
            and any(v in _MIGRATE for v in values):
        return "migrate " + next(v for v in values if v in _MIGRATE)
    if name.startswith("typeorm") and first in ("migration:run", "schema:sync"):
        return f"typeorm {first}"
    if name == "dotnet" and first == "ef" and second == "database":
        return "dotnet ef database update"
    if name == "mix" and first in ("ecto.migrate", "ecto.setup", "ecto.create", "ecto.reset"):
        return f"mix {first}"
    if name in ("diesel", "sqlx") and ((first == "migration" and second == "run") or
                                       (first == "migrate" and second == "run") or
                                       (first == "database" and second in ("setup", "reset", "create"))):
        return f"{name} {first} {second}"
    if name == "dbmate" and first in ("up", "migrate", "create", "drop", "rollback"):
        return f"dbmate {first}"
    if name == "atlas" and first in ("migrate", "schema") and second == "apply":
        return f"atlas {first} apply"
    if name in ("npm", "pnpm", "yarn", "bun"):
        script = second if first in ("run", "run-script") else first if name != "npm" else None
        if script and "migrat" in script:
            return f"{name} {'run ' if first in ('run', 'run-script') else ''}{script}"
    return None
