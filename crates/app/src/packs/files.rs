//! Pack files on disk: reading one (a folder or a `.wpk` archive) with every refusal in
//! Chinese, making a signing key, signing a pack and checking its signature: what IT does with
//! `wenshu packs keygen`, `sign` and `verify` before pushing packs to desktops.

use std::path::{Path, PathBuf};

use wenshu_api::messages::packs as msg;
use wenshu_api::{KeygenReport, PackSignature};
use wenshu_packs::files::{MAX_FILES, MAX_PACK_BYTES};
use wenshu_packs::{
    FilesError, Manifest, ManifestError, PackFiles, SignError, TrustedKey, Version, sign,
};

use crate::error::{AppError, ErrorCode, Result};

/// The file names `keygen` writes.
pub const PUBLIC_KEY_FILE: &str = "wenshu-pack.pub";
pub const SECRET_KEY_FILE: &str = "wenshu-pack.key";

/// This Wenshu's version, as manifests compare it.
pub fn wenshu_version() -> Version {
    Version::parse(env!("CARGO_PKG_VERSION")).unwrap_or(Version {
        major: 0,
        minor: 0,
        patch: 0,
    })
}

fn files_error(pack: &Path, err: FilesError) -> AppError {
    let pack = pack.display();
    let refused = |m| AppError::of(ErrorCode::InvalidInput, m);
    match err {
        FilesError::Escapes(name) => refused(msg::escapes(pack, name)),
        FilesError::Link(name) => refused(msg::link(pack, name)),
        FilesError::FileTooLarge { name, limit } => {
            refused(msg::file_too_large(pack, name, limit >> 10))
        }
        FilesError::PackTooLarge(_) => refused(msg::pack_too_large(pack, MAX_PACK_BYTES >> 20)),
        FilesError::TooManyFiles(_) => refused(msg::too_many_files(pack, MAX_FILES)),
        FilesError::Duplicate(name) => refused(msg::duplicate(pack, name)),
        FilesError::NotArchive(detail) => refused(msg::not_archive(pack, detail)),
        FilesError::NoManifest => refused(msg::no_manifest(pack)),
        FilesError::Unreadable { name, detail } => {
            AppError::of(ErrorCode::Io, msg::unreadable(pack, name, detail))
        }
    }
}

fn manifest_error(pack: &Path, err: ManifestError) -> AppError {
    let pack = pack.display();
    let message = match err {
        ManifestError::Syntax { line, message } => msg::bad_manifest(pack, line, message),
        ManifestError::TooNew { needs, have } => msg::too_new(pack, needs, have),
        other => msg::invalid_manifest(pack, other),
    };
    AppError::of(ErrorCode::InvalidInput, message)
}

/// Why a pack's signature does not hold, in words.
pub(crate) fn signature_error(pack: &str, err: SignError) -> AppError {
    AppError::of(ErrorCode::InvalidInput, signature_message(pack, err))
}

/// Why a pack's signature does not hold.
pub(crate) fn signature_message(pack: &str, err: SignError) -> wenshu_api::messages::Message {
    match err {
        SignError::Unsigned => msg::unsigned(pack),
        SignError::UnknownKey(key) => msg::unknown_key(pack, key),
        SignError::Mismatch(detail) => msg::bad_signature(pack, detail),
        SignError::BadSignatureText(detail) | SignError::BadList(detail) => {
            msg::unreadable_signature(pack, detail)
        }
        SignError::BadKey(detail) | SignError::Keygen(detail) => msg::key_file(pack, detail),
    }
}

/// A pack read from `path` (a folder or an archive) and its manifest, checked: nothing in it
/// leaves the pack, nothing is over its size, the manifest reads and suits this Wenshu, and
/// every template parses.
pub fn read_pack(path: &Path) -> Result<(PackFiles, Manifest)> {
    let files = if path.is_dir() {
        PackFiles::from_folder(path)
    } else {
        let bytes = crate::input::read_file(path, MAX_PACK_BYTES, "a pack")?;
        PackFiles::from_archive(&bytes)
    }
    .map_err(|err| files_error(path, err))?;
    checked(files, path)
}

