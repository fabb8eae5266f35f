//! Comparing two tables (资产盘点): two inventory lists, CSV or XLSX, matched row by row on a
//! key column. What is missing, surplus or changed is computed here, never generated; the
//! model then writes the summary around it, and that summary is checked (its numbers are the
//! table's, each count it should give is there, no talk about the task) before anyone sees it.
//! A summary that fails is replaced by one written from the counts.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Deserialize;
use wenshu_api::messages::tables as msg;
use wenshu_api::{CellChange, ChangedRow, CompareReport, TableRow};
use wenshu_core::text::{sentences, task_talk};
use wenshu_core::{CancelFlag, Role, StopReason, Turn};

use crate::draft::fill;
use crate::error::{AppError, ErrorCode, Result};
use crate::{AskOptions, Wenshu};

const PROMPTS: &str = include_str!("../../../prompts/tables/compare.toml");

/// The largest table file read.
pub const MAX_TABLE_BYTES: u64 = 64 << 20;
/// The most rows a table may have.
pub const MAX_ROWS: usize = 200_000;
/// The most differences of each kind the model is shown (all of them are in the report).
const SHOWN: usize = 30;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Prompts {
    system: String,
    user: String,
    fallback: String,
}

/// What a comparison is asked with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareRequest {
    pub before: PathBuf,
    pub after: PathBuf,
    /// The key column's name; the first column when absent.
    pub key: Option<String>,
    /// What the summary should attend to.
    pub focus: Option<String>,
    /// The app running it, for the audit log.
    pub app: String,
}

/// A table as read: its header and its rows, each with its line (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads a CSV file's fields: commas, quotes with doubled quotes inside, line breaks within
/// quotes; each record with the line it starts on.
fn parse_csv(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            }
            '"' if field.is_empty() => quoted = true,
            ',' if !quoted => record.push(std::mem::take(&mut field)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                record.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut record)));
                line += 1;
                start = line;
            }
            '\n' => {
                line += 1;
                field.push('\n');
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push((start, record));
    }
    records
}

/// A spreadsheet cell as text: whole numbers without a decimal point.
fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        calamine::Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Reads a CSV (UTF-8, or GB18030 as Excel saves it) or XLSX table (its first sheet).
pub fn read_table(path: &Path) -> Result<Table> {
    let label = path.display().to_string();
    let bytes = crate::input::read_file(path, MAX_TABLE_BYTES, "a table")?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let records: Vec<(usize, Vec<String>)> = match ext.as_str() {
        "csv" => {
            let text = match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(err) => {
                    let (text, _, bad) = encoding_rs::GB18030.decode(err.as_bytes());
                    if bad {
                        return Err(AppError::of(ErrorCode::InvalidInput, msg::not_text(&label)));
                    }
                    text.into_owned()
                }
            };
            parse_csv(text.trim_start_matches('\u{feff}'))
        }
        "xlsx" | "xlsm" => {
            use calamine::Reader;
            let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|err| {
                AppError::of(ErrorCode::InvalidInput, msg::not_a_workbook(&label, err))
            })?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(|| AppError::of(ErrorCode::InvalidInput, msg::empty(&label)))?
                .map_err(|err| {
                    AppError::of(ErrorCode::InvalidInput, msg::not_a_workbook(&label, err))
                })?;
            let first = range.start().map_or(0, |(row, _)| row as usize);
            range
                .rows()
                .enumerate()
                .map(|(n, row)| (first + n + 1, row.iter().map(cell_text).collect()))
                .collect()
        }
        _ => {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::not_a_table(&label),
            ));
        }
    };
    let mut records = records
        .into_iter()
        .map(|(line, fields)| {
            (
                line,
                fields
                    .into_iter()
                    .map(|f| f.trim().to_string())
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, fields)| fields.iter().any(|f| !f.is_empty()));
    let (_, columns) = records
        .next()
        .ok_or_else(|| AppError::of(ErrorCode::InvalidInput, msg::empty(&label)))?;
    let rows: Vec<(usize, Vec<String>)> = records.collect();
    if rows.len() > MAX_ROWS {
        return Err(AppError::of(
            ErrorCode::InvalidInput,
            msg::too_many_rows(&label, MAX_ROWS),
        ));
    }
    Ok(Table { columns, rows })
}

