//! Messages of the draft checker.

catalogue! {
    /// A draft of a kind the checker does not read.
    unsupported_kind(path) = "check.unsupported_kind" {
        zh: "{path}：只能检查 .txt、.md 和 .docx 格式的草稿",
        en: "{path}: only .txt, .md and .docx drafts can be checked",
    }
    /// `--fix` asked of a DOCX.
    fix_docx(path) = "check.fix_docx" {
        zh: "{path}：--fix 只能改写 .txt 和 .md 草稿；DOCX 文件请按检查建议在 Word 或 WPS 中修改",
        en: "{path}: --fix rewrites .txt and .md drafts; for a DOCX, apply the suggestions in Word or WPS",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_check_message_renders_in_both_languages() {
        let (zh, en) = crate::messages::in_both(|| super::fix_docx("草稿.docx"));
        assert_eq!(zh.id, "check.fix_docx");
        assert!(
            en.text.starts_with("草稿.docx: --fix rewrites"),
            "{}",
            en.text
        );
        assert!(
            zh.text.starts_with("草稿.docx：--fix 只能改写"),
            "{}",
            zh.text
        );
    }
}
