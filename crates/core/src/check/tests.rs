//! Table tests: for every rule, drafts that break it and close variants that must pass.

use super::*;

/// A correct 通知 in plain text; every case below changes one thing in it.
const NOTICE: &str = "广东省政务服务数据管理局文件
粤政数〔2024〕7号
关于做好2024年政务数据治理工作的通知
各地级以上市政务服务数据管理局：
为贯彻落实数字政府建设要求，现将有关事项通知如下。
一、总体要求
（一）工作目标
1.完成数据目录编制，涉及资金1,000万元。
（1）按时报送材料。
二、工作安排
请于2024年4月30日前报送。会议时间9:30，联系电话：020-12345678。
附件：1.数据目录模板
广东省政务服务数据管理局
2024年3月20日
抄送：省委办公厅，省政府办公厅。
";

const REQUEST: &str = "广东省政务服务数据管理局文件
粤政数〔2024〕8号　签发人：张三
关于申请数据中心扩容经费的请示
广东省人民政府：
为保障政务云平台稳定运行，拟对数据中心进行扩容，所需经费约500万元。
妥否，请批示。
广东省政务服务数据管理局
2024年3月20日
";

const REPORT: &str = "粤政数〔2024〕9号　签发人：张三
关于2023年政务数据治理工作情况的报告
广东省人民政府：
2023年，我局按照省政府部署，完成了数据目录编制工作。
特此报告。
广东省政务服务数据管理局
2024年1月10日
";

fn ids(text: &str) -> Vec<&'static str> {
    check_text(text).into_iter().map(|f| f.rule).collect()
}

#[test]
fn correct_documents_have_no_findings() {
    for (name, text) in [("通知", NOTICE), ("请示", REQUEST), ("报告", REPORT)] {
        assert_eq!(
            check_text(text),
            vec![],
            "a correct {name} must pass without findings"
        );
    }
}

