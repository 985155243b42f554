//! What became of every piece of input, in plain sentences. Providers in the real
//! evaluations never learned whether their comments were considered; this is the
//! list that lets them see it.

use super::engine::Workshop;
use super::model::{Fate, Item, short};

impl Workshop {
    /// Every captured item with a sentence on its fate, in capture order.
    pub fn fates(&self) -> Vec<(&Item, String)> {
        self.items.iter().map(|i| (i, self.fate_sentence(i))).collect()
    }

    /// The fates of the items one participant wrote (their notes and comments).
    pub fn fates_of(&self, participant: &str) -> Vec<(&Item, String)> {
        let mine = self.items.iter().filter(|i| i.author.as_deref() == Some(participant));
        mine.map(|i| (i, self.fate_sentence(i))).collect()
    }

    /// "Kept, in cluster 'Trust'.", "Merged into #2 'Trust first'.", "Parked for
    /// later.", "Turned into action A3 'Joint referral rules' (owner: TE office, due
    /// 2020-06-30, open)."
    pub fn fate_sentence(&self, item: &Item) -> String {
        let mut s = match item.fate {
            Fate::Kept => "Kept".to_string(),
            Fate::MergedInto(into) => {
                let mut s = format!("Merged into {}", self.quote(into));
                let home = self.home_of(into);
                if home != into {
                    s.push_str(&format!(", which is now part of {}", self.quote(home)));
                }
                s
            }
            Fate::Parked => "Parked for later".to_string(),
            Fate::Action(id) => match self.actions.iter().find(|a| a.id == id) {
                Some(a) => {
                    let due = a.due.map(|d| format!(", due {d}")).unwrap_or_default();
                    format!(
                        "Turned into action A{id} '{}' (owner: {}{due}, {})",
                        short(&a.text),
                        a.owner,
                        a.status.label()
                    )
                }
                None => format!("Turned into action A{id}"),
            },
        };
        if let Some(c) = item.cluster.and_then(|c| self.clusters.iter().find(|k| k.id == c)) {
            s.push_str(&format!(", in cluster '{}'", c.name));
        }
        if !item.links.is_empty() {
            let links: Vec<String> = item.links.iter().map(|l| l.label()).collect();
            s.push_str(&format!("; evidence for {}", links.join(", ")));
        }
        s.push('.');
        s
    }

    /// "#2 'Trust first'".
    fn quote(&self, id: u32) -> String {
        match self.item(id) {
            Some(i) => format!("#{id} '{}'", short(&i.text)),
            None => format!("#{id}"),
        }
    }
}
