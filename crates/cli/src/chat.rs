//! The interactive assistant: line editing, multi-line input, slash commands, streaming answers
//! and Ctrl-C to stop an answer (Ctrl-D quits).

use std::io::Write;
use std::process::ExitCode;

use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;
use wenshu_app::{AppError, AskOptions, Chat, ErrorCode, Wenshu};

const HELP: &str = "\
Type a question and press Enter. End a line with \\ to continue on the next line,
or put a block between two lines of \"\"\".
  /new            start a new conversation
  /history [ID]   list recent conversations, or continue conversation ID
  /model [NAME]   show the active model, or switch to NAME
  /system [TEXT]  show or set the system prompt for this conversation
  /help           this text
  /exit           quit (or Ctrl-D); Ctrl-C stops an answer";

fn runtime_error(err: ReadlineError) -> AppError {
    AppError::new(ErrorCode::Io, format!("cannot read input: {err}"))
}

/// Reads one possibly multi-line message. `None` means the user quit.
fn read_message(editor: &mut DefaultEditor) -> Result<Option<String>, AppError> {
    let mut lines: Vec<String> = Vec::new();
    let mut in_block = false;
    loop {
        let prompt = if in_block || !lines.is_empty() {
            "... "
        } else {
            "你> "
        };
        match editor.readline(prompt) {
            Ok(line) => {
                if line.trim() == "\"\"\"" {
                    if in_block {
                        break;
                    }
                    in_block = true;
                    continue;
                }
                if in_block {
                    lines.push(line);
                } else if let Some(head) = line.strip_suffix('\\') {
                    lines.push(head.to_string());
                } else {
                    lines.push(line);
                    break;
                }
            }
            // Ctrl-C while typing clears the message being typed.
            Err(ReadlineError::Interrupted) => {
                lines.clear();
                in_block = false;
            }
            Err(ReadlineError::Eof) => {
                return Ok(if lines.is_empty() {
                    None
                } else {
                    Some(lines.join("\n"))
                });
            }
            Err(err) => return Err(runtime_error(err)),
        }
    }
    let message = lines.join("\n");
    if !message.trim().is_empty() {
        let _ = editor.add_history_entry(message.as_str());
    }
    Ok(Some(message))
}

pub fn run(
    wenshu: &Wenshu,
    resume: Option<i64>,
    options: AskOptions,
) -> Result<ExitCode, AppError> {
    let system = options
        .system_prompt
        .clone()
        .unwrap_or_else(|| wenshu.settings().chat.system_prompt.clone());
    let mut chat = match resume {
        Some(id) => Chat::resume(wenshu, id, system.clone())?,
        None => Chat::new(system.clone()),
    };
    let model = wenshu.active_model()?;
    eprintln!(
        "文枢 Wenshu · {} · /help for commands, Ctrl-D to quit",
        model.name
    );
    let mut editor = DefaultEditor::new().map_err(runtime_error)?;
    let mut stdout = std::io::stdout();

    while let Some(message) = read_message(&mut editor)? {
        let message = message.trim();
        if message.is_empty() {
            continue;
        }
        if let Some(command) = message.strip_prefix('/') {
            let (name, arg) = command
                .split_once(char::is_whitespace)
                .unwrap_or((command, ""));
            let arg = arg.trim();
            match name {
                "exit" | "quit" => break,
                "help" => println!("{HELP}"),
                "new" => {
                    chat = Chat::new(chat.system_prompt().to_string());
                    println!("(new conversation)");
                }
                "history" if arg.is_empty() => {
                    for c in wenshu.history(20)? {
                        println!("{:>5}  {:>3} msgs  {}", c.id, c.messages, c.title);
                    }
                }
                "history" => match arg.parse::<i64>() {
                    Ok(id) => match Chat::resume(wenshu, id, chat.system_prompt().to_string()) {
                        Ok(resumed) => {
                            chat = resumed;
                            for turn in chat.turns() {
                                println!("[{}] {}", turn.role, turn.content);
                            }
                            println!("(continuing conversation {id})");
                        }
                        Err(err) => eprintln!("error: {}", err.message),
                    },
                    Err(_) => eprintln!("error: /history takes a conversation number"),
                },
                "model" if arg.is_empty() => match wenshu.active_model() {
                    Ok(m) => println!(
                        "{} ({}, {})",
                        m.name, m.metadata.architecture, m.metadata.quantization
                    ),
                    Err(err) => eprintln!("error: {}", err.message),
                },
                "model" => match wenshu.use_model(arg) {
                    Ok(m) => println!("(now using {})", m.name),
                    Err(err) => eprintln!("error: {}", err.message),
                },
                "system" if arg.is_empty() => println!("{}", chat.system_prompt()),
                "system" => {
                    chat.set_system_prompt(arg);
                    println!("(system prompt set)");
                }
                _ => eprintln!("error: unknown command /{name}; /help lists them"),
            }
            continue;
        }

        crate::rearm_ctrl_c();
        let result = chat.send(
            wenshu,
            message,
            &options,
            crate::cancel_flag(),
            &mut |text| {
                let _ = stdout.write_all(text.as_bytes());
                let _ = stdout.flush();
            },
        );
        println!();
        match result {
            Ok(answer) => {
                if answer.dropped_turns > 0 {
                    eprintln!(
                        "(the conversation outgrew the context window: the {} oldest messages were left out)",
                        answer.dropped_turns
                    );
                }
                if answer.stop == "cancelled" {
                    eprintln!("(stopped; the partial answer is kept)");
                }
            }
            // A failed answer ends neither the session nor the conversation.
            Err(err) => eprintln!("error: {}", err.message),
        }
        crate::rearm_ctrl_c();
    }
    Ok(ExitCode::SUCCESS)
}
