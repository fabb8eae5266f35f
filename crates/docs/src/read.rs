//! Opening a DOCX archive safely: making sure it is a DOCX and cannot expand into more than
//! Wenshu is willing to hold, before any of its parts is parsed.

use std::io::{Cursor, Read};

/// The most a DOCX may expand to: real documents are a few megabytes, zip bombs gigabytes.
const MAX_EXPANDED: u64 = 256 << 20;
const MAX_ENTRIES: usize = 10_000;

/// Why a DOCX could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not a DOCX file (it is not a zip archive: {0})")]
    NotZip(String),
    #[error("not a DOCX file (the archive has no word/document.xml)")]
    NotDocx,
    #[error("the archive expands to more than {} MB (a zip bomb?)", MAX_EXPANDED >> 20)]
    TooLarge,
    #[error("the archive has more than {MAX_ENTRIES} entries")]
    TooManyEntries,
    #[error("the DOCX is damaged: {0}")]
    Damaged(String),
}

/// Decompresses every entry with a running cap, whatever the sizes the archive declares.
pub(crate) fn check_archive(bytes: &[u8]) -> Result<(), ReadError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::NotZip(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ReadError::TooManyEntries);
    }
    let mut has_document = false;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| ReadError::Damaged(e.to_string()))?;
        has_document |= entry.name() == "word/document.xml";
        let budget = MAX_EXPANDED - total;
        let read = std::io::copy(&mut entry.take(budget + 1), &mut std::io::sink())
            .map_err(|e| ReadError::Damaged(e.to_string()))?;
        total += read;
        if total > MAX_EXPANDED {
            return Err(ReadError::TooLarge);
        }
    }
    if has_document {
        Ok(())
    } else {
        Err(ReadError::NotDocx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::docx_paragraphs;
    use std::io::Write;

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            zip.start_file(*name, options).expect("start");
            zip.write_all(data).expect("write");
        }
        zip.finish().expect("finish");
        out.into_inner()
    }

    #[test]
    fn junk_is_not_a_docx() {
        assert!(matches!(
            docx_paragraphs(b"\xff\xfe not a zip"),
            Err(ReadError::NotZip(_))
        ));
        assert!(matches!(
            docx_paragraphs(&zip_with(&[("a.txt", b"hi")])),
            Err(ReadError::NotDocx)
        ));
    }

    #[test]
    fn zip_bomb_is_refused_before_parsing() {
        let zeros = vec![0u8; 64 << 20];
        let bomb = zip_with(&[
            ("word/document.xml", &zeros),
            ("a", &zeros),
            ("b", &zeros),
            ("c", &zeros),
            ("d", &zeros),
        ]);
        assert!(
            bomb.len() < 2 << 20,
            "compresses well: {} bytes",
            bomb.len()
        );
        assert!(matches!(docx_paragraphs(&bomb), Err(ReadError::TooLarge)));
    }
}
