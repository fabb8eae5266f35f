//! `wenshu`: the terminal front end. Parses arguments, calls `wenshu-app`, formats the results
//! (human text on a terminal, one JSON document with `--json`) and maps errors to exit codes.

mod chat;
mod help;
mod output;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use wenshu_app::api::messages::cli as msg;
use wenshu_app::api::{MeetingFields, MinutesRequest, SummaryLength, SummaryRequest};
use wenshu_app::input::{read_text, read_text_file};
use wenshu_app::kb::KbAddReport;
use wenshu_app::{
    AppError, AskOptions, Cancel, DraftEvent, DraftRequest, ErrorCode, ImportMode, LongEvent,
    Wenshu,
};

use crate::output::Output;

/// The largest question file `ask -f` reads; longer documents go to the summariser.
const MAX_QUESTION_BYTES: u64 = 4 << 20;

#[derive(Debug, Parser)]
#[command(
    name = "wenshu",
    version,
    about = "文枢 Wenshu: an offline AI assistant for government work"
)]
struct Cli {
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ask one question and print the answer (the question may also come from -f or stdin).
    Ask(AskArgs),
    /// Talk with the assistant interactively.
    Chat(ChatArgs),
    /// Import, list, choose and verify GGUF models.
    #[command(subcommand)]
    Model(ModelCommand),
    /// List past conversations or show one.
    History(HistoryArgs),
    /// The audit log (审计日志): list its newest entries, write a signed checkpoint, verify
    /// its hash chain, export it.
    Audit(AuditArgs),
    /// Draft an official document (公文) of one of the 15 types and check it.
    Draft(Box<DraftArgs>),
    /// The knowledge base: add documents, search them in Chinese, list and remove them.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Check a draft (.docx, .txt or .md) against the 公文 rules; exit 1 when errors are found.
    Check(CheckArgs),
    /// Check the model, data directory, CPU and build.
    Doctor,
    /// Measure prompt processing and generation speed of the active model.
    Bench(BenchArgs),
    /// Evaluate models (测评) on a suite and compare them side by side; exit 1 if a case fails.
    Eval(EvalArgs),
    /// Minutes (会议纪要) from transcripts or notes of any length; every item names its lines.
    Minutes(MinutesArgs),
    /// Summarise documents (PDF, DOCX, TXT, MD, HTML) of any length, citing pages or sections.
    Summarize(SummarizeArgs),
    /// Packs (应用包): list, show, install, update and remove them; for IT, make a signing key,
    /// sign a pack and check a pack's signature.
    #[command(subcommand)]
    Packs(PacksCommand),
    /// The apps (应用超市): list them and run any of them with its form's inputs.
    #[command(subcommand)]
    Apps(AppsCommand),
    /// Calls and tokens from the audit log, grouped by user, app, model or day (可计量).
    Usage {
        /// user, app, model or day.
        #[arg(long, default_value = "day")]
        by: String,
        /// The first day counted (2024-03-20; default: 29 days before today).
        #[arg(long)]
        from: Option<String>,
        /// The last day counted (default: today).
        #[arg(long)]
        to: Option<String>,
    },
    /// Show the settings in force, each with what fixes it, or change one in your file.
    #[command(subcommand)]
    Settings(SettingsCommand),
}

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
struct AuditArgs {
    #[command(subcommand)]
    command: Option<AuditCommand>,
    #[command(flatten)]
    list: AuditListArgs,
}

