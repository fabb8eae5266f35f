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
    /// A user setting that asks for more than the policy allows, ignored.
    loosened(key, path) = "policy.loosened" {
        zh: "个人设置中的 {key} 比单位管理策略宽松，已按策略执行（{path}）",
        en: "{key} in your settings is looser than the admin policy allows; the policy applies ({path})",
    }
}
