//! 文件摘要: documents opened or dropped (PDF, DOCX, TXT, MD, HTML), the length, the number of
//! points and a focus; progress by pieces with stop and continue; the summary and its points
//! beside the documents' paragraphs, where clicking a point lights up the paragraphs (and
//! pages) it came from.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wenshu_api::command;
use wenshu_api::{
    ErrorCode, Progress, SourceLine, SourceRef, Summary, SummaryLength, SummaryRequest,
};

use crate::i18n::{fill, t};
use crate::ipc::{self, Filter};
use crate::job::Job;
use crate::widgets::{Meter, ProgressBar, SourcePane, piece_label};
use crate::{Screen, ctx};

#[component]
pub fn SummaryScreen() -> impl IntoView {
    let ctx = ctx();
    let files = RwSignal::new(Vec::<String>::new());
    let path = RwSignal::new(String::new());
    let length = RwSignal::new(SummaryLength::Medium);
    let points = RwSignal::new(String::new());
    let focus = RwSignal::new(String::new());
    let job = Job::new(Screen::Summary);
    let meter = Meter::new();
    let result = RwSignal::new(None::<Summary>);
    let lines = RwSignal::new(Vec::<SourceLine>::new());
    let selected = RwSignal::new(Vec::<SourceRef>::new());
    let stopped = RwSignal::new(false);

    let choose_files = move |paths: Vec<String>| {
        files.set(paths.clone());
        stopped.set(false);
        spawn_local(async move {
            match ipc::invoke(&command::SourceLines {
                files: paths,
                text: None,
                documents: true,
            })
            .await
            {
                Ok(list) => lines.set(list),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    Effect::new(move |_| {
        let dropped = ctx.dropped.get();
        if ctx.screen.get_untracked() == Screen::Summary && !dropped.is_empty() {
            choose_files(dropped);
        }
    });
    let browse = move |_| {
        spawn_local(async move {
            let filters = [Filter {
                name: t().filter_documents,
                extensions: &["pdf", "docx", "txt", "md", "html", "htm"],
            }];
            match ipc::pick_open(&filters, true, false).await {
                Ok(paths) if !paths.is_empty() => choose_files(paths),
                Ok(_) => {}
                Err(f) => ctx.fail(&f),
            }
        });
    };

    let run = move |resume: bool| {
        let request = SummaryRequest {
            files: files.get_untracked(),
            length: length.get_untracked(),
            points: points.get_untracked().trim().parse().ok(),
            focus: Some(focus.get_untracked()).filter(|f| !f.trim().is_empty()),
            resume,
            app: None,
        };
        let on_progress = move |p: Progress| {
            if let Progress::Piece {
                done,
                total,
                remaining_ms,
                ..
            } = p
            {
                meter.show(done, total, piece_label(done, total, remaining_ms));
            }
        };
        let on_done = move |outcome: Result<Summary, ipc::Failure>| match outcome {
            Ok(s) => {
                stopped.set(false);
                ctx.ok(fill(
                    t().summary_done,
                    &[
                        ("n", s.points.len().to_string()),
                        ("s", format!("{:.0}", s.stats.milliseconds as f64 / 1000.0)),
                    ],
                ));
                result.set(Some(s));
            }
            Err(f) if f.code == ErrorCode::Cancelled => {
                stopped.set(true);
                ctx.ok(t().long_stopped);
            }
            Err(f) => ctx.fail(&f),
        };
        meter.reset();
        job.start(
            move |job| command::Summarize { request, job },
            on_progress,
            on_done,
        );
    };

    view! {
        <div class="long">
            <aside class="long-form" aria-label=t().summary_form>
                <h2>{t().summary_title}</h2>
                <p class="muted">{t().summary_hint}</p>
                <div class="actions">
                    <button id="summary-open" on:click=browse>{t().open_file}</button>
                </div>
                <div class="field">
                    <label for="summary-path">{t().file_path}</label>
                    <input
                        id="summary-path"
                        type="text"
                        prop:value=move || path.get()
                        on:input=move |ev| path.set(event_target_value(&ev))
                        on:change=move |_| {
                            let p = path.get_untracked();
                            if !p.trim().is_empty() {
                                choose_files(vec![p.trim().to_string()]);
                            }
                        }
                    />
                </div>
                <ul class="file-list" id="summary-files">
                    {move || files.get().into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}
                </ul>
                <div class="field">
                    <label for="summary-length">{t().summary_length}</label>
                    <select
                        id="summary-length"
                        on:change=move |ev| {
                            if let Some(l) = SummaryLength::parse(&event_target_value(&ev)) {
                                length.set(l);
                            }
                        }
                    >
                        <option value="short">{t().summary_short}</option>
                        <option value="medium" selected=true>{t().summary_medium}</option>
                        <option value="long">{t().summary_long}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="summary-points">{t().summary_points}</label>
                    <input
                        id="summary-points"
                        type="number"
                        min="1"
                        max="20"
                        prop:value=move || points.get()
                        on:input=move |ev| points.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="summary-focus">{t().summary_focus}</label>
                    <input
                        id="summary-focus"
                        type="text"
                        prop:value=move || focus.get()
                        on:input=move |ev| focus.set(event_target_value(&ev))
                    />
                </div>
                <div class="actions">
                    <button
                        id="summary-run"
                        class="primary"
                        disabled=move || job.busy() || files.get().is_empty()
                        on:click=move |_| run(false)
                    >
                        {t().generate}
                    </button>
                    <button id="summary-stop" disabled=move || !job.busy() on:click=move |_| job.stop()>
                        {t().stop}
                    </button>
                    <button
                        id="summary-resume"
                        disabled=move || job.busy() || !stopped.get()
                        on:click=move |_| run(true)
                    >
                        {t().resume}
                    </button>
                </div>
                <Show when=move || job.busy()>
                    <ProgressBar meter=meter/>
                </Show>
            </aside>
            <div class="long-main">
                <section class="long-result" id="summary-result" aria-label=t().summary_result>
                    {move || {
                        result
                            .get()
                            .map(|s| {
                                let markdown = s.markdown.clone();
                                let points = s
                                    .points
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, p)| {
                                        let sources = p.sources.clone();
                                        let labels: Vec<String> = p
                                            .sources
                                            .iter()
                                            .map(|r| {
                                                let name = r.file.rsplit('/').next().unwrap_or(&r.file);
                                                format!("{name} {}", r.label())
                                            })
                                            .collect();
                                        view! {
                                            <li
                                                class="point"
                                                id=format!("point-{}", i + 1)
                                                on:click=move |_| selected.set(sources.clone())
                                            >
                                                {p.text.clone()}
                                                <span class="source-label">{labels.join("；")}</span>
                                            </li>
                                        }
                                    })
                                    .collect_view();
                                view! {
                                    <p class="overview" id="summary-text">{s.summary.clone()}</p>
                                    <ol class="points" id="summary-points-list">{points}</ol>
                                    <button
                                        id="summary-copy"
                                        on:click=move |_| {
                                            ipc::copy(&markdown);
                                            ctx.ok(t().copied);
                                        }
                                    >
                                        {t().copy}
                                    </button>
                                }
                            })
                    }}
                </section>
                <section class="long-source" aria-label=t().source_title>
                    <h3>{t().source_title}</h3>
                    <SourcePane id="summary-source" lines=lines selected=selected/>
                </section>
            </div>
        </div>
    }
}
