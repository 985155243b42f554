//! A workshop's record as Markdown or JSON: the agenda with planned against actual
//! time, each phase's prompt, items, tally (always with n) and notes, the clusters, the
//! follow-up actions with their owners, and what became of every item.
//!
//! People are cited by role and organisation type, never by their participant key. All
//! user text goes through [`super::markdown`]. Deterministic: no export time is written,
//! and a phase that is still running shows the time banked so far and when it started
//! running, never a time computed from the clock.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde_json::{Value, json};

use super::markdown::{escape_inline, table};
use crate::domain::Pilot;
use crate::domain::survey::ItemStats;
use crate::domain::workshop::{
    Fate, Item, PhaseKind, PhaseRun, PhaseStatus, PhaseTally, TallyResults, Workshop, format_countdown,
};

/// The whole record as one Markdown document, ending in exactly one newline.
pub fn workshop_markdown(w: &Workshop, pilots: &[Pilot]) -> String {
    let mut sections = vec![header(w, pilots), agenda_section(w), participants_section(w)];
    for phase in 0..w.phases.len() {
        sections.push(phase_section(w, phase));
    }
    sections.push(clusters_section(w));
    sections.push(actions_section(w));
    sections.push(fates_section(w));
    let present: Vec<&str> = sections.iter().map(|s| s.trim_end()).filter(|s| !s.is_empty()).collect();
    present.join("\n\n") + "\n"
}