/// (rule, base text, replace this, with this) — the result must break the rule.
const VIOLATIONS: &[(&str, &str, &str, &str)] = &[
    ("doc-type", REQUEST, "经费的请示", "经费的请示报告"),
    ("doc-type", NOTICE, "工作的通知", "工作的安排"),
    (
        "title-form",
        NOTICE,
        "关于做好2024年政务数据治理工作的通知",
        "广东省政务服务数据管理局通知",
    ),
    (
        "request-one-addressee",
        REQUEST,
        "广东省人民政府：",
        "广东省人民政府、广东省财政厅：",
    ),
    (
        "request-closing",
        REQUEST,
        "妥否，请批示。",
        "以上是我局的想法。",
    ),
    (
        "request-one-matter",
        REQUEST,
        "所需经费约500万元。",
        "所需经费约500万元，请批准。",
    ),
    (
        "report-no-request",
        REPORT,
        "特此报告。",
        "以上报告，请批示。",
    ),
    (
        "number-form",
        NOTICE,
        "粤政数〔2024〕7号",
        "粤政数[2024]7号",
    ),
    (
        "number-form",
        NOTICE,
        "粤政数〔2024〕7号",
        "粤政数【2024】7号",
    ),
    (
        "number-form",
        NOTICE,
        "粤政数〔2024〕7号",
        "粤政数〔24〕7号",
    ),
    (
        "number-form",
        NOTICE,
        "粤政数〔2024〕7号",
        "粤政数〔2024〕第7号",
    ),
    (
        "number-form",
        NOTICE,
        "粤政数〔2024〕7号",
        "粤政数〔2024〕07号",
    ),
    (
        "number-form",
        NOTICE,
        "粤政数〔2024〕7号",
        "粤政数字〔2024〕7号",
    ),
    ("date-form", NOTICE, "\n2024年3月20日", "\n2024.3.20"),
    ("date-form", NOTICE, "\n2024年3月20日", "\n2024年03月20日"),
    (
        "date-form",
        NOTICE,
        "\n2024年3月20日",
        "\n二〇二四年三月二十日",
    ),
    ("date-form", NOTICE, "\n2024年3月20日", "\n2024-3-20"),
    ("heading-form", NOTICE, "1.完成", "1、完成"),
    ("heading-form", NOTICE, "（一）工作目标", "(一)工作目标"),
    ("heading-form", NOTICE, "（1）按时", "(1)按时"),
    ("heading-skip", NOTICE, "（一）工作目标\n", ""),
    ("heading-order", NOTICE, "一、总体要求\n", ""),
    ("punctuation", REQUEST, "约500万元。", "约500万元."),
    (
        "request-one-matter",
        REQUEST,
        "关于申请数据中心扩容经费的请示",
        "关于购置服务器和举办培训班的请示",
    ),
    (
        "request-one-matter",
        REQUEST,
        "关于申请数据中心扩容经费的请示",
        "关于申请追加经费并调整预算的请示",
    ),
    (
        "task-talk",
        NOTICE,
        "为贯彻落实",
        "首先，我将缘由一栏写明。为贯彻落实",
    ),
    (
        "task-talk",
        REPORT,
        "2023年，我局",
        "以下是根据您的要求撰写的报告正文。2023年，我局",
    ),
    (
        "placeholder",
        NOTICE,
        "联系电话：020-12345678",
        "联系电话：XXXX",
    ),
    ("placeholder", REQUEST, "约500万元", "约【】万元"),
    (
        "repeated-sentence",
        NOTICE,
        "请于2024年4月30日前报送。",
        "请于2024年4月30日前报送。\n请于2024年4月30日前报送。",
    ),
    ("punctuation", NOTICE, "建设要求，现将", "建设要求,现将"),
    ("punctuation", NOTICE, "通知如下。", "通知如下?"),
    ("punctuation", NOTICE, "联系电话：", "联系电话:"),
    ("label-colon", NOTICE, "附件：1.", "附件:1."),
    (
        "attachment-form",
        NOTICE,
        "数据目录模板\n",
        "数据目录模板。\n",
    ),
    (
        "copy-to-form",
        NOTICE,
        "省委办公厅，省政府办公厅。",
        "省委办公厅、省政府办公厅",
    ),
];

#[test]
fn each_violation_is_found() {
    for &(rule, base, from, to) in VIOLATIONS {
        assert!(
            base.contains(from),
            "case for {rule}: the base text has {from:?}"
        );
        let text = base.replacen(from, to, 1);
        let found = ids(&text);
        assert!(
            found.contains(&rule),
            "{rule} must fire for {to:?}; found {found:?}"
        );
    }
}

/// Close variants that are correct and must not fire the rule named.
const PASSES: &[(&str, &str, &str, &str)] = &[
    ("doc-type", NOTICE, "工作的通知", "工作的意见"),
    (
        "title-form",
        NOTICE,
        "关于做好2024年政务数据治理工作的通知",
        "广东省政务服务数据管理局关于做好数据治理工作的通知",
    ),
    (
        "title-form",
        NOTICE,
        "关于做好2024年政务数据治理工作的通知",
        "广东省政务服务数据管理局公告",
    ),
    (
        "request-closing",
        REQUEST,
        "妥否，请批示。",
        "以上请示当否，请批复。",
    ),
    (
        "report-no-request",
        REPORT,
        "特此报告。",
        "以上报告，请审阅。",
    ),
    (
        "number-form",
        NOTICE,
        "粤政数〔2024〕7号",
        "粤政数〔2024〕107号",
    ),
    ("date-form", NOTICE, "\n2024年3月20日", "\n2024年12月1日"),
    (
        "punctuation",
        NOTICE,
        "会议时间9:30",
        "会议时间14:00，比分3:2",
    ),
    (
        "punctuation",
        NOTICE,
        "涉及资金1,000万元",
        "涉及资金1,000,000元，网址https://example.org",
    ),
    ("heading-form", NOTICE, "1.完成", "1．完成"),
    ("heading-order", NOTICE, "（1）按时报送材料。\n", ""),
    ("heading-order", NOTICE, "（一）工作目标\n", ""),
    ("punctuation", REQUEST, "约500万元", "约500.5万元"),
    ("punctuation", NOTICE, "1.完成", "1.完成（见www.gd.gov.cn）"),
    (
        "request-one-matter",
        REQUEST,
        "关于申请数据中心扩容经费的请示",
        "关于购置服务器和存储设备的请示",
    ),
    ("task-talk", NOTICE, "为贯彻落实", "我局为贯彻落实"),
    ("placeholder", REQUEST, "约500万元", "约500万元（某市标准）"),
    (
        "repeated-sentence",
        NOTICE,
        "请于2024年4月30日前报送。",
        "请于2024年4月30日前报送。\n请于2024年5月31日前报送年度汇总表。",
    ),
];

