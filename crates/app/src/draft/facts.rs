//! Keeping the facts, and only the facts: where each fact of the facts file goes, and the guard
//! every paragraph the model writes passes before it enters the draft. The guard takes out
//! sentences that talk about the task, leave a placeholder, say again what the draft already
//! says or name a number, organisation, place or person that nothing the user gave names; it
//! finds the facts a paragraph left out, so that they can be asked for again, and puts in
//! those the model still leaves out as sentences of their own, so the draft never loses one.

use wenshu_core::check::fix_text;
use wenshu_core::facts::{Fact, invented, wording_share};
use wenshu_core::text::{placeholder, same_sentence, sentences, task_talk};

use super::templates::{SectionKind, Template};
use super::types::{FactInfo, FactStatus, FactsReport, OutlineInfo, RemovalReason, RemovedInfo};

/// Where a fact goes: a section, and for numbered sections one of its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    pub section: usize,
    pub item: Option<usize>,
}

/// The slot of every fact. `chosen` is the section the outline chose for each fact, where it
/// chose one; a fact without one goes to the section whose plan shares most of its wording
/// (the first paragraph section when none does). A fact in a numbered section goes to the item
/// whose heading shares most of its wording, or else to the item with fewest facts so far.
pub(super) fn place(
    facts: &[Fact],
    chosen: &[Option<usize>],
    template: &Template,
    outline: &OutlineInfo,
) -> Vec<Slot> {
    let plan_text = |s: usize| {
        let planned = &outline.sections[s];
        let mut text = planned.label.clone();
        for item in &planned.items {
            text.push_str(&item.heading);
            text.push_str(item.point.as_deref().unwrap_or_default());
        }
        text
    };
    // A section that writes nothing (a numbered one the outline left empty) carries no facts.
    let writes = |s: usize| {
        template.sections[s].kind == SectionKind::Paragraph || !outline.sections[s].items.is_empty()
    };
    let first_paragraph = (0..template.sections.len())
        .find(|&s| template.sections[s].kind == SectionKind::Paragraph)
        .or_else(|| (0..template.sections.len()).find(|&s| writes(s)))
        .unwrap_or(0);
    let mut per_item: Vec<Vec<usize>> = outline
        .sections
        .iter()
        .map(|s| vec![0; s.items.len()])
        .collect();
    facts
        .iter()
        .enumerate()
        .map(|(i, fact)| {
            let section = chosen
                .get(i)
                .copied()
                .flatten()
                .filter(|&s| s < template.sections.len() && writes(s))
                .unwrap_or_else(|| {
                    (0..template.sections.len())
                        .filter(|&s| writes(s))
                        .map(|s| (s, wording_share(&plan_text(s), &fact.text)))
                        .filter(|&(_, share)| share > 0.0)
                        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                        .map_or(first_paragraph, |(s, _)| s)
                });
            let item = (template.sections[section].kind == SectionKind::Items).then(|| {
                let items = &outline.sections[section].items;
                let counts = &mut per_item[section];
                let best = (0..items.len())
                    .map(|k| {
                        let heading = format!(
                            "{}{}",
                            items[k].heading,
                            items[k].point.as_deref().unwrap_or_default()
                        );
                        (k, wording_share(&fact.text, &heading))
                    })
                    .filter(|&(_, share)| share >= 0.3)
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|(k, _)| k);
                let k = best.unwrap_or_else(|| {
                    (0..items.len())
                        .min_by_key(|&k| (counts[k], k))
                        .unwrap_or(0)
                });
                counts[k] += 1;
                k
            });
            Slot { section, item }
        })
        .collect()
}

/// A fact as a sentence of the draft, when the model would not write it: the fact as given,
/// its punctuation made full-width, ending on a full stop.
pub(super) fn fact_sentence(fact: &Fact) -> String {
    let (fixed, _) = fix_text(fact.text.trim());
    let mut text = fixed
        .trim()
        .trim_end_matches(['；', ';', '，', ',', '、', '：', ':', '.'])
        .to_string();
    if !text.ends_with(['。', '！', '？', '”']) {
        text.push('。');
    }
    text
}

/// A paragraph as the guard passed it: the sentences it keeps, an unfinished clause at the end
/// that leads into a set formula (为……，现将有关事项通知如下：), and what it took out.
#[derive(Debug, Clone, Default)]
pub(super) struct Screened {
    pub sentences: Vec<String>,
    pub lead: Option<String>,
    pub removed: Vec<(String, RemovalReason, String)>,
}

impl Screened {
    /// `text` split into sentences, each kept unless `objection` names a reason to take it
    /// out; an unfinished clause at the end is the lead-in.
    fn split(
        text: &str,
        objection: impl Fn(&str, &[String]) -> Option<(RemovalReason, String)>,
    ) -> Self {
        let mut out = Screened::default();
        let pieces = sentences(text);
        for (i, piece) in pieces.iter().enumerate() {
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            match objection(piece, &out.sentences) {
                Some((reason, detail)) => out.removed.push((piece.to_string(), reason, detail)),
                None if i + 1 == pieces.len()
                    && !piece.ends_with(['。', '！', '？', '；', '”']) =>
                {
                    out.lead = Some(piece.to_string());
                }
                None => out.sentences.push(piece.to_string()),
            }
        }
        out
    }

