//! The words of the app catalogue (应用超市): categories, the built-in apps and the fields of
//! their forms. The choices a field offers (密级, 紧急程度) are the document's own words and are
//! not translated.

catalogue! {
    /// An id that names a knowledge pack, not an app.
    not_an_app(id) = "apps.not_an_app" {
        zh: "“{id}”是知识包，不是应用：请用 `wenshu apps list` 查看应用",
        en: "“{id}” is a knowledge pack, not an app: see `wenshu apps list`",
    }
    /// A required input left out.
    missing_input(app, key, label) = "apps.missing_input" {
        zh: "应用“{app}”缺少必填项“{label}”（--input {key}=…）",
        en: "the app “{app}” needs “{label}” (--input {key}=…)",
    }
    /// An input the app's form does not have.
    unknown_input(app, key, keys) = "apps.unknown_input" {
        zh: "应用“{app}”没有输入项“{key}”，可用的输入项：{keys}",
        en: "the app “{app}” has no input “{key}”; its inputs: {keys}",
    }
    /// An input not written as key=value.
    bad_input(text) = "apps.bad_input" {
        zh: "输入项“{text}”应写成 键=值",
        en: "the input “{text}” should be key=value",
    }
    /// A choice not among the options.
    bad_choice(label, value, options) = "apps.bad_choice" {
        zh: "“{label}”只能是以下之一：{options}，而不是“{value}”",
        en: "“{label}” must be one of {options}, not “{value}”",
    }
    /// A number field that is not a number.
    not_a_number(label, value) = "apps.not_a_number" {
        zh: "“{label}”应为数字，而不是“{value}”",
        en: "“{label}” should be a number, not “{value}”",
    }
    /// A template that fails when the app runs.
    template_failed(app, name, detail) = "apps.template_failed" {
        zh: "应用“{app}”的模板 {name} 无法生成提示：{detail}",
        en: "the template {name} of the app “{app}” failed: {detail}",
    }
    /// A knowledge pack an app needs that is not on this desktop.
    missing_need(app, pack) = "apps.missing_need" {
        zh: "应用“{app}”需要知识包“{pack}”，本机没有或不可用：请联系信息技术部门下发",
        en: "the app “{app}” needs the knowledge pack “{pack}”, which is missing or unusable here",
    }
    /// A pack's worked examples that do not read.
    bad_shots(file, line, detail) = "apps.bad_shots" {
        zh: "应用包的示例文件 {file} 第 {line} 行有误：{detail}",
        en: "the pack's examples {file}, line {line}: {detail}",
    }
    /// A pack's JSON schema that does not parse.
    bad_schema(pack, detail) = "apps.bad_schema" {
        zh: "应用包 {pack} 的 schema.json 不是有效的 JSON：{detail}",
        en: "the schema.json of the pack {pack} is not valid JSON: {detail}",
    }
    /// An output file of the wrong kind for the app.
    bad_output(app, kinds) = "apps.bad_output" {
        zh: "应用“{app}”的结果只能保存为 {kinds}",
        en: "the app “{app}” saves only as {kinds}",
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
        let (zh, en) = crate::messages::in_both(|| super::not_an_app("wenshu-guide"));
        assert_eq!(zh.id, "apps.not_an_app");
        assert!(zh.text.contains("知识包"), "{}", zh.text);
        assert!(en.text.contains("knowledge pack"), "{}", en.text);
    }
}