#[test]
fn close_correct_variants_pass() {
    for &(rule, base, from, to) in PASSES {
        assert!(
            base.contains(from),
            "case for {rule}: the base text has {from:?}"
        );
        let text = base.replacen(from, to, 1);
        let found = ids(&text);
        assert!(
            !found.contains(&rule),
            "{rule} must not fire for {to:?}; found {:?}",
            check_text(&text)
        );
    }
}

#[test]
fn every_rule_has_a_violating_case_and_a_description() {
    for rule in RULES {
        assert!(
            !rule.description.is_empty() && !rule.source.is_empty(),
            "{} is documented",
            rule.id
        );
        // The layout rules have their cases where DOCX files are read (wenshu-docs).
        if LAYOUT_RULES.iter().any(|r| r.id == rule.id) {
            continue;
        }
        assert!(
            VIOLATIONS.iter().any(|v| v.0 == rule.id),
            "rule {} has no violating case",
            rule.id
        );
        assert!(
            !rule.description.is_empty() && !rule.source.is_empty(),
            "{} is documented",
            rule.id
        );
    }
}

#[test]
fn the_layout_rules_are_the_docx_rules_of_the_one_table() {
    let docx: Vec<&str> = RULES
        .iter()
        .filter(|r| r.reads_layout())
        .map(|r| r.id)
        .collect();
    let layout: Vec<&str> = LAYOUT_RULES.iter().map(|r| r.id).collect();
    assert_eq!(layout, docx, "LAYOUT_RULES is the DOCX part of RULES");
    assert!(
        docx.iter().all(|id| id.starts_with("layout-")),
        "the DOCX rules are the layout rules: {docx:?}"
    );
    assert_eq!(
        LAYOUT_PAGE.id, "layout-page",
        "named rules come from the table"
    );
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len(), "each rule is listed once");
}

#[test]
fn findings_carry_line_excerpt_and_suggestion() {
    let text = NOTICE.replacen("粤政数〔2024〕7号", "粤政数[2024]第07号", 1);
    let finding = check_text(&text)
        .into_iter()
        .find(|f| f.rule == "number-form")
        .expect("found");
    assert_eq!(finding.line, 2, "1-based line of the number");
    assert_eq!(finding.excerpt, "粤政数[2024]第07号");
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(finding.suggestion.as_deref(), Some("粤政数〔2024〕7号"));
}

#[test]
fn body_dates_in_other_forms_are_warnings_not_errors() {
    let text = NOTICE.replacen("请于2024年4月30日前", "请于2024.4.30前", 1);
    let finding = check_text(&text)
        .into_iter()
        .find(|f| f.rule == "date-form")
        .expect("found");
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.suggestion.as_deref(), Some("2024年4月30日"));
}

