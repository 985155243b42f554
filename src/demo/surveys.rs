//! Demo survey responses for the shipped instruments, made by a small deterministic
//! generator (an LCG, so every run and every machine gets the same data).
//!
//! * `partner-2020`: 73 partners of eight pilots. The reports' disagreement is built in:
//!   48 % of TE-office respondents found the goals clear against 92 % of companies;
//!   `goals_clear` is answered by 66 of 73; "can't say" is about half on transferability.
//! * `client-2020`: 300 clients in round 1, 220 of them again in round 2; 10 % rate their
//!   motivation under 5 in round 1; an NPS item.
//! * `pulse-monthly`: four pilot teams, twelve months, the core plus that month's module.

use std::collections::BTreeMap;

use crate::domain::survey::{Answer, Pick, Response};

/// A 64-bit linear congruential generator (Knuth's MMIX constants); also drives
/// the synthetic evaluations.
pub struct Lcg(pub u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }

    /// 0..n
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() as usize) % n.max(1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        weights.len() - 1
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }

    pub fn choose<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Every demo survey's responses, by survey id, in the order they are stored.
pub fn responses() -> Vec<(String, Vec<Response>)> {
    vec![("partner-2020".into(), partner()), ("client-2020".into(), client()), ("pulse-monthly".into(), pulse())]
}

/// A scale answer from weights over 1..=len, with one more weight for "can't say".
fn scale(rng: &mut Lcg, weights: &[usize]) -> Answer {
    let i = rng.weighted(weights);
    if i + 1 == weights.len() { Answer::DontKnow } else { Answer::Scale(i as i64 + 1) }
}

fn choice(key: &str) -> Answer {
    Answer::Choice(key.to_string())
}

fn text(t: &str) -> Answer {
    Answer::Text(t.to_string())
}

fn date(rng: &mut Lcg, year: i32, month: u32, first_day: u32, days: usize) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(year, month, first_day).expect("demo dates are valid");
    (start + chrono::Days::new(rng.below(days) as u64)).to_string()
}

// ---------------------------------------------------------------------------------
// Partner survey

/// (pilot id, the survey's choice for it, respondents)
const PARTNER_PILOTS: &[(&str, &str, usize)] = &[
    ("p1", "ICT-rekry", 9),
    ("p2", "Omavalmentaja", 12),
    ("p3", "Palvelumanageri", 8),
    ("p5", "Forssa region operating model", 10),
    ("p7", "AIMO", 11),
    ("p10", "Kopakka", 8),
    ("p13", "Talent Coastline", 7),
    ("p15", "Yritysmagneetti", 8),
];

