//! Minutes and summaries with the real default model: known decisions kept with their owners,
//! deadlines and lines; an owner the lines do not give left for a person to confirm; inputs far
//! beyond the context (a transcript of 20,000 tokens, a PDF of 100 pages) completed with every
//! citation pointing at a real line or page; a stopped run resumed without redoing a piece.

#[path = "../../../tests/support/meeting.rs"]
mod meeting;
#[path = "../../../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wenshu_app::api::{Minutes, MinutesRequest, SummaryLength, SummaryRequest};
use wenshu_app::{Cancel, ErrorCode, Home, ImportMode, LongEvent, Wenshu};

fn open(dir: &Path, extra: &[(&str, &str)]) -> Wenshu {
    let mut env = vec![
        ("WENSHU_MODEL__THREADS".to_string(), "1".to_string()),
        ("WENSHU_LONG__ANSWER_TOKENS".to_string(), "256".to_string()),
    ];
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let wenshu = Wenshu::open(Home::at(dir), &env)
        .expect("a fresh home opens")
        .with_clock(Arc::new(|| 1_710_900_000_000));
    wenshu
        .import_model(
            &support::default_model(),
            Some("default"),
            ImportMode::Symlink,
        )
        .expect("the default model imports");
    wenshu
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/minutes")
        .join(name)
}

fn minutes(wenshu: &Wenshu, request: &MinutesRequest) -> Minutes {
    wenshu
        .minutes(request, &Cancel::new(), &mut |_| {})
        .expect("minutes are made")
}

fn of_file(path: &Path) -> MinutesRequest {
    MinutesRequest {
        files: vec![path.display().to_string()],
        ..MinutesRequest::default()
    }
}

/// The decisions of `five-decisions.txt`: owner, deadline and line.
const FIVE: [(&str, &str, u32); 5] = [
    ("信息中心", "6月30日", 10),
    ("政务服务处", "4月15日", 13),
    ("安全管理处", "5月31日", 17),
    ("办公室", "3月20日", 19),
    ("陈静", "年底", 21),
];

#[test]
fn five_known_decisions_keep_their_owners_deadlines_and_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = open(dir.path(), &[]);
    let path = fixture("five-decisions.txt");
    let m = minutes(&wenshu, &of_file(&path));
    let transcript = std::fs::read_to_string(&path).expect("fixture");
    let lines: Vec<&str> = transcript.lines().collect();
    for (owner, deadline, line) in FIVE {
        let d = m
            .decisions
            .iter()
            .find(|d| d.owner.text == owner)
            .unwrap_or_else(|| panic!("no decision for {owner}: {:#?}", m.decisions));
        assert!(d.owner.confirmed && d.deadline.confirmed, "{d:#?}");
        assert!(d.deadline.text.contains(deadline), "{d:#?}");
        let (first, last) = d.source.lines.expect("lines");
        assert!(
            (first..=last).contains(&line),
            "{owner}: lines {first}-{last}, not {line}"
        );
        // The cited lines say the owner and the deadline.
        let cited = lines[first as usize - 1..last as usize].join("");
        assert!(cited.contains(owner) && cited.contains(deadline), "{cited}");
    }
    // The fields come from the header lines; the DOCX and Markdown carry them.
    assert_eq!(m.fields.chair.as_deref(), Some("王建国"));
    assert_eq!(m.document.doc_type, "纪要");
    assert_eq!(m.document.title, "市政务服务数据管理局局长办公会议纪要");
    assert!(m.document.attendance.iter().any(|a| a.label == "出席"));
    assert!(m.markdown.contains("第10行"), "{}", m.markdown);
    let doc = wenshu_app::minutes::minutes_document(&m).expect("document");
    let docx = dir.path().join("minutes.docx");
    wenshu
        .export_document(&doc, &docx, "minutes", &m.level)
        .expect("DOCX");
    let back = wenshu_app::check::check_document(&docx).expect("reads back");
    assert!(back.text.contains("出席：王建国"), "{}", back.text);
}

