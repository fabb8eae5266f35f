//! Wenshu's desktop UI: Leptos, rendered in the Tauri window. Every action goes through the
//! shell's commands (`ipc`), which delegate to the same API the terminal uses.

mod i18n;
mod ipc;
mod job;
mod preview;
mod screens;
mod text;
mod widgets;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wenshu_core::time::Zone;

use crate::i18n::t;
use wenshu_api::AppInfo;
use wenshu_api::command::{self, DesktopStatus};

/// The screens of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    Draft,
    Check,
    Minutes,
    Summary,
    Kb,
    Chat,
    Audit,
    Eval,
    Settings,
    /// An app without a screen of its own, opened from the catalogue (not in the sidebar).
    App,
}

impl Screen {
    const ALL: [Screen; 10] = [
        Screen::Home,
        Screen::Draft,
        Screen::Check,
        Screen::Minutes,
        Screen::Summary,
        Screen::Kb,
        Screen::Chat,
        Screen::Audit,
        Screen::Eval,
        Screen::Settings,
    ];

    fn label(self) -> &'static str {
        let t = t();
        match self {
            Screen::Home => t.nav_home,
            Screen::Draft => t.nav_draft,
            Screen::Check => t.nav_check,
            Screen::Minutes => t.nav_minutes,
            Screen::Summary => t.nav_summary,
            Screen::Kb => t.nav_kb,
            Screen::Chat => t.nav_chat,
            Screen::Audit => t.nav_audit,
            Screen::Eval => t.nav_eval,
            Screen::Settings => t.nav_settings,
            Screen::App => t.nav_home,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Screen::Home => "home",
            Screen::Draft => "draft",
            Screen::Check => "check",
            Screen::Minutes => "minutes",
            Screen::Summary => "summary",
            Screen::Kb => "kb",
            Screen::Chat => "chat",
            Screen::Audit => "audit",
            Screen::Eval => "eval",
            Screen::Settings => "settings",
            Screen::App => "app",
        }
    }
}

/// A message at the bottom of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// State every screen can reach.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub screen: RwSignal<Screen>,
    pub apps: RwSignal<Vec<AppInfo>>,
    /// The drafting app open in the 公文起草 screen.
    pub draft_app: RwSignal<Option<String>>,
    /// The app open in the app runner.
    pub open_app: RwSignal<Option<String>>,
    pub status: RwSignal<Option<DesktopStatus>>,
    /// The zone times are shown in (the `ui.timezone` setting).
    pub zone: RwSignal<Zone>,
    pub notice: RwSignal<Option<Notice>>,
    /// The long work of every screen, for Esc to stop the current screen's.
    pub jobs: StoredValue<Vec<job::Job>>,
    /// Files dropped on the window, for the screen that takes them.
    pub dropped: RwSignal<Vec<String>>,
}

impl Ctx {
    pub fn ok(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: false,
            text: text.into(),
        }));
    }

    pub fn fail(&self, failure: &ipc::Failure) {
        self.notice.set(Some(Notice {
            error: true,
            text: format!("{}：{}", i18n::error_kind(failure.code), failure.message),
        }));
    }

    pub fn refresh_status(&self) {
        let status = self.status;
        spawn_local(async move {
            if let Ok(s) = ipc::invoke(&command::Status {}).await {
                status.set(Some(s));
            }
        });
    }

    /// Reads the catalogue again (after a pack is installed or removed).
    pub fn refresh_apps(&self) {
        let apps = self.apps;
        let this = *self;
        spawn_local(async move {
            match ipc::invoke(&command::Apps {}).await {
                Ok(list) => apps.set(list),
                Err(f) => this.fail(&f),
            }
        });
    }

    /// Reads the zone times are shown in from the settings.
    pub fn refresh_zone(&self) {
        let zone = self.zone;
        spawn_local(async move {
            if let Ok(settings) = ipc::invoke(&command::Settings {}).await {
                zone.set(text::zone_setting(&settings));
            }
        });
    }

    /// Stops the long work started last on the screen in view (Esc): on the knowledge base,
    /// stopping an answer leaves a long add running.
    pub fn cancel(&self) {
        let screen = self.screen.get_untracked();
        self.jobs.with_value(|jobs| {
            if let Some(job) = jobs
                .iter()
                .filter(|j| j.screen == screen)
                .max_by_key(|j| j.run_number())
            {
                job.stop();
            }
        });
    }
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