#[test]
fn fix_repairs_the_mechanical_problems_and_keeps_the_wording() {
    let broken = NOTICE
        .replacen("粤政数〔2024〕7号", "粤政数[2024]第07号", 1)
        .replacen("\n2024年3月20日", "\n2024.03.20", 1)
        .replacen("建设要求，现将", "建设要求,现将", 1)
        .replacen("附件：1.", "附件:1.", 1)
        .replacen("（一）工作目标", "(一)工作目标", 1)
        .replacen("1.完成", "1、完成", 1);
    let (fixed, changes) = fix_text(&broken);
    assert_eq!(
        fixed, NOTICE,
        "every mechanical problem is repaired exactly"
    );
    assert_eq!(changes.len(), 6, "one change per broken line: {changes:?}");
    assert_eq!(changes[0].line, 2);
    let (again, none) = fix_text(&fixed);
    assert_eq!(again, fixed, "fixing is idempotent");
    assert!(none.is_empty());
}

#[test]
fn fix_leaves_what_it_cannot_decide() {
    // A two-digit year could be 1924 or 2024, and 字 is part of how a body names itself.
    let text = NOTICE.replacen("粤政数〔2024〕7号", "粤政数字〔24〕7号", 1);
    let (fixed, _) = fix_text(&text);
    assert!(fixed.contains("粤政数字〔24〕7号"), "not guessed");
    assert!(ids(&fixed).contains(&"number-form"), "still reported");
}

#[test]
fn markdown_headings_and_crlf_are_understood() {
    let md = NOTICE
        .replacen("关于做好", "# 关于做好", 1)
        .replace('\n', "\r\n");
    assert_eq!(
        check_text(&md),
        vec![],
        "markdown title and CRLF lines are read like plain text"
    );
    let (fixed, changes) = fix_text(&md);
    assert_eq!(fixed, md);
    assert!(changes.is_empty());
}

#[test]
fn headings_right_above_an_unsigned_date_are_still_checked() {
    let text = "关于申请经费的请示\n省政府：\n为保障运行，拟扩容，妥否，请批示。\n1、完成扩容\n2024年3月20日\n";
    let found = ids(text);
    assert!(found.contains(&"heading-form"), "{found:?}");
}

#[test]
fn a_fused_type_is_reported_and_the_body_answers_to_both_types() {
    let fused = REQUEST
        .replacen("经费的请示", "经费的请示报告", 1)
        .replacen("广东省人民政府：", "广东省人民政府、广东省财政厅：", 1)
        .replacen("妥否，请批示。\n", "", 1);
    let found = ids(&fused);
    for rule in ["doc-type", "request-one-addressee", "request-closing"] {
        assert!(
            found.contains(&rule),
            "{rule} fires for a 请示报告: {found:?}"
        );
    }
    // The same body under a real 报告 title answers to the 报告 rules only.
    let report = fused.replacen("经费的请示报告", "经费的报告", 1);
    let found = ids(&report);
    assert!(
        !found.contains(&"request-closing") && !found.contains(&"doc-type"),
        "{found:?}"
    );
}

#[test]
fn a_skipped_level_is_a_warning_that_configuration_can_raise() {
    let text = NOTICE.replacen("（一）工作目标\n", "", 1);
    let mut findings = check_text(&text);
    let skip = findings
        .iter()
        .find(|f| f.rule == "heading-skip")
        .expect("found");
    assert_eq!(skip.severity, Severity::Warning);
    raise(&mut findings, &["heading-skip"]);
    let skip = findings
        .iter()
        .find(|f| f.rule == "heading-skip")
        .expect("found");
    assert_eq!(skip.severity, Severity::Error);
}

#[test]
fn a_half_width_full_stop_after_chinese_is_fixed() {
    let (fixed, changes) = fix_text("所需经费约500万元.\n");
    assert_eq!(fixed, "所需经费约500万元。\n");
    assert_eq!(changes.len(), 1);
    let (kept, none) = fix_text("一.总体要求\n附件：1.数据目录模板.xlsx\n");
    assert_eq!(kept, "一.总体要求\n附件：1.数据目录模板.xlsx\n");
    assert!(none.is_empty());
}
