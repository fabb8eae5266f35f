//! Messages about settings: the layers they come from, the values they refuse, and changing them.

catalogue! {
    /// `ui.timezone` is not an offset such as +08:00.
    timezone_invalid(value, detail) = "settings.timezone_invalid" {
        zh: "ui.timezone “{value}” 无效（{detail}）：请写成 +08:00 这样的 UTC 偏移",
        en: "ui.timezone “{value}” is not valid ({detail}): write an offset from UTC such as +08:00",
    }
    /// `ui.language` names a language Wenshu does not speak.
    language_invalid(value) = "settings.language_invalid" {
        zh: "ui.language “{value}” 无效：可选 zh（简体中文）或 en（英文）",
        en: "ui.language “{value}” is not valid: choose zh (Simplified Chinese) or en (English)",
    }
    /// `check.errors` names a rule the checker does not have.
    unknown_rule(id) = "settings.unknown_rule" {
        zh: "check.errors 中的“{id}”不是检查规则：wenshu check --rules 列出全部规则",
        en: "“{id}” in check.errors is not a checker rule: wenshu check --rules lists them",
    }
    /// Neither WENSHU_HOME nor HOME/XDG directories are set.
    no_home() = "settings.no_home" {
        zh: "找不到用户主目录：请设置 HOME、XDG 目录变量或 WENSHU_HOME",
        en: "cannot find a home directory: set HOME, the XDG directories or WENSHU_HOME",
    }
    /// The layer of settings built into the program, named in other messages.
    layer_defaults() = "settings.layer_defaults" {
        zh: "内置默认设置",
        en: "built-in defaults",
    }
    /// The layer an environment variable gives, named in other messages.
    layer_env(name) = "settings.layer_env" {
        zh: "环境变量 {name}",
        en: "environment variable {name}",
    }
    /// All layers together, named in other messages.
    layer_combined() = "settings.layer_combined" {
        zh: "合并后的设置",
        en: "the combined settings",
    }
    /// Where the settings in force came from: the defaults and the user's file.
    sources_with_file(file) = "settings.sources_with_file" {
        zh: "内置默认设置 + {file}",
        en: "built-in defaults + {file}",
    }
    /// Where the settings in force came from: the defaults alone, the user's file absent.
    sources_without_file(file) = "settings.sources_without_file" {
        zh: "内置默认设置（没有 {file}）",
        en: "built-in defaults (no {file})",
    }
    /// A settings layer is not valid TOML (`detail`: the TOML parser's words).
    invalid_toml(label, detail) = "settings.invalid_toml" {
        zh: "{label} 的 TOML 格式有误：{detail}",
        en: "{label}: {detail}",
    }
    /// A layer names an unknown setting or gives one the wrong type (`detail`: the reader's words).
    invalid(label, detail) = "settings.invalid" {
        zh: "{label} 中的设置有误：{detail}",
        en: "{label}: {detail}",
    }
    /// A value out of range, in the layer that has it (`problem`: one of the range messages).
    out_of_range(label, problem) = "settings.out_of_range" {
        zh: "{label}：{problem}",
        en: "{label}: {problem}",
    }
    /// generation.temperature out of range.
    temperature_range(value) = "settings.temperature_range" {
        zh: "generation.temperature 应在 0 到 5 之间，现为 {value}",
        en: "generation.temperature must be between 0 and 5, not {value}",
    }
    /// generation.top_p out of range.
    top_p_range(value) = "settings.top_p_range" {
        zh: "generation.top_p 应大于 0 且不大于 1，现为 {value}",
        en: "generation.top_p must be in (0, 1], not {value}",
    }
    /// generation.repeat_penalty out of range.
    repeat_penalty_range(value) = "settings.repeat_penalty_range" {
        zh: "generation.repeat_penalty 应大于 0，现为 {value}",
        en: "generation.repeat_penalty must be above 0, not {value}",
    }
    /// generation.max_tokens is 0.
    max_tokens_zero() = "settings.max_tokens_zero" {
        zh: "generation.max_tokens 至少为 1",
        en: "generation.max_tokens must be at least 1",
    }
    /// model.context_tokens below its minimum.
    /// A server timeout that is not a positive number of seconds (at most a day).
    server_timeout(key, value) = "settings.server_timeout" {
        zh: "{key} 应为 0 到 86400 之间的秒数（不含 0），现为 {value}",
        en: "{key} must be a number of seconds above 0 and at most 86400, not {value}",
    }
    context_tokens_small(value) = "settings.context_tokens_small" {
        zh: "model.context_tokens 至少为 256，现为 {value}",
        en: "model.context_tokens must be at least 256, not {value}",
    }
    /// model.batch_tokens is 0.
    batch_tokens_zero() = "settings.batch_tokens_zero" {
        zh: "model.batch_tokens 至少为 1",
        en: "model.batch_tokens must be at least 1",
    }
    /// `long.piece_tokens` is too small for a piece of any use.
    piece_tokens_small(value) = "settings.piece_tokens_small" {
        zh: "long.piece_tokens 至少为 256（现为 {value}）",
        en: "long.piece_tokens must be at least 256 (it is {value})",
    }
    /// `long.answer_tokens` is too small for a piece's answer.
    answer_tokens_small(value) = "settings.answer_tokens_small" {
        zh: "long.answer_tokens 至少为 64（现为 {value}）",
        en: "long.answer_tokens must be at least 64 (it is {value})",
    }
    /// `long.fan_in` below two would never merge.
    fan_in_small(value) = "settings.fan_in_small" {
        zh: "long.fan_in 至少为 2（现为 {value}）",
        en: "long.fan_in must be at least 2 (it is {value})",
    }
    /// Why a setting cannot be changed: an environment variable fixes it.
    locked_by_env(var) = "settings.locked_by_env" {
        zh: "由环境变量 {var} 设定，在此不能更改",
        en: "set by the environment variable {var}; it cannot be changed here",
    }
    /// A change to a locked setting (`reason`: why it is locked).
    locked(key, reason) = "settings.locked" {
        zh: "{key}：{reason}",
        en: "{key}: {reason}",
    }
    /// A change to a setting that does not exist.
    unknown(key) = "settings.unknown" {
        zh: "没有名为“{key}”的设置",
        en: "there is no setting “{key}”",
    }
    /// A value that does not read as the setting's type.
    bad_value(key, raw) = "settings.bad_value" {
        zh: "{key}：“{raw}”不是有效的值",
        en: "{key}: “{raw}” is not a valid value",
    }
    /// A section of the user's file is a value, not a table.
    not_a_table(file, section) = "settings.not_a_table" {
        zh: "{file}：[{section}] 应当是一节设置，而不是单个值",
        en: "{file}: [{section}] is not a table",
    }
    /// The changed settings could not be written out as TOML.
    cannot_serialise(detail) = "settings.cannot_serialise" {
        zh: "无法写出设置：{detail}",
        en: "cannot write the settings: {detail}",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_settings_message_renders_in_both_languages() {
        let (zh, en) = crate::messages::in_both(|| super::bad_value("model.threads", "many"));
        assert_eq!(zh.id, "settings.bad_value");
        assert_eq!(en.text, "model.threads: “many” is not a valid value");
        assert_eq!(zh.text, "model.threads：“many”不是有效的值");
    }
}
