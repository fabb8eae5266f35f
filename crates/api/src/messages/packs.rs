//! Messages of packs (应用包): reading them, their signatures, installing and removing them,
//! and the signing keys.

catalogue! {
    /// A pack entry that would land outside the pack (../../x, an absolute name).
    escapes(pack, name) = "packs.escapes" {
        zh: "应用包 {pack} 中的“{name}”指向包外（绝对路径或 ..），已拒绝安装",
        en: "“{name}” in the pack {pack} points outside the pack (an absolute path or ..): refused",
    }
    /// A link in a pack.
    link(pack, name) = "packs.link" {
        zh: "应用包 {pack} 中的“{name}”是链接文件，应用包只能包含普通文件，已拒绝安装",
        en: "“{name}” in the pack {pack} is a link; a pack holds plain files only: refused",
    }
    /// A file of a pack over its size limit.
    file_too_large(pack, name, limit_kb) = "packs.file_too_large" {
        zh: "应用包 {pack} 中的“{name}”超过 {limit_kb} KB，已拒绝安装",
        en: "“{name}” in the pack {pack} is larger than {limit_kb} KB: refused",
    }
    /// A pack that expands to too much.
    pack_too_large(pack, limit_mb) = "packs.pack_too_large" {
        zh: "应用包 {pack} 解开后超过 {limit_mb} MB，已拒绝安装",
        en: "the pack {pack} expands to more than {limit_mb} MB: refused",
    }
    /// A pack with too many files.
    too_many_files(pack, limit) = "packs.too_many_files" {
        zh: "应用包 {pack} 包含的文件超过 {limit} 个，已拒绝安装",
        en: "the pack {pack} holds more than {limit} files: refused",
    }
    /// A file that is not a pack archive.
    not_archive(pack, detail) = "packs.not_archive" {
        zh: "{pack} 不是应用包（应为文件夹或 .wpk 压缩包）：{detail}",
        en: "{pack} is not a pack (a folder or a .wpk archive): {detail}",
    }
    /// A pack without its manifest.
    no_manifest(pack) = "packs.no_manifest" {
        zh: "应用包 {pack} 缺少 manifest.toml",
        en: "the pack {pack} has no manifest.toml",
    }
    /// A pack file that cannot be read.
    unreadable(pack, name, detail) = "packs.unreadable" {
        zh: "无法读取应用包 {pack} 中的“{name}”：{detail}",
        en: "cannot read “{name}” in the pack {pack}: {detail}",
    }
    /// A file name that appears twice in an archive.
    duplicate(pack, name) = "packs.duplicate" {
        zh: "应用包 {pack} 中“{name}”出现了两次，已拒绝安装",
        en: "“{name}” appears twice in the pack {pack}: refused",
    }
    /// A manifest that does not read, with the line.
    bad_manifest(pack, line, detail) = "packs.bad_manifest" {
        zh: "应用包 {pack} 的 manifest.toml 第 {line} 行有误：{detail}",
        en: "the manifest.toml of the pack {pack}, line {line}: {detail}",
    }
    /// A manifest whose contents are wrong (an id, a version, a field).
    invalid_manifest(pack, detail) = "packs.invalid_manifest" {
        zh: "应用包 {pack} 的 manifest.toml 有误：{detail}",
        en: "the manifest.toml of the pack {pack} is wrong: {detail}",
    }
    /// A pack for a newer Wenshu.
    too_new(pack, needs, have) = "packs.too_new" {
        zh: "应用包 {pack} 需要文枢 {needs} 或更高版本，本机为 {have}，请先升级文枢",
        en: "the pack {pack} needs Wenshu {needs} or later; this is {have}",
    }
    /// A template that does not parse or render.
    bad_template(pack, name, detail) = "packs.bad_template" {
        zh: "应用包 {pack} 的模板 {name} 有误：{detail}",
        en: "the template {name} of the pack {pack} is wrong: {detail}",
    }
    /// A pack without a signature where the policy asks for one.
    unsigned(pack) = "packs.unsigned" {
        zh: "应用包 {pack} 没有签名，单位策略不允许安装未签名的应用包",
        en: "the pack {pack} is not signed, and the policy does not allow unsigned packs",
    }
    /// A signature from a key nobody trusts.
    unknown_key(pack, key) = "packs.unknown_key" {
        zh: "应用包 {pack} 的签名来自未受信任的密钥 {key}",
        en: "the pack {pack} is signed by key {key}, which is not trusted",
    }
    /// A signature that does not match the pack.
    bad_signature(pack, detail) = "packs.bad_signature" {
        zh: "应用包 {pack} 的签名与内容不符，可能在签名后被改动：{detail}",
        en: "the signature of the pack {pack} does not match its contents (changed after signing?): {detail}",
    }
    /// A signature that cannot be read.
    unreadable_signature(pack, detail) = "packs.unreadable_signature" {
        zh: "应用包 {pack} 的签名无法读取：{detail}",
        en: "the signature of the pack {pack} cannot be read: {detail}",
    }
    /// A version lower than one installed before.
    rollback(pack, version, highest) = "packs.rollback" {
        zh: "应用包 {pack} 的版本 {version} 低于本机已安装过的 {highest}，不能降级",
        en: "the pack {pack} {version} is older than {highest}, installed before: no downgrades",
    }
    /// An index older than one seen before.
    index_replayed(sequence, highest) = "packs.index_replayed" {
        zh: "应用包清单的序号 {sequence} 低于本机已接受的 {highest}，可能是旧清单被重放，已拒绝",
        en: "the pack index's sequence {sequence} is below {highest}, accepted before (an old index played back?): refused",
    }
    /// A pack not listed as it is in the signed index.
    not_in_index(pack) = "packs.not_in_index" {
        zh: "应用包 {pack} 与签名清单所列的版本或内容不符，已拒绝",
        en: "the pack {pack} is not in the signed index as it is (another version or content): refused",
    }
    /// A pack id that is not installed.
    not_installed(id) = "packs.not_installed" {
        zh: "没有安装应用包“{id}”：请用 `wenshu packs list` 查看",
        en: "no pack “{id}” is installed: see `wenshu packs list`",
    }
    /// A pack that cannot be removed here (built in, or managed by IT).
    cannot_remove(id, source) = "packs.cannot_remove" {
        zh: "应用包“{id}”属于{source}，不能在这里删除",
        en: "the pack “{id}” is {source}: it cannot be removed here",
    }
    /// An update that is not newer.
    not_newer(id, version, installed) = "packs.not_newer" {
        zh: "应用包“{id}”的版本 {version} 不高于已安装的 {installed}，无需更新",
        en: "the pack “{id}” {version} is not newer than {installed}, installed",
    }
    /// Where a pack comes from, as `cannot_remove` names it: built in.
    source_builtin() = "packs.source_builtin" {
        zh: "文枢内置应用",
        en: "built in",
    }
    /// Where a pack comes from: the folder IT manages.
    source_managed() = "packs.source_managed" {
        zh: "单位统一下发的应用",
        en: "managed by IT",
    }
    /// Where a pack comes from: installed by the user.
    source_user() = "packs.source_user" {
        zh: "本机安装的应用",
        en: "installed here",
    }
    /// A pack whose id is taken by a built-in or managed pack.
    shadows(id, source) = "packs.shadows" {
        zh: "应用包编号“{id}”已被{source}使用，不能安装同名应用包",
        en: "the pack id “{id}” belongs to a pack that is {source}: a pack of the same id cannot be installed",
    }
    /// A pack installed already: `update` replaces it.
    already_installed(id, version) = "packs.already_installed" {
        zh: "应用包“{id}”已安装（版本 {version}），更新请用 `wenshu packs update`",
        en: "the pack “{id}” is installed already ({version}): use `wenshu packs update`",
    }
    /// A pack that cannot be used: the reason, shown with an app it holds.
    unusable(id, reason) = "packs.unusable" {
        zh: "应用包“{id}”不能使用：{reason}",
        en: "the pack “{id}” cannot be used: {reason}",
    }
    /// A managed pack that a signed index does not list as it is, or a key list that does not
    /// hold: the managed folder's signed lists.
    bad_list(path, detail) = "packs.bad_list" {
        zh: "单位下发目录中的签名清单 {path} 无效：{detail}",
        en: "the signed list {path} in the managed folder does not hold: {detail}",
    }
    /// A key list older than one accepted before.
    keys_replayed(sequence, highest) = "packs.keys_replayed" {
        zh: "密钥清单的序号 {sequence} 低于本机已接受的 {highest}，已拒绝",
        en: "the key list's sequence {sequence} is below {highest}, accepted before: refused",
    }
    /// A key file that cannot be read or written.
    key_file(path, detail) = "packs.key_file" {
        zh: "密钥文件 {path} 无法使用：{detail}",
        en: "the key file {path} cannot be used: {detail}",
    }
    /// A key file that would be overwritten.
    key_exists(path) = "packs.key_exists" {
        zh: "{path} 已存在：为免覆盖现有密钥，请换一个目录",
        en: "{path} exists: choose another folder rather than overwrite a key",
    }
    /// A pack or its signature that cannot be written.
    cannot_write(path) = "packs.cannot_write" {
        zh: "无法写入 {path}",
        en: "cannot write {path}",
    }
}
