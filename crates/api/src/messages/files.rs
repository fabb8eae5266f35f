//! Messages about the files users hand to Wenshu: size limits, text encodings, and the DOCX and
//! PDF documents that cannot be read.

catalogue! {
    /// A text file or stream is not UTF-8 (`offset`: the first invalid byte, from 0).
    wrong_encoding(label, offset) = "files.wrong_encoding" {
        zh: "{label} 不是 UTF-8 文本（第 {offset} 字节起无法识别）；请先转换编码，例如 `iconv -f GB18030 -t UTF-8`",
        en: "{label} is not UTF-8 text (invalid byte at offset {offset}); convert it, e.g. `iconv -f GB18030 -t UTF-8`",
    }
    /// A folder was given where a file is needed.
    is_directory(path) = "files.is_directory" {
        zh: "{path} 是文件夹，不是文件",
        en: "{path} is a directory, not a file",
    }
    /// A file holds nothing.
    empty(path) = "files.empty" {
        zh: "{path} 是空文件",
        en: "{path} is empty",
    }
    /// A file is over its size limit (`what`: the kind of file, in English, e.g. "a draft").
    too_large(path, size_mb, what, limit_mb) = "files.too_large" {
        zh: "{path} 有 {size_mb} MB，超过了 {limit_mb} MB 的上限",
        en: "{path} is {size_mb} MB; {what} may be at most {limit_mb} MB",
    }
    /// A stream (standard input) holds more than its limit.
    stream_too_large(label, limit_mb, what) = "files.stream_too_large" {
        zh: "{label} 的内容超过了 {limit_mb} MB 的上限",
        en: "{label} holds more than {limit_mb} MB; {what} may be at most that",
    }
    /// A stream (standard input) could not be read.
    cannot_read_stream(label) = "files.cannot_read_stream" {
        zh: "无法读取{label}",
        en: "reading {label}",
    }
    /// A file could not be saved in place.
    cannot_save(path) = "files.cannot_save" {
        zh: "无法保存 {path}",
        en: "cannot save {path}",
    }
    /// A folder could not be listed.
    cannot_list(path) = "files.cannot_list" {
        zh: "无法列出文件夹 {path} 的内容",
        en: "cannot list {path}",
    }
    /// A .docx file is not a zip archive (`detail`: the zip reader's words).
    docx_not_zip(path, detail) = "files.docx_not_zip" {
        zh: "{path}：不是 DOCX 文件（不是 zip 压缩包：{detail}）",
        en: "{path}: not a DOCX file (it is not a zip archive: {detail})",
    }
    /// A zip archive without word/document.xml.
    docx_no_document(path) = "files.docx_no_document" {
        zh: "{path}：不是 DOCX 文件（压缩包中没有 word/document.xml）",
        en: "{path}: not a DOCX file (the archive has no word/document.xml)",
    }
    /// A DOCX that expands to more than the limit.
    docx_too_large(path, limit_mb) = "files.docx_too_large" {
        zh: "{path}：压缩包解压后超过 {limit_mb} MB（可能是“压缩炸弹”），文枢不予读取",
        en: "{path}: the archive expands to more than {limit_mb} MB (a zip bomb?)",
    }
    /// A DOCX with more entries than the limit.
    docx_too_many_entries(path, limit) = "files.docx_too_many_entries" {
        zh: "{path}：压缩包中的文件超过 {limit} 个，文枢不予读取",
        en: "{path}: the archive has more than {limit} entries",
    }
    /// A DOCX that the reader could not parse (`detail`: the parser's words).
    docx_damaged(path, detail) = "files.docx_damaged" {
        zh: "{path}：DOCX 文件已损坏（{detail}）；请在 Word 或 WPS 中打开后另存一份再试",
        en: "{path}: the DOCX is damaged: {detail}",
    }
    /// A PDF protected by a password.
    pdf_encrypted(path) = "files.pdf_encrypted" {
        zh: "{path}：PDF 文件已加密；请另存一份不带密码的副本后再添加",
        en: "{path}: the PDF is encrypted: save a copy without a password and add that",
    }
    /// A PDF without a text layer (a scan).
    pdf_no_text(path) = "files.pdf_no_text" {
        zh: "{path}：PDF 中没有文字层（可能是扫描件），暂不支持文字识别（OCR）",
        en: "{path}: no text layer; OCR is not supported (is it a scan?)",
    }
    /// A PDF the parser could not read (`detail`: the parser's words).
    pdf_damaged(path, detail) = "files.pdf_damaged" {
        zh: "{path}：无法读取这个 PDF 文件（{detail}）",
        en: "{path}: not a readable PDF: {detail}",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_files_message_renders_in_both_languages() {
        let (zh, en) =
            crate::messages::in_both(|| super::docx_not_zip("junk.docx", "invalid Zip archive"));
        assert_eq!(zh.id, en.id, "one id in every language");
        assert_eq!(
            en.text, "junk.docx: not a DOCX file (it is not a zip archive: invalid Zip archive)",
            "English as before the catalogue"
        );
        assert!(
            zh.text.starts_with("junk.docx：不是 DOCX 文件"),
            "Chinese names the file: {}",
            zh.text
        );
    }
}
