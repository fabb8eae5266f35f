//! The cost of apps as packs, in one run:
//! - time to the first streamed token of the 通知 app (`run_app("draft.circular")`, the pack
//!   path: the catalogue read, the pack's trust decided, its form checked) against `draft()` on
//!   the same input, the reference; alternated, the model loaded once, prompt reuse off so that
//!   neither run starts from the other's cache;
//! - installing and verifying a signed 1 MB and a 50 MB pack;
//! - loading the catalogue with 200 signed packs installed, against the built-in packs alone.
//!
//! `cargo run --release -p wenshu-app --example packs_bench [-- MODEL.gguf]`; one JSON document
//! on stdout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use wenshu_app::draft::DraftEvent;
use wenshu_app::{Cancel, DraftRequest, Home, ImportMode, Wenshu};
use wenshu_core::document::DocType;

const ROUNDS: usize = 7;
const FACTS: &str = "2024年6月1日起全市进入汛期。各区要在5月31日前完成隐患排查。";

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn open(home: &Path, env: &[(String, String)]) -> Result<Wenshu, Box<dyn std::error::Error>> {
    Ok(Wenshu::open(Home::at(home), env)?)
}

/// Milliseconds from the call to the first streamed text, then stopped.
fn first_token(run: impl FnOnce(&Cancel, &mut dyn FnMut()) -> bool) -> f64 {
    let cancel = Cancel::new();
    let started = Instant::now();
    let mut first = None;
    let stopped = run(&cancel, &mut || {
        if first.is_none() {
            first = Some(started.elapsed().as_secs_f64() * 1000.0);
            cancel.cancel();
        }
    });
    assert!(stopped, "the run streamed text and stopped");
    first.expect("a first token")
}

fn first_tokens(model: &Path, work: &Path) -> Result<(f64, f64), Box<dyn std::error::Error>> {
    let env = vec![
        (
            "WENSHU_MODEL__REUSE_PROMPT".to_string(),
            "false".to_string(),
        ),
        (
            "WENSHU_GENERATION__TEMPERATURE".to_string(),
            "0".to_string(),
        ),
    ];
    let wenshu = open(&work.join("first-token"), &env)?;
    wenshu.import_model(model, Some("bench"), ImportMode::Symlink)?;
    let request = DraftRequest {
        doc_type: Some(DocType::Circular),
        issuer: "某某市人民政府办公室".into(),
        topic: "做好2024年防汛工作".into(),
        addressees: vec!["各区人民政府".into()],
        facts: Some(FACTS.into()),
        ..DraftRequest::default()
    };
    let inputs: BTreeMap<String, String> = [
        ("issuer", "某某市人民政府办公室"),
        ("topic", "做好2024年防汛工作"),
        ("addressees", "各区人民政府"),
        ("facts", FACTS),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let draft = |w: &Wenshu| {
        first_token(|cancel, on_text| {
            w.draft(&request, cancel, &mut |e| {
                if matches!(e, DraftEvent::Text(_)) {
                    on_text();
                }
            })
            .is_err()
        })
    };
    let app = |w: &Wenshu| {
        first_token(|cancel, on_text| {
            w.run_app("draft.circular", &inputs, None, cancel, &mut |e| {
                if matches!(e, wenshu_app::apps::AppEvent::Text(_)) {
                    on_text();
                }
            })
            .is_err()
        })
    };
    // Loads the model and warms the caches of both paths.
    draft(&wenshu);
    app(&wenshu);
    let (mut drafts, mut apps) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        if round % 2 == 0 {
            drafts.push(draft(&wenshu));
            apps.push(app(&wenshu));
        } else {
            apps.push(app(&wenshu));
            drafts.push(draft(&wenshu));
        }
    }
    Ok((median(drafts), median(apps)))
}

