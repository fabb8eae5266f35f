//! Messages of the knowledge base: files it cannot index, its search index, knowledge packs and
//! answers from it.

catalogue! {
    /// A data level that is not one.
    bad_level(level, levels) = "kb.bad_level" {
        zh: "“{level}”不是数据级别，可选：{levels}",
        en: "“{level}” is not a data level (one of {levels})",
    }
    /// A file of a kind the knowledge base does not read.
    unsupported_kind(path) = "kb.unsupported_kind" {
        zh: "{path}：知识库只能读取 .txt、.md、.docx、.pdf 和 .html 文件",
        en: "{path}: the knowledge base reads .txt, .md, .docx, .pdf and .html files",
    }
    /// A file with no text in it.
    no_text(path) = "kb.no_text" {
        zh: "{path}：没有可以编入索引的文字",
        en: "{path}: no text to index",
    }
    /// A file of the catalogue that is gone at a rebuild.
    file_gone() = "kb.file_gone" {
        zh: "文件已不存在，已从知识库中移除",
        en: "the file is gone; it left the knowledge base",
    }
    /// An empty search.
    empty_search() = "kb.empty_search" {
        zh: "检索内容为空",
        en: "the search is empty",
    }
    /// An empty question.
    empty_question() = "kb.empty_question" {
        zh: "问题为空",
        en: "the question is empty",
    }
    /// A document to remove that is not in the knowledge base.
    not_in_kb(which) = "kb.not_in_kb" {
        zh: "知识库中没有“{which}”：请用 `wenshu kb list` 查看",
        en: "“{which}” is not in the knowledge base: see `wenshu kb list`",
    }
    /// A document to remove that belongs to a pack IT manages.
    managed_pack(title, pack) = "kb.managed_pack" {
        zh: "“{title}”属于由信息技术部门管理的知识包“{pack}”，不能在这里删除",
        en: "“{title}” belongs to the knowledge pack “{pack}”, which IT manages: it cannot be removed here",
    }
    /// The search index is not open (an internal slip, not the user's).
    index_not_open() = "kb.index_not_open" {
        zh: "检索索引没有打开",
        en: "the search index is not open",
    }
    /// The search index was closed after an error.
    index_closed() = "kb.index_closed" {
        zh: "检索索引因出错已关闭：请重试",
        en: "the search index was closed after an error: try again",
    }
    /// The search index cannot be opened (`detail`: the index's words).
    index_open(path, detail) = "kb.index_open" {
        zh: "无法打开 {path} 处的检索索引：{detail}",
        en: "the search index at {path} cannot be opened: {detail}",
    }
    /// The search index failed (`detail`: the index's words).
    index_failed(detail) = "kb.index_failed" {
        zh: "检索索引出错：{detail}",
        en: "the search index failed: {detail}",
    }
    /// A pack manifest that does not parse (`detail`: the TOML reader's words).
    invalid_manifest(label, detail) = "kb.invalid_manifest" {
        zh: "{label} 不是有效的知识包清单：{detail}",
        en: "{label} is not a valid pack manifest: {detail}",
    }
    /// A pack id that is empty or reserved.
    pack_id_not_allowed(label, id) = "kb.pack_id_not_allowed" {
        zh: "{label}：不能使用知识包编号“{id}”",
        en: "{label}: the pack id “{id}” is not allowed",
    }
    /// The built-in answer prompts do not parse (`detail`: the TOML reader's words).
    invalid_prompts(file, detail) = "kb.invalid_prompts" {
        zh: "{file} 有误：{detail}",
        en: "{file} is invalid: {detail}",
    }
    /// Not one retrieved passage fits beside the answer.
    no_passage_fits(window, max_tokens) = "kb.no_passage_fits" {
        zh: "上下文窗口共 {window} 个 token，留出 {max_tokens} 个给回答后放不下任何一段资料：请调小 --max-tokens",
        en: "no passage fits the context window of {window} tokens beside an answer of {max_tokens}: lower --max-tokens",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_kb_message_renders_in_both_languages() {
        let (zh, en) = crate::messages::in_both(|| super::managed_pack("公文指南", "guide"));
        assert_eq!(zh.id, "kb.managed_pack");
        assert!(en.text.contains("IT manages"), "{}", en.text);
        assert!(
            zh.text.contains("“guide”") && zh.text.contains("不能在这里删除"),
            "{}",
            zh.text
        );
    }
}
