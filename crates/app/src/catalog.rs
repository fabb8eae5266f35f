//! The app catalogue (应用超市): every capability as an app with a category and an input schema
//! that front ends turn into a form. Today it lists the built-in capabilities; signed prompt
//! packs will add their own entries to the same list, and the admin policy will mark entries
//! locked or blocked with its reason.

use wenshu_api::messages::{Message, apps as msg};
pub use wenshu_api::{AppInfo, AppStatus, FieldInfo, FieldKind};
use wenshu_core::document::{DocType, Element, Requirement};

/// The categories in the order the catalogue shows them, in the language in force.
pub fn categories() -> [String; 3] {
    [
        msg::category_drafting().text,
        msg::category_knowledge().text,
        msg::category_general().text,
    ]
}

fn field(
    key: &str,
    label: Message,
    kind: FieldKind,
    required: bool,
    placeholder: Option<Message>,
) -> FieldInfo {
    FieldInfo {
        key: key.to_string(),
        label: label.text,
        kind,
        required,
        placeholder: placeholder.map(|p| p.text).unwrap_or_default(),
        options: Vec::new(),
    }
}

/// The form of a drafting app: the fixed elements this type may carry, required where the
/// type requires them (条例第九条), and the facts the model may use.
pub fn draft_fields(doc_type: DocType) -> Vec<FieldInfo> {
    use FieldKind::*;
    let mut out = vec![
        field(
            "issuer",
            msg::field_issuer(),
            Text,
            true,
            Some(msg::hint_issuer()),
        ),
        field(
            "topic",
            msg::field_topic(),
            Text,
            true,
            Some(msg::hint_topic()),
        ),
    ];
    let req = |e: Element| doc_type.requirement(e);
    match req(Element::Addressee) {
        Requirement::Forbidden => {}
        r => {
            let hint = if doc_type == DocType::Request {
                msg::hint_one_superior()
            } else {
                msg::hint_addressees()
            };
            out.push(field(
                "addressees",
                msg::field_addressees(),
                List,
                r == Requirement::Required,
                Some(hint),
            ));
        }
    }
    out.push(field(
        "facts",
        msg::field_facts(),
        Textarea,
        false,
        Some(msg::hint_facts()),
    ));
    match req(Element::Number) {
        Requirement::Forbidden => {}
        _ => out.push(field(
            "number",
            msg::field_number(),
            Text,
            false,
            Some(msg::hint_number()),
        )),
    }
    match req(Element::Signer) {
        Requirement::Forbidden => {}
        r => out.push(field(
            "signers",
            msg::field_signers(),
            List,
            r == Requirement::Required,
            Some(msg::hint_signers()),
        )),
    }
    out.push(field(
        "date",
        msg::field_date(),
        Date,
        false,
        Some(msg::hint_date()),
    ));
    out.push(field(
        "attachments",
        msg::field_attachments(),
        List,
        false,
        Some(msg::hint_attachments()),
    ));
    out.push(field(
        "copy_to",
        msg::field_copy_to(),
        List,
        false,
        Some(msg::hint_one_per_line()),
    ));
    out.push(field(
        "contact",
        msg::field_contact(),
        Text,
        false,
        Some(msg::hint_contact()),
    ));
    // The choices are what the document prints, in Chinese whatever the language.
    let mut classification = field(
        "classification",
        msg::field_classification(),
        Choice,
        false,
        None,
    );
    classification.options = ["", "秘密", "机密", "绝密"].map(String::from).to_vec();
    out.push(classification);
    let mut urgency = field("urgency", msg::field_urgency(), Choice, false, None);
    urgency.options = ["", "加急", "特急"].map(String::from).to_vec();
    out.push(urgency);
    out
}

/// The catalogue: the built-in apps (15 drafting apps, the checker, knowledge and chat).
pub fn apps() -> Vec<AppInfo> {
    let categories = categories();
    let mut out: Vec<AppInfo> = DocType::ALL
        .iter()
        .map(|&t| AppInfo {
            id: format!("draft.{}", t.id()),
            name: msg::draft_name(t.name()).text,
            category: categories[0].clone(),
            description: msg::draft_description(t.purpose()).text,
            runner: "draft".to_string(),
            source: "builtin".to_string(),
            fields: draft_fields(t),
            status: AppStatus::Available,
        })
        .collect();
    let simple =
        |id: &str, name: Message, category: usize, description: Message, runner: &str| AppInfo {
            id: id.to_string(),
            name: name.text,
            category: categories[category].clone(),
            description: description.text,
            runner: runner.to_string(),
            source: "builtin".to_string(),
            fields: Vec::new(),
            status: AppStatus::Available,
        };
    out.push(simple(
        "check",
        msg::check_name(),
        0,
        msg::check_description(),
        "check",
    ));
    out.push(simple("kb", msg::kb_name(), 1, msg::kb_description(), "kb"));
    out.push(simple(
        "chat",
        msg::chat_name(),
        2,
        msg::chat_description(),
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
        let categories = categories();
        assert!(
            apps.iter().all(|a| categories.contains(&a.category)),
            "every app is in a listed category"
        );
        assert_eq!(
            categories[0], "公文写作",
            "the categories are in Chinese by default"
        );
        let mut ids: Vec<&str> = apps.iter().map(|a| a.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), apps.len(), "ids are unique");
    }
}
