//! Messages of the audit log (审计日志): verifying its chain, checkpoints, exports and quotas.

catalogue! {
    /// The chain holds from the first entry to the newest.
    verify_ok(entries, first, head) = "audit.verify_ok" {
        zh: "审计日志完整：共 {entries} 条（第 {first} 条至第 {head} 条），哈希链逐条核对无误",
        en: "the audit log holds: {entries} entries ({first} to {head}), every link of the hash chain checked",
    }
    /// The log has no entry yet.
    verify_empty() = "audit.verify_empty" {
        zh: "审计日志为空",
        en: "the audit log is empty",
    }
    /// The first entry that does not hold, and why.
    verify_bad(seq, problem) = "audit.verify_bad" {
        zh: "审计日志第 {seq} 条{problem}，日志可能已被篡改",
        en: "audit entry {seq} {problem}: the log may have been tampered with",
    }
    /// Why an entry does not hold: its fields do not give its hash.
    problem_changed() = "audit.problem_changed" {
        zh: "在写入后被改动过",
        en: "was changed after it was written",
    }
    /// Why an entry does not hold: a later one exists, it does not.
    problem_missing() = "audit.problem_missing" {
        zh: "缺失（已被删除）",
        en: "is missing (deleted)",
    }
    /// Why an entry does not hold: it does not follow the one before.
    problem_unlinked() = "audit.problem_unlinked" {
        zh: "与前一条不衔接（被插入、移动，或前一条被替换）",
        en: "does not follow the entry before it (inserted, moved, or the one before replaced)",
    }
    /// Why an entry does not hold: a checkpoint names it, the log ends before it.
    problem_truncated(head) = "audit.problem_truncated" {
        zh: "不存在：检查点记录到第 {head} 条，日志末尾被截断",
        en: "is not there: a checkpoint records the log up to entry {head}, its tail was cut off",
    }
    /// Why an entry does not hold: a checkpoint names it with another hash.
    problem_checkpoint_mismatch(file) = "audit.problem_checkpoint_mismatch" {
        zh: "与检查点 {file} 记录的哈希不一致",
        en: "differs from the hash the checkpoint {file} records",
    }
    /// Calls started and never finished: the program was stopped.
    unfinished(count) = "audit.unfinished" {
        zh: "有 {count} 次模型调用开始后未结束（程序被中止），均已如实记录",
        en: "{count} model calls started and never finished (the program was stopped); they are on record",
    }
    /// A checkpoint agrees with the log.
    checkpoint_ok(file, seq) = "audit.checkpoint_ok" {
        zh: "检查点 {file} 相符：第 {seq} 条及之前的记录未被改动",
        en: "the checkpoint {file} agrees: entries up to {seq} are unchanged",
    }
    /// A checkpoint names entries already archived.
    checkpoint_archived(file, seq) = "audit.checkpoint_archived" {
        zh: "检查点 {file} 记录的第 {seq} 条已归档，请对归档文件核对",
        en: "the checkpoint {file} names entry {seq}, which is archived: check it against the archive",
    }
    /// A checkpoint cannot be read or its signature does not hold.
    checkpoint_invalid(file, detail) = "audit.checkpoint_invalid" {
        zh: "检查点 {file} 无效：{detail}",
        en: "the checkpoint {file} is not valid: {detail}",
    }
    /// A checkpoint of another machine.
    checkpoint_other_machine(machine) = "audit.checkpoint_other_machine" {
        zh: "它属于另一台计算机（{machine}）",
        en: "it belongs to another machine ({machine})",
    }
    /// A checkpoint was written.
    checkpoint_written(path, entries, head) = "audit.checkpoint_written" {
        zh: "已写入审计检查点 {path}：共 {entries} 条，截至第 {head} 条。请交信息技术部门留存，日后可用 `wenshu audit verify --checkpoint` 核对",
        en: "wrote the audit checkpoint {path}: {entries} entries, up to entry {head}. Give it to IT to keep; check the log against it with `wenshu audit verify --checkpoint`",
    }
    /// The audit key cannot be made or read.
    key_unusable(path, detail) = "audit.key_unusable" {
        zh: "本机审计签名密钥 {path} 无法使用：{detail}",
        en: "this desktop's audit key {path} cannot be used: {detail}",
    }
    /// An export format other than csv and jsonl.
    bad_format(format) = "audit.bad_format" {
        zh: "不支持的导出格式“{format}”，可选 csv、jsonl",
        en: "unknown export format “{format}” (csv or jsonl)",
    }
    /// The log was exported.
    exported(path, entries) = "audit.exported" {
        zh: "已导出 {entries} 条审计记录到 {path}",
        en: "exported {entries} audit entries to {path}",
    }
    /// Old entries were archived, under the policy's retention.
    archived(path, upto) = "audit.archived" {
        zh: "已按保留期限将第 {upto} 条及之前的审计记录归档到 {path}（附签名检查点）",
        en: "archived audit entries up to {upto} into {path} (with a signed checkpoint), as the retention period requires",
    }
    /// A call over the user's daily quota.
    quota_user(user, used, limit, path) = "audit.quota_user" {
        zh: "用户 {user} 今日已使用 {used} 个 token，达到单位规定的每日上限 {limit}，本次请求已拒绝，请明日再试（{path}）",
        en: "{user} has used {used} tokens today, the daily limit of {limit} set by your organisation: refused, try again tomorrow ({path})",
    }
    /// A call over the app's daily quota.
    quota_app(app, used, limit, path) = "audit.quota_app" {
        zh: "应用“{app}”今日已使用 {used} 个 token，达到单位规定的每日上限 {limit}，本次请求已拒绝，请明日再试（{path}）",
        en: "the app “{app}” has used {used} tokens today, the daily limit of {limit} set by your organisation: refused, try again tomorrow ({path})",
    }
    /// How a call ended when it never did.
    outcome_unfinished() = "audit.outcome_unfinished" {
        zh: "未结束",
        en: "unfinished",
    }
    /// One entry that is not a model call, in `wenshu audit list --all`.
    entry_line(id, time, user, kind, app, detail) = "audit.entry_line" {
        zh: "{id:>5}  {time}  {user}  {kind}  {app}  {detail}",
        en: "{id:>5}  {time}  {user}  {kind}  {app}  {detail}",
    }
}
