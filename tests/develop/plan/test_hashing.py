

def test_build_change_names_the_inputs_that_differ():
    from dockerls.develop.plan.hashing import build_change, decode_parts, encode_parts

    old = {"dockerfile": "a", "args": "b", "target": "", "where": "w", "context": "c1"}
    assert decode_parts(encode_parts(old)) == old
    assert build_change(old, {**old, "context": "c2"}, ["requirements.txt"]) == \
        "requirements.txt in the build context changed"
    assert build_change(old, {**old, "context": "c2"}, None) == "the build context changed"
    assert build_change(old, {**old, "dockerfile": "x", "args": "y"}, None) == \
        "the Dockerfile and the build args changed"
    assert build_change(None, old, None).startswith("the image was built by an older dockerls")


def test_config_change_names_the_fields():
    from dockerls.develop.plan.hashing import config_change

    assert config_change({"mounts": "1", "user": "2"}, {"mounts": "3", "user": "2"}) == "mounts"
    assert config_change(None, {"mounts": "1"}) == ""
