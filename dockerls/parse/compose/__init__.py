"""The Compose model: YAML with the range of every key and value, interpolation and ``.env``,
merging of several files, ``include`` and ``extends``, and the Compose Specification schema.

Entry points: :func:`load_project` (a checked file and everything it brings in) and
:func:`parse_yaml` (one file's positioned tree).  Importing this package does not import
``jsonschema``: validation imports it only for a document that fails the fast check.
"""

from dockerls.parse.compose.model import (  # noqa: F401
    RESOURCE_KINDS,
    ComposeFile,
    ComposeProject,
    Resource,
    Service,
    VariableRef,
)
from dockerls.parse.compose.problems import Problem  # noqa: F401
from dockerls.parse.compose.project import load_project, project_files, read_file  # noqa: F401
from dockerls.parse.compose.yaml_tree import (  # noqa: F401
    Mapping,
    Node,
    Pair,
    Scalar,
    Sequence,
    YamlDocument,
    parse_yaml,
)
