//! Packs on this desktop, apps and knowledge in one format, from three sources read through
//! one loader:
//! - **built in:** the folders of `prompts/apps/` and `knowledge/guide/`, compiled into the
//!   binary;
//! - **managed:** the folder IT pushes packs into (`kb.managed_packs`, or the policy's
//!   `managed_packs`), read-only to users. A signed `index.toml` there lists every pack's
//!   digest, version and size, and a signed `keys.toml` rotates the trusted keys;
//! - **user:** packs installed here with `wenshu packs install`, kept in `user-packs/` in the
//!   data directory.
//!
//! An app pack from outside the binary runs only with a signature from a trusted key (the
//! policy's keys, else `packs.trusted_keys`), unless unsigned packs are allowed. A knowledge
//! pack in the managed folder is trusted by the folder, as knowledge packs always were. A
//! pack's version never goes back: the highest seen per pack is stored, and an older one is
//! refused.

pub(crate) mod files;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use files::{
    PUBLIC_KEY_FILE, SECRET_KEY_FILE, SignedFile, keygen, keygen_as, read_pack, sign_file,
    sign_pack, verify_pack, wenshu_version, write_index,
};
use wenshu_api::messages::{Message, packs as msg};
use wenshu_api::{PackChange, PackInfo, PackList};
pub use wenshu_packs::Runner;
use wenshu_packs::{Index, KeyList, Manifest, PackFiles, SIGNATURE_FILE, TrustedKey, Version};

use crate::Wenshu;
use crate::error::{AppError, ErrorCode, Result};

/// A built-in pack's files: (name, bytes).
type BuiltinFiles = &'static [(&'static str, &'static [u8])];

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// The folder of installed packs in the data directory.
pub const USER_PACKS: &str = "user-packs";
/// The managed folder's signed lists.
pub const INDEX_FILE: &str = "index.toml";
pub const KEYS_FILE: &str = "keys.toml";

/// Where a pack comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Builtin,
    Managed,
    User,
}

impl Source {
    pub fn id(self) -> &'static str {
        match self {
            Source::Builtin => "builtin",
            Source::Managed => "managed",
            Source::User => "user",
        }
    }

    pub fn label(self) -> String {
        match self {
            Source::Builtin => msg::source_builtin().text,
            Source::Managed => msg::source_managed().text,
            Source::User => msg::source_user().text,
        }
    }
}

/// Where a pack's files are.
#[derive(Debug, Clone)]
enum Location {
    Builtin(BuiltinFiles),
    Folder(PathBuf),
}

/// A pack found on this desktop, its trust decided.
#[derive(Debug, Clone)]
pub struct Pack {
    pub manifest: Manifest,
    pub source: Source,
    location: Location,
    /// The key whose signature holds.
    pub signer: Option<String>,
    /// Why it may not be used.
    pub problem: Option<Message>,
}

impl Pack {
    /// The folder on disk; none for a built-in pack.
    pub fn folder(&self) -> Option<&Path> {
        match &self.location {
            Location::Folder(path) => Some(path),
            Location::Builtin(_) => None,
        }
    }

    /// The pack's files, read again and checked against the digest its trust was decided on.
    pub fn files(&self) -> Result<PackFiles> {
        match &self.location {
            Location::Builtin(list) => Ok(builtin_files(list)),
            Location::Folder(path) => read_pack(path).map(|(files, _)| files),
        }
    }

    /// The text of one of its files, if it has it.
    pub fn text(&self, name: &str) -> Result<Option<String>> {
        Ok(self.files()?.text(name).map(String::from))
    }

    /// Refuses a pack that may not be used.
    pub fn usable(&self) -> Result<()> {
        match &self.problem {
            Some(reason) => Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::unusable(&self.manifest.id, &reason.text),
            )),
            None => Ok(()),
        }
    }

    pub fn info(&self) -> PackInfo {
        let m = &self.manifest;
        PackInfo {
            id: m.id.clone(),
            name: m.name.clone(),
            version: m.version().to_string(),
            category: m.category.clone(),
            description: m.description.clone(),
            author: m.author.clone(),
            level: m.level.clone(),
            kind: if m.is_app() { "app" } else { "knowledge" }.to_string(),
            runner: m.runner.as_ref().map(|r| r.name().to_string()),
            source: self.source.id().to_string(),
            source_label: self.source.label(),
            signer: self.signer.clone(),
            path: self.folder().map(|p| p.display().to_string()),
            problem: self.problem.as_ref().map(|m| m.text.clone()),
        }
    }
}

