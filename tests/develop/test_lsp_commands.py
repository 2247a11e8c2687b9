"""The develop commands through the language server: workspace/executeCommand with
server-initiated work-done progress, the result as `dockerls develop --json` prints it."""

import asyncio
import json
import re
import sys
import time
import uuid

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.engine.engine_fixtures import TEST_LABELS

SERVER = [sys.executable, "-m", "dockerls", "serve"]
pytestmark = pytest.mark.asyncio


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, tmp_path_factory):
    workspace = tmp_path_factory.mktemp("dlstest")

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams):
        pass

    lsp_client.messages_asked = []  # window/showMessageRequest: the params; the answer is `message_answer`
    lsp_client.message_answer = None

    @lsp_client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    def show_message_request(params: types.ShowMessageRequestParams):
        lsp_client.messages_asked.append(params)
        return lsp_client.message_answer

    params = types.InitializeParams(capabilities=client_capabilities("visual-studio-code"),
                                    root_uri=workspace.as_uri(),
                                    workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="w")])
    result = await lsp_client.initialize_session(params)
    lsp_client.workspace = workspace
    lsp_client.init_result = result
    yield
    await lsp_client.shutdown_session()


async def test_commands_are_advertised(client):
    commands = client.init_result.capabilities.execute_command_provider.commands
    assert {"dockerls.develop", "dockerls.build", "dockerls.rebuild", "dockerls.down", "dockerls.logs"} <= set(commands)


async def test_develop_and_down_with_progress(client, engine, base_image):
    workspace = client.workspace
    (workspace / ".devcontainer").mkdir()
    # the test label comes through runArgs: the server builds its own DevelopOptions
    label = ",".join(f"{k}={v}" for k, v in TEST_LABELS.items())
    (workspace / ".devcontainer" / "devcontainer.json").write_text(json.dumps(
        {"image": base_image, "runArgs": ["--label", label], "postCreateCommand": "echo created-by-lsp"}))
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="dockerls.develop", arguments=[{"folder": str(workspace)}]))
    assert result["outcome"] == "success", result
    assert result["remoteWorkspaceFolder"] == f"/workspaces/{workspace.name}"
    assert engine.api.inspect_container(result["containerId"])["State"]["Running"]
    reports = [r for values in client.progress_reports.values() for r in values]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    assert any(isinstance(r, types.WorkDoneProgressReport) and r.percentage for r in reports)
    assert any("created-by-lsp" in m.message for m in client.log_messages)

    again = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="dockerls.develop"))
    assert again["action"] == "reused"  # no arguments: the workspace folder

    down = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="dockerls.down", arguments=[{"folder": str(workspace)}]))
    assert down["outcome"] == "success" and len(down["containers"]) == 1


