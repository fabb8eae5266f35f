//! Every string the UI shows, in one place. Simplified Chinese is the only locale today; a
//! Traditional or English one is another `Text` value.

use wenshu_api::ErrorCode;

/// The UI's strings.
#[derive(Debug)]
pub struct Text {
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub nav_home: &'static str,
    pub nav_draft: &'static str,
    pub nav_check: &'static str,
    pub nav_kb: &'static str,
    pub nav_chat: &'static str,
    pub nav_audit: &'static str,
    pub nav_settings: &'static str,
    pub model_none: &'static str,
    pub model_label: &'static str,
    pub offline: &'static str,

    pub home_title: &'static str,
    pub home_search: &'static str,
    pub home_count: &'static str,
    pub home_none: &'static str,
    pub locked: &'static str,

    pub doc_type: &'static str,
    pub generate: &'static str,
    pub stop: &'static str,
    pub generating: &'static str,
    pub step: &'static str,
    pub please_fill: &'static str,
    pub editor_label: &'static str,
    pub editor_hint: &'static str,
    pub findings: &'static str,
    pub no_findings: &'static str,
    pub finding_counts: &'static str,
    pub line_n: &'static str,
    pub fix_line: &'static str,
    pub fix_all: &'static str,
    pub fixed_n: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub save_to: &'static str,
    pub choose_place: &'static str,
    pub export_docx: &'static str,
    pub export_markdown: &'static str,
    pub saved_to: &'static str,
    pub cancelled: &'static str,
    pub zoom: &'static str,
    pub preview: &'static str,
    pub drafted_in: &'static str,
    pub empty_draft: &'static str,

    pub check_title: &'static str,
    pub open_file: &'static str,
    pub drop_hint: &'static str,
    pub kb_drop_hint: &'static str,
    pub file_path: &'static str,
    pub check: &'static str,
    pub layout_checked: &'static str,
    pub text_only: &'static str,

    pub kb_title: &'static str,
    pub add_files: &'static str,
    pub add_folder: &'static str,
    pub add_path: &'static str,
    pub adding: &'static str,
    pub add_report: &'static str,
    pub add_stopped: &'static str,
    pub documents: &'static str,
    pub doc_count: &'static str,
    pub pack: &'static str,
    pub chunks: &'static str,
    pub remove: &'static str,
    pub pack_read_only: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub no_hits: &'static str,
    pub ask: &'static str,
    pub ask_hint: &'static str,
    pub not_found_in_kb: &'static str,
    pub sources: &'static str,
    pub page_n: &'static str,

    pub chat_new: &'static str,
    pub chat_history: &'static str,
    pub send: &'static str,
    pub chat_hint: &'static str,
    pub you: &'static str,
    pub assistant: &'static str,
    pub answer_cancelled: &'static str,

    pub audit_title: &'static str,
    pub usage_title: &'static str,
    pub last_days: &'static str,
    pub by_day: &'static str,
    pub by_app: &'static str,
    pub by_model: &'static str,
    pub calls: &'static str,
    pub prompt_tokens: &'static str,
    pub completion_tokens: &'static str,
    pub time: &'static str,
    pub user: &'static str,
    pub app: &'static str,
    pub outcome: &'static str,
    pub duration: &'static str,
    pub export_csv: &'static str,
    pub no_usage: &'static str,

    pub settings_title: &'static str,
    pub models_title: &'static str,
    pub import_model: &'static str,
    pub use_model: &'static str,
    pub link_model: &'static str,
    pub active: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub locked_because: &'static str,
    pub runtime_title: &'static str,

    pub nav_label: &'static str,
    pub form_label: &'static str,
    pub preview_label: &'static str,
    pub no_choice: &'static str,
    pub default_file_name: &'static str,
    pub filter_word: &'static str,
    pub filter_text: &'static str,
    pub filter_drafts: &'static str,
    pub filter_documents: &'static str,
    pub refresh: &'static str,
    pub close: &'static str,
}