#[derive(Clone, Copy, PartialEq)]
enum Org {
    Te,
    Municipality,
    Company,
    Provider,
    Other(&'static str),
}

const D: i64 = 0; // "can't say" in the goals lists below
const N: i64 = -1; // not answered

/// `goals_clear` per organisation type, dealt out in order: agree = 4 or 5.
/// TE office 12 of 25 agree (48 %), companies 11 of 12 (92 %); 66 answers in all.
const GOALS_TE: &[i64] = &[5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1, N, N];
const GOALS_COMPANY: &[i64] = &[5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 3, N];
const GOALS_MUNICIPALITY: &[i64] = &[5, 4, 4, 4, 4, 4, 4, 3, 3, 2, D, D, N, N];
const GOALS_PROVIDER: &[i64] = &[5, 5, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, D, N, N];
const GOALS_OTHER: &[i64] = &[4, 4, 3, D];

fn partner() -> Vec<Response> {
    let mut rng = Lcg(2020);
    // 27 TE office, 14 municipality, 13 company, 15 service provider, 4 other = 73.
    let mut orgs: Vec<Org> = Vec::new();
    orgs.extend(std::iter::repeat_n(Org::Te, 27));
    orgs.extend(std::iter::repeat_n(Org::Municipality, 14));
    orgs.extend(std::iter::repeat_n(Org::Company, 13));
    orgs.extend(std::iter::repeat_n(Org::Provider, 15));
    orgs.extend(["Kela", "University of applied sciences", "Regional council", "Kela"].map(Org::Other));
    rng.shuffle(&mut orgs);
    let mut pilots: Vec<(&str, &str)> =
        PARTNER_PILOTS.iter().flat_map(|(id, label, n)| std::iter::repeat_n((*id, *label), *n)).collect();
    rng.shuffle(&mut pilots);

    let mut dealt: BTreeMap<&str, usize> = BTreeMap::new();
    let mut deal = |key: &'static str, list: &[i64]| {
        let i = dealt.entry(key).or_default();
        let v = list[*i % list.len()];
        *i += 1;
        v
    };
    let lessons = [
        "Cooperation requires trust, and trust takes time",
        "Reserve more time for planning before clients arrive",
        "Communication must be continuous and repeated",
        "Someone has to lead the partnership",
        "Working together made client processes smoother",
        "Partners complement each other's competences",
    ];
    let mut out = Vec::new();
    for (i, (org, (pilot_id, pilot_label))) in orgs.into_iter().zip(pilots).enumerate() {
        let mut a: BTreeMap<String, Answer> = BTreeMap::new();
        let mut put = |id: &str, answer: Answer| {
            a.insert(id.to_string(), answer);
        };
        put("pilot", choice(pilot_label));
        put(
            "org",
            match org {
                Org::Te => choice("TE office"),
                Org::Municipality => choice("Municipality"),
                Org::Company => choice("Company"),
                Org::Provider => choice("Service provider"),
                Org::Other(name) => Answer::Other(name.into()),
            },
        );
        let roles: &[&str] = match org {
            Org::Te => &["planning", "steering", "referral"],
            Org::Municipality => &["planning", "steering", "delivery"],
            Org::Company => &["employer"],
            Org::Provider => &["delivery", "planning"],
            Org::Other(_) => &["steering"],
        };
        let mut picks: Vec<Pick> =
            roles.iter().filter(|_| rng.chance(70)).map(|r| Pick::Choice(r.to_string())).collect();
        if picks.is_empty() {
            picks.push(Pick::Choice(roles[0].to_string()));
        }
        if rng.chance(5) {
            picks.push(Pick::Other("Funding".into()));
        }
        if rng.chance(95) {
            put("role", Answer::Multi(picks));
        }
        // Agreement: means about 3.7 (trust), 3.5 (culture) and 3.8 (practice).
        put("trust", scale(&mut rng, &[2, 6, 18, 45, 22, 7]));
        if rng.chance(97) {
            put("coop_culture", scale(&mut rng, &[4, 10, 24, 40, 14, 8]));
        }
        let goals = match org {
            Org::Te => deal("te", GOALS_TE),
            Org::Company => deal("company", GOALS_COMPANY),
            Org::Municipality => deal("municipality", GOALS_MUNICIPALITY),
            Org::Provider => deal("provider", GOALS_PROVIDER),
            Org::Other(_) => deal("other", GOALS_OTHER),
        };
        match goals {
            N => {}
            D => put("goals_clear", Answer::DontKnow),
            v => put("goals_clear", Answer::Scale(v)),
        }
        put("practical_smooth", scale(&mut rng, &[2, 6, 15, 45, 27, 5]));
        if rng.chance(90) {
            let hours = match org {
                Org::Company => 1 + rng.below(8),
                Org::Te | Org::Provider => 4 + rng.below(60),
                _ => 2 + rng.below(20),
            };
            put("time_spent", Answer::Number(hours as f64));
        }
        let result = ["above", "as", "below", "unknown"][rng.weighted(&[20, 45, 15, 20])];
        put("results_vs_expectations", choice(result));
        if result == "below" && rng.chance(70) {
            let why = rng.choose(&[
                "Fewer clients were referred than planned",
                "Employers were harder to reach than we thought",
                "Information systems did not support the new process",
            ]);
            put("below_why", text(why));
        }
        put("sig_clients", scale(&mut rng, &[3, 10, 30, 35, 10, 12]));
        put("sig_own_org", scale(&mut rng, &[10, 25, 30, 18, 4, 13]));
        // "Can't say" is about half on transferability.
        put("sig_transfer", scale(&mut rng, &[2, 6, 14, 20, 6, 52]));
        if matches!(org, Org::Company | Org::Te) && rng.chance(90) {
            let w: &[usize] = if org == Org::Company { &[2, 8, 25, 40, 15, 10] } else { &[8, 20, 30, 22, 5, 15] };
            put("sig_employers", scale(&mut rng, w));
        }
        if rng.chance(40) {
            put("lessons", text(rng.choose(&lessons)));
        }
        out.push(Response {
            respondent: Some(format!("P-{:03}", i + 1)),
            pilot: Some(pilot_id.to_string()),
            round: None,
            submitted: Some(date(&mut rng, 2020, 10, 5, 32)),
            answers: a,
        });
    }
    out
}

