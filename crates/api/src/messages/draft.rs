//! Messages about drafting: the request and its fixed elements, the templates, the model's
//! outline, the progress shown while a draft is written, and saving the document.

catalogue! {
    /// A document type that is none of the 15 (`names`: the 15, listed).
    not_a_type(name, names) = "draft.not_a_type" {
        zh: "“{name}”不是 15 种公文文种之一，可选：{names}",
        en: "“{name}” is not one of the 15 document types: {names}",
    }
    /// A date that does not read.
    bad_date(text) = "draft.bad_date" {
        zh: "“{text}”不是有效的日期：请写成 2024-03-20 或 2024年3月20日",
        en: "“{text}” is not a valid date: write 2024-03-20 or 2024年3月20日",
    }
    /// A date field of a document a front end sent that does not read.
    field_not_a_date(field, value) = "draft.field_not_a_date" {
        zh: "{field}“{value}”不是有效的日期：请写成 2024-03-20 或 2024年3月20日",
        en: "{field} “{value}” is not a date: write 2024-03-20 or 2024年3月20日",
    }
    /// A drafting form with a field drafting does not know.
    unknown_field(field) = "draft.unknown_field" {
        zh: "起草表单中没有“{field}”这一项",
        en: "a draft has no field “{field}”",
    }
    /// A draft asked for without its type.
    no_type() = "draft.no_type" {
        zh: "起草公文须先选定文种",
        en: "a draft needs its document type",
    }
    /// The 发文机关 is empty.
    no_issuer() = "draft.no_issuer" {
        zh: "请填写发文机关",
        en: "a draft needs its 发文机关 (issuer)",
    }
    /// The topic is empty.
    no_topic() = "draft.no_topic" {
        zh: "请填写事由：这份公文是关于什么的",
        en: "a draft needs a topic: what the document is about",
    }
    /// A type that needs its 主送机关 has none.
    needs_addressee(doc_type) = "draft.needs_addressee" {
        zh: "{doc_type}须有主送机关：请写明发往哪个机关",
        en: "a {doc_type} needs its 主送机关 (addressee): name the body it is sent to",
    }
    /// A type that is published (公告, 通告 …) was given 主送机关.
    no_addressee(doc_type) = "draft.no_addressee" {
        zh: "{doc_type}是公开发布的，不写主送机关",
        en: "a {doc_type} is published, not sent: it has no 主送机关 (addressee)",
    }
    /// A type limited to one 主送机关 (a 请示) was given `count`.
    one_superior(doc_type, count) = "draft.one_superior" {
        zh: "{doc_type}只能主送一个上级机关，现有 {count} 个（条例第十五条）：其他机关请用抄送",
        en: "a {doc_type} goes to one superior body only, not {count} (条例第十五条): send copies with 抄送",
    }
    /// A 上行文 without its 签发人.
    needs_signer(doc_type) = "draft.needs_signer" {
        zh: "{doc_type}属于上行文，须有签发人",
        en: "a {doc_type} is 上行文 and needs its 签发人 (signer)",
    }
    /// A type that carries no 签发人 was given one.
    no_signer(doc_type) = "draft.no_signer" {
        zh: "{doc_type}不标注签发人",
        en: "a {doc_type} carries no 签发人 (signer)",
    }
    /// The facts do not fit the model's context window.
    facts_too_long(tokens, room) = "draft.facts_too_long" {
        zh: "事实材料有 {tokens} 个 token，本模型的上下文只能容纳 {room} 个：请只保留公文需要的事实",
        en: "the facts are {tokens} tokens; this model's context leaves room for {room}: keep only the facts the document needs",
    }
    /// The user stopped the draft.
    cancelled() = "draft.cancelled" {
        zh: "已停止起草",
        en: "drafting was cancelled",
    }
    /// A built-in drafting template does not read (`detail`: the TOML reader's words).
    template_invalid(name, detail) = "draft.template_invalid" {
        zh: "起草模板 prompts/draft/{name}.toml 有误：{detail}",
        en: "prompts/draft/{name}.toml is invalid: {detail}",
    }
    /// A type without a drafting template.
    no_template(doc_type) = "draft.no_template" {
        zh: "没有{doc_type}的起草模板",
        en: "there is no drafting template for {doc_type}",
    }
    /// A template written for another type.
    template_wrong_type(name, found, doc_type) = "draft.template_wrong_type" {
        zh: "起草模板 prompts/draft/{name}.toml 是{found}的模板，不是{doc_type}的",
        en: "prompts/draft/{name}.toml is for {found}, not {doc_type}",
    }
    /// The model's outline is cut short or not JSON (`detail`: the JSON reader's words).
    outline_incomplete(detail, tokens) = "draft.outline_incomplete" {
        zh: "模型写出的提纲不是完整的 JSON（{detail}）：请调大 draft.outline_tokens（现为 {tokens}）",
        en: "the model's outline is not complete JSON ({detail}); raise draft.outline_tokens (now {tokens})",
    }
    /// A file name whose extension is not a format Wenshu saves.
    unknown_format(path) = "draft.unknown_format" {
        zh: "{path}：请保存为 .docx、.md 或 .txt 文件",
        en: "{path}: save as .docx, .md or .txt",
    }
    /// The DOCX could not be put together (`detail`: the DOCX library's words).
    cannot_write_docx(detail) = "draft.cannot_write_docx" {
        zh: "无法生成 DOCX 文件：{detail}",
        en: "cannot lay out the DOCX: cannot write the DOCX: {detail}",
    }
    /// A document to save has neither title nor body.
    empty_document() = "draft.empty_document" {
        zh: "文档是空的，没有可保存的内容",
        en: "the document is empty: there is nothing to save",
    }
    /// Progress: the step that writes the outline.
    step_outline() = "draft.step_outline" {
        zh: "提纲",
        en: "outline",
    }
    /// Progress: the step that writes one numbered item of a section (`section`: its name in
    /// the template, e.g. 工作要求).
    step_item(section, heading) = "draft.step_item" {
        zh: "{section}：{heading}",
        en: "{section}: {heading}",
    }
    /// Why a sentence was taken out of a draft: it names what the user never gave.
    removed_invented() = "draft.removed_invented" {
        zh: "事实材料中没有",
        en: "not in what was given",
    }
    /// Why a sentence was taken out of a draft: it talks about the task.
    removed_task_talk() = "draft.removed_task_talk" {
        zh: "谈论写作任务",
        en: "talks about the task",
    }
    /// Why a sentence was taken out of a draft: it leaves a placeholder.
    removed_placeholder() = "draft.removed_placeholder" {
        zh: "占位符",
        en: "placeholder",
    }
    /// Why a sentence was taken out of a draft: the draft says it already.
    removed_repeated() = "draft.removed_repeated" {
        zh: "与前文重复",
        en: "said already",
    }
    /// Progress: the step that asks again for the facts a paragraph left out.
    step_repair(part, count) = "draft.step_repair" {
        zh: "{part}（补写{count}条事实）",
        en: "{part} (writing in {count} facts it left out)",
    }
}

/// Why a sentence was taken out of a draft, in the language of messages.
pub fn removal_reason(reason: crate::RemovalReason) -> super::Message {
    match reason {
        crate::RemovalReason::Invented => removed_invented(),
        crate::RemovalReason::TaskTalk => removed_task_talk(),
        crate::RemovalReason::Placeholder => removed_placeholder(),
        crate::RemovalReason::Repeated => removed_repeated(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_draft_message_renders_in_both_languages() {
        let (zh, en) = crate::messages::in_both(|| super::one_superior("请示", 2));
        assert_eq!(zh.id, "draft.one_superior");
        assert_eq!(
            en.text,
            "a 请示 goes to one superior body only, not 2 (条例第十五条): send copies with 抄送"
        );
        assert_eq!(
            zh.text,
            "请示只能主送一个上级机关，现有 2 个（条例第十五条）：其他机关请用抄送"
        );
    }
}
