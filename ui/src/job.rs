//! Long work in the shell (drafting, cited answers, chat, adding documents). Each run has a job
//! number, streams its progress through a channel, and stops by that number: with its screen's
//! stop button, or Esc on that screen.

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wenshu_api::Progress;
use wenshu_api::command::{self, Command};

use crate::ipc::{self, Channel, Failure};
use crate::{Screen, ctx};

thread_local! {
    static NEXT_JOB: Cell<u64> = const { Cell::new(1) };
}

fn next_job() -> u64 {
    NEXT_JOB.with(|n| {
        let job = n.get();
        n.set(job + 1);
        job
    })
}

/// One kind of long work on one screen; a screen may have several (the knowledge base adds
/// documents and answers questions). At most one run of each at a time.
#[derive(Debug, Clone, Copy)]
pub struct Job {
    pub screen: Screen,
    running: RwSignal<Option<u64>>,
}

impl Job {
    /// A job of `screen`, which Esc on that screen stops.
    pub fn new(screen: Screen) -> Self {
        let job = Self {
            screen,
            running: RwSignal::new(None),
        };
        ctx().jobs.update_value(|jobs| jobs.push(job));
        job
    }

    /// Whether it runs; a view that reads this follows it.
    pub fn busy(&self) -> bool {
        self.running.with(Option::is_some)
    }

    /// Whether it runs, read once (for event handlers).
    pub fn is_running(&self) -> bool {
        self.running.with_untracked(Option::is_some)
    }

    /// The number of the current run (they count up, so the latest run has the largest), or
    /// `None` when it does not run.
    pub fn run_number(&self) -> Option<u64> {
        self.running.get_untracked()
    }

    /// Asks the shell to stop the current run, if there is one.
    pub fn stop(&self) {
        if let Some(id) = self.running.get_untracked() {
            spawn_local(async move {
                let _ = ipc::invoke(&command::Cancel { job: id }).await;
            });
        }
    }

    /// Runs the streaming command that `args` makes for a job number. `on_progress` gets each
    /// progress message, `on_done` the result. Returns `false`, and does nothing, while a run is
    /// still going.
    pub fn start<C: Command + 'static>(
        &self,
        args: impl FnOnce(u64) -> C,
        on_progress: impl FnMut(Progress) + 'static,
        on_done: impl FnOnce(Result<C::Reply, Failure>) + 'static,
    ) -> bool {
        if self.is_running() {
            return false;
        }
        let channel = match Channel::new(on_progress) {
            Ok(c) => c,
            Err(f) => {
                on_done(Err(f));
                return false;
            }
        };
        let id = next_job();
        let args = args(id);
        self.running.set(Some(id));
        let running = self.running;
        spawn_local(async move {
            let result = ipc::invoke_streaming(&args, &channel).await;
            // Messages still in flight have nowhere to go after this.
            drop(channel);
            running.set(None);
            on_done(result);
        });
        true
    }
}
