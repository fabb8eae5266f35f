//! Messages about the database: its own failures, a newer schema, damaged data.

catalogue! {
    /// SQLite failed (`detail`: SQLite's words).
    database(detail) = "store.database" {
        zh: "数据库出错：{detail}",
        en: "database error: {detail}",
    }
    /// The database was written by a newer Wenshu.
    too_new(path, found, known) = "store.too_new" {
        zh: "数据库 {path} 由更新版本的文枢创建（结构版本 {found}，本程序只支持到 {known}）：请升级文枢",
        en: "the database {path} is from a newer Wenshu (schema {found}, this build knows {known})",
    }
    /// A stored value cannot be read back.
    corrupt(detail) = "store.corrupt" {
        zh: "保存的数据已损坏：{detail}",
        en: "stored data is damaged: {detail}",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_store_message_renders_in_both_languages() {
        let (zh, en) = crate::messages::in_both(|| super::too_new("/w/wenshu.db", 9, 4));
        assert_eq!(zh.id, en.id);
        assert_eq!(
            en.text,
            "the database /w/wenshu.db is from a newer Wenshu (schema 9, this build knows 4)"
        );
        assert!(
            zh.text.contains("/w/wenshu.db") && zh.text.contains("升级"),
            "{}",
            zh.text
        );
    }
}