    /// `text` as it is, nothing taken out: what an unguarded draft (`draft.guard = false`) lets
    /// in.
    pub fn unscreened(text: &str) -> Self {
        Screened::split(text, |_, _| None)
    }

    pub fn text(&self) -> String {
        let mut text = self.sentences.concat();
        text.push_str(self.lead.as_deref().unwrap_or_default());
        text
    }
}

/// The guard over one draft: what the user gave, the facts, what the draft says so far and
/// what became of each fact.
pub(super) struct Guard<'a> {
    given: &'a str,
    facts: &'a [Fact],
    /// The draft so far: the title and every paragraph let in.
    written: String,
    sentences: Vec<String>,
    status: Vec<Option<(FactStatus, String)>>,
    removed: Vec<RemovedInfo>,
}

impl<'a> Guard<'a> {
    pub fn new(given: &'a str, facts: &'a [Fact], title: &str) -> Self {
        let mut guard = Self {
            given,
            facts,
            written: String::new(),
            sentences: Vec::new(),
            status: vec![None; facts.len()],
            removed: Vec::new(),
        };
        guard.let_in("标题", title);
        guard
    }

    /// Why `sentence` may not enter the draft, if it may not.
    fn objection(&self, sentence: &str, kept: &[String]) -> Option<(RemovalReason, String)> {
        if let Some(words) = task_talk(sentence) {
            return Some((RemovalReason::TaskTalk, words.to_string()));
        }
        if let Some(found) = placeholder(sentence) {
            return Some((RemovalReason::Placeholder, found));
        }
        let invented = invented(sentence, self.given);
        if !invented.is_empty() {
            let detail: Vec<String> = invented
                .iter()
                .map(|i| format!("{}“{}”", i.kind.name_zh(), i.text))
                .collect();
            return Some((RemovalReason::Invented, detail.join("、")));
        }
        if let Some(said) = self
            .sentences
            .iter()
            .chain(kept)
            .find(|s| same_sentence(s, sentence))
        {
            return Some((RemovalReason::Repeated, said.clone()));
        }
        None
    }

    /// `text` with what may not enter the draft taken out.
    pub fn screen(&self, text: &str) -> Screened {
        Screened::split(text, |piece, kept| self.objection(piece, kept))
    }

    /// The facts of `mine` (by index) that neither the draft so far nor `text` keeps.
    pub fn missing(&self, mine: &[usize], text: &str) -> Vec<usize> {
        let all = format!("{}{text}", self.written);
        mine.iter()
            .copied()
            .filter(|&f| !self.facts[f].kept_in(&all))
            .collect()
    }

    /// Lets a screened paragraph of `section` into the draft: the facts of `mine` still missing
    /// go in as sentences of their own (before an unfinished lead-in clause), facts `repaired`
    /// are marked so, and what the guard took out is recorded. Returns the paragraph.
    pub fn admit(
        &mut self,
        section: &str,
        screened: Screened,
        mine: &[usize],
        repaired: &[usize],
    ) -> String {
        let missing = self.missing(mine, &screened.text());
        let mut sentences = screened.sentences;
        let mut removed = screened.removed;
        for &f in &missing {
            let inserted = fact_sentence(&self.facts[f]);
            // A sentence of the model's that says part of the fact goes, as long as every fact
            // the paragraph kept is still kept without it: the fact says it whole.
            let with_all = [sentences.concat(), inserted.clone()].concat();
            let lost = self.missing(mine, &with_all).len();
            let mut k = 0;
            while k < sentences.len() {
                if same_sentence(&sentences[k], &inserted) {
                    let rest: String = sentences
                        .iter()
                        .enumerate()
                        .filter(|&(j, _)| j != k)
                        .map(|(_, s)| s.as_str())
                        .chain([inserted.as_str()])
                        .collect();
                    if self.missing(mine, &rest).len() <= lost {
                        let said = sentences.remove(k);
                        removed.push((said, RemovalReason::Repeated, inserted.clone()));
                        continue;
                    }
                }
                k += 1;
            }
            sentences.push(inserted);
        }
        let mut text = sentences.concat();
        text.push_str(screened.lead.as_deref().unwrap_or_default());
        for (sentence, reason, detail) in removed {
            self.removed.push(RemovedInfo {
                section: section.to_string(),
                sentence,
                reason,
                detail,
            });
        }
        for &f in &missing {
            self.status[f] = Some((FactStatus::Inserted, section.to_string()));
        }
        for &f in repaired {
            if self.status[f].is_none() {
                self.status[f] = Some((FactStatus::Repaired, section.to_string()));
            }
        }
        self.let_in(section, &text);
        text
    }

    /// Adds a heading of `section` to what the draft says so far.
    pub fn note(&mut self, section: &str, heading: &str) {
        self.let_in(section, heading);
    }