fn builtin_files(list: &[(&str, &[u8])]) -> PackFiles {
    PackFiles {
        files: list
            .iter()
            .map(|(name, bytes)| ((*name).to_string(), bytes.to_vec()))
            .collect(),
    }
}

/// The built-in packs, read once through the pack loader.
pub fn builtin() -> Result<&'static [Pack]> {
    static PACKS: OnceLock<std::result::Result<Vec<Pack>, AppError>> = OnceLock::new();
    PACKS
        .get_or_init(|| {
            BUILTIN_PACKS
                .iter()
                .map(|(label, list)| {
                    let (_, manifest) = files::checked(builtin_files(list), Path::new(label))?;
                    Ok(Pack {
                        manifest,
                        source: Source::Builtin,
                        location: Location::Builtin(list),
                        signer: None,
                        problem: None,
                    })
                })
                .collect()
        })
        .as_deref()
        .map_err(Clone::clone)
}

/// One file of a built-in pack, by the pack's id.
pub fn builtin_file(id: &str, name: &str) -> Option<&'static str> {
    builtin()
        .ok()?
        .iter()
        .find(|p| p.manifest.id == id)
        .and_then(|p| match p.location {
            Location::Builtin(list) => list
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok()),
            Location::Folder(_) => None,
        })
}

/// The sub-folders of `dir` that hold a manifest, sorted.
fn pack_folders(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut folders: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("manifest.toml").is_file())
        .collect();
    folders.sort();
    folders
}

/// What this desktop trusts, decided once per look at the packs.
struct Trust {
    keys: Vec<TrustedKey>,
    allow_unsigned: bool,
    /// The managed folder's index, when it has one that holds; `Err`: why it does not.
    index: Option<std::result::Result<Index, Message>>,
}

impl Wenshu {
    /// The folder IT pushes packs into: the policy's `managed_packs`, else `kb.managed_packs`,
    /// else `packs/` in the data directory.
    pub fn managed_packs_dir(&self) -> PathBuf {
        if let Some(dir) = self.policy().and_then(|p| p.policy.managed_packs.clone()) {
            return PathBuf::from(dir);
        }
        let configured = &self.settings().kb.managed_packs;
        if configured.is_empty() {
            self.home().data_dir.join("packs")
        } else {
            PathBuf::from(configured)
        }
    }

    /// The folder of packs installed here.
    pub fn user_packs_dir(&self) -> PathBuf {
        self.home().data_dir.join(USER_PACKS)
    }

    /// The keys packs may be signed with, after any rotation the managed folder's signed key
    /// list made, and whether unsigned packs are allowed.
    fn trust(&self) -> Result<Trust> {
        let (base, allow_unsigned) = match self.policy() {
            Some(p) => (p.policy.keys(), p.policy.allow_unsigned),
            None => {
                let settings = self.settings();
                let keys = settings
                    .packs
                    .key_lines()
                    .iter()
                    .filter_map(|k| TrustedKey::parse(k).ok())
                    .collect();
                (keys, settings.packs.allow_unsigned)
            }
        };
        let keys = self.rotated_keys(base)?;
        let index = self.managed_index(&keys)?;
        Ok(Trust {
            keys,
            allow_unsigned,
            index,
        })
    }

    /// The trusted keys: the last key list accepted, or `base`. A newer key list in the
    /// managed folder, signed by a key trusted now, replaces them.
    fn rotated_keys(&self, base: Vec<TrustedKey>) -> Result<Vec<TrustedKey>> {
        let stored = self.store().setting("packs.key_list")?;
        let mut keys = match &stored {
            Some(text) => toml::from_str::<KeyList>(text)
                .ok()
                .map(|list| {
                    list.keys
                        .iter()
                        .filter_map(|k| TrustedKey::parse(k).ok())
                        .collect()
                })
                .unwrap_or(base),
            None => base,
        };
        let dir = self.managed_packs_dir();
        let (list_path, sig_path) = (
            dir.join(KEYS_FILE),
            dir.join(format!("{KEYS_FILE}.minisig")),
        );
        let (Ok(text), Ok(signature)) = (
            std::fs::read_to_string(&list_path),
            std::fs::read_to_string(&sig_path),
        ) else {
            return Ok(keys);
        };
        if stored.as_deref() == Some(text.as_str()) {
            return Ok(keys);
        }
        // A list that does not hold changes nothing; packs it would have trusted fail.
        if let Ok((list, rotated)) = KeyList::verified(&text, &signature, &keys) {
            let highest = self.store().signed_sequence("keys")?;
            if highest.is_some_and(|h| list.sequence <= h) {
                // An old list played back: the keys stay as they are.
                return Ok(keys);
            }
            self.store()
                .set_signed_sequence("keys", list.sequence, self.now())?;
            self.store().set_setting("packs.key_list", &text)?;
            keys = rotated;
        }
        Ok(keys)
    }

