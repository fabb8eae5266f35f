//! Messages of table comparison (资产盘点): tables that cannot be read or matched.

catalogue! {
    /// A table file neither UTF-8 nor GB18030.
    not_text(path) = "tables.not_text" {
        zh: "{path} 不是 UTF-8 或 GB18030 编码的 CSV 文件",
        en: "{path} is not a CSV file in UTF-8 or GB18030",
    }
    /// An XLSX file that cannot be read.
    not_a_workbook(path, detail) = "tables.not_a_workbook" {
        zh: "无法读取电子表格 {path}：{detail}",
        en: "cannot read the workbook {path}: {detail}",
    }
    /// A table with no header or no rows.
    empty(path) = "tables.empty" {
        zh: "{path} 中没有表格内容",
        en: "{path} holds no table",
    }
    /// A file that is not CSV or XLSX.
    not_a_table(path) = "tables.not_a_table" {
        zh: "{path} 不是 CSV 或 XLSX 表格文件",
        en: "{path} is not a CSV or XLSX table",
    }
    /// A table over the row limit.
    too_many_rows(path, limit) = "tables.too_many_rows" {
        zh: "{path} 超过 {limit} 行，请拆分后再比对",
        en: "{path} has more than {limit} rows: split it first",
    }
    /// A key that two rows share.
    duplicate_key(path, key, first, second) = "tables.duplicate_key" {
        zh: "{path} 第 {first} 行和第 {second} 行的编号都是“{key}”，无法一一对应",
        en: "{path}: lines {first} and {second} both have the key “{key}”, so rows cannot be matched",
    }
    /// A key column that a table lacks.
    no_key_column(path, key, columns) = "tables.no_key_column" {
        zh: "{path} 没有“{key}”列，现有的列：{columns}",
        en: "{path} has no column “{key}”; its columns: {columns}",
    }
    /// The built-in prompts do not parse.
    prompts_invalid(detail) = "tables.prompts_invalid" {
        zh: "内置的盘点说明提示词有误：{detail}",
        en: "the built-in comparison prompts are invalid: {detail}",
    }
    /// The user stopped the summary.
    cancelled() = "tables.cancelled" {
        zh: "已停止生成盘点说明",
        en: "the summary was stopped",
    }
}
