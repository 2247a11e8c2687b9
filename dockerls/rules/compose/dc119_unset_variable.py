from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule


class UnsetVariable(ComposeRule):
    """`${VAR}` for a variable that is not set and has no default.

    ## Why
    Compose substitutes an empty string and warns ("The VAR variable is not set.  Defaulting to a
    blank string").  An empty image tag, port or password rarely works, and the failure shows up
    far from the cause.  Variables come from the environment Compose runs in and from the `.env`
    file beside the Compose file; dockerls looks at both.

    ## Example
    ```yaml
    services:
      web:
        image: example/web:${WEB_TAG}
    ```

    ## Fix
    Set the variable in `.env`, give a default (`${WEB_TAG:-2.1}`), or make it required with a
    message (`${WEB_TAG:?set WEB_TAG}`).
    """

    code = "DC119"
    name = "unset-variable"
    severity = WARNING

    def finish(self):
        for file in self.project.files:
            dotenv = file.env.dotenv.path if file.env.dotenv else None
            where = f"not in the environment nor in `{dotenv}`" if dotenv else \
                "not in the environment, and there is no `.env`"
            for ref in file.variables:
                if ref.use.missing:
                    yield self.report_span(file.doc, ref.start, ref.end, f"The variable `{ref.name}` is not set "
                                           f"({where}) and has no default: Compose substitutes an empty string")
