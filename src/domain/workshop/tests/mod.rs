//! The workshop engine's specification, as tests. Times are minutes and seconds after
//! 09:00 on the day of a (fictional) partnership-lessons workshop.

mod engine_flow;
mod facilitation;
mod random;
mod shipped;
mod template_errors;
mod timing;
mod voting;

use chrono::{NaiveDate, NaiveDateTime};

use super::{Actor, Applied, Workshop, WorkshopCommand, WorkshopSetup, WorkshopTemplate};
use crate::domain::survey::Survey;

pub(super) fn at(min: i64, sec: i64) -> NaiveDateTime {
    let start = NaiveDate::from_ymd_opt(2020, 5, 14).unwrap().and_hms_opt(9, 0, 0).unwrap();
    start + chrono::Duration::seconds(min * 60 + sec)
}

pub(super) fn template(text: &str) -> WorkshopTemplate {
    WorkshopTemplate::parse("t.toml", text).unwrap_or_else(|e| panic!("template does not parse:\n{}", e.join("\n")))
}

pub(super) fn setup() -> WorkshopSetup {
    WorkshopSetup {
        id: "w1".into(),
        title: "Partnership lessons".into(),
        pilots: vec!["p1".into(), "p2".into()],
        date: NaiveDate::from_ymd_opt(2020, 5, 14).unwrap(),
        place: "Helsinki".into(),
        room_code: super::room_code(7),
        language: "en".into(),
        highlights: vec!["Trust first".into(), "Reserve time for planning".into(), "Keep communicating".into()],
    }
}

pub(super) fn partner_survey() -> Survey {
    Survey::parse("partner-2020.toml", include_str!("../../../../surveys/partner-2020.toml")).unwrap()
}

pub(super) fn workshop(text: &str) -> Workshop {
    Workshop::new(setup(), &template(text), &[partner_survey()], at(0, 0)).unwrap()
}

/// A facilitator command that must succeed.
#[track_caller]
pub(super) fn fac(w: &mut Workshop, cmd: WorkshopCommand, now: NaiveDateTime) -> Applied {
    w.apply(Actor::Facilitator, cmd, now).unwrap_or_else(|e| panic!("refused: {e}"))
}

pub(super) fn by(w: &mut Workshop, who: &str, cmd: WorkshopCommand) -> Result<Applied, String> {
    w.apply(Actor::Participant(who.into()), cmd, at(1, 0))
}

/// Joins participants given as (id, organisation type).
pub(super) fn join(w: &mut Workshop, people: &[(&str, &str)]) {
    for (id, org) in people {
        let cmd = WorkshopCommand::Join { participant: (*id).into(), role: "partner".into(), org_type: (*org).into() };
        by(w, id, cmd).unwrap();
    }
}

/// `name`, `title`, then one `[[phases]]` per argument (each a body without header).
pub(super) fn with_phases(phases: &[&str]) -> String {
    let mut s = String::from("name = \"t\"\ntitle = \"T\"\n");
    for p in phases {
        s.push_str("\n[[phases]]\n");
        s.push_str(p);
    }
    s
}

pub(super) const WRITE: &str = "title = \"Notes\"\nkind = \"write\"\nminutes = 5\nprompt = \"Write\"\n";
pub(super) const VOTE: &str =
    "title = \"Vote\"\nkind = \"dot-vote\"\nminutes = 10\nprompt = \"Vote\"\ndots = 3\nmax_per_item = 2\n";
pub(super) const PRESENT: &str = "title = \"Highlights\"\nkind = \"present\"\nminutes = 15\nprompt = \"React\"\n";
pub(super) const DISCUSS: &str = "title = \"Talk\"\nkind = \"discuss\"\nminutes = 5\nprompt = \"Talk\"\n";
