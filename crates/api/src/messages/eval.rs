//! Messages about 测评 (model evaluation): reading a suite, choosing the models, the progress of
//! a run and writing its report.

catalogue! {
    /// A suite file that does not read as a suite (`problem`: what is wrong there).
    suite_invalid(file, line, problem) = "eval.suite_invalid" {
        zh: "测评集文件 {file} 第 {line} 行有误：{problem}",
        en: "suite file {file}, line {line}: {problem}",
    }
    /// A suite file that cannot be opened.
    suite_unreadable(path) = "eval.suite_unreadable" {
        zh: "无法读取测评集文件 {path}",
        en: "cannot read the suite file {path}",
    }
    /// A transcript or document of the suite could not be written out for the run.
    cannot_write_case(path) = "eval.cannot_write_case" {
        zh: "无法写出测评用例文件 {path}",
        en: "cannot write the case file {path}",
    }
    /// A suite file that is not UTF-8.
    suite_not_utf8(path, line) = "eval.suite_encoding" {
        zh: "测评集文件 {path} 第 {line} 行不是 UTF-8 编码的文字：请用 UTF-8 保存",
        en: "the suite file {path} is not UTF-8 text at line {line}: save it as UTF-8",
    }
    /// A drafting case names a type that is none of the 15.
    unknown_type(id, name) = "eval.unknown_type" {
        zh: "用例 {id} 的文种“{name}”不是 15 种公文文种之一",
        en: "case {id}: “{name}” is not one of the 15 document types",
    }
    /// A query expects a document the suite does not have.
    unknown_document(id, name) = "eval.unknown_document" {
        zh: "查询 {id} 期望的文件“{name}”不在测评集的文件中",
        en: "query {id} expects “{name}”, which is not one of the suite's documents",
    }
    /// A drafting case lacks an element its type requires.
    case_needs(id, doc_type, element) = "eval.case_needs" {
        zh: "用例 {id}：{doc_type}必须有{element}",
        en: "case {id}: a {doc_type} needs its {element}",
    }
    /// A drafting case gives an element its type does not carry.
    case_forbids(id, doc_type, element) = "eval.case_forbids" {
        zh: "用例 {id}：{doc_type}不应有{element}",
        en: "case {id}: a {doc_type} carries no {element}",
    }
    /// A drafting case without facts or issuer.
    case_empty(id) = "eval.case_empty" {
        zh: "用例 {id} 缺少发文机关或事实材料",
        en: "case {id} has no issuer or no facts",
    }
    /// Two cases with one id.
    duplicate_id(file, id) = "eval.duplicate_id" {
        zh: "测评集文件 {file} 中“{id}”出现了两次：编号必须唯一",
        en: "“{id}” appears twice in the suite file {file}: ids must be unique",
    }
    /// `--only` names a dimension that does not exist.
    unknown_dimension(name) = "eval.unknown_dimension" {
        zh: "“{name}”不是测评维度：可选 drafting、retrieval、answers、instructions、minutes、summaries、speed",
        en: "“{name}” is not a dimension: choose from drafting, retrieval, answers, instructions, minutes, summaries, speed",
    }
    /// A transcript or long document of the suite has a file name Wenshu cannot use.
    bad_file_name(name, allowed) = "eval.bad_file_name" {
        zh: "文件名“{name}”不可用：须为不含目录的文件名，扩展名为 {allowed} 之一",
        en: "the file name “{name}” cannot be used: it must be a bare name ending in one of {allowed}",
    }
    /// Progress: one case of a dimension.
    step_case(model, dimension, id) = "eval.step_case" {
        zh: "{model} · {dimension} · {id}",
        en: "{model} · {dimension} · {id}",
    }
    /// The HTML report cannot be written.
    cannot_write_report(path) = "eval.cannot_write_report" {
        zh: "无法写入测评报告 {path}",
        en: "cannot write the report {path}",
    }
    /// No run with this id in the store.
    no_run(id) = "eval.no_run" {
        zh: "没有编号为 {id} 的测评记录",
        en: "no evaluation run with id {id}",
    }
}