    /// The managed folder's signed index, if it has one: `Ok(Err(reason))` when it does not
    /// hold or is older than one accepted before.
    fn managed_index(
        &self,
        keys: &[TrustedKey],
    ) -> Result<Option<std::result::Result<Index, Message>>> {
        let dir = self.managed_packs_dir();
        let path = dir.join(INDEX_FILE);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(None);
        };
        let signature =
            std::fs::read_to_string(dir.join(format!("{INDEX_FILE}.minisig"))).unwrap_or_default();
        let index = match Index::verified(&text, &signature, keys) {
            Ok(index) => index,
            Err(err) => {
                return Ok(Some(Err(msg::bad_list(path.display(), err))));
            }
        };
        let highest = self.store().signed_sequence("index")?;
        if let Some(highest) = highest
            && index.sequence < highest
        {
            return Ok(Some(Err(msg::index_replayed(index.sequence, highest))));
        }
        if highest != Some(index.sequence) {
            self.store()
                .set_signed_sequence("index", index.sequence, self.now())?;
        }
        Ok(Some(Ok(index)))
    }

    /// Decides whether a pack from outside the binary may be used: its signature, the
    /// managed index, and the highest version seen. `None`: it may.
    fn judge(
        &self,
        trust: &Trust,
        files: &PackFiles,
        manifest: &Manifest,
        source: Source,
        label: &str,
    ) -> Result<(Option<String>, Option<Message>)> {
        let mut signer = None;
        let signed = files.files.contains_key(SIGNATURE_FILE);
        if signed {
            match wenshu_packs::sign::verify_pack(files, manifest, &trust.keys) {
                Ok(key) => signer = Some(key),
                Err(err) => return Ok((None, Some(files::signature_message(label, err)))),
            }
        } else {
            let trusted_by_folder = source == Source::Managed && !manifest.is_app();
            if !trusted_by_folder && !trust.allow_unsigned {
                return Ok((None, Some(msg::unsigned(label))));
            }
        }
        if source == Source::Managed {
            match &trust.index {
                Some(Ok(index)) if !index.lists(manifest, files) => {
                    return Ok((signer, Some(msg::not_in_index(label))));
                }
                Some(Err(reason)) => return Ok((signer, Some(reason.clone()))),
                _ => {}
            }
        }
        let version = manifest.version();
        match self
            .store()
            .pack_version(&manifest.id)?
            .as_deref()
            .and_then(Version::parse)
        {
            Some(highest) if version < highest => {
                return Ok((signer, Some(msg::rollback(label, version, highest))));
            }
            Some(highest) if version == highest => {}
            _ => self
                .store()
                .set_pack_version(&manifest.id, &version.to_string(), self.now())?,
        }
        Ok((signer, None))
    }

    fn read_source(&self, trust: &Trust, dir: &Path, source: Source) -> Vec<Pack> {
        pack_folders(dir)
            .into_iter()
            .map(|folder| {
                let label = folder.display().to_string();
                match read_pack(&folder) {
                    Ok((files, manifest)) => {
                        let (signer, problem) = self
                            .judge(trust, &files, &manifest, source, &label)
                            .unwrap_or_else(|err| (None, Some(err.to_message())));
                        Ok(Pack {
                            manifest,
                            source,
                            location: Location::Folder(folder),
                            signer,
                            problem,
                        })
                    }
                    Err(err) => Err(err),
                }
            })
            // A folder that is not a pack at all is named by `packs_problems`, not listed.
            .filter_map(std::result::Result::ok)
            .collect()
    }

    /// Every pack on this desktop: built in, then managed, then installed here. A pack id that
    /// an earlier source has is not taken again.
    pub fn packs(&self) -> Result<Vec<Pack>> {
        let trust = self.trust()?;
        let mut out: Vec<Pack> = builtin()?.to_vec();
        let mut sources = vec![(self.managed_packs_dir(), Source::Managed)];
        if let Some(dir) = self
            .policy()
            .and_then(|p| p.policy.managed_knowledge.clone())
        {
            sources.push((PathBuf::from(dir), Source::Managed));
        }
        sources.push((self.user_packs_dir(), Source::User));
        for (dir, source) in sources {
            for pack in self.read_source(&trust, &dir, source) {
                if !out.iter().any(|p| p.manifest.id == pack.manifest.id) {
                    out.push(pack);
                }
            }
        }
        Ok(out)
    }

    /// One pack by id.
    pub fn pack(&self, id: &str) -> Result<Pack> {
        self.packs()?
            .into_iter()
            .find(|p| p.manifest.id == id)
            .ok_or_else(|| AppError::of(ErrorCode::NotFound, msg::not_installed(id)))
    }

    /// `wenshu packs list`: every pack, with the policy's warnings.
    pub fn pack_list(&self) -> Result<PackList> {
        Ok(PackList {
            packs: self.packs()?.iter().map(Pack::info).collect(),
            warnings: self.policy_warnings().into_iter().map(|m| m.text).collect(),
        })
    }

    /// Installs the pack at `path` (a folder or a `.wpk` archive) for this user.
    pub fn install_pack(&self, path: &Path) -> Result<PackChange> {
        self.put_pack(path, false)
    }

    /// Replaces an installed pack with a newer version from `path`.
    pub fn update_pack(&self, path: &Path) -> Result<PackChange> {
        self.put_pack(path, true)
    }

    fn put_pack(&self, path: &Path, update: bool) -> Result<PackChange> {
        let (files, manifest) = read_pack(path)?;
        let id = manifest.id.clone();
        let label = path.display().to_string();
        let existing = self.packs()?.into_iter().find(|p| p.manifest.id == id);
        let previous = match &existing {
            Some(p) if p.source != Source::User => {
                return Err(AppError::of(
                    ErrorCode::AlreadyExists,
                    msg::shadows(&id, p.source.label()),
                ));
            }
            Some(p) if !update => {
                return Err(AppError::of(
                    ErrorCode::AlreadyExists,
                    msg::already_installed(&id, p.manifest.version()),
                ));
            }
            Some(p) => {
                if manifest.version() <= p.manifest.version() {
                    return Err(AppError::of(
                        ErrorCode::InvalidInput,
                        msg::not_newer(&id, manifest.version(), p.manifest.version()),
                    ));
                }
                Some(p.manifest.version().to_string())
            }
            None if update => {
                return Err(AppError::of(ErrorCode::NotFound, msg::not_installed(&id)));
            }
            None => None,
        };
        let trust = self.trust()?;
        let (signer, problem) = self.judge(&trust, &files, &manifest, Source::User, &label)?;
        if let Some(problem) = problem {
            return Err(AppError::of(ErrorCode::InvalidInput, problem));
        }
        let dir = self.user_packs_dir();
        let target = dir.join(&id);
        let staging = dir.join(format!(".{id}.{}.new", std::process::id()));
        let write_error =
            |p: &Path, err: std::io::Error| AppError::io_of(msg::cannot_write(p.display()), &err);
        std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, e))?;
        let _ = std::fs::remove_dir_all(&staging);
        files.write_to(&staging).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            write_error(&staging, e)
        })?;
        if target.exists() {
            let old = dir.join(format!(".{id}.{}.old", std::process::id()));
            std::fs::rename(&target, &old).map_err(|e| write_error(&target, e))?;
            if let Err(err) = std::fs::rename(&staging, &target) {
                // Put the installed version back: nothing stored is lost.
                let _ = std::fs::rename(&old, &target);
                let _ = std::fs::remove_dir_all(&staging);
                return Err(write_error(&target, err));
            }
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&staging, &target).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staging);
                write_error(&target, e)
            })?;
        }
        self.store()
            .set_pack_version(&id, &manifest.version().to_string(), self.now())?;
        let pack = Pack {
            manifest,
            source: Source::User,
            location: Location::Folder(target),
            signer,
            problem: None,
        };
        self.after_pack_change(&pack);
        let change = PackChange {
            pack: pack.info(),
            previous,
        };
        self.record_pack_change(wenshu_core::EntryKind::PackInstall, &change)?;
        Ok(change)
    }

    /// Removes a pack installed here; built-in and managed packs stay.
    pub fn remove_pack(&self, id: &str) -> Result<PackChange> {
        let pack = self.pack(id)?;
        if pack.source != Source::User {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::cannot_remove(id, pack.source.label()),
            ));
        }
        if let Some(folder) = pack.folder() {
            std::fs::remove_dir_all(folder)
                .map_err(|err| AppError::io_of(msg::cannot_write(folder.display()), &err))?;
        }
        self.after_pack_change(&pack);
        let change = PackChange {
            pack: pack.info(),
            previous: None,
        };
        self.record_pack_change(wenshu_core::EntryKind::PackRemove, &change)?;
        Ok(change)
    }

    /// A pack with knowledge documents changes what the index should hold.
    fn after_pack_change(&self, pack: &Pack) {
        if !pack.manifest.is_app() || pack.folder().is_some_and(|f| f.join("knowledge").is_dir()) {
            self.kb_packs_changed();
        }
    }
}