async def test_buildkit_build_steps_reported_in_order(client, engine, base_image):
    """A Dockerfile build over LSP: the $/progress reports name the BuildKit steps in Dockerfile
    order, the percentage never goes back, begin comes first and end last."""
    workspace = client.workspace
    (workspace / ".devcontainer").mkdir()
    (workspace / "hello.txt").write_text("hi")
    run = f"RUN echo built-$(cat hello.txt)-{uuid.uuid4().hex}"  # new each time: not from an earlier cache
    (workspace / ".devcontainer" / "Dockerfile").write_text(f"FROM {base_image}\nWORKDIR /app\nCOPY hello.txt .\n{run}\n")
    label = ",".join(f"{k}={v}" for k, v in TEST_LABELS.items())
    (workspace / ".devcontainer" / "devcontainer.json").write_text(json.dumps(
        {"build": {"dockerfile": "Dockerfile", "context": ".."}, "runArgs": ["--label", label]}))
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="dockerls.develop", arguments=[{"folder": str(workspace)}]))
    assert result["outcome"] == "success", result
    [token] = [t for t, values in client.progress_reports.items() if values]
    reports = client.progress_reports[token]
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    middle = reports[1:-1]
    assert all(isinstance(r, types.WorkDoneProgressReport) for r in middle)
    messages = [r.message or "" for r in middle]
    percents = [r.percentage for r in middle]
    assert None not in percents and percents == sorted(percents), list(zip(messages, percents))
    started: list[str] = []  # the Dockerfile's steps as they are first reported
    first_step = last_step = -1
    for i, message in enumerate(messages):
        name = message.removesuffix(" CACHED")  # a step the engine had cached is reported so
        if re.match(r"\[\d+/\d+\] ", name) and name not in started:
            started.append(name)
            first_step = i if first_step < 0 else first_step
            last_step = i
    building = next(i for i, m in enumerate(messages) if m.startswith("Building ") and m.endswith(" with BuildKit"))
    built = next(i for i, m in enumerate(messages) if m.startswith("Built ") and " with BuildKit in " in m)
    assert building < first_step and last_step < built, messages
    assert started == [f"[1/4] FROM docker.io/library/{base_image}", "[2/4] WORKDIR /app",
                       "[3/4] COPY hello.txt .", f"[4/4] {run}"]
    assert any("built-hi-" in m.message for m in client.log_messages)  # the RUN step's output
    down = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="dockerls.down", arguments=[{"folder": str(workspace)}]))
    assert down["outcome"] == "success"


async def test_code_lens_offers_develop(client):
    path = client.workspace / "Dockerfile"
    path.write_text("FROM busybox\n")
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="dockerfile", version=1, text="FROM busybox\n")))
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri())))
    assert [(lens.command.command, list(lens.command.arguments)) for lens in lenses] == [
        ("dockerls.develop", [{"folder": str(client.workspace)}])]


async def test_failed_build_step_is_a_diagnostic_at_its_line(client, engine, base_image):
    workspace = client.workspace
    text = f"FROM {base_image}\nRUN echo ok\nRUN echo the-last-words && exit 3\n"
    (workspace / "Dockerfile").write_text(text)
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="dockerls.build", arguments=[{"folder": str(workspace)}]))
    assert result["outcome"] == "error"
    assert result["failedStep"]["line"] == 3 and result["failedStep"]["exitCode"] == 3
    uri = (workspace / "Dockerfile").as_uri()
    build = [d for d in client.diagnostics[uri] if d.source == "dockerls build"]
    assert [d.range.start.line for d in build] == [2]
    assert "the-last-words" in build[0].message


async def test_failed_build_step_clears_on_the_next_successful_build(client, engine, base_image):
    workspace = client.workspace
    dockerfile = workspace / "Dockerfile"
    dockerfile.write_text(f"FROM {base_image}\nRUN test -e /tmp/flag-from-the-context\n")
    build = [{"folder": str(workspace)}]
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="dockerls.build", arguments=build))
    assert result["outcome"] == "error"
    uri = dockerfile.as_uri()
    assert [d.range.start.line for d in client.diagnostics[uri] if d.source == "dockerls build"] == [1]
    # fixed without touching the Dockerfile (as a fixed network or a copied file would be): rebuilt
    dockerfile.write_text(f"FROM {base_image}\nRUN true\n")
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="dockerls.build", arguments=build))
    assert result["outcome"] == "success", result
    assert [d for d in client.diagnostics[uri] if d.source == "dockerls build"] == []


