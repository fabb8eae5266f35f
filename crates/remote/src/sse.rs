//! The server-sent events of a streamed chat completion: `data: {json}` lines, ended by
//! `data: [DONE]`. Only what Wenshu reads is parsed: the text delta, why the answer stopped, and
//! the usage that `stream_options.include_usage` asks for.

use serde::Deserialize;

/// One event of the stream, as far as Wenshu cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// A piece of the answer (possibly with a finish reason and usage in the same chunk).
    Chunk {
        text: String,
        finish: Option<String>,
        usage: Option<Usage>,
    },
    /// `data: [DONE]`.
    Done,
    /// The server reported an error inside the stream.
    Error(String),
    /// A comment, a blank line, an `event:` or `id:` line: keeps the stream alive, says nothing.
    Nothing,
}

/// Tokens the server counted for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

#[derive(Deserialize)]
struct ChunkJson {
    #[serde(default)]
    choices: Vec<ChoiceJson>,
    #[serde(default)]
    usage: Option<Usage>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ChoiceJson {
    #[serde(default)]
    delta: Option<DeltaJson>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct DeltaJson {
    #[serde(default)]
    content: Option<String>,
}

/// Reads one line of the stream (without its line ending). `Err` says what is wrong with it.
pub(crate) fn parse_line(line: &str) -> Result<Event, String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() || line.starts_with(':') {
        return Ok(Event::Nothing);
    }
    let Some((field, value)) = line.split_once(':').or(Some((line, ""))) else {
        return Ok(Event::Nothing);
    };
    let value = value.strip_prefix(' ').unwrap_or(value);
    match field {
        "data" => parse_data(value),
        "event" | "id" | "retry" => Ok(Event::Nothing),
        _ => Err(format!("not an event-stream line: {}", clip(line))),
    }
}

fn parse_data(value: &str) -> Result<Event, String> {
    if value.trim() == "[DONE]" {
        return Ok(Event::Done);
    }
    let chunk: ChunkJson = serde_json::from_str(value)
        .map_err(|e| format!("not a completion chunk ({e}): {}", clip(value)))?;
    if let Some(error) = chunk.error {
        return Ok(Event::Error(error_text(&error)));
    }
    let mut text = String::new();
    let mut finish = None;
    for choice in chunk.choices {
        if let Some(content) = choice.delta.and_then(|d| d.content) {
            text.push_str(&content);
        }
        if choice.finish_reason.is_some() {
            finish = choice.finish_reason;
        }
    }
    Ok(Event::Chunk {
        text,
        finish,
        usage: chunk.usage,
    })
}

/// The message of an OpenAI-style error object (`{"message": …}` or a plain string).
pub(crate) fn error_text(error: &serde_json::Value) -> String {
    let text = error
        .get("message")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
        .or_else(|| error.as_str().map(str::to_string))
        .unwrap_or_else(|| error.to_string());
    clip(&text)
}

/// At most 300 characters of `text`, for messages.
pub(crate) fn clip(text: &str) -> String {
    const MAX: usize = 300;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_done_comments_and_errors_are_told_apart() {
        assert_eq!(
            parse_line(r#"data: {"choices":[{"delta":{"content":"通知"},"finish_reason":null}]}"#),
            Ok(Event::Chunk {
                text: "通知".into(),
                finish: None,
                usage: None
            })
        );
        assert_eq!(
            parse_line(
                r#"data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"#
            ),
            Ok(Event::Chunk {
                text: String::new(),
                finish: None,
                usage: Some(Usage {
                    prompt_tokens: 12,
                    completion_tokens: 3
                })
            })
        );
        assert_eq!(parse_line("data: [DONE]"), Ok(Event::Done));
        assert_eq!(parse_line(": keep-alive"), Ok(Event::Nothing));
        assert_eq!(parse_line("\r"), Ok(Event::Nothing));
        assert_eq!(
            parse_line(r#"data: {"error":{"message":"slot unavailable","code":503}}"#),
            Ok(Event::Error("slot unavailable".into()))
        );
        assert!(parse_line("data: {not json").is_err());
        assert!(parse_line("<html>").is_err());
    }

    #[test]
    fn long_text_is_clipped_on_a_character_boundary() {
        let long = "公".repeat(400);
        let clipped = clip(&long);
        assert_eq!(clipped.chars().count(), 301);
        assert!(clipped.ends_with('…'));
    }
}