/// The record as JSON: the facts, the agenda, each phase with its items and tally, the
/// clusters, actions and fates. Participants appear as role and organisation type;
/// `phase` fields are 0-based agenda indices, as in workshop commands and tallies.
pub fn workshop_json(w: &Workshop, pilots: &[Pilot]) -> Value {
    let phases: Vec<Value> = w
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let items: Vec<Value> = w.items.iter().filter(|it| it.phase == i).map(|it| item_json(w, it)).collect();
            let notes: Vec<Value> = p.notes.iter().map(|n| json!({ "at": n.at, "text": n.text })).collect();
            json!({
                "phase": i,
                "number": i + 1,
                "title": p.spec.title,
                "kind": p.spec.kind.name(),
                "prompt": p.spec.prompt,
                "status": p.status.label(),
                "planned_secs": i64::from(p.spec.minutes) * 60,
                "actual_secs": p.clock.banked_secs,
                "started_at": p.clock.started_at,
                "running_since": p.clock.running_since,
                "revealed": p.visible,
                "items": items,
                "tally": w.tally(i).map(|t| tally_json(w, &t)),
                "notes": notes,
                "links": p.links.iter().map(|l| l.label()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let clusters: Vec<Value> = w
        .clusters
        .iter()
        .map(|c| {
            let items: Vec<u32> = w.items.iter().filter(|i| i.cluster == Some(c.id)).map(|i| i.id).collect();
            json!({ "id": c.id, "name": c.name, "phase": c.phase, "items": items })
        })
        .collect();
    let actions: Vec<Value> = w
        .actions
        .iter()
        .map(|a| {
            json!({
                "id": format!("A{}", a.id),
                "text": a.text,
                "owner": a.owner,
                "due": a.due,
                "status": a.status.label(),
                "phase": a.phase,
                "from_item": a.from_item,
                "created_at": a.created_at,
            })
        })
        .collect();
    let fates: Vec<Value> =
        w.fates().into_iter().map(|(item, sentence)| json!({ "item": item.id, "fate": sentence })).collect();
    let (planned, actual) = totals(w);
    json!({
        "id": w.id,
        "title": w.title,
        "template": w.template,
        "date": w.date,
        "place": w.place,
        "room_code": w.room_code,
        "language": w.language,
        "pilots": w.pilots.iter().map(|id| json!({ "id": id, "name": pilot_name(pilots, id) })).collect::<Vec<_>>(),
        "state": state(w),
        "planned_secs": planned,
        "actual_secs": actual,
        "participants": participants_json(w),
        "phases": phases,
        "clusters": clusters,
        "actions": actions,
        "fates": fates,
    })
}

/// "finished", or "phase 3 of 6 'Priorities' (running)".
pub fn state(w: &Workshop) -> String {
    if w.is_finished() {
        return "finished".into();
    }
    let p = w.current_phase();
    format!("phase {} of {} '{}' ({})", w.current + 1, w.phases.len(), p.spec.title, p.status.label())
}

/// Planned and actual seconds of the whole agenda; a running phase counts what it has
/// banked so far.
pub fn totals(w: &Workshop) -> (i64, i64) {
    let planned = w.phases.iter().map(|p| i64::from(p.spec.minutes) * 60).sum();
    let actual = w.phases.iter().map(|p| p.clock.banked_secs).sum();
    (planned, actual)
}

/// A phase's actual time: "12:40", "12:40 + running since 10:05", or "–" before it
/// started.
pub fn actual_time(p: &PhaseRun) -> String {
    match (p.clock.started_at, p.clock.running_since) {
        (None, _) => "–".into(),
        (Some(_), None) => format_countdown(p.clock.banked_secs),
        (Some(_), Some(since)) => format!("{} + running since {}", format_countdown(p.clock.banked_secs), hm(since)),
    }
}

fn hm(t: NaiveDateTime) -> String {
    t.format("%H:%M").to_string()
}

fn pilot_name(pilots: &[Pilot], id: &str) -> String {
    pilots.iter().find(|p| p.id == id).map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// How a participant is cited: "partner (TE office)".
fn person(w: &Workshop, id: &str) -> String {
    match w.participants.get(id) {
        Some(p) if p.role.eq_ignore_ascii_case(&p.org_type) => p.role.clone(),
        Some(p) => format!("{} ({})", p.role, p.org_type),
        None => "participant".into(),
    }
}

/// "#3 Trust first", the full text.
fn item_label(w: &Workshop, id: u32) -> String {
    match w.item(id) {
        Some(i) => format!("#{id} {}", i.text),
        None => format!("#{id}"),
    }
}

fn fate_short(fate: Fate) -> String {
    match fate {
        Fate::Kept => "kept".into(),
        Fate::MergedInto(into) => format!("merged into #{into}"),
        Fate::Parked => "parked".into(),
        Fate::Action(a) => format!("turned into action A{a}"),
    }
}

fn header(w: &Workshop, pilots: &[Pilot]) -> String {
    let mut out = format!("# Workshop: {}\n\n", escape_inline(&w.title));
    let mut facts = vec![("Workshop", w.id.clone()), ("Template", w.template.clone()), ("Date", w.date.to_string())];
    if !w.place.trim().is_empty() {
        facts.push(("Place", w.place.clone()));
    }
    let pilot_names: Vec<String> = w.pilots.iter().map(|id| format!("{} ({id})", pilot_name(pilots, id))).collect();
    facts.push(("Pilots", if pilot_names.is_empty() { "the whole evaluation".into() } else { pilot_names.join(", ") }));
    facts.push(("Room code", w.room_code.clone()));
    facts.push(("State", state(w)));
    for (k, v) in facts {
        out.push_str(&format!("- {k}: {}\n", escape_inline(&v)));
    }
    out
}

fn agenda_section(w: &Workshop) -> String {
    let rows: Vec<Vec<String>> = w
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let planned = i64::from(p.spec.minutes) * 60;
            let diff = match p.clock.started_at {
                Some(_) if p.status == PhaseStatus::Done => {
                    let d = p.clock.banked_secs - planned;
                    if d > 0 { format!("+{}", format_countdown(d)) } else { format_countdown(d) }
                }
                _ => String::new(),
            };
            vec![
                (i + 1).to_string(),
                p.spec.title.clone(),
                p.spec.kind.label().to_string(),
                p.clock.started_at.map_or_else(|| "–".into(), hm),
                format!("{} min", p.spec.minutes),
                actual_time(p),
                diff,
                p.status.label().to_string(),
            ]
        })
        .collect();
    let (planned, actual) = totals(w);
    format!(
        "## Agenda\n\n{}\nPlanned {} min in all; {} used.\n",
        table(&["#", "Phase", "Kind", "Started", "Planned", "Actual", "Over (+) / under (−)", "Status"], &rows),
        planned / 60,
        format_countdown(actual)
    )
}

fn participants_section(w: &Workshop) -> String {
    let mut out = format!("## Participants\n\n{} joined from their own devices.", w.participants.len());
    if w.participants.is_empty() {
        out.push_str(" Input from the room was recorded by the facilitator (hands, items typed for the room).\n");
        return out;
    }
    out.push_str("\n\n");
    let mut groups: BTreeMap<(String, String), u32> = BTreeMap::new();
    for p in w.participants.values() {
        *groups.entry((p.role.clone(), p.org_type.clone())).or_default() += 1;
    }
    let rows: Vec<Vec<String>> = groups.into_iter().map(|((role, org), n)| vec![role, org, n.to_string()]).collect();
    out.push_str(&table(&["Role", "Organisation type", "n"], &rows));
    out
}

fn phase_section(w: &Workshop, phase: usize) -> String {
    let p = &w.phases[phase];
    let mut out = format!(
        "## {}. {} ({})\n\n> {}\n\nPlanned {} min · actual {} · {}\n",
        phase + 1,
        escape_inline(&p.spec.title),
        p.spec.kind.label(),
        escape_inline(&p.spec.prompt),
        p.spec.minutes,
        escape_inline(&actual_time(p)),
        p.status.label()
    );
    let items: Vec<&Item> = w.items.iter().filter(|i| i.phase == phase).collect();
    if !items.is_empty() {
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|i| {
                let from = i.author.as_deref().map_or_else(|| "facilitator".to_string(), |a| person(w, a));
                let text = match i.about {
                    Some((about, kind)) => format!("#{} ({} on #{about}) {}", i.id, kind.label(), i.text),
                    None => format!("#{} {}", i.id, i.text),
                };
                let cluster = i
                    .cluster
                    .and_then(|c| w.clusters.iter().find(|k| k.id == c))
                    .map_or_else(String::new, |c| c.name.clone());
                vec![text, from, cluster, fate_short(i.fate)]
            })
            .collect();
        out.push_str(&format!("\n### Items\n\n{}", table(&["Item", "From", "Cluster", "Fate"], &rows)));
    }
    if let Some(t) = w.tally(phase) {
        let tally = tally_markdown(w, p, &t);
        if !tally.is_empty() {
            out.push_str(&format!("\n### Results\n\n{tally}"));
            if t.hidden && p.spec.kind.has_tally() {
                out.push_str("\nThe results were not revealed to participants.\n");
            }
        }
    }
    if !p.notes.is_empty() {
        out.push_str("\n### Notes\n\n");
        for n in &p.notes {
            out.push_str(&format!("- {}: {}\n", hm(n.at), escape_inline(&n.text)));
        }
    }
    if !p.links.is_empty() {
        let links: Vec<String> = p.links.iter().map(|l| l.label()).collect();
        out.push_str(&format!("\nThe result is evidence for {}.\n", escape_inline(&links.join(", "))));
    }
    out
}

fn tally_markdown(w: &Workshop, p: &PhaseRun, t: &PhaseTally) -> String {
    match &t.results {
        TallyResults::Present { rows, n } => {
            let table_rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        item_label(w, r.item),
                        r.counts.agree.to_string(),
                        r.counts.add.to_string(),
                        r.counts.challenge.to_string(),
                        r.n.to_string(),
                        r.room.total().to_string(),
                        r.comments.to_string(),
                    ]
                })
                .collect();
            format!(
                "{}\nn = {n} participant{} reacted on their own devices; hands counted for the room are included in \
                 the counts.\n",
                table(&["Item", "Agree", "Add", "Challenge", "n", "Of which room hands", "Comments"], &table_rows),
                plural(*n)
            )
        }
        TallyResults::DotVote(d) => {
            let anonymous = matches!(&p.spec.kind, PhaseKind::DotVote(r) if r.anonymous);
            let orgs: Vec<String> = {
                let mut o: Vec<String> = d.rows.iter().flat_map(|r| r.by_org.keys().cloned()).collect();
                o.sort();
                o.dedup();
                o
            };
            let mut rows: Vec<_> = d.rows.iter().collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.dots));
            let mut headers: Vec<String> = ["Item", "Dots", "Room hands", "n (voters)"].map(String::from).to_vec();
            headers.extend(orgs.iter().cloned());
            if !anonymous {
                headers.push("Who".into());
            }
            let table_rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let mut row =
                        vec![item_label(w, r.item), r.dots.to_string(), r.room.to_string(), r.voters.to_string()];
                    row.extend(orgs.iter().map(|o| r.by_org.get(o).copied().unwrap_or(0).to_string()));
                    if !anonymous {
                        let who: Vec<String> =
                            r.attributed.iter().map(|(p, n)| format!("{} × {n}", person(w, p))).collect();
                        row.push(who.join(", "));
                    }
                    row
                })
                .collect();
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let mut out = format!(
                "{}\nn = {} voter{} · {} of {} dots used · {} dot{} counted from the room's hands.\n",
                table(&headers, &table_rows),
                d.voters,
                plural(d.voters),
                d.dots_used,
                d.dots_possible,
                d.room_dots,
                plural(d.room_dots)
            );
            let reasons: Vec<String> = rows
                .iter()
                .flat_map(|r| {
                    r.reasons.iter().map(|reason| {
                        let by = reason.by.as_deref().map(|b| format!(" ({})", person(w, b))).unwrap_or_default();
                        format!("- #{}{}: {}\n", r.item, escape_inline(&by), escape_inline(&reason.text))
                    })
                })
                .collect();
            if !reasons.is_empty() {
                out.push_str(&format!("\nWhy voters chose these:\n\n{}", reasons.concat()));
            }
            out
        }
        TallyResults::ScalePoll { tally, by_org } => {
            let question =
                |id: &str| p.poll.as_ref().and_then(|s| s.item(id)).map_or_else(|| id.to_string(), |i| i.text.clone());
            let rows: Vec<Vec<String>> = tally
                .items
                .iter()
                .map(|it| {
                    let (mean, median, counts) = stats_cells(&it.stats);
                    vec![question(&it.id), it.n.to_string(), mean, median, counts]
                })
                .collect();
            let mut out = format!(
                "{}\nn = {} answer{} (each participant once; the room's answers one by one).\n",
                table(&["Question", "n", "Mean", "Median", "Answers"], &rows),
                tally.respondents,
                plural(tally.respondents as u32)
            );
            if !by_org.is_empty() {
                let rows: Vec<Vec<String>> = by_org
                    .iter()
                    .flat_map(|(org, t)| {
                        t.items.iter().map(move |it| {
                            let (mean, median, _) = stats_cells(&it.stats);
                            vec![org.clone(), it.id.clone(), it.n.to_string(), mean, median]
                        })
                    })
                    .collect();
                out.push_str(&format!(
                    "\nBy organisation type (participants' own answers):\n\n{}",
                    table(&["Organisation type", "Item", "n", "Mean", "Median"], &rows)
                ));
            }
            out
        }
        TallyResults::Rank { rows, n } => {
            let table_rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        item_label(w, r.item),
                        r.mean_rank.map_or_else(|| "–".into(), |m| format!("{m:.2}")),
                        r.n.to_string(),
                        r.firsts.to_string(),
                    ]
                })
                .collect();
            format!(
                "{}\nn = {n} participant{} ranked; 1 = most important.\n",
                table(&["Item", "Mean rank", "n", "First places"], &table_rows),
                plural(*n)
            )
        }
        TallyResults::Captured { items, contributors, notes } => {
            if *items == 0 && *notes == 0 {
                return String::new();
            }
            format!(
                "{items} item{} from {contributors} participant{} (besides the facilitator's) · {notes} note{}.\n",
                plural(*items),
                plural(*contributors),
                plural(*notes)
            )
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |x| format!("{x:.2}"))
}

