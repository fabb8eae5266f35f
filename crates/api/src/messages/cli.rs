//! Messages of the `wenshu` terminal front end: its own errors, the notes and progress it writes
//! on stderr, the labels of its human output and the interactive chat's words. The `--json`
//! output has no words of its own and is not here.

catalogue! {
    /// How an error is shown on stderr; `label` is the error code's label.
    error_line(label, message) = "cli.error_line" {
        zh: "错误（{label}）：{message}",
        en: "error: {message}",
    }
    /// Serialising the `--json` output failed.
    cannot_format_json(detail) = "cli.cannot_format_json" {
        zh: "无法生成 JSON 输出：{detail}",
        en: "cannot format JSON: {detail}",
    }
    /// `wenshu chat --json`.
    chat_has_no_json() = "cli.chat_has_no_json" {
        zh: "chat 是交互式对话，没有 --json 形式：请改用 `wenshu ask --json`",
        en: "chat is interactive and has no --json form: use `wenshu ask --json`",
    }
    /// `wenshu bench` with a zero count.
    bench_needs_work() = "cli.bench_needs_work" {
        zh: "--threads、--pp 和 --tg 都必须至少为 1",
        en: "--threads, --pp and --tg must be at least 1",
    }
    /// Progress: `wenshu bench` starts measuring.
    bench_start(prompt_tokens, generated_tokens, threads, repetitions) = "cli.bench_start" {
        zh: "正在测速：处理 {prompt_tokens} 个提示 token，生成 {generated_tokens} 个，{threads} 个线程，重复 {repetitions} 次",
        en: "benchmarking: {prompt_tokens} prompt tokens, {generated_tokens} generated, {threads} threads, {repetitions} repetitions",
    }
    /// `wenshu ask` on a terminal with no question.
    no_question() = "cli.no_question" {
        zh: "没有问题：请把问题写在命令后面，或用 -f 文件、标准输入提供",
        en: "no question: pass it as an argument, with -f FILE, or on stdin",
    }
    /// What a question file or stream is, in the messages about reading it.
    question() = "cli.question" {
        zh: "问题",
        en: "a question",
    }
    /// What the file of `draft --facts` is, in the messages about reading it.
    facts_file() = "cli.facts_file" {
        zh: "事实材料文件",
        en: "a facts file",
    }
    /// Standard input, named in the messages about reading it.
    stdin() = "cli.stdin" {
        zh: "标准输入",
        en: "stdin",
    }
    /// Progress: `wenshu ask --kb` searches, then answers.
    kb_answering() = "cli.kb_answering" {
        zh: "正在检索知识库并据此回答…",
        en: "searching the knowledge base and answering from it…",
    }
    /// Ctrl-C stopped `wenshu kb add`.
    kb_add_cancelled() = "cli.kb_add_cancelled" {
        zh: "提示：已停止；已处理完的文件保留在知识库中",
        en: "note: cancelled; the files done so far stay in the knowledge base",
    }
    /// Ctrl-C stopped `wenshu kb rebuild`.
    kb_rebuild_cancelled() = "cli.kb_rebuild_cancelled" {
        zh: "提示：已停止；尚未重建的文档暂时检索不到，下次启动文枢时会重建",
        en: "note: cancelled; documents not rebuilt yet are missing from search until the next start of wenshu rebuilds them",
    }
    /// `draft -o` names a file in a folder that does not exist.
    not_a_folder(path) = "cli.not_a_folder" {
        zh: "无法保存到该处：{path} 不是文件夹",
        en: "cannot save there: {path} is not a folder",
    }
    /// Progress: `wenshu model import` starts.
    model_importing(path) = "cli.model_importing" {
        zh: "正在导入 {path}（检查文件并计算哈希）…",
        en: "importing {path} (checking and hashing)…",
    }
    /// Progress: `wenshu model verify` starts.
    model_rehashing() = "cli.model_rehashing" {
        zh: "正在重新计算哈希…",
        en: "re-hashing…",
    }
    /// `wenshu check` without a file.
    check_needs_file() = "cli.check_needs_file" {
        zh: "请指定要检查的文稿",
        en: "name a draft to check",
    }

    /// After a draft: what it cost (`seconds` with one decimal).
    draft_summary(calls, tokens, seconds, model) = "cli.draft_summary" {
        zh: "调用模型 {calls} 次，生成 {tokens} 个 token，用时 {seconds} 秒（{model}）",
        en: "{calls} model calls, {tokens} tokens written, {seconds} s ({model})",
    }
    /// The suite a 测评 run used.
    eval_suite(name, version, sha) = "cli.eval_suite" {
        zh: "测评集：{name} {version}（SHA-256 {sha}…）",
        en: "Suite: {name} {version} (SHA-256 {sha}…)",
    }
    /// The head of the score table's first column.
    eval_dimension() = "cli.eval_dimension" {
        zh: "维度",
        en: "dimension",
    }
    /// A case that failed in a 测评 run.
    eval_failed(model, dimension, id, why) = "cli.eval_failed" {
        zh: "未通过：{model} · {dimension} · {id}：{why}",
        en: "failed: {model} · {dimension} · {id}: {why}",
    }
    /// The end of a 测评 run.
    eval_done(id, seconds) = "cli.eval_done" {
        zh: "测评完成，用时 {seconds} 秒，记录编号 {id}（wenshu eval --history 可查看以往记录）",
        en: "Evaluation done in {seconds} s, run {id} (wenshu eval --history lists past runs)",
    }
    /// One past 测评 result.
    eval_history_line(id, time, model, sha, scores) = "cli.eval_history_line" {
        zh: "#{id}  {time}  {model}  测评集 {sha}…  {scores}",
        en: "#{id}  {time}  {model}  suite {sha}…  {scores}",
    }
    /// How a fresh draft kept its facts.
    draft_facts(total, written, repaired, inserted) = "cli.draft_facts" {
        zh: "事实核对：{total} 条事实全部写入（模型写入 {written} 条，补写 {repaired} 条，按原文补入 {inserted} 条）",
        en: "Facts: all {total} are in the draft ({written} written by the model, {repaired} on a second try, {inserted} put in from the facts file)",
    }
    /// A draft written without its guard left facts out.
    draft_facts_missing(total, missing) = "cli.draft_facts_missing" {
        zh: "事实核对：{total} 条事实中有 {missing} 条未写入（起草未启用事实保障，draft.guard = false）",
        en: "Facts: {missing} of {total} are not in the draft (drafted without its guard, draft.guard = false)",
    }
    /// A sentence Wenshu took out of a fresh draft (`reason` from `draft.removed_*`).
    draft_removed(section, reason, detail, sentence) = "cli.draft_removed" {
        zh: "已删去（{section}，{reason}：{detail}）：{sentence}",
        en: "Taken out ({section}, {reason}: {detail}): {sentence}",
    }
    /// What the findings of a fresh draft name in place of a file.
    draft_label() = "cli.draft_label" {
        zh: "文稿",
        en: "draft",
    }
    /// A document was saved.
    /// The time a long run should still take, after its progress bar.
    time_left(seconds) = "cli.time_left" {
        zh: "预计还需 {seconds} 秒",
        en: "about {seconds} s left",
    }
    /// What a long run (minutes, summary) took.
    long_summary(pieces, resumed, levels, input_tokens, seconds, model) = "cli.long_summary" {
        zh: "共 {pieces} 段（其中 {resumed} 段取自上次中断的运行），合并 {levels} 层，输入 {input_tokens} 个 token，用时 {seconds} 秒（{model}）",
        en: "{pieces} pieces ({resumed} from the stopped run), {levels} merge levels, {input_tokens} input tokens, {seconds} s ({model})",
    }
    /// Items whose owner or deadline the transcript does not give.
    minutes_unconfirmed(count) = "cli.minutes_unconfirmed" {
        zh: "有 {count} 处责任单位或时限在记录中找不到，已标为“待确认”，请核实后补充",
        en: "{count} owners or deadlines are not in the transcript and are marked 待确认; check and fill them in",
    }
    saved(path) = "cli.saved" {
        zh: "已保存 {path}",
        en: "saved {path}",
    }
    /// Heading of the passages an answer from the knowledge base used.
    sources() = "cli.sources" {
        zh: "出处：",
        en: "Sources:",
    }
    /// Heading of the passages given to the model when its answer cites none.
    sources_uncited() = "cli.sources_uncited" {
        zh: "资料（回答未标注出处）：",
        en: "Passages (the answer cites none):",
    }
    /// One cited passage; `page` is empty or a `page()` text.
    citation(n, title, page, doc) = "cli.citation" {
        zh: "[{n}] {title}{page}（{doc}）",
        en: "[{n}] {title}{page} ({doc})",
    }
    /// The page of a passage, after its title or document.
    page(page) = "cli.page" {
        zh: "，第{page}页",
        en: ", p. {page}",
    }
    /// One search hit; `page` is empty or a `page()` text, `score` formatted.
    kb_hit(n, title, doc, page, score) = "cli.kb_hit" {
        zh: "[{n}] {title}（{doc}{page}）{score}",
        en: "[{n}] {title} ({doc}{page}) {score}",
    }
    /// A search found nothing.
    kb_no_match() = "cli.kb_no_match" {
        zh: "没有匹配的段落",
        en: "no passage matches",
    }
    /// `wenshu packs keygen`.
    pack_keygen(public, secret, id, line) = "cli.pack_keygen" {
        zh: "已生成签名密钥 {id}：公钥 {public}（分发给各终端，写入单位管理策略的 trusted_keys：{line}），私钥 {secret}（请离线保管，切勿外传）",
        en: "made signing key {id}: public key {public} (hand it out; the policy's trusted_keys line is {line}), secret key {secret} (keep it offline)",
    }
    /// `wenshu packs sign`.
    pack_signed(id, version, path, key, sha256) = "cli.pack_signed" {
        zh: "已用密钥 {key} 签名应用包 {id} {version}：{path}（SHA-256 {sha256}）",
        en: "signed the pack {id} {version} with key {key}: {path} (SHA-256 {sha256})",
    }
    /// `wenshu packs verify`.
    pack_verified(id, version, key, sha256) = "cli.pack_verified" {
        zh: "应用包 {id} {version} 签名有效，签名密钥 {key}（SHA-256 {sha256}）",
        en: "the pack {id} {version} is validly signed by key {key} (SHA-256 {sha256})",
    }
    /// `wenshu usage`: the heading.
    usage_heading(by, from, to) = "cli.usage_heading" {
        zh: "用量（按{by}，{from} 至 {to}）：调用次数　提示 token　生成 token",
        en: "usage by {by}, {from} to {to}: calls  prompt tokens  completion tokens",
    }
    /// `wenshu usage`: one row.
    usage_line(key, calls, prompt, completion) = "cli.usage_line" {
        zh: "{key}　{calls}　{prompt}　{completion}",
        en: "{key}  {calls}  {prompt}  {completion}",
    }
    /// `wenshu usage`: the sums.
    usage_total(calls, prompt, completion) = "cli.usage_total" {
        zh: "合计　{calls}　{prompt}　{completion}",
        en: "total  {calls}  {prompt}  {completion}",
    }
    /// `wenshu settings list`: a setting.
    setting_line(key, value) = "cli.setting_line" {
        zh: "{key} = {value}",
        en: "{key} = {value}",
    }
    /// `wenshu settings list`: a locked setting and why.
    setting_locked(key, value, reason) = "cli.setting_locked" {
        zh: "{key} = {value}　〔已锁定：{reason}〕",
        en: "{key} = {value}  [locked: {reason}]",
    }
    /// `wenshu packs index` / `sign-file`.
    file_signed(path, key, signature) = "cli.file_signed" {
        zh: "已用密钥 {key} 签名 {path}，签名文件 {signature}",
        en: "signed {path} with key {key}; the signature is {signature}",
    }
    /// `wenshu packs index`.
    index_signed(path, key, signature, packs, sequence) = "cli.index_signed" {
        zh: "已写出应用包清单 {path}（序号 {sequence}，列出应用包 {packs} 个），已用密钥 {key} 签名：{signature}",
        en: "wrote the pack index {path} (sequence {sequence}, {packs} packs), signed with key {key}: {signature}",
    }
    /// `wenshu packs list`: one pack.
    pack_line(id, name, version, source, signer, state) = "cli.pack_line" {
        zh: "{id}　{name}　{version}　{source}　签名：{signer}　{state}",
        en: "{id}  {name}  {version}  {source}  signed by: {signer}  {state}",
    }
    /// A pack or app that may be used.
    usable() = "cli.usable" {
        zh: "可用",
        en: "usable",
    }
    /// No signature.
    no_signer() = "cli.no_signer" {
        zh: "无",
        en: "none",
    }
    /// `wenshu packs install`.
    pack_installed(id, version, path) = "cli.pack_installed" {
        zh: "已安装应用包 {id} {version}（{path}）",
        en: "installed the pack {id} {version} ({path})",
    }
    /// `wenshu packs update`.
    pack_updated(id, from, to) = "cli.pack_updated" {
        zh: "已将应用包 {id} 从 {from} 更新到 {to}",
        en: "updated the pack {id} from {from} to {to}",
    }
    /// `wenshu packs remove`.
    pack_removed(id, version) = "cli.pack_removed" {
        zh: "已删除应用包 {id} {version}",
        en: "removed the pack {id} {version}",
    }
    /// `wenshu apps list`: one app.
    app_line(id, name, category, source, state) = "cli.app_line" {
        zh: "{id}　{name}　〔{category}〕　{source}　{state}",
        en: "{id}  {name}  [{category}]  {source}  {state}",
    }
    /// `wenshu packs show` / `apps list`: an input of an app's form.
    app_input(key, label, required) = "cli.app_input" {
        zh: "　　--input {key}=…　{label}{required}",
        en: "    --input {key}=…  {label}{required}",
    }
    /// Marks a required input.
    required() = "cli.required" {
        zh: "（必填）",
        en: " (required)",
    }
    /// A warning of the admin policy, on stderr.
    warning(text) = "cli.warning" {
        zh: "提示：{text}",
        en: "note: {text}",
    }
    /// `wenshu kb stats`.
    kb_stats(documents, incomplete, catalogue_chunks, index_chunks) = "cli.kb_stats" {
        zh: "{documents} 个文档（{incomplete} 个未完成），目录中有 {catalogue_chunks} 个片段，索引中有 {index_chunks} 个",
        en: "{documents} documents ({incomplete} incomplete), {catalogue_chunks} chunks in the catalogue, {index_chunks} in the index",
    }
    /// A file an add or rebuild could not take.
    kb_failed(path, error) = "cli.kb_failed" {
        zh: "失败：{path}：{error}",
        en: "failed: {path}: {error}",
    }
    /// What an add or rebuild did.
    kb_added(added, updated, unchanged, failed, chunks) = "cli.kb_added" {
        zh: "新增 {added} 个，更新 {updated} 个，未变 {unchanged} 个，失败 {failed} 个；已索引 {chunks} 个片段",
        en: "{added} added, {updated} updated, {unchanged} unchanged, {failed} failed; {chunks} chunks indexed",
    }
    /// One document of the knowledge base; `state` is empty or `kb_incomplete()`.
    kb_document(id, title, chunks, level, path, state) = "cli.kb_document" {
        zh: "{id:>4}  {title}  {chunks} 个片段  {level}  {path}{state}",
        en: "{id:>4}  {title}  {chunks} chunks  {level}  {path}{state}",
    }
    /// Marks a document whose indexing did not finish.
    kb_incomplete() = "cli.kb_incomplete" {
        zh: "（未完成）",
        en: " (incomplete)",
    }

    /// Note: the oldest messages did not fit the context window.
    note_dropped_turns(count) = "cli.note_dropped_turns" {
        zh: "提示：对话超出了上下文窗口，最早的 {count} 条消息未纳入",
        en: "note: the conversation outgrew the context window; the {count} oldest messages were left out",
    }
    /// Note: Ctrl-C stopped `wenshu ask`.
    note_answer_cancelled() = "cli.note_answer_cancelled" {
        zh: "提示：已停止；不完整的回答已保存在历史记录中",
        en: "note: cancelled; the partial answer is kept in history",
    }
    /// Note: the answer was cut at `--max-tokens`.
    note_max_tokens() = "cli.note_max_tokens" {
        zh: "提示：回答已达到长度上限（--max-tokens）",
        en: "note: the answer reached the length limit (--max-tokens)",
    }
    /// After an answer: the model, tokens and time (`seconds` with one decimal).
    answer_stats(model, prompt_tokens, completion_tokens, seconds) = "cli.answer_stats" {
        zh: "[{model} · 提示 {prompt_tokens} + 回答 {completion_tokens} 个 token · {seconds} 秒]",
        en: "[{model} · {prompt_tokens} prompt + {completion_tokens} answer tokens · {seconds} s]",
    }

    /// A model was imported.
    model_imported(name, architecture, quantization, size) = "cli.model_imported" {
        zh: "已导入 {name}（{architecture}，{quantization}，{size}）",
        en: "imported {name} ({architecture}, {quantization}, {size})",
    }
    /// The hash recorded for an imported model.
    model_hash(sha256) = "cli.model_hash" {
        zh: "SHA-256 校验值 {sha256}",
        en: "sha256 {sha256}",
    }
    /// The model just imported answers from now on.
    model_is_active(name) = "cli.model_is_active" {
        zh: "{name} 是当前使用的模型",
        en: "{name} is the active model",
    }
    /// `wenshu model use` chose a model.
    model_now_active(name) = "cli.model_now_active" {
        zh: "现在由 {name} 回答",
        en: "{name} is now the active model",
    }
    /// `wenshu model list` with nothing imported.
    no_models() = "cli.no_models" {
        zh: "尚未导入模型：请运行 `wenshu model import 文件.gguf`",
        en: "no models imported: run `wenshu model import FILE.gguf`",
    }
    /// One imported model; `mark` is `*` for the active one; `sha256` its first 16 digits.
    model_line(mark, name, architecture, quantization, context, size, sha256) = "cli.model_line" {
        zh: "{mark} {name}  {architecture} {quantization}  上下文 {context}  {size}  sha256 {sha256}",
        en: "{mark} {name}  {architecture} {quantization}  ctx {context}  {size}  sha256 {sha256}",
    }
    /// `wenshu model list`: a model on an inference server.
    server_line(mark, name, model_id, context, urls) = "cli.server_line" {
        zh: "{mark} {name}  推理服务器 {model_id}  上下文 {context}  {urls}",
        en: "{mark} {name}  server {model_id}  ctx {context}  {urls}",
    }
    /// `wenshu model add-server`: registered.
    server_added(name, model_id, kind, context, urls) = "cli.server_added" {
        zh: "已登记“{name}”：{kind} 上的模型 {model_id}，上下文 {context} token，地址 {urls}",
        en: "registered `{name}`: the model {model_id} on {kind}, context {context} tokens, at {urls}",
    }
    /// `wenshu model verify`: a model on a server has no file to hash.
    verify_server(name, url) = "cli.verify_server" {
        zh: "服务器    {name}（{url}，无本地文件可校验）",
        en: "server    {name} ({url}, no local file to hash)",
    }
    /// `wenshu model verify`: the file is as imported.
    verify_ok(name) = "cli.verify_ok" {
        zh: "正常      {name}",
        en: "ok        {name}",
    }
    /// `wenshu model verify`: the file is gone.
    verify_missing(name, path) = "cli.verify_missing" {
        zh: "缺失      {name}（{path}）",
        en: "MISSING   {name} ({path})",
    }
    /// `wenshu model verify`: the file changed since it was imported.
    verify_modified(name, actual, expected) = "cli.verify_modified" {
        zh: "已改动    {name}：sha256 为 {actual}，但导入时记录的是 {expected}，请重新导入",
        en: "MODIFIED  {name}: sha256 is {actual} but {expected} was recorded at import",
    }

    /// `wenshu history` with no conversation stored.
    no_conversations() = "cli.no_conversations" {
        zh: "还没有对话",
        en: "no conversations yet",
    }
    /// One stored conversation.
    history_line(id, time, messages, title) = "cli.history_line" {
        zh: "{id:>5}  {time}  {messages:>3} 条消息  {title}",
        en: "{id:>5}  {time}  {messages:>3} msgs  {title}",
    }
    /// The heading of a conversation shown in full.
    conversation_heading(id, title, time) = "cli.conversation_heading" {
        zh: "#{id} {title}（{time}）",
        en: "#{id} {title} ({time})",
    }
    /// Marks a message Ctrl-C cut short.
    cancelled_mark() = "cli.cancelled_mark" {
        zh: "（已停止）",
        en: " (cancelled)",
    }
    /// Who wrote a message: the user.
    role_user() = "cli.role_user" {
        zh: "用户",
        en: "user",
    }
    /// Who wrote a message: the model.
    role_assistant() = "cli.role_assistant" {
        zh: "文枢",
        en: "assistant",
    }
    /// Who wrote a message: the system prompt.
    role_system() = "cli.role_system" {
        zh: "系统",
        en: "system",
    }
    /// One audit record; `outcome` is the stored outcome word.
    audit_line(id, time, user, app, prompt_tokens, completion_tokens, ms, outcome) = "cli.audit_line" {
        zh: "{id:>5}  {time}  {user}  {app}  {prompt_tokens} + {completion_tokens} 个 token  {ms} 毫秒  {outcome}",
        en: "{id:>5}  {time}  {user}  {app}  {prompt_tokens} + {completion_tokens} tokens  {ms} ms  {outcome}",
    }

    /// The severity of a finding that must be fixed.
    severity_error() = "cli.severity_error" {
        zh: "错误",
        en: "error",
    }
    /// The severity of a finding worth a look.
    severity_warning() = "cli.severity_warning" {
        zh: "警告",
        en: "warning",
    }
    /// After the findings of one file.
    findings_summary(file, errors, warnings) = "cli.findings_summary" {
        zh: "{file}：{errors} 个错误，{warnings} 个警告",
        en: "{file}: {errors} errors, {warnings} warnings",
    }
    /// `check --fix`: the line a change is on.
    fix_hunk(line) = "cli.fix_hunk" {
        zh: "@@ 第 {line} 行 @@",
        en: "@@ line {line} @@",
    }
    /// `check --fix`: how many lines were repaired.
    fixed_summary(file, lines) = "cli.fixed_summary" {
        zh: "{file}：已修正 {lines} 行",
        en: "{file}: {lines} lines fixed",
    }
    /// `check --fix`: heading of what it could not repair.
    left_to_fix() = "cli.left_to_fix" {
        zh: "以下问题需要人工修改：",
        en: "left to fix by hand:",
    }

    /// `wenshu doctor`: a check passed (four columns wide).
    doctor_ok() = "cli.doctor_ok" {
        zh: "正常",
        en: "ok  ",
    }
    /// `wenshu doctor`: a check failed (four columns wide).
    doctor_fail() = "cli.doctor_fail" {
        zh: "失败",
        en: "FAIL",
    }
    /// `wenshu doctor`: the row of the CPU's features.
    doctor_cpu_features() = "cli.doctor_cpu_features" {
        zh: "CPU 指令集",
        en: "cpu features",
    }
    /// `wenshu doctor`: the row of the build's features.
    doctor_build() = "cli.doctor_build" {
        zh: "构建特性",
        en: "build",
    }

    /// `wenshu bench`: the model measured.
    bench_model(model, sha256) = "cli.bench_model" {
        zh: "模型       {model}（{sha256}）",
        en: "model      {model} ({sha256})",
    }
    /// `wenshu bench`: the threads used.
    bench_threads(threads) = "cli.bench_threads" {
        zh: "线程       {threads}",
        en: "threads    {threads}",
    }
    /// `wenshu bench`: one speed; `test` is `pp512` or `tg128` padded, `rate` formatted.
    bench_speed(test, rate, repetitions) = "cli.bench_speed" {
        zh: "{test} {rate} token/秒（{repetitions} 次的中位数）",
        en: "{test} {rate} tokens/s (median of {repetitions})",
    }
    /// `wenshu bench`: the most memory used.
    bench_peak_memory(peak, model_file) = "cli.bench_peak_memory" {
        zh: "内存峰值   {peak}（模型文件 {model_file}）",
        en: "peak RSS   {peak} (model file {model_file})",
    }

    /// `wenshu chat`: the line shown when it starts.
    chat_banner(model) = "cli.chat_banner" {
        zh: "文枢 Wenshu · {model} · 输入 /help 查看命令，按 Ctrl-D 退出",
        en: "文枢 Wenshu · {model} · /help for commands, Ctrl-D to quit",
    }
    /// `wenshu chat`: the prompt before a new message.
    chat_prompt() = "cli.chat_prompt" {
        zh: "你> ",
        en: "you> ",
    }
    /// `wenshu chat`: `/help`.
    chat_help() = "cli.chat_help" {
        zh: "输入问题后按回车发送。行末加 \\ 可在下一行接着输入，
也可以把多行内容放在两行 \"\"\" 之间。
  /new            开始新的对话
  /history [编号] 列出最近的对话，或继续该编号的对话
  /model [名称]   显示当前模型，或改用该模型
  /system [文字]  显示或设置本次对话的系统提示
  /help           显示本说明
  /exit           退出（或按 Ctrl-D）；按 Ctrl-C 停止正在生成的回答",
        en: "Type a question and press Enter. End a line with \\ to continue on the next line,
or put a block between two lines of \"\"\".
  /new            start a new conversation
  /history [ID]   list recent conversations, or continue conversation ID
  /model [NAME]   show the active model, or switch to NAME
  /system [TEXT]  show or set the system prompt for this conversation
  /help           this text
  /exit           quit (or Ctrl-D); Ctrl-C stops an answer",
    }
    /// `wenshu chat`: reading the terminal failed.
    cannot_read_input(detail) = "cli.cannot_read_input" {
        zh: "无法读取输入：{detail}",
        en: "cannot read input: {detail}",
    }
    /// `wenshu chat`: `/new`.
    chat_new() = "cli.chat_new" {
        zh: "（新的对话）",
        en: "(new conversation)",
    }
    /// `wenshu chat`: one conversation of `/history`.
    chat_history_line(id, messages, title) = "cli.chat_history_line" {
        zh: "{id:>5}  {messages:>3} 条消息  {title}",
        en: "{id:>5}  {messages:>3} msgs  {title}",
    }
    /// `wenshu chat`: `/history ID` resumed a conversation.
    chat_continuing(id) = "cli.chat_continuing" {
        zh: "（继续对话 {id}）",
        en: "(continuing conversation {id})",
    }
    /// `wenshu chat`: `/history` with something other than a number.
    chat_history_needs_number() = "cli.chat_history_needs_number" {
        zh: "/history 后面应是对话编号（见 /history 列出的编号）",
        en: "/history takes a conversation number",
    }
    /// `wenshu chat`: `/model` shows the active model.
    chat_model(name, architecture, quantization) = "cli.chat_model" {
        zh: "{name}（{architecture}，{quantization}）",
        en: "{name} ({architecture}, {quantization})",
    }
    /// `wenshu chat`: `/model NAME` switched models.
    chat_now_using(name) = "cli.chat_now_using" {
        zh: "（已改用 {name}）",
        en: "(now using {name})",
    }
    /// `wenshu chat`: `/system TEXT`.
    chat_system_set() = "cli.chat_system_set" {
        zh: "（已设置系统提示）",
        en: "(system prompt set)",
    }
    /// `wenshu chat`: a slash command it does not know.
    chat_unknown_command(name) = "cli.chat_unknown_command" {
        zh: "没有 /{name} 这个命令；输入 /help 查看命令列表",
        en: "unknown command /{name}; /help lists them",
    }
    /// `wenshu chat`: the oldest messages did not fit the context window.
    chat_dropped_turns(count) = "cli.chat_dropped_turns" {
        zh: "（对话超出了上下文窗口：最早的 {count} 条消息未纳入）",
        en: "(the conversation outgrew the context window: the {count} oldest messages were left out)",
    }
    /// `wenshu chat`: Ctrl-C stopped an answer.
    chat_stopped() = "cli.chat_stopped" {
        zh: "（已停止；不完整的回答已保留）",
        en: "(stopped; the partial answer is kept)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::messages::in_both;

    #[test]
    fn cli_messages_render_in_both_languages() {
        let (zh0, en0) =
            in_both(|| error_line(ErrorCode::InvalidInput.label(), not_a_folder("/no/such")));
        let (zh1, en1) = in_both(|| kb_added(3, 1, 0, 0, 42));
        let (zh2, en2) = in_both(|| kb_document(7, "通知", 3, "内部", "a.txt", kb_incomplete()));
        let en = (en0, en1, en2);
        let zh = (zh0, zh1, zh2);
        assert_eq!(
            en.0.text, "error: cannot save there: /no/such is not a folder",
            "the English error line is worded as before the catalogue"
        );
        assert_eq!(
            zh.0.text, "错误（输入有误）：无法保存到该处：/no/such 不是文件夹",
            "the Chinese error line names the kind of error"
        );
        assert_eq!(
            en.0.id, "cli.error_line",
            "the id does not depend on the language"
        );
        assert_eq!(
            en.1.text, "3 added, 1 updated, 0 unchanged, 0 failed; 42 chunks indexed",
            "English counts"
        );
        assert_eq!(
            zh.1.text, "新增 3 个，更新 1 个，未变 0 个，失败 0 个；已索引 42 个片段",
            "Chinese counts"
        );
        assert_eq!(
            en.2.text, "   7  通知  3 chunks  内部  a.txt (incomplete)",
            "widths in the texts pad their arguments"
        );
        assert_eq!(zh.2.text, "   7  通知  3 个片段  内部  a.txt（未完成）");
    }

    #[test]
    fn cli_ids_name_their_area_and_the_chat_help_lists_every_command() {
        assert!(
            IDS.iter().all(|id| id.starts_with("cli.")),
            "every message here is in the cli area: {IDS:?}"
        );
        let help = chat_help().text;
        assert!(
            help.contains("/history") && help.contains("/exit") && help.lines().count() == 8,
            "the chat help lists its commands on eight lines: {help}"
        );
    }
}
