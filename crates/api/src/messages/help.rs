//! The `wenshu` command's help in Simplified Chinese: the command itself, each subcommand and
//! each argument, by path (`kb.add.level` is `--level` of `wenshu kb add`). The English help is
//! written beside the arguments in the CLI's source; the CLI's tests check that this table
//! covers every command and argument and names none that does not exist.

/// `(path, help)`: the root is `""`, a subcommand its name, an argument its id after its
/// command's path.
pub const HELP_ZH: &[(&str, &str)] = &[
    ("", "文枢 Wenshu：离线运行的政务智能助手"),
    ("json", "在标准输出打印一个 JSON 文档，而不是文字"),
    ("ask", "提一个问题并打印回答（问题也可来自 -f 或标准输入）"),
    ("ask.question", "问题；缺省或为 - 时从标准输入读取"),
    ("ask.file", "从 UTF-8 文本文件读取问题"),
    ("ask.kb", "只依据知识库回答，并注明所引用的编号段落"),
    ("ask.system", "本次提问的系统提示（默认取自设置）"),
    ("ask.temperature", "采样温度；0 为贪心解码，每次回答相同"),
    ("ask.seed", "采样的随机种子"),
    ("ask.max_tokens", "回答最多的 token 数"),
    ("chat", "与助手交互对话"),
    ("chat.resume", "继续一段已保存的对话（见 wenshu history）"),
    ("chat.system", "本次对话的系统提示（默认取自设置）"),
    ("chat.temperature", "采样温度；0 为贪心解码，每次回答相同"),
    ("chat.seed", "采样的随机种子"),
    ("chat.max_tokens", "每次回答最多的 token 数"),
    (
        "model",
        "导入、登记、列出、选择和校验模型（GGUF 文件或推理服务器）",
    ),
    (
        "model.add-server",
        "登记推理服务器上的模型（OpenAI 兼容接口：llama-server、vLLM）",
    ),
    ("model.add-server.name", "在文枢中使用的名称"),
    (
        "model.add-server.urls",
        "服务器地址 http://主机:端口 或 https://主机:端口；可重复，按顺序故障切换",
    ),
    (
        "model.add-server.model_id",
        "服务器上的模型 id（默认：服务器列出的第一个）",
    ),
    ("model.add-server.ca", "签发服务器证书的单位 CA（PEM 文件）"),
    (
        "model.add-server.key_file",
        "存放 API 密钥的文件（只允许本人读取）",
    ),
    ("model.import", "把 GGUF 文件导入文枢的模型目录"),
    ("model.import.file", "GGUF 模型文件"),
    (
        "model.import.name",
        "使用的名称（默认：去掉 .gguf 的文件名）",
    ),
    ("model.import.link", "链接到原文件而不复制"),
    ("model.list", "列出已导入的模型和已登记的推理服务器"),
    ("model.use", "选择用于回答的模型"),
    ("model.use.name", "模型名称（见 wenshu model list）"),
    ("model.verify", "重新计算模型的哈希，与导入时记录的比对"),
    ("model.verify.name", "只校验这个模型（默认：全部）"),
    ("history", "列出以往的对话，或显示其中一段"),
    ("history.id", "完整显示这段对话"),
    ("history.limit", "最多列出的对话数"),
    (
        "audit",
        "审计日志：列出最新记录、写入签名检查点、核验哈希链、导出",
    ),
    ("audit.limit", "最多显示的记录数"),
    (
        "audit.all",
        "显示全部记录（检索、导出、应用包变更、策略加载），而不只是模型调用和拒绝",
    ),
    (
        "audit.list",
        "最新的记录：每次模型调用一条，以及被拒绝的请求（默认）",
    ),
    ("audit.list.limit", "最多显示的记录数"),
    (
        "audit.list.all",
        "显示全部记录（检索、导出、应用包变更、策略加载），而不只是模型调用和拒绝",
    ),
    (
        "audit.checkpoint",
        "写入审计日志的签名检查点（记录条数与最新哈希），交信息技术部门留存",
    ),
    (
        "audit.checkpoint.output",
        "检查点文件（签名写在旁边的 FILE.minisig）",
    ),
    (
        "audit.verify",
        "重新计算哈希链并指出第一条有问题的记录；发现问题时退出码为 2",
    ),
    (
        "audit.verify.checkpoints",
        "此前写入的检查点，用于发现被截断的日志（可重复）",
    ),
    ("audit.export", "把审计记录导出为 CSV 或 JSON Lines"),
    (
        "audit.export.from",
        "起始日期（如 2024-03-20；默认：最早的记录）",
    ),
    ("audit.export.to", "结束日期（默认：今天）"),
    ("audit.export.format", "导出格式：csv 或 jsonl"),
    ("audit.export.output", "写入的文件"),
    ("draft", "起草 15 种公文之一，并检查结果"),
    (
        "draft.doc_type",
        "文种：15 种之一（通知、请示、函……）或其英文标识",
    ),
    ("draft.issuer", "发文机关"),
    ("draft.to", "主送机关（可重复，或用逗号分隔）"),
    ("draft.topic", "公文的事由"),
    (
        "draft.facts",
        "事实材料（UTF-8 文本文件）：正文中数字、日期和名称的唯一来源",
    ),
    ("draft.number", "发文字号，如 粤数〔2024〕7号"),
    (
        "draft.date",
        "成文日期：2024-03-20 或 2024年3月20日（默认：今天）",
    ),
    ("draft.signers", "签发人，用于上行文（可重复）"),
    ("draft.attachments", "附件名称（可重复，按顺序）"),
    ("draft.copy_to", "抄送机关（可重复，或用逗号分隔）"),
    ("draft.contact", "联系人和电话，作为附注印出"),
    (
        "draft.classification",
        "密级和保密期限：本机为非涉密计算机，绝密、机密、秘密一律拒绝起草",
    ),
    ("draft.urgency", "紧急程度：特急或加急"),
    ("draft.seed", "采样的随机种子"),
    (
        "draft.output",
        "保存公文：.docx（GB/T 9704 版式）、.md 或 .txt",
    ),
    (
        "packs",
        "应用包：列出、查看、安装、更新和删除；信息技术部门用于生成密钥、签名和校验",
    ),
    ("packs.list", "列出本机的应用包：内置、单位下发和本机安装的"),
    ("packs.list.category", "只列出这一类别的应用包"),
    ("packs.show", "查看一个应用包：用途、来源、签名密钥和表单"),
    ("packs.show.id", "应用包编号"),
    (
        "packs.install",
        "为本用户安装应用包（文件夹或 .wpk 压缩包）",
    ),
    (
        "packs.install.pack",
        "应用包：含 manifest.toml 的文件夹，或 .wpk 压缩包",
    ),
    ("packs.update", "用更高版本替换已安装的应用包"),
    (
        "packs.update.pack",
        "应用包：含 manifest.toml 的文件夹，或 .wpk 压缩包",
    ),
    (
        "packs.remove",
        "删除本机安装的应用包（内置和单位下发的不能删除）",
    ),
    ("packs.remove.id", "应用包编号"),
    (
        "packs.index",
        "为下发目录中的应用包生成并签名 index.toml（信息技术部门每次下发前使用）",
    ),
    ("packs.index.dir", "应用包所在的目录，与各终端收到的一致"),
    ("packs.index.key", "由 wenshu packs keygen 生成的私钥文件"),
    (
        "packs.index.sequence",
        "清单序号：须高于以往下发的每一份清单",
    ),
    (
        "packs.sign-file",
        "签名单位管理策略（policy.toml），或加 --keys 签名密钥清单（keys.toml）",
    ),
    ("packs.sign-file.file", "策略文件或密钥清单"),
    (
        "packs.sign-file.key",
        "由 wenshu packs keygen 生成的私钥文件",
    ),
    (
        "packs.sign-file.keys",
        "该文件是用于轮换受信任密钥的密钥清单（含 sequence 和 keys）",
    ),
    ("apps", "应用超市：列出应用，按表单输入运行任一应用"),
    (
        "usage",
        "按用户、应用、模型或日期统计审计日志中的调用次数和 token 用量（可计量）",
    ),
    ("usage.by", "统计方式：user、app、model 或 day"),
    (
        "usage.from",
        "起始日期，如 2024-03-20（默认：今天往前 29 天）",
    ),
    ("usage.to", "结束日期（默认：今天）"),
    (
        "settings",
        "查看生效的设置及其锁定原因，或修改个人设置文件中的一项",
    ),
    (
        "settings.list",
        "列出每项设置、取值，以及被单位管理策略或环境变量锁定的原因",
    ),
    (
        "settings.set",
        "修改个人设置文件中的一项（被锁定的设置会被拒绝并说明原因）",
    ),
    (
        "settings.set.key",
        "设置项，形如 分节.名称（如 model.threads）",
    ),
    ("settings.set.value", "新的取值"),
    (
        "apps.list",
        "列出应用（内置、单位下发和本机安装的）及其输入项",
    ),
    ("apps.list.category", "只列出这一类别的应用，如 公文写作"),
    ("apps.run", "运行应用：每个输入项用 --input 键=值 给出"),
    ("apps.run.id", "应用编号（见 wenshu apps list）"),
    ("apps.run.inputs", "表单的一个输入项，键=值（可重复）"),
    (
        "apps.run.input_files",
        "从 UTF-8 文本文件读入的输入项，键=文件路径（可重复）",
    ),
    (
        "apps.run.output",
        "保存结果：按应用可为 .docx、.md、.txt 或 .json",
    ),
    (
        "packs.keygen",
        "生成签名密钥对：wenshu-pack.pub 分发给各终端，wenshu-pack.key 离线保管",
    ),
    (
        "packs.keygen.dir",
        "写入两个密钥文件的目录（默认：当前目录）",
    ),
    ("packs.sign", "用私钥签名应用包（文件夹或 .wpk 压缩包）"),
    (
        "packs.sign.pack",
        "应用包：含 manifest.toml 的文件夹，或 .wpk 压缩包",
    ),
    ("packs.sign.key", "由 wenshu packs keygen 生成的私钥文件"),
    (
        "packs.sign.out",
        "把签名后的应用包另存为压缩包（默认：原地签名）",
    ),
    (
        "packs.verify",
        "用公钥校验应用包的签名；签名无效时退出码为 1",
    ),
    (
        "packs.verify.pack",
        "应用包：含 manifest.toml 的文件夹，或 .wpk 压缩包",
    ),
    ("packs.verify.keys", "受信任的公钥文件（可重复）"),
    ("kb", "知识库：添加文档、中文检索、列出和删除"),
    (
        "kb.add",
        "添加文件和文件夹（含子文件夹）：.txt、.md、.docx、.pdf、.html；未变化的文件跳过",
    ),
    ("kb.add.paths", "要添加的文件或文件夹"),
    ("kb.add.level", "随文档记录的密级（默认：内部）"),
    ("kb.search", "检索知识库"),
    ("kb.search.query", "检索词"),
    ("kb.search.limit", "最多返回的结果数"),
    ("kb.list", "列出知识库中的文档"),
    ("kb.remove", "按路径或编号删除文档"),
    ("kb.remove.which", "文档的路径或编号（见 wenshu kb list）"),
    ("kb.rebuild", "根据目录中的文件重建索引"),
    ("kb.stats", "统计目录和索引中的文档数与分块数"),
    (
        "check",
        "按公文规范检查草稿（.docx、.txt 或 .md）；发现错误时退出码为 1",
    ),
    ("check.file", "要检查的草稿"),
    (
        "check.fix",
        "就地修正机械性问题（括号、日期、标点）并显示差异",
    ),
    ("check.rules", "列出规则而不检查"),
    ("doctor", "检查模型、数据目录、CPU 和构建"),
    ("bench", "测量当前模型的提示处理速度和生成速度"),
    ("bench.threads", "使用的线程数"),
    ("bench.prompt_tokens", "要处理的提示 token 数"),
    ("bench.generated_tokens", "要生成的 token 数"),
    ("bench.repetitions", "重复次数（取中位数）"),
    (
        "eval",
        "在测评集上测评模型并逐项对比；有用例未通过时退出码为 1",
    ),
    ("eval.models", "要测评的模型名称（可重复；默认当前模型）"),
    (
        "eval.suite",
        "测评集目录（suite.toml、drafting.toml、retrieval.toml、instructions.toml、minutes.toml、summaries.toml；默认内置测评集）",
    ),
    (
        "eval.only",
        "只测这些维度：drafting、retrieval、answers、instructions、minutes、summaries、speed（逗号分隔）",
    ),
    ("eval.output", "把报告写成一个独立的 HTML 文件"),
    ("eval.history", "列出以往的测评记录，不运行"),
    (
        "minutes",
        "根据会议记录生成会议纪要，记录再长也可以；每个议定事项注明所依据的记录行",
    ),
    (
        "minutes.inputs",
        "会议记录或笔记：.txt、.md、.docx、.srt、.vtt（- 表示从标准输入读取）",
    ),
    ("minutes.title", "会议名称（纪要标志为会议名称加“纪要”）"),
    ("minutes.date", "会议日期：2024-03-05 或 2024年3月5日"),
    ("minutes.place", "会议地点"),
    ("minutes.chair", "主持人"),
    ("minutes.attendees", "出席人员（可重复，或用逗号分隔）"),
    ("minutes.absent", "请假人员（可重复，或用逗号分隔）"),
    ("minutes.observers", "列席人员（可重复，或用逗号分隔）"),
    (
        "minutes.record",
        "生成会议记录（逐人发言、议定事项、表决情况），而不是纪要",
    ),
    (
        "minutes.resume",
        "从上次停下的地方接着做，已完成的部分不再重做",
    ),
    (
        "minutes.output",
        "保存到文件：.docx（GB/T 9704 版式）、.md（注明每项所依据的记录行）或 .txt",
    ),
    (
        "summarize",
        "为文件生成摘要（PDF、DOCX、TXT、MD、HTML），文件再长也可以；每条要点注明所在的页或段",
    ),
    ("summarize.files", "文件：.pdf、.docx、.txt、.md、.html"),
    ("summarize.length", "摘要长度：short、medium 或 long"),
    ("summarize.points", "要点条数（默认按长度：3、5、8 条）"),
    ("summarize.focus", "摘要侧重的内容"),
    (
        "summarize.resume",
        "从上次停下的地方接着做，已完成的部分不再重做",
    ),
    ("summarize.output", "把摘要（带出处的 Markdown）保存到文件"),
];

/// The words clap prints around the help, in Chinese.
pub mod words {
    pub const USAGE: &str = "用法：";
    pub const COMMANDS: &str = "命令";
    pub const ARGUMENTS: &str = "参数";
    pub const OPTIONS: &str = "选项";
    pub const HELP: &str = "显示帮助";
    pub const VERSION: &str = "显示版本";
}

/// The Chinese help of `path`, if the table has it.
pub fn zh(path: &str) -> Option<&'static str> {
    HELP_ZH.iter().find(|(p, _)| *p == path).map(|(_, h)| *h)
}