#[derive(Debug, Clone, clap::Args)]
struct AuditListArgs {
    /// How many entries to show.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Every entry (searches, exports, pack changes, policy loads), not only model calls and
    /// refusals.
    #[arg(long)]
    all: bool,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// The newest entries: one per model call, and refusals (the default).
    List(AuditListArgs),
    /// Write a signed checkpoint of the log (entry count and head hash) for IT to keep.
    Checkpoint {
        /// The checkpoint file (its signature goes beside it, as FILE.minisig).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Recompute the hash chain and name the first bad entry; exit 2 when one is found.
    Verify {
        /// A checkpoint written earlier, to find a log cut short (repeatable).
        #[arg(long = "checkpoint")]
        checkpoints: Vec<PathBuf>,
    },
    /// Export entries as CSV or JSON Lines.
    Export {
        /// The first day (2024-03-20; default: the first entry).
        #[arg(long)]
        from: Option<String>,
        /// The last day (default: today).
        #[arg(long)]
        to: Option<String>,
        /// csv or jsonl.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The file to write.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum SettingsCommand {
    /// Every setting, its value, and the reason when the admin policy or a variable fixes it.
    List,
    /// Change one setting in your settings file (refused for a locked one, with the reason).
    Set {
        /// The setting, section.name (e.g. model.threads).
        key: String,
        /// Its new value.
        value: String,
    },
}

#[derive(Debug, Subcommand)]
enum AppsCommand {
    /// List the apps, built in, pushed by IT and installed here, with their inputs.
    List {
        /// Only the apps of this category (e.g. 公文写作).
        #[arg(long)]
        category: Option<String>,
    },
    /// Run an app: `--input key=value` for each input of its form.
    Run {
        /// The app's id (see `wenshu apps list`).
        id: String,
        /// An input of the app's form, key=value (repeat for each).
        #[arg(long = "input", value_name = "KEY=VALUE")]
        inputs: Vec<String>,
        /// An input read from a UTF-8 text file, key=PATH (repeat for each).
        #[arg(long = "input-file", value_name = "KEY=PATH")]
        input_files: Vec<String>,
        /// Save the result: .docx, .md, .txt or .json, as the app allows.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum PacksCommand {
    /// List the packs on this desktop: built in, pushed by IT, installed here.
    List {
        /// Only the packs of this category.
        #[arg(long)]
        category: Option<String>,
    },
    /// Show one pack: what it is, where it comes from, who signed it, its form.
    Show {
        /// The pack's id.
        id: String,
    },
    /// Install a pack (a folder or a .wpk archive) for this user.
    Install {
        /// The pack: a folder with manifest.toml, or a .wpk archive.
        pack: PathBuf,
    },
    /// Replace an installed pack with a newer version.
    Update {
        /// The pack: a folder with manifest.toml, or a .wpk archive.
        pack: PathBuf,
    },
    /// Remove a pack installed here (built-in and managed packs stay).
    Remove {
        /// The pack's id.
        id: String,
    },
    /// Make a signing key pair: wenshu-pack.pub to hand out, wenshu-pack.key to keep offline.
    Keygen {
        /// The folder to write the two key files into (default: the current folder).
        #[arg(long, value_name = "DIR", default_value = ".")]
        dir: PathBuf,
    },
    /// Sign a pack (a folder, or a .wpk archive) with a secret key.
    Sign {
        /// The pack: a folder with manifest.toml, or a .wpk archive.
        pack: PathBuf,
        /// The secret key file made by `wenshu packs keygen`.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// Write the signed pack as an archive here (default: sign in place).
        #[arg(short = 'o', long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write and sign index.toml for the packs in a managed folder (IT, before each push).
    Index {
        /// The folder of packs, as desktops will get it.
        dir: PathBuf,
        /// The secret key file made by `wenshu packs keygen`.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// The index's sequence: higher than every index pushed before.
        #[arg(long)]
        sequence: u64,
    },
    /// Sign an admin policy (policy.toml) or, with --keys, a key list (keys.toml).
    SignFile {
        /// The policy or key list.
        file: PathBuf,
        /// The secret key file made by `wenshu packs keygen`.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// The file is a key list (sequence and keys) that rotates the trusted keys.
        #[arg(long)]
        keys: bool,
    },
    /// Check a pack's signature against public keys; exit 1 when it does not hold.
    Verify {
        /// The pack: a folder with manifest.toml, or a .wpk archive.
        pack: PathBuf,
        /// A trusted public key file (repeat for several).
        #[arg(long = "key", value_name = "FILE", required = true)]
        keys: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct MinutesArgs {
    /// Transcripts or notes: .txt, .md, .docx, .srt, .vtt (`-` reads standard input).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The meeting's name (the 纪要标志 is it with 纪要).
    #[arg(long)]
    title: Option<String>,
    /// The meeting's date: 2024-03-05 or 2024年3月5日.
    #[arg(long)]
    date: Option<String>,
    #[arg(long)]
    place: Option<String>,
    /// 主持人.
    #[arg(long)]
    chair: Option<String>,
    /// 出席 (repeat, or separate with commas).
    #[arg(long, value_name = "NAMES")]
    attendees: Vec<String>,
    /// 请假 (repeat, or separate with commas).
    #[arg(long, value_name = "NAMES")]
    absent: Vec<String>,
    /// 列席 (repeat, or separate with commas).
    #[arg(long, value_name = "NAMES")]
    observers: Vec<String>,
    /// A 会议记录 (speeches, decisions and votes) instead of a 纪要.
    #[arg(long)]
    record: bool,
    /// Go on from where a stopped run stopped, redoing no finished piece.
    #[arg(long)]
    resume: bool,
    /// Save to a file: .docx (GB/T 9704 layout), .md (with the lines of every item) or .txt.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct SummarizeArgs {
    /// Documents: .pdf, .docx, .txt, .md, .html.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// short, medium or long.
    #[arg(long, default_value = "medium")]
    length: String,
    /// How many key points (default by length: 3, 5, 8).
    #[arg(long)]
    points: Option<usize>,
    /// What the summary should attend to.
    #[arg(long)]
    focus: Option<String>,
    /// Go on from where a stopped run stopped, redoing no finished piece.
    #[arg(long)]
    resume: bool,
    /// Save the summary (Markdown with its citations) to a file.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct EvalArgs {
    /// A model to evaluate, by name (repeat for several; default: the active model).
    #[arg(long = "model", value_name = "NAME")]
    models: Vec<String>,
    /// A suite folder (suite.toml, drafting.toml, retrieval.toml, instructions.toml, minutes.toml,
    /// summaries.toml; default:
    /// the built-in suite).
    #[arg(long, value_name = "DIR")]
    suite: Option<PathBuf>,
    /// Only these dimensions: drafting, retrieval, answers, instructions, minutes,
    /// summaries, speed (comma-separated).
    #[arg(long, value_name = "LIST")]
    only: Option<String>,
    /// Write the report as one self-contained HTML file.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// List past runs instead of running.
    #[arg(long, conflicts_with_all = ["models", "suite", "only", "output"])]
    history: bool,
}

#[derive(Debug, Args)]
struct GenerationArgs {
    /// System prompt for this question (default: from settings).
    #[arg(long)]
    system: Option<String>,
    /// Sampling temperature; 0 is greedy and always gives the same answer.
    #[arg(long)]
    temperature: Option<f32>,
    /// Random seed for sampling.
    #[arg(long)]
    seed: Option<u32>,
    /// The most tokens the answer may have.
    #[arg(long)]
    max_tokens: Option<u32>,
}

#[derive(Debug, Args)]
struct AskArgs {
    /// The question; read from stdin when absent or `-`.
    question: Vec<String>,
    /// Read the question from a UTF-8 text file.
    #[arg(short = 'f', long = "file", conflicts_with = "question")]
    file: Option<PathBuf>,
    /// Answer from the knowledge base only, citing the numbered passages it used.
    #[arg(long)]
    kb: bool,
    #[command(flatten)]
    generation: GenerationArgs,
}

#[derive(Debug, Args)]
struct ChatArgs {
    /// Continue a stored conversation (see `wenshu history`).
    #[arg(long)]
    resume: Option<i64>,
    #[command(flatten)]
    generation: GenerationArgs,
}

#[derive(Debug, Subcommand)]
enum ModelCommand {
    /// Import a GGUF file into Wenshu's model directory.
    Import {
        file: PathBuf,
        /// Name to use (default: the file name without .gguf).
        #[arg(long)]
        name: Option<String>,
        /// Link to the file where it is instead of copying it.
        #[arg(long)]
        link: bool,
    },
    /// Register a model on an OpenAI-compatible inference server (llama-server, vLLM).
    AddServer {
        name: String,
        /// Base URL, http://host:port or https://host:port; repeat for servers to fail over to,
        /// in order.
        #[arg(long = "url", value_name = "URL", required = true)]
        urls: Vec<String>,
        /// The model's id on the server (default: the first it lists).
        #[arg(long, value_name = "ID")]
        model_id: Option<String>,
        /// PEM file of the CA that signs the servers' certificates.
        #[arg(long, value_name = "FILE")]
        ca: Option<PathBuf>,
        /// File holding the API key; only its owner may read it.
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
    },
    /// List imported models.
    List,
    /// Choose the model that answers.
    Use { name: String },
    /// Re-hash models and compare with the hashes recorded at import.
    Verify { name: Option<String> },
}

#[derive(Debug, Subcommand)]
enum KbCommand {
    /// Add files and folders (recursively): .txt, .md and .docx. Unchanged files are skipped.
    Add {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Classification level recorded with the documents (default 内部).
        #[arg(long)]
        level: Option<String>,
    },
    /// Search the knowledge base.
    Search {
        query: Vec<String>,
        #[arg(long, default_value_t = 5)]
        limit: usize,
    },
    /// List the documents in the knowledge base.
    List,
    /// Remove a document by its path or id.
    Remove { which: String },
    /// Build the index again from the files in the catalogue.
    Rebuild,
    /// Count documents and chunks in the catalogue and in the index.
    Stats,
}

#[derive(Debug, Args)]
struct DraftArgs {
    /// Document type: one of the 15 (通知, 请示, 函, …) or its English id.
    #[arg(long = "type", value_name = "TYPE")]
    doc_type: String,
    /// 发文机关: the issuing body.
    #[arg(long)]
    issuer: String,
    /// 主送机关 (repeat, or separate with commas).
    #[arg(long = "to", value_name = "BODY")]
    to: Vec<String>,
    /// What the document is about.
    #[arg(long)]
    topic: String,
    /// A UTF-8 text file of facts: the only source of numbers, dates and names in the body.
    #[arg(long, value_name = "FILE")]
    facts: Option<PathBuf>,
    /// 发文字号, e.g. 粤数〔2024〕7号.
    #[arg(long)]
    number: Option<String>,
    /// 成文日期: 2024-03-20 or 2024年3月20日 (default: today).
    #[arg(long)]
    date: Option<String>,
    /// 签发人, for 上行文 (repeat for several).
    #[arg(long = "signer", value_name = "NAME")]
    signers: Vec<String>,
    /// 附件 name (repeat for several, in order).
    #[arg(long = "attachment", value_name = "NAME")]
    attachments: Vec<String>,
    /// 抄送机关 (repeat, or separate with commas).
    #[arg(long = "cc", value_name = "BODY")]
    copy_to: Vec<String>,
    /// 联系人 and telephone, printed as the 附注.
    #[arg(long)]
    contact: Option<String>,
    /// 密级和保密期限: refused for 绝密, 机密 and 秘密, which may not be drafted on this computer.
    #[arg(long)]
    classification: Option<String>,
    /// 紧急程度: 特急 or 加急.
    #[arg(long)]
    urgency: Option<String>,
    /// Random seed for sampling.
    #[arg(long)]
    seed: Option<u32>,
    /// Save the document: .docx (GB/T 9704 layout), .md or .txt.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The draft to check.
    #[arg(required_unless_present = "rules")]
    file: Option<PathBuf>,
    /// Repair the mechanical problems (brackets, dates, punctuation) in place and show the diff.
    #[arg(long)]
    fix: bool,
    /// List the rules instead of checking.
    #[arg(long, conflicts_with_all = ["file", "fix"])]
    rules: bool,
}

#[derive(Debug, Args)]
struct HistoryArgs {
    /// Show this conversation in full.
    id: Option<i64>,
    #[arg(long, default_value_t = 20)]
    limit: usize,
}

#[derive(Debug, Args)]
struct BenchArgs {
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Prompt tokens to process.
    #[arg(long = "pp", default_value_t = 512)]
    prompt_tokens: u32,
    /// Tokens to generate.
    #[arg(long = "tg", default_value_t = 128)]
    generated_tokens: u32,
    #[arg(long, default_value_t = 5)]
    repetitions: u32,
}

/// The one cancellation flag Ctrl-C sets.
fn cancel_flag() -> &'static Cancel {
    static FLAG: OnceLock<Cancel> = OnceLock::new();
    FLAG.get_or_init(Cancel::new)
}

/// Ctrl-C presses since the last answer started.
static PRESSES: AtomicU32 = AtomicU32::new(0);

fn install_ctrl_c() {
    // Failing to install leaves Ctrl-C with its default meaning (quit), which is acceptable.
    let _ = ctrlc::set_handler(|| {
        cancel_flag().cancel();
        // A second Ctrl-C while the first is still being handled quits at once.
        if PRESSES.fetch_add(1, Ordering::SeqCst) >= 1 {
            std::process::exit(130);
        }
    });
}

/// Lets a new Ctrl-C cancel the next answer.
pub(crate) fn rearm_ctrl_c() {
    cancel_flag().reset();
    PRESSES.store(0, Ordering::SeqCst);
}

/// Output that its reader stopped reading (`wenshu check --rules | head -1`) ends the program
/// quietly, with the status a Unix tool killed by SIGPIPE has (141), not with a panic.
fn quiet_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info
            .payload_as_str()
            .is_some_and(|m| m.contains("Broken pipe") || m.contains("os error 32"))
        {
            std::process::exit(141);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_broken_pipe();
    wenshu_app::config::apply_process_settings(&std::env::vars().collect::<Vec<_>>());
    let parsed = help::localise(Cli::command())
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return match err.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(1),
            };
        }
    };
    install_ctrl_c();
    let out = Output::new(cli.json);
    match run(cli.command, &out) {
        Ok(code) => code,
        Err(err) => {
            out.error(&err);
            ExitCode::from(u8::try_from(err.code.exit_code()).unwrap_or(2))
        }
    }
}

fn run(command: Command, out: &Output) -> Result<ExitCode, AppError> {
    // `doctor` runs even under a policy that cannot take effect, to say why.
    if let Command::Doctor = command {
        let wenshu = Wenshu::open_for_doctor()?;
        let report = wenshu.doctor();
        out.doctor(&report);
        return Ok(if report.ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        });
    }
    // Nothing else runs under a policy that cannot take effect.
    let env: Vec<(String, String)> = std::env::vars().collect();
    wenshu_app::policy::load(&env, wenshu_app::now_ms())?;
    // Checking needs neither a model nor a data directory.
    let command = match command {
        Command::Check(args) => return check(&args, out),
        // Signing is IT's work on its own machine: no model, no data directory.
        Command::Packs(PacksCommand::Keygen { dir }) => {
            out.pack_key(&wenshu_app::packs::keygen(&dir)?);
            return Ok(ExitCode::SUCCESS);
        }
        Command::Packs(PacksCommand::Sign { pack, key, out: to }) => {
            out.pack_signed(&wenshu_app::packs::sign_pack(&pack, &key, to.as_deref())?);
            return Ok(ExitCode::SUCCESS);
        }
        Command::Packs(PacksCommand::Verify { pack, keys }) => {
            out.pack_verified(&wenshu_app::packs::verify_pack(&pack, &keys)?);
            return Ok(ExitCode::SUCCESS);
        }
        Command::Packs(PacksCommand::Index { dir, key, sequence }) => {
            out.signed_file(&wenshu_app::packs::write_index(&dir, &key, sequence)?);
            return Ok(ExitCode::SUCCESS);
        }
        Command::Packs(PacksCommand::SignFile { file, key, keys }) => {
            out.signed_file(&wenshu_app::packs::sign_file(&file, &key, keys)?);
            return Ok(ExitCode::SUCCESS);
        }
        other => other,
    };
    let wenshu = Wenshu::open_from_env()?;
    for warning in wenshu.policy_warnings() {
        out.warning(&warning);
    }
    match command {
        Command::Ask(args) => ask(&wenshu, args, out),
        Command::Chat(args) => {
            if out.json {
                return Err(AppError::of(
                    ErrorCode::InvalidInput,
                    msg::chat_has_no_json(),
                ));
            }
            chat::run(&wenshu, args.resume, options(&args.generation, "cli.chat"))
        }
        Command::Model(cmd) => model(&wenshu, cmd, out),
        Command::History(args) => {
            let zone = wenshu.settings().ui.zone();
            match args.id {
                Some(id) => out.conversation(&wenshu.conversation(id)?, zone),
                None => out.history(&wenshu.history(args.limit)?, zone),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(args) => audit(&wenshu, args, out),
        Command::Check(args) => check(&args, out),
        Command::Packs(cmd) => packs(&wenshu, cmd, out),
        Command::Apps(cmd) => apps(&wenshu, cmd, out),
        Command::Usage { by, from, to } => {
            out.usage(&wenshu.usage_table(&by, from.as_deref(), to.as_deref())?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Settings(SettingsCommand::List) => {
            out.settings(&wenshu.setting_list());
            Ok(ExitCode::SUCCESS)
        }
        Command::Settings(SettingsCommand::Set { key, value }) => {
            out.settings(&[wenshu.set_setting(&key, &value)?]);
            Ok(ExitCode::SUCCESS)
        }
        Command::Draft(args) => draft(&wenshu, *args, out),
        Command::Kb(cmd) => kb(&wenshu, cmd, out),
        Command::Doctor => unreachable!("doctor runs before the policy is enforced"),
        Command::Bench(args) => {
            if args.threads == 0 || args.prompt_tokens == 0 || args.generated_tokens == 0 {
                return Err(AppError::of(
                    ErrorCode::InvalidInput,
                    msg::bench_needs_work(),
                ));
            }
            out.progress(msg::bench_start(
                args.prompt_tokens,
                args.generated_tokens,
                args.threads,
                args.repetitions,
            ));
            let report = wenshu.bench(
                args.threads,
                args.prompt_tokens,
                args.generated_tokens,
                args.repetitions,
            )?;
            out.bench(&report);
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(args) => eval(&wenshu, args, out),
        Command::Minutes(args) => minutes(&wenshu, args, out),
        Command::Summarize(args) => summarize(&wenshu, args, out),
    }
}

fn eval(wenshu: &Wenshu, args: EvalArgs, out: &Output) -> Result<ExitCode, AppError> {
    if args.history {
        out.eval_history(&wenshu.eval_history(50)?, wenshu.settings().ui.zone());
        return Ok(ExitCode::SUCCESS);
    }
    let options = wenshu_app::eval::EvalOptions {
        models: args.models,
        suite: args.suite,
        only: args
            .only
            .as_deref()
            .map(wenshu_app::eval::parse_dimensions)
            .transpose()?
            .unwrap_or_default(),
        html: args.output,
    };
    let report = wenshu.eval(&options, cancel_flag(), &mut |p| {
        out.bar(p.done, p.total, p.label);
    })?;
    out.bar_done();
    out.eval(&report);
    let all_passed = report
        .models
        .iter()
        .all(|m| m.cases.iter().all(|c| c.passed));
    Ok(if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn options(args: &GenerationArgs, app: &str) -> AskOptions {
    AskOptions {
        system_prompt: args.system.clone(),
        temperature: args.temperature,
        seed: args.seed,
        max_tokens: args.max_tokens,
        app: app.to_string(),
        ..AskOptions::default()
    }
}

/// Reads a question from a file or stdin, refusing what is not UTF-8 text or is too large.
fn read_question(source: Option<&Path>) -> Result<String, AppError> {
    match source {
        Some(path) => read_text_file(path, MAX_QUESTION_BYTES, &msg::question().text),
        None if std::io::stdin().is_terminal() => {
            Err(AppError::of(ErrorCode::InvalidInput, msg::no_question()))
        }
        None => read_text(
            &mut std::io::stdin(),
            &msg::stdin().text,
            MAX_QUESTION_BYTES,
            &msg::question().text,
        ),
    }
}

fn ask(wenshu: &Wenshu, args: AskArgs, out: &Output) -> Result<ExitCode, AppError> {
    let question = match (&args.file, args.question.as_slice()) {
        (Some(file), _) => read_question(Some(file))?,
        (None, []) => read_question(None)?,
        (None, [dash]) if dash == "-" => read_question(None)?,
        (None, words) => words.join(" "),
    };
    let stream = !out.json;
    if args.kb {
        // Not streamed: sentences the model left uncited get their [n] once the answer is whole.
        out.progress(msg::kb_answering());
        let options = options(&args.generation, "cli.ask.kb");
        let answer = wenshu.ask_kb(&question, &options, cancel_flag(), &mut |_| {})?;
        out.cited_answer(&answer);
        return Ok(if answer.stop == "cancelled" {
            ExitCode::from(130)
        } else {
            ExitCode::SUCCESS
        });
    }
    let options = options(&args.generation, "cli.ask");
    let mut stdout = std::io::stdout();
    let answer = wenshu.ask(&question, &options, cancel_flag(), &mut |text| {
        if stream {
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
        }
    })?;
    out.answer(&answer);
    Ok(if answer.stop == "cancelled" {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    })
}

fn audit(wenshu: &Wenshu, args: AuditArgs, out: &Output) -> Result<ExitCode, AppError> {
    let zone = wenshu.settings().ui.zone();
    match args.command.unwrap_or(AuditCommand::List(args.list)) {
        AuditCommand::List(list) => {
            out.audit(&wenshu.audit_log(list.limit, list.all)?, zone);
        }
        AuditCommand::Checkpoint { output } => {
            out.checkpoint(&wenshu.audit_checkpoint(&output)?);
        }
        AuditCommand::Verify { checkpoints } => {
            let report = wenshu.audit_verify(&checkpoints)?;
            out.audit_verify(&report);
            if !report.ok {
                return Ok(ExitCode::from(2));
            }
        }
        AuditCommand::Export {
            from,
            to,
            format,
            output,
        } => {
            let info = wenshu.export_audit(&output, &format, from.as_deref(), to.as_deref())?;
            out.audit_export(&info);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn packs(wenshu: &Wenshu, cmd: PacksCommand, out: &Output) -> Result<ExitCode, AppError> {
    match cmd {
        PacksCommand::List { category } => {
            let mut list = wenshu.pack_list()?;
            if let Some(category) = category {
                list.packs.retain(|p| p.category == category);
            }
            out.packs(&list);
        }
        PacksCommand::Show { id } => {
            let pack = wenshu.pack(&id)?;
            let app = wenshu.apps()?.into_iter().find(|a| a.id == id);
            out.pack(&pack.info(), app.as_ref());
        }
        PacksCommand::Install { pack } => out.pack_change(&wenshu.install_pack(&pack)?, "install"),
        PacksCommand::Update { pack } => out.pack_change(&wenshu.update_pack(&pack)?, "update"),
        PacksCommand::Remove { id } => out.pack_change(&wenshu.remove_pack(&id)?, "remove"),
        PacksCommand::Keygen { .. }
        | PacksCommand::Sign { .. }
        | PacksCommand::Verify { .. }
        | PacksCommand::Index { .. }
        | PacksCommand::SignFile { .. } => {
            unreachable!("IT's pack commands run before Wenshu opens")
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn apps(wenshu: &Wenshu, cmd: AppsCommand, out: &Output) -> Result<ExitCode, AppError> {
    match cmd {
        AppsCommand::List { category } => {
            let mut apps = wenshu.apps()?;
            if let Some(category) = category {
                apps.retain(|a| a.category == category);
            }
            out.apps(&apps);
            Ok(ExitCode::SUCCESS)
        }
        AppsCommand::Run {
            id,
            inputs,
            input_files,
            output,
        } => {
            let mut given = wenshu_app::apps::parse_inputs(&inputs)?;
            for (key, path) in wenshu_app::apps::parse_inputs(&input_files)? {
                let text = read_text_file(Path::new(&path), MAX_FACTS_BYTES, &key)?;
                given.insert(key, text);
            }
            let show = out.stderr_tty() && !out.json;
            // An answer streams to stdout as `ask` does; a draft's steps go to stderr; a long
            // run shows its bar, the model's text of its pieces not being for reading.
            let answers = matches!(
                wenshu.pack(&id)?.manifest.runner,
                Some(wenshu_app::packs::Runner::Chat | wenshu_app::packs::Runner::Answer)
            );
            let mut long = false;
            let run = wenshu.run_app(
                &id,
                &given,
                output.as_deref(),
                cancel_flag(),
                &mut |event| {
                    use wenshu_app::apps::AppEvent;
                    match event {
                        AppEvent::Step { step, of, label } if show => {
                            eprint!("\n[{step}/{of}] {label}\n");
                        }
                        AppEvent::Text(text) if answers && !out.json => {
                            print!("{text}");
                            let _ = std::io::stdout().flush();
                        }
                        AppEvent::Text(text) if show && !long => eprint!("{text}"),
                        AppEvent::Progress { done, total } => {
                            long = true;
                            out.bar(done, total, "");
                        }
                        _ => {}
                    }
                },
            )?;
            out.bar_done();
            if show {
                eprintln!();
            }
            out.app_run(&run);
            Ok(match &run.result {
                wenshu_app::api::AppResult::Check(report)
                    if wenshu_app::check::has_errors(&report.findings) =>
                {
                    ExitCode::from(1)
                }
                _ => ExitCode::SUCCESS,
            })
        }
    }
}

fn kb(wenshu: &Wenshu, cmd: KbCommand, out: &Output) -> Result<ExitCode, AppError> {
    match cmd {
        KbCommand::Add { paths, level } => {
            let report = wenshu.kb_add(&paths, level.as_deref(), cancel_flag(), &mut |p| {
                out.progress(format!("[{}/{}] {}", p.done + 1, p.total, p.path.display()));
            })?;
            out.kb_added(&report);
            if report.cancelled {
                out.note(&msg::kb_add_cancelled());
            }
            Ok(kb_exit(&report))
        }
        KbCommand::Search { query, limit } => {
            out.kb_hits(&wenshu.kb_search(&query.join(" "), limit)?);
            Ok(ExitCode::SUCCESS)
        }
        KbCommand::List => {
            out.kb_documents(&wenshu.kb_list()?);
            Ok(ExitCode::SUCCESS)
        }
        KbCommand::Stats => {
            out.kb_stats(&wenshu.kb_stats()?);
            Ok(ExitCode::SUCCESS)
        }
        KbCommand::Rebuild => {
            let report = wenshu.kb_rebuild(cancel_flag(), &mut |p| {
                out.bar(p.done, p.total, &p.path.display().to_string());
            })?;
            out.bar_done();
            out.kb_added(&report);
            if report.cancelled {
                out.note(&msg::kb_rebuild_cancelled());
            }
            Ok(kb_exit(&report))
        }
        KbCommand::Remove { which } => {
            let removed = wenshu.kb_remove(&which)?;
            out.kb_documents(std::slice::from_ref(&removed));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// 130 for an add stopped by Ctrl-C, 1 when a file failed.
fn kb_exit(report: &KbAddReport) -> ExitCode {
    if report.cancelled {
        ExitCode::from(130)
    } else if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Splits `A,B，C` lists and drops empty names.
fn names(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split([',', '，']))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// The largest facts file `draft --facts` reads.
const MAX_FACTS_BYTES: u64 = 1 << 20;

fn draft(wenshu: &Wenshu, args: DraftArgs, out: &Output) -> Result<ExitCode, AppError> {
    let doc_type = wenshu_app::draft::parse_type(&args.doc_type)?;
    // Everything that can be wrong with the arguments is found before the model loads.
    let format = args
        .output
        .as_deref()
        .map(wenshu_app::draft::export_format)
        .transpose()?;
    check_output(args.output.as_deref())?;
    let request = DraftRequest {
        doc_type: Some(doc_type),
        issuer: args.issuer.trim().to_string(),
        topic: args.topic,
        addressees: names(&args.to),
        facts: args
            .facts
            .as_deref()
            .map(|path| read_text_file(path, MAX_FACTS_BYTES, &msg::facts_file().text))
            .transpose()?,
        number: args.number,
        date: args
            .date
            .as_deref()
            .map(wenshu_app::draft::parse_date)
            .transpose()?,
        signers: names(&args.signers),
        attachments: args.attachments,
        copy_to: names(&args.copy_to),
        contact: args.contact,
        classification: args.classification,
        urgency: args.urgency,
        seed: args.seed,
        app: None,
    };
    let show = out.stderr_tty() && !out.json;
    let draft = wenshu.draft(&request, cancel_flag(), &mut |event| {
        if !show {
            return;
        }
        match event {
            DraftEvent::Step { step, of, label } => eprint!("\n[{step}/{of}] {label}\n"),
            DraftEvent::Text(text) => eprint!("{text}"),
        }
    })?;
    if show {
        eprintln!();
    }
    let saved = match (&args.output, format) {
        (Some(path), Some(_)) => {
            let format = wenshu.export_document(
                &wenshu_app::draft::draft_document(&draft)?,
                path,
                &request
                    .doc_type
                    .map_or_else(|| "draft".to_string(), |t| format!("draft.{}", t.id())),
                &draft.level,
            )?;
            Some((path.display().to_string(), format))
        }
        _ => None,
    };
    out.draft(&draft, saved.as_ref());
    Ok(ExitCode::SUCCESS)
}

/// The largest transcript read from standard input.
const MAX_STDIN_TRANSCRIPT_BYTES: u64 = 32 << 20;

/// Refuses an output path whose folder does not exist, before any model time is spent.
fn check_output(path: Option<&Path>) -> Result<(), AppError> {
    path.map_or(Ok(()), wenshu_app::input::check_output_folder)
}

/// Shows a long run's progress on stderr: a bar with the steps done and the time left.
fn long_progress(out: &Output) -> impl FnMut(LongEvent<'_>) + '_ {
    move |event| {
        if let LongEvent::Progress {
            done,
            total,
            remaining_ms,
            ..
        } = event
        {
            let left = remaining_ms
                .map(|ms| msg::time_left(ms.div_ceil(1000)).text)
                .unwrap_or_default();
            out.bar(done.saturating_sub(1), total, &left);
        }
    }
}

fn minutes(wenshu: &Wenshu, args: MinutesArgs, out: &Output) -> Result<ExitCode, AppError> {
    check_output(args.output.as_deref())?;
    let date = args
        .date
        .as_deref()
        .map(wenshu_app::draft::parse_date)
        .transpose()?;
    let mut files = Vec::new();
    let mut text = None;
    for input in &args.inputs {
        if input.as_os_str() == "-" {
            text = Some(read_text(
                &mut std::io::stdin().lock(),
                &msg::stdin().text,
                MAX_STDIN_TRANSCRIPT_BYTES,
                "a transcript",
            )?);
        } else {
            files.push(input.display().to_string());
        }
    }
    let request = MinutesRequest {
        files,
        text,
        fields: MeetingFields {
            title: args.title,
            time: date.map(|d| d.to_string()),
            place: args.place,
            chair: args.chair,
            attendees: names(&args.attendees),
            absent: names(&args.absent),
            observers: names(&args.observers),
            ..MeetingFields::default()
        },
        record: args.record,
        resume: args.resume,
        app: None,
    };
    let minutes = wenshu.minutes(&request, cancel_flag(), &mut long_progress(out))?;
    out.bar_done();
    let saved = match &args.output {
        Some(path) => {
            let is_md = path.extension().is_some_and(|e| {
                e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
            });
            if is_md {
                wenshu.export_output(&minutes.markdown, true, path, "minutes", &minutes.level)?;
            } else {
                wenshu.export_document(
                    &wenshu_app::minutes::minutes_document(&minutes)?,
                    path,
                    "minutes",
                    &minutes.level,
                )?;
            }
            Some(path.display().to_string())
        }
        None => None,
    };
    out.minutes(&minutes, saved.as_deref());
    Ok(ExitCode::SUCCESS)
}

fn summarize(wenshu: &Wenshu, args: SummarizeArgs, out: &Output) -> Result<ExitCode, AppError> {
    check_output(args.output.as_deref())?;
    let length = SummaryLength::parse(&args.length).ok_or_else(|| {
        AppError::of(
            ErrorCode::InvalidInput,
            wenshu_app::api::messages::minutes::bad_length(&args.length),
        )
    })?;
    let request = SummaryRequest {
        files: args.files.iter().map(|f| f.display().to_string()).collect(),
        length,
        points: args.points,
        focus: args.focus,
        resume: args.resume,
        app: None,
    };
    let summary = wenshu.summarize(&request, cancel_flag(), &mut long_progress(out))?;
    out.bar_done();
    let saved = match &args.output {
        Some(path) => {
            wenshu_app::input::write_atomic(path, summary.markdown.as_bytes())?;
            Some(path.display().to_string())
        }
        None => None,
    };
    out.summary(&summary, saved.as_deref());
    Ok(ExitCode::SUCCESS)
}

fn model(wenshu: &Wenshu, cmd: ModelCommand, out: &Output) -> Result<ExitCode, AppError> {
    match cmd {
        ModelCommand::Import { file, name, link } => {
            out.progress(msg::model_importing(file.display()));
            let mode = if link {
                ImportMode::Symlink
            } else {
                ImportMode::Copy
            };
            let info = wenshu.import_model(&file, name.as_deref(), mode)?;
            out.model_imported(&info);
        }
        ModelCommand::AddServer {
            name,
            urls,
            model_id,
            ca,
            key_file,
        } => {
            let info = wenshu.add_server(&wenshu_app::AddServer {
                name,
                urls,
                model_id,
                ca,
                key_file,
            })?;
            out.server_added(&info);
        }
        ModelCommand::List => out.models(&wenshu.models()?),
        ModelCommand::Use { name } => out.model_used(&wenshu.use_model(&name)?),
        ModelCommand::Verify { name } => {
            out.progress(msg::model_rehashing());
            let checks = wenshu.verify_models(name.as_deref())?;
            out.verify(&checks);
            if !checks.iter().all(|c| c.is_ok()) {
                return Ok(ExitCode::from(2));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(args: &CheckArgs, out: &Output) -> Result<ExitCode, AppError> {
    if args.rules {
        out.rules(&wenshu_app::check::rules());
        return Ok(ExitCode::SUCCESS);
    }
    let Some(file) = args.file.as_deref() else {
        return Err(AppError::of(
            ErrorCode::InvalidInput,
            msg::check_needs_file(),
        ));
    };
    let findings = if args.fix {
        let report = wenshu_app::check::fix_file(file, true)?;
        out.fixed(&report);
        report.remaining
    } else {
        let findings = wenshu_app::check::check_file(file)?;
        out.findings(&file.display().to_string(), &findings);
        findings
    };
    Ok(if wenshu_app::check::has_errors(&findings) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
