//! The words of the app catalogue (应用超市): categories, the built-in apps and the fields of
//! their forms. The choices a field offers (密级, 紧急程度) are the document's own words and are
//! not translated.

catalogue! {
    /// The category of the drafting apps and the checker.
    category_drafting() = "apps.category_drafting" {
        zh: "公文写作",
        en: "Document drafting",
    }
    /// The category of the knowledge apps.
    category_knowledge() = "apps.category_knowledge" {
        zh: "知识服务",
        en: "Knowledge",
    }
    /// The category of the general assistant.
    category_general() = "apps.category_general" {
        zh: "通用助手",
        en: "General assistant",
    }
    /// A drafting app's name (`doc_type`: the type's Chinese name).
    draft_name(doc_type) = "apps.draft_name" {
        zh: "{doc_type}起草",
        en: "Draft a {doc_type}",
    }
    /// A drafting app's description (`purpose`: what the type is for, in Chinese).
    draft_description(purpose) = "apps.draft_description" {
        zh: "适用于{purpose}。",
        en: "Use for: {purpose}",
    }
    /// The checker app's name.
    check_name() = "apps.check_name" {
        zh: "公文格式检查",
        en: "Document check",
    }
    /// The checker app's description.
    check_description() = "apps.check_description" {
        zh: "打开 DOCX 或 TXT 公文，按 GB/T 9704-2012 和《党政机关公文处理工作条例》检查格式与要素。",
        en: "Open a DOCX or TXT document and check its layout and elements against GB/T 9704-2012 and the 党政机关公文处理工作条例.",
    }
    /// The knowledge app's name.
    kb_name() = "apps.kb_name" {
        zh: "知识库问答",
        en: "Knowledge base Q&A",
    }
    /// The knowledge app's description.
    kb_description() = "apps.kb_description" {
        zh: "在本机知识库中检索政策文件，回答问题并标注出处。",
        en: "Search the policy documents in the local knowledge base and answer with sources.",
    }
    /// The chat app's name.
    chat_name() = "apps.chat_name" {
        zh: "智能对话",
        en: "Chat",
    }
    /// The chat app's description.
    chat_description() = "apps.chat_description" {
        zh: "与本地模型多轮对话，记录保存在本机。",
        en: "Talk with the local model; conversations stay on this computer.",
    }
    /// Field: the issuing authority.
    field_issuer() = "apps.field_issuer" {
        zh: "发文机关",
        en: "Issuing authority",
    }
    /// Placeholder of the issuing authority.
    hint_issuer() = "apps.hint_issuer" {
        zh: "例：某市数据管理局",
        en: "e.g. 某市数据管理局",
    }
    /// Field: what the document is about.
    field_topic() = "apps.field_topic" {
        zh: "事由",
        en: "Subject",
    }
    /// Placeholder of the subject.
    hint_topic() = "apps.hint_topic" {
        zh: "这份公文要办的事，例：开展数据安全检查",
        en: "what the document is for, e.g. 开展数据安全检查",
    }
    /// Field: the main addressees.
    field_addressees() = "apps.field_addressees" {
        zh: "主送机关",
        en: "Addressees",
    }
    /// Placeholder of the addressee of a 请示.
    hint_one_superior() = "apps.hint_one_superior" {
        zh: "只写一个上级机关",
        en: "one superior authority only",
    }
    /// Placeholder of a list of addressees.
    hint_addressees() = "apps.hint_addressees" {
        zh: "每行一个，或用顿号分隔",
        en: "one per line, or separated by 、",
    }
    /// Field: the facts the model may use.
    field_facts() = "apps.field_facts" {
        zh: "事实材料",
        en: "Facts",
    }
    /// Placeholder of the facts.
    hint_facts() = "apps.hint_facts" {
        zh: "正文可用的事实、数字、日期和要求；模型不会编造这里没有的数字",
        en: "facts, numbers, dates and requirements the body may use; the model invents no number that is not here",
    }
    /// Field: the document number.
    field_number() = "apps.field_number" {
        zh: "发文字号",
        en: "Document number",
    }
    /// Placeholder of the document number.
    hint_number() = "apps.hint_number" {
        zh: "例：某数〔2024〕12号",
        en: "e.g. 某数〔2024〕12号",
    }
    /// Field: the signers.
    field_signers() = "apps.field_signers" {
        zh: "签发人",
        en: "Signers",
    }
    /// Placeholder of the signers.
    hint_signers() = "apps.hint_signers" {
        zh: "上行文须注明签发人",
        en: "required on documents to a superior",
    }
    /// Field: the date.
    field_date() = "apps.field_date" {
        zh: "成文日期",
        en: "Date",
    }
    /// Placeholder of the date.
    hint_date() = "apps.hint_date" {
        zh: "留空为今天",
        en: "empty for today",
    }
    /// Field: the attachments.
    field_attachments() = "apps.field_attachments" {
        zh: "附件",
        en: "Attachments",
    }
    /// Placeholder of the attachments.
    hint_attachments() = "apps.hint_attachments" {
        zh: "每行一个附件名称",
        en: "one attachment name per line",
    }
    /// Field: the authorities copied.
    field_copy_to() = "apps.field_copy_to" {
        zh: "抄送机关",
        en: "Copied to",
    }
    /// Placeholder of a list, one per line.
    hint_one_per_line() = "apps.hint_one_per_line" {
        zh: "每行一个",
        en: "one per line",
    }
    /// Field: the contact person and telephone.
    field_contact() = "apps.field_contact" {
        zh: "联系人及电话",
        en: "Contact and telephone",
    }
    /// Placeholder of the contact.
    hint_contact() = "apps.hint_contact" {
        zh: "例：张三，12345678",
        en: "e.g. 张三，12345678",
    }
    /// Field: the classification and its period.
    field_classification() = "apps.field_classification" {
        zh: "密级和保密期限",
        en: "Classification and period",
    }
    /// Field: the urgency.
    field_urgency() = "apps.field_urgency" {
        zh: "紧急程度",
        en: "Urgency",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_apps_message_renders_in_both_languages() {
        let (zh, en) = crate::messages::in_both(|| super::draft_name("通知"));
        assert_eq!(zh.id, "apps.draft_name");
        assert_eq!(
            zh.text, "通知起草",
            "the Chinese name as before the catalogue"
        );
        assert_eq!(en.text, "Draft a 通知");
    }
}
