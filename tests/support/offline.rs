//! Proof that Wenshu stays on this machine (数据不出域): commands run under
//! `strace -f -e trace=connect,sendto,sendmsg`, and every address they tried is checked.
//! Loopback and local (Unix) sockets are allowed; so are the servers a policy names.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// The strace options that log every connection attempt of a command and its children.
pub fn strace_args(log: &Path) -> Vec<String> {
    vec![
        "-f".into(),
        "-qq".into(),
        "-e".into(),
        "trace=connect,sendto,sendmsg".into(),
        "-e".into(),
        "signal=none".into(),
        "-o".into(),
        log.display().to_string(),
    ]
}

/// `command` run under strace, its log in `log`.
pub fn traced(command: &Command, log: &Path) -> Command {
    let mut traced = Command::new("strace");
    traced.args(strace_args(log)).arg(command.get_program());
    traced.args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => traced.env(key, value),
            None => traced.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        traced.current_dir(dir);
    }
    traced
}

/// The address in one `{sa_family=…}` of a strace line: (family, host, port).
fn address(line: &str) -> Option<(String, String, String)> {
    let start = line.find("{sa_family=")?;
    let rest = &line[start + "{sa_family=".len()..];
    let family: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let quoted = |key: &str| {
        let at = rest.find(key)? + key.len();
        let tail = &rest[at..];
        let end = tail.find('"')?;
        Some(tail[..end].to_string())
    };
    let port = rest
        .find("port=htons(")
        .map(|at| {
            rest[at + "port=htons(".len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect()
        })
        .unwrap_or_default();
    let host = match family.as_str() {
        "AF_INET" => quoted("inet_addr(\"")?,
        "AF_INET6" => quoted("inet_pton(AF_INET6, \"")?,
        _ => String::new(),
    };
    Some((family, host, port))
}

/// Whether `host` is this machine's loopback.
fn loopback(host: &str) -> bool {
    host.starts_with("127.") || host == "::1" || host.starts_with("::ffff:127.")
}

/// The connection attempts in a strace log that left the machine: to an internet address that
/// is neither loopback nor one of `allowed` (`host:port`).
pub fn outside(log: &str, allowed: &[&str]) -> Vec<String> {
    log.lines()
        .filter(|line| {
            let Some((family, host, port)) = address(line) else {
                return false;
            };
            matches!(family.as_str(), "AF_INET" | "AF_INET6")
                && !loopback(&host)
                && !allowed.contains(&format!("{host}:{port}").as_str())
        })
        .map(str::to_string)
        .collect()
}

/// Every internet connection attempt in a strace log (loopback included), for the report.
pub fn attempts(log: &str) -> usize {
    log.lines()
        .filter(|l| {
            address(l)
                .is_some_and(|(family, _, _)| matches!(family.as_str(), "AF_INET" | "AF_INET6"))
        })
        .count()
}

#[test]
fn only_addresses_beyond_loopback_are_reported() {
    let log = r#"12252 connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused)
12252 connect(4, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)
12252 connect(3, {sa_family=AF_UNIX, sun_path="/tmp/nothing"}, 15) = -1 ENOENT (No such file or directory)
12252 sendto(4, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.1.2.3")}, 16) = 1
12252 connect(5, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.9.9.9")}, 16) = -1 EINPROGRESS (Operation now in progress)
12252 connect(6, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH"#;
    let found = outside(log, &[]);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].contains("10.1.2.3") && found[1].contains("10.9.9.9"));
    assert!(found[2].contains("2001:db8::1"));
    assert_eq!(
        outside(log, &["10.1.2.3:53", "10.9.9.9:80", "2001:db8::1:443"]).len(),
        0
    );
    assert_eq!(attempts(log), 5);
}
