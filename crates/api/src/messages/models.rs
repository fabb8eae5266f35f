//! Messages about models: importing, naming and choosing them, model files that cannot be
//! loaded, the runtime's failures, and what `doctor` reports.

catalogue! {
    /// `wenshu usage --by` with something it cannot group by.
    usage_bad_by(by) = "models.usage_bad_by" {
        zh: "无法按“{by}”统计用量：可选 user、app、model、day",
        en: "usage cannot be grouped by “{by}”: choose user, app, model or day",
    }
    /// A `--from` or `--to` that is not a date.
    usage_bad_date(text) = "models.usage_bad_date" {
        zh: "“{text}”不是日期，请写成 2024-03-20",
        en: "“{text}” is not a date: write it as 2024-03-20",
    }
    /// `--from` after `--to`.
    usage_reversed(from, to) = "models.usage_reversed" {
        zh: "起始日期 {from} 晚于结束日期 {to}",
        en: "the first day {from} is after the last day {to}",
    }
    /// A name a model cannot have.
    invalid_name(name) = "models.invalid_name" {
        zh: "“{name}”不能用作模型名称：只能使用字母、数字、“.”、“-”和“_”",
        en: "`{name}` cannot be a model name: use letters, digits, '.', '-' and '_'",
    }
    /// The name is taken by another model.
    name_taken(name) = "models.name_taken" {
        zh: "已导入名为“{name}”的模型：请用 --name 另取一个名称",
        en: "a model named `{name}` is already imported: choose another with --name",
    }
    /// The same file (by hash) is already registered.
    already_imported(name) = "models.already_imported" {
        zh: "这个文件已经导入过，名称为“{name}”",
        en: "this file is already imported as `{name}`",
    }
    /// Copying a model into the models folder failed.
    cannot_copy(source, dir) = "models.cannot_copy" {
        zh: "无法把 {source} 复制到 {dir}",
        en: "copying {source} into {dir}",
    }
    /// No model has the name, and none is imported.
    not_found_none_imported(name) = "models.not_found_none_imported" {
        zh: "没有名为“{name}”的模型：还没有导入任何模型",
        en: "no model named `{name}`: no model is imported yet",
    }
    /// No model has the name; `known` lists the imported ones.
    not_found(name, known) = "models.not_found" {
        zh: "没有名为“{name}”的模型；已导入的有：{known}",
        en: "no model named `{name}`; imported: {known}",
    }
    /// The usage report's line for calls made without a model.
    none_loaded() = "models.none_loaded" {
        zh: "（未加载模型）",
        en: "(no model loaded)",
    }
    /// The model file does not exist.
    file_missing(path) = "models.file_missing" {
        zh: "无法加载模型 {path}：文件不存在",
        en: "cannot load model {path}: file not found",
    }
    /// A folder was given as a model file.
    file_is_directory(path) = "models.file_is_directory" {
        zh: "无法加载模型 {path}：这是一个文件夹，不是 GGUF 文件",
        en: "cannot load model {path}: is a directory, not a GGUF file",
    }
    /// The model file cannot be read (`detail`: the system's words).
    file_unreadable(path, detail) = "models.file_unreadable" {
        zh: "无法加载模型 {path}：无法读取文件：{detail}",
        en: "cannot load model {path}: cannot read the file: {detail}",
    }
    /// The file does not start with the GGUF magic (`start`: its first bytes in hex).
    not_gguf(path, start) = "models.not_gguf" {
        zh: "无法加载模型 {path}：不是 GGUF 模型文件（文件开头是 {start}，GGUF 文件应以“GGUF”开头）",
        en: "cannot load model {path}: not a GGUF model file (it starts with {start}, a GGUF file starts with \"GGUF\")",
    }
    /// A GGUF version the reader does not know.
    unsupported_version(path, version) = "models.unsupported_version" {
        zh: "无法加载模型 {path}：不支持第 {version} 版 GGUF 格式（支持第 2、3 版）",
        en: "cannot load model {path}: unsupported GGUF version {version} (versions 2 and 3 are supported)",
    }
    /// The GGUF header is damaged (`detail`: the reader's words).
    header_damaged(path, detail) = "models.header_damaged" {
        zh: "无法加载模型 {path}：文件头已损坏（{detail}）；请重新下载或复制",
        en: "cannot load model {path}: the header is damaged: {detail}",
    }
    /// The file is shorter than its tensors (an interrupted download or copy).
    truncated(path, actual, expected) = "models.truncated" {
        zh: "无法加载模型 {path}：文件不完整（只有 {actual} 字节，张量数据需要 {expected} 字节）；请重新下载或复制",
        en: "cannot load model {path}: the file is truncated: it has {actual} bytes but its tensors need {expected}",
    }
    /// The header is sound but the runtime refuses the model (`reason`: the runtime's words).
    runtime_refused(path, reason) = "models.runtime_refused" {
        zh: "无法加载模型 {path}：模型运行库无法读取（{reason}）",
        en: "cannot load model {path}: {reason}",
    }
    /// The prompt alone does not fit the context window.
    prompt_too_long(prompt_tokens, limit, context_window) = "models.prompt_too_long" {
        zh: "输入有 {prompt_tokens} 个 token，最多只能容纳 {limit} 个（上下文窗口共 {context_window} 个 token，其余留给回答）；请缩短输入，或调大 model.context_tokens",
        en: "the prompt is {prompt_tokens} tokens but at most {limit} fit (context window {context_window} tokens, the rest is kept for the answer); shorten the input or raise model.context_tokens",
    }
    /// A grammar or JSON schema could not be compiled (`detail`: the runtime's words).
    invalid_constraint(detail) = "models.invalid_constraint" {
        zh: "输出格式约束无效：{detail}",
        en: "invalid output constraint: {detail}",
    }
    /// The chat template could not be applied (`detail`: the runtime's words).
    template(detail) = "models.template" {
        zh: "无法套用模型的对话模板：{detail}",
        en: "cannot apply the chat template: {detail}",
    }
    /// The runtime failed while evaluating (`detail`: the runtime's words).
    runtime(detail) = "models.runtime" {
        zh: "模型运行出错：{detail}",
        en: "model runtime error: {detail}",
    }
    /// `doctor`: the check that the data directory can be written.
    doctor_data_dir() = "models.doctor_data_dir" {
        zh: "数据目录可写",
        en: "data directory writable",
    }
    /// `doctor`: the database check.
    doctor_database() = "models.doctor_database" {
        zh: "数据库",
        en: "database",
    }
    /// `doctor`: the database and its schema version.
    doctor_database_ok(path, version) = "models.doctor_database_ok" {
        zh: "{path}（结构版本 {version}）",
        en: "{path} (schema {version})",
    }
    /// `doctor`: the admin policy check.
    doctor_policy() = "models.doctor_policy" {
        zh: "单位管理策略",
        en: "admin policy",
    }
    /// `doctor`: no policy applies.
    doctor_policy_none(path) = "models.doctor_policy_none" {
        zh: "未设置（{path} 不存在）",
        en: "none ({path} does not exist)",
    }
    /// `doctor`: the policy in force.
    doctor_policy_ok(path, signer) = "models.doctor_policy_ok" {
        zh: "{path}，签名密钥 {signer}",
        en: "{path}, signed by key {signer}",
    }
    /// `doctor`: the settings check.
    doctor_settings() = "models.doctor_settings" {
        zh: "设置",
        en: "settings",
    }
    /// `doctor`: the model check.
    doctor_model() = "models.doctor_model" {
        zh: "模型",
        en: "model",
    }
    /// `doctor`: the active model cannot be looked at (`detail`: the system's words).
    doctor_model_unreadable(name, path, detail) = "models.doctor_model_unreadable" {
        zh: "{name}（{path}）：{detail}",
        en: "{name} ({path}): {detail}",
    }
    /// `doctor`: the active model's size changed since it was imported.
    doctor_model_resized(name, path, size, imported) = "models.doctor_model_resized" {
        zh: "{name}（{path}）现有 {size} 字节，导入时为 {imported} 字节：请运行 `wenshu model verify` 校验",
        en: "{name} ({path}) is {size} bytes, {imported} when imported: run `wenshu model verify`",
    }
    /// `doctor`: the active model is sound.
    doctor_model_ok(name, architecture, quantization, megabytes, path) = "models.doctor_model_ok" {
        zh: "{name}（{architecture}，{quantization}，{megabytes} MB），位于 {path}",
        en: "{name} ({architecture}, {quantization}, {megabytes} MB) at {path}",
    }
    /// `doctor`: a server of the active model answered.
    doctor_server_ok(url, kind, model, context, ms) = "models.doctor_server_ok" {
        zh: "{url}（{kind}）可以连接，模型 {model}，上下文 {context} token，响应 {ms} 毫秒",
        en: "{url} ({kind}) answers, model {model}, context {context} tokens, {ms} ms",
    }
    /// `doctor`: the threads check.
    doctor_threads() = "models.doctor_threads" {
        zh: "线程",
        en: "threads",
    }
    /// `doctor`: the threads generation uses, and the machine's cores.
    doctor_threads_detail(threads, cores) = "models.doctor_threads_detail" {
        zh: "生成使用 {threads} 个线程，本机有 {cores} 个物理核心",
        en: "{threads} for generation, {cores} physical cores",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_models_message_renders_in_both_languages() {
        let (zh, en) = crate::messages::in_both(|| super::truncated("/m/q.gguf", 10, 20));
        assert_eq!(zh.id, "models.truncated");
        assert_eq!(
            en.text,
            "cannot load model /m/q.gguf: the file is truncated: it has 10 bytes but its tensors need 20"
        );
        assert!(
            zh.text.starts_with("无法加载模型 /m/q.gguf：文件不完整"),
            "{}",
            zh.text
        );
    }
}
