//! 设置: importing and choosing a model, threads, GPU layers and the other settings; a setting
//! that a higher layer fixes is shown locked with its reason.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{fill, setting_label, t};
use crate::ipc::{self, Filter};
use crate::{Screen, ctx};
use wenshu_api::command;
use wenshu_api::{ModelInfo, SettingInfo};

/// The settings shown, in this order.
pub const SHOWN: &[&str] = &[
    "model.threads",
    "model.gpu_layers",
    "model.context_tokens",
    "generation.temperature",
    "generation.max_tokens",
    "draft.temperature",
    "kb.managed_packs",
    "ui.timezone",
];

/// A setting's value as the input shows it.
pub fn shown_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        // Settings are single precision: 0.7 arrives as 0.699999988…; show what was typed.
        serde_json::Value::Number(n) if n.is_f64() => {
            let v = n.as_f64().unwrap_or_default();
            let text = format!("{v:.4}");
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        other => other.to_string(),
    }
}

fn size(bytes: u64) -> String {
    format!("{:.2} GB", bytes as f64 / 1e9)
}

#[component]
pub fn SettingsScreen() -> impl IntoView {
    let ctx = ctx();
    let models = RwSignal::new(Vec::<ModelInfo>::new());
    let settings = RwSignal::new(Vec::<SettingInfo>::new());
    let importing = RwSignal::new(false);
    let model_path = RwSignal::new(String::new());
    let link = RwSignal::new(true);
    let server_name = RwSignal::new(String::new());
    let server_urls = RwSignal::new(String::new());
    let server_model = RwSignal::new(String::new());
    let server_ca = RwSignal::new(String::new());
    let server_key = RwSignal::new(String::new());
    let reload = move || {
        spawn_local(async move {
            match ipc::invoke(&command::Models {}).await {
                Ok(list) => models.set(list),
                Err(f) => ctx.fail(&f),
            }
            match ipc::invoke(&command::Settings {}).await {
                Ok(list) => settings.set(list),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    Effect::new(move |_| {
        if ctx.screen.get() == Screen::Settings {
            reload();
        }
    });
    let import = move |path: String| {
        if path.trim().is_empty() {
            return;
        }
        importing.set(true);
        spawn_local(async move {
            let args = command::ImportModel {
                path,
                link: link.get_untracked(),
            };
            let result = ipc::invoke(&args).await;
            importing.set(false);
            match result {
                Ok(m) => ctx.ok(format!("{}：{}", t().saved, m.name)),
                Err(f) => ctx.fail(&f),
            }
            reload();
            ctx.refresh_status();
        });
    };
    let browse = move |_| {
        spawn_local(async move {
            let filters = [Filter {
                name: "GGUF",
                extensions: &["gguf"],
            }];
            match ipc::pick_open(&filters, false, false).await {
                Ok(paths) => {
                    if let Some(p) = paths.into_iter().next() {
                        model_path.set(p.clone());
                        import(p);
                    }
                }
                Err(f) => ctx.fail(&f),
            }
        });
    };
    let add_server = move |_| {
        let optional = |s: RwSignal<String>| {
            let v = s.get_untracked().trim().to_string();
            (!v.is_empty()).then_some(v)
        };
        let args = command::AddServer {
            name: server_name.get_untracked().trim().to_string(),
            urls: server_urls
                .get_untracked()
                .split([',', '，', '\n', ' '])
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string)
                .collect(),
            model_id: optional(server_model),
            ca: optional(server_ca),
            key_file: optional(server_key),
        };
        importing.set(true);
        spawn_local(async move {
            let result = ipc::invoke(&args).await;
            importing.set(false);
            match result {
                Ok(m) => {
                    ctx.ok(format!("{}：{}", t().saved, m.name));
                    server_name.set(String::new());
                    server_urls.set(String::new());
                }
                Err(f) => ctx.fail(&f),
            }
            reload();
            ctx.refresh_status();
        });
    };
    let choose = move |name: String| {
        spawn_local(async move {
            match ipc::invoke(&command::UseModel { name }).await {
                Ok(_) => {
                    reload();
                    ctx.refresh_status();
                }
                Err(f) => ctx.fail(&f),
            }
        });
    };

    view! {
        <header class="screen-head">
            <h1>{t().settings_title}</h1>
        </header>
        <p class="policy" id="settings-policy">
            {move || match ctx.status.get().and_then(|s| s.policy) {
                Some(policy) => fill(t().policy_line, &[("policy", policy)]),
                None => t().policy_none.to_string(),
            }}
        </p>
        <h2>{t().models_title}</h2>
        <table class="models" id="models">
            <tbody>
                {move || {
                    models
                        .get()
                        .into_iter()
                        .map(|m| {
                            let name = m.name.clone();
                            let remote = m.backend != "local";
                            let place = if remote { m.urls.join(" → ") } else { m.path.clone() };
                            let (kind, params, bytes) = if remote {
                                (
                                    t().server_kind.to_string(),
                                    m.model_id.clone().unwrap_or_default(),
                                    format!("{} token", m.context_length),
                                )
                            } else {
                                (
                                    m.quantization.clone(),
                                    format!("{:.1}B", m.parameters as f64 / 1e9),
                                    size(m.file_size),
                                )
                            };
                            view! {
                                <tr class:server=remote>
                                    <td><strong>{m.name.clone()}</strong><div class="muted small-text">{place}</div></td>
                                    <td>{kind}</td>
                                    <td>{params}</td>
                                    <td>{bytes}</td>
                                    <td>
                                        {if m.active {
                                            view! { <span class="badge">{t().active}</span> }.into_any()
                                        } else {
                                            {
                                            let id = format!("use-model-{name}");
                                            view! { <button class="small" id=id on:click=move |_| choose(name.clone())>{t().use_model}</button> }.into_any()
                                        }
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
        <div class="row">
            <input
                id="model-path"
                type="text"
                placeholder="/path/to/model.gguf"
                aria-label=t().import_model
                prop:value=move || model_path.get()
                on:input=move |ev| model_path.set(event_target_value(&ev))
            />
            <button disabled=move || importing.get() on:click=move |_| import(model_path.get_untracked())>{t().add_path}</button>
            <button disabled=move || importing.get() on:click=browse>{t().import_model}</button>
        </div>
        <label class="check">
            <input
                type="checkbox"
                id="model-link"
                prop:checked=move || link.get()
                on:change=move |ev| link.set(event_target_checked(&ev))
            />
            {t().link_model}
        </label>
        <h2>{t().servers_title}</h2>
        <p class="muted small-text">{t().server_hint}</p>
        <div class="server-form" id="server-form">
            <input id="server-name" type="text" placeholder=t().server_name aria-label=t().server_name
                prop:value=move || server_name.get() on:input=move |ev| server_name.set(event_target_value(&ev))/>
            <input id="server-url" type="text" placeholder=t().server_urls aria-label=t().server_urls
                prop:value=move || server_urls.get() on:input=move |ev| server_urls.set(event_target_value(&ev))/>
            <input id="server-model-id" type="text" placeholder=t().server_model_id aria-label=t().server_model_id
                prop:value=move || server_model.get() on:input=move |ev| server_model.set(event_target_value(&ev))/>
            <input id="server-ca" type="text" placeholder=t().server_ca aria-label=t().server_ca
                prop:value=move || server_ca.get() on:input=move |ev| server_ca.set(event_target_value(&ev))/>
            <input id="server-key" type="text" placeholder=t().server_key aria-label=t().server_key
                prop:value=move || server_key.get() on:input=move |ev| server_key.set(event_target_value(&ev))/>
            <button id="server-add" disabled=move || importing.get() on:click=add_server>{t().server_add}</button>
        </div>
        <h2>{t().runtime_title}</h2>
        <div class="settings" id="settings">
            {move || {
                let all = settings.get();
                SHOWN
                    .iter()
                    .filter_map(|key| all.iter().find(|s| s.key == *key).cloned())
                    .map(|s| view! { <SettingRow setting=s/> })
                    .collect_view()
            }}
        </div>
    }
}

#[component]
fn SettingRow(setting: SettingInfo) -> impl IntoView {
    let ctx = ctx();
    let value = RwSignal::new(shown_value(&setting.value));
    let key = setting.key.clone();
    let id = format!("setting-{}", key.replace('.', "-"));
    let locked = setting.locked.clone();
    let is_locked = locked.is_some();
    let save = {
        let key = key.clone();
        move |_| {
            let key = key.clone();
            let v = value.get_untracked();
            spawn_local(async move {
                match ipc::invoke(&command::SetSetting { key, value: v }).await {
                    Ok(s) => {
                        if s.key == "ui.timezone" {
                            ctx.refresh_zone();
                        }
                        value.set(shown_value(&s.value));
                        ctx.ok(format!("{}：{}", t().saved, setting_label(&s.key)));
                    }
                    Err(f) => ctx.fail(&f),
                }
            });
        }
    };
    view! {
        <div class="setting" class:locked=is_locked>
            <label for=id.clone()>{setting_label(&key)}<span class="muted small-text">{format!(" {key}")}</span></label>
            <input
                id=id.clone()
                type="text"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                readonly=is_locked
                aria-readonly=is_locked.to_string()
            />
            <button id=format!("{id}-save") on:click=save>{t().save}</button>
            {locked.map(|r| view! { <div class="lock-reason">{fill(t().locked_because, &[("reason", r)])}</div> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_show_as_typed_and_every_shown_setting_has_a_label() {
        assert_eq!(shown_value(&json!(4)), "4");
        assert_eq!(shown_value(&json!(0.7)), "0.7");
        assert_eq!(shown_value(&json!(0.699_999_988_079_071_f64)), "0.7");
        assert_eq!(shown_value(&json!(1.0)), "1");
        assert_eq!(shown_value(&json!("packs")), "packs");
        for key in SHOWN {
            assert!(!setting_label(key).is_empty(), "{key}");
        }
    }
}