/// A chat pack of `bytes` bytes of data (in 1 MB files), signed into `archive`.
fn big_pack(dir: &Path, id: &str, bytes: usize, key: &Path, archive: &Path) {
    let folder = dir.join(id);
    std::fs::create_dir_all(folder.join("data")).expect("mkdir");
    std::fs::write(
        folder.join("manifest.toml"),
        format!("id = \"{id}\"\nname = \"基准\"\nversion = \"1.0.0\"\nlevel = \"内部\"\nrunner = {{ kind = \"chat\" }}\n"),
    )
    .expect("manifest");
    let mut left = bytes;
    let mut n = 0;
    let mut state = 0x9e37_79b9_u32;
    while left > 0 {
        let size = left.min(1 << 20);
        // Data that does not compress, as a real pack's documents and images would not.
        let block: Vec<u8> = (0..size)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state.to_le_bytes()[0]
            })
            .collect();
        std::fs::write(folder.join(format!("data/{n:03}.bin")), block).expect("data");
        left -= size;
        n += 1;
    }
    wenshu_app::packs::sign_pack(&folder, key, Some(archive)).expect("sign");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/wenshu/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
        });
    let work = std::env::temp_dir().join(format!("wenshu-packs-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let keys = wenshu_app::packs::keygen(&work.join("keys"))?;
    let secret = PathBuf::from(&keys.secret_key);
    let trusted = vec![(
        "WENSHU_PACKS__TRUSTED_KEYS".to_string(),
        keys.public_line.clone(),
    )];

    let (draft_ms, app_ms) = first_tokens(&model, &work)?;

    // Install and verify.
    let mut sizes = Vec::new();
    for (label, bytes) in [("1MB", 1usize << 20), ("50MB", 50 << 20)] {
        let archive = work.join(format!("pack-{label}.wpk"));
        big_pack(
            &work.join("src"),
            &format!("bench-{}", label.to_lowercase()),
            bytes,
            &secret,
            &archive,
        );
        let (mut installs, mut verifies) = (Vec::new(), Vec::new());
        for round in 0..5 {
            let home = work.join(format!("install-{label}-{round}"));
            let wenshu = open(&home, &trusted)?;
            let started = Instant::now();
            wenshu.install_pack(&archive)?;
            installs.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            wenshu_app::packs::verify_pack(&archive, &[PathBuf::from(&keys.public_key)])?;
            verifies.push(started.elapsed().as_secs_f64() * 1000.0);
            std::fs::remove_dir_all(&home)?;
        }
        sizes.push(serde_json::json!({
            "pack": label,
            "archive_bytes": std::fs::metadata(&archive)?.len(),
            "install_ms": median(installs),
            "verify_ms": median(verifies),
        }));
    }

    // The catalogue with 200 packs installed, against the built-in ones alone.
    let home = work.join("catalogue");
    let wenshu = open(&home, &trusted)?;
    let builtin_ms = median(
        (0..ROUNDS)
            .map(|_| {
                let started = Instant::now();
                let apps = wenshu.apps().expect("catalogue");
                assert!(apps.len() >= 23);
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    );
    for n in 0..200 {
        let id = format!("office.app-{n:03}");
        let folder = work.join("many").join(&id);
        std::fs::create_dir_all(folder.join("prompts"))?;
        std::fs::write(
            folder.join("manifest.toml"),
            format!(
                "id = \"{id}\"\nname = \"应用{n}\"\nversion = \"1.0.0\"\nlevel = \"内部\"\ncategory = \"综合办公\"\nrunner = {{ kind = \"chat\" }}\n\n[[fields]]\nkey = \"topic\"\nlabel = \"事由\"\nkind = \"text\"\n"
            ),
        )?;
        std::fs::write(
            folder.join("prompts/system.j2"),
            "你是{{ topic }}方面的助手。",
        )?;
        wenshu_app::packs::sign_pack(&folder, &secret, None)?;
        wenshu.install_pack(&folder)?;
    }
    let mut counted = 0;
    let with_200_ms = median(
        (0..ROUNDS)
            .map(|_| {
                let started = Instant::now();
                counted = wenshu.apps().expect("catalogue").len();
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    );
    // A desktop opening: a fresh Wenshu, then the catalogue.
    let fresh_ms = median(
        (0..ROUNDS)
            .map(|_| {
                let started = Instant::now();
                let w = open(&home, &trusted).expect("open");
                w.apps().expect("catalogue");
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    );
    std::fs::remove_dir_all(&work)?;
    let report = serde_json::json!({
        "model": model.display().to_string(),
        "first_token": {
            "rounds": ROUNDS,
            "draft_ms_median": draft_ms,
            "apps_run_ms_median": app_ms,
            "overhead_percent": (app_ms / draft_ms - 1.0) * 100.0,
        },
        "install": sizes,
        "catalogue": {
            "apps": counted,
            "builtin_only_ms": builtin_ms,
            "with_200_packs_ms": with_200_ms,
            "open_and_load_with_200_packs_ms": fresh_ms,
        },
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
