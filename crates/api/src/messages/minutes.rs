//! Messages about meeting minutes and summaries of long inputs: what cannot be read, what was
//! skipped, and runs that stop and resume.

catalogue! {
    /// The minutes or summary prompts file does not parse.
    invalid_prompts(file, detail) = "minutes.invalid_prompts" {
        zh: "提示词文件 {file} 格式有误：{detail}",
        en: "the prompts file {file} is invalid: {detail}",
    }
    /// The context window cannot hold the prompt and a piece of the input.
    context_too_small(window, needed) = "minutes.context_too_small" {
        zh: "模型的上下文只有 {window} 个词元，放不下提示词和一段输入（至少需要 {needed} 个）；请调大 model.context_tokens",
        en: "the model's context holds {window} tokens, too few for the prompt and a piece of the input (at least {needed}); raise model.context_tokens",
    }
    /// A step's result could not be written down for a later resume.
    cannot_keep(detail) = "minutes.cannot_keep" {
        zh: "无法保存已完成部分的结果：{detail}",
        en: "cannot keep a finished step's result: {detail}",
    }
    /// A long run was stopped; what is done is kept.
    stopped(done, total) = "minutes.stopped" {
        zh: "已停止：已完成的 {done}/{total} 步已保存，加 --resume（或在窗口中点“继续”）可从停下的地方接着做",
        en: "stopped: the {done} of {total} steps done are kept; run again with --resume (or press 继续) to go on from there",
    }
    /// A transcript file of a kind Wenshu does not read.
    unsupported_transcript(path) = "minutes.unsupported_transcript" {
        zh: "{path} 不是可读取的会议记录格式（支持 TXT、MD、DOCX、SRT、VTT）",
        en: "{path} is not a transcript Wenshu reads (TXT, MD, DOCX, SRT or VTT)",
    }
    /// What pasted text is called in messages and sources.
    pasted_text() = "minutes.pasted_text" {
        zh: "粘贴的文本",
        en: "pasted text",
    }
    /// Neither a file nor pasted text was given.
    no_input() = "minutes.no_input" {
        zh: "没有会议记录：请给出记录文件，或粘贴记录文本",
        en: "no transcript: give a transcript file or paste its text",
    }
    /// A transcript with no text in it.
    no_lines(path) = "minutes.no_lines" {
        zh: "{path} 中没有文字内容",
        en: "{path} holds no text",
    }
    /// A subtitle cue whose time could not be read; its text is kept.
    broken_timestamp(path, line) = "minutes.broken_timestamp" {
        zh: "{path} 第 {line} 行的时间码无法识别，该条字幕按无时间处理",
        en: "{path} line {line}: the timestamp cannot be read; the cue's text is kept without a time",
    }
    /// A transcript without speaker labels.
    no_speakers() = "minutes.no_speakers" {
        zh: "记录中没有发言人标注，按不区分发言人处理",
        en: "the transcript names no speakers; it is read without them",
    }
    /// A summary's file that gave no text and was left out.
    skipped_file(path, reason) = "minutes.skipped_file" {
        zh: "已跳过 {path}：{reason}",
        en: "skipped {path}: {reason}",
    }
    /// None of a summary's files gave text.
    no_readable_file() = "minutes.no_readable_file" {
        zh: "所给的文件都无法读取出文字，无法生成摘要",
        en: "none of the files gave any text to summarise",
    }
    /// No file was given to summarise.
    no_files() = "minutes.no_files" {
        zh: "请给出要生成摘要的文件（PDF、DOCX、TXT、MD 或 HTML）",
        en: "give the files to summarise (PDF, DOCX, TXT, MD or HTML)",
    }
    /// A summary length that is not short, medium or long.
    bad_length(value) = "minutes.bad_length" {
        zh: "摘要长度“{value}”无法识别：请用 short、medium 或 long",
        en: "summary length \"{value}\" is not short, medium or long",
    }
}
