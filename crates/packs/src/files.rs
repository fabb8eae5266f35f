//! A pack's files, read from a folder or from one archive (zip) without trusting it: names
//! that climb out (`../../x`), absolute names and links are refused, and every file and the
//! whole pack are read against a cap, whatever sizes the archive declares. Nothing is written
//! anywhere while reading; installing writes the checked files under the pack's own folder.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// The most files a pack may hold.
pub const MAX_FILES: usize = 2_000;
/// The most bytes of one template (`prompts/…`), the manifest or a schema: text, not data.
pub const MAX_TEXT_BYTES: u64 = 1 << 20;
/// The most bytes of one file of any other kind (a knowledge document, an example table).
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// The most bytes of a whole pack, expanded.
pub const MAX_PACK_BYTES: u64 = 256 << 20;

/// The file in a pack that holds its signature; it is not part of what it signs.
pub const SIGNATURE_FILE: &str = "signature.minisig";

/// Why a pack's files could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilesError {
    #[error("“{0}” leaves the pack (an absolute name, a drive, or ..)")]
    Escapes(String),
    #[error("“{0}” is a link; a pack holds plain files only")]
    Link(String),
    #[error("“{name}” is larger than {limit} bytes")]
    FileTooLarge { name: String, limit: u64 },
    #[error("the pack expands to more than {0} bytes")]
    PackTooLarge(u64),
    #[error("the pack holds more than {0} files")]
    TooManyFiles(usize),
    #[error("“{0}” appears twice")]
    Duplicate(String),
    #[error("not a pack archive: {0}")]
    NotArchive(String),
    #[error("cannot read “{name}”: {detail}")]
    Unreadable { name: String, detail: String },
    #[error("the pack has no manifest.toml")]
    NoManifest,
}

/// A pack's files by name (`/` between folders), checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackFiles {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// `name` as a pack's own relative name, or why it is not one.
fn checked_name(name: &str) -> Result<String, FilesError> {
    let escapes = || FilesError::Escapes(name.to_string());
    let name = name.replace('\\', "/");
    if name.starts_with('/') || name.contains(':') || name.contains('\0') {
        return Err(escapes());
    }
    let parts: Vec<&str> = name
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() || parts.contains(&"..") {
        return Err(escapes());
    }
    Ok(parts.join("/"))
}

/// The cap on one file: text files (templates, the manifest, a schema) are small.
fn cap(name: &str) -> u64 {
    let text = name == "manifest.toml"
        || name == SIGNATURE_FILE
        || name.starts_with("prompts/")
        || name.ends_with(".j2")
        || name.ends_with(".json");
    if text { MAX_TEXT_BYTES } else { MAX_FILE_BYTES }
}

impl PackFiles {
    fn add(&mut self, name: String, bytes: Vec<u8>, total: &mut u64) -> Result<(), FilesError> {
        if self.files.len() >= MAX_FILES {
            return Err(FilesError::TooManyFiles(MAX_FILES));
        }
        *total += bytes.len() as u64;
        if *total > MAX_PACK_BYTES {
            return Err(FilesError::PackTooLarge(MAX_PACK_BYTES));
        }
        if self.files.insert(name.clone(), bytes).is_some() {
            return Err(FilesError::Duplicate(name));
        }
        Ok(())
    }