/// Two cell values that mean the same: equal text, or equal numbers (100 and 100.00).
fn same_value(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let number = |s: &str| s.replace([',', '，'], "").parse::<f64>().ok();
    matches!((number(a), number(b)), (Some(x), Some(y)) if (x - y).abs() < 1e-9)
}

/// The rows of `table` by key, refusing a key given twice.
fn keyed(table: &Table, key: usize, label: &str) -> Result<BTreeMap<String, (usize, Vec<String>)>> {
    let mut out: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for (line, fields) in &table.rows {
        let Some(k) = fields.get(key).filter(|k| !k.is_empty()) else {
            continue;
        };
        if let Some((first, _)) = out.get(k) {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::duplicate_key(label, k, *first, *line),
            ));
        }
        out.insert(k.clone(), (*line, fields.clone()));
    }
    Ok(out)
}

/// The differences between two tables, matched on the column `key` (the first when `None`).
/// The summary fields are left empty.
pub fn compare(
    before: &Table,
    after: &Table,
    key: Option<&str>,
    labels: (&str, &str),
) -> Result<CompareReport> {
    let key_name = key
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(String::from)
        .or_else(|| before.columns.first().cloned())
        .unwrap_or_default();
    let find = |table: &Table, label: &str| {
        table
            .columns
            .iter()
            .position(|c| *c == key_name)
            .ok_or_else(|| {
                AppError::of(
                    ErrorCode::InvalidInput,
                    msg::no_key_column(label, &key_name, table.columns.join("、")),
                )
            })
    };
    let (kb, ka) = (find(before, labels.0)?, find(after, labels.1)?);
    let old = keyed(before, kb, labels.0)?;
    let new = keyed(after, ka, labels.1)?;
    // The columns both have, in the earlier table's order, each with its place in both.
    let shared: Vec<(String, usize, usize)> = before
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            after
                .columns
                .iter()
                .position(|a| a == c)
                .map(|j| (c.clone(), i, j))
        })
        .collect();
    let row = |key: &str, line: usize, fields: &[String], table: &Table| TableRow {
        key: key.to_string(),
        line,
        values: table
            .columns
            .iter()
            .cloned()
            .zip(fields.iter().cloned())
            .filter(|(c, _)| !c.is_empty())
            .collect(),
    };
    let mut report = CompareReport {
        before: labels.0.to_string(),
        after: labels.1.to_string(),
        key_column: key_name.clone(),
        columns: shared.iter().map(|(c, _, _)| c.clone()).collect(),
        before_rows: old.len(),
        after_rows: new.len(),
        missing: Vec::new(),
        surplus: Vec::new(),
        changed: Vec::new(),
        unchanged: 0,
        summary: String::new(),
        summary_by_model: false,
        rejected: None,
        markdown: String::new(),
        model: String::new(),
        milliseconds: 0,
    };
    let empty = String::new();
    for (k, (line, fields)) in &old {
        match new.get(k) {
            None => report.missing.push(row(k, *line, fields, before)),
            Some((after_line, after_fields)) => {
                let changes: Vec<CellChange> = shared
                    .iter()
                    .filter(|(c, _, _)| *c != key_name)
                    .filter_map(|(c, i, j)| {
                        let (b, a) = (
                            fields.get(*i).unwrap_or(&empty),
                            after_fields.get(*j).unwrap_or(&empty),
                        );
                        (!same_value(b, a)).then(|| CellChange {
                            column: c.clone(),
                            before: b.clone(),
                            after: a.clone(),
                        })
                    })
                    .collect();
                if changes.is_empty() {
                    report.unchanged += 1;
                } else {
                    let name = shared
                        .iter()
                        .find(|(c, _, _)| *c != key_name)
                        .and_then(|(_, _, j)| after_fields.get(*j))
                        .cloned()
                        .unwrap_or_default();
                    report.changed.push(ChangedRow {
                        key: k.clone(),
                        name,
                        before_line: *line,
                        after_line: *after_line,
                        changes,
                    });
                }
            }
        }
    }
    for (k, (line, fields)) in &new {
        if !old.contains_key(k) {
            report.surplus.push(row(k, *line, fields, after));
        }
    }
    Ok(report)
}

