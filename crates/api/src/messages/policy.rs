//! Messages of the admin policy (单位管理策略): a policy that cannot take effect, and what a
//! policy in effect refuses or locks.

catalogue! {
    /// The policy file cannot be read (not TOML, an unknown key), with its line.
    broken(path, line, detail) = "policy.broken" {
        zh: "单位管理策略 {path} 第 {line} 行有误：{detail}。策略无法生效时，除 `wenshu doctor` 外的功能均已停用",
        en: "the admin policy {path}, line {line}: {detail}. While the policy cannot take effect, nothing but `wenshu doctor` runs",
    }
    /// The policy's signature does not hold.
    unsigned(path, detail) = "policy.unsigned" {
        zh: "单位管理策略 {path} 的签名无效：{detail}。策略无法生效时，除 `wenshu doctor` 外的功能均已停用",
        en: "the admin policy {path} is not validly signed: {detail}. While the policy cannot take effect, nothing but `wenshu doctor` runs",
    }
    /// Why a signature does not hold: none beside the file.
    no_signature(path) = "policy.no_signature" {
        zh: "缺少签名文件 {path}",
        en: "{path} is missing",
    }
    /// Why a signature does not hold: the file changed after signing.
    signature_mismatch() = "policy.signature_mismatch" {
        zh: "签名与文件内容不符，文件可能在签名后被改动",
        en: "the signature does not match the file (changed after signing?)",
    }
    /// Why a signature does not hold: a key not pinned.
    signature_unknown_key(key) = "policy.signature_unknown_key" {
        zh: "签名密钥 {key} 不在固定的受信任密钥之列",
        en: "signed by key {key}, which is not pinned",
    }
    /// Why a signature does not hold: it, or a key, cannot be read.
    signature_unreadable(path, detail) = "policy.signature_unreadable" {
        zh: "{path} 无法读取：{detail}",
        en: "{path} cannot be read: {detail}",
    }
    /// The policy has expired.
    expired(path, date) = "policy.expired" {
        zh: "单位管理策略 {path} 已于 {date} 过期，请联系信息技术部门更新。策略无法生效时，除 `wenshu doctor` 外的功能均已停用",
        en: "the admin policy {path} expired on {date}: ask IT for a new one. While the policy cannot take effect, nothing but `wenshu doctor` runs",
    }
    /// The policy's contents are wrong (a date, a level, a key).
    invalid(path, detail) = "policy.invalid" {
        zh: "单位管理策略 {path} 有误：{detail}。策略无法生效时，除 `wenshu doctor` 外的功能均已停用",
        en: "the admin policy {path} is wrong: {detail}. While the policy cannot take effect, nothing but `wenshu doctor` runs",
    }
    /// Why a setting is locked: the policy fixes it.
    locked_by_policy(path) = "policy.locked_by_policy" {
        zh: "由单位统一管理（{path}）",
        en: "managed by your organisation ({path})",
    }
    /// An app the policy does not allow.
    app_blocked(app, path) = "policy.app_blocked" {
        zh: "应用“{app}”已被单位管理策略停用（{path}）",
        en: "the app “{app}” is turned off by the admin policy ({path})",
    }
    /// A model the policy does not allow.
    model_not_allowed(model, path) = "policy.model_not_allowed" {
        zh: "模型“{model}”不在单位管理策略允许的模型之列（{path}）",
        en: "the model “{model}” is not among those the admin policy allows ({path})",
    }
    /// Material marked as a state secret, refused before anything is stored or sent.
    state_secret(source, marking, line) = "policy.state_secret" {
        zh: "{source} 第 {line} 行标有“{marking}”，属于国家秘密。依据《中华人民共和国保守国家秘密法》第三十一条，国家秘密不得在非涉密计算机上存储、处理，文枢已拒绝处理，内容未保存",
        en: "{source}, line {line}, is marked “{marking}”: a state secret. The Law on Guarding State Secrets (art. 31) forbids storing or processing it on a non-classified computer; Wenshu refused it and stored nothing",
    }
    /// What a refusal names as its source when the user typed or pasted it.
    source_input() = "policy.source_input" {
        zh: "输入的内容",
        en: "the input",
    }
    /// What a refusal names as its source when a file's properties carry the marking.
    source_properties(file) = "policy.source_properties" {
        zh: "{file} 的文档属性",
        en: "the document properties of {file}",
    }
    /// Data above a ceiling of the policy.
    above_ceiling(level, what, ceiling, path) = "policy.above_ceiling" {
        zh: "输入内容的数据级别为“{level}”，超过了单位管理策略对{what}规定的上限“{ceiling}”，已拒绝处理（{path}）",
        en: "the input is “{level}”, above the ceiling “{ceiling}” the admin policy sets for {what}: refused ({path})",
    }
    /// Whose ceiling: the whole desktop.
    ceiling_desktop() = "policy.ceiling_desktop" {
        zh: "本机",
        en: "this desktop",
    }
    /// Whose ceiling: an app.
    ceiling_app(app) = "policy.ceiling_app" {
        zh: "应用“{app}”",
        en: "the app “{app}”",
    }
    /// Whose ceiling: a model.
    ceiling_model(model) = "policy.ceiling_model" {
        zh: "模型“{model}”",
        en: "the model “{model}”",
    }
    /// A classified document asked to be drafted.
    secret_draft(level) = "policy.secret_draft" {
        zh: "不能在本机起草密级为“{level}”的公文：依据《中华人民共和国保守国家秘密法》第三十一条，国家秘密不得在非涉密计算机上处理",
        en: "a document classified “{level}” cannot be drafted here: the Law on Guarding State Secrets (art. 31) forbids processing state secrets on a non-classified computer",
    }
    /// A setting the user set that the policy fixes to another value.
    overridden(key, path) = "policy.overridden" {
        zh: "个人设置中的 {key} 由单位统一管理，已按单位管理策略执行，个人设置未生效（{path}）",
        en: "{key} is managed by your organisation; your own value is ignored ({path})",
    }
    /// A user setting that asks for more than the policy allows, ignored.
    loosened(key, path) = "policy.loosened" {
        zh: "个人设置中的 {key} 比单位管理策略宽松，已按策略执行（{path}）",
        en: "{key} in your settings is looser than the admin policy allows; the policy applies ({path})",
    }
}
