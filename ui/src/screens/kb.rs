//! 知识库: the documents and packs, adding by drop, dialog or path with a progress bar, search
//! with highlighted snippets, and cited answers where each \[n\] opens its passage.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{fill, t};
use crate::ipc::{self, Filter};
use crate::job::Job;
use crate::text::{AnswerPiece, answer_pieces, snippet_pieces};
use crate::widgets::{Meter, ProgressBar, pieces_view};
use crate::{Screen, ctx};
use wenshu_api::command;
use wenshu_api::{CitedAnswer, ErrorCode, KbAddReport, KbDocumentInfo, Progress, SearchHit};

/// The pack of documents users add themselves; the others come from IT.
const USER_PACK: &str = "user";

#[component]
pub fn KbScreen() -> impl IntoView {
    let ctx = ctx();
    let docs = RwSignal::new(Vec::<KbDocumentInfo>::new());
    let path = RwSignal::new(String::new());
    let adding = Job::new(Screen::Kb);
    let meter = Meter::new();
    let query = RwSignal::new(String::new());
    let hits = RwSignal::new(None::<Vec<SearchHit>>);
    let question = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<CitedAnswer>);
    let answering = Job::new(Screen::Kb);
    let streamed = RwSignal::new(String::new());
    let open_passage = RwSignal::new(None::<usize>);

    let reload = move || {
        spawn_local(async move {
            match ipc::invoke(&command::KbList {}).await {
                Ok(list) => docs.set(list),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    Effect::new(move |_| {
        if ctx.screen.get() == Screen::Kb {
            reload();
        }
    });

    let add = move |paths: Vec<String>| {
        let paths: Vec<String> = paths.into_iter().filter(|p| !p.trim().is_empty()).collect();
        if paths.is_empty() || adding.is_running() {
            return;
        }
        let on_progress = move |p: Progress| {
            if let Progress::File { done, total, path } = p {
                meter.show(done, total, path);
            }
        };
        let on_done = move |result: Result<KbAddReport, ipc::Failure>| {
            match result {
                Ok(r) => {
                    let mut summary = fill(
                        t().add_report,
                        &[
                            ("a", r.added.len().to_string()),
                            ("u", r.updated.len().to_string()),
                            ("c", r.unchanged.len().to_string()),
                            ("f", r.failed.len().to_string()),
                        ],
                    );
                    if r.cancelled {
                        summary = format!("{}{summary}", t().add_stopped);
                    }
                    if r.failed.is_empty() {
                        ctx.ok(summary);
                    } else {
                        let reasons: Vec<String> =
                            r.failed.iter().map(|f| f.error.clone()).collect();
                        ctx.notice.set(Some(crate::Notice {
                            error: true,
                            text: format!("{summary}。{}", reasons.join("；")),
                        }));
                    }
                }
                Err(f) => ctx.fail(&f),
            }
            reload();
        };
        meter.reset();
        adding.start(
            move |job| command::KbAdd { paths, job },
            on_progress,
            on_done,
        );
    };
    Effect::new(move |_| {
        let dropped = ctx.dropped.get();
        if ctx.screen.get_untracked() == Screen::Kb && !dropped.is_empty() {
            add(dropped);
        }
    });
    let browse = move |directory: bool| {
        spawn_local(async move {
            let filters = [Filter {
                name: t().filter_documents,
                extensions: &["txt", "md", "docx", "pdf", "html", "htm"],
            }];
            let filters: &[Filter] = if directory { &[] } else { &filters };
            match ipc::pick_open(filters, !directory, directory).await {
                Ok(paths) => add(paths),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    let remove = move |id: i64| {
        spawn_local(async move {
            match ipc::invoke(&command::KbRemove {
                which: id.to_string(),
            })
            .await
            {
                Ok(_) => reload(),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    let search = move || {
        let q = query.get_untracked();
        if q.trim().is_empty() {
            return;
        }
        spawn_local(async move {
            match ipc::invoke(&command::KbSearch {
                query: q,
                limit: 10,
            })
            .await
            {
                Ok(list) => hits.set(Some(list)),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    let ask = move || {
        let q = question.get_untracked();
        if q.trim().is_empty() || answering.is_running() {
            return;
        }
        let on_progress = move |p: Progress| {
            if let Progress::Text { text } = p {
                streamed.update(|s| s.push_str(&text));
            }
        };
        let on_done = move |result: Result<CitedAnswer, ipc::Failure>| match result {
            Ok(a) => answer.set(Some(a)),
            Err(f) if f.code == ErrorCode::Cancelled => ctx.ok(t().cancelled),
            Err(f) => ctx.fail(&f),
        };
        streamed.set(String::new());
        answer.set(None);
        open_passage.set(None);
        answering.start(
            move |job| command::AskKb { question: q, job },
            on_progress,
            on_done,
        );
    };

    view! {
        <header class="screen-head">
            <h1>{t().kb_title}</h1>
            <span class="muted" id="kb-count">
                {move || {
                    let list = docs.get();
                    let chunks: u64 = list.iter().map(|d| d.chunks).sum();
                    fill(t().doc_count, &[("n", list.len().to_string()), ("c", chunks.to_string())])
                }}
            </span>
        </header>
        <div class="row">
            <input
                id="kb-path"
                type="text"
                placeholder=t().file_path
                aria-label=t().file_path
                prop:value=move || path.get()
                on:input=move |ev| path.set(event_target_value(&ev))
            />
            <button id="kb-add" class="primary" disabled=move || adding.busy() on:click=move |_| add(vec![path.get_untracked()])>
                {t().add_path}
            </button>
            <button disabled=move || adding.busy() on:click=move |_| browse(false)>{t().add_files}</button>
            <button disabled=move || adding.busy() on:click=move |_| browse(true)>{t().add_folder}</button>
            <button id="kb-add-stop" disabled=move || !adding.busy() on:click=move |_| adding.stop()>{t().stop}</button>
        </div>
        <p class="muted">{t().kb_drop_hint}</p>
        <div hidden=move || !adding.busy()>
            <ProgressBar
                meter=meter
                label=Signal::derive(move || {
                    fill(
                        t().adding,
                        &[
                            ("done", meter.done.get().to_string()),
                            ("total", meter.total.get().to_string()),
                            ("path", meter.current.get()),
                        ],
                    )
                })
            />
        </div>
        <div class="kb-columns">
            <section class="kb-docs" aria-label=t().documents>
                <h2>{t().documents}</h2>
                <table>
                    <thead>
                        <tr><th>{t().documents}</th><th>{t().pack}</th><th>{t().chunks}</th><th></th></tr>
                    </thead>
                    <tbody id="kb-docs">
                        {move || {
                            docs.get()
                                .into_iter()
                                .map(|d| {
                                    let id = d.id;
                                    let own = d.pack == USER_PACK;
                                    view! {
                                        <tr class:incomplete=!d.ready>
                                            <td title=d.path.clone()>{d.title.clone()}</td>
                                            <td>{d.pack.clone()}</td>
                                            <td>{d.chunks}</td>
                                            <td>
                                                <button
                                                    class="small"
                                                    disabled=!own
                                                    title=if own { String::new() } else { t().pack_read_only.to_string() }
                                                    on:click=move |_| remove(id)
                                                >
                                                    {t().remove}
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </section>
            <section class="kb-find">
                <h2>{t().search}</h2>
                <div class="row">
                    <input
                        id="kb-query"
                        type="search"
                        placeholder=t().search_hint
                        aria-label=t().search
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                search();
                            }
                        }
                    />
                    <button id="kb-search" on:click=move |_| search()>{t().search}</button>
                </div>
                <ol class="hits" id="kb-hits">
                    {move || {
                        match hits.get() {
                            None => ().into_any(),
                            Some(list) if list.is_empty() => view! { <p class="muted">{t().no_hits}</p> }.into_any(),
                            Some(list) => list
                                .into_iter()
                                .map(|h| {
                                    let place = h.page.map(|p| fill(t().page_n, &[("n", p.to_string())])).unwrap_or_default();
                                    view! {
                                        <li class="hit">
                                            <div class="hit-title">{h.title.clone()}" "<span class="muted">{place}" "{h.heading_path.clone()}</span></div>
                                            <div class="snippet">{pieces_view(snippet_pieces(&h.snippet))}</div>
                                        </li>
                                    }
                                })
                                .collect_view()
                                .into_any(),
                        }
                    }}
                </ol>
                <h2>{t().ask}</h2>
                <div class="row">
                    <input
                        id="kb-question"
                        type="text"
                        placeholder=t().ask_hint
                        aria-label=t().ask
                        prop:value=move || question.get()
                        on:input=move |ev| question.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                ask();
                            }
                        }
                    />
                    <button id="kb-ask" class="primary" disabled=move || answering.busy() on:click=move |_| ask()>{t().ask}</button>
                    <button id="kb-ask-stop" disabled=move || !answering.busy() on:click=move |_| answering.stop()>{t().stop}</button>
                </div>
                <div class="answer" id="kb-answer" aria-live="polite">
                    {move || {
                        if answering.busy() {
                            return view! { <p class="streamed">{move || streamed.get()}</p> }.into_any();
                        }
                        let Some(a) = answer.get() else { return ().into_any() };
                        if !a.found {
                            return view! { <p>{t().not_found_in_kb}</p> }.into_any();
                        }
                        let valid: Vec<usize> = a.passages.iter().map(|p| p.n).collect();
                        let passages = a.passages.clone();
                        view! {
                            <p>
                                {answer_pieces(&a.text, &valid)
                                    .into_iter()
                                    .map(|piece| match piece {
                                        AnswerPiece::Text(s) => view! { <span>{s}</span> }.into_any(),
                                        AnswerPiece::Cite(n) => view! {
                                            <button
                                                class="cite"
                                                aria-expanded=move || (open_passage.get() == Some(n)).to_string()
                                                on:click=move |_| open_passage.update(|o| *o = if *o == Some(n) { None } else { Some(n) })
                                            >
                                                {format!("[{n}]")}
                                            </button>
                                        }
                                        .into_any(),
                                    })
                                    .collect_view()}
                            </p>
                            <h3>{t().sources}</h3>
                            <ol class="passages">
                                {passages
                                    .into_iter()
                                    .map(|p| {
                                        let n = p.n;
                                        let place = p.page.map(|pg| fill(t().page_n, &[("n", pg.to_string())])).unwrap_or_default();
                                        view! {
                                            <li class="passage" id=format!("passage-{n}") class:open=move || open_passage.get() == Some(n)>
                                                <button class="link" on:click=move |_| open_passage.update(|o| *o = if *o == Some(n) { None } else { Some(n) })>
                                                    {format!("[{n}] {} {place}", p.title)}
                                                </button>
                                                <div class="passage-text" hidden=move || open_passage.get() != Some(n)>{p.text.clone()}</div>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        }
                        .into_any()
                    }}
                </div>
            </section>
        </div>
    }
}