/// A row in words: its key and its other values, in the order of `columns`.
fn row_words(row: &TableRow, key: &str, columns: &[String]) -> String {
    let rest: Vec<String> = columns
        .iter()
        .chain(row.values.keys().filter(|c| !columns.contains(c)))
        .filter(|c| *c != key)
        .filter_map(|c| {
            row.values
                .get(c)
                .filter(|v| !v.is_empty())
                .map(|v| format!("{c}：{v}"))
        })
        .collect();
    if rest.is_empty() {
        row.key.clone()
    } else {
        format!("{}（{}）", row.key, rest.join("，"))
    }
}

fn change_words(row: &ChangedRow) -> String {
    let parts: Vec<String> = row
        .changes
        .iter()
        .map(|c| format!("{}由“{}”变为“{}”", c.column, c.before, c.after))
        .collect();
    if row.name.is_empty() {
        format!("{}：{}", row.key, parts.join("，"))
    } else {
        format!("{}（{}）：{}", row.name, row.key, parts.join("，"))
    }
}

/// A row's name: its value in the first column after the key, when it has one.
fn row_name<'a>(report: &CompareReport, values: &'a BTreeMap<String, String>) -> Option<&'a str> {
    report
        .columns
        .iter()
        .find(|c| **c != report.key_column)
        .and_then(|c| values.get(c))
        .map(String::as_str)
        .filter(|n| !n.is_empty())
}

/// The differences as the model is shown them and as the summary's numbers are checked.
fn details(report: &CompareReport) -> String {
    let mut out = Vec::new();
    let mut list = |title: &str, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        let more = items.len().saturating_sub(SHOWN);
        let mut shown: Vec<String> = items.into_iter().take(SHOWN).collect();
        if more > 0 {
            shown.push(format!("另有{more}项"));
        }
        out.push(format!("{title}：{}。", shown.join("；")));
    };
    // A row by its name (the first column after the key) and its key.
    let named = |key: &str, values: Option<&BTreeMap<String, String>>| match values
        .and_then(|v| row_name(report, v))
    {
        Some(name) => format!("{name}（{key}）"),
        None => key.to_string(),
    };
    list(
        "盘亏（上期有、本期无）",
        report
            .missing
            .iter()
            .map(|r| named(&r.key, Some(&r.values)))
            .collect(),
    );
    list(
        "盘盈（本期有、上期无）",
        report
            .surplus
            .iter()
            .map(|r| named(&r.key, Some(&r.values)))
            .collect(),
    );
    list(
        "信息变更",
        report.changed.iter().map(change_words).collect(),
    );
    if out.is_empty() {
        "无差异".to_string()
    } else {
        out.join("\n")
    }
}

fn counts(report: &CompareReport) -> Vec<(&'static str, String)> {
    vec![
        (
            "total",
            (report.before_rows.max(report.after_rows)).to_string(),
        ),
        ("before_rows", report.before_rows.to_string()),
        ("after_rows", report.after_rows.to_string()),
        ("missing", report.missing.len().to_string()),
        ("surplus", report.surplus.len().to_string()),
        ("changed", report.changed.len().to_string()),
        ("unchanged", report.unchanged.to_string()),
    ]
}

/// The rows of each list by name, for the summary Wenshu writes: `（甲、乙等5项）`.
fn names(report: &CompareReport) -> Vec<(&'static str, String)> {
    let name_of = |values: &BTreeMap<String, String>, key: &str| {
        row_name(report, values).unwrap_or(key).to_string()
    };
    let bracket = |names: Vec<String>| {
        if names.is_empty() {
            return String::new();
        }
        let more = if names.len() > 5 { "等" } else { "" };
        let shown: Vec<String> = names.into_iter().take(5).collect();
        format!("（{}{more}）", shown.join("、"))
    };
    let changed: Vec<String> = report
        .changed
        .iter()
        .map(|r| {
            if r.name.is_empty() {
                r.key.clone()
            } else {
                r.name.clone()
            }
        })
        .collect();
    vec![
        (
            "missing_names",
            bracket(
                report
                    .missing
                    .iter()
                    .map(|r| name_of(&r.values, &r.key))
                    .collect(),
            ),
        ),
        (
            "surplus_names",
            bracket(
                report
                    .surplus
                    .iter()
                    .map(|r| name_of(&r.values, &r.key))
                    .collect(),
            ),
        ),
        ("changed_names", bracket(changed)),
    ]
}

