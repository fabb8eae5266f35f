//! Comparing two tables (资产盘点): the differences are computed by code; the model only writes
//! the summary around them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One row of a table, by column name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRow {
    /// The value of the key column.
    pub key: String,
    /// The row's line in its file (the header is line 1).
    pub line: usize,
    pub values: BTreeMap<String, String>,
}

/// One column of a row whose value changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellChange {
    pub column: String,
    pub before: String,
    pub after: String,
}

/// A row in both tables whose values differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedRow {
    pub key: String,
    /// The row's name: its value in the first column after the key, if any.
    #[serde(default)]
    pub name: String,
    pub before_line: usize,
    pub after_line: usize,
    pub changes: Vec<CellChange>,
}

/// What differs between two tables, matched by a key column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareReport {
    pub before: String,
    pub after: String,
    /// The column the rows are matched by.
    pub key_column: String,
    /// The columns both tables have, in the earlier table's order.
    pub columns: Vec<String>,
    pub before_rows: usize,
    pub after_rows: usize,
    /// In the earlier table only (盘亏).
    pub missing: Vec<TableRow>,
    /// In the later table only (盘盈).
    pub surplus: Vec<TableRow>,
    /// In both, with other values.
    pub changed: Vec<ChangedRow>,
    pub unchanged: usize,
    /// The summary around the differences: the model's, checked, or the code's own when the
    /// model's did not pass.
    pub summary: String,
    /// Whether the summary is the model's.
    pub summary_by_model: bool,
    /// What the model wrote, when it did not pass the checks and was not shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<String>,
    /// The whole report as Markdown: summary and the three lists.
    pub markdown: String,
    pub model: String,
    pub milliseconds: u64,
}
