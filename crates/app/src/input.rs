//! Reading text that users hand to Wenshu (questions, drafts): size limits, UTF-8 and clear
//! errors that name the file, shared by every front end.

use std::io::Read;
use std::path::Path;

use crate::error::{AppError, ErrorCode, Result};

fn user(message: String) -> AppError {
    AppError::new(ErrorCode::InvalidInput, message)
}

/// Decodes `bytes` from `label` as UTF-8, dropping a byte-order mark.
pub fn decode_utf8(label: &str, bytes: Vec<u8>) -> Result<String> {
    let text = String::from_utf8(bytes).map_err(|err| {
        user(format!(
            "{label} is not UTF-8 text (invalid byte at offset {}); convert it, e.g. `iconv -f GB18030 -t UTF-8`",
            err.utf8_error().valid_up_to()
        ))
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Reads the file at `path`, refusing directories, empty files and files over `limit` bytes
/// (`what` names the kind of file in the message, e.g. "a question").
pub fn read_file(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    let shown = path.display();
    let meta =
        std::fs::metadata(path).map_err(|err| user(format!("cannot read {shown}: {err}")))?;
    if meta.is_dir() {
        return Err(user(format!("{shown} is a directory, not a file")));
    }
    if meta.len() == 0 {
        return Err(user(format!("{shown} is empty")));
    }
    if meta.len() > limit {
        return Err(user(format!(
            "{shown} is {} MB; {what} may be at most {} MB",
            meta.len() >> 20,
            limit >> 20
        )));
    }
    std::fs::read(path).map_err(|err| user(format!("cannot read {shown}: {err}")))
}

/// Reads the UTF-8 text file at `path`, with the checks of [`read_file`].
pub fn read_text_file(path: &Path, limit: u64, what: &str) -> Result<String> {
    let bytes = read_file(path, limit, what)?;
    decode_utf8(&path.display().to_string(), bytes)
}

/// Reads at most `limit` bytes of UTF-8 text from `reader` (stdin, say).
pub fn read_text(reader: &mut dyn Read, label: &str, limit: u64, what: &str) -> Result<String> {
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| AppError::io(format!("reading {label}"), err))?;
    if bytes.len() as u64 > limit {
        return Err(user(format!(
            "{label} holds more than {} MB; {what} may be at most that",
            limit >> 20
        )));
    }
    decode_utf8(label, bytes)
}

/// Writes `bytes` to `path` through a temporary file beside it, so that a failed write leaves
/// any earlier file as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.wenshu.tmp"));
    std::fs::write(&temp, bytes)
        .and_then(|()| std::fs::rename(&temp, path))
        .map_err(|err| {
            let _ = std::fs::remove_file(&temp);
            AppError::io(format!("cannot save {}", path.display()), err)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("input.txt");
        std::fs::write(&path, bytes).expect("write");
        (dir, path)
    }

    #[test]
    fn utf8_text_is_read_without_its_byte_order_mark() {
        let (_dir, path) = file("\u{feff}关于开展检查的通知".as_bytes());
        assert_eq!(
            read_text_file(&path, 1 << 20, "a draft").expect("read"),
            "关于开展检查的通知"
        );
    }

    #[test]
    fn what_cannot_be_read_is_a_user_error_naming_the_file() {
        let (dir, gbk) = file(&[0xb9, 0xd8, 0xd3, 0xda]);
        let (_d2, empty) = file(b"");
        let (_d3, big) = file(&[b'a'; 2048]);
        for (path, limit, says) in [
            (gbk, 1 << 20, "not UTF-8"),
            (empty, 1 << 20, "is empty"),
            (big, 1024, "at most"),
            (dir.path().to_path_buf(), 1 << 20, "directory"),
            (dir.path().join("missing.txt"), 1 << 20, "cannot read"),
        ] {
            let err = read_text_file(&path, limit, "a draft").expect_err("refused");
            assert_eq!(err.code, ErrorCode::InvalidInput);
            assert!(
                err.message.contains(says) && err.message.contains(&path.display().to_string()),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn a_stream_over_the_limit_is_refused() {
        let err = read_text(&mut &[b'a'; 10][..], "stdin", 4, "a question").expect_err("too long");
        assert!(err.message.contains("stdin"), "{}", err.message);
        assert_eq!(
            read_text(&mut &b"ok"[..], "stdin", 4, "a question").expect("fits"),
            "ok"
        );
    }
}
