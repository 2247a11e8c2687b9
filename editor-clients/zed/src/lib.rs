//! The dockerls language server in Zed: `dockerls serve` (stdio) from `lsp.dockerls.binary`, the
//! worktree's `.venv/bin/dockerls`, or `dockerls` on the shell's PATH; the `lsp.dockerls.settings`
//! object is the `dockerls` settings section (initializationOptions and workspace/configuration).

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

struct Dockerls;

const INSTALL_HINT: &str = "dockerls was not found: install it (pipx install dockerls-tools), \
     or set lsp.dockerls.binary.path in Zed's settings";

fn settings_section(id: &LanguageServerId, worktree: &zed::Worktree) -> serde_json::Value {
    let settings = LspSettings::for_worktree(id.as_ref(), worktree)
        .ok()
        .and_then(|s| s.settings)
        .unwrap_or_else(|| serde_json::json!({}));
    serde_json::json!({ "dockerls": settings })
}

impl zed::Extension for Dockerls {
    fn new() -> Self {
        Dockerls
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.binary);
        let configured = binary.as_ref().and_then(|b| b.path.clone());
        // pip writes .venv/bin/dockerls as a text file: readable means it is there
        let venv = format!("{}/.venv/bin/dockerls", worktree.root_path());
        let in_venv = worktree
            .read_text_file(".venv/bin/dockerls")
            .ok()
            .map(|_| venv);
        let command = configured
            .or(in_venv)
            .or_else(|| worktree.which("dockerls"))
            .ok_or_else(|| INSTALL_HINT.to_string())?;
        let args = binary
            .and_then(|b| b.arguments)
            .unwrap_or_else(|| vec!["serve".to_string()]);
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Some(settings_section(id, worktree)))
    }

    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Some(settings_section(id, worktree)))
    }
}

zed::register_extension!(Dockerls);
