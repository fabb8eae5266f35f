//! 公文检查: open or drop a DOCX, TXT or Markdown draft and see the findings beside its text,
//! with the page as GB/T 9704 lays it out.

use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wenshu_core::document::DocType;

use crate::i18n::t;
use crate::ipc::{self, Filter};
use crate::preview::Preview;
use crate::widgets::FindingsList;
use crate::{Screen, ctx};
use wenshu_api::CheckReport;
use wenshu_api::command;

#[component]
pub fn CheckScreen() -> impl IntoView {
    let ctx = ctx();
    let path = RwSignal::new(String::new());
    let report = RwSignal::new(None::<CheckReport>);
    let busy = RwSignal::new(false);
    let editor = NodeRef::<Textarea>::new();
    let text = Signal::derive(move || report.get().map(|r| r.text).unwrap_or_default());
    let findings = Signal::derive(move || report.get().map(|r| r.findings).unwrap_or_default());
    let fixable = Signal::derive(move || report.get().map(|r| r.fixable).unwrap_or_default());

    let run = move |file: String| {
        if file.trim().is_empty() {
            return;
        }
        path.set(file.clone());
        busy.set(true);
        spawn_local(async move {
            let result = ipc::invoke(&command::CheckFile { path: file }).await;
            busy.set(false);
            match result {
                Ok(r) => {
                    report.set(Some(r));
                    ctx.notice.set(None);
                }
                Err(f) => {
                    // What was shown before stays: a bad file replaces nothing.
                    ctx.fail(&f);
                }
            }
        });
    };
    Effect::new(move |_| {
        let dropped = ctx.dropped.get();
        if ctx.screen.get_untracked() == Screen::Check
            && let Some(first) = dropped.first()
        {
            run(first.clone());
        }
    });
    let browse = move |_| {
        spawn_local(async move {
            let filters = [Filter {
                name: t().filter_drafts,
                extensions: &["docx", "txt", "md"],
            }];
            match ipc::pick_open(&filters, false, false).await {
                Ok(files) => {
                    if let Some(first) = files.into_iter().next() {
                        run(first);
                    }
                }
                Err(f) => ctx.fail(&f),
            }
        });
    };
    // A DOCX is not rewritten: fixes are shown as suggestions; the fixed text can go to the
    // drafting screen to be exported again.
    let fix = Callback::new(move |line: Option<usize>| {
        let Some(current) = report.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match ipc::invoke(&command::FixText {
                text: current.text,
                line,
            })
            .await
            {
                Ok(fix) => {
                    report.set(Some(CheckReport {
                        text: fix.text,
                        findings: fix.remaining,
                        fixable: fix.fixable,
                        ..current
                    }));
                }
                Err(f) => ctx.fail(&f),
            }
        });
    });
    let zoom = RwSignal::new(0.55_f64);
    // The type comes from the document's title; this is only for a text without one.
    let doc_type = Signal::derive(|| DocType::Circular);

    view! {
        <header class="screen-head">
            <h1>{t().check_title}</h1>
        </header>
        <div class="row">
            <label for="check-path">{t().file_path}</label>
            <input
                id="check-path"
                type="text"
                prop:value=move || path.get()
                on:input=move |ev| path.set(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" {
                        run(path.get_untracked());
                    }
                }
            />
            <button id="check-run" class="primary" disabled=move || busy.get() on:click=move |_| run(path.get_untracked())>
                {t().check}
            </button>
            <button on:click=browse>{t().open_file}</button>
        </div>
        <p class="muted">{t().drop_hint}</p>
        {move || {
            report
                .get()
                .map(|r| {
                    view! {
                        <p class="muted" id="check-file">
                            {format!(
                                "{}（{}）",
                                r.file,
                                if r.layout_checked { t().layout_checked } else { t().text_only },
                            )}
                        </p>
                    }
                })
        }}
        <div class="check-body" hidden=move || report.get().is_none()>
            <div class="draft-edit">
                <textarea id="check-text" node_ref=editor readonly prop:value=move || text.get()></textarea>
                <FindingsList findings=findings fixable=fixable editor=editor on_fix=fix/>
            </div>
            <div class="draft-preview">
                <Preview text=text doc_type=doc_type zoom=zoom/>
            </div>
        </div>
    }
}
