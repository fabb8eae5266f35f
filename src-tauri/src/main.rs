//! Wenshu's desktop app: a Tauri 2 window around the Leptos UI in `ui/`. Every command is a
//! one-line delegation into `wenshu-app`, the API the terminal uses too. Errors cross as
//! `{code, message}`; long work streams its progress through a channel and can be cancelled by
//! its job number. The window loads only its own bundled pages.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;

fn main() {
    let offline = tauri::plugin::Builder::<tauri::Wry>::new("offline")
        .on_navigation(|_, url| commands::is_local(url))
        .build();
    let result = tauri::Builder::default()
        .plugin(offline)
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::Desktop::default())
        .invoke_handler(tauri::generate_handler![
            commands::apps,
            commands::cancel,
            commands::draft,
            commands::review_text,
            commands::fix_text,
            commands::check_file,
            commands::export_text,
            commands::kb_add,
            commands::kb_list,
            commands::kb_remove,
            commands::kb_search,
            commands::kb_stats,
            commands::ask_kb,
            commands::chat_send,
            commands::history,
            commands::conversation,
            commands::audit,
            commands::export_audit,
            commands::audit_verify,
            commands::audit_checkpoint,
            commands::quotas,
            commands::usage,
            commands::settings,
            commands::set_setting,
            commands::models,
            commands::import_model,
            commands::add_server,
            commands::use_model,
            commands::eval,
            commands::eval_history,
            commands::minutes,
            commands::summarize,
            commands::source_lines,
            commands::run_app,
            commands::packs,
            commands::install_pack,
            commands::remove_pack,
            commands::status,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("wenshu-desktop: {err}");
        std::process::exit(2);
    }
}
