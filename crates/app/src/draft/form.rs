//! What a draft is asked with: the request, read from a drafting form and checked against the
//! type before any model time is spent, and the document JSON front ends send back, read into
//! a [`Document`].

use wenshu_api::messages::draft as msg;
use wenshu_core::document::{Attendance, Block, Date, DocType, Document, Element, Requirement};

use super::types::{AttendanceInfo, BlockInfo, DocumentInfo, Draft, DraftForm};
use crate::error::{AppError, ErrorCode, Result};

/// What the user asks for: the type, the fixed elements and the facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftRequest {
    pub doc_type: Option<DocType>,
    /// 发文机关.
    pub issuer: String,
    /// What the document is about, in the user's words.
    pub topic: String,
    /// 主送机关.
    pub addressees: Vec<String>,
    /// The only source of numbers, dates and names in the body.
    pub facts: Option<String>,
    /// 发文字号, as given.
    pub number: Option<String>,
    /// 成文日期; today, in the zone `ui.timezone` names, when absent.
    pub date: Option<Date>,
    /// 签发人 (上行文).
    pub signers: Vec<String>,
    /// 附件 names.
    pub attachments: Vec<String>,
    /// 抄送机关.
    pub copy_to: Vec<String>,
    /// 联系人 and telephone, printed as the 附注.
    pub contact: Option<String>,
    /// 密级和保密期限.
    pub classification: Option<String>,
    /// 紧急程度.
    pub urgency: Option<String>,
    /// Sampling seed; the settings' seed when absent.
    pub seed: Option<u32>,
    /// The app drafting it, when a pack runs it: its id for the audit log and its own template.
    pub app: Option<DraftApp>,
}

/// A drafting app of a pack: its id, and the type's template it carries (`draft.toml`), if any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftApp {
    pub id: String,
    pub template: Option<String>,
}

/// Reads a type by its Chinese name or identifier, with an error that lists the 15.
pub fn parse_type(name: &str) -> Result<DocType> {
    DocType::parse(name).ok_or_else(|| {
        let names: Vec<&str> = DocType::ALL.iter().map(|t| t.name()).collect();
        AppError::of(
            ErrorCode::InvalidInput,
            msg::not_a_type(name, names.join("、")),
        )
    })
}

/// Reads a date given as 2024-03-20, 2024/3/20 or 2024年3月20日.
pub fn parse_date(text: &str) -> Result<Date> {
    Date::parse(text).ok_or_else(|| AppError::of(ErrorCode::InvalidInput, msg::bad_date(text)))
}

/// Splits a list field as people type it: one name per line, or separated by 、 ， , ；.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(['\n', '、', '，', ',', '；', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl TryFrom<&DraftForm> for DraftRequest {
    type Error = AppError;

    fn try_from(form: &DraftForm) -> Result<Self> {
        let mut req = DraftRequest {
            doc_type: Some(parse_type(&form.doc_type)?),
            ..DraftRequest::default()
        };
        for (key, value) in &form.fields {
            let value = value.trim();
            let text = || (!value.is_empty()).then(|| value.to_string());
            match key.as_str() {
                "issuer" => req.issuer = value.to_string(),
                "topic" => req.topic = value.to_string(),
                "addressees" => req.addressees = split_list(value),
                "facts" => req.facts = text(),
                "number" => req.number = text(),
                "date" => req.date = text().map(|d| parse_date(&d)).transpose()?,
                "signers" => req.signers = split_list(value),
                "attachments" => req.attachments = split_list(value),
                "copy_to" => req.copy_to = split_list(value),
                "contact" => req.contact = text(),
                "classification" => req.classification = text(),
                "urgency" => req.urgency = text(),
                other => {
                    return Err(AppError::of(
                        ErrorCode::InvalidInput,
                        msg::unknown_field(other),
                    ));
                }
            }
        }
        Ok(req)
    }
}