/// The counts as the model is shown them.
fn counts_text(report: &CompareReport) -> String {
    format!(
        "上期{}项，本期{}项；盘亏{}项，盘盈{}项，信息变更{}项，无变化{}项。",
        report.before_rows,
        report.after_rows,
        report.missing.len(),
        report.surplus.len(),
        report.changed.len(),
        report.unchanged
    )
}

/// Whether the model's summary may be shown: something written, every number in it from the
/// comparison, each count of differences there, no talk about the task.
pub fn summary_passes(summary: &str, report: &CompareReport, given: &str) -> bool {
    let text = summary.trim();
    if text.chars().count() < 10 || text.contains('\n') {
        return false;
    }
    // Codes (ZC-2021-002, A1024) are the table's own, each written as it is there.
    let codes = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|t| t.len() >= 4 && t.chars().any(|c| c.is_ascii_alphabetic()));
    if codes.into_iter().any(|code| !given.contains(code)) {
        return false;
    }
    if !wenshu_core::facts::invented(text, given)
        .iter()
        .all(|item| item.kind != wenshu_core::facts::ItemKind::Number)
    {
        return false;
    }
    let numbers: Vec<String> = wenshu_core::facts::items(text)
        .into_iter()
        .filter(|i| i.kind == wenshu_core::facts::ItemKind::Number)
        .map(|i| i.key)
        .collect();
    for count in [
        report.missing.len(),
        report.surplus.len(),
        report.changed.len(),
    ] {
        if count > 0 && !numbers.contains(&count.to_string()) {
            return false;
        }
    }
    sentences(text).iter().all(|s| task_talk(s).is_none())
}