/// Pack files read from `path` (what messages name), with their manifest read and suiting this
/// Wenshu, and every template parsing.
pub(crate) fn checked(files: PackFiles, path: &Path) -> Result<(PackFiles, Manifest)> {
    let text = files.text("manifest.toml").ok_or_else(|| {
        manifest_error(
            path,
            ManifestError::Syntax {
                line: 1,
                message: "not UTF-8".into(),
            },
        )
    })?;
    let manifest = Manifest::parse(text, wenshu_version()).map_err(|e| manifest_error(path, e))?;
    crate::apps::shots(&files).map_err(|err| AppError {
        message: format!("{}：{}", path.display(), err.message),
        ..err
    })?;
    if let Some(schema) = files.files.get(crate::apps::SCHEMA_FILE) {
        serde_json::from_slice::<serde_json::Value>(schema).map_err(|err| {
            AppError::of(
                ErrorCode::InvalidInput,
                wenshu_api::messages::apps::bad_schema(path.display(), err),
            )
        })?;
    }
    for (name, _) in files.files.iter().filter(|(n, _)| n.ends_with(".j2")) {
        let source = files.text(name).unwrap_or_default();
        wenshu_packs::template::check(source).map_err(|err| {
            AppError::of(
                ErrorCode::InvalidInput,
                msg::bad_template(path.display(), name, err),
            )
        })?;
    }
    Ok((files, manifest))
}

fn signature_of(path: &Path, files: &PackFiles, manifest: &Manifest) -> PackSignature {
    PackSignature {
        path: path.display().to_string(),
        id: manifest.id.clone(),
        name: manifest.name.clone(),
        version: manifest.version().to_string(),
        sha256: files.digest(),
        size: files.size(),
        files: files
            .files
            .keys()
            .filter(|n| n.as_str() != wenshu_packs::SIGNATURE_FILE)
            .count(),
        key_id: None,
    }
}

pub(crate) fn read_key(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|err| AppError::of(ErrorCode::Io, msg::key_file(path.display(), err)))
}

/// Makes a signing key pair in `dir`: the public key to hand out, the secret key (readable by
/// its owner only) to keep offline. An existing key is never overwritten.
pub fn keygen(dir: &Path) -> Result<KeygenReport> {
    keygen_as(dir, PUBLIC_KEY_FILE, SECRET_KEY_FILE)
}

/// [`keygen`] with the two files named `public_name` and `secret_name`.
pub fn keygen_as(dir: &Path, public_name: &str, secret_name: &str) -> Result<KeygenReport> {
    let public = dir.join(public_name);
    let secret = dir.join(secret_name);
    for path in [&public, &secret] {
        if path.exists() {
            return Err(AppError::of(
                ErrorCode::AlreadyExists,
                msg::key_exists(path.display()),
            ));
        }
    }
    let pair = sign::keygen().map_err(|e| signature_error(&dir.display().to_string(), e))?;
    let write = |path: &PathBuf, text: &str, private: bool| -> Result<()> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        if private {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|err| AppError::of(ErrorCode::Io, msg::key_file(path.display(), err)))
    };
    std::fs::create_dir_all(dir)
        .map_err(|err| AppError::of(ErrorCode::Io, msg::key_file(dir.display(), err)))?;
    write(&public, &pair.public, false)?;
    write(&secret, &pair.secret, true)?;
    Ok(KeygenReport {
        public_key: public.display().to_string(),
        secret_key: secret.display().to_string(),
        key_id: pair.id,
        public_line: pair.public.lines().nth(1).unwrap_or_default().to_string(),
    })
}

/// Signs the pack at `path` with the secret key in `secret_key`: a folder gets its signature
/// file, an archive is written again with it (to `out`, or in place).
pub fn sign_pack(path: &Path, secret_key: &Path, out: Option<&Path>) -> Result<PackSignature> {
    let (mut files, manifest) = read_pack(path)?;
    let secret = read_key(secret_key)?;
    sign::sign_pack(&mut files, &manifest, &secret)
        .map_err(|e| signature_error(&secret_key.display().to_string(), e))?;
    let signature = files
        .files
        .get(wenshu_packs::SIGNATURE_FILE)
        .cloned()
        .unwrap_or_default();
    let target = out.unwrap_or(path);
    if path.is_dir() && out.is_none() {
        let file = path.join(wenshu_packs::SIGNATURE_FILE);
        std::fs::write(&file, &signature)
            .map_err(|err| AppError::io_of(msg::cannot_write(file.display()), &err))?;
    } else {
        let archive = files.to_archive().map_err(|e| files_error(path, e))?;
        std::fs::write(target, archive)
            .map_err(|err| AppError::io_of(msg::cannot_write(target.display()), &err))?;
    }
    let mut report = signature_of(target, &files, &manifest);
    report.key_id = Some(
        sign::signature_key_id(&String::from_utf8_lossy(&signature))
            .map_err(|e| signature_error(&target.display().to_string(), e))?,
    );
    Ok(report)
}

