//! Tauri's build step, with the app's own commands declared so that the capability file can
//! allow exactly these and nothing more.

const COMMANDS: &[&str] = &[
    "apps",
    "cancel",
    "draft",
    "review_text",
    "fix_text",
    "check_file",
    "export_text",
    "kb_add",
    "kb_list",
    "kb_remove",
    "kb_search",
    "kb_stats",
    "ask_kb",
    "chat_send",
    "history",
    "conversation",
    "audit",
    "export_audit",
    "usage",
    "settings",
    "set_setting",
    "models",
    "import_model",
    "use_model",
    "status",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    if let Err(err) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        panic!("tauri build step failed: {err:#}");
    }
}
