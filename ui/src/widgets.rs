//! Pieces several screens use: form fields from an app's schema, the findings list, highlighted
//! snippets, progress and the source pane of minutes and summaries.

use std::collections::BTreeMap;

use leptos::html::Textarea;
use leptos::prelude::*;

use crate::i18n::{fill, t};
use crate::text::{Piece, counts, line_range};
use wenshu_api::{FieldInfo, FieldKind, FindingInfo, SourceLine, SourceRef};

/// One input of a form, built from its schema.
#[component]
pub fn FieldInput(
    field: FieldInfo,
    values: RwSignal<BTreeMap<String, String>>,
    /// Before the input's id, for a form that shares a window with another of the same keys.
    #[prop(optional)]
    prefix: &'static str,
) -> impl IntoView {
    let key = field.key.clone();
    let id = format!("{prefix}field-{}", field.key);
    let value = {
        let key = key.clone();
        move || values.with(|v| v.get(&key).cloned().unwrap_or_default())
    };
    let set = move |text: String| {
        values.update(|v| {
            v.insert(key.clone(), text);
        });
    };
    let label = if field.required {
        format!("{} *", field.label)
    } else {
        field.label.clone()
    };
    let input = match field.kind {
        FieldKind::Textarea | FieldKind::List => {
            let rows = if field.kind == FieldKind::Textarea {
                6
            } else {
                2
            };
            view! {
                <textarea
                    id=id.clone()
                    name=field.key.clone()
                    rows=rows
                    placeholder=field.placeholder.clone()
                    required=field.required
                    prop:value=value
                    on:input=move |ev| set(event_target_value(&ev))
                ></textarea>
            }
            .into_any()
        }
        FieldKind::Choice => view! {
            <select
                id=id.clone()
                name=field.key.clone()
                prop:value=value
                on:change=move |ev| set(event_target_value(&ev))
            >
                {field
                    .options
                    .iter()
                    .map(|o| {
                        let shown = if o.is_empty() { t().no_choice.to_string() } else { o.clone() };
                        view! { <option value=o.clone()>{shown}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        FieldKind::Text | FieldKind::Date | FieldKind::Number | FieldKind::File => view! {
            <input
                id=id.clone()
                name=field.key.clone()
                type="text"
                placeholder=field.placeholder.clone()
                required=field.required
                prop:value=value
                on:input=move |ev| set(event_target_value(&ev))
            />
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
        </div>
    }
}

/// Findings beside the text in `editor`: each with its line, message and suggestion; a click
/// selects the line in the editor, and lines a mechanical fix can mend get a button.
#[component]
pub fn FindingsList(
    #[prop(into)] findings: Signal<Vec<FindingInfo>>,
    #[prop(into)] fixable: Signal<Vec<usize>>,
    editor: NodeRef<Textarea>,
    on_fix: Callback<Option<usize>>,
) -> impl IntoView {
    let show_line = move |n: usize| {
        if let Some(el) = editor.get_untracked()
            && let Some((start, end)) = line_range(&el.value(), n)
        {
            let _ = el.focus();
            let _ = el.set_selection_range(start, end);
        }
    };
    view! {
        <div class="findings" id="findings">
            <div class="findings-head">
                <strong>{t().findings}</strong>
                <span class="counts">
                    {move || {
                        let list = findings.get();
                        if list.is_empty() {
                            t().no_findings.to_string()
                        } else {
                            let (e, w) = counts(&list);
                            fill(t().finding_counts, &[("e", e.to_string()), ("w", w.to_string())])
                        }
                    }}
                </span>
                <button
                    class="small"
                    id="fix-all"
                    disabled=move || fixable.get().is_empty()
                    on:click=move |_| on_fix.run(None)
                >
                    {t().fix_all}
                </button>
            </div>
            <ul>
                {move || {
                    let fixable = fixable.get();
                    findings
                        .get()
                        .into_iter()
                        .map(|f| {
                            let line = f.line;
                            let can_fix = fixable.contains(&line);
                            view! {
                                <li class=format!("finding {}", f.severity)>
                                    <button class="link" on:click=move |_| show_line(line)>
                                        {fill(t().line_n, &[("n", line.to_string())])}
                                    </button>
                                    <span class="rule">{f.rule.clone()}</span>
                                    <div class="message">{f.message.clone()}</div>
                                    {f.suggestion.clone().map(|s| view! { <div class="suggestion">{s}</div> })}
                                    {can_fix
                                        .then(|| {
                                            view! {
                                                <button class="small" on:click=move |_| on_fix.run(Some(line))>
                                                    {t().fix_line}
                                                </button>
                                            }
                                        })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// A snippet with the query's words marked.
pub fn pieces_view(pieces: Vec<Piece>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|p| {
            if p.marked {
                view! { <mark>{p.text}</mark> }.into_any()
            } else {
                view! { <span>{p.text}</span> }.into_any()
            }
        })
        .collect_view()
}

/// How far a run has come: steps done of the total, and what it is on now (a step's name, a
/// file). A screen keeps one per kind of long work and shows it with [`ProgressBar`].
#[derive(Debug, Clone, Copy)]
pub struct Meter {
    pub done: RwSignal<usize>,
    pub total: RwSignal<usize>,
    pub current: RwSignal<String>,
}

impl Default for Meter {
    fn default() -> Self {
        Self::new()
    }
}

impl Meter {
    pub fn new() -> Self {
        Self {
            done: RwSignal::new(0),
            total: RwSignal::new(0),
            current: RwSignal::new(String::new()),
        }
    }

    /// Back to nothing done, before a run starts.
    pub fn reset(&self) {
        self.show(0, 0, String::new());
    }

    pub fn show(&self, done: usize, total: usize, current: String) {
        self.done.set(done);
        self.total.set(total);
        self.current.set(current);
    }
}

/// A progress bar with its label: what the meter is on now, unless `label` says otherwise.
#[component]
pub fn ProgressBar(
    meter: Meter,
    #[prop(optional, into)] label: Option<Signal<String>>,
) -> impl IntoView {
    let Meter {
        done,
        total,
        current,
    } = meter;
    let label = label.unwrap_or_else(|| current.into());
    view! {
        <div class="progress" role="progressbar"
            aria-valuemin="0"
            aria-valuemax=move || total.get().to_string()
            aria-valuenow=move || done.get().to_string()
        >
            <div
                class="bar"
                style:width=move || {
                    let total = total.get().max(1);
                    format!("{}%", done.get() * 100 / total)
                }
            ></div>
            <span class="progress-label">{label}</span>
        </div>
    }
}

/// What a long run's progress bar says: steps done of the total, and the time left.
pub fn piece_label(done: usize, total: usize, remaining_ms: Option<u64>) -> String {
    let mut label = fill(
        t().piece_progress,
        &[("d", done.to_string()), ("t", total.to_string())],
    );
    if let Some(ms) = remaining_ms {
        label.push_str(&fill(
            t().time_left,
            &[("s", ms.div_ceil(1000).to_string())],
        ));
    }
    label
}

/// A transcript's lines or a document's paragraphs, numbered; those `selected` points at are
/// lit up, and the first of them is scrolled into view.
#[component]
pub fn SourcePane(
    id: &'static str,
    lines: RwSignal<Vec<SourceLine>>,
    selected: RwSignal<Vec<SourceRef>>,
) -> impl IntoView {
    Effect::new(move |_| {
        let chosen = selected.get();
        let first = lines.with(|all| all.iter().position(|l| chosen.iter().any(|r| r.covers(l))));
        if let Some(i) = first {
            request_animation_frame(move || {
                if let Some(el) = document().get_element_by_id(&format!("{id}-{i}")) {
                    el.scroll_into_view();
                }
            });
        }
    });
    view! {
        <ol class="source-lines" id=id>
            {move || {
                lines
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, line)| {
                        let number = match line.page {
                            Some(page) => fill(
                                t().line_on_page,
                                &[("n", line.number.to_string()), ("p", page.to_string())],
                            ),
                            None => line.number.to_string(),
                        };
                        let speaker = line
                            .speaker
                            .as_ref()
                            .map(|s| format!("{s}："))
                            .unwrap_or_default();
                        let text = line.text.clone();
                        let lit = move || selected.with(|s| s.iter().any(|r| r.covers(&line)));
                        view! {
                            <li id=format!("{id}-{i}") class:lit=lit>
                                <span class="n">{number}</span>
                                <span class="who">{speaker}</span>
                                {text}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ol>
    }
}
