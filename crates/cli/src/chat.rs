//! The interactive assistant: line editing, multi-line input, slash commands, streaming answers
//! and Ctrl-C to stop an answer (Ctrl-D quits). Its words come from the message catalogue.

use std::io::Write;
use std::process::ExitCode;

use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;
use wenshu_app::api::messages::cli as msg;
use wenshu_app::{AppError, AskOptions, Chat, ErrorCode, Wenshu};

use crate::output::{error_line, role};

fn runtime_error(err: ReadlineError) -> AppError {
    AppError::of(ErrorCode::Io, msg::cannot_read_input(err))
}

/// Shows an error that ends neither the chat nor the conversation.
fn show_error(err: &AppError) {
    eprintln!("{}", error_line(err));
}

/// Shows a mistake in what the user typed.
fn show_mistake(message: wenshu_app::api::messages::Message) {
    show_error(&AppError::of(ErrorCode::InvalidInput, message));
}

/// Reads one possibly multi-line message. `None` means the user quit.
fn read_message(editor: &mut DefaultEditor) -> Result<Option<String>, AppError> {
    let mut lines: Vec<String> = Vec::new();
    let mut in_block = false;
    let first = msg::chat_prompt().text;
    loop {
        let prompt = if in_block || !lines.is_empty() {
            "... "
        } else {
            first.as_str()
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
    eprintln!("{}", msg::chat_banner(&model.name));
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
                "help" => println!("{}", msg::chat_help()),
                "new" => {
                    chat = Chat::new(chat.system_prompt().to_string());
                    println!("{}", msg::chat_new());
                }
                "history" if arg.is_empty() => {
                    for c in wenshu.history(20)? {
                        println!("{}", msg::chat_history_line(c.id, c.messages, &c.title));
                    }
                }
                "history" => match arg.parse::<i64>() {
                    Ok(id) => match Chat::resume(wenshu, id, chat.system_prompt().to_string()) {
                        Ok(resumed) => {
                            chat = resumed;
                            for turn in chat.turns() {
                                println!("[{}] {}", role(turn.role.as_str()), turn.content);
                            }
                            println!("{}", msg::chat_continuing(id));
                        }
                        Err(err) => show_error(&err),
                    },
                    Err(_) => show_mistake(msg::chat_history_needs_number()),
                },
                "model" if arg.is_empty() => match wenshu.active_model() {
                    Ok(m) => println!(
                        "{}",
                        msg::chat_model(
                            &m.name,
                            &m.metadata.architecture,
                            &m.metadata.quantization
                        )
                    ),
                    Err(err) => show_error(&err),
                },
                "model" => match wenshu.use_model(arg) {
                    Ok(m) => println!("{}", msg::chat_now_using(&m.name)),
                    Err(err) => show_error(&err),
                },
                "system" if arg.is_empty() => println!("{}", chat.system_prompt()),
                "system" => {
                    chat.set_system_prompt(arg);
                    println!("{}", msg::chat_system_set());
                }
                _ => show_mistake(msg::chat_unknown_command(name)),
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
                    eprintln!("{}", msg::chat_dropped_turns(answer.dropped_turns));
                }
                if answer.stop == "cancelled" {
                    eprintln!("{}", msg::chat_stopped());
                }
            }
            // A failed answer ends neither the session nor the conversation.
            Err(err) => show_error(&err),
        }
        crate::rearm_ctrl_c();
    }
    Ok(ExitCode::SUCCESS)
}