/// Checks the pack at `path` against the public keys in `keys`.
pub fn verify_pack(path: &Path, keys: &[PathBuf]) -> Result<PackSignature> {
    let (files, manifest) = read_pack(path)?;
    let trusted = keys
        .iter()
        .map(|k| {
            read_key(k).and_then(|text| {
                TrustedKey::parse(&text).map_err(|e| signature_error(&k.display().to_string(), e))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let key_id = sign::verify_pack(&files, &manifest, &trusted)
        .map_err(|e| signature_error(&path.display().to_string(), e))?;
    let mut report = signature_of(path, &files, &manifest);
    report.key_id = Some(key_id);
    Ok(report)
}

/// What `wenshu packs index` and `sign-file` wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignedFile {
    /// The file signed.
    pub path: String,
    /// Its signature, beside it.
    pub signature: String,
    pub key_id: String,
    /// The signed list's sequence (an index or a key list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence: Option<u64>,
    /// The packs an index lists.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub packs: Vec<wenshu_packs::IndexEntry>,
}

fn write_signature(path: &Path, signature: &str) -> Result<PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sig_path = path.with_file_name(format!("{name}.minisig"));
    crate::input::write_atomic(&sig_path, signature.as_bytes())?;
    Ok(sig_path)
}

/// Writes `index.toml` for the packs in `dir` (each sub-folder with a manifest), signed with
/// the secret key in `secret_key` under `sequence`: the list a managed folder is checked
/// against, so that a mixed or rolled-back set is found.
pub fn write_index(dir: &Path, secret_key: &Path, sequence: u64) -> Result<SignedFile> {
    let secret = read_key(secret_key)?;
    let mut entries = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|err| AppError::io_of(msg::cannot_write(dir.display()), &err))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("manifest.toml").is_file())
        .collect();
    folders.sort();
    for folder in folders {
        let (files, manifest) = read_pack(&folder)?;
        entries.push(wenshu_packs::IndexEntry {
            id: manifest.id.clone(),
            version: manifest.version().to_string(),
            sha256: files.digest(),
            size: files.size(),
        });
    }
    let index = wenshu_packs::Index {
        sequence,
        packs: entries,
    };
    let text = toml::to_string(&index).map_err(|err| {
        AppError::of(
            ErrorCode::InvalidInput,
            msg::unreadable_signature(dir.display(), err),
        )
    })?;
    let path = dir.join(super::INDEX_FILE);
    let signature = sign::sign_list(&secret, "index", &text, sequence)
        .map_err(|e| signature_error(&secret_key.display().to_string(), e))?;
    crate::input::write_atomic(&path, text.as_bytes())?;
    let sig_path = write_signature(&path, &signature)?;
    Ok(SignedFile {
        path: path.display().to_string(),
        signature: sig_path.display().to_string(),
        key_id: sign::signature_key_id(&signature)
            .map_err(|e| signature_error(&path.display().to_string(), e))?,
        sequence: Some(sequence),
        packs: index.packs,
    })
}

/// Signs an admin policy (`policy.toml`) or a key list (`keys.toml`: `sequence` and `keys`)
/// with the secret key in `secret_key`; the signature goes beside the file.
pub fn sign_file(path: &Path, secret_key: &Path, keys: bool) -> Result<SignedFile> {
    let secret = read_key(secret_key)?;
    let text = crate::input::read_text_file(path, 1 << 20, "a policy or key list")?;
    let label = path.display().to_string();
    let (signature, sequence) = if keys {
        let list: wenshu_packs::KeyList = toml::from_str(&text).map_err(|err| {
            AppError::of(
                ErrorCode::InvalidInput,
                msg::unreadable_signature(&label, err.message()),
            )
        })?;
        for key in &list.keys {
            TrustedKey::parse(key).map_err(|e| signature_error(&label, e))?;
        }
        (
            sign::sign_list(&secret, "keys", &text, list.sequence),
            Some(list.sequence),
        )
    } else {
        (wenshu_packs::policy::sign_policy(&secret, &text), None)
    };
    let signature = signature.map_err(|e| signature_error(&secret_key.display().to_string(), e))?;
    let sig_path = write_signature(path, &signature)?;
    Ok(SignedFile {
        path: label.clone(),
        signature: sig_path.display().to_string(),
        key_id: sign::signature_key_id(&signature).map_err(|e| signature_error(&label, e))?,
        sequence,
        packs: Vec::new(),
    })
}
