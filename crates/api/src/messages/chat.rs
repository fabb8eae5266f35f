//! Messages about the assistant at work: opening its home, the model that answers, questions
//! and the conversations kept.

catalogue! {
    /// The data directory could not be created.
    cannot_create_data_dir(path) = "chat.cannot_create_data_dir" {
        zh: "无法创建数据目录 {path}",
        en: "cannot create the data directory {path}",
    }
    /// The database could not be opened (`detail`: what the database said).
    cannot_open_database(path, detail) = "chat.cannot_open_database" {
        zh: "无法打开数据库 {path}：{detail}",
        en: "{path}: {detail}",
    }
    /// No model is imported.
    no_model() = "chat.no_model" {
        zh: "还没有导入模型：请运行 `wenshu model import 文件.gguf`（或 `make setup`）",
        en: "no model is imported yet: run `wenshu model import FILE.gguf` (or `make setup`)",
    }
    /// Several models are imported and none is chosen.
    several_models() = "chat.several_models" {
        zh: "已导入多个模型，但尚未选定使用哪一个：请运行 `wenshu model use 名称`",
        en: "several models are imported and none is chosen: run `wenshu model use NAME`",
    }
    /// The model was loaded but is gone from its slot.
    model_not_kept() = "chat.model_not_kept" {
        zh: "模型加载后未能保留在内存中，请重试",
        en: "the model could not be kept loaded",
    }
    /// A failure of the model, naming the model (`message`: what went wrong).
    in_model(message, model) = "chat.in_model" {
        zh: "{message}（模型 {model}）",
        en: "{message} (model {model})",
    }
    /// A conversation number that is not kept.
    no_conversation(id) = "chat.no_conversation" {
        zh: "没有编号为 {id} 的对话：请用 `wenshu history` 查看已有的对话",
        en: "there is no conversation {id}: see `wenshu history`",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_chat_message_renders_in_both_languages() {
        let (zh, en) = crate::messages::in_both(|| super::no_conversation(7));
        assert_eq!(zh.id, "chat.no_conversation");
        assert_eq!(en.text, "there is no conversation 7: see `wenshu history`");
        assert_eq!(
            zh.text,
            "没有编号为 7 的对话：请用 `wenshu history` 查看已有的对话"
        );
    }
}
