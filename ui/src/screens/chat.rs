//! 对话: chat with the local model, the answer streamed as it is written, and the history of
//! earlier conversations kept on this computer.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::t;
use crate::ipc;
use crate::job::Job;
use crate::{Screen, ctx};
use wenshu_api::command;
use wenshu_api::{Answer, ConversationInfo, Progress};

/// A message on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bubble {
    mine: bool,
    text: String,
    cancelled: bool,
}

#[component]
pub fn ChatScreen() -> impl IntoView {
    let ctx = ctx();
    let history = RwSignal::new(Vec::<ConversationInfo>::new());
    let conversation = RwSignal::new(None::<i64>);
    let bubbles = RwSignal::new(Vec::<Bubble>::new());
    let input = RwSignal::new(String::new());
    let job = Job::new(Screen::Chat);
    let streamed = RwSignal::new(String::new());

    let reload = move || {
        spawn_local(async move {
            match ipc::invoke(&command::History { limit: 50 }).await {
                Ok(list) => history.set(list),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    Effect::new(move |_| {
        if ctx.screen.get() == Screen::Chat {
            reload();
        }
    });
    let open = move |id: i64| {
        spawn_local(async move {
            match ipc::invoke(&command::Conversation { id }).await {
                Ok(detail) => {
                    conversation.set(Some(id));
                    bubbles.set(
                        detail
                            .messages
                            .into_iter()
                            .filter(|m| m.role != "system")
                            .map(|m| Bubble {
                                mine: m.role == "user",
                                text: m.content,
                                cancelled: m.cancelled,
                            })
                            .collect(),
                    );
                }
                Err(f) => ctx.fail(&f),
            }
        });
    };
    let send = move || {
        let text = input.get_untracked();
        if text.trim().is_empty() || job.is_running() {
            return;
        }
        let on_progress = move |p: Progress| {
            if let Progress::Text { text } = p {
                streamed.update(|s| s.push_str(&text));
            }
        };
        let question = text.clone();
        let on_done = move |result: Result<Answer, ipc::Failure>| match result {
            Ok(answer) => {
                conversation.set(Some(answer.conversation_id));
                bubbles.update(|b| {
                    b.push(Bubble {
                        mine: false,
                        text: answer.text,
                        cancelled: answer.stop == "cancelled",
                    })
                });
                reload();
                ctx.refresh_status();
            }
            Err(f) => {
                // The question stays visible so it can be sent again.
                input.set(question);
                bubbles.update(|b| {
                    b.pop();
                });
                ctx.fail(&f);
            }
        };
        let conversation_id = conversation.get_untracked();
        let sent = text.clone();
        bubbles.update(|b| {
            b.push(Bubble {
                mine: true,
                text,
                cancelled: false,
            })
        });
        input.set(String::new());
        streamed.set(String::new());
        job.start(
            move |job| command::ChatSend {
                conversation: conversation_id,
                text: sent,
                job,
            },
            on_progress,
            on_done,
        );
    };
    let new_chat = move |_| {
        conversation.set(None);
        bubbles.set(Vec::new());
    };

    view! {
        <div class="chat">
            <aside class="chat-history" aria-label=t().chat_history>
                <button id="chat-new" class="primary" disabled=move || job.busy() on:click=new_chat>{t().chat_new}</button>
                <h2>{t().chat_history}</h2>
                <ul id="chat-history">
                    {move || {
                        let zone = ctx.zone.get();
                        history
                            .get()
                            .into_iter()
                            .map(move |c| {
                                let id = c.id;
                                view! {
                                    <li>
                                        <button
                                            class="link"
                                            class:active=move || conversation.get() == Some(id)
                                            disabled=move || job.busy()
                                            on:click=move |_| open(id)
                                        >
                                            <div>{c.title.clone()}</div>
                                            <div class="muted small-text">{zone.format(c.updated_at_ms)}</div>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </aside>
            <div class="chat-main">
                <div class="messages" id="chat-messages" aria-live="polite">
                    {move || {
                        bubbles
                            .get()
                            .into_iter()
                            .map(|b| {
                                view! {
                                    <div class="bubble" class:mine=b.mine>
                                        <div class="who">{if b.mine { t().you } else { t().assistant }}</div>
                                        <div class="said">{b.text}{b.cancelled.then_some(t().answer_cancelled)}</div>
                                    </div>
                                }
                            })
                            .collect_view()
                    }}
                    {move || {
                        job.busy()
                            .then(|| {
                                view! {
                                    <div class="bubble">
                                        <div class="who">{t().assistant}</div>
                                        <div class="said" id="chat-streaming">{move || streamed.get()}"▍"</div>
                                    </div>
                                }
                            })
                    }}
                </div>
                <div class="composer">
                    <textarea
                        id="chat-input"
                        rows="3"
                        placeholder=t().chat_hint
                        aria-label=t().chat_hint
                        prop:value=move || input.get()
                        on:input=move |ev| input.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" && ev.ctrl_key() {
                                ev.prevent_default();
                                send();
                            }
                        }
                    ></textarea>
                    <div class="actions">
                        <button id="chat-send" class="primary" disabled=move || job.busy() on:click=move |_| send()>{t().send}</button>
                        <button id="chat-stop" disabled=move || !job.busy() on:click=move |_| job.stop()>{t().stop}</button>
                    </div>
                </div>
            </div>
        </div>
    }
}