#[test]
fn an_owner_the_lines_do_not_give_is_left_to_confirm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = open(dir.path(), &[]);
    let request = MinutesRequest {
        text: Some(
            "王局长：下面说一下推进会的事。\n李处长：推进会的材料已经准备好了。\n\
             王局长：会议决定下个月召开全市推进会。\n李处长：好的。"
                .to_string(),
        ),
        ..MinutesRequest::default()
    };
    let m = minutes(&wenshu, &request);
    let d = m
        .decisions
        .iter()
        .find(|d| d.text.contains("推进会"))
        .unwrap_or_else(|| panic!("the decision is kept: {:#?}", m.decisions));
    assert!(!d.owner.confirmed, "{d:#?}");
    assert_eq!(d.owner.text, "待确认");
    assert!(m.markdown.contains("待确认"));
    assert!(m.skipped.is_empty(), "speakers are named: {:?}", m.skipped);
}

#[test]
fn a_stopped_run_resumes_without_redoing_a_piece_and_gives_the_same_minutes() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Small pieces: the short transcript takes several.
    let wenshu = open(dir.path(), &[("WENSHU_LONG__PIECE_TOKENS", "256")]);
    let request = of_file(&fixture("five-decisions.txt"));
    let whole = minutes(&wenshu, &request);
    assert!(whole.stats.pieces >= 3, "{:?}", whole.stats);

    // Stopped once the first piece is done.
    let cancel = Cancel::new();
    let stopped = wenshu.minutes(&request, &cancel, &mut |event| {
        if let LongEvent::Progress { done: 1, .. } = event {
            cancel.cancel();
        }
    });
    let err = stopped.expect_err("the run stops");
    assert_eq!(err.code, ErrorCode::Cancelled, "{err:?}");
    assert!(err.message.contains("--resume"), "{}", err.message);

    let resumed_request = MinutesRequest {
        resume: true,
        ..request.clone()
    };
    let mut computed = 0;
    let resumed = wenshu
        .minutes(&resumed_request, &Cancel::new(), &mut |event| {
            if let LongEvent::Text(_) = event {
                computed += 1;
            }
        })
        .expect("the run resumes");
    assert_eq!(resumed.stats.resumed, 1, "{:?}", resumed.stats);
    assert!(computed > 0);
    assert_eq!(resumed.decisions, whole.decisions);
    assert_eq!(resumed.overview, whole.overview);
    assert_eq!(resumed.markdown, whole.markdown);
}

#[test]
fn a_transcript_of_twenty_thousand_tokens_completes_with_real_citations() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = open(
        dir.path(),
        &[
            ("WENSHU_MODEL__CONTEXT_TOKENS", "4096"),
            ("WENSHU_LONG__PIECE_TOKENS", "3000"),
            ("WENSHU_MODEL__THREADS", "2"),
        ],
    );
    // Over an hour of meeting: 460 lines of about 50 tokens, a decision every 80 turns.
    let (text, planted) = meeting::meeting(460, 80);
    let path = dir.path().join("meeting.txt");
    std::fs::write(&path, &text).expect("write");
    let mut seen_total = 0;
    let m = wenshu
        .minutes(&of_file(&path), &Cancel::new(), &mut |event| {
            if let LongEvent::Progress { total, .. } = event {
                seen_total = seen_total.max(total);
            }
        })
        .expect("minutes of a long meeting");
    assert!(m.stats.input_tokens >= 20_000, "{:?}", m.stats);
    assert!(
        m.stats.pieces >= 6 && seen_total >= m.stats.pieces,
        "{:?}",
        m.stats
    );
    assert!(m.stats.peak_rss_bytes.is_some_and(|b| b > 0));
    let lines: Vec<&str> = text.lines().collect();
    let exists =
        |n: u32| n >= 1 && (n as usize) <= lines.len() && !lines[n as usize - 1].is_empty();
    for d in &m.decisions {
        let (a, b) = d.source.lines.expect("lines");
        assert!(exists(a) && exists(b) && a <= b, "{d:#?}");
    }
    for p in m.requirements.iter().chain(&m.speeches) {
        for s in &p.sources {
            let (a, b) = s.lines.expect("lines");
            assert!(exists(a) && exists(b), "{p:#?}");
        }
    }
    assert!(planted.len() >= 5);
    for p in planted {
        assert!(
            m.decisions.iter().any(|d| d.owner.text == p.owner
                && d.deadline.text == p.deadline
                && d.source
                    .lines
                    .is_some_and(|(a, b)| (a..=b).contains(&p.line))),
            "the decision on line {} ({}) is kept: {:#?}",
            p.line,
            p.owner,
            m.decisions
        );
    }
    eprintln!(
        "20k-token transcript: {} tokens, {} pieces, {} levels, {} ms, peak RSS {} MiB",
        m.stats.input_tokens,
        m.stats.pieces,
        m.stats.levels,
        m.stats.milliseconds,
        m.stats.peak_rss_bytes.unwrap_or(0) >> 20
    );
}