/// Checks that the fixed elements suit the type before any model time is spent.
pub(super) fn check_request(doc_type: DocType, req: &DraftRequest) -> Result<()> {
    let invalid = |message| Err(AppError::of(ErrorCode::InvalidInput, message));
    if req.issuer.trim().is_empty() {
        return invalid(msg::no_issuer());
    }
    if req.topic.trim().is_empty() {
        return invalid(msg::no_topic());
    }
    match doc_type.requirement(Element::Addressee) {
        Requirement::Required if req.addressees.is_empty() => {
            return invalid(msg::needs_addressee(doc_type));
        }
        Requirement::Forbidden if !req.addressees.is_empty() => {
            return invalid(msg::no_addressee(doc_type));
        }
        _ => {}
    }
    // The only limit the 条例 sets is one superior body for a 请示, which the message names.
    if doc_type
        .max_addressees()
        .is_some_and(|max| req.addressees.len() > max)
    {
        return invalid(msg::one_superior(doc_type, req.addressees.len()));
    }
    match doc_type.requirement(Element::Signer) {
        Requirement::Required if req.signers.is_empty() => {
            return invalid(msg::needs_signer(doc_type));
        }
        Requirement::Forbidden if !req.signers.is_empty() => {
            return invalid(msg::no_signer(doc_type));
        }
        _ => {}
    }
    Ok(())
}

/// A document as front ends receive it.
pub fn document_info(d: &Document) -> DocumentInfo {
    {
        DocumentInfo {
            doc_type: d.doc_type.name().to_string(),
            copy_number: d.copy_number.clone(),
            classification: d.classification.clone(),
            urgency: d.urgency.clone(),
            issuer: d.issuer.clone(),
            number: d.number.clone(),
            signers: d.signers.clone(),
            title: d.title.clone(),
            addressees: d.addressees.clone(),
            body: d
                .body
                .iter()
                .map(|b| match b {
                    Block::Heading { level, text } => BlockInfo {
                        level: *level,
                        text: text.clone(),
                    },
                    Block::Paragraph(text) => BlockInfo {
                        level: 0,
                        text: text.clone(),
                    },
                })
                .collect(),
            attachments: d.attachments.clone(),
            attendance: d
                .attendance
                .iter()
                .map(|a| AttendanceInfo {
                    label: a.label.clone(),
                    names: a.names.clone(),
                })
                .collect(),
            signature: d.signature.clone(),
            date: d.date.map(|d| d.to_string()),
            sealed: d.sealed,
            note: d.note.clone(),
            copy_to: d.copy_to.clone(),
            printed_by: d.printed_by.clone(),
            printed_on: d.printed_on.map(|d| d.to_string()),
        }
    }
}

/// A document from what a front end sent, with an error that names a field it cannot read.
pub fn document_from_info(info: DocumentInfo) -> Result<Document> {
    {
        let doc_type = parse_type(&info.doc_type)?;
        let date = |field: &str, value: Option<String>| -> Result<Option<Date>> {
            value
                .map(|v| {
                    Date::parse(&v).ok_or_else(|| {
                        AppError::of(ErrorCode::InvalidInput, msg::field_not_a_date(field, &v))
                    })
                })
                .transpose()
        };
        let mut doc = Document::new(doc_type, info.issuer);
        doc.copy_number = info.copy_number;
        doc.classification = info.classification;
        doc.urgency = info.urgency;
        doc.number = info.number;
        doc.signers = info.signers;
        doc.title = info.title;
        doc.addressees = info.addressees;
        doc.body = info
            .body
            .into_iter()
            .map(|b| {
                if b.level == 0 {
                    Block::Paragraph(b.text)
                } else {
                    Block::Heading {
                        level: b.level.min(4),
                        text: b.text,
                    }
                }
            })
            .collect();
        doc.attachments = info.attachments;
        doc.attendance = info
            .attendance
            .into_iter()
            .map(|a| Attendance {
                label: a.label,
                names: a.names,
            })
            .collect();
        doc.signature = info.signature;
        doc.date = date("date", info.date)?;
        doc.sealed = info.sealed;
        doc.note = info.note;
        doc.copy_to = info.copy_to;
        doc.printed_by = info.printed_by;
        doc.printed_on = date("printed_on", info.printed_on)?;
        Ok(doc)
    }
}

