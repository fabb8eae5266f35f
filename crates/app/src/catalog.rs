//! The app catalogue (应用超市): every capability as an app with a category and an input schema
//! that front ends turn into a form. Today it lists the built-in capabilities; signed prompt
//! packs will add their own entries to the same list, and the admin policy will mark entries
//! locked or blocked with its reason.

pub use wenshu_api::{AppInfo, AppStatus, FieldInfo, FieldKind};
use wenshu_core::document::{DocType, Element, Requirement};

/// The categories in the order the catalogue shows them.
pub const CATEGORIES: [&str; 3] = ["公文写作", "知识服务", "通用助手"];

fn field(key: &str, label: &str, kind: FieldKind, required: bool, placeholder: &str) -> FieldInfo {
    FieldInfo {
        key: key.to_string(),
        label: label.to_string(),
        kind,
        required,
        placeholder: placeholder.to_string(),
        options: Vec::new(),
    }
}

/// The form of a drafting app: the fixed elements this type may carry, required where the
/// type requires them (条例第九条), and the facts the model may use.
pub fn draft_fields(doc_type: DocType) -> Vec<FieldInfo> {
    use FieldKind::*;
    let mut out = vec![
        field("issuer", "发文机关", Text, true, "例：某市数据管理局"),
        field(
            "topic",
            "事由",
            Text,
            true,
            "这份公文要办的事，例：开展数据安全检查",
        ),
    ];
    let req = |e: Element| doc_type.requirement(e);
    match req(Element::Addressee) {
        Requirement::Forbidden => {}
        r => {
            let hint = if doc_type == DocType::Request {
                "只写一个上级机关"
            } else {
                "每行一个，或用顿号分隔"
            };
            out.push(field(
                "addressees",
                "主送机关",
                List,
                r == Requirement::Required,
                hint,
            ));
        }
    }
    out.push(field(
        "facts",
        "事实材料",
        Textarea,
        false,
        "正文可用的事实、数字、日期和要求；模型不会编造这里没有的数字",
    ));
    match req(Element::Number) {
        Requirement::Forbidden => {}
        _ => out.push(field(
            "number",
            "发文字号",
            Text,
            false,
            "例：某数〔2024〕12号",
        )),
    }
    match req(Element::Signer) {
        Requirement::Forbidden => {}
        r => out.push(field(
            "signers",
            "签发人",
            List,
            r == Requirement::Required,
            "上行文须注明签发人",
        )),
    }
    out.push(field("date", "成文日期", Date, false, "留空为今天"));
    out.push(field(
        "attachments",
        "附件",
        List,
        false,
        "每行一个附件名称",
    ));
    out.push(field("copy_to", "抄送机关", List, false, "每行一个"));
    out.push(field(
        "contact",
        "联系人及电话",
        Text,
        false,
        "例：张三，12345678",
    ));
    let mut classification = field("classification", "密级和保密期限", Choice, false, "");
    classification.options = ["", "秘密", "机密", "绝密"].map(String::from).to_vec();
    out.push(classification);
    let mut urgency = field("urgency", "紧急程度", Choice, false, "");
    urgency.options = ["", "加急", "特急"].map(String::from).to_vec();
    out.push(urgency);
    out
}

/// The catalogue: the built-in apps (15 drafting apps, the checker, knowledge and chat).
pub fn apps() -> Vec<AppInfo> {
    let mut out: Vec<AppInfo> = DocType::ALL
        .iter()
        .map(|&t| AppInfo {
            id: format!("draft.{}", t.id()),
            name: format!("{}起草", t.name()),
            category: CATEGORIES[0].to_string(),
            description: format!("适用于{}。", t.purpose()),
            runner: "draft".to_string(),
            source: "builtin".to_string(),
            fields: draft_fields(t),
            status: AppStatus::Available,
        })
        .collect();
    let simple = |id: &str, name: &str, category: usize, description: &str, runner: &str| AppInfo {
        id: id.to_string(),
        name: name.to_string(),
        category: CATEGORIES[category].to_string(),
        description: description.to_string(),
        runner: runner.to_string(),
        source: "builtin".to_string(),
        fields: Vec::new(),
        status: AppStatus::Available,
    };
    out.push(simple(
        "check",
        "公文格式检查",
        0,
        "打开 DOCX 或 TXT 公文，按 GB/T 9704-2012 和《党政机关公文处理工作条例》检查格式与要素。",
        "check",
    ));
    out.push(simple(
        "kb",
        "知识库问答",
        1,
        "在本机知识库中检索政策文件，回答问题并标注出处。",
        "kb",
    ));
    out.push(simple(
        "chat",
        "智能对话",
        2,
        "与本地模型多轮对话，记录保存在本机。",
        "chat",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_an_app_whose_form_follows_its_requirements() {
        let apps = apps();
        for t in DocType::ALL {
            let app = apps
                .iter()
                .find(|a| a.id == format!("draft.{}", t.id()))
                .expect("app");
            let keys: Vec<&str> = app.fields.iter().map(|f| f.key.as_str()).collect();
            assert!(keys.starts_with(&["issuer", "topic"]), "{keys:?}");
            let addressee = app.fields.iter().find(|f| f.key == "addressees");
            match t.requirement(Element::Addressee) {
                Requirement::Forbidden => assert!(addressee.is_none(), "{t}"),
                Requirement::Required => assert!(addressee.is_some_and(|f| f.required), "{t}"),
                Requirement::Optional => assert!(addressee.is_some_and(|f| !f.required), "{t}"),
            }
            let signer = app.fields.iter().find(|f| f.key == "signers");
            assert_eq!(
                signer.is_some_and(|f| f.required),
                t.requirement(Element::Signer) == Requirement::Required,
                "{t}"
            );
        }
        assert!(
            apps.iter()
                .all(|a| CATEGORIES.contains(&a.category.as_str()))
        );
        let mut ids: Vec<&str> = apps.iter().map(|a| a.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), apps.len(), "ids are unique");
    }
}