#[test]
fn a_pdf_of_a_hundred_pages_is_summarised_citing_real_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = open(
        dir.path(),
        &[
            ("WENSHU_MODEL__CONTEXT_TOKENS", "4096"),
            ("WENSHU_LONG__PIECE_TOKENS", "3000"),
        ],
    );
    let pdf = meeting::hundred_page_pdf(dir.path());
    let request = SummaryRequest {
        files: vec![pdf.display().to_string()],
        length: SummaryLength::Short,
        ..SummaryRequest::default()
    };
    let s = wenshu
        .summarize(&request, &Cancel::new(), &mut |_| {})
        .expect("a summary of 100 pages");
    assert!(!s.summary.is_empty() && !s.points.is_empty(), "{s:#?}");
    assert!(s.points.len() <= 3, "{:#?}", s.points);
    assert!(s.stats.pieces >= 2 && s.stats.levels >= 1, "{:?}", s.stats);
    assert!(s.stats.peak_rss_bytes.is_some_and(|b| b > 0));
    for p in &s.points {
        assert!(!p.sources.is_empty(), "{p:#?}");
        for source in &p.sources {
            let (a, b) = source.pages.expect("pages");
            assert!((1..=105).contains(&a) && (a..=105).contains(&b), "{p:#?}");
        }
    }
    eprintln!(
        "100-page PDF: {} tokens, {} pieces, {} levels, {} ms, peak RSS {} MiB",
        s.stats.input_tokens,
        s.stats.pieces,
        s.stats.levels,
        s.stats.milliseconds,
        s.stats.peak_rss_bytes.unwrap_or(0) >> 20
    );
}

#[test]
fn bad_transcripts_are_refused_or_read_as_far_as_they_go() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = open(dir.path(), &[]);
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        path
    };
    let refused = |path: &Path| {
        wenshu
            .minutes(&of_file(path), &Cancel::new(), &mut |_| {})
            .expect_err("refused")
    };
    let empty = refused(&file("empty.txt", b""));
    assert_eq!(empty.code, ErrorCode::InvalidInput);
    assert!(
        empty.message.contains("empty.txt") && empty.message.contains("空"),
        "{}",
        empty.message
    );
    let gbk = refused(&file(
        "gbk.txt",
        &[0xbb, 0xe1, 0xd2, 0xe9, 0xbc, 0xc7, 0xd2, 0xaa],
    ));
    assert!(
        gbk.message.contains("gbk.txt") && gbk.message.contains("UTF-8"),
        "{}",
        gbk.message
    );
    let blank = refused(&file("blank.srt", b"\n\n  \n"));
    assert!(
        blank.message.contains("blank.srt") && blank.message.contains("没有文字"),
        "{}",
        blank.message
    );
    let odd = refused(&file("notes.pdf", b"%PDF-1.4"));
    assert!(odd.message.contains("notes.pdf"), "{}", odd.message);
    let huge = dir.path().join("huge.txt");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(500 << 20))
        .expect("a sparse 500 MB file");
    let big = refused(&huge);
    assert!(
        big.message.contains("huge.txt") && big.message.contains("MB"),
        "{}",
        big.message
    );

    // Broken timestamps and no speakers: minutes all the same, saying what was skipped.
    let srt = file(
        "broken.srt",
        "1\n00:00:01,000 --> 00:00:03,000\n会议决定由信息中心负责平台对接，6月30日前完成。\n\n\
         2\n00:00:0x,000 --> 00:00:05,000\n各处室要按时报送进展情况。\n"
            .as_bytes(),
    );
    let m = minutes(&wenshu, &of_file(&srt));
    assert!(
        m.skipped
            .iter()
            .any(|s| s.contains("第 6 行") && s.contains("时间码")),
        "{:?}",
        m.skipped
    );
    assert!(
        m.skipped.iter().any(|s| s.contains("发言人")),
        "{:?}",
        m.skipped
    );
    assert!(
        m.decisions.iter().any(|d| d.owner.text == "信息中心"),
        "{:#?}",
        m.decisions
    );
}
