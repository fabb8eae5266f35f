//! Knowledge packs: a folder of documents with a `manifest.toml` (id, name, version,
//! classification level). The built-in guide is compiled in from `knowledge/guide`; packs that IT
//! pushes live in the managed folder and are read-only to users.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use wenshu_api::messages::{common, files, kb as msg};

use crate::error::{AppError, ErrorCode, Result};
use crate::input::read_file;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub id: String,
    pub name: String,
    pub version: String,
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackDocument {
    /// The document's key in the catalogue.
    pub key: String,
    /// Its file name (the extension says how to read it).
    pub name: String,
    source: Source,
}

/// Where a pack document's content is. Files are read only when the pack is indexed, not each
/// time Wenshu checks whether a pack's version changed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Builtin(&'static str),
    File(PathBuf),
}

impl PackDocument {
    /// The document's content.
    pub fn bytes(&self) -> Result<Vec<u8>> {
        match &self.source {
            Source::Builtin(text) => Ok(text.as_bytes().to_vec()),
            Source::File(path) => read_file(path, super::MAX_FILE_BYTES, "a knowledge pack file"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pack {
    pub manifest: Manifest,
    pub documents: Vec<PackDocument>,
}

const BUILTIN_MANIFEST: &str = include_str!("../../../../knowledge/guide/manifest.toml");
const BUILTIN: [(&str, &str); 5] = [
    (
        "01-十五种文种.md",
        include_str!("../../../../knowledge/guide/01-十五种文种.md"),
    ),
    (
        "02-公文要素.md",
        include_str!("../../../../knowledge/guide/02-公文要素.md"),
    ),
    (
        "03-版式规范.md",
        include_str!("../../../../knowledge/guide/03-版式规范.md"),
    ),
    (
        "04-常见错误.md",
        include_str!("../../../../knowledge/guide/04-常见错误.md"),
    ),
    (
        "05-会议纪要.md",
        include_str!("../../../../knowledge/guide/05-会议纪要.md"),
    ),
];

fn manifest(text: &str, label: &str) -> Result<Manifest> {
    let manifest: Manifest = toml::from_str(text)
        .map_err(|err| AppError::of(ErrorCode::Config, msg::invalid_manifest(label, err)))?;
    if manifest.id.is_empty() || manifest.id == super::USER_PACK {
        return Err(AppError::of(
            ErrorCode::Config,
            msg::pack_id_not_allowed(label, &manifest.id),
        ));
    }
    Ok(manifest)
}

/// The guide to the 15 types and the GB/T 9704 layout that ships with Wenshu.
pub fn builtin() -> Result<Pack> {
    let manifest = manifest(BUILTIN_MANIFEST, "knowledge/guide/manifest.toml")?;
    let documents = BUILTIN
        .iter()
        .map(|(name, text)| PackDocument {
            key: format!("pack:{}/{name}", manifest.id),
            name: (*name).to_string(),
            source: Source::Builtin(text),
        })
        .collect();
    Ok(Pack {
        manifest,
        documents,
    })
}

/// The packs in `dir`: each sub-folder with a manifest. A missing folder has none.
pub fn in_folder(dir: &Path) -> Result<Vec<Pack>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut folders: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("manifest.toml").is_file())
        .collect();
    folders.sort();
    let mut packs = Vec::new();
    for folder in folders {
        let path = folder.join("manifest.toml");
        let text = std::fs::read_to_string(&path)
            .map_err(|err| AppError::io_of(common::cannot_read(path.display()), &err))?;
        let manifest = manifest(&text, &path.display().to_string())?;
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .map_err(|err| AppError::io_of(files::cannot_list(folder.display()), &err))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && super::kind(p).is_some())
            .collect();
        files.sort();
        let documents = files
            .into_iter()
            .map(|file| PackDocument {
                key: std::fs::canonicalize(&file)
                    .unwrap_or_else(|_| file.clone())
                    .display()
                    .to_string(),
                name: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                source: Source::File(file),
            })
            .collect();
        packs.push(Pack {
            manifest,
            documents,
        });
    }
    Ok(packs)
}
