//! Compiles the built-in packs into the binary: every folder of `prompts/apps/` and the
//! knowledge guide in `knowledge/guide/`, file by file, so that built-in apps are read through
//! the same pack loader as a pack IT pushes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_else(|| panic!("{} is not UTF-8", path.display()))
            .to_string();
        if name.starts_with('.') {
            continue;
        }
        let name = format!("{prefix}{name}");
        if path.is_dir() {
            files(&path, &format!("{name}/"), out);
        } else {
            out.push((name, path));
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root");
    let apps = root.join("prompts/apps");
    let guide = root.join("knowledge/guide");
    println!("cargo:rerun-if-changed={}", apps.display());
    println!("cargo:rerun-if-changed={}", guide.display());
    let mut folders: Vec<(String, PathBuf)> = std::fs::read_dir(&apps)
        .expect("prompts/apps")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let label = format!(
                "prompts/apps/{}",
                p.file_name().and_then(|n| n.to_str()).expect("UTF-8 name")
            );
            (label, p)
        })
        .collect();
    folders.sort();
    folders.insert(0, ("knowledge/guide".to_string(), guide));
    let mut code = String::from(
        "/// The built-in packs: (folder, [(file name, bytes)]).\n\
         pub(crate) static BUILTIN_PACKS: &[(&str, BuiltinFiles)] = &[\n",
    );
    for (label, dir) in folders {
        let mut list = Vec::new();
        files(&dir, "", &mut list);
        writeln!(code, "    ({label:?}, &[").expect("write");
        for (name, path) in list {
            writeln!(
                code,
                "        ({name:?}, include_bytes!({:?})),",
                path.display().to_string()
            )
            .expect("write");
        }
        code.push_str("    ]),\n");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_packs.rs");
    std::fs::write(out, code).expect("write builtin_packs.rs");
}
