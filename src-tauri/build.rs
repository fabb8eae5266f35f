//! Tauri's build step. The app's own commands come from their one declaration in
//! `wenshu_api::command`: the capability's permission set (`permissions/app.toml`) is written
//! from it, so the window may call exactly these and nothing more.

use std::fmt::Write as _;

use wenshu_api::command::NAMES;

/// The permission set allowing every command, as `permissions/app.toml` holds it.
fn permission_set() -> String {
    let mut out = String::from(
        "# Written by build.rs from wenshu_api::command::NAMES; do not edit by hand.\n\
         # The window may call every command of the desktop shell; each is a one-line\n\
         # delegation into wenshu-app.\n\
         [[set]]\n\
         identifier = \"allow-app-commands\"\n\
         description = \"Every Wenshu command the UI calls.\"\n\
         permissions = [\n",
    );
    for name in NAMES {
        let _ = writeln!(out, "  \"allow-{}\",", name.replace('_', "-"));
    }
    out.push_str("]\n");
    out
}

fn main() {
    let set = permission_set();
    let path = std::path::Path::new("permissions/app.toml");
    // Written only when it changes, so that an unchanged tree does not rebuild.
    if std::fs::read_to_string(path).ok().as_deref() != Some(set.as_str())
        && let Err(err) = std::fs::write(path, &set)
    {
        panic!("cannot write {}: {err}", path.display());
    }
    println!("cargo:rerun-if-changed=permissions/app.toml");
    let manifest = tauri_build::AppManifest::new().commands(NAMES);
    if let Err(err) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        panic!("tauri build step failed: {err:#}");
    }
}
