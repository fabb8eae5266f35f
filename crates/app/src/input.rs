//! Reading text that users hand to Wenshu (questions, drafts): size limits, UTF-8 and clear
//! errors that name the file, shared by every front end.

use std::io::Read;
use std::path::Path;

use wenshu_api::messages::common::{self, os_error};
use wenshu_api::messages::files;

use crate::error::{AppError, ErrorCode, Message, Result};

fn user(message: Message) -> AppError {
    AppError::of(ErrorCode::InvalidInput, message)
}

/// Decodes `bytes` from `label` as UTF-8, dropping a byte-order mark.
pub fn decode_utf8(label: &str, bytes: Vec<u8>) -> Result<String> {
    let text = String::from_utf8(bytes)
        .map_err(|err| user(files::wrong_encoding(label, err.utf8_error().valid_up_to())))?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Reads the file at `path`, refusing directories, empty files and files over `limit` bytes
/// (`what` names the kind of file in the English message, e.g. "a question").
pub fn read_file(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    let shown = path.display();
    let cannot_read =
        |err: std::io::Error| user(common::cannot_read(path.display()).with_detail(os_error(&err)));
    let meta = std::fs::metadata(path).map_err(cannot_read)?;
    if meta.is_dir() {
        return Err(user(files::is_directory(shown)));
    }
    if meta.len() == 0 {
        return Err(user(files::empty(shown)));
    }
    if meta.len() > limit {
        return Err(user(files::too_large(
            shown,
            meta.len() >> 20,
            what,
            limit >> 20,
        )));
    }
    std::fs::read(path).map_err(cannot_read)
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
        .map_err(|err| AppError::io_of(files::cannot_read_stream(label), &err))?;
    if bytes.len() as u64 > limit {
        return Err(user(files::stream_too_large(label, limit >> 20, what)));
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
            AppError::io_of(files::cannot_save(path.display()), &err)
        })
}

/// The most a DOCX may expand to and the most entries it may have, in MB and entries: the
/// limits `wenshu_docs` enforces, named here because its error only names them in English.
const DOCX_MAX_EXPANDED_MB: u64 = 256;
const DOCX_MAX_ENTRIES: usize = 10_000;

/// Why the DOCX file at `path` cannot be read, for people.
pub(crate) fn docx_error(path: &Path, err: wenshu_docs::ReadError) -> AppError {
    use wenshu_docs::ReadError;
    let shown = path.display();
    user(match err {
        ReadError::NotZip(detail) => files::docx_not_zip(shown, detail),
        ReadError::NotDocx => files::docx_no_document(shown),
        ReadError::TooLarge => files::docx_too_large(shown, DOCX_MAX_EXPANDED_MB),
        ReadError::TooManyEntries => files::docx_too_many_entries(shown, DOCX_MAX_ENTRIES),
        ReadError::Damaged(detail) => files::docx_damaged(shown, detail),
    })
}

/// Why the text of the PDF file at `path` cannot be read, for people.
pub(crate) fn pdf_error(path: &Path, err: wenshu_docs::ExtractError) -> AppError {
    use wenshu_docs::ExtractError;
    let shown = path.display();
    user(match err {
        ExtractError::Encrypted => files::pdf_encrypted(shown),
        ExtractError::NoText => files::pdf_no_text(shown),
        ExtractError::Damaged(detail) => files::pdf_damaged(shown, detail),
    })
}

/// Refuses an output path whose folder does not exist, before any work is spent on it.
pub fn check_output_folder(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.is_dir()
    {
        return Err(AppError::of(
            ErrorCode::InvalidInput,
            wenshu_api::messages::cli::not_a_folder(parent.display()),
        ));
    }
    Ok(())
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
        for (path, limit, id) in [
            (gbk, 1 << 20, "files.wrong_encoding"),
            (empty, 1 << 20, "files.empty"),
            (big, 1024, "files.too_large"),
            (dir.path().to_path_buf(), 1 << 20, "files.is_directory"),
            (
                dir.path().join("missing.txt"),
                1 << 20,
                "common.cannot_read",
            ),
        ] {
            let err = read_text_file(&path, limit, "a draft").expect_err("refused");
            assert_eq!(err.code, ErrorCode::InvalidInput);
            assert_eq!(err.id, id, "{} is refused as {id}", path.display());
            assert!(
                err.message.contains(&path.display().to_string()),
                "the message names the file: {}",
                err.message
            );
        }
    }

    #[test]
    fn a_stream_over_the_limit_is_refused() {
        let err = read_text(&mut &[b'a'; 10][..], "stdin", 4, "a question").expect_err("too long");
        assert_eq!(err.id, "files.stream_too_large");
        assert!(
            err.message.contains("stdin"),
            "names the stream: {}",
            err.message
        );
        assert_eq!(
            read_text(&mut &b"ok"[..], "stdin", 4, "a question").expect("fits"),
            "ok"
        );
    }

    #[test]
    fn the_docx_limits_named_in_chinese_are_those_the_reader_enforces() {
        use wenshu_docs::ReadError;
        assert!(
            ReadError::TooLarge
                .to_string()
                .contains(&format!("{DOCX_MAX_EXPANDED_MB} MB")),
            "wenshu-docs expands a DOCX to at most {DOCX_MAX_EXPANDED_MB} MB"
        );
        assert!(
            ReadError::TooManyEntries
                .to_string()
                .contains(&DOCX_MAX_ENTRIES.to_string()),
            "wenshu-docs reads at most {DOCX_MAX_ENTRIES} entries"
        );
    }

    #[test]
    fn a_junk_docx_is_named_in_chinese() {
        let err = docx_error(
            std::path::Path::new("junk.docx"),
            wenshu_docs::ReadError::NotZip("invalid Zip archive".into()),
        );
        assert_eq!(err.id, "files.docx_not_zip");
        assert!(
            err.message.starts_with("junk.docx：不是 DOCX 文件"),
            "Chinese by default, naming the file: {}",
            err.message
        );
        assert!(
            err.message.contains("invalid Zip archive"),
            "the zip reader's own words stay as detail: {}",
            err.message
        );
    }
}