pub static ZH_CN: Text = Text {
    app_name: "文枢",
    tagline: "离线公文与知识助手",
    nav_home: "应用超市",
    nav_draft: "公文起草",
    nav_check: "公文检查",
    nav_kb: "知识库",
    nav_chat: "对话",
    nav_audit: "审计与用量",
    nav_settings: "设置",
    model_none: "尚未导入模型",
    model_label: "模型",
    offline: "本机离线运行",

    home_title: "应用超市",
    home_search: "搜索应用（名称或用途）",
    home_count: "共 {n} 个应用",
    home_none: "没有符合条件的应用",
    locked: "已锁定",

    doc_type: "文种",
    generate: "生成（Ctrl+Enter）",
    stop: "停止（Esc）",
    generating: "正在生成…",
    step: "第 {step}/{of} 步：{label}",
    please_fill: "请先填写：{list}",
    editor_label: "正文（每行一段，可直接修改）",
    editor_hint: "生成的公文会出现在这里，也可以直接粘贴或输入。",
    findings: "格式检查",
    no_findings: "未发现问题",
    finding_counts: "{e} 个错误，{w} 个提醒",
    line_n: "第 {n} 行",
    fix_line: "修正",
    fix_all: "全部机械修正",
    fixed_n: "已修正 {n} 处",
    copy: "复制全文",
    copied: "已复制",
    save_to: "保存到",
    choose_place: "选择位置…",
    export_docx: "导出 DOCX",
    export_markdown: "导出 Markdown",
    saved_to: "已保存：{path}",
    cancelled: "已停止",
    zoom: "缩放",
    preview: "版式预览（GB/T 9704-2012）",
    drafted_in: "用时 {s} 秒，模型 {model}",
    empty_draft: "还没有内容",

    check_title: "公文检查",
    open_file: "打开文件…",
    drop_hint: "也可以把 DOCX、TXT 或 Markdown 文件拖到窗口中。",
    kb_drop_hint: "也可以把 TXT、Markdown、DOCX、PDF、HTML 文件或整个文件夹拖到窗口中。",
    file_path: "文件路径",
    check: "检查",
    layout_checked: "已检查文字与版式",
    text_only: "纯文本：只检查文字",

    kb_title: "知识库",
    add_files: "添加文件…",
    add_folder: "添加文件夹…",
    add_path: "添加",
    adding: "正在添加 {done}/{total}：{path}",
    add_report: "新增 {a}，更新 {u}，未变 {c}，失败 {f}",
    add_stopped: "已停止，已完成的文件保留：",
    documents: "文档",
    doc_count: "{n} 篇文档，{c} 个段落",
    pack: "来源",
    chunks: "段落",
    remove: "删除",
    pack_read_only: "由 IT 推送的知识包，不能在此删除",
    search: "搜索",
    search_hint: "输入关键词，如：数据分类分级",
    no_hits: "没有找到相关段落",
    ask: "提问",
    ask_hint: "依据知识库回答，并标注出处",
    not_found_in_kb: "知识库中没有找到与问题相关的内容。",
    sources: "出处",
    page_n: "第 {n} 页",

    chat_new: "新对话",
    chat_history: "历史对话",
    send: "发送（Ctrl+Enter）",
    chat_hint: "输入问题",
    you: "我",
    assistant: "文枢",
    answer_cancelled: "（已停止）",

    audit_title: "审计记录",
    usage_title: "用量",
    last_days: "最近 {n} 天",
    by_day: "按日",
    by_app: "按应用",
    by_model: "按模型",
    calls: "调用",
    prompt_tokens: "输入 token",
    completion_tokens: "输出 token",
    time: "时间",
    user: "用户",
    app: "应用",
    outcome: "结果",
    duration: "耗时",
    export_csv: "导出 CSV…",
    no_usage: "这段时间没有模型调用",

    settings_title: "设置",
    models_title: "模型",
    import_model: "导入 GGUF 模型…",
    use_model: "使用",
    link_model: "在原位置使用模型文件，不复制（适合 IT 统一存放的大模型）",
    active: "当前使用",
    save: "保存",
    saved: "已保存",
    locked_because: "已锁定：{reason}",
    runtime_title: "运行参数",

    nav_label: "功能",
    form_label: "起草要素",
    preview_label: "版式预览",
    no_choice: "（无）",
    default_file_name: "公文",
    filter_word: "Word 文档",
    filter_text: "文本",
    filter_drafts: "公文",
    filter_documents: "文档",
    refresh: "刷新",
    close: "关闭",
};

/// The strings of the current locale.
pub fn t() -> &'static Text {
    &ZH_CN
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// What a failure's code means, before its message.
pub fn error_kind(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidInput => "输入有误",
        ErrorCode::NotFound => "未找到",
        ErrorCode::AlreadyExists => "已经存在",
        ErrorCode::Config => "设置有误",
        ErrorCode::NoModel => "没有可用的模型",
        ErrorCode::ModelInvalid => "模型文件不可用",
        ErrorCode::PromptTooLong => "内容超出模型上下文",
        ErrorCode::Runtime => "运行出错",
        ErrorCode::Io => "文件读写出错",
        ErrorCode::Storage => "数据库出错",
        ErrorCode::Cancelled => "已停止",
        ErrorCode::Bridge => "窗口与程序失去联系",
    }
}

/// A setting's name on the settings screen.
pub fn setting_label(key: &str) -> &'static str {
    match key {
        "model.threads" => "生成线程数（0 为每个物理核心一个）",
        "model.threads_batch" => "读取提示的线程数（0 为同上）",
        "model.context_tokens" => "上下文长度（token）",
        "model.batch_tokens" => "每步读取的提示 token",
        "model.gpu_layers" => "GPU 层数（需 CUDA 或 Metal 版本）",
        "generation.temperature" => "对话温度",
        "generation.top_p" => "top-p",
        "generation.top_k" => "top-k",
        "generation.repeat_penalty" => "重复惩罚",
        "generation.repeat_last_n" => "重复惩罚窗口",
        "generation.seed" => "随机种子",
        "generation.max_tokens" => "单次回答最多 token",
        "chat.system_prompt" => "对话系统提示",
        "draft.temperature" => "起草温度",
        "draft.outline_tokens" => "提纲最多 token",
        "draft.section_tokens" => "每节最多 token",
        "kb.managed_packs" => "知识包目录（IT 推送）",
        "ui.timezone" => "时区（与 UTC 的时差，如 +08:00）",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill(t().finding_counts, &[("e", "2".into()), ("w", "1".into())]),
            "2 个错误，1 个提醒"
        );
    }
}
