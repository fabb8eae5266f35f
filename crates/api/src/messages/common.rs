//! Messages shared by every area: files, folders and the operating system's errors.

catalogue! {
    /// A file or folder could not be read.
    cannot_read(path) = "common.cannot_read" {
        zh: "无法读取 {path}",
        en: "cannot read {path}",
    }
    /// A file could not be written.
    cannot_write(path) = "common.cannot_write" {
        zh: "无法写入 {path}",
        en: "cannot write {path}",
    }
    /// A folder could not be created.
    cannot_create_dir(path) = "common.cannot_create_dir" {
        zh: "无法创建文件夹 {path}",
        en: "cannot create the folder {path}",
    }
    /// Work ran on a thread that died.
    work_stopped(detail) = "common.work_stopped" {
        zh: "处理意外中断：{detail}",
        en: "the work stopped unexpectedly: {detail}",
    }
}

/// The operating system's error in the language in force: the common kinds by name, the rest
/// as the system words them.
pub fn os_error(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let zh = match err.kind() {
        ErrorKind::NotFound => Some("文件或文件夹不存在"),
        ErrorKind::PermissionDenied => Some("没有访问权限"),
        ErrorKind::AlreadyExists => Some("已经存在"),
        ErrorKind::StorageFull => Some("磁盘空间不足"),
        ErrorKind::ReadOnlyFilesystem => Some("文件系统只读"),
        ErrorKind::IsADirectory => Some("这是一个文件夹"),
        ErrorKind::NotADirectory => Some("不是文件夹"),
        ErrorKind::InvalidData => Some("数据无效"),
        ErrorKind::UnexpectedEof => Some("文件不完整"),
        _ => None,
    };
    match (super::language(), zh) {
        (super::Lang::Zh, Some(text)) => text.to_string(),
        _ => err.to_string(),
    }
}
