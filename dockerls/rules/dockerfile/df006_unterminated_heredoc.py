from dockerls.parse.dockerfile import problems
from dockerls.rules.base import ERROR
from dockerls.rules.dockerfile._problem import ParseProblemRule


class UnterminatedHeredoc(ParseProblemRule):
    """A heredoc (`<<EOF`) whose terminating line never comes.

    ## Why
    Everything to the end of the file becomes the heredoc's body, so the instructions after it are
    silently swallowed.

    ## Example
    ```Dockerfile
    RUN <<EOF
    apt-get update
    CMD ["app"]
    ```

    ## Fix
    Add a line holding only the heredoc's name (`EOF`); with `<<-EOF` it may be indented by tabs.
    """

    code = problems.UNTERMINATED_HEREDOC
    name = "unterminated-heredoc"
    severity = ERROR
