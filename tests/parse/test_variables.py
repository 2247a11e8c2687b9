from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.parse.dockerfile.scope import resolve, variables_at
from dockerls.parse.dockerfile.variables import expand, find_refs


def test_find_refs_forms_and_positions():
    text = "$A ${B} ${C:-def} ${D:+alt} \\$E '$F' ${G:-${H}}"
    refs = find_refs(text)
    assert [r.name for r in refs] == ["A", "B", "C", "D", "G", "H"]
    c = refs[2]
    assert (c.operator, c.word) == (":-", "def")
    assert text[c.start : c.end] == "${C:-def}" and text[c.name_start : c.name_end] == "C"


def test_expand_modifiers():
    env = {"SET": "x", "EMPTY": ""}
    assert expand("${SET:-d} ${UNSET:-d} ${EMPTY:-d} ${EMPTY-d}", env) == "x d d "
    assert expand("${SET:+a} ${UNSET:+a} ${EMPTY+a}", env) == "a  a"
    assert expand("$SET/${UNSET}", env) == "x/"
    assert expand("${UNSET:-${SET}}", env) == "x"


def test_arg_scoping_and_env_inheritance():
    df = parse_dockerfile(
        "ARG BASE=alpine\nARG VERSION=3.20\nFROM ${BASE}:${VERSION} AS one\nARG VERSION\nENV HOME_DIR=/home/$VERSION\n"
        "RUN echo\nFROM one\nRUN echo\nFROM alpine:3.20\nRUN echo\n")
    from_ = df.instructions[2]
    assert resolve(df, from_, from_.args_text) == "alpine:3.20 AS one"
    run1 = df.instructions[5]
    scope = variables_at(df, run1)
    assert scope["VERSION"].value == "3.20" and scope["HOME_DIR"].value == "/home/3.20"
    assert "BASE" not in scope  # a global ARG is not visible in a stage unless declared again
    run2 = df.instructions[7]
    assert set(variables_at(df, run2)) == {"HOME_DIR"}  # ENV is inherited from the parent stage, ARG is not
    assert variables_at(df, df.instructions[9]) == {}
