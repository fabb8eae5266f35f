//! 公文起草 and the app runner for drafting apps: the type's form (from the app's schema), the
//! draft streamed as the model writes it, an editor, the checker's findings beside it with
//! one-click mechanical fixes, the GB/T 9704 page preview, copy and export.

use std::collections::BTreeMap;
use std::time::Duration;

use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wenshu_core::document::DocType;

use crate::i18n::{fill, t};
use crate::ipc::{self, Filter};
use crate::job::Job;
use crate::preview::Preview;
use crate::text::{app_doc_type, draft_form, missing};
use crate::widgets::{FieldInput, FindingsList};
use crate::{Screen, ctx};
use wenshu_api::command;
use wenshu_api::messages::draft::removal_reason;
use wenshu_api::{AppInfo, Draft, ErrorCode, FactStatus, FactsReport, FindingInfo, Progress};

const DEFAULT_APP: &str = "draft.circular";

/// `path` with its extension replaced by `ext`.
pub fn with_extension(path: &str, ext: &str) -> String {
    let cut = path
        .rfind('.')
        .filter(|&dot| !path[dot..].contains('/'))
        .unwrap_or(path.len());
    format!("{}.{ext}", &path[..cut])
}

/// A file name from a title: characters a file system refuses become _.
pub fn file_name(title: &str) -> String {
    let name: String = title
        .trim()
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(60)
        .collect();
    if name.is_empty() {
        t().default_file_name.to_string()
    } else {
        name
    }
}