/// Mean, median and the answer counts of a scale or choice item.
fn stats_cells(stats: &ItemStats) -> (String, String, String) {
    let counts = |c: &[(String, u64)]| c.iter().map(|(k, n)| format!("{k}: {n}")).collect::<Vec<_>>().join(" · ");
    match stats {
        ItemStats::Scale { dont_know, counts: c, mean, median } => {
            let mut answers = counts(c);
            if let Some(dk) = dont_know {
                answers.push_str(&format!(" · can't say: {dk}"));
            }
            (num(*mean), num(*median), answers)
        }
        ItemStats::Choice { counts: c } => (String::new(), String::new(), counts(c)),
        ItemStats::Number { mean, median, .. } => (num(*mean), num(*median), String::new()),
        ItemStats::Nps { promoters, passives, detractors, score } => (
            String::new(),
            String::new(),
            format!("promoters {promoters} · passives {passives} · detractors {detractors} · NPS {}", num(*score)),
        ),
        ItemStats::Text => (String::new(), String::new(), String::new()),
    }
}

fn clusters_section(w: &Workshop) -> String {
    if w.clusters.is_empty() {
        return String::new();
    }
    let rows: Vec<Vec<String>> = w
        .clusters
        .iter()
        .map(|c| {
            let items: Vec<String> =
                w.items.iter().filter(|i| i.cluster == Some(c.id)).map(|i| format!("#{} {}", i.id, i.text)).collect();
            vec![c.name.clone(), format!("Phase {}: {}", c.phase + 1, w.phases[c.phase].spec.title), items.join("; ")]
        })
        .collect();
    format!("## Clusters\n\n{}", table(&["Cluster", "Made in", "Items"], &rows))
}

