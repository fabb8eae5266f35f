//! The app catalogue (应用超市): every app pack as an app with a category and an input schema
//! that front ends turn into a form. Built-in, managed and installed packs are listed alike;
//! the admin policy and each pack's trust mark entries locked, with the reason.

use wenshu_api::messages::{Message, apps as msg};
pub use wenshu_api::{AppInfo, AppStatus, FieldInfo, FieldKind};
use wenshu_core::document::{DocType, Element, Requirement};
use wenshu_packs::Limits;

use crate::Wenshu;
use crate::error::Result;
use crate::packs::Pack;

/// The built-in categories in the order the catalogue shows them (packs name their own; they
/// come after these).
pub fn categories() -> [&'static str; 5] {
    ["公文写作", "会议与摘要", "知识服务", "综合办公", "通用助手"]
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
    // No 密级 field: a state secret may not be drafted on this device (保守国家秘密法 art. 31).
    // The choices are what the document prints, in Chinese whatever the language.
    let mut urgency = field("urgency", msg::field_urgency(), Choice, false, None);
    urgency.options = ["", "加急", "特急"].map(String::from).to_vec();
    out.push(urgency);
    out
}

/// A form field of a pack's manifest as front ends show it.
fn pack_field(field: &wenshu_packs::Field) -> FieldInfo {
    use wenshu_packs::FieldKind as K;
    FieldInfo {
        key: field.key.clone(),
        label: field.label.clone(),
        kind: match field.kind {
            K::Text => FieldKind::Text,
            K::Textarea => FieldKind::Textarea,
            K::Choice => FieldKind::Choice,
            K::Date => FieldKind::Date,
            K::Number => FieldKind::Number,
            K::File => FieldKind::File,
            K::List => FieldKind::List,
        },
        required: field.required,
        placeholder: field
            .default
            .clone()
            .filter(|_| field.placeholder.is_empty())
            .unwrap_or_else(|| field.placeholder.clone()),
        options: field.options.clone(),
    }
}

/// The form of an app: its manifest's fields, or where it declares none, its runner's: for a
/// drafting app, the type's own form.
pub fn app_fields(manifest: &wenshu_packs::Manifest) -> Vec<FieldInfo> {
    if !manifest.fields.is_empty() {
        return manifest.fields.iter().map(pack_field).collect();
    }
    match &manifest.runner {
        Some(wenshu_packs::Runner::Draft { doc_type }) => DocType::parse(doc_type)
            .map(draft_fields)
            .unwrap_or_default(),
        Some(runner) => crate::apps::runner_fields(runner),
        None => Vec::new(),
    }
}

/// The catalogue entry of an app pack, locked where the pack may not be used or the limits in
/// force (`limits`, from the policy file `policy`) do not allow it.
pub fn app_info(pack: &Pack, limits: &Limits, policy: Option<&str>) -> Option<AppInfo> {
    let m = &pack.manifest;
    let runner = m.runner.as_ref()?;
    let status = if let Some(problem) = &pack.problem {
        AppStatus::Locked {
            reason: problem.text.clone(),
        }
    } else if limits.app_allowed(&m.id).is_err() {
        AppStatus::Locked {
            reason: wenshu_api::messages::policy::app_blocked(&m.name, policy.unwrap_or("-")).text,
        }
    } else {
        AppStatus::Available
    };
    Some(AppInfo {
        id: m.id.clone(),
        name: m.name.clone(),
        category: m.category.clone(),
        description: m.description.clone(),
        runner: runner.name().to_string(),
        source: pack.source.id().to_string(),
        fields: app_fields(m),
        status,
        version: m.version().to_string(),
        signer: pack.signer.clone(),
        output: m
            .output
            .map_or("text", wenshu_packs::Output::name)
            .to_string(),
        level: m.level.clone(),
    })
}

impl Wenshu {
    /// The catalogue (应用超市): every app pack on this desktop, built in, managed and
    /// installed, in the categories' order, locked where the policy or the pack's trust says.
    pub fn apps(&self) -> Result<Vec<AppInfo>> {
        let limits = self.limits();
        let policy = self.policy().map(crate::policy::LoadedPolicy::label);
        let mut apps: Vec<AppInfo> = self
            .packs()?
            .iter()
            .filter_map(|p| app_info(p, &limits, policy.as_deref()))
            .collect();
        let order = categories();
        let rank = |c: &str| order.iter().position(|o| *o == c).unwrap_or(order.len());
        apps.sort_by_key(|a| rank(&a.category));
        Ok(apps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_an_app_whose_form_follows_its_requirements() {
        let apps: Vec<AppInfo> = crate::packs::builtin()
            .expect("built-in packs")
            .iter()
            .filter_map(|p| app_info(p, &Limits::default(), None))
            .collect();
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
            apps.iter()
                .all(|a| categories.contains(&a.category.as_str())),
            "every built-in app is in a listed category"
        );
        for runner in ["draft", "minutes", "summary", "answer", "chat", "check"] {
            assert!(
                apps.iter().any(|a| a.runner == runner),
                "a built-in app runs {runner}"
            );
        }
        let mut ids: Vec<&str> = apps.iter().map(|a| a.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), apps.len(), "ids are unique");
    }
}
