"""The develop commands through the language server: workspace/executeCommand with
server-initiated work-done progress, the result as `dockerls develop --json` prints it."""

import json
import sys

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
