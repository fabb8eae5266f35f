//! The `wenshu` command's help in the language in force: in Chinese, every command's and
//! argument's text comes from the catalogue (`wenshu_api::messages::help`), and clap's own words
//! (usage, headings, `--help`, `--version`) are Chinese too; in English, the source's doc
//! comments stand.

use clap::{Arg, ArgAction, Command};
use wenshu_app::api::messages::help::{self, words};
use wenshu_app::api::messages::{Lang, language};

/// `cmd` with its help in the language in force.
pub fn localise(cmd: Command) -> Command {
    match language() {
        Lang::En => cmd,
        Lang::Zh => zh(cmd, "", true),
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn zh(cmd: Command, path: &str, root: bool) -> Command {
    let mut cmd = cmd
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            words::USAGE
        ))
        .subcommand_help_heading(words::COMMANDS)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(words::HELP)
                .help_heading(words::OPTIONS),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(words::VERSION)
                .help_heading(words::OPTIONS),
        );
    }
    if let Some(about) = help::zh(path) {
        cmd = cmd.about(about);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| id != "help" && id != "version")
        .collect();
    for id in ids {
        let key = if id == "json" {
            "json".to_string()
        } else {
            join(path, &id)
        };
        let text = help::zh(&key);
        cmd = cmd.mut_arg(&id, |arg| {
            let heading = if arg.is_positional() {
                words::ARGUMENTS
            } else {
                words::OPTIONS
            };
            let arg = arg.help_heading(heading);
            match text {
                Some(text) => arg.help(text),
                None => arg,
            }
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .filter(|n| n != "help")
        .collect();
    for name in names {
        let sub_path = join(path, &name);
        cmd = cmd.mut_subcommand(&name, |sub| zh(sub, &sub_path, false));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use clap::CommandFactory;

    use super::*;
    use crate::Cli;

    /// Every help path of the command tree: commands and their own arguments.
    fn paths(cmd: &Command, path: &str, out: &mut BTreeSet<String>) {
        out.insert(path.to_string());
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" || (id == "json" && !path.is_empty()) {
                continue;
            }
            out.insert(join(path, id));
        }
        for sub in cmd.get_subcommands() {
            paths(sub, &join(path, sub.get_name()), out);
        }
    }

    #[test]
    fn the_chinese_help_covers_every_command_and_argument_and_nothing_else() {
        let mut tree = BTreeSet::new();
        paths(&Cli::command(), "", &mut tree);
        let table: BTreeSet<String> = help::HELP_ZH.iter().map(|(p, _)| p.to_string()).collect();
        let missing: Vec<&String> = tree.difference(&table).collect();
        let stale: Vec<&String> = table.difference(&tree).collect();
        assert!(
            missing.is_empty(),
            "these have no Chinese help in wenshu_api::messages::help: {missing:?}"
        );
        assert!(
            stale.is_empty(),
            "these Chinese help entries name no command or argument: {stale:?}"
        );
    }

    #[test]
    fn chinese_help_is_what_the_command_shows() {
        let mut cmd = zh(Cli::command(), "", true);
        let text = cmd.render_help().to_string();
        for expected in ["用法：", "命令", "选项", "起草 15 种公文之一", "显示帮助"]
        {
            assert!(
                text.contains(expected),
                "`wenshu --help` in Chinese must show {expected}:\n{text}"
            );
        }
        let kb_add = cmd
            .find_subcommand_mut("kb")
            .and_then(|kb| kb.find_subcommand_mut("add"))
            .expect("wenshu kb add exists")
            .render_help()
            .to_string();
        assert!(
            kb_add.contains("随文档记录的密级"),
            "`wenshu kb add --help` must show --level in Chinese:\n{kb_add}"
        );
    }
}
