//! 应用超市: the catalogue by category, with search; each app with its source, version and
//! signer, and locked apps with the reason. 安装应用包 installs a pack from a file.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{fill, t};
use crate::ipc::{self, Filter};
use crate::{Screen, ctx};
use wenshu_api::command;
use wenshu_api::{AppInfo, AppStatus};

/// Where an app comes from, in words.
pub fn source_label(source: &str) -> &'static str {
    match source {
        "builtin" => t().source_builtin,
        "managed" => t().source_managed,
        _ => t().source_user,
    }
}

/// Whether a built-in screen runs `app`: the built-in apps of the engine's own capabilities.
/// Every other app (a pack IT pushes, one installed here, an app with its own form) opens in
/// the app runner.
pub fn has_own_screen(app: &AppInfo) -> bool {
    app.source == "builtin"
        && (app.id.starts_with("draft.")
            || ["check", "kb", "chat", "minutes", "summary"].contains(&app.id.as_str()))
}

/// Whether `app` matches the search `query` (name, category or description).
pub fn matches(app: &AppInfo, query: &str) -> bool {
    let q = query.trim();
    q.is_empty()
        || q.split_whitespace().all(|word| {
            app.name.contains(word) || app.category.contains(word) || app.description.contains(word)
        })
}

/// Opens an app in the screen that runs it.
pub fn open(app: &AppInfo) {
    let ctx = ctx();
    if !has_own_screen(app) {
        ctx.open_app.set(Some(app.id.clone()));
        ctx.screen.set(Screen::App);
        return;
    }
    match app.runner.as_str() {
        "draft" => {
            ctx.draft_app.set(Some(app.id.clone()));
            ctx.screen.set(Screen::Draft);
        }
        "check" => ctx.screen.set(Screen::Check),
        "answer" => ctx.screen.set(Screen::Kb),
        "minutes" => ctx.screen.set(Screen::Minutes),
        "summary" => ctx.screen.set(Screen::Summary),
        _ => ctx.screen.set(Screen::Chat),
    }
}

#[component]
pub fn Home() -> impl IntoView {
    let ctx = ctx();
    let query = RwSignal::new(String::new());
    let shown = move || {
        let q = query.get();
        ctx.apps.with(|apps| {
            apps.iter()
                .filter(|a| matches(a, &q))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let pack_path = RwSignal::new(String::new());
    let installing = RwSignal::new(false);
    let install = move |update: bool| {
        let path = pack_path.get_untracked();
        if path.trim().is_empty() || installing.get_untracked() {
            return;
        }
        installing.set(true);
        spawn_local(async move {
            let result = ipc::invoke(&command::InstallPack {
                path: path.trim().to_string(),
                update,
            })
            .await;
            installing.set(false);
            match result {
                Ok(change) => {
                    ctx.ok(fill(
                        t().pack_installed,
                        &[("name", change.pack.name), ("version", change.pack.version)],
                    ));
                    pack_path.set(String::new());
                    ctx.refresh_apps();
                }
                Err(f) => ctx.fail(&f),
            }
        });
    };
    let browse = move |_| {
        spawn_local(async move {
            let filters = [Filter {
                name: t().filter_packs,
                extensions: &["wpk", "zip"],
            }];
            match ipc::pick_open(&filters, false, false).await {
                Ok(files) => {
                    if let Some(first) = files.into_iter().next() {
                        pack_path.set(first);
                    }
                }
                Err(f) => ctx.fail(&f),
            }
        });
    };
    view! {
        <header class="screen-head">
            <h1>{t().home_title}</h1>
            <input
                id="app-search"
                type="search"
                placeholder=t().home_search
                aria-label=t().home_search
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <span class="muted">{move || fill(t().home_count, &[("n", shown().len().to_string())])}</span>
        </header>
        <div class="row pack-install">
            <label for="pack-path">{t().pack_path}</label>
            <input
                id="pack-path"
                type="text"
                prop:value=move || pack_path.get()
                on:input=move |ev| pack_path.set(event_target_value(&ev))
            />
            <button id="pack-browse" on:click=browse>{t().pack_browse}</button>
            <button id="pack-install" class="primary" disabled=move || installing.get() on:click=move |_| install(false)>
                {t().pack_install}
            </button>
            <button id="pack-update" disabled=move || installing.get() on:click=move |_| install(true)>
                {t().pack_update}
            </button>
        </div>
        {move || {
            let apps = shown();
            if apps.is_empty() {
                return view! { <p class="muted">{t().home_none}</p> }.into_any();
            }
            let mut categories: Vec<String> = Vec::new();
            for a in &apps {
                if !categories.contains(&a.category) {
                    categories.push(a.category.clone());
                }
            }
            categories
                .into_iter()
                .map(|category| {
                    let cards = apps
                        .iter()
                        .filter(|a| a.category == category)
                        .map(|app| {
                            let locked = match &app.status {
                                AppStatus::Locked { reason } => Some(reason.clone()),
                                AppStatus::Available => None,
                            };
                            let is_locked = locked.is_some();
                            let reason = locked.clone().unwrap_or_default();
                            let id = format!("app-{}", app.id.replace('.', "-"));
                            let open_app = app.clone();
                            view! {
                                <button
                                    class="card"
                                    id=id
                                    disabled=is_locked
                                    title=reason
                                    on:click=move |_| open(&open_app)
                                >
                                    <div class="card-name">{app.name.clone()}</div>
                                    <div class="card-desc">{app.description.clone()}</div>
                                    <div class="card-meta">
                                        <span class="card-source">{source_label(&app.source)}</span>
                                        <span>{fill(t().home_version, &[("version", app.version.clone())])}</span>
                                        {app.signer.clone().map(|s| view! { <span class="card-signer">{fill(t().home_signed, &[("signer", s)])}</span> })}
                                    </div>
                                    {locked.map(|r| view! { <div class="card-locked">{format!("{}：{r}", t().locked)}</div> })}
                                </button>
                            }
                        })
                        .collect_view();
                    view! {
                        <h2 class="category">{category}</h2>
                        <div class="cards">{cards}</div>
                    }
                })
                .collect_view()
                .into_any()
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(name: &str, category: &str, description: &str) -> AppInfo {
        AppInfo {
            id: name.into(),
            name: name.into(),
            category: category.into(),
            description: description.into(),
            runner: "draft".into(),
            source: "builtin".into(),
            fields: Vec::new(),
            status: AppStatus::Available,
            version: "1.0.0".into(),
            signer: None,
            output: "docx".into(),
            level: "内部".into(),
        }
    }

    #[test]
    fn search_looks_at_name_category_and_description_word_by_word() {
        let a = app(
            "通知起草",
            "公文写作",
            "适用于发布、传达要求下级机关执行的事项。",
        );
        assert!(matches(&a, ""));
        assert!(matches(&a, "通知"));
        assert!(matches(&a, "公文 下级"));
        assert!(!matches(&a, "通知 知识库"));
    }
}
