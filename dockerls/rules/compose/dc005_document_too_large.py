from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class DocumentTooLarge(ProblemRule):
    """The document is too large to check: over 200,000 values, or aliases that expand it by more
    than 100,000.

    ## Why
    An anchor referring to anchors that refer to anchors ("billion laughs") multiplies at each
    level: a file of a few hundred bytes expands to billions of values and exhausts the memory of
    any tool that walks it.  A real project, even with hundreds of services, has a few tens of
    thousands of values.  dockerls stops reading such a file rather than hang.

    ## Example
    ```yaml
    a: &a [x, x, x, x, x, x, x, x, x, x]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    # ... and so on
    ```

    ## Fix
    Remove the nested aliases (share settings with one level of `x-` anchors and `<<`), or split
    a generated file.
    """

    code = problems.TOO_LARGE
    name = "document-too-large"
    severity = ERROR
