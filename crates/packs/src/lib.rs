//! Packs: the one format of Wenshu's apps and knowledge. A pack is a folder, or one archive
//! file, holding a `manifest.toml` (what it is, what runs it, the form it asks for), prompt
//! templates, examples, a schema for structured output and knowledge documents, and the
//! signature IT puts on it. This crate reads packs without trusting them, checks signatures
//! and reads the admin policy; `wenshu-app` decides what may run.

pub mod files;
pub mod manifest;
pub mod policy;
pub mod sign;
pub mod template;
pub mod version;

pub use files::{FilesError, PackFiles, SIGNATURE_FILE};
pub use manifest::{Field, FieldKind, Manifest, ManifestError, Output, Runner};
pub use policy::{LEVELS, Limits, Policy, PolicyError, ServerRule, level_rank};
pub use sign::{Index, IndexEntry, KeyList, KeyPairText, SignError, TrustedKey};
pub use template::TemplateError;
pub use version::Version;