// ---------------------------------------------------------------------------------
// Client survey

/// (pilot id, round-1 respondents)
const CLIENT_PILOTS: &[(&str, usize)] = &[("p2", 110), ("p3", 60), ("p5", 50), ("p7", 40), ("p10", 40)];

fn client() -> Vec<Response> {
    let mut rng = Lcg(1215);
    let mut pilots: Vec<&str> = CLIENT_PILOTS.iter().flat_map(|(id, n)| std::iter::repeat_n(*id, *n)).collect();
    rng.shuffle(&mut pilots);
    // Exactly 30 of the 300 round-1 clients rate their motivation under 5.
    let mut low = vec![false; pilots.len()];
    low[..30].fill(true);
    rng.shuffle(&mut low);
    let mut out = Vec::new();
    for (i, pilot) in pilots.iter().enumerate() {
        out.push(client_response(&mut rng, i, pilot, 1, low[i]));
    }
    // 220 of them answer again after the service.
    for (i, pilot) in pilots.iter().enumerate().filter(|(i, _)| i % 15 < 11) {
        let low = rng.chance(7);
        out.push(client_response(&mut rng, i, pilot, 2, low));
    }
    out
}

pub(crate) fn client_response(rng: &mut Lcg, i: usize, pilot: &str, round: u32, low_motivation: bool) -> Response {
    let mut a: BTreeMap<String, Answer> = BTreeMap::new();
    let mut put = |id: &str, answer: Answer| {
        a.insert(id.to_string(), answer);
    };
    let motivation =
        if low_motivation { rng.weighted(&[2, 3, 5, 8, 12]) } else { 5 + rng.weighted(&[8, 14, 22, 24, 16, 16]) };
    put("motivation", Answer::Scale(motivation as i64));
    put("work_ability", Answer::Scale(rng.weighted(&[1, 2, 3, 5, 8, 14, 18, 20, 16, 8, 5]) as i64));
    let factors = ["coach", "training", "health", "employer", "subsidy", "digital", "language"];
    let mut picks: Vec<Pick> = Vec::new();
    let wanted = 1 + rng.below(3);
    while picks.len() < wanted {
        let f = factors[rng.weighted(&[22, 20, 12, 22, 12, 6, 6])];
        if !picks.contains(&Pick::Choice(f.into())) {
            picks.push(Pick::Choice(f.into()));
        }
    }
    if picks.len() < 3 && rng.chance(4) {
        picks.push(Pick::Other(rng.choose(&["Driving licence", "Childcare", "Housing"]).into()));
    }
    let training = picks.contains(&Pick::Choice("training".into()));
    if rng.chance(94) {
        put("factors", Answer::Multi(picks));
        if training && rng.chance(60) {
            let wish = rng.choose(&[
                "Forklift licence",
                "A vocational qualification in logistics",
                "Care assistant training",
                "Finnish for working life",
                "Digital skills for office work",
            ]);
            put("training_wish", text(wish));
        }
    }
    if rng.chance(92) {
        put("service_mode", choice(["face", "phone", "video", "online"][rng.weighted(&[45, 25, 12, 18])]));
    }
    // Client experience about 3.96 on 1–5 (Excellent = 5).
    let satisfaction = if rng.chance(95) { Some(scale(rng, &[2, 6, 18, 40, 30, 4])) } else { None };
    let dont_know = satisfaction == Some(Answer::DontKnow);
    if let Some(s) = satisfaction {
        put("satisfaction", s);
    }
    if matches!(pilot, "p2" | "p10") && !dont_know && rng.chance(90) {
        put("coach_helpful", scale(rng, &[2, 4, 14, 36, 40, 4]));
    }
    if round == 2 {
        put("advanced_employment", choice(if rng.chance(45) { "Yes" } else { "No" }));
        let now = ["employed", "training", "jobseeker", "outside"][rng.weighted(&[30, 15, 45, 10])];
        put("employed_now", choice(now));
        if now == "employed" && rng.chance(85) {
            put("hours_week", Answer::Number((8 + rng.below(33)) as f64));
        }
    }
    if rng.chance(96) {
        put("nps", Answer::Scale(rng.weighted(&[2, 1, 2, 3, 4, 7, 8, 14, 20, 18, 21]) as i64));
    }
    if rng.chance(12) {
        let c = rng.choose(&[
            "The coach really listened to me",
            "Too many forms",
            "I would have needed help sooner",
            "Meeting an employer in person made the difference",
        ]);
        put("comments", text(c));
    }
    let submitted = if round == 1 { date(rng, 2019, 9, 2, 110) } else { date(rng, 2020, 9, 1, 80) };
    Response {
        respondent: Some(format!("C-{:04}", i + 1)),
        pilot: Some(pilot.to_string()),
        round: Some(round),
        submitted: Some(submitted),
        answers: a,
    }
}