fn actions_section(w: &Workshop) -> String {
    if w.actions.is_empty() {
        return "## Follow-up actions\n\nNone agreed.\n".into();
    }
    let rows: Vec<Vec<String>> = w
        .actions
        .iter()
        .map(|a| {
            vec![
                format!("A{} {}", a.id, a.text),
                a.owner.clone(),
                a.due.map_or_else(String::new, |d| d.to_string()),
                a.status.label().to_string(),
                a.from_item.map_or_else(String::new, |i| item_label(w, i)),
            ]
        })
        .collect();
    format!("## Follow-up actions\n\n{}", table(&["Action", "Owner", "Due", "Status", "From item"], &rows))
}

fn fates_section(w: &Workshop) -> String {
    let fates = w.fates();
    if fates.is_empty() {
        return String::new();
    }
    let rows: Vec<Vec<String>> = fates
        .into_iter()
        .map(|(item, sentence)| {
            let phase = format!("Phase {}: {}", item.phase + 1, w.phases.get(item.phase).map_or("", |p| &p.spec.title));
            vec![format!("#{} {}", item.id, item.text), phase, sentence]
        })
        .collect();
    format!("## What became of every item\n\n{}", table(&["Item", "Phase", "What became of it"], &rows))
}

fn item_json(w: &Workshop, i: &Item) -> Value {
    let counts = i.reaction_counts();
    json!({
        "id": i.id,
        "text": i.text,
        "from": i.author.as_deref().map_or_else(|| "facilitator".to_string(), |a| person(w, a)),
        "about": i.about.map(|(item, kind)| json!({ "item": item, "reaction": kind.label() })),
        "cluster": i.cluster,
        "fate": fate_short(i.fate),
        "reactions": { "agree": counts.agree, "add": counts.add, "challenge": counts.challenge },
        "links": i.links.iter().map(|l| l.label()).collect::<Vec<_>>(),
        "created_at": i.created_at,
    })
}