/// The report as Markdown: the summary, then each list with the lines the items are on.
fn markdown(report: &CompareReport) -> String {
    let mut out = format!("# 资产盘点情况\n\n{}\n", report.summary);
    out.push_str(&format!(
        "\n比对：{}（{}项）与 {}（{}项），按“{}”对应。\n",
        report.before, report.before_rows, report.after, report.after_rows, report.key_column
    ));
    let section = |out: &mut String, title: &str, lines: Vec<String>| {
        out.push_str(&format!("\n## {title}（{}项）\n\n", lines.len()));
        if lines.is_empty() {
            out.push_str("无。\n");
        }
        for line in lines {
            out.push_str(&format!("- {line}\n"));
        }
    };
    section(
        &mut out,
        "盘亏",
        report
            .missing
            .iter()
            .map(|r| {
                format!(
                    "{}　〔上期第{}行〕",
                    row_words(r, &report.key_column, &report.columns),
                    r.line
                )
            })
            .collect(),
    );
    section(
        &mut out,
        "盘盈",
        report
            .surplus
            .iter()
            .map(|r| {
                format!(
                    "{}　〔本期第{}行〕",
                    row_words(r, &report.key_column, &report.columns),
                    r.line
                )
            })
            .collect(),
    );
    section(
        &mut out,
        "信息变更",
        report
            .changed
            .iter()
            .map(|r| {
                format!(
                    "{}　〔上期第{}行，本期第{}行〕",
                    change_words(r),
                    r.before_line,
                    r.after_line
                )
            })
            .collect(),
    );
    out
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl Wenshu {
    /// Compares two tables and has the model write the summary around the differences.
    pub fn compare_tables(
        &self,
        request: &CompareRequest,
        cancel: &CancelFlag,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<CompareReport> {
        let timer = Instant::now();
        let prompts: Prompts = toml::from_str(PROMPTS)
            .map_err(|err| AppError::of(ErrorCode::Config, msg::prompts_invalid(err.message())))?;
        let before = read_table(&request.before)?;
        let after = read_table(&request.after)?;
        let (b, a) = (file_name(&request.before), file_name(&request.after));
        let mut report = compare(&before, &after, request.key.as_deref(), (&b, &a))?;
        let counts = counts(&report);
        let counts_text = counts_text(&report);
        let details = details(&report);
        let focus = request
            .focus
            .as_deref()
            .map(|f| format!("关注重点：{f}\n"))
            .unwrap_or_default();
        let user = fill(
            &prompts.user,
            &[
                ("before", &b),
                ("after", &a),
                ("counts", &counts_text),
                ("details", &details),
                ("focus", &focus),
            ],
        );
        let options = AskOptions {
            system_prompt: None,
            temperature: Some(0.0),
            max_tokens: Some(320),
            app: request.app.clone(),
            ..AskOptions::default()
        };
        let (completion, record) = self.complete(
            vec![
                Turn::new(Role::System, prompts.system),
                Turn::new(Role::User, user),
            ],
            &options,
            cancel,
            on_text,
        )?;
        if completion.stop == StopReason::Cancelled {
            return Err(AppError::of(ErrorCode::Cancelled, msg::cancelled()));
        }
        let given = format!("{counts_text}\n{details}\n{b}\n{a}");
        let written = completion.text.trim().to_string();
        let names = names(&report);
        let fallback = || {
            let values: Vec<(&str, &str)> = counts
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .chain([("before", b.as_str()), ("after", a.as_str())])
                .chain(names.iter().map(|(k, v)| (*k, v.as_str())))
                .collect();
            fill(&prompts.fallback, &values)
        };
        report.summary_by_model = summary_passes(&written, &report, &given);
        report.summary = if report.summary_by_model {
            written
        } else {
            report.rejected = Some(written);
            fallback()
        };
        report.markdown = markdown(&report);
        report.model = record.name;
        report.milliseconds = u64::try_from(timer.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        let mut records = parse_csv(text).into_iter();
        let (_, columns) = records.next().expect("header");
        Table {
            columns,
            rows: records.collect(),
        }
    }

    #[test]
    fn csv_fields_keep_quotes_commas_and_line_breaks() {
        let records = parse_csv(
            "编号,名称,备注\r\nA1,\"打印机,彩色\",\"他说\"\"好\"\"\"\nA2,台式机,\"两行\n备注\"\nA3,椅子,\n",
        );
        assert_eq!(records.len(), 4);
        assert_eq!(records[1].1, ["A1", "打印机,彩色", "他说\"好\""]);
        assert_eq!(records[2].1[2], "两行\n备注");
        assert_eq!(
            records[3].0, 5,
            "the record after a quoted line break starts on line 5"
        );
        assert_eq!(records[3].1, ["A3", "椅子", ""]);
    }

    #[test]
    fn the_differences_are_exactly_the_missing_surplus_and_changed_rows() {
        let before = table(
            "资产编号,名称,使用部门,原值\nZC001,台式计算机,办公室,5800\nZC002,打印机,财务科,2300\nZC003,会议桌,办公室,4200.00\nZC004,投影仪,会议室,6500\n",
        );
        let after = table(
            "资产编号,名称,使用部门,原值,备注\nZC001,台式计算机,办公室,5800,\nZC003,会议桌,综合科,4200,调拨\nZC004,投影仪,会议室,6500,\nZC005,碎纸机,办公室,1200,新购\n",
        );
        let report =
            compare(&before, &after, Some("资产编号"), ("上期.csv", "本期.csv")).expect("compares");
        let keys = |rows: &[TableRow]| rows.iter().map(|r| r.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&report.missing), ["ZC002"]);
        assert_eq!(keys(&report.surplus), ["ZC005"]);
        assert_eq!(report.changed.len(), 1);
        assert_eq!(report.changed[0].key, "ZC003");
        assert_eq!(
            report.changed[0].changes,
            [CellChange {
                column: "使用部门".into(),
                before: "办公室".into(),
                after: "综合科".into()
            }],
            "4200.00 and 4200 are the same value; a column only one table has is not compared"
        );
        assert_eq!(report.unchanged, 2);
        assert_eq!(report.missing[0].line, 3);
    }

    /// A workbook of one sheet whose cells are `rows`, written as a spreadsheet program does
    /// (numbers as numbers, text inline).
    fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
        use std::io::Write;
        let mut sheet = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
        );
        for (r, row) in rows.iter().enumerate() {
            sheet.push_str(&format!("<row r=\"{}\">", r + 1));
            for (c, cell) in row.iter().enumerate() {
                let at = format!("{}{}", char::from(b'A' + c as u8), r + 1);
                if cell.parse::<f64>().is_ok() {
                    sheet.push_str(&format!("<c r=\"{at}\"><v>{cell}</v></c>"));
                } else {
                    sheet.push_str(&format!(
                        "<c r=\"{at}\" t=\"inlineStr\"><is><t>{cell}</t></is></c>"
                    ));
                }
            }
            sheet.push_str("</row>");
        }
        sheet.push_str("</sheetData></worksheet>");
        let files = [
            ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_string()),
            ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_string()),
            ("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"资产\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_string()),
            ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_string()),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, text) in files {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            zip.write_all(text.as_bytes()).expect("write");
        }
        zip.finish().expect("finish").into_inner()
    }

    #[test]
    fn an_xlsx_list_and_a_gb18030_csv_compare_to_exactly_their_differences() {
        let dir = tempfile::tempdir().expect("dir");
        let before = dir.path().join("上期.xlsx");
        std::fs::write(
            &before,
            xlsx(&[
                &["资产编号", "资产名称", "使用部门", "原值"],
                &["ZC001", "台式计算机", "办公室", "5800"],
                &["ZC002", "打印机", "财务科", "2300"],
                &["ZC003", "会议桌", "办公室", "4200"],
            ]),
        )
        .expect("write");
        let after = dir.path().join("本期.csv");
        let text = "资产编号,资产名称,使用部门,原值\r\nZC001,台式计算机,办公室,5800.00\r\nZC003,会议桌,综合科,4200\r\nZC009,碎纸机,办公室,1200\r\n";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        std::fs::write(&after, &gbk).expect("write");
        let before = read_table(&before).expect("the workbook reads");
        assert_eq!(before.columns, ["资产编号", "资产名称", "使用部门", "原值"]);
        assert_eq!(
            before.rows[0],
            (
                2,
                vec![
                    "ZC001".to_string(),
                    "台式计算机".into(),
                    "办公室".into(),
                    "5800".into()
                ]
            )
        );
        let after = read_table(&after).expect("the GB18030 CSV reads");
        let report = compare(&before, &after, None, ("上期.xlsx", "本期.csv")).expect("compares");
        let keys = |rows: &[TableRow]| rows.iter().map(|r| r.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&report.missing), ["ZC002"]);
        assert_eq!(keys(&report.surplus), ["ZC009"]);
        assert_eq!(report.changed.len(), 1, "{:?}", report.changed);
        assert_eq!(report.changed[0].key, "ZC003");
        assert_eq!(report.changed[0].name, "会议桌");
        assert_eq!(report.unchanged, 1, "5800 and 5800.00 are one value");
    }

    #[test]
    fn what_is_not_a_table_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        for (name, bytes) in [
            ("a.xlsx", b"not a zip".to_vec()),
            ("b.txt", b"a,b\n".to_vec()),
            ("c.csv", vec![0xff, 0xfe, 0x00, 0x81, 0x30]),
            ("d.csv", b"\n\n".to_vec()),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("write");
            let err = read_table(&path).expect_err(name);
            assert!(err.message.contains(name), "{name}: {}", err.message);
        }
    }

    #[test]
    fn a_missing_key_column_or_a_key_given_twice_is_refused_with_where() {
        let before = table("编号,名称\nA,甲\nA,乙\n");
        let after = table("编号,名称\nA,甲\n");
        let err = compare(&before, &after, None, ("a.csv", "b.csv")).expect_err("twice");
        assert!(
            err.message.contains("a.csv") && err.message.contains('3'),
            "{}",
            err.message
        );
        let err =
            compare(&after, &after, Some("资产编号"), ("a.csv", "b.csv")).expect_err("no column");
        assert!(
            err.message.contains("资产编号") && err.message.contains("编号"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_summary_with_a_number_of_its_own_or_a_count_left_out_is_replaced() {
        let before = table("编号,名称\nA,甲\nB,乙\n");
        let after = table("编号,名称\nA,甲\nC,丙\n");
        let report = compare(&before, &after, None, ("a.csv", "b.csv")).expect("compares");
        let given = format!("{}\n{}", counts_text(&report), details(&report));
        assert!(summary_passes(
            "本次盘点共比对2项，盘亏1项（B），盘盈1项（C）。",
            &report,
            &given
        ));
        assert!(
            !summary_passes(
                "本次盘点盘亏1项，盘盈1项，涉及金额35000元。",
                &report,
                &given
            ),
            "35000 is invented"
        );
        assert!(
            !summary_passes(
                "好的，以下是盘点情况说明：盘亏1项，盘盈1项。",
                &report,
                &given
            ),
            "talk about the task"
        );
    }
}
