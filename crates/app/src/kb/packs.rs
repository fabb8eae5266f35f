//! Knowledge from packs: the documents of every usable pack on this desktop (the built-in
//! guide from `knowledge/guide`, packs IT pushes into the managed folder, packs installed
//! here). A pack's documents are its top-level files that the knowledge base reads, and the
//! files under its `knowledge/` folder; an app pack without any adds nothing.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::input::read_file;

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
    Builtin(Vec<u8>),
    File(PathBuf),
}

impl PackDocument {
    /// The document's content.
    pub fn bytes(&self) -> Result<Vec<u8>> {
        match &self.source {
            Source::Builtin(bytes) => Ok(bytes.clone()),
            Source::File(path) => read_file(path, super::MAX_FILE_BYTES, "a knowledge pack file"),
        }
    }
}

/// A pack's knowledge: its id, version and level, and its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pack {
    pub id: String,
    pub version: String,
    pub level: String,
    pub documents: Vec<PackDocument>,
}

/// Whether `name` (a pack's own file name) is one of its documents.
fn is_document(name: &str) -> bool {
    let inside = name.strip_prefix("knowledge/").unwrap_or(name);
    !inside.contains('/') && super::kind(Path::new(inside)).is_some()
}

/// The knowledge of `pack`; none when it has no documents or may not be used.
pub fn knowledge(pack: &crate::packs::Pack) -> Result<Option<Pack>> {
    if pack.problem.is_some() || pack.manifest.id == super::USER_PACK {
        return Ok(None);
    }
    let m = &pack.manifest;
    let documents: Vec<PackDocument> = match pack.folder() {
        None => pack
            .files()?
            .files
            .into_iter()
            .filter(|(name, _)| is_document(name))
            .map(|(name, bytes)| PackDocument {
                key: format!("pack:{}/{name}", m.id),
                name,
                source: Source::Builtin(bytes),
            })
            .collect(),
        Some(folder) => {
            let mut files: Vec<PathBuf> = [folder.to_path_buf(), folder.join("knowledge")]
                .iter()
                .filter_map(|dir| std::fs::read_dir(dir).ok())
                .flatten()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && super::kind(p).is_some())
                .collect();
            files.sort();
            files
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
                .collect()
        }
    };
    if documents.is_empty() && m.is_app() {
        return Ok(None);
    }
    Ok(Some(Pack {
        id: m.id.clone(),
        version: m.version.clone(),
        level: m.level.clone(),
        documents,
    }))
}