fn participants_json(w: &Workshop) -> Value {
    let mut groups: BTreeMap<(String, String), u32> = BTreeMap::new();
    for p in w.participants.values() {
        *groups.entry((p.role.clone(), p.org_type.clone())).or_default() += 1;
    }
    let groups: Vec<Value> =
        groups.into_iter().map(|((role, org), n)| json!({ "role": role, "org_type": org, "n": n })).collect();
    json!({ "n": w.participants.len(), "groups": groups })
}

/// A tally as JSON, with participant keys replaced by how people are cited.
fn tally_json(w: &Workshop, t: &PhaseTally) -> Value {
    let mut v = serde_json::to_value(t).unwrap_or(Value::Null);
    if let Some(rows) = v.pointer_mut("/results/rows").and_then(Value::as_array_mut) {
        for row in rows {
            if let Some(list) = row.get_mut("attributed").and_then(Value::as_array_mut) {
                for pair in list {
                    if let Some(first) = pair.get_mut(0)
                        && let Some(id) = first.as_str().map(str::to_string)
                    {
                        *first = Value::String(person(w, &id));
                    }
                }
            }
            if let Some(list) = row.get_mut("reasons").and_then(Value::as_array_mut) {
                for reason in list {
                    if let Some(by) = reason.get_mut("by")
                        && let Some(id) = by.as_str().map(str::to_string)
                    {
                        *by = Value::String(person(w, &id));
                    }
                }
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::workshop::{Actor, BUILT_IN, WorkshopCommand as C, WorkshopSetup, WorkshopTemplate};

    fn at(min: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2020, 5, 14).unwrap().and_hms_opt(9, 0, 0).unwrap() + chrono::Duration::minutes(min)
    }

    fn learning_workshop() -> Workshop {
        let (file, text) = BUILT_IN[0];
        let template = WorkshopTemplate::parse(file, text).unwrap();
        let setup = WorkshopSetup {
            id: "w1".into(),
            title: "Lessons *2020*".into(),
            date: at(0).date(),
            room_code: "acdef".into(),
            language: "en".into(),
            ..Default::default()
        };
        Workshop::new(setup, &template, &crate::surveys::built_in(), at(0)).unwrap()
    }

    fn fac(w: &mut Workshop, cmd: C, min: i64) {
        w.apply(Actor::Facilitator, cmd, at(min)).unwrap();
    }

    #[test]
    fn the_record_has_agenda_tallies_actions_and_fates() {
        let mut w = learning_workshop();
        fac(&mut w, C::Start, 0);
        fac(&mut w, C::Next, 12);
        let p = Actor::Participant("k1".into());
        w.apply(
            p.clone(),
            C::Join { participant: "k1".into(), role: "partner".into(), org_type: "TE office".into() },
            at(13),
        )
        .unwrap();
        w.apply(
            p.clone(),
            C::React {
                phase: 1,
                item: 1,
                kind: crate::domain::workshop::ReactionKind::Agree,
                comment: Some("| yes".into()),
            },
            at(14),
        )
        .unwrap();
        fac(&mut w, C::Next, 40);
        fac(&mut w, C::AddItem { phase: 2, text: "Shared <client> register".into() }, 41);
        fac(&mut w, C::Next, 50);
        fac(&mut w, C::CountHand { phase: 3, item: 2, reaction: None }, 51);
        w.apply(p, C::Dot { phase: 3, item: 2 }, at(51)).unwrap();
        fac(&mut w, C::Merge { from: 3, into: 2 }, 52);
        fac(&mut w, C::Park { item: 4 }, 52);
        fac(&mut w, C::AddAction { text: String::new(), owner: "TE office".into(), due: None, from: Some(2) }, 55);
        let md = workshop_markdown(&w, &[]);
        assert!(md.starts_with("# Workshop: Lessons \\*2020\\*\n"), "{md}");
        assert!(md.contains("| 1 | Welcome | Discuss | 09:00 | 10 min | 12:00 | +02:00 | done |"), "{md}");
        assert!(
            md.contains("| 4 | Priorities | Dot vote | 09:50 | 10 min | 00:00 + running since 09:50 |  | running |"),
            "{md}"
        );
        assert!(md.contains("n = 1 voter · 1 of 3 dots used · 1 dot counted from the room's hands."), "{md}");
        assert!(md.contains("| Dots | Room hands | n (voters) | TE office |"), "{md}");
        assert!(md.contains("\\| yes"), "comments are escaped: {md}");
        assert!(md.contains("Shared \\<client\\> register"), "{md}");
        assert!(md.contains("| A1 Reserve more time for planning"), "{md}");
        assert!(md.contains("| TE office | "), "{md}");
        assert!(md.contains("Merged into \\#2"), "{md}");
        assert!(md.contains("Parked for later."), "{md}");
        assert!(md.contains("Turned into action A1"), "{md}");
        assert!(!md.contains("k1"), "participant keys never appear: {md}");
        assert_eq!(md, workshop_markdown(&w, &[]), "deterministic");
        let json = workshop_json(&w, &[]);
        assert_eq!(json["actions"][0]["owner"], "TE office");
        assert!(!json.to_string().contains("k1"), "{json}");
    }
}
