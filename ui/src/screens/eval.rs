//! 测评: runs the built-in suite on the models chosen, with a progress bar, and shows each
//! dimension's score side by side in the same chart and tables as the HTML report; past runs
//! below, to compare with.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{fill, t};
use crate::ipc;
use crate::job::Job;
use crate::widgets::{Meter, ProgressBar};
use crate::{Screen, ctx};
use wenshu_api::command;
use wenshu_api::eval::chart_svg;
use wenshu_api::{
    Dimension, DimensionScore, ErrorCode, EvalReport, EvalRunInfo, ModelInfo, Progress,
};

#[component]
pub fn EvalScreen() -> impl IntoView {
    let ctx = ctx();
    let models = RwSignal::new(Vec::<ModelInfo>::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let only = RwSignal::new(Dimension::ALL.to_vec());
    let html = RwSignal::new(String::new());
    let job = Job::new(Screen::Eval);
    let meter = Meter::new();
    let report = RwSignal::new(None::<EvalReport>);
    let history = RwSignal::new(Vec::<EvalRunInfo>::new());

    let reload = move || {
        spawn_local(async move {
            match ipc::invoke(&command::Models {}).await {
                Ok(list) => {
                    if chosen.get_untracked().is_empty()
                        && let Some(active) = list.iter().find(|m| m.active)
                    {
                        chosen.set(vec![active.name.clone()]);
                    }
                    models.set(list);
                }
                Err(f) => ctx.fail(&f),
            }
            match ipc::invoke(&command::EvalHistory { limit: 20 }).await {
                Ok(list) => history.set(list),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    Effect::new(move |_| {
        if ctx.screen.get() == Screen::Eval {
            reload();
        }
    });

    let run = move || {
        let models = chosen.get_untracked();
        let only = only.get_untracked();
        let path = html.get_untracked();
        let html = (!path.trim().is_empty()).then_some(path);
        let on_progress = move |p: Progress| {
            if let Progress::Step { step, of, label } = p {
                meter.show(step, of, label);
            }
        };
        let on_done = move |result: Result<EvalReport, ipc::Failure>| {
            match result {
                Ok(r) => {
                    ctx.ok(fill(
                        t().eval_done,
                        &[("s", format!("{:.0}", r.seconds)), ("id", r.id.to_string())],
                    ));
                    report.set(Some(r));
                }
                Err(f) if f.code == ErrorCode::Cancelled => ctx.ok(t().cancelled),
                Err(f) => ctx.fail(&f),
            }
            reload();
        };
        meter.reset();
        job.start(
            move |job| command::Eval {
                models,
                only,
                html,
                job,
            },
            on_progress,
            on_done,
        );
    };

    let toggle_model = move |name: String| {
        chosen.update(|c| {
            if let Some(i) = c.iter().position(|n| *n == name) {
                c.remove(i);
            } else {
                c.push(name);
            }
        });
    };
    let toggle_dimension = move |d: Dimension| {
        only.update(|o| {
            if let Some(i) = o.iter().position(|x| *x == d) {
                o.remove(i);
            } else {
                o.push(d);
            }
        });
    };

    view! {
        <div class="eval">
            <section class="eval-form" aria-label=t().eval_form>
                <h2>{t().eval_title}</h2>
                <p class="muted">{t().eval_hint}</p>
                <fieldset>
                    <legend>{t().eval_models}</legend>
                    {move || {
                        models
                            .get()
                            .into_iter()
                            .map(|m| {
                                let name = m.name.clone();
                                let checked = chosen.get().contains(&name);
                                view! {
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            class="eval-model"
                                            prop:checked=checked
                                            on:change=move |_| toggle_model(name.clone())
                                        />
                                        {m.name.clone()}
                                    </label>
                                }
                            })
                            .collect_view()
                    }}
                </fieldset>
                <fieldset>
                    <legend>{t().eval_dimensions}</legend>
                    {Dimension::ALL
                        .into_iter()
                        .map(|d| {
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        id=format!("eval-{}", d.id())
                                        prop:checked=move || only.get().contains(&d)
                                        on:change=move |_| toggle_dimension(d)
                                    />
                                    {d.name_zh()}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="field">
                    <label for="eval-html">{t().eval_html}</label>
                    <input
                        id="eval-html"
                        type="text"
                        prop:value=move || html.get()
                        on:input=move |ev| html.set(event_target_value(&ev))
                    />
                </div>
                <div class="actions">
                    <button
                        id="eval-run"
                        class="primary"
                        disabled=move || job.busy() || chosen.get().is_empty() || only.get().is_empty()
                        on:click=move |_| run()
                    >
                        {t().eval_run}
                    </button>
                    <button id="eval-stop" disabled=move || !job.busy() on:click=move |_| job.stop()>
                        {t().stop}
                    </button>
                </div>
                <Show when=move || job.busy()>
                    <ProgressBar meter=meter/>
                </Show>
            </section>
            <section class="eval-result" id="eval-result">
                {move || report.get().map(|r| view! { <EvalResult report=r/> })}
            </section>
            <section class="eval-history">
                <h3>{t().eval_history}</h3>
                <ul id="eval-history">
                    {move || {
                        history
                            .get()
                            .into_iter()
                            .map(|run| {
                                let scores: Vec<String> = run
                                    .dimensions
                                    .iter()
                                    .map(|d| format!("{} {:.3}", d.dimension.name_zh(), d.score))
                                    .collect();
                                let time = ctx.zone.get().format(run.started_ms);
                                view! {
                                    <li>
                                        {format!("#{} {} {}：{}", run.id, time, run.model, scores.join("，"))}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </div>
    }
}

/// A run's chart and its score table, models side by side.
#[component]
fn EvalResult(report: EvalReport) -> impl IntoView {
    let svg = chart_svg(&report);
    let header = report
        .models
        .iter()
        .map(|m| view! { <th>{m.model.clone()}</th> })
        .collect_view();
    let rows = report
        .dimensions
        .iter()
        .map(|d| {
            let cells = report
                .models
                .iter()
                .map(|m| {
                    let text = m
                        .dimensions
                        .iter()
                        .find(|s| s.dimension == *d)
                        .map_or_else(String::new, DimensionScore::summary);
                    view! { <td>{text}</td> }
                })
                .collect_view();
            view! { <tr><td>{d.name_zh()}</td>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="eval-chart" inner_html=svg></div>
        <table class="eval-table" id="eval-table">
            <tr><th>{t().eval_dimension}</th>{header}</tr>
            {rows}
        </table>
        <p class="muted small-text">{format!("SHA-256 {}", report.suite.sha256)}</p>
    }
}
