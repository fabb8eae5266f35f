//! Reading a document back from its text, one paragraph per line: the checker's recognisers
//! find the parts, and each part becomes its element.

use super::{Attendance, Block, Date, DocType, Document, Element, Requirement};
use crate::check::{clean, heading, parts};

/// Reads a document back from its text, one paragraph per line (as [`Document::to_text`]
/// writes it, or as a user edited it): the elements in front of the title, the title, 主送,
/// the body with its heading levels, 附件说明, 署名, 成文日期, 附注 and 版记. The type comes from
/// the title, else `fallback`.
pub fn read_document(text: &str, fallback: DocType) -> Document {
    // The AI label an export put in is not part of the document.
    let (text, _) = crate::check::without_ai_label(text);
    let raw: Vec<&str> = text.lines().collect();
    let lines: Vec<&str> = raw.iter().map(|l| clean(l)).collect();
    let found = parts(&raw);
    let doc_type = found
        .title
        .and_then(|t| DocType::from_title(lines[t]))
        .unwrap_or(fallback);
    let mut doc = Document::new(doc_type, "");
    let title = found.title.unwrap_or(0);
    if let Some(t) = found.title {
        doc.title = lines[t].to_string();
    }
    for (i, &line) in lines.iter().enumerate().take(title) {
        if line.is_empty() {
            continue;
        }
        if Some(i) == found.mark {
            if doc_type != DocType::Minutes {
                doc.issuer = line
                    .trim_end_matches('。')
                    .trim_end_matches("文件")
                    .to_string();
            }
        } else if Some(i) == found.number {
            match line.split_once("签发人") {
                Some((number, signers)) => {
                    let number =
                        number.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
                    doc.number = (!number.is_empty()).then(|| number.to_string());
                    doc.signers = signers
                        .trim_start_matches(['：', ':'])
                        .split(|c: char| c.is_whitespace() || c == '\u{3000}')
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect();
                }
                None => doc.number = Some(line.to_string()),
            }
        } else if ["秘密", "机密", "绝密"].iter().any(|k| line.starts_with(k)) {
            doc.classification = Some(line.to_string());
        } else if line == "特急" || line == "加急" {
            doc.urgency = Some(line.to_string());
        } else if line.chars().all(|c| c.is_ascii_digit()) {
            doc.copy_number = Some(line.to_string());
        }
    }
    let mut body = found.body.clone();
    let addressee = found
        .addressee
        .filter(|_| doc_type.requirement(Element::Addressee) != Requirement::Forbidden);
    if let (Some(a), None) = (found.addressee, addressee) {
        // A type without 主送 (公告, 命令, …): a first paragraph ending in ： is body.
        body.start = body.start.min(a);
    }
    if let Some(a) = addressee {
        doc.addressees = lines[a]
            .trim_end_matches(['：', ':'])
            .split(['，', '、', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
    }
    for &line in &lines[body] {
        if line.is_empty() {
            continue;
        }
        doc.body.push(match heading(line) {
            Some(h) => Block::Heading {
                level: h.level,
                text: line[h.marker.len()..].to_string(),
            },
            None => Block::Paragraph(line.to_string()),
        });
    }
    // A 纪要's attendance lines end its body.
    if doc_type == DocType::Minutes {
        while let Some(Block::Paragraph(last)) = doc.body.last() {
            let Some(line) = Attendance::parse(last) else {
                break;
            };
            doc.attendance.insert(0, line);
            doc.body.pop();
        }
    }
    // Between the body and the date: 附件说明 (numbered when several), then the 署名.
    let mut signature = None;
    for &line in lines
        .iter()
        .take(found.date.unwrap_or(lines.len()))
        .skip(found.body.end)
    {
        if let Some(first) = line.strip_prefix("附件") {
            doc.attachments
                .push(first.trim_start_matches(['：', ':']).to_string());
        } else if !doc.attachments.is_empty()
            && signature.is_none()
            && line.starts_with(&format!("{}.", doc.attachments.len() + 1))
        {
            doc.attachments.push(line.to_string());
        } else if !line.is_empty() {
            signature = Some(line.to_string());
        }
    }
    if doc.attachments.len() > 1 {
        for (i, name) in doc.attachments.iter_mut().enumerate() {
            let prefix = format!("{}.", i + 1);
            if let Some(rest) = name.strip_prefix(&prefix) {
                *name = rest.to_string();
            }
        }
    }
    doc.signature = signature;
    if doc.issuer.is_empty() {
        doc.issuer = doc.signature.take().unwrap_or_default();
    } else if doc.signature.as_deref() == Some(doc.issuer.as_str()) {
        doc.signature = None;
    }
    doc.date = found.date.and_then(|d| Date::parse(lines[d]));
    let after = found.date.map_or(lines.len(), |d| d + 1);
    for &line in lines.iter().skip(after) {
        if let Some(rest) = line.strip_prefix("抄送") {
            doc.copy_to = rest
                .trim_start_matches(['：', ':'])
                .trim_end_matches('。')
                .split(['，', '、', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
        } else if let Some(rest) = line.strip_suffix("印发") {
            let (by, on) = match rest.rsplit_once(|c: char| c.is_whitespace() || c == '\u{3000}') {
                Some((by, on)) => (
                    by.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'),
                    on,
                ),
                None => ("", rest),
            };
            let on = Date::parse(on);
            doc.printed_by = (doc.copy_to.is_empty() || by != doc.issuer).then(|| by.to_string());
            doc.printed_on = on.filter(|d| Some(*d) != doc.date);
        } else if let Some(note) = line.strip_prefix('（').and_then(|l| l.strip_suffix('）')) {
            doc.note = Some(note.to_string());
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_document(doc_type: DocType) -> Document {
        let mut doc = Document::new(doc_type, "广东省政务服务数据管理局");
        doc.classification = Some("秘密★1年".into());
        doc.urgency = Some("特急".into());
        doc.copy_number = Some("000123".into());
        doc.number = Some("粤政数〔2024〕7号".into());
        if doc_type.requirement(Element::Signer) != Requirement::Forbidden {
            doc.signers = vec!["张三".into(), "李四".into()];
        }
        doc.title = if doc_type == DocType::Minutes {
            "广东省政务服务数据管理局局长办公会议纪要".into()
        } else {
            format!(
                "广东省政务服务数据管理局关于做好数据治理工作的{}",
                doc_type.name()
            )
        };
        if doc_type.requirement(Element::Addressee) != Requirement::Forbidden {
            doc.addressees = vec!["各地级以上市政务服务数据管理局".into(), "省直各单位".into()];
        }
        doc.body = vec![
            Block::Paragraph("为贯彻落实数字政府建设要求，现将有关事项通知如下：".into()),
            Block::Heading {
                level: 1,
                text: "总体要求".into(),
            },
            Block::Heading {
                level: 2,
                text: "工作目标。完成数据目录编制。".into(),
            },
            Block::Heading {
                level: 3,
                text: "按时报送材料。".into(),
            },
            Block::Heading {
                level: 4,
                text: "注明联系人。".into(),
            },
            Block::Heading {
                level: 1,
                text: "工作安排".into(),
            },
            Block::Paragraph("请于2024年4月30日前报送。".into()),
        ];
        doc.attachments = vec!["数据目录模板".into(), "报送表".into()];
        doc.signature = Some("广东省政务服务数据管理局办公室".into());
        doc.date = Date::new(2024, 3, 20);
        doc.note = Some("联系人：王五，电话：020-12345678".into());
        doc.copy_to = vec!["省委办公厅".into(), "省政府办公厅".into()];
        doc.printed_by = Some("广东省政务服务数据管理局办公室".into());
        doc.printed_on = Date::new(2024, 3, 21);
        doc
    }

    #[test]
    fn documents_read_back_from_their_text() {
        for doc_type in DocType::ALL {
            let mut doc = full_document(doc_type);
            if doc_type == DocType::Minutes {
                // A 纪要's mark is its title, so the issuer is read from the signature.
                doc.issuer = doc.signature.take().expect("signature");
                // …and a 印发机关 equal to the issuer is the default, printed the same.
                doc.printed_by = None;
            }
            let text = doc.to_text();
            assert_eq!(
                read_document(&text, DocType::Letter),
                doc,
                "{doc_type}\n{text}"
            );
            // The plainest document: defaults for the signature and the 版记.
            let mut plain = Document::new(doc_type, "某市数据管理局");
            plain.title = doc
                .title
                .replace("广东省政务服务数据管理局", "某市数据管理局");
            plain.body = vec![Block::Paragraph("现将有关事项通知如下。".into())];
            plain.attachments = vec!["名单".into()];
            plain.date = Date::new(2024, 1, 2);
            plain.copy_to = vec!["省委办公厅".into()];
            if doc_type == DocType::Minutes {
                plain.issuer = String::new();
            }
            let text = plain.to_text();
            let mut expected = plain.clone();
            if doc_type == DocType::Minutes {
                expected.issuer = "".into();
            }
            assert_eq!(
                read_document(&text, DocType::Letter),
                expected,
                "{doc_type}\n{text}"
            );
        }
    }

    #[test]
    fn a_text_without_a_title_is_all_body_of_the_fallback_type() {
        let doc = read_document("第一段。\n第二段。\n", DocType::Circular);
        assert_eq!(doc.doc_type, DocType::Circular);
        assert_eq!(doc.body.len(), 2);
    }
}