async def test_progress_on_the_clients_token_and_the_running_message(client, engine, base_image):
    """The client's workDoneToken carries begin / steps with percentages / end (no token of the
    server's own); then a message says the container runs, and its "Stop" action removes it."""
    workspace = client.workspace
    (workspace / ".devcontainer").mkdir()
    label = ",".join(f"{k}={v}" for k, v in TEST_LABELS.items())
    (workspace / ".devcontainer" / "devcontainer.json").write_text(json.dumps(
        {"image": base_image, "runArgs": ["--label", label]}))
    asked = client.messages_asked
    client.progress_reports["the-clients-token"] = []  # a token the client made
    client.message_answer = types.MessageActionItem(title="Stop")
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="dockerls.develop", arguments=[workspace.as_uri()], work_done_token="the-clients-token"))
    assert result["outcome"] == "success", result
    assert [t for t, values in client.progress_reports.items() if values] == ["the-clients-token"]
    reports = client.progress_reports["the-clients-token"]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    steps = [r for r in reports[1:-1] if isinstance(r, types.WorkDoneProgressReport)]
    assert any(r.message and r.percentage for r in steps), steps
    for _ in range(100):  # the message is sent after the result; "Stop" runs dockerls.down
        if asked and not engine.api.containers(all=True, filters={"id": result["containerId"]}):
            break
        await asyncio.sleep(0.1)
    assert [a.title for a in asked[0].actions] == ["Show logs", "Stop"]
    assert "is running" in asked[0].message
    assert not engine.api.containers(all=True, filters={"id": result["containerId"]})


async def test_the_running_message_comes_once_wait_for_has_run(client, engine, base_image):
    """waitFor (default updateContentCommand): the container is said to run while postCreateCommand
    still does; the command's result comes after it."""
    workspace = client.workspace
    (workspace / ".devcontainer").mkdir()
    label = ",".join(f"{k}={v}" for k, v in TEST_LABELS.items())
    (workspace / ".devcontainer" / "devcontainer.json").write_text(json.dumps({
        "image": base_image, "runArgs": ["--label", label], "onCreateCommand": "echo created",
        "postCreateCommand": "sleep 3"}))
    asked = client.messages_asked
    request = asyncio.ensure_future(client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="dockerls.develop", arguments=[{"folder": str(workspace)}])))
    for _ in range(300):
        if asked:
            break
        await asyncio.sleep(0.05)
    assert not request.done(), "the message came after the result"
    assert "is running (postCreateCommand still running)" in asked[0].message
    result = await asyncio.wait_for(request, 30)
    assert result["outcome"] == "success", result
    assert len(asked) == 1  # said once
    assert any("Ready (waitFor: updateContentCommand)" in m.message for m in client.log_messages)


async def test_cancel_stops_the_build_mid_step(client, engine, base_image):
    """window/workDoneProgress/cancel on the client's token during a `sleep 20` RUN: the build
    stops within seconds and leaves no container and no image."""
    workspace = client.workspace
    marker = uuid.uuid4().hex  # a new step each time: never from the cache
    (workspace / "Dockerfile").write_text(f"FROM {base_image}\nRUN echo sleeping-{marker} && sleep 20\n")
    containers = len(engine.api.containers(all=True))
    images = len(engine.api.images(all=True))
    client.progress_reports["cancel-me"] = []  # a token the client made
    started = time.monotonic()
    request = asyncio.ensure_future(client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="dockerls.develop", arguments=[{"folder": str(workspace)}], work_done_token="cancel-me")))
    for _ in range(300):
        if any(f"sleeping-{marker}" in m.message for m in client.log_messages):
            break
        await asyncio.sleep(0.1)
    else:
        pytest.fail("the RUN step did not start")
    cancelled_at = time.monotonic()
    client.protocol.notify(types.WINDOW_WORK_DONE_PROGRESS_CANCEL, types.WorkDoneProgressCancelParams(token="cancel-me"))
    result = await asyncio.wait_for(request, 15)
    assert time.monotonic() - cancelled_at < 8 and time.monotonic() - started < 20
    assert result["outcome"] == "cancelled", result
    assert isinstance(client.progress_reports["cancel-me"][-1], types.WorkDoneProgressEnd)
    for _ in range(50):  # BuildKit's step container goes once the engine sees the client gone
        if len(engine.api.containers(all=True)) == containers:
            break
        await asyncio.sleep(0.1)
    assert len(engine.api.containers(all=True)) == containers
    assert len(engine.api.images(all=True)) == images
