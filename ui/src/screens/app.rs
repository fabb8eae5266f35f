//! Any app of the 应用超市 that has no screen of its own (packs IT pushes or a user installs,
//! 资产盘点, 项目监督, 党建材料): its form, built from its manifest, the model's text as it
//! comes, and the result, saved where the user asked.

use std::collections::BTreeMap;

use leptos::prelude::*;
use wenshu_api::command;
use wenshu_api::{AppInfo, AppResult, AppRun, FieldKind, Progress};

use crate::i18n::{fill, t};
use crate::job::Job;
use crate::text::missing;
use crate::widgets::FieldInput;
use crate::{Screen, ctx};

/// What a run gave, as text to read.
pub fn result_text(run: &AppRun) -> String {
    match &run.result {
        AppResult::Draft(draft) => draft.text.clone(),
        AppResult::Minutes(minutes) => minutes.markdown.clone(),
        AppResult::Summary(summary) => summary.markdown.clone(),
        AppResult::Answer(answer) => answer.text.clone(),
        AppResult::Chat(answer) => answer.text.clone(),
        AppResult::Check(report) => report
            .findings
            .iter()
            .map(|f| format!("{}：{}", f.rule, f.message))
            .collect::<Vec<_>>()
            .join("\n"),
        AppResult::Compare(report) => report.markdown.clone(),
    }
}

/// The file kinds an app's output may be saved as, for the hint beside the path.
fn output_hint(app: &AppInfo) -> &'static str {
    match app.output.as_str() {
        "docx" => ".docx / .md / .txt",
        "json" => ".json",
        _ => ".md / .txt / .json",
    }
}

#[component]
pub fn AppScreen() -> impl IntoView {
    let ctx = ctx();
    let values = RwSignal::new(BTreeMap::<String, String>::new());
    let output = RwSignal::new(String::new());
    let stream = RwSignal::new(String::new());
    let step = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<AppRun>);
    let job = Job::new(Screen::App);
    let app = Memo::new(move |_| {
        let id = ctx.open_app.get()?;
        ctx.apps
            .with(|apps| apps.iter().find(|a| a.id == id).cloned())
    });
    // A new app starts from an empty form with its defaults.
    Effect::new(move |_| {
        if let Some(app) = app.get() {
            values.set(
                app.fields
                    .iter()
                    .filter(|f| f.kind == FieldKind::Choice)
                    .filter_map(|f| f.options.first().map(|o| (f.key.clone(), o.clone())))
                    .collect(),
            );
            result.set(None);
            stream.set(String::new());
        }
    });

    let run = move || {
        if job.is_running() {
            return;
        }
        let Some(app) = app.get_untracked() else {
            return;
        };
        let inputs = values.get_untracked();
        let missing = missing(&app.fields, &inputs);
        if !missing.is_empty() {
            ctx.notice.set(Some(crate::Notice {
                error: true,
                text: fill(t().please_fill, &[("list", missing.join("、"))]),
            }));
            return;
        }
        stream.set(String::new());
        step.set(None);
        let on_progress = move |p: Progress| match p {
            Progress::Text { text } => stream.update(|s| s.push_str(&text)),
            Progress::Step { step: n, of, label } => {
                step.set(Some(format!("{n}/{of} {label}")));
                stream.set(String::new());
            }
            Progress::Piece { done, total, .. } => {
                step.set(Some(format!("{}/{total}", done + 1)));
            }
            Progress::File { .. } => {}
        };
        let on_done = move |r: Result<AppRun, crate::ipc::Failure>| match r {
            Ok(done) => {
                if let Some(path) = &done.saved {
                    ctx.ok(fill(t().saved_to, &[("path", path.clone())]));
                } else {
                    ctx.notice.set(None);
                }
                stream.set(String::new());
                result.set(Some(done));
            }
            Err(f) => ctx.fail(&f),
        };
        let id = app.id.clone();
        let out = Some(output.get_untracked()).filter(|o| !o.trim().is_empty());
        job.start(
            move |job| command::RunApp {
                id,
                inputs,
                output: out,
                job,
            },
            on_progress,
            on_done,
        );
    };

    view! {
        {move || match app.get() {
            None => view! { <p class="muted">{t().app_none}</p> }.into_any(),
            Some(app) => {
                let fields = app.fields.clone();
                let hint = output_hint(&app);
                let meta = fill(
                    t().app_meta,
                    &[
                        ("version", app.version.clone()),
                        ("source", crate::screens::home::source_label(&app.source).to_string()),
                        ("signer", app.signer.clone().unwrap_or_else(|| t().app_unsigned.to_string())),
                    ],
                );
                view! {
                    <header class="screen-head">
                        <h1 id="app-title">{app.name.clone()}</h1>
                        <span class="muted" id="app-meta">{meta}</span>
                    </header>
                    <p class="muted">{app.description.clone()}</p>
                    <div class="app-layout">
                        <form class="form" id="app-form" on:submit=move |ev| {
                            ev.prevent_default();
                            run();
                        }>
                            {fields
                                .into_iter()
                                .map(|f| view! { <FieldInput field=f values=values prefix="app-"/> })
                                .collect_view()}
                            <div class="field">
                                <label for="app-output">{fill(t().app_output, &[("kinds", hint.to_string())])}</label>
                                <input
                                    id="app-output"
                                    type="text"
                                    prop:value=move || output.get()
                                    on:input=move |ev| output.set(event_target_value(&ev))
                                />
                            </div>
                            <div class="actions">
                                <button id="app-run" class="primary" type="submit" disabled=move || job.busy()>
                                    {t().app_run}
                                </button>
                                <button id="app-stop" type="button" disabled=move || !job.busy() on:click=move |_| job.stop()>
                                    {t().stop}
                                </button>
                            </div>
                        </form>
                        <section class="app-output" aria-live="polite">
                            {move || step.get().map(|s| view! { <div class="step">{s}</div> })}
                            {move || {
                                let s = stream.get();
                                (!s.is_empty()).then(|| view! { <pre id="app-stream">{s}</pre> })
                            }}
                            {move || result.get().map(|r| view! {
                                <pre id="app-result">{result_text(&r)}</pre>
                            })}
                        </section>
                    </div>
                }
                .into_any()
            }
        }}
    }
}
