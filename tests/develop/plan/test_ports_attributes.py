"""portsAttributes / otherPortsAttributes: labels where develop reports forwarded ports, and which
local port a bind error names."""

import json

from dockerls.develop.plan.ports import attributes_of, busy_port, describe_forwarded, forwarded_ports
from dockerls.develop.plan.workspace import make_plan

ATTRIBUTES = {"3000": {"label": "Web app", "requireLocalPort": True}, "9000-9002": {"label": "Workers"},
              "^node": {"label": "a process's command line: for editors"}}


def test_a_port_s_attributes_by_number_or_range_else_the_others():
    assert attributes_of(3000, ATTRIBUTES)["label"] == "Web app"
    assert attributes_of(9001, ATTRIBUTES)["label"] == "Workers"
    assert attributes_of(9003, ATTRIBUTES, {"label": "other"}) == {"label": "other"}
    assert attributes_of(8080, ATTRIBUTES) == {}


def test_forwarded_ports_say_where_with_their_label():
    published = {"3000/tcp": [{"HostIp": "127.0.0.1", "HostPort": "3000"}],
                 "5432/tcp": [{"HostIp": "127.0.0.1", "HostPort": "49153"}], "8080/tcp": None}
    found = forwarded_ports([3000, 5432, 8080], published, ATTRIBUTES)
    assert found == [{"port": 3000, "host": "127.0.0.1:3000", "label": "Web app"},
                     {"port": 5432, "host": "127.0.0.1:49153"}]
    assert [describe_forwarded(item) for item in found] == ["3000 (Web app) → 127.0.0.1:3000",
                                                           "5432 → 127.0.0.1:49153"]


def test_the_port_a_bind_error_names():
    userland = ("cannot start the container x: driver failed programming external connectivity on endpoint x: "
                "Error starting userland proxy: listen tcp4 127.0.0.1:3000: bind: address already in use")
    allocated = "Bind for 127.0.0.1:30000 failed: port is already allocated"
    assert busy_port(userland, [300, 3000]) == 3000
    assert busy_port(allocated, [3000, 30000]) == 30000
    assert busy_port("cannot start the container x: no such image", [3000]) is None


def test_the_plan_keeps_the_attributes_and_the_forwarded_container_ports(tmp_path):
    path = tmp_path / ".devcontainer" / "devcontainer.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"image": "x", "forwardPorts": [3000, "db:5432"], "portsAttributes": ATTRIBUTES,
                                "otherPortsAttributes": {"onAutoForward": "ignore"}}))
    plan = make_plan(str(tmp_path))
    assert plan.forward_container_ports == [3000]
    assert plan.ports_attributes == ATTRIBUTES and plan.other_ports_attributes == {"onAutoForward": "ignore"}
    assert not any(p.key in ("portsAttributes", "otherPortsAttributes") for p in plan.problems)
    # ports that only have attributes are not published: dockerls forwards forwardPorts alone
    assert [b.container_port for b in plan.main_container.ports] == [3000]
