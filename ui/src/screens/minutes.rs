//! 会议纪要: a transcript opened, dropped or pasted, the meeting's fields, progress by pieces
//! with stop and continue; the 议定事项 beside the transcript, where clicking an item lights up
//! the lines it came from and 待确认 marks what the lines do not say; the 纪要 previewed in the
//! GB/T 9704 layout and exported as DOCX.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wenshu_api::command;
use wenshu_api::{
    ErrorCode, MeetingFields, Minutes, MinutesRequest, Progress, SourceLine, SourceRef,
};
use wenshu_core::document::DocType;

use crate::i18n::{fill, t};
use crate::ipc::{self, Filter};
use crate::job::Job;
use crate::preview::Preview;
use crate::widgets::{Meter, ProgressBar, SourcePane, piece_label};
use crate::{Screen, ctx};

/// Names typed with commas, 、 or spaces.
fn names(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ' ', '；', ';'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect()
}

#[component]
pub fn MinutesScreen() -> impl IntoView {
    let ctx = ctx();
    let files = RwSignal::new(Vec::<String>::new());
    let path = RwSignal::new(String::new());
    let pasted = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let chair = RwSignal::new(String::new());
    let attendees = RwSignal::new(String::new());
    let record = RwSignal::new(false);
    let job = Job::new(Screen::Minutes);
    let meter = Meter::new();
    let result = RwSignal::new(None::<Minutes>);
    let text = RwSignal::new(String::new());
    let lines = RwSignal::new(Vec::<SourceLine>::new());
    let selected = RwSignal::new(Vec::<SourceRef>::new());
    let stopped = RwSignal::new(false);
    let zoom = RwSignal::new(0.5);
    let export_path = RwSignal::new(String::new());

    let load_lines = move || {
        let files = files.get_untracked();
        let pasted = pasted.get_untracked();
        let text = (!pasted.trim().is_empty()).then_some(pasted);
        if files.is_empty() && text.is_none() {
            lines.set(Vec::new());
            return;
        }
        spawn_local(async move {
            match ipc::invoke(&command::SourceLines {
                files,
                text,
                documents: false,
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
        if ctx.screen.get_untracked() == Screen::Minutes && !dropped.is_empty() {
            files.set(dropped);
            stopped.set(false);
            load_lines();
        }
    });
    let browse = move |_| {
        spawn_local(async move {
            let filters = [Filter {
                name: t().filter_transcripts,
                extensions: &["txt", "md", "docx", "srt", "vtt"],
            }];
            match ipc::pick_open(&filters, true, false).await {
                Ok(paths) if !paths.is_empty() => {
                    files.set(paths);
                    stopped.set(false);
                    load_lines();
                }
                Ok(_) => {}
                Err(f) => ctx.fail(&f),
            }
        });
    };

    let run = move |resume: bool| {
        let pasted_text = pasted.get_untracked();
        let request = MinutesRequest {
            files: files.get_untracked(),
            text: (!pasted_text.trim().is_empty()).then_some(pasted_text),
            fields: MeetingFields {
                title: Some(title.get_untracked()).filter(|t| !t.trim().is_empty()),
                time: Some(date.get_untracked()).filter(|t| !t.trim().is_empty()),
                place: Some(place.get_untracked()).filter(|t| !t.trim().is_empty()),
                chair: Some(chair.get_untracked()).filter(|t| !t.trim().is_empty()),
                attendees: names(&attendees.get_untracked()),
                ..MeetingFields::default()
            },
            record: record.get_untracked(),
            resume,
            app: None,
        };
        if lines.with_untracked(Vec::is_empty) {
            load_lines();
        }
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
        let on_done = move |outcome: Result<Minutes, ipc::Failure>| match outcome {
            Ok(m) => {
                stopped.set(false);
                let unconfirmed = m
                    .decisions
                    .iter()
                    .map(|d| usize::from(!d.owner.confirmed) + usize::from(!d.deadline.confirmed))
                    .sum::<usize>();
                ctx.ok(fill(
                    t().minutes_done,
                    &[
                        ("n", m.decisions.len().to_string()),
                        ("u", unconfirmed.to_string()),
                        ("s", format!("{:.0}", m.stats.milliseconds as f64 / 1000.0)),
                    ],
                ));
                text.set(m.text.clone());
                let home = ctx
                    .status
                    .get_untracked()
                    .map(|s| s.documents_dir)
                    .unwrap_or_default();
                export_path.set(format!("{home}/{}.docx", m.document.title));
                result.set(Some(m));
            }
            Err(f) if f.code == ErrorCode::Cancelled => {
                stopped.set(true);
                ctx.ok(t().long_stopped);
            }
            Err(f) => ctx.fail(&f),
        };
        meter.reset();
        job.start(
            move |job| command::Minutes { request, job },
            on_progress,
            on_done,
        );
    };

    let export = move |_| {
        let current = text.get_untracked();
        let path = export_path.get_untracked();
        if current.trim().is_empty() || path.trim().is_empty() {
            return;
        }
        spawn_local(async move {
            let args = command::ExportText {
                text: current,
                doc_type: "纪要".to_string(),
                path: path.clone(),
            };
            match ipc::invoke(&args).await {
                Ok(_) => ctx.ok(fill(t().saved_to, &[("path", path)])),
                Err(f) => ctx.fail(&f),
            }
        });
    };

    let field = move |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="text"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </div>
        }
    };

    view! {
        <div class="long">
            <aside class="long-form" aria-label=t().minutes_form>
                <h2>{t().minutes_title}</h2>
                <p class="muted">{t().minutes_hint}</p>
                <div class="actions">
                    <button id="minutes-open" on:click=browse>{t().open_file}</button>
                </div>
                <div class="field">
                    <label for="minutes-path">{t().file_path}</label>
                    <input
                        id="minutes-path"
                        type="text"
                        prop:value=move || path.get()
                        on:input=move |ev| path.set(event_target_value(&ev))
                        on:change=move |_| {
                            let p = path.get_untracked();
                            if !p.trim().is_empty() {
                                files.set(vec![p.trim().to_string()]);
                                stopped.set(false);
                                load_lines();
                            }
                        }
                    />
                </div>
                <ul class="file-list" id="minutes-files">
                    {move || files.get().into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}
                </ul>
                <div class="field">
                    <label for="minutes-text">{t().minutes_paste}</label>
                    <textarea
                        id="minutes-text"
                        rows="5"
                        prop:value=move || pasted.get()
                        on:input=move |ev| pasted.set(event_target_value(&ev))
                        on:change=move |_| load_lines()
                    ></textarea>
                </div>
                {field("minutes-name", t().minutes_name, title)}
                {field("minutes-date", t().minutes_date, date)}
                {field("minutes-place", t().minutes_place, place)}
                {field("minutes-chair", t().minutes_chair, chair)}
                {field("minutes-attendees", t().minutes_attendees, attendees)}
                <label class="check">
                    <input
                        type="checkbox"
                        id="minutes-record"
                        prop:checked=move || record.get()
                        on:change=move |ev| record.set(event_target_checked(&ev))
                    />
                    {t().minutes_record}
                </label>
                <div class="actions">
                    <button
                        id="minutes-run"
                        class="primary"
                        disabled=move || job.busy() || (files.get().is_empty() && pasted.get().trim().is_empty())
                        on:click=move |_| run(false)
                    >
                        {t().generate}
                    </button>
                    <button id="minutes-stop" disabled=move || !job.busy() on:click=move |_| job.stop()>
                        {t().stop}
                    </button>
                    <button
                        id="minutes-resume"
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
                <section class="long-result" id="minutes-result" aria-label=t().minutes_result>
                    {move || result.get().map(|m| view! { <MinutesResult minutes=m selected=selected/> })}
                </section>
                <section class="long-source" aria-label=t().source_title>
                    <h3>{t().source_title}</h3>
                    <SourcePane id="minutes-source" lines=lines selected=selected/>
                </section>
                <div class="draft-preview">
                    <div class="toolbar">
                        <strong>{t().preview}</strong>
                        <label for="minutes-zoom">{t().zoom}</label>
                        <input
                            id="minutes-zoom"
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
                    <Preview text=text doc_type=Signal::derive(|| DocType::Minutes) zoom=zoom/>
                </div>
                <div class="export-bar">
                    <label for="minutes-export-path">{t().save_to}</label>
                    <input
                        id="minutes-export-path"
                        type="text"
                        prop:value=move || export_path.get()
                        on:input=move |ev| export_path.set(event_target_value(&ev))
                    />
                    <button id="minutes-export" class="primary" on:click=export>{t().export_docx}</button>
                    <button
                        id="minutes-copy"
                        on:click=move |_| {
                            if let Some(m) = result.get_untracked() {
                                ipc::copy(&m.markdown);
                                ctx.ok(t().copied);
                            }
                        }
                    >
                        {t().copy}
                    </button>
                </div>
            </div>
        </div>
    }
}

/// The decisions and requirements, each lighting up its lines when clicked.
#[component]
fn MinutesResult(minutes: Minutes, selected: RwSignal<Vec<SourceRef>>) -> impl IntoView {
    let decisions = minutes
        .decisions
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let source = d.source.clone();
            let value = |label: &'static str, v: &wenshu_api::CheckedValue| {
                view! {
                    <span class="value" class:unconfirmed=!v.confirmed>
                        {format!("{label}：{}", v.text)}
                    </span>
                }
            };
            view! {
                <li
                    class="decision"
                    id=format!("decision-{}", i + 1)
                    class:chosen=move || selected.get().first() == Some(&source)
                    on:click={
                        let source = d.source.clone();
                        move |_| selected.set(vec![source.clone()])
                    }
                >
                    <strong>{format!("{}、{}", wenshu_core::document::han_numeral(i + 1), d.heading)}</strong>
                    <p>{d.text.clone()}</p>
                    <div class="values">
                        {value(t().minutes_owner, &d.owner)}
                        {value(t().minutes_deadline, &d.deadline)}
                        <span class="source-label">{d.source.label()}</span>
                    </div>
                </li>
            }
        })
        .collect_view();
    let requirements = minutes
        .requirements
        .into_iter()
        .map(|r| {
            let sources = r.sources.clone();
            let label = sources.first().map(SourceRef::label).unwrap_or_default();
            view! {
                <li class="requirement" on:click=move |_| selected.set(sources.clone())>
                    {r.text.clone()}
                    <span class="source-label">{label}</span>
                </li>
            }
        })
        .collect_view();
    let skipped = minutes
        .skipped
        .into_iter()
        .map(|s| view! { <li>{s}</li> })
        .collect_view();
    view! {
        <p class="overview">{minutes.overview.clone()}</p>
        <h3>{t().minutes_decisions}</h3>
        <ol class="decisions" id="minutes-decisions">{decisions}</ol>
        <h3>{t().minutes_requirements}</h3>
        <ul class="requirements">{requirements}</ul>
        <ul class="skipped muted">{skipped}</ul>
    }
}