// ---------------------------------------------------------------------------------
// Monthly pulse

const PULSE_TEAMS: &[&str] = &["p2", "p5", "p7", "p15"];

fn pulse() -> Vec<Response> {
    let mut rng = Lcg(12);
    let mut out = Vec::new();
    for month in 1..=12u32 {
        for pilot in PULSE_TEAMS {
            let mut a: BTreeMap<String, Answer> = BTreeMap::new();
            let mut put = |id: &str, answer: Answer| {
                a.insert(id.to_string(), answer);
            };
            // Teams grow more confident as the year goes on.
            let later = month as usize;
            put("on_track", scale(&mut rng, &[6, 30 - later, 30 + later, 10 + later, 4]));
            if rng.chance(90) {
                let base = if *pilot == "p15" { 5 } else { 20 };
                put("clients_started", Answer::Number((base + rng.below(base * 2)) as f64));
            }
            let obstacles = [
                "Nothing in particular",
                "Client referrals",
                "Staff resources",
                "Cooperation between partners",
                "Information systems",
            ];
            let obstacle = obstacles[rng.weighted(&[20, 25, 20, 15, 15])];
            if rng.chance(6) {
                put("main_obstacle", Answer::Other("COVID-19 restrictions".into()));
                put("obstacle_note", text("Face-to-face meetings stopped; moved to phone and video"));
            } else {
                put("main_obstacle", choice(obstacle));
                if obstacle != "Nothing in particular" && rng.chance(60) {
                    let note = match obstacle {
                        "Client referrals" => "The TE office referred fewer clients than agreed",
                        "Staff resources" => "Two coaches on sick leave",
                        "Cooperation between partners" => "Steering group did not meet",
                        _ => "Client data had to be typed in twice",
                    };
                    put("obstacle_note", text(note));
                }
            }
            match month % 3 {
                1 => {
                    put("partners_informed", scale(&mut rng, &[3, 10, 20, 45, 17, 5]));
                    put("partnership_led", scale(&mut rng, &[5, 15, 25, 35, 15, 5]));
                }
                2 => {
                    put("client_feedback_used", scale(&mut rng, &[8, 20, 25, 30, 12, 5]));
                    let mut channels: Vec<Pick> = ["Survey", "Feedback app", "Interviews", "Provider reports"]
                        .iter()
                        .filter(|c| rng.chance(if **c == "Feedback app" && *pilot == "p15" { 100 } else { 35 }))
                        .map(|c| Pick::Choice(c.to_string()))
                        .collect();
                    if rng.chance(10) {
                        channels.push(Pick::Other("Coffee with clients".into()));
                    }
                    if !channels.is_empty() {
                        put("feedback_channels", Answer::Multi(channels));
                    }
                }
                _ => {
                    put("indicators_used", scale(&mut rng, &[10, 20, 25, 30, 10, 5]));
                    let agreed = if month >= 9 { &[50, 40, 10] } else { &[15, 45, 40] };
                    put("baseline_agreed", choice(["Yes, for all", "For some", "No"][rng.weighted(agreed)]));
                }
            }
            out.push(Response {
                respondent: Some(format!("team-{pilot}")),
                pilot: Some(pilot.to_string()),
                round: Some(month),
                submitted: Some(date(&mut rng, if month <= 10 { 2019 } else { 2020 }, (month + 2 - 1) % 12 + 1, 25, 5)),
                answers: a,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::{TallyFilter, tally_with};
    use crate::surveys::{built_in, pilot_matcher, table::check_relevance};

    #[test]
    fn every_demo_response_fits_its_survey() {
        let pilots = crate::demo::pilots();
        let matcher = pilot_matcher(&pilots);
        let surveys = built_in();
        for (id, responses) in responses() {
            let survey = surveys.iter().find(|s| s.id == id).unwrap();
            let mut seen = std::collections::BTreeSet::new();
            for r in &responses {
                assert!(seen.insert((r.respondent.clone(), r.round)), "{id}: {:?} twice", r.respondent);
                let p = r.pilot.as_deref().unwrap();
                assert!(pilots.iter().any(|q| q.id == p), "{id}: unknown pilot {p}");
                for (item, answer) in &r.answers {
                    let it = survey.item(item).unwrap_or_else(|| panic!("{id}: no item {item}"));
                    survey.check_answer(it, answer).unwrap_or_else(|e| panic!("{id} {item}: {e}"));
                    // What is exported reads back as the same answer.
                    let cell = survey.format_cell(it, answer);
                    assert_eq!(survey.parse_cell(it, &cell).unwrap().as_ref(), Some(answer), "{id} {item}");
                }
                let problems = check_relevance(survey, r, |name| matcher(p, name));
                assert!(problems.is_empty(), "{id} {:?}: {problems:?}", r.respondent);
            }
        }
    }

    #[test]
    fn partner_survey_shows_the_reports_disagreement() {
        let pilots = crate::demo::pilots();
        let survey = built_in().into_iter().find(|s| s.id == "partner-2020").unwrap();
        let (_, responses) = responses().into_iter().find(|(id, _)| id == "partner-2020").unwrap();
        let filter = TallyFilter { by: Some("org".into()), ..Default::default() };
        let t = tally_with(&survey, &responses, &filter, pilot_matcher(&pilots)).unwrap();
        assert_eq!(t.respondents, 73);
        assert_eq!(t.item("goals_clear").unwrap().n, 66);
        let agree = |value: &str| {
            let g = t.group(value).unwrap().item("goals_clear").unwrap();
            let yes = g.count("4").unwrap() + g.count("5").unwrap();
            (100.0 * yes as f64 / g.n as f64).round()
        };
        assert_eq!(agree("TE office"), 48.0);
        assert_eq!(agree("Company"), 92.0);
        let transfer = t.item("sig_transfer").unwrap();
        let crate::domain::survey::ItemStats::Scale { dont_know: Some(dk), .. } = transfer.stats else { panic!() };
        assert!((30..=45).contains(&dk), "can't say on transferability: {dk} of {}", transfer.n);
        let pilots_answered: std::collections::BTreeSet<_> = responses.iter().map(|r| r.pilot.clone()).collect();
        assert!(pilots_answered.len() >= 5);
    }

    #[test]
    fn client_survey_has_two_rounds_and_a_tenth_of_low_motivation() {
        let (_, responses) = responses().into_iter().find(|(id, _)| id == "client-2020").unwrap();
        let round1: Vec<_> = responses.iter().filter(|r| r.round == Some(1)).collect();
        let round2 = responses.iter().filter(|r| r.round == Some(2)).count();
        assert_eq!((round1.len(), round2), (300, 220));
        let low = round1.iter().filter(|r| matches!(r.answers["motivation"], Answer::Scale(v) if v < 5)).count();
        assert_eq!(low, 30);
        assert!(responses.iter().any(|r| r.answers.contains_key("nps")));
    }

    #[test]
    fn the_generator_is_deterministic() {
        assert_eq!(responses(), responses());
    }
}