#[component]
fn App() -> impl IntoView {
    let ctx = Ctx {
        screen: RwSignal::new(Screen::Home),
        apps: RwSignal::new(Vec::new()),
        draft_app: RwSignal::new(None),
        open_app: RwSignal::new(None),
        status: RwSignal::new(None),
        zone: RwSignal::new(Zone::CHINA),
        notice: RwSignal::new(None),
        jobs: StoredValue::new(Vec::new()),
        dropped: RwSignal::new(Vec::new()),
    };
    provide_context(ctx);
    ctx.refresh_status();
    ctx.refresh_zone();
    ctx.refresh_apps();
    ipc::on_file_drop(move |paths| {
        // The knowledge base, minutes and summaries take their own files; elsewhere a drop is
        // a draft to check.
        if !matches!(
            ctx.screen.get_untracked(),
            Screen::Kb | Screen::Minutes | Screen::Summary
        ) {
            ctx.screen.set(Screen::Check);
        }
        ctx.dropped.set(paths);
    });
    let on_key = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            ctx.cancel();
        }
    });
    on_cleanup(move || on_key.remove());

    view! {
        <div class="shell">
            <nav class="sidebar" aria-label=t().nav_label>
                <div class="brand">
                    <img src="favicon.png" alt="" width="28" height="28"/>
                    <div>
                        <div class="brand-name">{t().app_name}</div>
                        <div class="brand-tag">{t().tagline}</div>
                    </div>
                </div>
                {Screen::ALL
                    .into_iter()
                    .map(|s| {
                        view! {
                            <button
                                class="nav"
                                id=format!("nav-{}", s.id())
                                class:active=move || ctx.screen.get() == s || (s == Screen::Home && ctx.screen.get() == Screen::App)
                                aria-current=move || (ctx.screen.get() == s).then_some("page")
                                on:click=move |_| ctx.screen.set(s)
                            >
                                {s.label()}
                            </button>
                        }
                    })
                    .collect_view()}
                <div class="sidebar-foot">
                    <div class="offline">{t().offline}</div>
                    <div class="model" id="status-model">
                        {move || match ctx.status.get() {
                            Some(DesktopStatus { model: Some(m), .. }) => format!("{}：{m}", t().model_label),
                            Some(_) => t().model_none.to_string(),
                            None => String::new(),
                        }}
                    </div>
                </div>
            </nav>
            // Every screen stays mounted, so a draft or a search is still there after a visit
            // elsewhere; only the current one shows.
            <main class="content">
                // Every screen of the sidebar, and the app runner.
                {Screen::ALL
                    .into_iter()
                    .chain([Screen::App])
                    .map(|s| {
                        let body = match s {
                            Screen::Home => screens::home::Home().into_any(),
                            Screen::Draft => screens::draft::DraftScreen().into_any(),
                            Screen::Check => screens::check::CheckScreen().into_any(),
                            Screen::Minutes => screens::minutes::MinutesScreen().into_any(),
                            Screen::Summary => screens::summary::SummaryScreen().into_any(),
                            Screen::Kb => screens::kb::KbScreen().into_any(),
                            Screen::Chat => screens::chat::ChatScreen().into_any(),
                            Screen::Audit => screens::audit::AuditScreen().into_any(),
                            Screen::Eval => screens::eval::EvalScreen().into_any(),
                            Screen::Settings => screens::settings::SettingsScreen().into_any(),
                            Screen::App => screens::app::AppScreen().into_any(),
                        };
                        view! {
                            <section
                                class="screen"
                                id=format!("screen-{}", s.id())
                                hidden=move || ctx.screen.get() != s
                            >
                                {body}
                            </section>
                        }
                    })
                    .collect_view()}
            </main>
            {move || {
                ctx.notice
                    .get()
                    .map(|n| {
                        view! {
                            <div class="notice" class:error=n.error role="status" id="notice">
                                <span>{n.text}</span>
                                <button on:click=move |_| ctx.notice.set(None) aria-label=t().close>
                                    "×"
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