    /// Reads `limit + 1` bytes at most from `reader`, refusing a file over `limit`.
    fn read_capped(name: &str, reader: impl Read) -> Result<Vec<u8>, FilesError> {
        let limit = cap(name);
        let mut bytes = Vec::new();
        reader
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|err| FilesError::Unreadable {
                name: name.to_string(),
                detail: err.to_string(),
            })?;
        if bytes.len() as u64 > limit {
            return Err(FilesError::FileTooLarge {
                name: name.to_string(),
                limit,
            });
        }
        Ok(bytes)
    }

    /// The files of a pack archive (zip).
    pub fn from_archive(bytes: &[u8]) -> Result<PackFiles, FilesError> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|err| FilesError::NotArchive(err.to_string()))?;
        if archive.len() > MAX_FILES {
            return Err(FilesError::TooManyFiles(MAX_FILES));
        }
        let mut out = PackFiles::default();
        let mut total = 0;
        for i in 0..archive.len() {
            let entry = archive
                .by_index(i)
                .map_err(|err| FilesError::NotArchive(err.to_string()))?;
            let raw = entry.name().to_string();
            if entry.is_dir() {
                checked_name(&raw)?;
                continue;
            }
            // A link's target is its content: refused before it is read as anything.
            if entry.is_symlink()
                || entry
                    .unix_mode()
                    .is_some_and(|m| m & 0o170_000 == 0o120_000)
            {
                return Err(FilesError::Link(raw));
            }
            let name = checked_name(&raw)?;
            let content = Self::read_capped(&name, entry)?;
            out.add(name, content, &mut total)?;
        }
        out.require_manifest()?;
        Ok(out)
    }

    /// The files of a pack folder; a link anywhere in it is refused.
    pub fn from_folder(dir: &Path) -> Result<PackFiles, FilesError> {
        let mut out = PackFiles::default();
        let mut total = 0;
        let mut stack = vec![(dir.to_path_buf(), String::new())];
        while let Some((folder, prefix)) = stack.pop() {
            let unreadable = |detail: String| FilesError::Unreadable {
                name: folder.display().to_string(),
                detail,
            };
            let mut entries: Vec<_> = std::fs::read_dir(&folder)
                .map_err(|err| unreadable(err.to_string()))?
                .collect::<Result<_, _>>()
                .map_err(|err| unreadable(err.to_string()))?;
            entries.sort_by_key(std::fs::DirEntry::file_name);
            for entry in entries {
                let file_name = entry.file_name().to_string_lossy().into_owned();
                let name = format!("{prefix}{file_name}");
                let kind = entry
                    .file_type()
                    .map_err(|err| unreadable(err.to_string()))?;
                if kind.is_symlink() {
                    return Err(FilesError::Link(name));
                }
                if kind.is_dir() {
                    stack.push((entry.path(), format!("{name}/")));
                    continue;
                }
                let name = checked_name(&name)?;
                let file =
                    std::fs::File::open(entry.path()).map_err(|err| FilesError::Unreadable {
                        name: name.clone(),
                        detail: err.to_string(),
                    })?;
                let content = Self::read_capped(&name, file)?;
                out.add(name, content, &mut total)?;
            }
        }
        out.require_manifest()?;
        Ok(out)
    }

    fn require_manifest(&self) -> Result<(), FilesError> {
        if self.files.contains_key("manifest.toml") {
            Ok(())
        } else {
            Err(FilesError::NoManifest)
        }
    }

    /// The pack's digest: SHA-256 over every file but the signature, by name, each name and
    /// length before its bytes, so no two packs share one. The same pack as a folder or as an
    /// archive has the same digest.
    pub fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"wenshu-pack-1\0");
        for (name, bytes) in &self.files {
            if name == SIGNATURE_FILE {
                continue;
            }
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The bytes of every file but the signature, expanded.
    pub fn size(&self) -> u64 {
        self.files
            .iter()
            .filter(|(n, _)| n.as_str() != SIGNATURE_FILE)
            .map(|(_, b)| b.len() as u64)
            .sum()
    }

    /// A file as text, if it is there and UTF-8.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.files
            .get(name)
            .and_then(|b| std::str::from_utf8(b).ok())
    }

    /// The files as an archive (zip, deflated), in name order.
    pub fn to_archive(&self) -> Result<Vec<u8>, FilesError> {
        use std::io::Write;
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let failed = |err: String| FilesError::Unreadable {
            name: "archive".to_string(),
            detail: err,
        };
        for (name, bytes) in &self.files {
            out.start_file(name.as_str(), options)
                .map_err(|e| failed(e.to_string()))?;
            out.write_all(bytes).map_err(|e| failed(e.to_string()))?;
        }
        Ok(out
            .finish()
            .map_err(|e| failed(e.to_string()))?
            .into_inner())
    }

    /// Writes the files under `dir`, which must not exist yet; each name was checked on reading.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, bytes)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const MANIFEST: &[u8] =
        "id = \"p1\"\nname = \"x\"\nversion = \"1\"\nlevel = \"公开\"\n".as_bytes();

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, bytes) in entries {
            out.start_file(*name, options).expect("start");
            out.write_all(bytes).expect("write");
        }
        out.finish().expect("finish").into_inner()
    }

    #[test]
    fn a_pack_reads_the_same_from_a_folder_and_an_archive() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("manifest.toml"), MANIFEST).expect("write");
        std::fs::create_dir(dir.path().join("prompts")).expect("mkdir");
        std::fs::write(dir.path().join("prompts/system.j2"), "你是{{ role }}。").expect("write");
        let folder = PackFiles::from_folder(dir.path()).expect("folder");
        let zipped = PackFiles::from_archive(&folder.to_archive().expect("zip")).expect("archive");
        assert_eq!(folder, zipped);
        assert_eq!(folder.digest(), zipped.digest());
        assert_eq!(folder.text("prompts/system.j2"), Some("你是{{ role }}。"));

        // The signature is not part of the digest; any other change is.
        let mut signed = folder.clone();
        signed
            .files
            .insert(SIGNATURE_FILE.into(), b"untrusted comment".to_vec());
        assert_eq!(signed.digest(), folder.digest());
        let mut changed = folder.clone();
        changed
            .files
            .insert("prompts/system.j2".into(), "你是{{ role }}！".into());
        assert_ne!(changed.digest(), folder.digest());
    }

    #[test]
    fn hostile_archives_are_refused() {
        for name in ["../../x", "/etc/passwd", "C:/x", "a/../../x", "..\\x"] {
            let bytes = archive(&[("manifest.toml", MANIFEST), (name, b"x")]);
            assert_eq!(
                PackFiles::from_archive(&bytes),
                Err(FilesError::Escapes(name.to_string())),
                "{name}"
            );
        }
        // A link entry.
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        out.start_file("manifest.toml", options).expect("start");
        out.write_all(MANIFEST).expect("write");
        out.add_symlink("prompts/system.j2", "/etc/shadow", options)
            .expect("link");
        let bytes = out.finish().expect("finish").into_inner();
        assert_eq!(
            PackFiles::from_archive(&bytes),
            Err(FilesError::Link("prompts/system.j2".into()))
        );
        // A template over its cap, declared small or not: read with a running cap.
        let big = vec![b'a'; (MAX_TEXT_BYTES + 1) as usize];
        let bytes = archive(&[("manifest.toml", MANIFEST), ("prompts/big.j2", &big)]);
        assert!(matches!(
            PackFiles::from_archive(&bytes),
            Err(FilesError::FileTooLarge { .. })
        ));
        assert_eq!(
            PackFiles::from_archive(&archive(&[("a.md", b"x")])),
            Err(FilesError::NoManifest)
        );
        assert!(matches!(
            PackFiles::from_archive(b"not a zip"),
            Err(FilesError::NotArchive(_))
        ));
    }

    #[test]
    fn a_link_in_a_pack_folder_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("manifest.toml"), MANIFEST).expect("write");
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("doc.md")).expect("link");
        assert_eq!(
            PackFiles::from_folder(dir.path()),
            Err(FilesError::Link("doc.md".into()))
        );
    }
}