    /// Adds `text` to the draft so far and marks the facts it keeps as written there.
    fn let_in(&mut self, section: &str, text: &str) {
        self.written.push_str(text);
        self.written.push('\n');
        for piece in sentences(text) {
            self.sentences.push(piece.trim().to_string());
        }
        for (f, fact) in self.facts.iter().enumerate() {
            if self.status[f].is_none() && fact.kept_in(&self.written) {
                self.status[f] = Some((FactStatus::Written, section.to_string()));
            }
        }
    }

    /// What became of every fact, and what was taken out.
    pub fn report(self, slots: &[Slot], labels: &dyn Fn(Slot) -> String) -> FactsReport {
        FactsReport {
            facts: self
                .facts
                .iter()
                .zip(self.status)
                .zip(slots)
                .map(|((fact, status), &slot)| {
                    let (status, section) = status.unwrap_or((FactStatus::Missing, labels(slot)));
                    FactInfo {
                        text: fact.text.clone(),
                        section,
                        status,
                    }
                })
                .collect(),
            removed: self.removed,
        }
    }

    /// The facts no paragraph has kept yet.
    pub fn unkept(&self) -> Vec<usize> {
        (0..self.facts.len())
            .filter(|&f| self.status[f].is_none())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenshu_core::facts::split_facts;

    const FACTS: &str = "现有存储容量200TB，使用率已达85%。\n拟扩容至500TB。\n资金由市财政局安排。";

    fn given() -> String {
        format!("{FACTS}\n某市数据管理局\n某市人民政府")
    }

    #[test]
    fn the_guard_takes_out_talk_placeholders_repeats_and_invented_items() {
        let facts = split_facts(FACTS);
        let given = given();
        let guard = Guard::new(&given, &facts, "某市数据管理局关于数据中心扩容的请示");
        let screened = guard.screen(
            "首先，我将缘由一栏写明。现有存储容量200TB，使用率已达85%。联系人：XX。\
             预计投资1200万元。现有存储容量200TB，使用率已达85%。为保障平台运行，",
        );
        assert_eq!(screened.sentences, ["现有存储容量200TB，使用率已达85%。"]);
        assert_eq!(screened.lead.as_deref(), Some("为保障平台运行，"));
        let reasons: Vec<RemovalReason> = screened.removed.iter().map(|r| r.1).collect();
        assert_eq!(
            reasons,
            [
                RemovalReason::TaskTalk,
                RemovalReason::Placeholder,
                RemovalReason::Invented,
                RemovalReason::Repeated,
            ]
        );
        assert_eq!(screened.removed[2].2, "数字“1200”");
    }

    #[test]
    fn facts_left_out_go_in_as_sentences_before_the_lead_in() {
        let facts = split_facts(FACTS);
        let given = given();
        let mut guard = Guard::new(&given, &facts, "某市数据管理局关于数据中心扩容的请示");
        let screened = guard.screen("现有存储容量200TB，使用率已达85%。为保障平台运行，");
        assert_eq!(guard.missing(&[0, 1], &screened.text()), [1]);
        let paragraph = guard.admit("缘由", screened, &[0, 1], &[]);
        assert_eq!(
            paragraph,
            "现有存储容量200TB，使用率已达85%。拟扩容至500TB。为保障平台运行，"
        );
        assert_eq!(guard.unkept(), [2]);
        let screened = guard.screen("所需资金由市财政局统筹安排。");
        guard.admit("请示事项", screened, &[2], &[2]);
        let report = guard.report(
            &[Slot {
                section: 0,
                item: None,
            }; 3],
            &|_| "缘由".to_string(),
        );
        let statuses: Vec<FactStatus> = report.facts.iter().map(|f| f.status).collect();
        assert_eq!(
            statuses,
            [
                FactStatus::Written,
                FactStatus::Inserted,
                FactStatus::Repaired
            ]
        );
        assert_eq!(report.count(FactStatus::Inserted), 1);
    }

    #[test]
    fn a_fact_put_in_whole_replaces_the_models_part_of_it() {
        let facts_text =
            "市应急管理局、徐闻县人民政府等8个单位在防御工作中表现突出。\n各给予一次性奖励5万元。";
        let facts = split_facts(facts_text);
        let given = format!("{facts_text}\n湛江市人民政府");
        let mut guard = Guard::new(
            &given,
            &facts,
            "湛江市人民政府关于嘉奖防御台风表现突出的单位的命令",
        );
        let screened = guard.screen("8个单位在防御工作中表现突出。各给予一次性奖励5万元。");
        assert_eq!(guard.missing(&[0, 1], &screened.text()), [0]);
        let paragraph = guard.admit("嘉奖", screened, &[0, 1], &[]);
        assert_eq!(
            paragraph,
            "各给予一次性奖励5万元。市应急管理局、徐闻县人民政府等8个单位在防御工作中表现突出。"
        );
        let report = guard.report(
            &[Slot {
                section: 0,
                item: None,
            }; 2],
            &|_| "嘉奖".to_string(),
        );
        assert_eq!(report.removed.len(), 1);
        assert_eq!(report.removed[0].reason, RemovalReason::Repeated);
    }
}
