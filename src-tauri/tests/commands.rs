//! The desktop commands are declared once, in `wenshu_api::command`. The shell registers them in
//! `src/main.rs` (`generate_handler!`, which needs the functions by name) and defines them in
//! `src/commands.rs`; this test fails when either disagrees with the declaration, so a command
//! added on one side only cannot reach the window.

use std::collections::BTreeSet;

use wenshu_app::api::command::NAMES;

fn source(path: &str) -> String {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|err| panic!("cannot read {full}: {err}"))
}

fn declared() -> BTreeSet<String> {
    NAMES.iter().map(|n| (*n).to_string()).collect()
}

/// `KbSearch` → `kb_search`.
fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_handler_registers_every_declared_command_and_no_other() {
    let main = source("src/main.rs");
    let start = main
        .find("generate_handler![")
        .expect("src/main.rs registers its commands with generate_handler!");
    let end = start
        + main[start..]
            .find(']')
            .expect("generate_handler! is closed");
    let registered: BTreeSet<String> = main[start..end]
        .split("commands::")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect();
    assert_eq!(
        registered,
        declared(),
        "generate_handler! in src/main.rs must list exactly wenshu_api::command::NAMES"
    );
}

#[test]
fn every_command_function_takes_its_declared_arguments() {
    let commands = source("src/commands.rs");
    let mut defined = BTreeSet::new();
    for block in commands.split("#[tauri::command]").skip(1) {
        let name: String = block
            .split("fn ")
            .nth(1)
            .expect("a command is a function")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let signature = &block[..block.find('{').expect("a function body")];
        let args = signature
            .split("args: cmd::")
            .nth(1)
            .unwrap_or_else(|| panic!("command {name} must take `args: cmd::…`"));
        let args: String = args
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert_eq!(
            snake(&args),
            name,
            "command {name} must take the arguments declared for it (cmd::{args} is another's)"
        );
        assert!(
            signature.contains(&format!("Reply<cmd::{args}>")),
            "command {name} must return Reply<cmd::{args}>"
        );
        defined.insert(name);
    }
    assert_eq!(
        defined,
        declared(),
        "src/commands.rs must define exactly the commands wenshu_api::command declares"
    );
}

#[test]
fn the_window_may_call_exactly_the_declared_commands() {
    let set = source("permissions/app.toml");
    let allowed: BTreeSet<String> = set
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"allow-"))
        .map(|rest| rest.trim_end_matches(['"', ',']).replace('-', "_"))
        .collect();
    assert_eq!(
        allowed,
        declared(),
        "permissions/app.toml (written by build.rs) must allow exactly the declared commands"
    );
}