#[component]
pub fn DraftScreen() -> impl IntoView {
    let ctx = ctx();
    let values = RwSignal::new(BTreeMap::<String, String>::new());
    let text = RwSignal::new(String::new());
    let stream = RwSignal::new(String::new());
    let step = RwSignal::new(None::<String>);
    let job = Job::new(Screen::Draft);
    let findings = RwSignal::new(Vec::<FindingInfo>::new());
    let facts = RwSignal::new(None::<FactsReport>);
    let fixable = RwSignal::new(Vec::<usize>::new());
    let info = RwSignal::new(None::<String>);
    let export_path = RwSignal::new(String::new());
    let zoom = RwSignal::new(0.6_f64);
    let editor = NodeRef::<Textarea>::new();

    let app_id = move || {
        ctx.draft_app
            .get()
            .unwrap_or_else(|| DEFAULT_APP.to_string())
    };
    let app = Memo::new(move |_| {
        let id = app_id();
        ctx.apps
            .with(|apps| apps.iter().find(|a| a.id == id).cloned())
    });
    let drafting_apps = move || {
        ctx.apps.with(|apps| {
            apps.iter()
                .filter(|a| a.runner == "draft" && crate::screens::home::has_own_screen(a))
                .cloned()
                .collect::<Vec<AppInfo>>()
        })
    };
    let doc_type = Signal::derive(move || {
        app_doc_type(&app_id())
            .and_then(DocType::parse)
            .unwrap_or(DocType::Circular)
    });

    // Findings follow the text, a moment after typing stops.
    let edits = RwSignal::new(0u64);
    let review = move || {
        let current = text.get_untracked();
        spawn_local(async move {
            let review = ipc::invoke(&command::ReviewText {
                text: current.clone(),
            })
            .await;
            if text.get_untracked() != current {
                return;
            }
            match review {
                Ok(review) => {
                    findings.set(review.findings);
                    fixable.set(review.fixable);
                }
                Err(f) => ctx.fail(&f),
            }
        });
    };
    Effect::new(move |_| {
        let _ = text.get();
        let n = edits.get_untracked() + 1;
        edits.set(n);
        set_timeout(
            move || {
                if edits.get_untracked() == n {
                    review();
                }
            },
            Duration::from_millis(250),
        );
    });

    let generate = move || {
        if job.is_running() {
            return;
        }
        let Some(app) = app.get_untracked() else {
            return;
        };
        let vals = values.get_untracked();
        let missing = missing(&app.fields, &vals);
        if !missing.is_empty() {
            ctx.notice.set(Some(crate::Notice {
                error: true,
                text: fill(t().please_fill, &[("list", missing.join("、"))]),
            }));
            return;
        }
        let form = draft_form(
            app_doc_type(&app.id).unwrap_or("circular"),
            &app.fields,
            &vals,
        );
        let on_progress = move |p: Progress| match p {
            Progress::Step { step: n, of, label } => {
                step.set(Some(fill(
                    t().step,
                    &[
                        ("step", n.to_string()),
                        ("of", of.to_string()),
                        ("label", label),
                    ],
                )));
                stream.update(|s| {
                    if !s.is_empty() {
                        s.push_str("\n\n");
                    }
                });
            }
            Progress::Text { text } => stream.update(|s| s.push_str(&text)),
            Progress::File { .. } | Progress::Piece { .. } => {}
        };
        let on_done = move |result: Result<Draft, ipc::Failure>| match result {
            Ok(draft) => {
                let home = ctx
                    .status
                    .get_untracked()
                    .map(|s| s.documents_dir)
                    .unwrap_or_default();
                export_path.set(format!("{home}/{}.docx", file_name(&draft.document.title)));
                info.set(Some(fill(
                    t().drafted_in,
                    &[
                        ("s", format!("{:.1}", draft.milliseconds as f64 / 1000.0)),
                        ("model", draft.model.clone()),
                    ],
                )));
                findings.set(draft.findings);
                facts.set(Some(draft.facts));
                text.set(draft.text);
                ctx.refresh_status();
            }
            Err(f) if f.code == ErrorCode::Cancelled => ctx.ok(t().cancelled),
            Err(f) => ctx.fail(&f),
        };
        if job.start(
            move |job| command::Draft { form, job },
            on_progress,
            on_done,
        ) {
            stream.set(String::new());
            step.set(None);
            ctx.notice.set(None);
        }
    };

    let fix = Callback::new(move |line: Option<usize>| {
        let current = text.get_untracked();
        spawn_local(async move {
            match ipc::invoke(&command::FixText {
                text: current,
                line,
            })
            .await
            {
                Ok(fix) => {
                    ctx.ok(fill(t().fixed_n, &[("n", fix.changes.len().to_string())]));
                    text.set(fix.text);
                }
                Err(f) => ctx.fail(&f),
            }
        });
    });
    let export = move |ext: &'static str| {
        let current = text.get_untracked();
        if current.trim().is_empty() {
            return ctx.fail(&ipc::Failure {
                code: ErrorCode::InvalidInput,
                id: "ui.empty_draft".into(),
                message: t().empty_draft.into(),
            });
        }
        let mut path = export_path.get_untracked();
        if path.trim().is_empty() {
            let home = ctx
                .status
                .get_untracked()
                .map(|s| s.documents_dir)
                .unwrap_or_default();
            path = format!("{home}/{}.{ext}", t().default_file_name);
        }
        let path = with_extension(path.trim(), ext);
        export_path.set(path.clone());
        let kind = app_doc_type(&app_id()).unwrap_or("circular").to_string();
        spawn_local(async move {
            let args = command::ExportText {
                text: current,
                doc_type: kind,
                path: path.clone(),
            };
            match ipc::invoke(&args).await {
                Ok(_) => ctx.ok(fill(t().saved_to, &[("path", path)])),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    let choose = move |_| {
        let current = export_path.get_untracked();
        spawn_local(async move {
            let filters = [
                Filter {
                    name: t().filter_word,
                    extensions: &["docx"],
                },
                Filter {
                    name: "Markdown",
                    extensions: &["md"],
                },
                Filter {
                    name: t().filter_text,
                    extensions: &["txt"],
                },
            ];
            match ipc::pick_save(&current, &filters).await {
                Ok(Some(path)) => export_path.set(path),
                Ok(None) => {}
                Err(f) => ctx.fail(&f),
            }
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && ev.ctrl_key() {
            ev.prevent_default();
            generate();
        }
    };

    view! {
        <div class="draft" on:keydown=on_key>
            <aside class="draft-form" aria-label=t().form_label>
                <div class="actions">
                    <button id="generate" class="primary" disabled=move || job.busy() on:click=move |_| generate()>
                        {t().generate}
                    </button>
                    <button id="stop" disabled=move || !job.busy() on:click=move |_| job.stop()>
                        {t().stop}
                    </button>
                </div>
                <div class="field">
                    <label for="draft-type">{t().doc_type}</label>
                    <select
                        id="draft-type"
                        prop:value=app_id
                        on:change=move |ev| ctx.draft_app.set(Some(event_target_value(&ev)))
                    >
                        {move || {
                            drafting_apps()
                                .into_iter()
                                .map(|a| view! { <option value=a.id.clone()>{a.name.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                    <div class="muted small-text">{move || app.get().map(|a| a.description).unwrap_or_default()}</div>
                </div>
                {move || {
                    app.get()
                        .map(|a| {
                            a.fields
                                .into_iter()
                                .map(|field| view! { <FieldInput field=field values=values/> })
                                .collect_view()
                        })
                }}
                <div class="muted" id="draft-info">{move || info.get()}</div>
            </aside>
            <div class="draft-work">
                <div class="draft-edit">
                    <label for="draft-text">{t().editor_label}</label>
                    {move || {
                        if job.busy() {
                            view! {
                                <div class="streaming" id="draft-stream" aria-live="polite">
                                    <div class="step">{move || step.get().unwrap_or_else(|| t().generating.to_string())}</div>
                                    <pre>{move || stream.get()}</pre>
                                </div>
                            }
                            .into_any()
                        } else {
                            ().into_any()
                        }
                    }}
                    <textarea
                        id="draft-text"
                        node_ref=editor
                        hidden=move || job.busy()
                        placeholder=t().editor_hint
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                        spellcheck="false"
                    ></textarea>
                    <FindingsList findings=findings fixable=fixable editor=editor on_fix=fix/>
                    <FactsPanel facts=facts/>
                </div>
                <div class="draft-preview">
                    <div class="toolbar">
                        <strong>{t().preview}</strong>
                        <label for="zoom">{t().zoom}</label>
                        <input
                            id="zoom"
                            type="range"
                            min="0.3"
                            max="1.2"
                            step="0.05"
                            prop:value=move || zoom.get().to_string()
                            on:input=move |ev| {
                                if let Ok(z) = event_target_value(&ev).parse() {
                                    zoom.set(z);
                                }
                            }
                        />
                    </div>
                    <Preview text=text doc_type=doc_type zoom=zoom/>
                </div>
                <div class="export-bar">
                    <label for="export-path">{t().save_to}</label>
                    <input
                        id="export-path"
                        type="text"
                        prop:value=move || export_path.get()
                        on:input=move |ev| export_path.set(event_target_value(&ev))
                    />
                    <button on:click=choose>{t().choose_place}</button>
                    <button id="export-docx" class="primary" on:click=move |_| export("docx")>{t().export_docx}</button>
                    <button id="export-md" on:click=move |_| export("md")>{t().export_markdown}</button>
                    <button
                        id="copy"
                        on:click=move |_| {
                            ipc::copy(&text.get_untracked());
                            ctx.ok(t().copied);
                        }
                    >
                        {t().copy}
                    </button>
                </div>
            </div>
        </div>
    }
}

/// How the last draft kept its facts, and the sentences Wenshu took out of the model's text.
#[component]
fn FactsPanel(facts: RwSignal<Option<FactsReport>>) -> impl IntoView {
    move || {
        let report = facts.get()?;
        if report.facts.is_empty() && report.removed.is_empty() {
            return None;
        }
        let missing = report.count(FactStatus::Missing);
        let template = if missing > 0 {
            t().facts_missing
        } else {
            t().facts_summary
        };
        let summary = fill(
            template,
            &[
                ("total", report.facts.len().to_string()),
                ("written", report.count(FactStatus::Written).to_string()),
                ("repaired", report.count(FactStatus::Repaired).to_string()),
                ("inserted", report.count(FactStatus::Inserted).to_string()),
                ("missing", missing.to_string()),
            ],
        );
        let rows = report
            .facts
            .into_iter()
            .map(|f| {
                let (class, status) = match f.status {
                    FactStatus::Written => ("fact written", t().fact_written),
                    FactStatus::Repaired => ("fact repaired", t().fact_repaired),
                    FactStatus::Inserted => ("fact inserted", t().fact_inserted),
                    FactStatus::Missing => ("fact missing", t().fact_missing),
                };
                view! {
                    <li class=class>
                        <span class="fact-status">{status}</span>
                        <span class="fact-section">{f.section}</span>
                        <span class="fact-text">{f.text}</span>
                    </li>
                }
            })
            .collect_view();
        let removed_count = report.removed.len();
        let removed = report
            .removed
            .into_iter()
            .map(|r| {
                view! {
                    <li>
                        <span class="fact-section">{r.section}</span>
                        <span class="removed-reason">{format!("{}：{}", removal_reason(r.reason).text, r.detail)}</span>
                        <span class="removed-text">{r.sentence}</span>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="facts-panel" id="facts-panel" aria-label=t().facts_title>
                <h3>{t().facts_title}</h3>
                <p id="facts-summary">{summary}</p>
                <ul class="facts">{rows}</ul>
                <details hidden={removed_count == 0}>
                    <summary id="removed-summary">{fill(t().removed_title, &[("n", removed_count.to_string())])}</summary>
                    <ul class="removed">{removed}</ul>
                </details>
            </section>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_paths_take_the_format_s_extension() {
        assert_eq!(with_extension("/home/a/通知.docx", "md"), "/home/a/通知.md");
        assert_eq!(
            with_extension("/home/a.b/通知", "docx"),
            "/home/a.b/通知.docx"
        );
        assert_eq!(file_name("关于/检查的通知"), "关于_检查的通知");
        assert_eq!(file_name("  "), "公文");
    }
}
