//! A made-up meeting of any length, for the tests and the benchmark of long inputs: turns by
//! five people on four topics, with decisions (an owner and a deadline each) at known lines.
#![allow(dead_code)]

/// A decision planted in the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    /// Its line, from 1.
    pub line: u32,
    pub owner: &'static str,
    /// As written, e.g. 4月10日前.
    pub deadline: String,
}

const PEOPLE: [&str; 5] = ["王建国", "李明", "张华", "陈静", "刘洋"];
const TOPICS: [&str; 4] = ["数据共享平台", "一网通办", "安全检查", "适老化改造"];
const OWNERS: [&str; 8] = [
    "信息中心",
    "政务服务处",
    "安全管理处",
    "办公室",
    "规划处",
    "法规处",
    "财务处",
    "人事处",
];

/// A transcript of at least `lines` lines (a header, then turns), with a decision every
/// `every` turns.
pub fn meeting(lines: usize, every: usize) -> (String, Vec<Planted>) {
    let mut out = vec![
        "会议名称：市政务服务数据管理局专题会议".to_string(),
        "时间：2024年3月5日".to_string(),
        "主持人：王建国".to_string(),
        String::new(),
    ];
    let mut planted = Vec::new();
    let mut turn = 0usize;
    while out.len() < lines {
        let topic = TOPICS[(turn / 40) % TOPICS.len()];
        let speaker = PEOPLE[turn % PEOPLE.len()];
        if turn % every == every / 2 {
            let n = planted.len();
            let owner = OWNERS[n % OWNERS.len()];
            let deadline = format!("{}月{}日前", 4 + n % 8, 10 + n % 18);
            out.push(format!(
                "王建国：{topic}第{turn}项任务由{owner}负责，{deadline}完成。"
            ));
            planted.push(Planted {
                line: out.len() as u32,
                owner,
                deadline,
            });
        } else {
            out.push(format!(
                "{speaker}：关于{topic}，第{turn}个问题我补充一点，目前已经完成了{}个环节，还有{}个环节需要协调相关处室推进，下一步要把工作做细做实。",
                turn % 17 + 3,
                turn % 5 + 1
            ));
        }
        turn += 1;
    }
    (out.join("\n"), planted)
}