/// The drafted document, ready to export.
pub fn draft_document(draft: &Draft) -> Result<Document> {
    document_from_info(draft.document.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_becomes_a_request_and_names_a_field_it_does_not_know() {
        let mut form = DraftForm {
            doc_type: "请示".into(),
            fields: Default::default(),
        };
        for (k, v) in [
            ("issuer", " 某市数据管理局 "),
            ("topic", "申请经费"),
            ("addressees", "某市人民政府"),
            ("signers", "张三、李四"),
            ("attachments", "预算表\n说明"),
            ("date", "2024-03-20"),
            ("number", ""),
        ] {
            form.fields.insert(k.into(), v.into());
        }
        let req = DraftRequest::try_from(&form).expect("valid");
        assert_eq!(req.doc_type, Some(DocType::Request));
        assert_eq!(req.issuer, "某市数据管理局");
        assert_eq!(req.signers, ["张三", "李四"]);
        assert_eq!(req.attachments, ["预算表", "说明"]);
        assert_eq!(req.date, Date::new(2024, 3, 20));
        assert_eq!(req.number, None, "an empty field is absent");
        form.fields.insert("date".into(), "下周".into());
        assert!(DraftRequest::try_from(&form).is_err());
        form.fields.remove("date");
        form.fields.insert("colour".into(), "red".into());
        let err = DraftRequest::try_from(&form).expect_err("unknown");
        assert!(err.message.contains("colour"), "{}", err.message);
    }

    #[test]
    fn fixed_elements_are_checked_before_drafting() {
        let mut req = DraftRequest {
            doc_type: Some(DocType::Request),
            issuer: "某市数据局".into(),
            topic: "申请经费".into(),
            ..DraftRequest::default()
        };
        let err = check_request(DocType::Request, &req).expect_err("no addressee");
        assert!(err.message.contains("主送机关"), "{}", err.message);
        req.addressees = vec!["某市人民政府".into(), "某市财政局".into()];
        let err = check_request(DocType::Request, &req).expect_err("two addressees");
        assert_eq!(err.id, "draft.one_superior", "{}", err.message);
        req.addressees.truncate(1);
        let err = check_request(DocType::Request, &req).expect_err("no signer");
        assert!(err.message.contains("签发人"), "{}", err.message);
        req.signers = vec!["张三".into()];
        check_request(DocType::Request, &req).expect("complete");
        let notice = DraftRequest {
            addressees: vec!["各单位".into()],
            signers: Vec::new(),
            ..req
        };
        let err = check_request(DocType::Notice, &notice).expect_err("通告 has no addressee");
        assert_eq!(err.id, "draft.no_addressee", "{}", err.message);
    }

    #[test]
    fn documents_round_trip_through_json() {
        let mut doc = Document::new(DocType::Letter, "某市数据局");
        doc.title = "某市数据局关于商请提供数据的函".into();
        doc.addressees = vec!["某市统计局".into()];
        doc.body = vec![
            Block::Paragraph("缘由。".into()),
            Block::Heading {
                level: 1,
                text: "提供范围".into(),
            },
        ];
        doc.date = Date::new(2024, 3, 20);
        let info = document_info(&doc);
        let json = serde_json::to_string(&info).expect("json");
        assert!(json.contains("\"type\":\"函\""), "{json}");
        assert!(json.contains("\"date\":\"2024年3月20日\""), "{json}");
        let back: DocumentInfo = serde_json::from_str(&json).expect("parse");
        assert_eq!(document_from_info(back).expect("document"), doc);
        let bad = json.replace("2024年3月20日", "2024-02-30");
        let err = document_from_info(serde_json::from_str::<DocumentInfo>(&bad).expect("parse"))
            .expect_err("no 30 February");
        assert!(err.message.contains("2024-02-30"), "{}", err.message);
    }
}
